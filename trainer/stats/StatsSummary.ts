/**
 * How the values of one stat added since the last summary become one number, as ML-Agents'
 * StatsAggregationMethod: 'average' (mean, the default), 'most_recent' (only the last value is
 * kept), 'sum', and 'histogram' (mean as the scalar, plus the full distribution as a histogram).
 */
export type StatsAggregation = 'average' | 'most_recent' | 'sum' | 'histogram';

/** Every aggregation name, for validating input. */
export const STATS_AGGREGATIONS: readonly StatsAggregation[] = ['average', 'most_recent', 'sum', 'histogram'];

/** The values one stat received in a summary period and the aggregation that applies to them. */
export class StatsSummary {
  /** The mean of `values`. */
  readonly mean: number;
  /** The population standard deviation of `values` (ddof 0, as numpy's np.std). */
  readonly std: number;
  /** The sum of `values`. */
  readonly sum: number;

  constructor(
    readonly values: readonly number[],
    readonly aggregation: StatsAggregation,
  ) {
    if (values.length === 0) throw new Error('StatsSummary: values is empty; a summary needs at least one value');
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / values.length;
    // Two passes: the one-pass E[x²]−E[x]² form loses all precision for large, tight values
    // such as an ELO near 1200.
    let squares = 0;
    for (const v of values) squares += (v - mean) * (v - mean);
    this.sum = sum;
    this.mean = mean;
    this.std = Math.sqrt(squares / values.length);
  }

  /** How many values were added. */
  get count(): number {
    return this.values.length;
  }

  /** The number plotted in TensorBoard: the sum for 'sum', else the mean. */
  get value(): number {
    return this.aggregation === 'sum' ? this.sum : this.mean;
  }
}
