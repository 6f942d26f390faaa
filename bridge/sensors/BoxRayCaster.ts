import { AABB, Shape, type Body, type Vec3, type World } from 'cannon-es';

/** Which bodies a cast sees, as in cannon-es' Ray.intersectWorld options. */
export interface BoxRayCastFilter {
  /** Bodies never hit (the sensor's own body and its parts). */
  readonly ignored: ReadonlySet<Body>;
  readonly collisionFilterMask: number;
  /** Skip bodies and shapes with collisionResponse = false. */
  readonly checkCollisionResponse: boolean;
}

/** Floats kept per candidate box: centre (3), local axes in world space (9), half extents (3). */
const BOX_FLOATS = 15;

/** cannon-es' Ray.precision: a face this close to parallel to the ray is never hit. */
const PARALLEL_EPSILON = 0.0001;

const BOX_TYPE = Shape.types.BOX;

/**
 * Casts a bundle of parallel segments (one direction, one length, several origins: the samples of
 * a sphere cast) against a world whose reachable bodies are boxes, with cannon-es' ray semantics:
 * the nearest front face hit within the length, back faces skipped (so a box around an origin is
 * not seen), ties going to the first sample, then the first body of the broadphase's order.
 *
 * Why not Ray.intersectWorld: it runs one broadphase query per segment and tests a box as a general
 * convex polyhedron (every face turned into world space, then two point-in-triangle tests per
 * face). Here the bundle shares one query, each box's frame is computed once per bundle, and a box
 * is a slab test in its own frame. Bodies with other shapes are left to cannon-es: `cast` returns
 * false and the caller casts the segments itself.
 */
export class BoxRayCaster {
  /** Distance along the direction to the nearest hit of the last cast, Infinity when nothing was hit. */
  bestDistance = Infinity;
  bestBody: Body | null = null;
  bestShape: Shape | null = null;

  private readonly query = new AABB();
  private readonly found: Body[] = [];
  private boxes = new Float64Array(32 * BOX_FLOATS);
  private boxBodies: Body[] = [];
  private boxShapes: Shape[] = [];

  constructor(
    private readonly world: World,
    private readonly filter: BoxRayCastFilter,
  ) {}

  /**
   * Casts `count` segments starting at `origins` (x, y, z each) along the unit vector `dir` for
   * `length`. Returns false, having found nothing, when a body it would test is not made of boxes.
   */
  cast(origins: Float64Array, count: number, dir: Vec3, length: number): boolean {
    this.bestDistance = Infinity;
    this.bestBody = null;
    this.bestShape = null;
    const n = this.collectBoxes(origins, count, dir, length);
    if (n < 0) return false;
    const boxes = this.boxes;
    const dx = dir.x;
    const dy = dir.y;
    const dz = dir.z;
    for (let s = 0; s < count; s++) {
      const ox = origins[3 * s]!;
      const oy = origins[3 * s + 1]!;
      const oz = origins[3 * s + 2]!;
      for (let k = 0; k < n; k++) {
        const at = k * BOX_FLOATS;
        const t = entryDistance(boxes, at, ox, oy, oz, dx, dy, dz);
        if (t >= 0 && t <= length && t < this.bestDistance) {
          this.bestDistance = t;
          this.bestBody = this.boxBodies[k]!;
          this.bestShape = this.boxShapes[k]!;
        }
      }
    }
    return true;
  }

  /** Fills `boxes` with the box shapes the bundle may hit, in broadphase order; -1 if another shape is reachable. */
  private collectBoxes(origins: Float64Array, count: number, dir: Vec3, length: number): number {
    let lx = Infinity;
    let ly = Infinity;
    let lz = Infinity;
    let ux = -Infinity;
    let uy = -Infinity;
    let uz = -Infinity;
    for (let s = 0; s < count; s++) {
      const x = origins[3 * s]!;
      const y = origins[3 * s + 1]!;
      const z = origins[3 * s + 2]!;
      const ex = x + dir.x * length;
      const ey = y + dir.y * length;
      const ez = z + dir.z * length;
      lx = Math.min(lx, x, ex);
      ly = Math.min(ly, y, ey);
      lz = Math.min(lz, z, ez);
      ux = Math.max(ux, x, ex);
      uy = Math.max(uy, y, ey);
      uz = Math.max(uz, z, ez);
    }
    this.query.lowerBound.set(lx, ly, lz);
    this.query.upperBound.set(ux, uy, uz);
    const found = this.found;
    found.length = 0;
    this.world.broadphase.aabbQuery(this.world, this.query, found);

    const { ignored, collisionFilterMask, checkCollisionResponse } = this.filter;
    let n = 0;
    for (let i = 0; i < found.length; i++) {
      const body = found[i]!;
      if (ignored.has(body)) continue;
      // Ray.intersectBody's tests, with the ray's own collisionFilterGroup of -1.
      if (checkCollisionResponse && !body.collisionResponse) continue;
      if (body.collisionFilterMask === 0 || (body.collisionFilterGroup & collisionFilterMask) === 0) continue;
      for (let j = 0; j < body.shapes.length; j++) {
        const shape = body.shapes[j]!;
        if (checkCollisionResponse && !shape.collisionResponse) continue;
        if (shape.type !== BOX_TYPE) return -1;
        this.addBox(n++, body, j);
      }
    }
    return n;
  }

