import { Body, Box, Quaternion, RAY_MODES, Ray, RaycastResult, Sphere, Vec3, World, type Shape } from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { BoxRayCaster } from '../../bridge/sensors/BoxRayCaster.js';

/** What cannon-es' Ray.intersectWorld finds for each origin in turn, nearest first-come, as the sensor used to cast. */
function cannonCast(world: World, origins: Float64Array, count: number, dir: Vec3, length: number, ignored: Set<Body>, mask: number) {
  const best = { distance: Infinity, body: null as Body | null, shape: null as Shape | null };
  const ray = new Ray();
  for (let s = 0; s < count; s++) {
    const from = new Vec3(origins[3 * s]!, origins[3 * s + 1]!, origins[3 * s + 2]!);
    const to = from.vadd(dir.scale(length));
    ray.intersectWorld(world, {
      mode: RAY_MODES.ALL, from, to, result: new RaycastResult(), skipBackfaces: true, collisionFilterMask: mask, checkCollisionResponse: false,
      callback: (r) => {
        if (r.distance < best.distance && r.body && !ignored.has(r.body)) Object.assign(best, { distance: r.distance, body: r.body, shape: r.shape });
      },
    });
  }
  return best;
}

function randomQuaternion(rng: SeededRandom): Quaternion {
  return new Quaternion(rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)).normalize();
}

describe('BoxRayCaster', () => {
  it('finds what cannon-es ray casts find among turned boxes (offset shapes, filters, origins inside boxes)', () => {
    const rng = new SeededRandom(11);
    const world = new World();
    const ignored = new Set<Body>();
    for (let i = 0; i < 80; i++) {
      const body = new Body({
        mass: i % 3 === 0 ? 0 : 1,
        position: new Vec3(rng.range(-10, 10), rng.range(-3, 3), rng.range(-10, 10)),
        quaternion: randomQuaternion(rng),
        collisionFilterGroup: i % 7 === 0 ? 2 : 1,
      });
      body.addShape(new Box(new Vec3(rng.range(0.2, 2), rng.range(0.2, 2), rng.range(0.2, 2))));
      if (i % 4 === 0) body.addShape(new Box(new Vec3(0.5, 0.5, 0.5)), new Vec3(rng.range(-1, 1), 1, 0), randomQuaternion(rng));
      if (i % 9 === 0) ignored.add(body);
      world.addBody(body);
    }
    const mask = 1;
    const caster = new BoxRayCaster(world, { ignored, collisionFilterMask: mask, checkCollisionResponse: false });
    const origins = new Float64Array(15);
    let hits = 0;
    for (let k = 0; k < 400; k++) {
      const count = k % 2 === 0 ? 5 : 1;
      for (let i = 0; i < 3 * count; i++) origins[i] = rng.range(-12, 12);
      const dir = new Vec3(rng.range(-1, 1), rng.range(-0.3, 0.3), rng.range(-1, 1));
      dir.normalize();
      const length = rng.range(1, 30);
      expect(caster.cast(origins, count, dir, length)).toBe(true);
      const want = cannonCast(world, origins, count, dir, length, ignored, mask);
      expect(caster.bestBody).toBe(want.body);
      expect(caster.bestShape).toBe(want.shape);
      if (want.body) {
        hits++;
        expect(caster.bestDistance).toBeCloseTo(want.distance, 9);
      } else expect(caster.bestDistance).toBe(Infinity);
    }
    expect(hits).toBeGreaterThan(120);
  });

  it('leaves worlds with other shapes in reach to cannon-es (returns false)', () => {
    const world = new World();
    world.addBody(new Body({ mass: 0, shape: new Sphere(1), position: new Vec3(0, 0, 5) }));
    const caster = new BoxRayCaster(world, { ignored: new Set(), collisionFilterMask: -1, checkCollisionResponse: true });
    expect(caster.cast(new Float64Array([0, 0, 0]), 1, new Vec3(0, 0, 1), 10)).toBe(false);
    expect(caster.bestBody).toBeNull();
  });
});
