/** A histogram as TensorBoard's HistogramProto holds it: bucket i counts values up to bucketLimit[i]. */
export interface HistogramData {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/**
 * TensorFlow's default bucket edges, which PyTorch's SummaryWriter (and so ML-Agents) uses too:
 * ±1e-12·1.1^k up to 1e20, plus 0. Fine near zero and wide, so one set fits any statistic.
 */
const DEFAULT_EDGES: Float64Array = (() => {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  const edges = [...positive.map((v) => -v).reverse(), 0, ...positive];
  return Float64Array.from(edges);
})();

/** Index of the bin [edges[i], edges[i+1]) holding `x` (the last bin is closed), or -1 when outside. */
function binOf(x: number, edges: Float64Array): number {
  const last = edges.length - 1;
  if (!(x >= edges[0]!) || x > edges[last]!) return -1;
  if (x === edges[last]) return last - 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x >= edges[mid]!) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Histogram of `values` over TensorFlow's default buckets, trimmed to the occupied range the way
 * PyTorch's make_histogram does: TensorBoard only stores right edges, so an empty bucket whose
 * limit is the first occupied bin's left edge comes first. NaN and ±Infinity are left out (they
 * have no bucket); returns null when no finite value remains.
 */
export function buildHistogram(values: readonly number[]): HistogramData | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  const counts = new Map<number, number>();
  let first = Infinity;
  let lastBin = -Infinity;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (const v of finite) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    sumSquares += v * v;
    const bin = binOf(v, DEFAULT_EDGES);
    if (bin < 0) continue;
    counts.set(bin, (counts.get(bin) ?? 0) + 1);
    first = Math.min(first, bin);
    lastBin = Math.max(lastBin, bin);
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  if (counts.size > 0) {
    bucketLimit.push(DEFAULT_EDGES[first]!);
    bucket.push(0);
    for (let bin = first; bin <= lastBin; bin++) {
      bucketLimit.push(DEFAULT_EDGES[bin + 1]!);
      bucket.push(counts.get(bin) ?? 0);
    }
  }
  return { min, max, num: finite.length, sum, sumSquares, bucketLimit, bucket };
}
