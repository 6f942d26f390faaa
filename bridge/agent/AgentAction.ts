import type { ActionSpec } from '../spec/BehaviorSpec.js';

/** One agent's action: `continuous` floats in [-1, 1] and one index per discrete branch. */
export interface AgentAction {
  continuous: Float32Array;
  discrete: Int32Array;
}

/** A zeroed action for a spec (what an agent does before its first decision). */
export function emptyAction(spec: ActionSpec): AgentAction {
  return { continuous: new Float32Array(spec.continuous), discrete: new Int32Array(spec.discrete.length) };
}
