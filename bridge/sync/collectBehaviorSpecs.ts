import type { AIController } from '../agent/AIController.js';
import { checkBehaviorSpec, type BehaviorSpec } from '../spec/BehaviorSpec.js';

/**
 * The behaviors of a scene, by name, in order of first appearance. Agents of one behavior may hold
 * different spec objects only if they are equal; two different specs under one name are refused
 * with both shown, since the trainer would build one network for two shapes.
 */
export function collectBehaviorSpecs(agents: readonly AIController[]): Map<string, BehaviorSpec> {
  const specs = new Map<string, BehaviorSpec>();
  const firstAgent = new Map<string, number>();
  const checked = new Set<BehaviorSpec>();
  agents.forEach((agent, i) => {
    const spec = agent?.behavior;
    if (!spec || typeof spec !== 'object') {
      throw new Error(`game.agents[${i}]: expected an AIController with a behavior spec, got ${agent === null ? 'null' : typeof agent}`);
    }
    if (!checked.has(spec)) {
      checkBehaviorSpec(spec, `game.agents[${i}].behavior`);
      checked.add(spec);
    }
    const known = specs.get(spec.name);
    if (known === undefined) {
      specs.set(spec.name, spec);
      firstAgent.set(spec.name, i);
    } else if (known !== spec && canonical(known) !== canonical(spec)) {
      throw new Error(
        `behavior '${spec.name}' has two different specs: game.agents[${firstAgent.get(spec.name)}] declares ` +
          `${canonical(known)} but game.agents[${i}] declares ${canonical(spec)}; ` +
          `give the agents one shared spec object or use different behavior names`,
      );
    }
  });
  return specs;
}

/** A plain copy of a spec with only the protocol's fields (what `hello` carries). */
export function plainBehaviorSpec(spec: BehaviorSpec): BehaviorSpec {
  return {
    name: spec.name,
    observations: spec.observations.map((o) => ({ name: o.name, shape: [...o.shape], kind: o.kind })),
    actions: { continuous: spec.actions.continuous, discrete: [...spec.actions.discrete] },
    teamCount: spec.teamCount,
    maxStep: spec.maxStep,
  };
}

function canonical(spec: BehaviorSpec): string {
  return JSON.stringify(plainBehaviorSpec(spec));
}
