/** Sync in human and onnx modes (no socket): stepping rules, episodes, policies, overrides. */
import { describe, expect, it } from 'vitest';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { StatsRecorder } from '../../bridge/game/StatsRecorder.js';
import { Sync, type EpisodeEndInfo, type InProcessPolicy } from '../../bridge/sync/Sync.js';
import { WALK_SPEC, Walker, walkerGame } from './WalkerGame.js';

/** A policy that records its calls and answers discrete = 2, continuous = 10 * agent position + row. */
function recordingPolicy() {
  const calls: { behavior: string; n: number; obs: number[][]; masks: number[] | null }[] = [];
  const policy: InProcessPolicy = {
    async decide(behavior, obs, masks, n) {
      calls.push({ behavior: behavior.name, n, obs: obs.map((o) => Array.from(o)), masks: masks ? Array.from(masks) : null });
      const continuous = new Float32Array(n * behavior.actions.continuous);
      const discrete = new Int32Array(n * behavior.actions.discrete.length);
      for (let i = 0; i < n; i++) {
        continuous[i] = 10 * obs[0]![i]! + i;
        discrete[i] = 2;
      }
      return { continuous, discrete };
    },
  };
  return { policy, calls };
}

describe('Sync in human mode', () => {
  it('asks the heuristic every decisionPeriod steps and repeats the action in between', async () => {
    const repeat = new Walker({ decisionPeriod: 3 });
    const onlyOnDecisions = new Walker({ decisionPeriod: 3, takeActionsBetweenDecisions: false });
    const game = walkerGame([repeat, onlyOnDecisions]);
    const sync = new Sync({ game, gameName: 'Walk', mode: 'human' });
    expect(await sync.connect()).toBeNull();
    await sync.run({ maxSteps: 7 });
    expect(game.steps).toBe(7);
    expect(repeat.heuristicCalls).toBe(3); // steps 0, 3, 6
    expect(repeat.applied).toHaveLength(7);
    expect(repeat.x).toBe(7);
    expect(onlyOnDecisions.heuristicCalls).toBe(3);
    expect(onlyOnDecisions.applied).toHaveLength(3);
    expect(onlyOnDecisions.x).toBe(3);
    expect(repeat.stepCount).toBe(7);
    expect(repeat.begins).toBe(1);
  });

  it('decides on the game clock: a restarted agent waits for the next decision step with a zero action', async () => {
    const runner = new Walker({ decisionPeriod: 3 });
    const stayer = new Walker({ decisionPeriod: 3 });
    stayer.move = 0;
    const game = walkerGame([runner, stayer], 2);
    const decidedAt: number[][] = [[], []];
    [runner, stayer].forEach((w, i) => {
      const heuristic = w.heuristic.bind(w);
      w.heuristic = (out) => {
        decidedAt[i]!.push(game.steps);
        heuristic(out);
      };
    });
    const sync = new Sync({ game, gameName: 'Walk', mode: 'human' });
    await sync.run({ maxSteps: 7 });
    // The runner reaches x = 2 on steps 1 and 4, off the period; it still decides with the stayer.
    expect(decidedAt).toEqual([
      [0, 3, 6],
      [0, 3, 6],
    ]);
    expect(runner.applied).toEqual([[2, 0.25], [2, 0.25], [0, 0], [2, 0.25], [2, 0.25], [0, 0], [2, 0.25]]);
    expect(runner.begins).toBe(3);
    expect(runner.stepCount).toBe(2);
  });

  it('ends episodes the game ends, reports them, and restarts the agent', async () => {
    const w = new Walker();
    const ends: EpisodeEndInfo[] = [];
    const sync = new Sync({ game: walkerGame([w], 3), gameName: 'Walk', mode: 'human', onEpisodeEnd: (e) => ends.push(e) });
    await sync.run({ maxSteps: 3 });
    expect(ends).toEqual([]); // the end is noticed at the start of the next step
    await sync.step();
    expect(ends).toEqual([{ behavior: 'Walk', agentId: 0, steps: 3, cumulativeReward: 1.5, interrupted: false }]);
    expect(w.begins).toBe(2);
    expect(w.x).toBe(1); // restarted at 0, then took the new episode's first action
    expect(w.stepCount).toBe(1);
    expect(w.cumulativeReward).toBe(0.5);
    expect(w.completedEpisodes).toBe(1);
  });

  it('interrupts an episode at maxStep (agent option or behavior spec)', async () => {
    const byOption = new Walker({ maxStep: 4 });
    byOption.move = 0;
    const bySpec = new Walker({}, { ...WALK_SPEC, name: 'Walk2', maxStep: 2 });
    bySpec.move = 0;
    const ends: EpisodeEndInfo[] = [];
    const sync = new Sync({ game: walkerGame([byOption, bySpec]), gameName: 'Walk', mode: 'human', onEpisodeEnd: (e) => ends.push(e) });
    await sync.run({ maxSteps: 5 });
    expect(ends).toEqual([
      { behavior: 'Walk2', agentId: 1, steps: 2, cumulativeReward: 1, interrupted: true },
      { behavior: 'Walk', agentId: 0, steps: 4, cumulativeReward: 2, interrupted: true },
      { behavior: 'Walk2', agentId: 1, steps: 2, cumulativeReward: 1, interrupted: true },
    ]);
  });

  it('refuses a heuristic that picks a discrete action outside its branch', async () => {
    const w = new Walker();
    w.move = 3;
    const sync = new Sync({ game: walkerGame([w]), gameName: 'Walk', mode: 'human' });
    await expect(sync.step()).rejects.toThrow(/Walk agent 0: heuristic\(\) gave discrete\[0\] = 3; branch 0 has actions 0\.\.2/);
  });
});

