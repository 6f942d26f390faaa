import * as tf from '@tensorflow/tfjs';

/**
 * Why this exists: two kernels of tfjs-backend-wasm 4.x cost a PPO minibatch far more than their
 * work needs.
 *
 * - Identity copies the tensor's bytes. tfjs calls it for every tensor a gradient saves (ten
 *   2048 x 512 copies per minibatch of a 512-unit actor and critic). Tensor data is never written
 *   in place (kernels write fresh outputs, a variable's assign swaps data ids), so sharing the data
 *   with a reference count is safe; it is what the CPU backend's Identity and the WASM backend's
 *   own Reshape do.
 * - Transpose of a 2-D matrix is a plain element loop in the WASM binary, ~5.6 ms for 2048 x 512
 *   on this machine. A cache-blocked loop in JS over the same heap takes ~2.6 ms, and the backward
 *   pass transposes every layer's input once (see DenseLayer).
 *
 * Every other case (other ranks, non-float dtypes) goes to the stock kernel, and tests compare
 * both kernels with the stock ones.
 */

interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}

// 8 x 8 float tiles: each tile's reads and writes stay in L1; larger tiles measured slower.
const TILE = 8;

/** out[j * rows + i] = a[i * cols + j], tile by tile. */
export function transposeMatrix(a: ArrayLike<number>, out: { [i: number]: number }, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[row + j]!;
      }
    }
  }
}

let stock: { identity: tf.KernelConfig; transpose: tf.KernelConfig } | undefined;

function replace(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** Installs the zero-copy Identity and the tiled 2-D Transpose for the 'wasm' backend (idempotent). */
export function installWasmKernelOverrides(): void {
  if (stock) return;
  const identity = tf.getKernel(tf.Identity, 'wasm');
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (!identity || !transpose) throw new Error('installWasmKernelOverrides: the wasm backend has no Identity / Transpose kernel; is @tensorflow/tfjs-backend-wasm loaded?');
  stock = { identity, transpose };
  replace({
    kernelName: tf.Identity,
    backendName: 'wasm',
    // The backend calls setupFunc when it starts (the stock kernels bind their WASM functions there).
    setupFunc: identity.setupFunc,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return identity.kernelFunc(args);
      (args.backend as unknown as WasmBackendInternals).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  });
  replace({
    kernelName: tf.Transpose,
    backendName: 'wasm',
    setupFunc: transpose.setupFunc,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const perm = (args.attrs as { perm?: number[] } | undefined)?.perm;
      if (x.shape.length !== 2 || x.dtype === 'string' || x.dtype === 'complex64' || perm?.[0] !== 1 || perm[1] !== 0) {
        return transpose.kernelFunc(args);
      }
      const backend = args.backend as unknown as WasmBackendInternals;
      const [rows, cols] = x.shape as [number, number];
      // Allocate first: growing the heap replaces the buffer under any earlier view.
      const out = backend.makeOutput([cols, rows], x.dtype);
      transposeMatrix(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), rows, cols);
      return out;
    },
  });
}

/** Puts the stock kernels back (for tests and benchmarks that compare). */
export function uninstallWasmKernelOverrides(): void {
  if (!stock) return;
  replace(stock.identity);
  replace(stock.transpose);
  stock = undefined;
}
