import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { RndSettings } from '../config/schema.js';
import { Adam } from '../networks/Adam.js';
import { MlpBody } from '../networks/MlpBody.js';
import type { StateScope } from '../networks/ActorCritic.js';
import type { Trajectory } from '../trajectory/Trajectory.js';
import { minibatchColumn } from './MinibatchColumns.js';
import type { RewardSignal, RewardSignalMinibatch, RewardSignalState } from './RewardSignal.js';
import { captureSignalState, restoreSignalState, type SignalParts } from './RewardSignalCheckpoint.js';
import { SignalObservations } from './SignalObservations.js';
import { signalNetworkShape } from './SignalNetworkSettings.js';

/**
 * ML-Agents' random network distillation signal (Burda et al. 2018): a fixed, randomly initialised
 * target network and a predictor of the same shape (the signal's network_settings: Swish MLP of
 * hidden_units x num_layers), trained with Adam at the signal's own constant learning_rate to
 * match the target on every PPO minibatch. The reward of a step is the squared prediction error
 * |predictor(s) - target(s)|^2 (summed over the encoding), times strength: high where the agent
 * has rarely been.
 */
export class RndRewardSignal implements RewardSignal {
  readonly name = 'rnd';
  readonly ignoreDone = true;
  readonly gamma: number;
  readonly strength: number;
  readonly learningRate: number;
  readonly target: MlpBody;
  readonly predictor: MlpBody;
  private readonly observations: SignalObservations;
  private readonly adam: Adam;

  constructor(
    readonly spec: BehaviorSpec,
    settings: RndSettings,
    seed: number,
  ) {
    this.gamma = settings.gamma;
    this.strength = settings.strength;
    this.learningRate = settings.learning_rate;
    const shape = signalNetworkShape(settings);
    this.observations = new SignalObservations(spec, shape.normalize);
    const rng = new SeededRandom(seed);
    this.target = new MlpBody('rnd.target', this.observations.inputSize, shape.hiddenUnits, shape.numLayers, rng);
    this.predictor = new MlpBody('rnd.predictor', this.observations.inputSize, shape.hiddenUnits, shape.numLayers, rng);
    this.adam = new Adam(this.predictor.variables);
  }

  evaluate(t: Trajectory): Float32Array {
    const errors = tf.tidy(() => this.errors(this.observations.tensor(t.obs, t.length, 'trajectory')));
    const raw = errors.dataSync();
    errors.dispose();
    // As ML-Agents' encoder, the normaliser takes in the trajectory after scoring it.
    this.observations.update(t.obs, t.length);
    const out = new Float32Array(t.length);
    for (let i = 0; i < t.length; i++) out[i] = raw[i]! * this.strength;
    return out;
  }

  update(minibatch: RewardSignalMinibatch, n: number): Record<string, number> {
    const obs = this.spec.observations.map((o, k) => minibatchColumn(minibatch, `obs${k}`, Float32Array, n * observationSize(o)));
    const inputs = tf.tidy(() => {
      const x = this.observations.tensor(obs, n, 'minibatch');
      return { x, target: this.target.apply(x) };
    });
    let loss: tf.Scalar | null = null;
    let grads: tf.Tensor[] = [];
    try {
      const vars = this.predictor.variables;
      const result = tf.variableGrads(() => tf.mean(tf.sum(tf.square(tf.sub(this.predictor.apply(inputs.x), inputs.target)), 1)) as tf.Scalar, vars);
      loss = result.value;
      grads = vars.map((v) => result.grads[v.name]!);
      this.adam.apply(grads, this.learningRate);
      return { 'Losses/RND Loss': loss.dataSync()[0]! };
    } finally {
      tf.dispose([inputs.x, inputs.target, ...grads, ...(loss ? [loss] : [])]);
    }
  }

  /** Per row, the unscaled reward |predictor(x) - target(x)|^2. */
  errors(x: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => tf.sum(tf.square(tf.sub(this.predictor.apply(x), this.target.apply(x))), 1) as tf.Tensor1D);
  }

  getState(): RewardSignalState {
    return captureSignalState(this.parts(), {});
  }

  setState(state: RewardSignalState, where: string, scope: StateScope = 'all'): void {
    restoreSignalState(this.parts(), state, where, scope);
  }

  dispose(): void {
    this.adam.dispose();
    this.target.dispose();
    this.predictor.dispose();
    this.observations.dispose();
  }

  private parts(): SignalParts {
    return { signal: this.name, variables: [...this.target.variables, ...this.predictor.variables], adam: this.adam, observations: this.observations };
  }
}
