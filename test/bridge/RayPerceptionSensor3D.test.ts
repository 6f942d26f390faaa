import { Body, Box, Plane, Quaternion, Sphere, Vec3, World } from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { AIController } from '../../bridge/agent/AIController.js';
import { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import { RayPerceptionSensor3D } from '../../bridge/sensors/RayPerceptionSensor3D.js';
import { rayAngles, rayPerceptionObservationSpec } from '../../bridge/sensors/RayPerceptionSettings.js';
import { TagRegistry } from '../../bridge/sensors/TagRegistry.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

const TAGS = ['goal', 'wall'];
const W = TAGS.length + 2; // floats per ray

function scene() {
  const world = new World();
  const tags = new TagRegistry();
  const agent = new Body({ mass: 1, shape: new Sphere(0.5), position: new Vec3(0, 0, 0) });
  world.addBody(agent);
  const box = (x: number, y: number, z: number, half: Vec3, tag?: string) => {
    const b = new Body({ mass: 0, shape: new Box(half), position: new Vec3(x, y, z) });
    world.addBody(b);
    if (tag) tags.set(b, tag);
    return b;
  };
  return { world, tags, agent, box };
}

/** The floats of ray `i` in a frame. */
const ray = (out: Float32Array, i: number) => Array.from(out.subarray(i * W, (i + 1) * W));

describe('RayPerceptionSensor3D', () => {
  it('orders rays as ML-Agents: center, then right/left pairs outwards', () => {
    expect(Array.from(rayAngles(3, 60))).toEqual([90, 70, 110, 50, 130, 30, 150]);
    expect(Array.from(rayAngles(0, 70))).toEqual([90]);
  });

  it('sizes the observation with ML-Agents\' formula (numTags + 2) * rays * stacks', () => {
    // Pyramids: 6 tags, 3 rays per direction -> 56; SoccerTwos: 264 forward + 72 backward.
    const pyramids = rayPerceptionObservationSpec({ name: 'rays', detectableTags: ['block', 'wall', 'goal', 'switchOff', 'switchOn', 'stone'] });
    expect(pyramids).toEqual({ name: 'rays', shape: [56], kind: 'rays' });
    const soccerTags = ['ball', 'ownGoal', 'opposingGoal', 'wall', 'teammate', 'opponent'];
    expect(rayPerceptionObservationSpec({ name: 'f', detectableTags: soccerTags, raysPerDirection: 5, maxRayDegrees: 60, observationStacks: 3 }).shape).toEqual([264]);
    expect(rayPerceptionObservationSpec({ name: 'b', detectableTags: soccerTags, raysPerDirection: 1, maxRayDegrees: 45, observationStacks: 3 }).shape).toEqual([72]);

    const { world, agent, tags } = scene();
    const sensor = new RayPerceptionSensor3D({ name: 'rays', detectableTags: TAGS, raysPerDirection: 2, world, body: agent, tags });
    expect(sensor.observationSpec.shape).toEqual([W * 5]);
    expect(sensor.perceive().length).toBe(W * 5);
  });

  it('hits a tagged box ahead at distance / rayLength with its tag one-hot; misses give flag 1, fraction 1', () => {
    const { world, agent, tags, box } = scene();
    box(0, 0, 10, new Vec3(0.5, 0.5, 0.5), 'wall'); // front face at z = 9.5
    const sensor = new RayPerceptionSensor3D({
      name: 'rays', detectableTags: TAGS, raysPerDirection: 1, maxRayDegrees: 45, rayLength: 20, sphereCastRadius: 0, world, body: agent, tags,
    });
    const out = sensor.perceive();
    expect(ray(out, 0)[0]).toBe(0);
    expect(ray(out, 0)[1]).toBe(1); // 'wall' is tag 1
    expect(ray(out, 0)[2]).toBe(0); // hit something
    expect(ray(out, 0)[3]).toBeCloseTo(9.5 / 20, 5);
    expect(ray(out, 1)).toEqual([0, 0, 1, 1]);
    expect(ray(out, 2)).toEqual([0, 0, 1, 1]);
    expect(sensor.rays[0]!.hasHit).toBe(true);
    expect(sensor.rays[0]!.hitPoint.z).toBeCloseTo(9.5, 4);
    expect(sensor.rays[0]!.end.z).toBeCloseTo(20, 4);
    expect(sensor.rays[1]!.hasHit).toBe(false);
  });

  it('puts ray 1 on the agent\'s right (-x for forward +z) and turns with the body', () => {
    const { world, agent, tags, box } = scene();
    box(-6, 0, 0, new Vec3(0.5, 2, 2), 'goal'); // right side, face at x = -5.5
    box(0, 0, 8, new Vec3(2, 2, 0.5)); // untagged, ahead, face at z = 7.5
    const sensor = new RayPerceptionSensor3D({
      name: 'rays', detectableTags: TAGS, raysPerDirection: 1, maxRayDegrees: 90, rayLength: 10, sphereCastRadius: 0, world, body: agent, tags,
    });
    let out = sensor.perceive();
    expect(ray(out, 0)).toEqual([0, 0, 0, expect.closeTo(0.75, 5)]); // untagged hit: no one-hot, hit flag 0
    expect(ray(out, 1)).toEqual([1, 0, 0, expect.closeTo(0.55, 5)]);
    expect(ray(out, 2)).toEqual([0, 0, 1, 1]);

    // A quarter turn to the left (+90 degrees about y) brings forward to +x and right to +z.
    agent.quaternion.setFromAxisAngle(new Vec3(0, 1, 0), Math.PI / 2);
    out = sensor.perceive();
    expect(ray(out, 0)).toEqual([0, 0, 1, 1]);
    expect(ray(out, 1)).toEqual([0, 0, 0, expect.closeTo(0.75, 5)]);
    expect(ray(out, 2)).toEqual([0, 0, 1, 1]);
    expect(sensor.rays[0]!.end.x).toBeCloseTo(10, 4);
  });

  it('never hits its own body, even a shape sticking out in front of the rays', () => {
    const { world, tags, box } = scene();
    const agent = new Body({ mass: 1 });
    agent.addShape(new Sphere(0.5));
    agent.addShape(new Box(new Vec3(0.5, 0.5, 0.5)), new Vec3(0, 0, 3));
    world.addBody(agent);
    tags.set(agent, 'wall');
    box(0, 0, 10, new Vec3(0.5, 0.5, 0.5), 'goal');
    const sensor = new RayPerceptionSensor3D({
      name: 'rays', detectableTags: TAGS, raysPerDirection: 0, rayLength: 20, sphereCastRadius: 0, world, body: agent, tags,
    });
    expect(ray(sensor.perceive(), 0)).toEqual([1, 0, 0, expect.closeTo(0.475, 5)]);
  });

  it('uses the offset ray length for the fraction and hits the ground with a downward end offset', () => {
    const { world, tags } = scene();
    const ground = new Body({ mass: 0, shape: new Plane() });
    ground.quaternion.setFromEuler(-Math.PI / 2, 0, 0); // normal +y
    world.addBody(ground);
    tags.set(ground, 'wall');
    const agent = new Body({ mass: 1, shape: new Sphere(0.2), position: new Vec3(0, 1, 0) });
    world.addBody(agent);
    const sensor = new RayPerceptionSensor3D({
      name: 'rays', detectableTags: TAGS, raysPerDirection: 0, rayLength: 4, endVerticalOffset: -2, sphereCastRadius: 0, world, body: agent, tags,
    });
    // Ray from (0,1,0) to (0,-1,4): it crosses y = 0 half way.
    expect(ray(sensor.perceive(), 0)).toEqual([0, 1, 0, expect.closeTo(0.5, 5)]);
    expect(sensor.rays[0]!.start.y).toBeCloseTo(1, 6);
    expect(sensor.rays[0]!.end.y).toBeCloseTo(-1, 6);
  });

  it('approximates sphere casts: a thin pole beside the ray is seen, a face ahead is reached r earlier', () => {
    const { world, agent, tags, box } = scene();
    box(0.45, 0, 10, new Vec3(0.1, 3, 0.1), 'goal'); // pole beside the center line, x 0.35..0.55 (agent's left)
    const settings = { name: 'rays', detectableTags: TAGS, raysPerDirection: 0, rayLength: 20, world, body: agent, tags };
    expect(ray(new RayPerceptionSensor3D({ ...settings, sphereCastRadius: 0 }).perceive(), 0)).toEqual([0, 0, 1, 1]);
    const thick = ray(new RayPerceptionSensor3D({ ...settings, sphereCastRadius: 0.5 }).perceive(), 0);
    expect(thick.slice(0, 3)).toEqual([1, 0, 0]);
    expect(thick[3]).toBeCloseTo(9.9 / 20, 5);

    const { world: w2, agent: a2, tags: t2, box: box2 } = scene();
    box2(0, 0, 10, new Vec3(3, 3, 0.5), 'wall');
    const wall = new RayPerceptionSensor3D({ ...settings, world: w2, body: a2, tags: t2, sphereCastRadius: 0.5 });
    expect(ray(wall.perceive(), 0)[3]).toBeCloseTo((9.5 - 0.5) / 20, 5);
  });

  it('stacks results oldest first with zeros before, and resets when the agent starts an episode', () => {
    const { world, agent, tags, box } = scene();
    const target = box(0, 0, 5, new Vec3(0.5, 0.5, 0.5), 'goal');
    class Probe extends AIController {
      readonly behavior: BehaviorSpec = { name: 'P', observations: [], actions: { continuous: 1, discrete: [] }, teamCount: 1, maxStep: 0 };
      collectObservations(): void {}
      onActionReceived(): void {}
    }
    const probe = new Probe();
    const sensor = new RayPerceptionSensor3D({
      name: 'rays', detectableTags: TAGS, raysPerDirection: 0, rayLength: 10, sphereCastRadius: 0, observationStacks: 3, world, body: agent, tags, agent: probe,
    });
    expect(sensor.observationSpec.shape).toEqual([3 * W]);
    let out = Array.from(sensor.perceive());
    expect(out.slice(0, 2 * W)).toEqual(new Array(2 * W).fill(0));
    expect(out.slice(2 * W)).toEqual([1, 0, 0, expect.closeTo(0.45, 5)]);

    target.position.set(0, 0, 8);
    target.aabbNeedsUpdate = true; // teleported static body (see the sensor's header)
    out = Array.from(sensor.perceive());
    expect(out.slice(W, 2 * W)).toEqual([1, 0, 0, expect.closeTo(0.45, 5)]);
    expect(out.slice(2 * W)).toEqual([1, 0, 0, expect.closeTo(0.75, 5)]);

    probe._episodeCount++; // what Sync does when the agent restarts
    out = Array.from(sensor.perceive());
    expect(out.slice(0, 2 * W)).toEqual(new Array(2 * W).fill(0));
    expect(out.slice(2 * W)).toEqual([1, 0, 0, expect.closeTo(0.75, 5)]);

    sensor.reset();
    const oncePushed = Array.from(sensor.perceive());
    expect(oncePushed.slice(0, 2 * W)).toEqual(new Array(2 * W).fill(0));
  });

  it('writes into the agent\'s observation by name and honours a local rotation (rays looking back)', () => {
    const { world, agent, tags, box } = scene();
    box(0, 0, -4, new Vec3(0.5, 0.5, 0.5), 'wall');
    const back = new RayPerceptionSensor3D({
      name: 'back', detectableTags: TAGS, raysPerDirection: 0, rayLength: 10, sphereCastRadius: 0, world, body: agent, tags,
      localRotation: new Quaternion().setFromAxisAngle(new Vec3(0, 1, 0), Math.PI),
    });
    const spec: BehaviorSpec = { name: 'B', observations: [back.observationSpec], actions: { continuous: 1, discrete: [] }, teamCount: 1, maxStep: 0 };
    const writer = new ObservationWriter(spec);
    back.write(writer);
    writer.checkComplete();
    expect(Array.from(writer.buffers[0]!)).toEqual([0, 1, 0, expect.closeTo(0.35, 5)]);
  });

  it('rejects bad settings naming the field', () => {
    const { world, agent } = scene();
    expect(() => new RayPerceptionSensor3D({ name: 'r', detectableTags: ['a'], raysPerDirection: 51, world, body: agent })).toThrow(
      /raysPerDirection: expected an integer in 0..50, got 51/,
    );
    expect(() => new RayPerceptionSensor3D({ name: 'r', detectableTags: ['a', 'a'], world, body: agent })).toThrow(/detectableTags\[1\]/);
    expect(() => new RayPerceptionSensor3D({ name: 'r', detectableTags: [], rayLength: 0, world, body: agent })).toThrow(/rayLength/);
  });
});
