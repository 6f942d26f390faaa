import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { defaultTrainerSettings } from '../../trainer/config/schema.js';
import type { ActResult } from '../../trainer/networks/ActorCritic.js';
import type { PolicyActions, PpoBatch, PpoLearner } from '../../trainer/ppo/PpoLearner.js';
import { PpoTrainer } from '../../trainer/ppo/PpoTrainer.js';
import { ExtrinsicRewardSignal } from '../../trainer/rewards/ExtrinsicRewardSignal.js';
import type { RemotePolicyUpdates } from '../../trainer/ppo/LearnerThread.js';
import { policyUpdateSteps } from '../../trainer/ppo/PolicyUpdate.js';
import type { PpoStepHyperparameters } from '../../trainer/ppo/PpoLearner.js';
import type { UpdateBuffer } from '../../trainer/trajectory/UpdateBuffer.js';

const spec: BehaviorSpec = {
  name: 'Schedule',
  observations: [{ name: 'state', shape: [2], kind: 'vector' }],
  actions: { continuous: 0, discrete: [2] },
  teamCount: 1,
  maxStep: 0,
};
const AGENTS = 8;

/** A learner that only records what it is asked: which rows each minibatch holds, and when. */
class RecordingLearner implements PpoLearner {
  readonly minibatches: { n: number; rows: number[] }[] = [];
  act(_obs: Float32Array[], _masks: Uint8Array | null, n: number): ActResult {
    return {
      continuousRaw: new Float32Array(0),
      continuousClipped: new Float32Array(0),
      discrete: new Int32Array(n),
      logProbs: new Float32Array(n).fill(Math.log(0.5)),
      entropy: new Float32Array(n),
    };
  }
  values(_obs: Float32Array[], n: number): Record<string, Float32Array> {
    return { extrinsic: new Float32Array(n) };
  }
  updateNormalizer(): void {}
  actionLogProbs(actions: PolicyActions): Float32Array {
    return new Float32Array(actions.n).fill(Math.log(0.5));
  }
  update(batch: PpoBatch): Record<string, number> {
    // Each row's observation carries the step it was collected at (see report()).
    const rows = Array.from({ length: batch.n }, (_, i) => batch.obs[0]![i * 2 + 1]!);
    this.minibatches.push({ n: batch.n, rows });
    return { 'Losses/Policy Loss': 0 };
  }
}

/** A learner thread stand-in whose updates run when the test says so, on a RecordingLearner. */
class DeferredUpdates implements RemotePolicyUpdates {
  readonly waiting: { buffer: UpdateBuffer; current: PpoStepHyperparameters; seed: number; resolve: (stats: Record<string, number>) => void }[] = [];
  constructor(
    private readonly learner: RecordingLearner,
    private readonly batchSize: number,
  ) {}
  update(buffer: UpdateBuffer, current: PpoStepHyperparameters, seed: number): Promise<Record<string, number>> {
    return new Promise((resolve) => this.waiting.push({ buffer, current, seed, resolve }));
  }
  runWaiting(): void {
    for (const w of this.waiting.splice(0)) {
      const parts = { spec, learner: this.learner, rewardSignals: [new ExtrinsicRewardSignal(0.99, 1)], batchSize: this.batchSize, numEpoch: 2 };
      const steps = policyUpdateSteps(w.buffer, parts, w.current, new SeededRandom(w.seed));
      let r = steps.next();
      while (!r.done) r = steps.next();
      w.resolve(r.value);
    }
  }
  async close(): Promise<void> {}
}

/** Every agent ends an episode at every step, so each step adds AGENTS one-step trajectories; obs[1] is the step. */
function report(t: number) {
  const keys = Int32Array.from({ length: AGENTS }, (_, i) => i);
  const obs = new Float32Array(AGENTS * 2);
  for (let i = 0; i < AGENTS; i++) obs[i * 2 + 1] = t;
  const base = { agentKeys: keys, groupRewards: new Float32Array(AGENTS), n: AGENTS };
  const terminals = { ...base, obs: [obs], rewards: new Float32Array(AGENTS).fill(1), interrupted: new Uint8Array(AGENTS) };
  const decisions = { ...base, obs: [obs], rewards: new Float32Array(AGENTS), actionMasks: null };
  return { terminals: t > 0 ? terminals : { ...terminals, n: 0, agentKeys: new Int32Array(0) }, decisions };
}

