import type { ActResult } from '../networks/ActorCritic.js';

/** One PPO minibatch, rows are agent steps; every array is flat and row-major. */
export interface PpoBatch {
  n: number;
  /** One block per observation of the spec, n x observationSize each. */
  obs: Float32Array[];
  /** n x C raw samples (as `act` returned them in continuousRaw). */
  continuousRaw: Float32Array;
  /** n x branches. */
  discrete: Int32Array;
  /** n x sum(branch sizes), 1 allowed; null when there are no masks (all allowed). */
  actionMasks: Uint8Array | null;
  /** n x (C + branches), as `act` returned them. */
  oldLogProbs: Float32Array;
  /** n, already normalised over the buffer (ML-Agents does it once per update). */
  advantages: Float32Array;
  /** Per reward signal, n returns. */
  returns: Record<string, Float32Array>;
  /** Per reward signal, n value estimates made when the steps were collected. */
  oldValues: Record<string, Float32Array>;
}

/** The scheduled hyperparameters in force for an update. */
export interface PpoStepHyperparameters {
  learningRate: number;
  beta: number;
  epsilon: number;
}

/** What the PPO trainer needs from the networks and their optimiser (PpoOptimizer implements it). */
export interface PpoLearner {
  act(obs: Float32Array[], masks: Uint8Array | null, n: number, deterministic?: boolean): ActResult;
  values(obs: Float32Array[], n: number): Record<string, Float32Array>;
  updateNormalizer(obs: Float32Array[], n: number): void;
  update(batch: PpoBatch, hp: PpoStepHyperparameters): Record<string, number>;
}
