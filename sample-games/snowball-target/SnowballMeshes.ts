import * as THREE from 'three';
import { snowballRules as R } from './behavior.js';

/** Julien the bear from spheres: body, head, ears, snout and a red scarf; faces +z like the physics body. */
export function createBearMesh(): THREE.Group {
  const fur = new THREE.MeshStandardMaterial({ color: 0x8a5a35, roughness: 0.9 });
  const light = new THREE.MeshStandardMaterial({ color: 0xd9b48c, roughness: 0.9 });
  const dark = new THREE.MeshStandardMaterial({ color: 0x1a1410, roughness: 0.4 });
  const scarf = new THREE.MeshStandardMaterial({ color: 0xc8283c, roughness: 0.8 });
  const bear = new THREE.Group();
  const part = (geometry: THREE.BufferGeometry, material: THREE.Material, x: number, y: number, z: number, scale = 1) => {
    const m = new THREE.Mesh(geometry, material);
    m.position.set(x, y, z);
    m.scale.setScalar(scale);
    m.castShadow = true;
    bear.add(m);
    return m;
  };
  const sphere = new THREE.SphereGeometry(1, 24, 16);
  part(sphere, fur, 0, 0.5, 0, R.bearRadius).scale.set(R.bearRadius, R.bearRadius * 1.05, R.bearRadius * 0.95);
  part(sphere, light, 0, 0.45, 0.28, 0.3).scale.z = 0.15;
  part(sphere, fur, 0, 1.12, 0.08, 0.34);
  part(sphere, fur, 0.22, 1.4, 0.02, 0.11);
  part(sphere, fur, -0.22, 1.4, 0.02, 0.11);
  part(sphere, light, 0, 1.05, 0.36, 0.14);
  part(sphere, dark, 0, 1.1, 0.49, 0.045);
  part(sphere, dark, 0.12, 1.22, 0.34, 0.035);
  part(sphere, dark, -0.12, 1.22, 0.34, 0.035);
  // Paws stretched forward: the throwing hands.
  part(sphere, fur, 0.32, 0.75, 0.3, 0.13);
  part(sphere, fur, -0.32, 0.75, 0.3, 0.13);
  const ring = new THREE.Mesh(new THREE.TorusGeometry(0.3, 0.07, 10, 24), scarf);
  ring.rotation.x = Math.PI / 2;
  ring.position.y = 0.86;
  ring.castShadow = true;
  bear.add(ring);
  return bear;
}

/** A snowball: the physics sphere's size, slightly blue so that it shows against the snow. */
export function createSnowballMesh(): THREE.Mesh {
  const m = new THREE.Mesh(
    new THREE.SphereGeometry(R.snowballRadius, 16, 12),
    new THREE.MeshStandardMaterial({ color: 0xf4f8ff, roughness: 0.6, emissive: 0x223344, emissiveIntensity: 0.15 }),
  );
  m.castShadow = true;
  return m;
}

/**
 * A target: a red and white bullseye board on a wooden post. The physics target is a sphere of the
 * board's radius, so the view turns the board to face the bear: from the bear it covers exactly
 * what the sphere covers.
 */
export function createTargetMesh(bullseye: THREE.Texture): THREE.Group {
  const target = new THREE.Group();
  const post = new THREE.Mesh(
    new THREE.CylinderGeometry(0.06, 0.08, R.targetHeight, 8),
    new THREE.MeshStandardMaterial({ color: 0x7a5230, roughness: 1 }),
  );
  // Behind the board, so that the bear sees the bullseye and not the stick.
  post.position.set(0, R.targetHeight / 2, -0.1);
  post.castShadow = true;
  const board = new THREE.Mesh(
    new THREE.CylinderGeometry(R.targetRadius, R.targetRadius, 0.08, 40),
    [
      new THREE.MeshStandardMaterial({ color: 0xeeeeee, roughness: 0.7 }),
      new THREE.MeshStandardMaterial({ map: bullseye, roughness: 0.6 }),
      new THREE.MeshStandardMaterial({ map: bullseye, roughness: 0.6 }),
    ],
  );
  // The cylinder's caps face +-y; turned to face +-z, toward the bear after lookAt.
  board.rotation.x = Math.PI / 2;
  board.position.y = R.targetHeight;
  board.castShadow = true;
  target.add(post, board);
  return target;
}

/** The bullseye painted on the boards: red and white rings with a gold centre. */
export function createBullseyeTexture(document: Document): THREE.Texture {
  const size = 256;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('snowballtarget view: the browser gave no 2D canvas context for the target texture');
  const colors = ['#d62828', '#ffffff', '#d62828', '#ffffff', '#f2b705'];
  colors.forEach((color, i) => {
    g.beginPath();
    g.arc(size / 2, size / 2, (size / 2) * (1 - i / colors.length), 0, Math.PI * 2);
    g.fillStyle = color;
    g.fill();
  });
  const texture = new THREE.CanvasTexture(canvas);
  texture.colorSpace = THREE.SRGBColorSpace;
  return texture;
}
