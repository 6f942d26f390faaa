import { Vec3 } from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { emptyAction } from '../../bridge/agent/AgentAction.js';
import { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import { StatsRecorder } from '../../bridge/game/StatsRecorder.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { checkBehaviorSpec, totalObservationSize } from '../../bridge/spec/BehaviorSpec.js';
import pyramidsModule from '../../sample-games/pyramids/index.js';
import { spawnCellCentres } from '../../sample-games/pyramids/PyramidsLayout.js';
import {
  PYRAMIDS_DECISION_PERIOD,
  PYRAMIDS_SWITCH_STAT,
  PYRAMIDS_TAGS,
  PyramidsAction,
  createPyramidsGame,
  pyramidsBehavior,
  pyramidsRaySensors,
  pyramidsRules,
  type PyramidsArea,
  type PyramidsTag,
} from '../../sample-games/pyramids/sim.js';
import { LockstepDriver, type DecideFn } from './LockstepDriver.js';

/** One area whose agent repeats `scene.action`, with every pyramid taken away for a clean stage. */
function stage(seed = 1, clear = true, stats?: StatsRecorder) {
  const game = createPyramidsGame({ areas: 1, seed, parameters: {}, ...(stats ? { stats } : {}) });
  const scene = { action: PyramidsAction.nothing as number };
  const decide: DecideFn = (_agent, _obs, out) => {
    out.discrete[0] = scene.action;
  };
  const driver = new LockstepDriver(game, decide);
  const area = game.areas[0]!;
  if (clear) for (const p of area.stonePyramids) p.remove();
  return { game, area, agent: game.agents[0]!, driver, scene };
}

/** Puts the agent on the floor at (x, z), at rest, turned `degrees` to the left of +z. */
function putAgent(area: PyramidsArea, x: number, z: number, degrees = 0): void {
  const a = area.agent;
  a.position.set(x, 0.5, z);
  a.velocity.setZero();
  a.quaternion.setFromAxisAngle(new Vec3(0, 1, 0), (degrees * Math.PI) / 180);
  a.aabbNeedsUpdate = true;
}

const FLOATS_PER_RAY = PYRAMIDS_TAGS.length + 2;

/** The tag ray `ray` of sensor `sensor` reports (null: hit nothing or something untagged) and its hit fraction. */
function rayHit(frame: Float32Array, ray: number): { tag: PyramidsTag | null; hit: boolean; fraction: number } {
  const at = ray * FLOATS_PER_RAY;
  const oneHot = Array.from(frame.subarray(at, at + PYRAMIDS_TAGS.length));
  const i = oneHot.indexOf(1);
  expect(oneHot.filter((v) => v !== 0).length).toBeLessThanOrEqual(1);
  return { tag: i < 0 ? null : PYRAMIDS_TAGS[i]!, hit: frame[at + PYRAMIDS_TAGS.length] === 0, fraction: frame[at + PYRAMIDS_TAGS.length + 1]! };
}

describe('Pyramids', () => {
  it("declares ML-Agents' spec: three 56-float ray sensors then 4 vector floats (172), one branch of 5, MaxStep 5000", () => {
    expect(checkBehaviorSpec(pyramidsBehavior)).toBe(pyramidsBehavior);
    expect(pyramidsBehavior.name).toBe('Pyramids');
    expect(totalObservationSize(pyramidsBehavior)).toBe(172);
    expect(pyramidsBehavior.observations.map((o) => [o.name, o.shape, o.kind])).toEqual([
      ['RayPerceptionSensor', [56], 'rays'],
      ['RayPerceptionSensor1', [56], 'rays'],
      ['RayPerceptionSensor2', [56], 'rays'],
      ['VectorSensor_size4', [4], 'vector'],
    ]);
    // ML-Agents orders an agent's sensors by name: this order is its ONNX inputs obs_0 .. obs_3.
    const names = pyramidsBehavior.observations.map((o) => o.name);
    expect([...names].sort()).toEqual(names);
    expect(pyramidsRaySensors.map((s) => [s.maxRayDegrees, s.endVerticalOffset, s.startVerticalOffset, s.rayLength, s.sphereCastRadius, s.raysPerDirection])).toEqual([
      [70, 0, 0, 35, 0.5, 3],
      [65, 5, 0, 35, 0.5, 3],
      [75, 10, 0, 35, 0.5, 3],
    ]);
    for (const s of pyramidsRaySensors) expect(s.detectableTags).toEqual(['block', 'wall', 'goal', 'switchOff', 'switchOn', 'stone']);
    expect(pyramidsBehavior.actions).toEqual({ continuous: 0, discrete: [5] });
    expect(pyramidsBehavior.maxStep).toBe(5000);
    expect(pyramidsModule.name).toBe('pyramids');
    expect(pyramidsModule.behaviors).toEqual([pyramidsBehavior]);
    const game = pyramidsModule.create({ areas: 3, seed: 1, parameters: {} });
    expect(game.fixedDeltaTime).toBe(0.02);
    expect(game.agents).toHaveLength(3);
    for (const a of game.agents) {
      expect(a.behavior).toBe(pyramidsBehavior);
      expect(a.decisionPeriod).toBe(PYRAMIDS_DECISION_PERIOD);
      expect(PYRAMIDS_DECISION_PERIOD).toBe(5);
      expect(a.takeActionsBetweenDecisions).toBe(true);
    }
  });

  it('starts episodes as OnEpisodeBegin: agent, switch, slot and six stone pyramids in nine different cells, switch off', () => {
    const game = createPyramidsGame({ areas: 6, seed: 4, parameters: {} });
    new LockstepDriver(game, () => {}).run(1);
    const range = pyramidsRules.spawnCellScale / pyramidsRules.spawnSpreadDivisor;
    const cellOf = (x: number, z: number) => {
      const i = spawnCellCentres.findIndex((c) => Math.abs(x - c.x) <= range + 2.5 && Math.abs(z - c.z) <= range + 2.5);
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    for (const area of game.areas) {
      expect(area.switchOn).toBe(false);
      expect(area.brickPyramid.present).toBe(false);
      expect(area.agent.position.y).toBeGreaterThan(0.5); // dropped from 2 m, still falling
      const cells = [
        cellOf(area.agent.position.x, area.agent.position.z),
        cellOf(area.switchBody.position.x, area.switchBody.position.z),
        area.pyramidSlotCell,
        ...area.stonePyramids.map((p) => {
          expect(p.present).toBe(true);
          expect(p.bodies).toHaveLength(25);
          // The root lies at the cubes' centre give or take the prefab's offsets.
          const xs = p.bodies.map((b) => b.position.x);
          const zs = p.bodies.map((b) => b.position.z);
          return cellOf((Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...zs) + Math.max(...zs)) / 2);
        }),
      ];
      expect(new Set(cells).size).toBe(9);
      expect(area.switchBody.position.y).toBe(pyramidsRules.switchSize / 2);
    }
    // Different areas start differently.
    expect(new Set(game.areas.map((a) => a.agent.position.x)).size).toBe(6);
  });

  it('observes 172 floats: rays, then switch state and the velocity in the agent frame (right, up, forward)', () => {
    const { area, driver, agent } = stage(2);
    const writer = new ObservationWriter(pyramidsBehavior);
    const observe = () => {
      writer.reset();
      agent.collectObservations(writer);
      writer.checkComplete();
      return writer.buffers.flatMap((b) => Array.from(b));
    };
    putAgent(area, 0, -30);
    driver.run(30); // settle on the floor
    area.agent.velocity.set(0, 0, 5); // forward: the agent faces +z
    let obs = observe();
    expect(obs).toHaveLength(172);
    expect(obs.slice(168)).toEqual([0, 0, 0, 5]);
    // The agent's right is -x in this frame (Unity's +x): speed to the right reads positive.
    area.agent.velocity.set(-3, 0, 0);
    expect(observe().slice(168)).toEqual([0, 3, 0, 0]);
    // Turned 90 degrees right, the same world velocity is straight ahead.
    area.agent.quaternion.setFromAxisAngle(new Vec3(0, 1, 0), -Math.PI / 2);
    obs = observe();
    expect(obs[169]).toBeCloseTo(0, 6);
    expect(obs[171]).toBeCloseTo(3, 6);
    area.pressSwitch();
    expect(observe()[168]).toBe(1);
  });

  it('moves as PyramidAgent: +2 m/s per step along the facing, 4 degrees per step, drag 2 (about 45 m/s flat out)', () => {
    const { area, driver, scene } = stage(3);
    putAgent(area, 0, -42);
    driver.run(10);
    putAgent(area, 0, -42);
    scene.action = PyramidsAction.forward;
    driver.run(1);
    // One step: +2, minus friction (0.6 g dt), times (1 - drag dt).
    const stepGain = (v: number) => (v + 2 - 0.6 * 9.81 * 0.02) * (1 - 2 * 0.02);
    expect(area.agent.velocity.z).toBeCloseTo(stepGain(0), 1);
    driver.run(79);
    let expected = 0;
    for (let i = 0; i < 80; i++) expected = stepGain(expected);
    expect(area.agent.velocity.z).toBeGreaterThan(0.95 * expected);
    expect(area.agent.velocity.z).toBeLessThan(1.05 * expected);
    expect(expected).toBeGreaterThan(40);
    expect(Math.abs(area.agent.velocity.x)).toBeLessThan(1e-6);

    // Turning right: 4 degrees per step, towards -x (the agent's right).
    putAgent(area, 0, 0);
    scene.action = PyramidsAction.turnRight;
    driver.run(10);
    const forward = area.agent.quaternion.vmult(new Vec3(0, 0, 1));
    expect(forward.x).toBeCloseTo(-Math.sin((40 * Math.PI) / 180), 6);
    expect(forward.z).toBeCloseTo(Math.cos((40 * Math.PI) / 180), 6);
    scene.action = PyramidsAction.turnLeft;
    driver.run(10);
    expect(area.agent.quaternion.vmult(new Vec3(0, 0, 1)).z).toBeCloseTo(1, 6);
  });

  it('rays report the six tags, see right on the right (rays 1, 3, 5), never the floor, and stop at walls', () => {
    const { area, driver, agent } = stage(5);
    const look = (sensor = 0) => agent.sensors[sensor]!.perceive();
    // Centre room, facing +z through the door: nothing within 35 m, and the floor is not seen.
    putAgent(area, 0, 0);
    driver.step();
    for (const ray of [0, 1, 2]) expect(rayHit(look(), ray)).toEqual({ tag: null, hit: false, fraction: 1 });
    // Facing the outer wall 6 m away.
    putAgent(area, 0, 43);
    let hit = rayHit(look(), 0);
    expect(hit.tag).toBe('wall');
    expect(hit.fraction).toBeGreaterThan(4.5 / 35);
    expect(hit.fraction).toBeLessThan(6.5 / 35);
    // A stone pyramid ahead.
    putAgent(area, 0, -40);
    area.stonePyramids[0]!.place({ x: 0.5, y: 0, z: -32 });
    expect(rayHit(look(), 0).tag).toBe('stone');
    area.stonePyramids[0]!.remove();
    // The switch on the agent's right (-x), off then on.
    putAgent(area, 0, -30);
    area.switchBody.position.set(-8, 2, -27);
    area.switchBody.aabbNeedsUpdate = true;
    const right = look();
    expect(rayHit(right, 5).tag).toBe('switchOff');
    for (const ray of [2, 4, 6]) expect(rayHit(right, ray).tag).not.toBe('switchOff');
    area.pressSwitch();
    expect(rayHit(look(), 5).tag).toBe('switchOn');
    // The brick pyramid ahead ...
    putAgent(area, 30, -40);
    area.brickPyramid.place({ x: 30.5, y: 0, z: -32 });
    expect(rayHit(look(), 0).tag).toBe('block');
    // ... and its gold brick on the floor to the agent's left (+x).
    putAgent(area, -30, 30);
    const goal = area.brickPyramid.goal!;
    area.brickPyramid.activate();
    goal.position.set(-24, 1, 32);
    goal.wakeUp();
    driver.step();
    const left = look();
    expect(rayHit(left, 6).tag).toBe('goal');
    for (const ray of [1, 3, 5]) expect(rayHit(left, ray).tag).not.toBe('goal');
    // The third sensor looks up (end 10 m higher): it passes over a wall the first one hits.
    putAgent(area, 0, 25);
    expect(rayHit(look(0), 0).tag).toBe('wall');
    expect(rayHit(look(2), 0)).toEqual({ tag: null, hit: false, fraction: 1 });
  });

  it('touching the switch turns it on and raises the brick pyramid once, in the slot cell, with the gold brick on top', () => {
    const { area, driver, scene } = stage(6, false);
    const sw = area.switchBody.position;
    putAgent(area, sw.x, sw.z - 6);
    scene.action = PyramidsAction.forward;
    driver.run(40);
    expect(area.switchOn).toBe(true);
    expect(driver.reports.at(-1)!.obs[168]).toBe(1);
    const pyramid = area.brickPyramid;
    expect(pyramid.present).toBe(true);
    expect(pyramid.bodies).toHaveLength(26);
    const goal = pyramid.goal!;
    expect(goal.position.y).toBeCloseTo(5, 6);
    const slot = spawnCellCentres[area.pyramidSlotCell]!;
    const range = pyramidsRules.spawnCellScale / pyramidsRules.spawnSpreadDivisor;
    expect(Math.abs(goal.position.x - slot.x)).toBeLessThan(range + 2);
    expect(Math.abs(goal.position.z - slot.z)).toBeLessThan(range + 2);
    // Pressing on never makes a second pyramid.
    const where = pyramid.bodies.map((b) => b.position.clone());
    putAgent(area, sw.x, sw.z - 6);
    driver.run(60);
    pyramid.bodies.forEach((b, i) => expect(b.position.distanceTo(where[i]!)).toBe(0));
    expect(driver.episodes).toHaveLength(0);
  });

  it('touching the gold brick gives exactly +2 for the step and ends the episode (not interrupted)', () => {
    const stats = new StatsRecorder();
    const { area, driver, scene, agent } = stage(7, true, stats);
    area.pressSwitch();
    area.brickPyramid.activate();
    putAgent(area, 0, -30);
    area.brickPyramid.goal!.position.set(0, 1, -24);
    area.brickPyramid.goal!.wakeUp();
    scene.action = PyramidsAction.forward;
    let steps = 0;
    while (driver.episodes.length === 0 && steps < 200) {
      driver.step();
      steps++;
    }
    expect(driver.episodes).toHaveLength(1);
    const [episode] = driver.episodes;
    expect(episode!.interrupted).toBe(false);
    const terminal = driver.reports.find((r) => r.kind === 'terminal')!;
    expect(terminal.reward).toBe(2);
    // Every earlier decision carried -1/5000 per step.
    const penalties = (episode!.steps - (episode!.steps % 5 || 5)) / 5000;
    expect(episode!.reward).toBeCloseTo(2 - penalties, 9);
    // The next episode starts over: switch off, no brick pyramid.
    expect(area.switchOn).toBe(false);
    expect(area.brickPyramid.present).toBe(false);
    expect(agent.completedEpisodes).toBe(1);
    // The finished episode reports that the switch was pressed; the first one began with no report.
    expect(stats.takeAverages()).toEqual({ [PYRAMIDS_SWITCH_STAT]: 1 });
  });

  it('the step penalty sums to -1 over the 5000-step episode, which is then interrupted', () => {
    const stats = new StatsRecorder();
    const { driver } = stage(8, false, stats);
    driver.run(5001);
    expect(stats.takeAverages()).toEqual({ [PYRAMIDS_SWITCH_STAT]: 0 });
    expect(driver.episodes).toHaveLength(1);
    expect(driver.episodes[0]!.steps).toBe(5000);
    expect(driver.episodes[0]!.interrupted).toBe(true);
    expect(driver.episodes[0]!.reward).toBeCloseTo(-1, 9);
  });

  it('bricks topple when rammed: the gold brick falls from 5 m; left alone the pyramid stands and sleeps', () => {
    const { area, driver, scene } = stage(9);
    area.pressSwitch();
    const pyramid = area.brickPyramid;
    pyramid.place({ x: 0.5, y: 0, z: -20 });
    // Woken but untouched, it stands: the gold brick stays on top.
    pyramid.activate();
    pyramid.bodies[0]!.wakeUp();
    putAgent(area, 30, 30);
    driver.run(150);
    expect(pyramid.goal!.position.y).toBeGreaterThan(4.8);
    expect(pyramid.asleep).toBe(true);
    // Rammed at speed from 20 m away.
    const before = pyramid.bodies.map((b) => b.position.clone());
    putAgent(area, 0, -42);
    scene.action = PyramidsAction.forward;
    driver.run(60);
    scene.action = PyramidsAction.nothing;
    driver.run(100);
    expect(pyramid.goal!.position.y).toBeLessThan(2.5);
    const moved = pyramid.bodies.filter((b, i) => b.position.distanceTo(before[i]!) > 1).length;
    expect(moved).toBeGreaterThan(10);
    // Nothing sinks into the floor, and the heap comes to rest.
    for (const b of pyramid.bodies) expect(b.position.y).toBeGreaterThan(0.4);
    driver.run(400);
    expect(pyramid.asleep).toBe(true);
  });

  it('is deterministic for a seed and an action sequence, and the seed matters', () => {
    const play = (gameSeed: number, actionSeed: number) => {
      const rng = new SeededRandom(actionSeed);
      const game = createPyramidsGame({ areas: 2, seed: gameSeed, parameters: {} });
      return new LockstepDriver(game, (_a, _o, out) => {
        out.discrete[0] = rng.int(5);
      }).run(300).reports;
    };
    const a = play(7, 1);
    expect(play(7, 1)).toEqual(a);
    expect(play(8, 1)).not.toEqual(a);
    expect(play(7, 2)).not.toEqual(a);
  });

  it('reports bad actions and options with the field and the fix', () => {
    const game = createPyramidsGame({ areas: 1, seed: 0, parameters: {} });
    const action = emptyAction(pyramidsBehavior.actions);
    action.discrete[0] = 5;
    expect(() => game.agents[0]!.onActionReceived(action)).toThrow(/the discrete action must be 0\.\.4 \(nothing, forward, back, right, left\), got 5/);
    expect(() => createPyramidsGame({ areas: 0, seed: 0, parameters: {} })).toThrow(/pyramids: options.areas must be an integer >= 1/);
  });

  it("maps keys as PyramidAgent.Heuristic: D (right) before W, A, S", () => {
    const agent = createPyramidsGame({ areas: 1, seed: 0, parameters: {} }).agents[0]!;
    const held = new Set<string>();
    agent.manualInput = { forward: () => held.has('w'), back: () => held.has('s'), left: () => held.has('a'), right: () => held.has('d') };
    const press = (...keys: string[]) => {
      held.clear();
      for (const k of keys) held.add(k);
      const out = emptyAction(pyramidsBehavior.actions);
      agent.heuristic(out);
      return out.discrete[0];
    };
    expect(press()).toBe(PyramidsAction.nothing);
    expect(press('w')).toBe(PyramidsAction.forward);
    expect(press('s')).toBe(PyramidsAction.back);
    expect(press('a')).toBe(PyramidsAction.turnLeft);
    expect(press('d', 'w')).toBe(PyramidsAction.turnRight);
    expect(press('w', 'a')).toBe(PyramidsAction.forward);
  });
});
