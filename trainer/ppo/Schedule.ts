/** ML-Agents' schedule names for learning rate, beta and epsilon. */
export type ScheduleType = 'linear' | 'constant';

/**
 * A hyperparameter that decays linearly from `initial` to `minimum` at `maxStep` and stays
 * there, or stays constant (ML-Agents' ModelUtils.DecayedValue with power 1). The minimums are
 * ML-Agents' own (1e-10 for the learning rate, 1e-5 for beta, 0.1 for epsilon), so a linear
 * schedule never reaches exactly zero.
 */
export function scheduledValue(
  type: ScheduleType,
  initial: number,
  minimum: number,
  maxStep: number,
  step: number,
): number {
  if (type === 'constant' || maxStep <= 0) return initial;
  const frac = Math.min(Math.max(step, 0), maxStep) / maxStep;
  return (initial - minimum) * (1 - frac) + minimum;
}

/** Minimum values of ML-Agents' decayed hyperparameters. */
export const SCHEDULE_MINIMUM = { learningRate: 1e-10, beta: 1e-5, epsilon: 0.1 } as const;