describe('Sync in onnx mode', () => {
  it('batches decisions per behavior, passes observations and masks, and applies each row to its agent', async () => {
    const a = new Walker({ decisionPeriod: 2 });
    const b = new Walker({ decisionPeriod: 2 });
    b.masked = [0];
    const { policy, calls } = recordingPolicy();
    const sync = new Sync({ game: walkerGame([a, b]), gameName: 'Walk', mode: 'onnx', policy });
    a.x = 0;
    await sync.step();
    expect(calls).toEqual([{ behavior: 'Walk', n: 2, obs: [[0, 0], [0, 0, 0, 1]], masks: [1, 1, 1, 0, 1, 1] }]);
    expect(a.applied).toEqual([[2, 0]]);
    expect(b.applied).toEqual([[2, 1]]);
    await sync.step(); // between decisions: no call, actions repeated
    expect(calls).toHaveLength(1);
    expect(b.applied).toEqual([[2, 1], [2, 1]]);
    await sync.step();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.obs[0]).toEqual([2, 2]); // both walked right twice
    expect(calls[1]!.obs[1]).toEqual([2, 0, 2, 1]); // clock: stepCount, agentId
    expect(a.applied[2]).toEqual([2, 20]);
    expect(b.applied[2]).toEqual([2, 21]);
  });

  it('mixes sources per agent: a human among model-driven agents, and a second model', async () => {
    const agents = [new Walker(), new Walker(), new Walker()];
    const main = recordingPolicy();
    const other = recordingPolicy();
    const sync = new Sync({ game: walkerGame(agents), gameName: 'Walk', mode: 'onnx', policy: main.policy });
    sync.setDecisionSource(agents[1]!, 'heuristic');
    sync.setDecisionSource(agents[2]!, 'policy', other.policy);
    agents[1]!.move = 1;
    await sync.step();
    expect(main.calls.map((c) => c.n)).toEqual([1]);
    expect(other.calls.map((c) => c.n)).toEqual([1]);
    expect(other.calls[0]!.obs[1]).toEqual([0, 2]); // agent 2's row
    expect(agents[1]!.heuristicCalls).toBe(1);
    expect(agents.map((w) => w.x)).toEqual([1, -1, 1]);
    expect(() => sync.setDecisionSource(agents[0]!, 'remote')).toThrow(/'remote' needs a trainer.*mode 'onnx'/);
    expect(() => sync.setDecisionSource(new Walker(), 'heuristic')).toThrow(/not one of this game's agents/);
  });

  it('rejects a step when the policy answers with the wrong number of actions', async () => {
    const policy: InProcessPolicy = {
      decide: async () => ({ continuous: new Float32Array(1), discrete: new Int32Array(5) }),
    };
    const sync = new Sync({ game: walkerGame([new Walker(), new Walker()]), gameName: 'Walk', mode: 'onnx', policy });
    await expect(sync.step()).rejects.toThrow(/decide for behavior 'Walk': expected \{continuous: 2 floats \(2 agents x 1\), discrete: 2 ints/);
  });
});

describe('Sync options and scene checks', () => {
  it('names the field of bad options', () => {
    const game = walkerGame([new Walker()]);
    expect(() => new Sync({ game, gameName: 'Walk', mode: 'onnx' })).toThrow(/SyncOptions\.policy: expected an InProcessPolicy/);
    expect(() => new Sync({ game, gameName: 'Walk', mode: 'play' as never })).toThrow(/SyncOptions\.mode/);
    expect(() => new Sync({ game, gameName: 'Walk', mode: 'train', url: 'http://x' })).toThrow(/SyncOptions\.url/);
    expect(() => new Sync({ game: walkerGame([]), gameName: 'Walk', mode: 'human' })).toThrow(/SyncOptions\.game\.agents/);
    expect(() => new Sync({ game, gameName: 'Walk', mode: 'human', stats: {} as never })).toThrow(/SyncOptions\.stats: expected a StatsRecorder/);
  });

  it("uses the game's StatsRecorder when given one", () => {
    const stats = new StatsRecorder();
    const sync = new Sync({ game: walkerGame([new Walker()]), gameName: 'Walk', mode: 'human', stats });
    expect(sync.stats).toBe(stats);
    expect(new Sync({ game: walkerGame([new Walker()]), gameName: 'Walk', mode: 'human' }).stats).toBeInstanceOf(StatsRecorder);
  });

  it('refuses two different specs under one behavior name, naming both agents', () => {
    const other: BehaviorSpec = { ...WALK_SPEC, actions: { continuous: 2, discrete: [3] } };
    const game = walkerGame([new Walker(), new Walker({}, { ...WALK_SPEC }), new Walker({}, other)]);
    expect(() => new Sync({ game, gameName: 'Walk', mode: 'human' })).toThrow(
      /behavior 'Walk' has two different specs: game\.agents\[0\] declares .*"continuous":1.* but game\.agents\[2\] declares .*"continuous":2/,
    );
  });

  it('reports incomplete observations with the behavior and observation name', async () => {
    class Lazy extends Walker {
      override collectObservations(): void {}
    }
    const sync = new Sync({ game: walkerGame([new Lazy()]), gameName: 'Walk', mode: 'human' });
    await expect(sync.step()).rejects.toThrow(/Walk: observation 'pos' expects 1 values but 0 were written/);
  });

  it('stops run() on abort and refuses to step after close', async () => {
    const controller = new AbortController();
    const game = walkerGame([new Walker()]);
    const sync = new Sync({ game, gameName: 'Walk', mode: 'human' });
    const running = sync.run({ signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await running;
    expect(game.steps).toBeGreaterThan(0);
    sync.close('done');
    expect(await sync.closed).toBe('done');
    await expect(sync.step()).rejects.toThrow(/closed \(done\)/);
  });
});
