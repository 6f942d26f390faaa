import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { CuriositySettings } from '../config/schema.js';
import type { StateScope } from '../networks/ActorCritic.js';
import { Adam } from '../networks/Adam.js';
import type { Trajectory } from '../trajectory/Trajectory.js';
import { flattenActions, flattenedActionSize } from './ActionEncoding.js';
import { CuriosityNetwork } from './CuriosityNetwork.js';
import { minibatchColumn } from './MinibatchColumns.js';
import { nextObservationColumn, nextObservations } from './NextObservations.js';
import type { RewardSignal, RewardSignalColumn, RewardSignalColumnData, RewardSignalMinibatch, RewardSignalState } from './RewardSignal.js';
import { captureSignalState, restoreSignalState, type SignalParts } from './RewardSignalCheckpoint.js';
import { SignalObservations } from './SignalObservations.js';
import { signalNetworkShape } from './SignalNetworkSettings.js';

// ML-Agents' CuriosityRewardProvider: loss = 10 * (0.2 * forward + 0.8 * inverse).
const FORWARD_WEIGHT = 0.2;
const LOSS_MULTIPLIER = 10;

/**
 * ML-Agents' curiosity signal (ICM): the reward of a step is the forward model's error at
 * predicting the encoded next observation, 0.5 * |phi(s') - f(phi(s), a)|^2, clamped so that
 * reward x strength never exceeds 1, and 0 until the first update. The networks train with Adam
 * at the signal's own constant learning_rate on every PPO minibatch.
 */
export class CuriosityRewardSignal implements RewardSignal {
  readonly name = 'curiosity';
  readonly ignoreDone = true;
  readonly columns: readonly RewardSignalColumn[];
  readonly gamma: number;
  readonly strength: number;
  readonly learningRate: number;
  readonly network: CuriosityNetwork;
  private readonly observations: SignalObservations;
  private readonly adam: Adam;
  private hasUpdated = false;

  constructor(
    readonly spec: BehaviorSpec,
    settings: CuriositySettings,
    seed: number,
  ) {
    this.gamma = settings.gamma;
    this.strength = settings.strength;
    this.learningRate = settings.learning_rate;
    const shape = signalNetworkShape(settings);
    this.observations = new SignalObservations(spec, shape.normalize);
    this.network = new CuriosityNetwork(spec.actions, this.observations.inputSize, shape, new SeededRandom(seed));
    this.adam = new Adam(this.network.variables);
    this.columns = spec.observations.map((o, k) => ({ name: nextObservationColumn(k), ctor: Float32Array, width: observationSize(o) }));
  }

  evaluate(t: Trajectory): Float32Array {
    const out = new Float32Array(t.length);
    if (this.hasUpdated && this.strength > 0) {
      const next = nextObservations(this.spec, t);
      const flat = flattenActions(this.spec.actions, t.continuousRaw, t.discrete, t.length, 'trajectory');
      const errors = tf.tidy(() =>
        this.network.forwardErrors(
          this.observations.tensor(t.obs, t.length, 'trajectory'),
          this.observations.tensor(next, t.length, 'trajectory.next'),
          tf.tensor2d(flat, [t.length, flattenedActionSize(this.spec.actions)]),
        ),
      );
      const raw = errors.dataSync();
      errors.dispose();
      // ML-Agents clamps to 1 / strength before scaling: a scaled reward never exceeds 1.
      const cap = 1 / this.strength;
      for (let i = 0; i < t.length; i++) out[i] = Math.min(raw[i]!, cap) * this.strength;
    }
    this.observations.update(t.obs, t.length);
    return out;
  }

  columnsFor(t: Trajectory): Record<string, RewardSignalColumnData> {
    const next = nextObservations(this.spec, t);
    return Object.fromEntries(next.map((col, k) => [nextObservationColumn(k), col]));
  }

  update(minibatch: RewardSignalMinibatch, n: number): Record<string, number> {
    const spec = this.spec;
    const C = spec.actions.continuous;
    const obs = spec.observations.map((o, k) => minibatchColumn(minibatch, `obs${k}`, Float32Array, n * observationSize(o)));
    const next = spec.observations.map((o, k) => minibatchColumn(minibatch, nextObservationColumn(k), Float32Array, n * observationSize(o)));
    const continuousRaw = minibatchColumn(minibatch, 'continuousRaw', Float32Array, n * C);
    const discrete = minibatchColumn(minibatch, 'discrete', Int32Array, n * spec.actions.discrete.length);
    const flat = flattenActions(spec.actions, continuousRaw, discrete, n, 'minibatch');
    const width = flattenedActionSize(spec.actions);
    // Each is one op on uploaded data, so nothing intermediate needs a tidy.
    const flatT = tf.tensor2d(flat, [n, width]);
    const inputs = {
      x: this.observations.tensor(obs, n, 'minibatch'),
      nextX: this.observations.tensor(next, n, 'minibatch.next'),
      flat: flatT,
      continuous: C > 0 ? tf.tensor2d(continuousRaw, [n, C]) : null,
      oneHot: width > C ? (tf.slice(flatT, [0, C], [n, width - C]) as tf.Tensor2D) : null,
    };
    const kept: tf.Tensor[] = [];
    let grads: tf.Tensor[] = [];
    try {
      const vars = this.network.variables;
      const result = tf.variableGrads(() => {
        const l = this.network.losses(inputs.x, inputs.nextX, inputs.flat, inputs.continuous, inputs.oneHot);
        kept.push(tf.keep(l.forward), tf.keep(l.inverse));
        return tf.mul(tf.add(tf.mul(l.forward, FORWARD_WEIGHT), tf.mul(l.inverse, 1 - FORWARD_WEIGHT)), LOSS_MULTIPLIER) as tf.Scalar;
      }, vars);
      kept.push(result.value);
      grads = vars.map((v) => result.grads[v.name]!);
      this.adam.apply(grads, this.learningRate);
      const forward = kept[0]!.dataSync()[0]!;
      const inverse = kept[1]!.dataSync()[0]!;
      this.hasUpdated = true;
      return { 'Losses/Curiosity Forward Loss': forward, 'Losses/Curiosity Inverse Loss': inverse };
    } finally {
      tf.dispose([...kept, ...grads, ...Object.values(inputs).filter((t): t is tf.Tensor2D => t !== null)]);
    }
  }

  getState(): RewardSignalState {
    return captureSignalState(this.parts(), { hasUpdated: this.hasUpdated ? 1 : 0 });
  }

  setState(state: RewardSignalState, where: string, scope: StateScope = 'all'): void {
    const counters = restoreSignalState(this.parts(), state, where, scope);
    this.hasUpdated = counters.hasUpdated === 1;
  }

  dispose(): void {
    this.adam.dispose();
    this.network.dispose();
    this.observations.dispose();
  }

  private parts(): SignalParts {
    return { signal: this.name, variables: this.network.variables, adam: this.adam, observations: this.observations };
  }
}
