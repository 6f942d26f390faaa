import * as tf from '@tensorflow/tfjs';
import type { Adam } from '../networks/Adam.js';
import type { StateScope } from '../networks/ActorCritic.js';
import type { RewardSignalState } from './RewardSignal.js';
import type { SignalObservations } from './SignalObservations.js';

const FORMAT = 'three-rl-agents/reward-signal';

/** What a learning signal checkpoints: its variables in a fixed order, its Adam, its normaliser. */
export interface SignalParts {
  readonly signal: string;
  readonly variables: readonly tf.Variable[];
  readonly adam: Adam;
  readonly observations: SignalObservations;
}

/** A copy of a signal's weights, optimiser and normaliser, plus its counters. */
export function captureSignalState(parts: SignalParts, counters: Record<string, number>): RewardSignalState {
  return {
    format: FORMAT,
    version: 1,
    signal: parts.signal,
    weights: parts.variables.map((v) => (v.dataSync() as Float32Array).slice()),
    adam: parts.adam.getState(),
    normalizer: parts.observations.normalizer?.getState() ?? null,
    counters: { ...counters },
  };
}

/**
 * Restores a captureSignalState(); throws naming the field (`where` is the checkpoint path of the
 * state), with the weights untouched when their shapes do not match. Returns the saved counters.
 */
export function restoreSignalState(parts: SignalParts, state: RewardSignalState, where: string, scope: StateScope = 'all'): Record<string, number> {
  if (state?.format !== FORMAT || state.version !== 1) {
    throw new Error(`${where}: expected format ${FORMAT} version 1, got ${JSON.stringify(state?.format)} version ${JSON.stringify(state?.version)}`);
  }
  if (state.signal !== parts.signal) {
    throw new Error(`${where}.signal: this state belongs to reward signal '${state.signal}', not '${parts.signal}'`);
  }
  const vars = parts.variables;
  if (!Array.isArray(state.weights) || state.weights.length !== vars.length) {
    throw new Error(`${where}.weights: expected ${vars.length} arrays (the ${parts.signal} network's variables), got ${Array.isArray(state.weights) ? state.weights.length : typeof state.weights}; the network_settings of the signal changed since the checkpoint`);
  }
  state.weights.forEach((w, i) => {
    if (!(w instanceof Float32Array) || w.length !== vars[i]!.size) {
      throw new Error(`${where}.weights[${i}]: expected a Float32Array of ${vars[i]!.size} (shape ${JSON.stringify(vars[i]!.shape)}), got ${(w as { length?: number })?.length}; the network_settings of the signal changed since the checkpoint`);
    }
  });
  const normalizer = parts.observations.normalizer;
  if ((state.normalizer === null) !== (normalizer === null)) {
    throw new Error(`${where}.normalizer: the checkpoint was saved with network_settings.normalize ${state.normalizer !== null} but the config now says ${normalizer !== null}`);
  }
  if (state.counters === null || typeof state.counters !== 'object') {
    throw new Error(`${where}.counters: expected an object, got ${JSON.stringify(state.counters)}`);
  }
  parts.adam.setState(state.adam, `${where}.adam`);
  if (normalizer && state.normalizer && scope === 'all') normalizer.setState(state.normalizer, `${where}.normalizer`);
  tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(state.weights[i]!, v.shape))));
  return { ...state.counters };
}
