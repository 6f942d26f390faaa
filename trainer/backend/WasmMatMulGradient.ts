import * as tf from '@tensorflow/tfjs';

/**
 * Why this exists: tfjs' stock gradient of BatchMatMul expresses dA and dB as matMuls with
 * `transposeA` / `transposeB` set, and the WASM backend only has a fast (XNNPACK) path for
 * untransposed operands; with a flag set it falls back to a generic loop that is 10-20x slower
 * (2048x512 . 512x512: ~60 ms untransposed, ~900 ms with transposeB on one core). Materialising
 * the transpose first and multiplying untransposed matrices gives the same numbers at a fraction
 * of the cost, which makes a PPO minibatch of a 512-unit network several times faster.
 *
 * The gradient registry is global, so the replacement defers to the stock gradient on every
 * other backend. `_FusedMatMul` is not covered: its gradient is a customGrad inside the op, not a
 * registry entry, so the networks here use plain matMul + add instead of tf.fused.matMul.
 */
let stockGradient: tf.GradConfig | undefined;

/** Transposes the two innermost dimensions (the matrix part of a batched matMul operand). */
function transposeInner(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/** Explicit-transpose gradient of `C = op(A) . op(B)`; the same math as tfjs' stock gradient. */
function fastBatchMatMulGradient(dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap): Record<string, () => tf.Tensor> {
  const [a, b] = saved as [tf.Tensor, tf.Tensor];
  const transposeA = Boolean(attrs.transposeA);
  const transposeB = Boolean(attrs.transposeB);
  const T = transposeInner;
  if (!transposeA && !transposeB) {
    return { a: () => tf.matMul(dy, T(b)), b: () => tf.matMul(T(a), dy) };
  }
  if (!transposeA && transposeB) {
    return { a: () => tf.matMul(dy, b), b: () => tf.matMul(T(dy), a) };
  }
  if (transposeA && !transposeB) {
    return { a: () => tf.matMul(b, T(dy)), b: () => tf.matMul(a, dy) };
  }
  return { a: () => tf.matMul(T(b), T(dy)), b: () => tf.matMul(T(dy), T(a)) };
}

/** Replaces BatchMatMul's gradient with the explicit-transpose one while the WASM backend is active (idempotent). */
export function installWasmMatMulGradient(): void {
  if (stockGradient) return;
  const stock = tf.getGradient(tf.BatchMatMul);
  if (!stock) throw new Error('installWasmMatMulGradient: tfjs has no BatchMatMul gradient registered; is @tensorflow/tfjs loaded?');
  stockGradient = stock;
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) =>
      tf.getBackend() === 'wasm'
        ? fastBatchMatMulGradient(dy as tf.Tensor, saved, attrs)
        : stock.gradFunc(dy, saved, attrs),
  });
}

/** Puts tfjs' stock BatchMatMul gradient back (for comparisons in tests and benchmarks). */
export function uninstallWasmMatMulGradient(): void {
  if (!stockGradient) return;
  tf.registerGradient(stockGradient);
  stockGradient = undefined;
}

/** True while the explicit-transpose gradient is installed. */
export function wasmMatMulGradientInstalled(): boolean {
  return stockGradient !== undefined;
}
