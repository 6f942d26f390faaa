import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** The first field where two specs of the same behavior name disagree. */
export interface BehaviorSpecDifference {
  /** Path inside the spec, e.g. `observations[0].shape` or `actions.discrete`. */
  field: string;
  expected: unknown;
  got: unknown;
}

/**
 * Compares the spec a game declares with the one the run already uses for that name; null when
 * they are the same. A run keeps one spec per behavior name (its networks, its episode length), so
 * any difference refuses the game.
 */
export function diffBehaviorSpecs(known: BehaviorSpec, incoming: BehaviorSpec): BehaviorSpecDifference | null {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const diff = (field: string, expected: unknown, got: unknown) => (same(expected, got) ? null : { field, expected, got });

  if (known.observations.length !== incoming.observations.length) {
    return {
      field: 'observations',
      expected: known.observations.map((o) => o.name),
      got: incoming.observations.map((o) => o.name),
    };
  }
  for (let i = 0; i < known.observations.length; i++) {
    const a = known.observations[i]!;
    const b = incoming.observations[i]!;
    const d =
      diff(`observations[${i}].name`, a.name, b.name) ??
      diff(`observations[${i}].shape`, a.shape, b.shape) ??
      diff(`observations[${i}].kind`, a.kind, b.kind);
    if (d) return d;
  }
  return (
    diff('actions.continuous', known.actions.continuous, incoming.actions.continuous) ??
    diff('actions.discrete', known.actions.discrete, incoming.actions.discrete) ??
    diff('teamCount', known.teamCount, incoming.teamCount) ??
    diff('maxStep', known.maxStep, incoming.maxStep)
  );
}
