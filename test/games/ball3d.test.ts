import { describe, expect, it } from 'vitest';
import { emptyAction } from '../../bridge/agent/AgentAction.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { checkBehaviorSpec, totalObservationSize } from '../../bridge/spec/BehaviorSpec.js';
import ball3DModule from '../../sample-games/3dball/index.js';
import {
  BALL3D_DECISION_PERIOD,
  ball3DBehavior,
  ball3DRules,
  createBall3DGame,
  type Ball3DAgent,
} from '../../sample-games/3dball/sim.js';
import { LockstepDriver, heuristicDecisions, type DecideFn } from './LockstepDriver.js';

const randomDecisions = (seed: number): DecideFn => {
  const rng = new SeededRandom(seed);
  return (_agent, _obs, out) => {
    out.continuous[0] = rng.range(-1, 1);
    out.continuous[1] = rng.range(-1, 1);
  };
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('3DBall', () => {
  it("declares ML-Agents' 3DBall spec: 8 observations, 2 continuous actions, 5000 steps, decision period 5", () => {
    expect(checkBehaviorSpec(ball3DBehavior)).toBe(ball3DBehavior);
    expect(totalObservationSize(ball3DBehavior)).toBe(8);
    expect(ball3DBehavior.actions).toEqual({ continuous: 2, discrete: [] });
    expect(ball3DBehavior.maxStep).toBe(5000);
    expect(ball3DModule.name).toBe('3dball');
    const game = ball3DModule.create({ areas: 3, seed: 1, parameters: {} });
    expect(game.fixedDeltaTime).toBe(0.02);
    expect(game.agents).toHaveLength(3);
    for (const a of game.agents) {
      expect(a.behavior).toBe(ball3DBehavior);
      expect(a.decisionPeriod).toBe(BALL3D_DECISION_PERIOD);
      expect(a.takeActionsBetweenDecisions).toBe(true);
    }
  });

  it('starts episodes as OnEpisodeBegin: tilt within 10 degrees, ball 4 above, within 1.5, at rest', () => {
    const d = new LockstepDriver(createBall3DGame({ areas: 16, seed: 3, parameters: {} }), () => {}).run(1);
    const maxQ = Math.sin((10 * Math.PI) / 180 / 2) + 1e-6;
    const first = d.reports.filter((r) => r.step === 0);
    expect(first).toHaveLength(16);
    for (const { obs } of first) {
      expect(obs).toHaveLength(8);
      expect(Math.abs(obs[0]!)).toBeLessThanOrEqual(maxQ);
      expect(Math.abs(obs[1]!)).toBeLessThanOrEqual(maxQ);
      expect(Math.abs(obs[2]!)).toBeLessThanOrEqual(1.5);
      expect(obs[3]).toBeCloseTo(4, 5);
      expect(Math.abs(obs[4]!)).toBeLessThanOrEqual(1.5);
      expect(obs.slice(5)).toEqual([0, 0, 0]);
    }
    // Different areas start differently.
    expect(new Set(first.map((r) => r.obs[2])).size).toBe(16);
  });

  it('the balancing heuristic keeps the ball up for whole 5000-step episodes (reward 100)', () => {
    const d = new LockstepDriver(createBall3DGame({ areas: 4, seed: 5, parameters: {} }), heuristicDecisions).run(5001);
    expect(d.episodes).toHaveLength(4);
    for (const e of d.episodes) {
      expect(e.steps).toBe(5000);
      expect(e.interrupted).toBe(true);
      // SetReward(0.1) on every step counts once per decision: 1000 decisions.
      expect(e.reward).toBeCloseTo(100, 3);
    }
    for (const r of d.reports) {
      expect(r.obs).toHaveLength(8);
      expect(r.obs.every(Number.isFinite)).toBe(true);
    }
  });

  it('a random policy loses the ball within a few hundred steps, each time with -1', () => {
    const d = new LockstepDriver(createBall3DGame({ areas: 8, seed: 9, parameters: {} }), randomDecisions(4)).run(2000);
    expect(d.episodes.length).toBeGreaterThan(50);
    expect(d.episodes.every((e) => !e.interrupted)).toBe(true);
    expect(mean(d.episodes.map((e) => e.steps))).toBeLessThan(300);
    const terminals = d.reports.filter((r) => r.kind === 'terminal');
    expect(terminals.every((r) => r.reward === ball3DRules.fallReward)).toBe(true);
    // A lost ball is off the cube's top or below it.
    for (const { obs } of terminals) {
      expect(obs[3]! < -2 || Math.abs(obs[2]!) > 3 || Math.abs(obs[4]!) > 3).toBe(true);
    }
    expect(d.reports.every((r) => r.obs.every(Number.isFinite))).toBe(true);
  });

  it('is deterministic for a seed and an action sequence, and the seed matters', () => {
    const play = (gameSeed: number, actionSeed: number) =>
      new LockstepDriver(createBall3DGame({ areas: 3, seed: gameSeed, parameters: {} }), randomDecisions(actionSeed)).run(600).reports;
    const a = play(7, 1);
    expect(a.some((r) => r.kind === 'terminal')).toBe(true);
    expect(play(7, 1)).toEqual(a);
    expect(play(8, 1)).not.toEqual(a);
    expect(play(7, 2)).not.toEqual(a);
  });

  it('tilts as Ball3DAgent: 2 degrees per step at full action, stopping near quaternion component 0.25', () => {
    const game = createBall3DGame({ areas: 1, seed: 2, parameters: {} });
    const agent = game.agents[0]!;
    const q = agent.area.platform.quaternion;
    q.set(0, 0, 0, 1);
    const action = emptyAction(ball3DBehavior.actions);
    action.continuous.set([1, -1]);
    agent.onActionReceived(action);
    const half = (Math.PI / 180) * 1; // 2 degrees -> quaternion half-angle 1 degree
    // Local z first, then local x: q = Rz(2) * Rx(-2).
    expect(q.z).toBeCloseTo(Math.sin(half) * Math.cos(half), 6);
    expect(q.x).toBeCloseTo(-Math.sin(half) * Math.cos(half), 6);
    for (let i = 0; i < 100; i++) agent.onActionReceived(action);
    expect(q.z).toBeGreaterThanOrEqual(0.25);
    expect(q.z).toBeLessThan(0.25 + Math.sin(half));
    expect(q.x).toBeLessThanOrEqual(-0.25);
    expect(q.x).toBeGreaterThan(-0.25 - Math.sin(half));
    // Actions beyond [-1, 1] are clamped, as Mathf.Clamp does.
    q.set(0, 0, 0, 1);
    action.continuous.set([5, 0]);
    agent.onActionReceived(action);
    expect(q.z).toBeCloseTo(Math.sin(half), 6);
  });

  it('rolls the ball downhill: rotating about +z sends it toward -x, about +x toward +z', () => {
    const roll = (z: number, x: number) => {
      const game = createBall3DGame({ areas: 1, seed: 0, parameters: {} });
      const { area } = game.agents[0]!;
      area.platform.quaternion.set(0, 0, 0, 1);
      area.ball.position.set(0, 3, 0);
      area.tilt(z, x);
      for (let i = 0; i < 25; i++) game.step();
      return [area.ball.position.x, area.ball.position.z] as const;
    };
    const [xz, zz] = roll(10, 0);
    expect(xz).toBeLessThan(-0.05);
    expect(Math.abs(zz)).toBeLessThan(1e-6);
    const [xx, zx] = roll(0, 10);
    expect(zx).toBeGreaterThan(0.05);
    expect(Math.abs(xx)).toBeLessThan(1e-6);
  });

  it('rolls like a solid ball: 5/7 g sin(tilt) down a 10 degree slope', () => {
    const game = createBall3DGame({ areas: 1, seed: 0, parameters: {} });
    const { area } = game.agents[0]!;
    area.platform.quaternion.set(0, 0, 0, 1);
    area.tilt(10, 0);
    // Rest the ball on the tilted top face (normal rotated by 10 degrees about z).
    const t = (10 * Math.PI) / 180;
    const r = 2.5 + ball3DRules.ballRadius;
    area.ball.position.set(-Math.sin(t) * r, Math.cos(t) * r, 0);
    for (let i = 0; i < 5; i++) game.step(); // settle the contact
    const v0 = area.ball.velocity.length();
    for (let i = 0; i < 25; i++) game.step();
    const accel = (area.ball.velocity.length() - v0) / (25 * game.fixedDeltaTime);
    expect(accel).toBeGreaterThan(0.9 * (5 / 7) * 9.81 * Math.sin(t));
    expect(accel).toBeLessThan(1.1 * (5 / 7) * 9.81 * Math.sin(t));
  });

  it('applies the mass and scale environment parameters from the next episode on', () => {
    const game = createBall3DGame({ areas: 1, seed: 0, parameters: { mass: 3 } });
    const agent: Ball3DAgent = game.agents[0]!;
    expect(agent.area.ball.mass).toBe(3);
    game.setParameters({ mass: 2, scale: 2 });
    expect(agent.area.ball.mass).toBe(3);
    agent.onEpisodeBegin();
    expect(agent.area.ball.mass).toBe(2);
    expect(agent.area.ballScale).toBe(2);
    // A bigger ball rests higher: 2.5 (half the cube) + 0.5 * 2.
    const d = new LockstepDriver(game, heuristicDecisions).run(200);
    expect(d.reports.at(-1)!.obs[3]).toBeCloseTo(3.5, 1);
  });

  it('reports bad parameters, options and actions with the field and the fix', () => {
    expect(() => createBall3DGame({ areas: 1, seed: 0, parameters: { mass: -1 } })).toThrow(
      /3dball: parameters.mass must be a number > 0 \(ball mass in kg, default 1\), got -1/,
    );
    const game = createBall3DGame({ areas: 1, seed: 0, parameters: {} });
    expect(() => game.setParameters({ scale: 0 })).toThrow(/parameters.scale must be a number > 0/);
    expect(() => createBall3DGame({ areas: 1.5, seed: 0, parameters: {} })).toThrow(/options.areas must be an integer >= 1/);
    const action = emptyAction(ball3DBehavior.actions);
    action.continuous[1] = Number.NaN;
    expect(() => game.agents[0]!.onActionReceived(action)).toThrow(/continuous actions must be finite numbers, got \[0, NaN\]/);
  });

  it('maps keyboard input as ML-Agents does: action 0 = -horizontal, action 1 = vertical', () => {
    const agent = createBall3DGame({ areas: 1, seed: 0, parameters: {} }).agents[0]!;
    agent.manualInput = { rollX: () => 1, rollZ: () => -1 };
    const out = emptyAction(ball3DBehavior.actions);
    agent.heuristic(out);
    expect(Array.from(out.continuous)).toEqual([-1, -1]);
  });
});
