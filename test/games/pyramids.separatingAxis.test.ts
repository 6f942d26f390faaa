import { Box, ConvexPolyhedron, Quaternion, Vec3 } from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { useClosedFormBoxProjection } from '../../sample-games/pyramids/BoxSeparatingAxis.js';

describe('closed-form box projection', () => {
  it('gives the stock separating-axis depths bit for bit, against boxes and other hulls', () => {
    const rng = new SeededRandom(5);
    const v = () => new Vec3(rng.range(-3, 3), rng.range(-3, 3), rng.range(-3, 3));
    const q = () => new Quaternion(rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)).normalize();
    const tetra = new ConvexPolyhedron({
      vertices: [new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, 1)],
      faces: [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]],
    });
    let overlapping = 0;
    for (let i = 0; i < 2000; i++) {
      const stockA = new Box(new Vec3(rng.range(0.1, 2), rng.range(0.1, 2), rng.range(0.1, 2)));
      const fastA = new Box(stockA.halfExtents.clone());
      useClosedFormBoxProjection(fastA);
      const stockB = new Box(new Vec3(rng.range(0.1, 2), rng.range(0.1, 2), rng.range(0.1, 2)));
      const fastB = new Box(stockB.halfExtents.clone());
      useClosedFormBoxProjection(fastB);
      const axis = i % 10 === 0 ? new Vec3(0, 1, 0) : v().unit();
      const [posA, quatA, posB, quatB] = [v(), i % 5 === 0 ? new Quaternion() : q(), v(), q()];
      const hullB = i % 3 === 0 ? tetra : stockB.convexPolyhedronRepresentation;
      const fastHullB = i % 3 === 0 ? tetra : fastB.convexPolyhedronRepresentation;
      const want = stockA.convexPolyhedronRepresentation.testSepAxis(axis, hullB, posA, quatA, posB, quatB);
      const got = fastA.convexPolyhedronRepresentation.testSepAxis(axis, fastHullB, posA, quatA, posB, quatB);
      expect(got).toBe(want);
      if (want !== false) overlapping++;
    }
    expect(overlapping).toBeGreaterThan(200);
  });
});
