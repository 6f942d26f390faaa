import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { observationSize, type BehaviorSpec } from '../spec/BehaviorSpec.js';
import type { InProcessPolicy } from '../sync/Sync.js';
import { bindBehavior, type BehaviorBinding } from './BehaviorBinding.js';
import { loadModelBytes, type ModelSource } from './loadModelBytes.js';
import { TensorNames } from './ModelContract.js';
import { readModelHeader } from './ModelMetadata.js';
import { readModelSignature, type ModelSignature } from './ModelSignature.js';
import { loadOnnxRuntime, type OnnxRuntimeChoice, type OrtModule } from './OnnxRuntime.js';

/** How to load and run a policy model. */
export interface OnnxPolicyOptions {
  /**
   * Argmax / clamped-mean actions instead of sampled ones. Default false, as ML-Agents'
   * BehaviorParameters.DeterministicInference: the policy acts as it did in training.
   */
  deterministic?: boolean;
  /** 'auto' (default): onnxruntime-node in Node, onnxruntime-web (WASM) in browsers. */
  runtime?: OnnxRuntimeChoice;
  /** WASM threads for the web runtime (default 1 in Node, ORT's default in browsers). */
  wasmThreads?: number;
  /** When given, the model is checked against this behavior at load time. */
  behavior?: BehaviorSpec;
  /** Passed to InferenceSession.create (execution providers, graph optimisation level ...). */
  sessionOptions?: InferenceSession.SessionOptions;
}

/** Actions for n agents, rows in agent order. */
export interface PolicyActions {
  continuous: Float32Array;
  discrete: Int32Array;
}

/**
 * A trained policy in ONNX (ML-Agents model API 3: ours or ML-Agents' own), run in the game. It
 * is Sync's InProcessPolicy: `new Sync({ mode: 'onnx', policy })`, or per agent with
 * `sync.setDecisionSource(agent, 'policy', policy)`. Each `decide` runs all the agents of a
 * behavior in one batch; runs on one session are queued, never concurrent.
 */
export class OnnxPolicy implements InProcessPolicy {
  /** The model's inputs and actions. */
  readonly signature: ModelSignature;
  /** Which onnxruntime package runs it. */
  readonly runtime: 'node' | 'web';
  /** Argmax / clamped mean (true) or sampled actions (false); may be switched at any time. */
  deterministic: boolean;

  private readonly bindings = new WeakMap<BehaviorSpec, BehaviorBinding>();
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;

  private constructor(
    private readonly session: InferenceSession,
    private readonly ort: OrtModule,
    runtime: 'node' | 'web',
    signature: ModelSignature,
    deterministic: boolean,
  ) {
    this.runtime = runtime;
    this.signature = signature;
    this.deterministic = deterministic;
  }

