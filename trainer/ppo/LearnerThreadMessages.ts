import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { BackendChoice } from '../backend/selectBackend.js';
import type { TrainerSettings } from '../config/schema.js';
import type { RewardSignalState } from '../rewards/RewardSignal.js';
import type { UpdateBufferTransfer } from '../trajectory/UpdateBuffer.js';
import type { PpoLearnerState } from './PpoOptimizer.js';
import type { PpoStepHyperparameters } from './PpoLearner.js';

/** The trainer asks its learner thread for one policy update. */
export interface LearnerUpdateRequest {
  type: 'update';
  id: number;
  /** What the thread builds its networks from (used once, on the first request). */
  build: { spec: BehaviorSpec; settings: TrainerSettings; seed: number; backend: BackendChoice };
  /** The trainer's networks, optimisers and normalisers as they are now. */
  learner: PpoLearnerState;
  signals: Record<string, RewardSignalState>;
  buffer: UpdateBufferTransfer;
  current: PpoStepHyperparameters;
  shuffleSeed: number;
}

/** The thread's answer: the updated state and the update's mean losses, or why it failed. */
export type LearnerUpdateReply =
  | { type: 'updated'; id: number; learner: PpoLearnerState; signals: Record<string, RewardSignalState>; stats: Record<string, number>; seconds: number }
  | { type: 'failed'; id: number; message: string; stack?: string };
