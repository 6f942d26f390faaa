/**
 * Valid protocol messages built from behavior specs, for the protocol tests and bench.
 * Tests break one field at a time from these, so every builder returns fresh arrays.
 */
import { actionMaskSize, observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type {
  ActionsMessage,
  DecisionSet,
  HelloMessage,
  StepsMessage,
  TerminalSet,
  WelcomeMessage,
} from '../../bridge/protocol/messages.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';

/** One vector observation, one discrete branch of 3 (ML-Agents' Basic, widened). */
export const basicSpec: BehaviorSpec = {
  name: 'Basic',
  observations: [{ name: 'position', shape: [20], kind: 'vector' }],
  actions: { continuous: 0, discrete: [3] },
  teamCount: 1,
  maxStep: 0,
};

/** Two observations, continuous and discrete actions, two teams. */
export const mixedSpec: BehaviorSpec = {
  name: 'Mixed',
  observations: [
    { name: 'rays', shape: [2, 7], kind: 'rays' },
    { name: 'velocity', shape: [3], kind: 'vector' },
  ],
  actions: { continuous: 2, discrete: [3, 2] },
  teamCount: 2,
  maxStep: 100,
};

/** SoccerTwos-sized: 336 floats per agent, discrete [3, 3, 3], two teams. */
export const soccerSpec: BehaviorSpec = {
  name: 'SoccerTwos',
  observations: [
    { name: 'forwardRays', shape: [264], kind: 'rays' },
    { name: 'backwardRays', shape: [72], kind: 'rays' },
  ],
  actions: { continuous: 0, discrete: [3, 3, 3] },
  teamCount: 2,
  maxStep: 0,
};

/** The specs as a trainer or game holds them after the handshake. */
export function specMap(...specs: BehaviorSpec[]): Map<string, BehaviorSpec> {
  return new Map(specs.map((s) => [s.name, s]));
}

export function helloMessage(...specs: BehaviorSpec[]): HelloMessage {
  return {
    type: 'hello',
    protocol: PROTOCOL_VERSION,
    game: 'TestGame',
    instanceId: 'test-1',
    behaviors: specs.map((s) => structuredClone(s)),
    areas: 1,
    capabilities: [],
  };
}

export function welcomeMessage(): WelcomeMessage {
  return {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    seed: 42,
    timeScale: 20,
    decisionPeriod: null,
    parameters: { difficulty: 0.5 },
    mode: 'train',
  };
}

function baseSet(spec: BehaviorSpec, ids: readonly number[], rng: SeededRandom) {
  const n = ids.length;
  const random = (length: number) => {
    const a = new Float32Array(length);
    for (let i = 0; i < length; i++) a[i] = rng.nextUint32() / 2 ** 31 - 1;
    return a;
  };
  return {
    agentIds: Int32Array.from(ids),
    obs: spec.observations.map((o) => random(n * observationSize(o))),
    rewards: random(n),
    groupIds: new Int32Array(n),
    groupRewards: new Float32Array(n),
    teamIds: Int32Array.from(ids, (id) => id % spec.teamCount),
  };
}

/** Agents `ids` asking for a decision, every action allowed except the last of each branch for even ids. */
export function decisionSet(spec: BehaviorSpec, ids: readonly number[], seed = 1): DecisionSet {
  const set: DecisionSet = baseSet(spec, ids, new SeededRandom(seed));
  const width = actionMaskSize(spec.actions);
  if (width > 0) {
    const masks = new Uint8Array(ids.length * width).fill(1);
    ids.forEach((id, row) => {
      if (id % 2 !== 0) return;
      let at = row * width;
      for (const size of spec.actions.discrete) {
        if (size > 1) masks[at + size - 1] = 0;
        at += size;
      }
    });
    set.actionMasks = masks;
  }
  return set;
}

/** Agents `ids` whose episode ended; odd ids were interrupted. */
export function terminalSet(spec: BehaviorSpec, ids: readonly number[], seed = 2): TerminalSet {
  return { ...baseSet(spec, ids, new SeededRandom(seed)), interrupted: Uint8Array.from(ids, (id) => id % 2) };
}

/** A steps message with `decisions` and `terminals` of one behavior. */
export function stepsMessage(spec: BehaviorSpec, decisions: readonly number[], terminals: readonly number[] = []): StepsMessage {
  return {
    type: 'steps',
    behaviors: { [spec.name]: { decisions: decisionSet(spec, decisions), terminals: terminalSet(spec, terminals) } },
  };
}

/** A valid answer to the decisions of `ids` (discrete actions cycle through each branch). */
export function actionsMessage(spec: BehaviorSpec, ids: Int32Array): ActionsMessage {
  const n = ids.length;
  const branches = spec.actions.discrete;
  const continuous = new Float32Array(n * spec.actions.continuous).map((_, i) => Math.sin(i));
  const discrete = new Int32Array(n * branches.length).map((_, i) => i % branches[i % branches.length]!);
  return { type: 'actions', behaviors: { [spec.name]: { agentIds: ids.slice(), continuous, discrete } } };
}
