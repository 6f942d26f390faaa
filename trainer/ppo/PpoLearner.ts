import type { ActResult } from '../networks/ActorCritic.js';

/** Actions taken in n observation rows; every array is flat and row-major. */
export interface PolicyActions {
  n: number;
  /** One block per observation of the spec, n x observationSize each. */
  obs: Float32Array[];
  /** n x C raw samples (as `act` returned them in continuousRaw). */
  continuousRaw: Float32Array;
  /** n x branches. */
  discrete: Int32Array;
  /** n x sum(branch sizes), 1 allowed; null when there are no masks (all allowed). */
  actionMasks: Uint8Array | null;
}

/** One PPO minibatch, rows are agent steps. */
export interface PpoBatch extends PolicyActions {
  /** n x (C + branches), as `act` returned them. */
  oldLogProbs: Float32Array;
  /**
   * n x (C + branches): the same actions' log probs under the policy the update started from, when
   * that is not the policy that acted (a threaded update); the loss is then the decoupled one (see
   * trustRegionPolicyLoss). Absent: ML-Agents' loss, clipped around `oldLogProbs`.
   */
  proximalLogProbs?: Float32Array;
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
  /** Log probs (n x (C + branches)) of actions already taken, under the current policy. */
  actionLogProbs(actions: PolicyActions): Float32Array;
  update(batch: PpoBatch, hp: PpoStepHyperparameters): Record<string, number>;
}
