import * as THREE from 'three';

/**
 * A line of text drawn on a canvas texture, redrawn only when the text changes: the hit counters
 * (as a screen overlay and as labels over the arenas) without any DOM outside the game's canvas.
 */
export class TextPanel {
  readonly texture: THREE.CanvasTexture;
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private text = '';

  constructor(
    document: Document,
    readonly width: number,
    readonly height: number,
  ) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    const context = this.canvas.getContext('2d');
    if (!context) throw new Error('snowballtarget view: the browser gave no 2D canvas context for the hit counter');
    this.context = context;
    this.texture = new THREE.CanvasTexture(this.canvas);
    this.texture.colorSpace = THREE.SRGBColorSpace;
  }

  /** Shows `text`; does nothing when it is already shown. */
  show(text: string): void {
    if (text === this.text) return;
    this.text = text;
    const g = this.context;
    g.clearRect(0, 0, this.width, this.height);
    g.fillStyle = 'rgba(20, 40, 70, 0.72)';
    roundedRect(g, 0, 0, this.width, this.height, this.height * 0.3);
    g.fill();
    g.fillStyle = '#ffffff';
    // Half the panel's height, smaller when the text would not fit its width.
    let size = Math.round(this.height * 0.5);
    g.font = `bold ${size}px system-ui, sans-serif`;
    const fits = (this.width * 0.9) / g.measureText(text).width;
    if (fits < 1) {
      size = Math.floor(size * fits);
      g.font = `bold ${size}px system-ui, sans-serif`;
    }
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(text, this.width / 2, this.height / 2);
    this.texture.needsUpdate = true;
  }

  dispose(): void {
    this.texture.dispose();
  }
}

function roundedRect(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  g.beginPath();
  g.moveTo(x + r, y);
  g.arcTo(x + w, y, x + w, y + h, r);
  g.arcTo(x + w, y + h, x, y + h, r);
  g.arcTo(x, y + h, x, y, r);
  g.arcTo(x, y, x + w, y, r);
  g.closePath();
}
