import type { RunOptions } from '../config/schema.js';

/**
 * The environment parameters sent to games at connection. Constants are supported; samplers and
 * multi-lesson curricula are refused with a clear message until the trainer drives them.
 */
export function constantEnvironmentParameters(params: RunOptions['environment_parameters']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(params ?? {})) {
    const lesson = p.curriculum[0]!;
    if (p.curriculum.length > 1 || lesson.value.sampler_type !== 'constant') {
      throw new Error(
        `environment_parameters.${name}: curricula and ${lesson.value.sampler_type} samplers are not run by this version of three-rl-agents yet; give a constant value (e.g. ${name}: 1.0)`,
      );
    }
    out[name] = lesson.value.sampler_parameters.value;
  }
  return out;
}
