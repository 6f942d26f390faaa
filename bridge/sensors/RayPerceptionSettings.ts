/**
 * What a ray sensor casts, independent of any physics world, so that a behavior spec can derive the
 * observation from the same settings every agent's sensor is built from. Names, ranges and defaults
 * are those of ML-Agents' RayPerceptionSensorComponent3D.
 */
import type { ObservationSpec } from '../spec/BehaviorSpec.js';

/** Settings of a RayPerceptionSensor3D (ML-Agents' component fields, camelCase). */
export interface RayPerceptionSettings {
  /** Name of the observation in the behavior spec. */
  readonly name: string;
  /** Tags reported one-hot, in this order (ML-Agents' DetectableTags). */
  readonly detectableTags: readonly string[];
  /** Rays to each side of the center ray; 0..50, default 3. */
  readonly raysPerDirection?: number;
  /** Angle between the center ray and the outermost rays, 0..180 degrees; default 70. */
  readonly maxRayDegrees?: number;
  /** Length of each ray in world units; default 20. */
  readonly rayLength?: number;
  /** Radius of the swept sphere (0 = thin rays); default 0.5. Approximated, see RayPerceptionSensor3D. */
  readonly sphereCastRadius?: number;
  /** Ray start is moved up (or down) by this much; -10..10, default 0. */
  readonly startVerticalOffset?: number;
  /** Ray end is moved up (or down) by this much; -10..10, default 0. */
  readonly endVerticalOffset?: number;
  /** Past results stacked into the observation (oldest first); 1..50, default 1. */
  readonly observationStacks?: number;
}

/** Settings with every default filled in. */
export type ResolvedRayPerceptionSettings = Required<RayPerceptionSettings>;

/** Fills ML-Agents' defaults and checks every field, throwing an error that names it. */
export function resolveRayPerceptionSettings(s: RayPerceptionSettings): ResolvedRayPerceptionSettings {
  const where = `RayPerceptionSettings${typeof s?.name === 'string' ? ` '${s.name}'` : ''}`;
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new Error(`${where}.${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  };
  if (typeof s?.name !== 'string' || s.name.length === 0) fail('name', 'a non-empty observation name', s?.name);
  if (!Array.isArray(s.detectableTags)) fail('detectableTags', 'a list of tag strings (may be empty)', s.detectableTags);
  s.detectableTags.forEach((t, i) => {
    if (typeof t !== 'string' || t.length === 0) fail(`detectableTags[${i}]`, 'a non-empty string', t);
    if (s.detectableTags.indexOf(t) !== i) fail(`detectableTags[${i}]`, 'a tag not listed twice', t);
  });
  const num = (field: keyof RayPerceptionSettings, def: number, min: number, max: number, integer = false): number => {
    const v = (s[field] as number | undefined) ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      fail(field, `${integer ? 'an integer' : 'a number'} in ${min}..${max}`, v);
    }
    return v;
  };
  const resolved: ResolvedRayPerceptionSettings = {
    name: s.name,
    detectableTags: [...s.detectableTags],
    raysPerDirection: num('raysPerDirection', 3, 0, 50, true),
    maxRayDegrees: num('maxRayDegrees', 70, 0, 180),
    rayLength: num('rayLength', 20, 0, Number.MAX_VALUE),
    sphereCastRadius: num('sphereCastRadius', 0.5, 0, Number.MAX_VALUE),
    startVerticalOffset: num('startVerticalOffset', 0, -10, 10),
    endVerticalOffset: num('endVerticalOffset', 0, -10, 10),
    observationStacks: num('observationStacks', 1, 1, 50, true),
  };
  if (!(resolved.rayLength > 0)) fail('rayLength', 'a length > 0', resolved.rayLength);
  return resolved;
}

/**
 * Ray angles in degrees, 90 = straight ahead, in ML-Agents' order: center first, then for each
 * step outwards the ray at 90 - k*delta (agent's right) followed by 90 + k*delta (agent's left).
 */
export function rayAngles(raysPerDirection: number, maxRayDegrees: number): Float64Array {
  const angles = new Float64Array(2 * raysPerDirection + 1);
  const delta = maxRayDegrees / raysPerDirection;
  angles[0] = 90;
  for (let i = 0; i < raysPerDirection; i++) {
    angles[2 * i + 1] = 90 - (i + 1) * delta;
    angles[2 * i + 2] = 90 + (i + 1) * delta;
  }
  return angles;
}

/** Floats per cast of one ray: one-hot tag, "hit nothing" flag, hit fraction. */
export function floatsPerRay(s: Pick<RayPerceptionSettings, 'detectableTags'>): number {
  return s.detectableTags.length + 2;
}

/** Floats of one unstacked result: (numTags + 2) * (2 * raysPerDirection + 1). */
export function rayPerceptionFrameSize(s: RayPerceptionSettings): number {
  const r = resolveRayPerceptionSettings(s);
  return floatsPerRay(r) * (2 * r.raysPerDirection + 1);
}

/** The observation a sensor with these settings produces: flat, (numTags + 2) * rays * stacks floats, kind 'rays'. */
export function rayPerceptionObservationSpec(s: RayPerceptionSettings): ObservationSpec {
  const r = resolveRayPerceptionSettings(s);
  return { name: r.name, shape: [rayPerceptionFrameSize(r) * r.observationStacks], kind: 'rays' };
}