  /** Loads a model from a file path (Node), a URL, or its bytes, and checks that it is a policy it can run. */
  static async load(source: ModelSource, options: OnnxPolicyOptions = {}): Promise<OnnxPolicy> {
    if (options.deterministic !== undefined && typeof options.deterministic !== 'boolean') {
      throw new Error(`OnnxPolicyOptions.deterministic: expected true or false, got ${JSON.stringify(options.deterministic)}`);
    }
    const label = source instanceof Uint8Array || source instanceof ArrayBuffer ? 'the model given as bytes' : String(source);
    const [bytes, runtime] = await Promise.all([loadModelBytes(source), loadOnnxRuntime(options.runtime, { wasmThreads: options.wasmThreads })]);
    const header = readModelHeader(bytes, label);
    let session: InferenceSession;
    try {
      session = await runtime.ort.InferenceSession.create(bytes, options.sessionOptions ?? {});
    } catch (e) {
      throw new Error(`OnnxPolicy: onnxruntime-${runtime.name} cannot load ${label}: ${(e as Error).message}`);
    }
    try {
      const signature = await readModelSignature(session, runtime.ort, header, label);
      const policy = new OnnxPolicy(session, runtime.ort, runtime.name, signature, options.deterministic ?? false);
      if (options.behavior) policy.checkBehavior(options.behavior);
      return policy;
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  /** Throws, listing both signatures, unless this model can act for the behavior. */
  checkBehavior(spec: BehaviorSpec): void {
    this.bind(spec);
  }

  /** Actions for n agents of a behavior; `obs` holds one flat array per observation of the spec (n rows each). */
  decide(behavior: BehaviorSpec, obs: Float32Array[], actionMasks: Uint8Array | null, n: number): Promise<PolicyActions> {
    const run = this.queue.then(() => this.run(behavior, obs, actionMasks, n));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Frees the session; decide() fails afterwards. */
  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue;
    await this.session.release();
  }

  private bind(spec: BehaviorSpec): BehaviorBinding {
    let binding = this.bindings.get(spec);
    if (!binding) {
      binding = bindBehavior(this.signature, spec);
      this.bindings.set(spec, binding);
    }
    return binding;
  }

  private async run(spec: BehaviorSpec, obs: Float32Array[], masks: Uint8Array | null, n: number): Promise<PolicyActions> {
    if (this.released) throw new Error('OnnxPolicy.decide: the policy was disposed');
    const sig = this.signature;
    const C = sig.continuousSize;
    const B = sig.branchSizes.length;
    if (!Number.isInteger(n) || n < 0) throw new Error(`OnnxPolicy.decide: n must be an integer >= 0, got ${n}`);
    const binding = this.bind(spec);
    if (n === 0) return { continuous: new Float32Array(0), discrete: new Int32Array(0) };
    if (!Array.isArray(obs) || obs.length !== spec.observations.length) {
      throw new Error(`OnnxPolicy.decide: expected ${spec.observations.length} observation arrays (one per observation of '${spec.name}'), got ${Array.isArray(obs) ? obs.length : typeof obs}`);
    }
    const feeds: Record<string, Tensor> = {};
    sig.observations.forEach((input, i) => {
      const k = binding.specIndex[i]!;
      const values = obs[k];
      const need = n * observationSize(spec.observations[k]!);
      if (!(values instanceof Float32Array) || values.length < need) {
        throw new Error(`OnnxPolicy.decide: observation '${spec.observations[k]!.name}' needs a Float32Array of ${n} x ${need / n} = ${need} floats, got ${values instanceof Float32Array ? values.length : typeof values}`);
      }
      feeds[input.input] = new this.ort.Tensor('float32', values.length === need ? values : values.subarray(0, need), [n, ...input.dims]);
    });
    if (sig.maskWidth !== null) feeds[TensorNames.actionMasks] = new this.ort.Tensor('float32', this.maskRows(masks, n, sig.maskWidth), [n, sig.maskWidth]);

    const continuousName = this.deterministic ? TensorNames.deterministicContinuousActions : TensorNames.continuousActions;
    const discreteName = this.deterministic ? TensorNames.deterministicDiscreteActions : TensorNames.discreteActions;
    const fetches: string[] = [];
    if (C > 0) fetches.push(continuousName);
    if (B > 0) fetches.push(discreteName);
    const out = await this.session.run(feeds, fetches);

    const continuous = C > 0 ? Float32Array.from(out[continuousName]!.data as Float32Array) : new Float32Array(0);
    const discrete = new Int32Array(n * B);
    if (B > 0) {
      const raw = out[discreteName]!.data as BigInt64Array | Int32Array;
      for (let j = 0; j < discrete.length; j++) discrete[j] = Number(raw[j]!);
    }
    if (continuous.length !== n * C || (B > 0 && (out[discreteName]!.data as ArrayLike<unknown>).length !== n * B)) {
      throw new Error(`OnnxPolicy.decide: the model ${sig.source} returned ${continuous.length} continuous / ${discrete.length} discrete values for ${n} agents`);
    }
    return { continuous, discrete };
  }

  /** The protocol's 0/1 mask bytes as the float rows ML-Agents' graphs take; null means all allowed. */
  private maskRows(masks: Uint8Array | null, n: number, width: number): Float32Array {
    const size = n * width;
    const rows = new Float32Array(size);
    if (masks === null) return rows.fill(1);
    if (!(masks instanceof Uint8Array) || masks.length < size) {
      throw new Error(`OnnxPolicy.decide: actionMasks must be null or a Uint8Array of ${n} x ${width} = ${size}, got ${masks instanceof Uint8Array ? masks.length : typeof masks}`);
    }
    for (let j = 0; j < size; j++) rows[j] = masks[j]!;
    return rows;
  }
}
