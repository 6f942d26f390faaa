/**
 * The behavior spec: the one declaration of what a behavior observes and does.
 * The game declares it, the protocol carries it in `hello`, the trainer builds its
 * networks from it and the ONNX exporter names its inputs after it.
 */

/** How an observation is produced; `rays` come from a RayPerceptionSensor3D. */
export type ObservationKind = 'vector' | 'rays';

/** One named observation of a behavior; its values are sent flat, row-major. */
export interface ObservationSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly kind: ObservationKind;
}

/** The action space: `continuous` floats plus one categorical choice per discrete branch. */
export interface ActionSpec {
  readonly continuous: number;
  readonly discrete: readonly number[];
}

/** Everything the trainer needs to know about a behavior before its first step. */
export interface BehaviorSpec {
  readonly name: string;
  readonly observations: readonly ObservationSpec[];
  readonly actions: ActionSpec;
  /** Number of teams that play each other (self-play); 1 when there is no opponent. */
  readonly teamCount: number;
  /** Agent steps before an episode is interrupted; 0 means never. */
  readonly maxStep: number;
}

/** Number of floats in one agent's copy of an observation. */
export function observationSize(obs: ObservationSpec): number {
  return obs.shape.reduce((a, b) => a * b, 1);
}

/** Floats per agent summed over all observations. */
export function totalObservationSize(spec: BehaviorSpec): number {
  return spec.observations.reduce((sum, o) => sum + observationSize(o), 0);
}

/** Width of one agent's row in an action mask: the sum of the discrete branch sizes. */
export function actionMaskSize(actions: ActionSpec): number {
  return actions.discrete.reduce((a, b) => a + b, 0);
}

/** Throws with the field named when a spec is malformed; returns the spec for chaining. */
export function checkBehaviorSpec(spec: BehaviorSpec, where = 'behavior'): BehaviorSpec {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new Error(`${where}.${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  };
  if (typeof spec.name !== 'string' || spec.name.length === 0 || /[?\s]/.test(spec.name)) {
    fail('name', 'a non-empty name without spaces or "?"', spec.name);
  }
  if (!Array.isArray(spec.observations) || spec.observations.length === 0) {
    fail('observations', 'at least one observation', spec.observations);
  }
  const seen = new Set<string>();
  spec.observations.forEach((o, i) => {
    if (typeof o.name !== 'string' || o.name.length === 0) fail(`observations[${i}].name`, 'a non-empty string', o.name);
    if (seen.has(o.name)) fail(`observations[${i}].name`, 'a name not used by another observation', o.name);
    seen.add(o.name);
    if (!Array.isArray(o.shape) || o.shape.length === 0 || !o.shape.every((d) => Number.isInteger(d) && d > 0)) {
      fail(`observations[${i}].shape`, 'a list of positive integers', o.shape);
    }
    if (o.kind !== 'vector' && o.kind !== 'rays') fail(`observations[${i}].kind`, "'vector' or 'rays'", o.kind);
  });
  const a = spec.actions;
  if (!a || !Number.isInteger(a.continuous) || a.continuous < 0) fail('actions.continuous', 'an integer >= 0', a?.continuous);
  if (!Array.isArray(a.discrete) || !a.discrete.every((b) => Number.isInteger(b) && b > 0)) {
    fail('actions.discrete', 'a list of branch sizes > 0', a.discrete);
  }
  if (a.continuous === 0 && a.discrete.length === 0) fail('actions', 'at least one continuous or discrete action', a);
  if (!Number.isInteger(spec.teamCount) || spec.teamCount < 1) fail('teamCount', 'an integer >= 1', spec.teamCount);
  if (!Number.isInteger(spec.maxStep) || spec.maxStep < 0) fail('maxStep', 'an integer >= 0 (0 = no limit)', spec.maxStep);
  return spec;
}
