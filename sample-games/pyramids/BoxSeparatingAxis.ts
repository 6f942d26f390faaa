import type { Box, ConvexPolyhedron, Quaternion, Vec3 } from 'cannon-es';

type SepAxisTest = ConvexPolyhedron['testSepAxis'];

/** Box hulls taught the closed-form projection, with their half extents (the hull's +x +y +z vertex). */
const boxHalfExtents = new WeakMap<ConvexPolyhedron, Vec3>();

const projected = new Float64Array(2);

/**
 * Makes cannon-es' box-box collision test (ConvexPolyhedron.findSeparatingAxis, up to 15 axes per
 * pair, each projecting both boxes) project this box in closed form: the extreme of a box along an
 * axis is |hx ax| + |hy ay| + |hz az| in its own frame, where the stock ConvexPolyhedron.project
 * takes the max over the 8 vertices. The result is the same number to the last bit: cannon-es
 * computes each vertex's dot product as (x ax + y ay) + z az, and rounding is monotonic, so the
 * vertex with every term non-negative gives the max and its mirror the exact negated min. Contacts
 * and so the whole simulation stay identical; toppled bricks lean on each other in dozens of pairs
 * per step, and the projections were the largest part of the step after the solver.
 */
export function useClosedFormBoxProjection(box: Box): void {
  const hull = box.convexPolyhedronRepresentation;
  const corner = hull.vertices[6]!;
  const h = box.halfExtents;
  if (hull.vertices.length !== 8 || corner.x !== h.x || corner.y !== h.y || corner.z !== h.z) {
    throw new Error('useClosedFormBoxProjection: the box hull is not the one Box.updateConvexPolyhedronRepresentation makes');
  }
  boxHalfExtents.set(hull, corner);
  hull.testSepAxis = testSepAxis;
}

/** ConvexPolyhedron.testSepAxis with the projection of box hulls in closed form. */
const testSepAxis: SepAxisTest = function (this: ConvexPolyhedron, axis, hullB, posA, quatA, posB, quatB) {
  project(this, axis, posA, quatA);
  const maxA = projected[0]!;
  const minA = projected[1]!;
  project(hullB, axis, posB, quatB);
  const maxB = projected[0]!;
  const minB = projected[1]!;
  if (maxA < minB || maxB < minA) return false;
  const d0 = maxA - minB;
  const d1 = maxB - minA;
  return d0 < d1 ? d0 : d1;
};

const localAxis = { x: 0, y: 0, z: 0 };
const localOrigin = { x: 0, y: 0, z: 0 };
const scratch: number[] = [];

/** ConvexPolyhedron.project into `projected` (max, min), in closed form for a registered box. */
function project(hull: ConvexPolyhedron, axis: Vec3, pos: Vec3, quat: Quaternion): void {
  const half = boxHalfExtents.get(hull);
  if (!half) {
    // Any other hull: cannon-es' own projection (a static the typings do not declare).
    (hull.constructor as unknown as { project(h: ConvexPolyhedron, a: Vec3, p: Vec3, q: Quaternion, r: number[]): void }).project(hull, axis, pos, quat, scratch);
    projected[0] = scratch[0]!;
    projected[1] = scratch[1]!;
    return;
  }
  // Transform.vectorToLocalFrame (the quaternion with w negated) and pointToLocalFrame of the origin (the conjugate).
  rotate(quat.x, quat.y, quat.z, -quat.w, axis.x, axis.y, axis.z, localAxis);
  rotate(-quat.x, -quat.y, -quat.z, quat.w, 0 - pos.x, 0 - pos.y, 0 - pos.z, localOrigin);
  const add = localOrigin.x * localAxis.x + localOrigin.y * localAxis.y + localOrigin.z * localAxis.z;
  const px = half.x * localAxis.x;
  const py = half.y * localAxis.y;
  const pz = half.z * localAxis.z;
  let max = (px < 0 ? -px : px) + (py < 0 ? -py : py) + (pz < 0 ? -pz : pz);
  let min = -max;
  min -= add;
  max -= add;
  projected[0] = max;
  projected[1] = min;
}

/** Quaternion.vmult, operation for operation. */
function rotate(qx: number, qy: number, qz: number, qw: number, x: number, y: number, z: number, out: { x: number; y: number; z: number }): void {
  const ix = qw * x + qy * z - qz * y;
  const iy = qw * y + qz * x - qx * z;
  const iz = qw * z + qx * y - qy * x;
  const iw = -qx * x - qy * y - qz * z;
  out.x = ix * qw + iw * -qx + iy * -qz - iz * -qy;
  out.y = iy * qw + iw * -qy + iz * -qx - ix * -qz;
  out.z = iz * qw + iw * -qz + ix * -qy - iy * -qx;
}
