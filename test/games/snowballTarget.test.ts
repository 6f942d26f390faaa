import { Quaternion, Vec3 } from 'cannon-es';
import { describe, expect, it } from 'vitest';
import { emptyAction } from '../../bridge/agent/AgentAction.js';
import { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { checkBehaviorSpec, observationSize } from '../../bridge/spec/BehaviorSpec.js';
import { findBuiltInGame } from '../../sample-games/registry.js';
import snowballModule from '../../sample-games/snowball-target/index.js';
import {
  CAN_SHOOT_OBSERVATION,
  SNOWBALL_DECISION_PERIOD,
  SNOWBALL_FIXED_DELTA_TIME,
  SnowballTargetGame,
  createSnowballTargetGame,
  snowballRaySensors,
  snowballRules as R,
  snowballTargetBehavior,
  type SnowballAgent,
  type SnowballArea,
} from '../../sample-games/snowball-target/sim.js';

type Decide = (agent: SnowballAgent, obs: readonly Float32Array[], out: Int32Array) => void;

const UP = new Vec3(0, 1, 0);
const DEG = Math.PI / 180;
const COOLDOWN_STEPS = Math.round(R.shotCooldown / SNOWBALL_FIXED_DELTA_TIME);
const obsIndex = (name: string) => snowballTargetBehavior.observations.findIndex((o) => o.name === name);

/**
 * Plays whole steps the way Sync does (decisions every 5 steps, actions repeated in between,
 * maxStep interrupts), keeping only what the tests look at: rewards per step, episode returns and,
 * when asked, every observation.
 */
function play(game: SnowballTargetGame, steps: number, decide: Decide, keepObservations = false) {
  const writers = game.agents.map((a) => new ObservationWriter(a.behavior));
  const returns: number[] = [];
  const rewards: number[] = [];
  const observations: number[][] = [];
  game.agents.forEach((a, i) => {
    a._agentId = i;
    a.onEpisodeBegin();
  });
  for (let s = 0; s < steps; s++) {
    game.agents.forEach((a, i) => {
      if (a._done) {
        returns.push(a._cumulativeReward);
        a._done = false;
        a._stepCount = 0;
        a._cumulativeReward = 0;
        a._episodeCount++;
        a.onEpisodeBegin();
      }
      if (a._stepCount % a.decisionPeriod === 0) {
        const w = writers[i]!;
        w.reset();
        a.collectObservations(w);
        w.checkComplete();
        if (keepObservations) observations.push(w.buffers.flatMap((b) => Array.from(b)));
        const action = emptyAction(a.behavior.actions);
        decide(a, w.buffers, action.discrete);
        a._action = action;
      }
      a.onActionReceived(a.currentAction);
    });
    const before = game.agents.map((a) => a._cumulativeReward);
    game.step();
    game.agents.forEach((a, i) => {
      rewards.push(a._cumulativeReward - before[i]!);
      a._stepCount++;
      if (a._stepCount >= a.maxStep) a.episodeInterrupted();
    });
  }
  return { returns, rewards, observations };
}

const randomPlayer = (seed: number): Decide => {
  const rng = new SeededRandom(seed);
  return (_a, _obs, out) => {
    out[0] = rng.int(3);
    out[1] = rng.int(3);
    out[2] = rng.int(2);
  };
};

const scripted: Decide = (agent, _obs, out) => agent.heuristic({ continuous: new Float32Array(0), discrete: out });
/** The last of a sensor's 3 stacked frames (ML-Agents stacks oldest first). */
const newestFrame = (stacked: Float32Array) => stacked.subarray((stacked.length * 2) / 3);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One arena with the bear at (x, z) facing `heading` degrees (0 = +z) and every target moved to `targets`. */
function stage(x: number, z: number, heading: number, targets: [number, number][]): { game: SnowballTargetGame; area: SnowballArea; agent: SnowballAgent } {
  const game = createSnowballTargetGame({ areas: 1, seed: 11, parameters: {} });
  const area = game.areas[0]!;
  const agent = game.agents[0]!;
  agent.onEpisodeBegin();
  area.bear.position.set(x, R.bearRadius, z);
  area.bear.quaternion.copy(new Quaternion().setFromAxisAngle(UP, heading * DEG));
  area.targets.forEach((t, i) => {
    const [tx, tz] = targets[i] ?? [targets[0]![0], targets[0]![1]];
    t.body.position.set(tx, R.targetHeight, tz);
    t.body.aabbNeedsUpdate = true;
  });
  return { game, area, agent };
}

/** Steps one arena with a fixed action, returning the reward of every step. */
function hold(game: SnowballTargetGame, steps: number, move: number, turn: number, shoot: boolean): number[] {
  const agent = game.agents[0]!;
  const rewards: number[] = [];
  for (let s = 0; s < steps; s++) {
    const before = agent.cumulativeReward;
    game.areas[0]!.act(move, turn, shoot);
    game.step();
    rewards.push(agent.cumulativeReward - before);
  }
  return rewards;
}

describe('SnowballTarget', () => {
  it("declares the course model's inputs (27, 99, 99, 3, 132), branches [3, 3, 2] and 1000 decisions of 5 steps", () => {
    expect(checkBehaviorSpec(snowballTargetBehavior)).toBe(snowballTargetBehavior);
    expect(snowballTargetBehavior.name).toBe('SnowballTarget');
    expect(snowballTargetBehavior.observations.map(observationSize)).toEqual([27, 99, 99, 3, 132]);
    expect(snowballTargetBehavior.observations.map((o) => o.kind)).toEqual(['rays', 'rays', 'rays', 'vector', 'rays']);
    expect(snowballTargetBehavior.actions).toEqual({ continuous: 0, discrete: [3, 3, 2] });
    expect(snowballTargetBehavior.maxStep).toBe(1000 * SNOWBALL_DECISION_PERIOD);
    expect(findBuiltInGame('SnowballTarget')).toBe(snowballModule);
    const game = snowballModule.create({ areas: 3, seed: 1, parameters: {} });
    expect(game.fixedDeltaTime).toBe(0.02);
    expect(game.agents).toHaveLength(3);
    for (const a of game.agents) {
      expect(a.behavior).toBe(snowballTargetBehavior);
      expect(a.decisionPeriod).toBe(5);
    }
    expect(() => snowballModule.create({ areas: 0, seed: 1, parameters: {} })).toThrow(/options\.areas must be an integer >= 1/);
  });

  it('is deterministic for a seed: same seed and actions give the same observations and rewards, another seed does not', () => {
    const run = (seed: number) => play(createSnowballTargetGame({ areas: 2, seed, parameters: {} }), 1500, randomPlayer(5), true);
    const a = run(7);
    const b = run(7);
    const c = run(8);
    expect(b.observations).toEqual(a.observations);
    expect(b.rewards).toEqual(a.rewards);
    expect(c.observations).not.toEqual(a.observations);
    // Two arenas of one game differ (each draws its own generator from the seed).
    const size = a.observations[0]!.length;
    expect(a.observations[1]).toHaveLength(size);
    expect(a.observations[1]).not.toEqual(a.observations[0]);
  });

  it('a snowball thrown at a target scores +1 once; the target disappears and stands up elsewhere; a second snowball finds nothing', () => {
    // Target 8 m straight ahead: the first throw hits it; the second, thrown after the cooldown,
    // flies through the spot where it stood.
    const { game, area } = stage(0, 0, 0, [[0, 8]]);
    const target = area.targets[0]!;
    const rewards = [...hold(game, 26, 0, 0, true), ...hold(game, 200, 0, 0, false)];
    expect(area.shots).toBe(2);
    expect(rewards.reduce((s, r) => s + r, 0)).toBe(1);
    expect(rewards.filter((r) => r !== 0)).toEqual([1]);
    expect(area.hits).toBe(1);
    expect(target.standing).toBe(true);
    const p = target.body.position;
    expect(Math.hypot(p.x - 0, p.z - 8)).toBeGreaterThan(0.5);
    expect(Math.hypot(p.x - area.bear.position.x, p.z - area.bear.position.z)).toBeGreaterThanOrEqual(R.targetMinDistanceToBear);
    expect(area.snowballs.every((s) => !s.flying)).toBe(true);
  });

  it('a snowball thrown away from the target, or at one beyond its reach, scores nothing', () => {
    const away = stage(0, 0, 180, [[0, 8]]);
    expect(hold(away.game, 150, 0, 0, true).every((r) => r === 0)).toBe(true);
    expect(away.area.shots).toBeGreaterThan(1);
    const far = stage(0, -11, 0, [[0, 10]]);
    expect(hold(far.game, 150, 0, 0, true).every((r) => r === 0)).toBe(true);
  });

  it('the cooldown holds: holding shoot throws exactly every 0.5 s (25 steps) and can-shoot is 0 in between', () => {
    const { game, area, agent } = stage(0, 0, 90, [[0, -8]]);
    const shotSteps: number[] = [];
    const flags: boolean[] = [];
    const steps = 300;
    for (let s = 0; s < steps; s++) {
      const before = area.shots;
      flags.push(area.canShoot);
      area.act(0, 0, true);
      if (area.shots > before) shotSteps.push(s);
      game.step();
    }
    expect(COOLDOWN_STEPS).toBe(25);
    expect(shotSteps).toEqual(Array.from({ length: 12 }, (_, i) => i * COOLDOWN_STEPS));
    shotSteps.forEach((s) => {
      expect(flags[s]).toBe(true);
      if (s + COOLDOWN_STEPS > steps) return;
      for (let k = 1; k < COOLDOWN_STEPS; k++) expect(flags[s + k]).toBe(false);
    });

    // The observed flag is the state at the decision, stacked over 3 decisions, oldest first.
    const w = new ObservationWriter(agent.behavior);
    const seen: number[][] = [];
    const state: number[] = [];
    for (let d = 0; d < 12; d++) {
      w.reset();
      agent.collectObservations(w);
      seen.push(Array.from(w.buffers[obsIndex(CAN_SHOOT_OBSERVATION)]!));
      state.push(area.canShoot ? 1 : 0);
      for (let s = 0; s < SNOWBALL_DECISION_PERIOD; s++) {
        area.act(0, 0, d % 6 === 0);
        game.step();
      }
    }
    expect(seen.map((f) => f[2])).toEqual(state);
    expect(new Set(state)).toEqual(new Set([0, 1]));
    for (let d = 1; d < seen.length; d++) expect(seen[d]!.slice(0, 2)).toEqual(seen[d - 1]!.slice(1));
  });

  it('rays see targets and walls: one-hot tag, hit flag and distance / length, in ML-Agents order', () => {
    // Bear at the centre facing +z, target 6 m ahead; the wall ahead is 12 m away, behind too.
    const { agent } = stage(0, 0, 0, [[0, 6]]);
    const [back, wide, aim, front] = agent.sensors as [typeof agent.sensors[0], typeof agent.sensors[0], typeof agent.sensors[0], typeof agent.sensors[0]];
    const aimObs = newestFrame(aim.perceive());
    // Centre ray (index 0): [target, hit nothing, fraction].
    const length = snowballRaySensors.targets.rayLength;
    for (const settings of Object.values(snowballRaySensors)) expect(settings.rayLength).toBe(length);
    expect(aimObs[0]).toBe(1);
    expect(aimObs[1]).toBe(0);
    expect(aimObs[2]).toBeCloseTo((6 - R.targetRadius) / length, 4);
    // The outermost rays (60 degrees off) miss the target and end on a wall: no tag, but a hit.
    expect(Array.from(aimObs.slice(27, 33))).toEqual([0, 0, expect.closeTo(12 / Math.cos(30 * DEG) / length, 4), 0, 0, expect.closeTo(12 / Math.cos(30 * DEG) / length, 4)]);
    const frontObs = newestFrame(front.perceive());
    // front_rays tags [target, wall]: centre ray sees the target, its outermost (45 deg) rays a wall 12*sqrt(2) m away.
    expect(Array.from(frontObs.slice(0, 4))).toEqual([1, 0, 0, expect.closeTo((6 - R.targetRadius) / length, 4)]);
    expect(Array.from(frontObs.slice(36, 44))).toEqual([
      0, 1, 0, expect.closeTo((12 * Math.SQRT2) / length, 4),
      0, 1, 0, expect.closeTo((12 * Math.SQRT2) / length, 4),
    ]);
    // back_rays look behind: the wall 12 m back on the centre ray.
    const backObs = newestFrame(back.perceive());
    expect(Array.from(backObs.slice(0, 3))).toEqual([1, 0, expect.closeTo(12 / length, 4)]);
    // wide_target_rays: the 90-degree rays point sideways at the side walls, 12 m away.
    const wideObs = newestFrame(wide.perceive());
    expect(wideObs[0]).toBe(1);
    expect(Array.from(wideObs.slice(27, 33))).toEqual([0, 0, expect.closeTo(12 / length, 4), 0, 0, expect.closeTo(12 / length, 4)]);
    // Ray 1 is on the bear's right: a target at the right (-x in this frame) shows on odd rays.
    const right = stage(0, 0, 0, [[-4, 4]]);
    const rightObs = newestFrame(right.agent.sensors[2]!.perceive());
    const tagged = [...Array(11).keys()].filter((r) => rightObs[r * 3] === 1);
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((r) => r % 2 === 1)).toBe(true);
  });

  it('turns right with turn action 1 and walks forward with move action 1, stopped by the walls', () => {
    const { game, area, agent } = stage(0, 0, 0, [[8, 8]]);
    const action = emptyAction(agent.behavior.actions);
    action.discrete.set([0, 1, 0]);
    for (let s = 0; s < 5; s++) {
      agent.onActionReceived(action);
      game.step();
    }
    // 200 deg/s for 0.1 s; turning right from +z heads toward -x, the bear's right.
    expect(area.headingDegrees).toBeCloseTo(-20, 6);
    action.discrete.set([1, 0, 0]);
    for (let s = 0; s < 500; s++) {
      agent.onActionReceived(action);
      game.step();
    }
    const p = area.bear.position;
    expect(p.x).toBeLessThan(0);
    expect(Math.max(Math.abs(p.x), Math.abs(p.z))).toBeLessThanOrEqual(R.arenaHalfSize - R.bearRadius + 0.05);
    expect(Math.max(Math.abs(p.x), Math.abs(p.z))).toBeGreaterThan(R.arenaHalfSize - R.bearRadius - 0.05);
    expect(p.y).toBeCloseTo(R.bearRadius, 6);
  });

  it('the scripted aim-and-shoot player scores far more than random play over whole episodes', () => {
    const episodes = (decide: Decide) => play(createSnowballTargetGame({ areas: 2, seed: 21, parameters: {} }), 5001, decide).returns;
    const scriptedReturns = episodes(scripted);
    const randomReturns = episodes(randomPlayer(9));
    expect(scriptedReturns).toHaveLength(2);
    expect(randomReturns).toHaveLength(2);
    expect(mean(scriptedReturns)).toBeGreaterThan(25);
    expect(mean(randomReturns)).toBeLessThan(8);
    expect(mean(scriptedReturns)).toBeGreaterThan(4 * Math.max(1, mean(randomReturns)));
  });
});