function makeTrainer(threaded: boolean, batchSize = 16) {
  const s = defaultTrainerSettings();
  s.max_steps = 10_000;
  s.hyperparameters.buffer_size = 64;
  s.hyperparameters.batch_size = batchSize;
  s.hyperparameters.num_epoch = 2;
  s.threaded = threaded;
  const learner = new RecordingLearner();
  const trainer = new PpoTrainer(spec, s, learner, [new ExtrinsicRewardSignal(0.99, 1)], { add: () => {} }, new SeededRandom(3));
  const remote = new DeferredUpdates(learner, batchSize);
  if (threaded) trainer.remoteUpdates = remote;
  return { trainer, learner, remote };
}

describe('PPO update schedule', () => {
  it("updates once the buffer holds more than buffer_size steps and trains on every full minibatch of it, as ML-Agents' trainer", async () => {
    const { trainer, learner } = makeTrainer(false, 8);
    // Steps 1..8 complete 64 experiences: exactly buffer_size, not yet more.
    for (let t = 0; t <= 8; t++) await trainer.step(report(t).terminals, report(t).decisions);
    expect(trainer.currentStep).toBe(64);
    expect(learner.minibatches).toHaveLength(0);
    // One more step: 72 experiences, and the update comes with the step that brought them.
    await trainer.step(report(9).terminals, report(9).decisions);
    expect(trainer.updates).toBe(1);
    // All 72 rows, not buffer_size of them: 9 minibatches of 8 per epoch, 2 epochs.
    expect(learner.minibatches).toHaveLength(18);
    for (const epoch of [learner.minibatches.slice(0, 9), learner.minibatches.slice(9)]) {
      const rows = epoch.flatMap((m) => m.rows).sort((a, b) => a - b);
      expect(rows).toEqual(Array.from({ length: 72 }, (_, i) => Math.floor(i / 8)));
    }
    // The buffer starts again from empty.
    for (let t = 10; t <= 17; t++) await trainer.step(report(t).terminals, report(t).decisions);
    expect(trainer.updates).toBe(1);
  });

  it('with threaded: true the games keep playing during an update, whose experiences go to the next one', async () => {
    const { trainer, learner, remote } = makeTrainer(true);
    for (let t = 0; t <= 9; t++) await trainer.step(report(t).terminals, report(t).decisions);
    // Step 9's report made the buffer 72 > 64: the update went to the learner thread.
    expect(remote.waiting).toHaveLength(1);
    expect(learner.minibatches).toHaveLength(0);
    expect(trainer.updates).toBe(0);
    // The games' next steps are answered while it runs, and no second update starts meanwhile.
    const answered = await trainer.step(report(10).terminals, report(10).decisions);
    expect(answered.discrete).toHaveLength(AGENTS);
    for (let t = 11; t <= 18; t++) await trainer.step(report(t).terminals, report(t).decisions);
    expect(remote.waiting).toHaveLength(1);
    // Step 18 filled the next buffer (72 > 64) while the update still runs: step 19 waits for it.
    let answered19 = false;
    const step19 = trainer.step(report(19).terminals, report(19).decisions).then(() => (answered19 = true));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(answered19).toBe(false);
    remote.runWaiting();
    await step19;
    expect(trainer.updates).toBe(1);
    // The update trained on the 72 rows it started with (steps 0..8 reported at 1..9), in 4 minibatches of 16 per epoch.
    expect(learner.minibatches).toHaveLength(8);
    const trained = new Set(learner.minibatches.flatMap((m) => m.rows));
    expect(Math.max(...trained)).toBeLessThanOrEqual(8);
    // The steps collected meanwhile go to the next update, which step 19 started once it could.
    expect(trainer.currentStep).toBe(19 * AGENTS);
    expect(remote.waiting).toHaveLength(1);
    expect(remote.waiting[0]!.buffer.length).toBe(80);
  });
});
