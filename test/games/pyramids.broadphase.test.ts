import { AABB, Body, Box, Plane, Vec3, World, type BodyType } from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { ClusterBroadphase } from '../../sample-games/pyramids/ClusterBroadphase.js';

/** A world of loose boxes and three clusters of boxes, some asleep, some out of the world. */
function scene(broadphase: ClusterBroadphase, seed: number) {
  const rng = new SeededRandom(seed);
  const world = new World({ broadphase });
  const floor = new Body({ type: Body.STATIC, shape: new Plane() });
  floor.quaternion.setFromAxisAngle(new Vec3(1, 0, 0), -Math.PI / 2);
  floor.aabbNeedsUpdate = true;
  world.addBody(floor);
  const box = (x: number, z: number, type: BodyType = Body.DYNAMIC) => {
    const b = new Body({ mass: type === Body.DYNAMIC ? 1 : 0, type, shape: new Box(new Vec3(0.5, 0.5, 0.5)), position: new Vec3(x, rng.range(0.3, 1.5), z) });
    if (rng.next() < 0.5) b.sleep();
    return b;
  };
  const loose = Array.from({ length: 12 }, () => box(rng.range(-6, 6), rng.range(-6, 6), rng.next() < 0.3 ? Body.STATIC : Body.DYNAMIC));
  for (const b of loose) world.addBody(b);
  const clusters = [0, 1, 2].map((c) => Array.from({ length: 8 }, () => box(c * 4 - 4 + rng.range(-1.5, 1.5), rng.range(-1.5, 1.5))));
  const outOfWorld = clusters[2]!;
  for (const members of clusters.slice(0, 2)) for (const b of members) world.addBody(b);
  return { world, loose, clusters, outOfWorld };
}

const pairKey = (a: Body, b: Body) => (a.id < b.id ? `${a.id}-${b.id}` : `${b.id}-${a.id}`);

describe('ClusterBroadphase', () => {
  it('finds the pairs a brute-force AABB test finds, once each, skipping resting pairs', () => {
    for (const seed of [1, 2, 3]) {
      const broadphase = new ClusterBroadphase();
      const { world, clusters } = scene(broadphase, seed);
      for (const members of clusters) broadphase.addCluster(members);
      const p1: Body[] = [];
      const p2: Body[] = [];
      broadphase.collisionPairs(world, p1, p2);
      const found = p1.map((a, i) => pairKey(a, p2[i]!));
      expect(new Set(found).size).toBe(found.length);

      const expected: string[] = [];
      const bodies = world.bodies;
      for (const b of bodies) b.updateAABB();
      for (let i = 0; i < bodies.length; i++) {
        for (let j = i + 1; j < bodies.length; j++) {
          const [a, b] = [bodies[i]!, bodies[j]!];
          if (broadphase.needBroadphaseCollision(a, b) && a.aabb.overlaps(b.aabb)) expected.push(pairKey(a, b));
        }
      }
      expect(expected.length).toBeGreaterThan(3);
      expect([...found].sort()).toEqual([...expected].sort());
    }
  });

  it('answers AABB queries (ray casts) with members of visible clusters, in the world or not', () => {
    const broadphase = new ClusterBroadphase();
    const { world, loose, clusters, outOfWorld } = scene(broadphase, 4);
    const handles = clusters.map((members) => broadphase.addCluster(members));
    const query = new AABB({ lowerBound: new Vec3(-8, 0, -3), upperBound: new Vec3(8, 2, 3) });
    const expected = (visibleClusters: Body[][]) =>
      [world.bodies[0]!, ...loose, ...visibleClusters.flat()].filter((b) => (b.updateAABB(), b.aabb.overlaps(query))).map((b) => b.id).sort();
    const ids = () => broadphase.aabbQuery(world, query, []).map((b) => b.id).sort();
    expect(ids()).toEqual(expected(clusters));
    expect(ids().some((id) => outOfWorld.some((b) => b.id === id))).toBe(true);
    handles[2]!.visible = false;
    expect(ids()).toEqual(expected(clusters.slice(0, 2)));
    // A teleported member is found where it now is once the cluster is invalidated.
    const moved = clusters[0]![0]!;
    moved.position.set(30, 1, 30);
    moved.aabbNeedsUpdate = true;
    handles[0]!.invalidate();
    const far = new AABB({ lowerBound: new Vec3(29, 0, 29), upperBound: new Vec3(31, 2, 31) });
    expect(broadphase.aabbQuery(world, far, []).map((b) => b.id)).toContain(moved.id);
  });
});