  private addBox(k: number, body: Body, shapeIndex: number): void {
    if ((k + 1) * BOX_FLOATS > this.boxes.length) {
      const grown = new Float64Array(this.boxes.length * 2);
      grown.set(this.boxes);
      this.boxes = grown;
    }
    const shape = body.shapes[shapeIndex]!;
    const half = (shape as unknown as { halfExtents: Vec3 }).halfExtents;
    const bq = body.quaternion;
    const sq = body.shapeOrientations[shapeIndex]!;
    const so = body.shapeOffsets[shapeIndex]!;
    // Shape orientation q = bq * sq, centre = body position + bq * offset (Ray.intersectBody).
    const x = bq.w * sq.x + bq.x * sq.w + bq.y * sq.z - bq.z * sq.y;
    const y = bq.w * sq.y + bq.y * sq.w + bq.z * sq.x - bq.x * sq.z;
    const z = bq.w * sq.z + bq.z * sq.w + bq.x * sq.y - bq.y * sq.x;
    const w = bq.w * sq.w - bq.x * sq.x - bq.y * sq.y - bq.z * sq.z;
    const b = this.boxes;
    const at = k * BOX_FLOATS;
    rotate(bq.x, bq.y, bq.z, bq.w, so.x, so.y, so.z, b, at);
    b[at] = b[at]! + body.position.x;
    b[at + 1] = b[at + 1]! + body.position.y;
    b[at + 2] = b[at + 2]! + body.position.z;
    // The box's local x, y and z axes in world space: the columns of q's rotation matrix.
    rotate(x, y, z, w, 1, 0, 0, b, at + 3);
    rotate(x, y, z, w, 0, 1, 0, b, at + 6);
    rotate(x, y, z, w, 0, 0, 1, b, at + 9);
    b[at + 12] = half.x;
    b[at + 13] = half.y;
    b[at + 14] = half.z;
    this.boxBodies[k] = body;
    this.boxShapes[k] = shape;
  }
}

/** q * v * q^-1 as cannon-es' Quaternion.vmult computes it, written to out[at..at+2]. */
function rotate(qx: number, qy: number, qz: number, qw: number, x: number, y: number, z: number, out: Float64Array, at: number): void {
  const ix = qw * x + qy * z - qz * y;
  const iy = qw * y + qz * x - qx * z;
  const iz = qw * z + qx * y - qy * x;
  const iw = -qx * x - qy * y - qz * z;
  out[at] = ix * qw + iw * -qx + iy * -qz - iz * -qy;
  out[at + 1] = iy * qw + iw * -qy + iz * -qx - ix * -qz;
  out[at + 2] = iz * qw + iw * -qz + ix * -qy - iy * -qx;
}

/**
 * Where a ray from o along d enters the box stored at `at` (slab test in the box's frame), or -1
 * when it does not: it misses, starts inside (only back faces ahead), or enters through a face it
 * runs nearly parallel to, which cannon-es skips.
 */
function entryDistance(b: Float64Array, at: number, ox: number, oy: number, oz: number, dx: number, dy: number, dz: number): number {
  const rx = ox - b[at]!;
  const ry = oy - b[at + 1]!;
  const rz = oz - b[at + 2]!;
  let enter = -Infinity;
  let exit = Infinity;
  let enterSlope = 0;
  for (let axis = 0; axis < 3; axis++) {
    const a = at + 3 + 3 * axis;
    const ax = b[a]!;
    const ay = b[a + 1]!;
    const az = b[a + 2]!;
    const o = rx * ax + ry * ay + rz * az;
    const d = dx * ax + dy * ay + dz * az;
    const h = b[at + 12 + axis]!;
    if (d === 0) {
      if (o < -h || o > h) return -1;
      continue;
    }
    const t1 = (-h - o) / d;
    const t2 = (h - o) / d;
    const near = t1 < t2 ? t1 : t2;
    const far = t1 < t2 ? t2 : t1;
    if (near > enter) {
      enter = near;
      enterSlope = d < 0 ? -d : d;
    }
    if (far < exit) exit = far;
    if (enter > exit) return -1;
  }
  if (enter < 0 || enterSlope < PARALLEL_EPSILON) return -1;
  return enter;
}
