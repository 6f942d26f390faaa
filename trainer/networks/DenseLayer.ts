import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { initialKernel, type Initialization } from './Initialization.js';

/** What follows a layer's affine map: ML-Agents' Swish (x * sigmoid(x)) or nothing. */
export type Activation = 'swish' | 'linear';

/** One fully connected layer as plain numbers, for exporters: y = act(x . kernel + bias). */
export interface DenseDescription {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** inputSize x outputSize, row-major (ONNX Gemm with transB = 0). */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly activation: Activation;
}

/** How a layer's kernel starts: ML-Agents' kernel_init and kernel_gain; biases start at zero. */
export interface DenseInit {
  readonly kernel: Initialization;
  readonly gain: number;
}

// Transposed layer inputs of the current backward pass, keyed by the forward input's data id
// (saved copies get new ids): heads reading the same encoding (every discrete branch, mu, several
// value heads) and the actor's and critic's first layers (same observations) then share one
// transpose, the costliest memory-bound op of a WASM backward pass. Entries die with their key or
// when the backward pass's tensors are disposed.
const transposedInputs = new WeakMap<object, tf.Tensor2D>();

function transposedInput(key: object, x: tf.Tensor2D): tf.Tensor2D {
  const cached = transposedInputs.get(key);
  if (cached && !cached.isDisposed) return cached;
  const t = tf.transpose(x);
  transposedInputs.set(key, t);
  return t;
}

/** A fully connected layer with trainable kernel [in, out] and bias [out]. */
export class DenseLayer {
  readonly kernel: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly name: string,
    readonly inputSize: number,
    readonly outputSize: number,
    readonly activation: Activation,
    init: DenseInit,
    rng: SeededRandom,
  ) {
    if (!Number.isInteger(inputSize) || inputSize < 1 || !Number.isInteger(outputSize) || outputSize < 1) {
      throw new Error(`DenseLayer ${name}: sizes must be positive integers, got ${inputSize} -> ${outputSize}`);
    }
    const values = initialKernel(rng, init.kernel, inputSize, outputSize, init.gain);
    // tidy frees the initial values; a variable keeps its own reference to the data.
    this.kernel = tf.tidy(() => tf.variable(tf.tensor2d(values, [inputSize, outputSize]), true));
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outputSize]), true));
  }

  /**
   * y = act(x . W + b) for x [n, inputSize]. `inputIsData` (observations, normalised or not) skips
   * the gradient with respect to x, a matMul as large as the forward one that nothing would use.
   */
  apply(x: tf.Tensor2D, inputIsData = false): tf.Tensor2D {
    const swish = this.activation === 'swish';
    const forward = (input: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D) => {
      const z = tf.add(tf.matMul(input, kernel), bias) as tf.Tensor2D;
      const s = swish ? (tf.sigmoid(z) as tf.Tensor2D) : null;
      return { s, y: s ? (tf.mul(z, s) as tf.Tensor2D) : z };
    };
    // Written out instead of left to autodiff: the bias gradient as ones . dz after dKernel (tfjs'
    // column Sum is ~25x slower on WASM, and XNNPACK reuses dKernel's packing of dz), Swish' as
    // s + y * (1 - s) (= s * (1 + z * (1 - s)), one op fewer), explicit transposes (see
    // WasmMatMulGradient) and no dx for data inputs: each a sizeable share of a minibatch on WASM.
    const backward = (dy: tf.Tensor2D, inputKey: object, input: tf.Tensor2D, kernel: tf.Tensor2D, y: tf.Tensor2D, s: tf.Tensor2D | null) => {
      const dz = s ? (tf.mul(dy, tf.add(s, tf.mul(y, tf.sub(1, s)))) as tf.Tensor2D) : dy;
      const dKernel = tf.matMul(transposedInput(inputKey, input), dz);
      const dBias = tf.reshape(tf.matMul(tf.ones([1, dz.shape[0]]), dz), [this.outputSize]);
      const dInput = inputIsData ? null : tf.matMul(dz, tf.transpose(kernel));
      return { dInput, dKernel, dBias };
    };
    if (inputIsData) {
      const op = tf.customGrad((kernel, bias, save) => {
        const { s, y } = forward(x, kernel as tf.Tensor2D, bias as tf.Tensor1D);
        // x is saved too: it may be an intermediate (normalised observations) that the
        // surrounding tidy would dispose before the backward pass.
        (save as tf.GradSaveFunc)(s ? [x, y, s] : [x, y]);
        return {
          value: y,
          gradFunc: (dy, saved) => {
            const g = backward(dy as tf.Tensor2D, x.dataId, saved[0] as tf.Tensor2D, kernel as tf.Tensor2D, saved[1] as tf.Tensor2D, (saved[2] as tf.Tensor2D | undefined) ?? null);
            return [g.dKernel, g.dBias];
          },
        };
      });
      return op(this.kernel, this.bias) as tf.Tensor2D;
    }
    const op = tf.customGrad((input, kernel, bias, save) => {
      const { s, y } = forward(input as tf.Tensor2D, kernel as tf.Tensor2D, bias as tf.Tensor1D);
      (save as tf.GradSaveFunc)(s ? [input as tf.Tensor2D, y, s] : [input as tf.Tensor2D, y]);
      return {
        value: y,
        gradFunc: (dy, saved) => {
          const g = backward(dy as tf.Tensor2D, (input as tf.Tensor).dataId, saved[0] as tf.Tensor2D, kernel as tf.Tensor2D, saved[1] as tf.Tensor2D, (saved[2] as tf.Tensor2D | undefined) ?? null);
          return [g.dInput!, g.dKernel, g.dBias];
        },
      };
    });
    return op(x, this.kernel, this.bias) as tf.Tensor2D;
  }

  /** The trainable variables, kernel first. */
  get variables(): tf.Variable[] {
    return [this.kernel, this.bias];
  }

  /** A copy of the current weights. */
  describe(): DenseDescription {
    return {
      name: this.name,
      inputSize: this.inputSize,
      outputSize: this.outputSize,
      kernel: this.kernel.dataSync() as Float32Array,
      bias: this.bias.dataSync() as Float32Array,
      activation: this.activation,
    };
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}
