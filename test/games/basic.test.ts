import { describe, expect, it } from 'vitest';
import type { AIController } from '../../bridge/agent/AIController.js';
import { emptyAction } from '../../bridge/agent/AgentAction.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { checkBehaviorSpec, totalObservationSize } from '../../bridge/spec/BehaviorSpec.js';
import basicModule from '../../sample-games/basic/index.js';
import { BasicMove, basicBehavior, basicRules, createBasicGame, type BasicAgent } from '../../sample-games/basic/sim.js';
import { LockstepDriver, type DecideFn } from './LockstepDriver.js';

const always =
  (move: number): DecideFn =>
  (_agent, _obs, out) => {
    out.discrete[0] = move;
  };

const oneHotAt = (obs: number[]) => {
  expect(obs.filter((v) => v === 1)).toHaveLength(1);
  expect(obs.filter((v) => v !== 0 && v !== 1)).toHaveLength(0);
  return obs.indexOf(1);
};

describe('Basic', () => {
  it('declares ML-Agents Basic spec: 20 one-hot positions, one branch of 3, no step limit', () => {
    expect(checkBehaviorSpec(basicBehavior)).toBe(basicBehavior);
    expect(totalObservationSize(basicBehavior)).toBe(20);
    expect(basicBehavior.actions).toEqual({ continuous: 0, discrete: [3] });
    expect(basicBehavior.maxStep).toBe(0);
    expect(basicModule.name).toBe('basic');
    expect(basicModule.behaviors).toEqual([basicBehavior]);
    const game = basicModule.create({ areas: 3, seed: 0, parameters: {} });
    expect(game.agents).toHaveLength(3);
    for (const a of game.agents) {
      expect(a.behavior).toBe(basicBehavior);
      expect(a.decisionPeriod).toBe(1);
    }
  });

  it('walking right reaches the large goal in 7 steps: -0.01 per step, +1 at the goal', () => {
    const d = new LockstepDriver(createBasicGame({ areas: 1, seed: 0, parameters: {} }), always(BasicMove.right)).run(8);
    expect(oneHotAt(d.reports[0]!.obs)).toBe(basicRules.start);
    const decisions = d.reports.filter((r) => r.kind === 'decision');
    expect(decisions.slice(0, 8).map((r) => oneHotAt(r.obs))).toEqual([10, 11, 12, 13, 14, 15, 16, 10]);
    expect(decisions.slice(1, 7).every((r) => Math.abs(r.reward - -0.01) < 1e-9)).toBe(true);
    const terminal = d.reports.find((r) => r.kind === 'terminal')!;
    expect(terminal.step).toBe(7);
    expect(oneHotAt(terminal.obs)).toBe(17);
    expect(terminal.reward).toBeCloseTo(1 - 0.01, 9);
    expect(terminal.interrupted).toBe(false);
    expect(d.episodes).toHaveLength(1);
    expect(d.episodes[0]!.steps).toBe(7);
    expect(d.episodes[0]!.reward).toBeCloseTo(1 - 7 * 0.01, 9);
  });

  it('walking left reaches the small goal in 3 steps worth 0.1 - 0.03', () => {
    const d = new LockstepDriver(createBasicGame({ areas: 1, seed: 0, parameters: {} }), always(BasicMove.left)).run(9);
    const terminals = d.reports.filter((r) => r.kind === 'terminal');
    expect(terminals.map((r) => oneHotAt(r.obs))).toEqual([7, 7]);
    expect(terminals[0]!.reward).toBeCloseTo(0.1 - 0.01, 9);
    expect(d.episodes.map((e) => e.steps)).toEqual([3, 3]);
    for (const e of d.episodes) expect(e.reward).toBeCloseTo(0.1 - 3 * 0.01, 9);
  });

  it('standing still only costs 0.01 per step and never ends', () => {
    const d = new LockstepDriver(createBasicGame({ areas: 1, seed: 0, parameters: {} }), always(BasicMove.stay)).run(50);
    expect(d.episodes).toHaveLength(0);
    expect(d.reports.every((r) => oneHotAt(r.obs) === basicRules.start)).toBe(true);
    expect(d.reports.slice(1).every((r) => Math.abs(r.reward - -0.01) < 1e-9)).toBe(true);
    expect(d.game.agents[0]!.cumulativeReward).toBeCloseTo(-0.5, 9);
  });

  it('clamps at both ends of the line', () => {
    const game = createBasicGame({ areas: 2, seed: 0, parameters: {} });
    const [low, high] = game.agents as [BasicAgent, BasicAgent];
    low.position = 0;
    high.position = basicRules.cells - 1;
    low.onActionReceived({ continuous: new Float32Array(0), discrete: Int32Array.of(BasicMove.left) });
    high.onActionReceived({ continuous: new Float32Array(0), discrete: Int32Array.of(BasicMove.right) });
    game.step();
    expect([low.position, high.position]).toEqual([0, basicRules.cells - 1]);
  });

  it('runs areas independently, one agent each', () => {
    const d = new LockstepDriver(createBasicGame({ areas: 2, seed: 0, parameters: {} }), (agent, _obs, out) => {
      out.discrete[0] = agent.agentId === 0 ? BasicMove.right : BasicMove.left;
    }).run(8);
    expect(d.episodes.map((e) => [e.agent, e.steps])).toEqual([
      [1, 3],
      [1, 3],
      [0, 7],
    ]);
  });

  it('is deterministic: the same action sequence gives the same observations and rewards', () => {
    const play = (seed: number) => {
      const rng = new SeededRandom(seed);
      const d = new LockstepDriver(createBasicGame({ areas: 4, seed: 1, parameters: {} }), (_a, _o, out) => {
        out.discrete[0] = rng.int(3);
      }).run(300);
      return d.reports;
    };
    const a = play(11);
    expect(play(11)).toEqual(a);
    expect(play(12)).not.toEqual(a);
    expect(a.filter((r) => r.kind === 'terminal').length).toBeGreaterThan(0);
  });

  it('maps keyboard input to moves in the heuristic', () => {
    const agent = createBasicGame({ areas: 1, seed: 0, parameters: {} }).agents[0]!;
    const out = emptyAction(basicBehavior.actions);
    const press = (direction: number) => {
      agent.manualInput = { direction: () => direction };
      agent.heuristic(out);
      return out.discrete[0];
    };
    expect([press(-1), press(0), press(1)]).toEqual([BasicMove.left, BasicMove.stay, BasicMove.right]);
  });

  it('rejects bad actions and bad options with the field and the fix', () => {
    const agent: AIController = createBasicGame({ areas: 1, seed: 0, parameters: {} }).agents[0]!;
    expect(() => agent.onActionReceived({ continuous: new Float32Array(0), discrete: Int32Array.of(3) })).toThrow(
      /discrete action \[0\] must be 0 \(stay\), 1 \(left\) or 2 \(right\), got 3/,
    );
    expect(() => createBasicGame({ areas: 0, seed: 0, parameters: {} })).toThrow(/basic: options.areas must be an integer >= 1/);
    expect(() => createBasicGame({ areas: 1, seed: 0.5, parameters: {} })).toThrow(/options.seed must be an integer/);
  });
});
