import { describe, expect, it } from 'vitest';
import { AgentProcessor, type EpisodeSummary } from '../../trainer/trajectory/AgentProcessor.js';
import type { Trajectory } from '../../trainer/trajectory/Trajectory.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

const spec: BehaviorSpec = {
  name: 'T',
  observations: [{ name: 'x', shape: [2], kind: 'vector' }],
  actions: { continuous: 1, discrete: [3] },
  teamCount: 1,
  maxStep: 0,
};

function report(keys: number[], obsValue: number[], rewards: number[]) {
  return {
    agentKeys: Int32Array.from(keys),
    obs: [Float32Array.from(obsValue.flatMap((v) => [v, -v]))],
    rewards: Float32Array.from(rewards),
    groupRewards: new Float32Array(keys.length),
    n: keys.length,
  };
}

function act(p: AgentProcessor, keys: number[], tag: number) {
  p.addActions(Int32Array.from(keys), {
    continuousRaw: Float32Array.from(keys.map(() => tag)),
    discrete: Int32Array.from(keys.map(() => tag % 3)),
    logProbs: Float32Array.from(keys.flatMap(() => [-tag, -tag - 0.5])),
  });
}

describe('AgentProcessor', () => {
  it('pairs each decision with the reward of the next report and cuts at time_horizon', () => {
    const trajs: Trajectory[] = [];
    const p = new AgentProcessor(spec, 3, { onTrajectory: (t) => trajs.push(t), onEpisodeEnd: () => {} });
    for (let s = 0; s < 7; s++) {
      p.addDecisions({ ...report([5], [s], [s === 0 ? 0 : s * 10]), actionMasks: null });
      act(p, [5], s);
    }
    // Steps 0..5 are complete after 7 reports; cut every 3.
    expect(trajs.map((t) => t.length)).toEqual([3, 3]);
    const t0 = trajs[0]!;
    expect(Array.from(t0.obs[0]!)).toEqual([0, -0, 1, -1, 2, -2]);
    expect(Array.from(t0.rewards)).toEqual([10, 20, 30]);
    expect(Array.from(t0.continuousRaw)).toEqual([0, 1, 2]);
    expect(Array.from(t0.logProbs)).toEqual([-0, -0.5, -1, -1.5, -2, -2.5]);
    expect(Array.from(t0.nextObs[0]!)).toEqual([3, -3]);
    expect(t0.doneReached).toBe(false);
    expect(Array.from(t0.actionMasks!)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('ends the episode on a terminal with the final reward and the interrupted flag', () => {
    const trajs: Trajectory[] = [];
    const eps: EpisodeSummary[] = [];
    const p = new AgentProcessor(spec, 100, { onTrajectory: (t) => trajs.push(t), onEpisodeEnd: (e) => eps.push(e) });
    p.addDecisions({ ...report([1, 2], [0, 0], [0, 0]), actionMasks: null });
    act(p, [1, 2], 1);
    p.addDecisions({ ...report([1, 2], [1, 1], [0.5, 0.25]), actionMasks: null });
    act(p, [1, 2], 2);
    // Agent 1 ends for real, agent 2 is interrupted, both start again in the same report.
    p.addTerminals({ ...report([1, 2], [9, 8], [1, -1]), interrupted: Uint8Array.from([0, 1]) });
    p.addDecisions({ ...report([1, 2], [0, 0], [0, 0]), actionMasks: null });
    expect(trajs).toHaveLength(2);
    expect(Array.from(trajs[0]!.rewards)).toEqual([0.5, 1]);
    expect(trajs[0]!.doneReached && !trajs[0]!.interrupted).toBe(true);
    expect(trajs[1]!.interrupted).toBe(true);
    expect(Array.from(trajs[1]!.nextObs[0]!)).toEqual([8, -8]);
    expect(eps.map((e) => [e.agentKey, e.reward, e.length, e.interrupted])).toEqual([
      [1, 1.5, 2, false],
      [2, -0.75, 2, true],
    ]);
  });

  it('drops a disconnected agent without leaking its steps into a later agent', () => {
    const trajs: Trajectory[] = [];
    const p = new AgentProcessor(spec, 100, { onTrajectory: (t) => trajs.push(t), onEpisodeEnd: () => {} });
    p.addDecisions({ ...report([7], [0], [0]), actionMasks: null });
    act(p, [7], 1);
    p.dropAgents(Int32Array.from([7]));
    expect(p.agentCount).toBe(0);
    p.addTerminals({ ...report([7], [1], [5]), interrupted: Uint8Array.from([0]) });
    expect(trajs).toHaveLength(0);
  });

  it('refuses an action for an agent that did not ask', () => {
    const p = new AgentProcessor(spec, 10, { onTrajectory: () => {}, onEpisodeEnd: () => {} });
    expect(() => act(p, [3], 0)).toThrow(/no pending decision/);
  });
});
