/**
 * The learner thread (a worker_thread started by LearnerThread): it keeps its own copies of a
 * behavior's networks, takes the trainer's state and update buffer, runs ML-Agents' policy update
 * on them and sends the new state back. It holds nothing between requests but the networks, so
 * the trainer's checkpoints stay the only state.
 */
import { parentPort } from 'node:worker_threads';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../backend/selectBackend.js';
import type { RewardSignalState } from '../rewards/RewardSignal.js';
import { UpdateBuffer } from '../trajectory/UpdateBuffer.js';
import { createPpoLearner, type PpoLearnerParts } from './createPpoLearner.js';
import type { LearnerUpdateReply, LearnerUpdateRequest } from './LearnerThreadMessages.js';
import { policyUpdateSteps } from './PolicyUpdate.js';

if (!parentPort) throw new Error('learnerThreadMain runs as a worker thread of the trainer (LearnerThread starts it)');
const port = parentPort;
let parts: PpoLearnerParts | null = null;

async function update(req: LearnerUpdateRequest): Promise<LearnerUpdateReply> {
  if (!parts) {
    // One WASM thread: the trainer's thread and the games use the other cores.
    await selectBackend(req.build.backend, { wasmThreads: 1 });
    parts = createPpoLearner(req.build.spec, req.build.settings, req.build.seed);
  }
  const t0 = performance.now();
  const { optimizer, rewardSignals } = parts;
  optimizer.setState(req.learner);
  for (const signal of rewardSignals) {
    const state = req.signals[signal.name];
    if (signal.setState && state) signal.setState(state, `learner thread: signals.${signal.name}`);
  }
  const hp = req.build.settings.hyperparameters;
  const steps = policyUpdateSteps(
    UpdateBuffer.fromTransfer(req.buffer),
    // The games played on while the previous update ran: the buffer is up to one update old.
    { spec: req.build.spec, learner: optimizer, rewardSignals, batchSize: hp.batch_size, numEpoch: hp.num_epoch, staleBuffer: true },
    req.current,
    new SeededRandom(req.shuffleSeed),
  );
  let result = steps.next();
  while (!result.done) result = steps.next();
  const signals: Record<string, RewardSignalState> = {};
  for (const signal of rewardSignals) if (signal.getState) signals[signal.name] = signal.getState();
  return { type: 'updated', id: req.id, learner: optimizer.getState(), signals, stats: result.value, seconds: (performance.now() - t0) / 1000 };
}

port.on('message', (req: LearnerUpdateRequest) => {
  update(req).then(
    (reply) => port.postMessage(reply),
    (err: unknown) => port.postMessage({ type: 'failed', id: req?.id ?? -1, message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined } satisfies LearnerUpdateReply),
  );
});
