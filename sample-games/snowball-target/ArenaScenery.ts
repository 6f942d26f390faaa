import * as THREE from 'three';
import { snowballRules as R } from './behavior.js';

const WALL_HEIGHT = 1.2;
const WALL_THICKNESS = 0.8;
const TREE_RING = 4;

/**
 * What does not move in an arena: the snowfield, snow-block walls where the physics planes are, and
 * pine trees outside them. `origin` places the arena in the view's grid.
 */
export function createArenaScenery(origin: THREE.Vector3): THREE.Group {
  const h = R.arenaHalfSize;
  const group = new THREE.Group();
  group.position.copy(origin);

  const field = new THREE.Mesh(
    new THREE.PlaneGeometry(2 * h, 2 * h),
    new THREE.MeshStandardMaterial({ color: 0xf2f6fb, roughness: 0.95 }),
  );
  field.rotation.x = -Math.PI / 2;
  field.receiveShadow = true;
  group.add(field);

  const blocks = new THREE.MeshStandardMaterial({ color: 0xdfeaf5, roughness: 0.7 });
  const long = 2 * h + 2 * WALL_THICKNESS;
  const walls: [number, number, number, number][] = [
    [0, -h - WALL_THICKNESS / 2, long, WALL_THICKNESS],
    [0, h + WALL_THICKNESS / 2, long, WALL_THICKNESS],
    [-h - WALL_THICKNESS / 2, 0, WALL_THICKNESS, long],
    [h + WALL_THICKNESS / 2, 0, WALL_THICKNESS, long],
  ];
  for (const [x, z, w, d] of walls) {
    const wall = new THREE.Mesh(new THREE.BoxGeometry(w, WALL_HEIGHT, d), blocks);
    wall.position.set(x, WALL_HEIGHT / 2, z);
    wall.castShadow = wall.receiveShadow = true;
    group.add(wall);
  }

  const trunk = new THREE.MeshStandardMaterial({ color: 0x5b3a22, roughness: 1 });
  const needles = new THREE.MeshStandardMaterial({ color: 0x2f5d46, roughness: 0.9 });
  const snowCap = new THREE.MeshStandardMaterial({ color: 0xffffff, roughness: 0.9 });
  // Trees at fixed, irregular spots around the walls: scenery must not draw on the game's seed.
  for (let i = 0; i < 16; i++) {
    const side = i % 4;
    const along = -h + ((i * 7.3) % (2 * h));
    const out = h + 1.5 + ((i * 3.7) % TREE_RING);
    const [x, z] = side === 0 ? [along, -out] : side === 1 ? [out, along] : side === 2 ? [-along, out] : [-out, -along];
    const size = 0.8 + ((i * 5.1) % 3) / 3;
    const tree = new THREE.Group();
    const stem = new THREE.Mesh(new THREE.CylinderGeometry(0.15, 0.2, 1, 6), trunk);
    stem.position.y = 0.5;
    const crown = new THREE.Mesh(new THREE.ConeGeometry(1.1, 2.6, 8), needles);
    crown.position.y = 2.2;
    const cap = new THREE.Mesh(new THREE.ConeGeometry(0.55, 1, 8), snowCap);
    cap.position.y = 3.1;
    for (const m of [stem, crown, cap]) m.castShadow = true;
    tree.add(stem, crown, cap);
    tree.scale.setScalar(size);
    tree.position.set(x, 0, z);
    group.add(tree);
  }
  return group;
}

/** The snow around every arena, wide enough to reach the horizon of the view's fog. */
export function createSnowfield(size: number): THREE.Mesh {
  const ground = new THREE.Mesh(new THREE.PlaneGeometry(size, size), new THREE.MeshStandardMaterial({ color: 0xe4ecf4, roughness: 1 }));
  ground.rotation.x = -Math.PI / 2;
  ground.position.y = -0.02;
  ground.receiveShadow = true;
  return ground;
}

/**
 * Falling snow: points drifting down through a box of `size` around the origin, wrapping at the
 * bottom. Flakes are a few pixels whatever their distance, so that none passing the camera fills the screen.
 */
export class Snowfall {
  readonly points: THREE.Points;
  private readonly positions: Float32Array;

  constructor(
    size: number,
    private readonly height: number,
    count = 1500,
  ) {
    this.positions = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
      // A fixed low-discrepancy pattern (golden ratio steps): looks random, draws on no seed.
      this.positions[3 * i] = (((i * 0.618034) % 1) - 0.5) * size;
      this.positions[3 * i + 1] = ((i * 0.414214) % 1) * height;
      this.positions[3 * i + 2] = (((i * 0.732051) % 1) - 0.5) * size;
    }
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(this.positions, 3));
    this.points = new THREE.Points(geometry, new THREE.PointsMaterial({ color: 0xffffff, size: 3, sizeAttenuation: false, transparent: true, opacity: 0.85 }));
  }

  /** Moves the flakes by `seconds` of falling. */
  update(seconds: number): void {
    const p = this.positions;
    for (let i = 0; i < p.length; i += 3) {
      p[i + 1]! -= 1.2 * seconds;
      p[i]! += Math.sin(p[i + 1]! * 0.7 + i) * 0.3 * seconds;
      if (p[i + 1]! < 0) p[i + 1] = this.height;
    }
    this.points.geometry.getAttribute('position').needsUpdate = true;
  }
}
