import { observationSize, type BehaviorSpec } from '../spec/BehaviorSpec.js';
import { describeActions, describeModelSignature, type ModelSignature } from './ModelSignature.js';

/** How a behavior's observations feed a model: model input i reads spec observation `specIndex[i]`. */
export interface BehaviorBinding {
  readonly spec: BehaviorSpec;
  readonly specIndex: readonly number[];
}

/**
 * Matches a behavior to a model. Models exported by three-rl-agents name their observations, so
 * they are matched by name (a game may list them in another order); ML-Agents' models are matched
 * by position (see ModelContract for ML-Agents' sensor order). Sizes and actions must agree.
 * Throws with both signatures when they do not.
 */
export function bindBehavior(sig: ModelSignature, spec: BehaviorSpec): BehaviorBinding {
  const problems: string[] = [];
  const specIndex: number[] = [];
  if (sig.observations.length !== spec.observations.length) {
    problems.push(`the model takes ${sig.observations.length} observation input(s), the behavior declares ${spec.observations.length}`);
  } else {
    sig.observations.forEach((input, i) => {
      const k = input.name === null ? i : spec.observations.findIndex((o) => o.name === input.name);
      if (k < 0) {
        problems.push(`${input.input} is observation '${input.name}', which the behavior does not declare`);
        return;
      }
      const o = spec.observations[k]!;
      if (observationSize(o) !== input.size) {
        problems.push(`${input.input} takes ${input.size} floats but observation '${o.name}' has ${observationSize(o)}`);
      }
      specIndex.push(k);
    });
  }
  if (sig.continuousSize !== spec.actions.continuous) {
    problems.push(`the model gives ${sig.continuousSize} continuous action(s), the behavior expects ${spec.actions.continuous}`);
  }
  if (sig.branchSizes.join(',') !== spec.actions.discrete.join(',')) {
    problems.push(`the model's discrete branches are [${sig.branchSizes.join(', ')}], the behavior's [${spec.actions.discrete.join(', ')}]`);
  }
  if (problems.length > 0) {
    throw new Error(
      `OnnxPolicy: the model ${sig.source} does not fit behavior '${spec.name}': ${problems.join('; ')}.\n` +
        `  model:    ${describeModelSignature(sig)}\n` +
        `  behavior: ${describeBehaviorSignature(spec)}`,
    );
  }
  return { spec, specIndex };
}

/** One line in the same form as describeModelSignature: observations in spec order, then actions. */
export function describeBehaviorSignature(spec: BehaviorSpec): string {
  const obs = spec.observations.map((o) => `'${o.name}' [${o.shape.join('x')}]`);
  return `${obs.join(', ')} -> ${describeActions(spec.actions.continuous, spec.actions.discrete)}`;
}
