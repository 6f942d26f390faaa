import * as THREE from 'three';

/** A running view of a game: draw a frame, or free everything. */
export interface GameView {
  render(): void;
  dispose(): void;
}

/** How a game's areas are laid out: a grid of cells `cellWidth` by `cellDepth`, filled row by row. */
export interface AreaGridLayout {
  areas: number;
  cellWidth: number;
  cellDepth: number;
  /** Height of the tallest thing in an area, so that the camera sees all of it. */
  height: number;
}

/**
 * The common part of a game view: a WebGL renderer on the page's canvas, a lit scene, and a
 * camera in front of and above a grid of areas, looking at its centre. Games add their meshes at
 * `areaOrigin(i)` and call `render()` once per frame.
 */
export class ViewStage {
  readonly renderer: THREE.WebGLRenderer;
  readonly scene = new THREE.Scene();
  readonly camera: THREE.PerspectiveCamera;
  private readonly columns: number;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly layout: AreaGridLayout,
  ) {
    this.columns = Math.ceil(Math.sqrt(layout.areas));
    const rows = Math.ceil(layout.areas / this.columns);
    const width = this.columns * layout.cellWidth;
    const depth = rows * layout.cellDepth;

    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
    this.renderer.setPixelRatio(canvas.ownerDocument.defaultView?.devicePixelRatio ?? 1);
    this.renderer.shadowMap.enabled = true;
    this.scene.background = new THREE.Color(0x7790a0);

    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x445566, 1.2));
    const sun = new THREE.DirectionalLight(0xffffff, 2);
    const reach = Math.max(width, depth) / 2 + layout.height;
    sun.position.set(reach * 0.5, reach * 2, reach);
    sun.castShadow = true;
    Object.assign(sun.shadow.camera, { left: -reach, right: reach, top: reach, bottom: -reach, far: reach * 5 });
    sun.shadow.mapSize.set(2048, 2048);
    this.scene.add(sun);

    // Front and above, far enough for the whole grid to fit a 50 degree view.
    this.camera = new THREE.PerspectiveCamera(50, 1, 0.1, reach * 20);
    const distance = (Math.max(width, depth) / 2 / Math.tan((25 * Math.PI) / 180)) * 1.1 + layout.height;
    this.camera.position.set(0, distance * 0.7, distance * 0.75);
    this.camera.lookAt(0, 0, 0);
  }

  /** Where area `i` sits in the scene (grid centred on the origin). */
  areaOrigin(i: number): THREE.Vector3 {
    const rows = Math.ceil(this.layout.areas / this.columns);
    const col = i % this.columns;
    const row = Math.floor(i / this.columns);
    return new THREE.Vector3(
      (col - (this.columns - 1) / 2) * this.layout.cellWidth,
      0,
      (row - (rows - 1) / 2) * this.layout.cellDepth,
    );
  }

  /** Draws a frame, first following the canvas's size on the page. */
  render(): void {
    const w = this.canvas.clientWidth || this.canvas.width;
    const h = this.canvas.clientHeight || this.canvas.height;
    const size = this.renderer.getSize(new THREE.Vector2());
    if (w > 0 && h > 0 && (size.x !== w || size.y !== h)) {
      this.renderer.setSize(w, h, false);
      this.camera.aspect = w / h;
      this.camera.updateProjectionMatrix();
    }
    this.renderer.render(this.scene, this.camera);
  }

  /** Frees the GPU resources of every mesh in the scene and the renderer. */
  dispose(): void {
    this.scene.traverse((object) => {
      if (object instanceof THREE.Mesh) {
        (object.geometry as THREE.BufferGeometry).dispose();
        const materials: THREE.Material[] = Array.isArray(object.material) ? object.material : [object.material];
        for (const m of materials) m.dispose();
      }
    });
    this.renderer.dispose();
  }
}
