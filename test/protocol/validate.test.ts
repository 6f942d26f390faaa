import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../bridge/protocol/messages.js';
import { ProtocolError } from '../../bridge/protocol/ProtocolError.js';
import {
  validateGameMessage,
  validateHello,
  validateTrainerMessage,
  validateWelcome,
} from '../../bridge/protocol/validate.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';
import {
  actionsMessage,
  basicSpec,
  decisionSet,
  helloMessage,
  mixedSpec,
  specMap,
  stepsMessage,
  terminalSet,
  welcomeMessage,
} from './sampleMessages.js';

/** Runs `fn`, expects a ProtocolError with this code and field, returns its message. */
function protocolError(fn: () => unknown, code: ErrorCode, field?: string): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  const err = caught as ProtocolError;
  expect({ code: err.code, field: err.field }).toEqual({ code, field });
  return err.message;
}

const specs = specMap(basicSpec, mixedSpec);
// Mutable view of a message so tests can break one field at a time.
type Loose = Record<string, any>;
const steps = (decisions: number[], terminals: number[] = [], spec = mixedSpec): Loose => stepsMessage(spec, decisions, terminals);
const gameMsg = (m: unknown) => validateGameMessage(m, specs);
const awaiting = (ids: number[], spec = mixedSpec) => ({ specs, awaiting: new Map([[spec.name, Int32Array.from(ids)]]) });

describe('validateHello', () => {
  it('accepts a hello and a different minor version', () => {
    expect(validateHello(helloMessage(basicSpec, mixedSpec)).behaviors).toHaveLength(2);
    const newer: Loose = helloMessage(basicSpec);
    newer.protocol = '1.7';
    expect(validateHello(newer).protocol).toBe('1.7');
  });

  it('refuses another major version, naming both', () => {
    const m: Loose = helloMessage(basicSpec);
    m.protocol = '2.3';
    const msg = protocolError(() => validateHello(m), 'version_mismatch', 'protocol');
    expect(msg).toContain('2.3');
    expect(msg).toContain(PROTOCOL_VERSION);
    m.protocol = 'one';
    protocolError(() => validateHello(m), 'invalid_field', 'protocol');
  });

  it('checks every behavior spec and names the nested field', () => {
    const m: Loose = helloMessage(basicSpec, mixedSpec);
    m.behaviors[1].observations[0].shape = [2, 0];
    expect(protocolError(() => validateHello(m), 'invalid_field', 'behaviors[1].observations[0].shape')).toContain('positive integers');

    const dup: Loose = helloMessage(basicSpec, basicSpec);
    protocolError(() => validateHello(dup), 'invalid_field', 'behaviors[1].name');

    const notMap: Loose = helloMessage(basicSpec);
    notMap.behaviors[0].observations[0] = 'position';
    protocolError(() => validateHello(notMap), 'invalid_field', 'behaviors[0].observations[0]');

    const noActions: Loose = helloMessage(basicSpec);
    delete noActions.behaviors[0].actions;
    protocolError(() => validateHello(noActions), 'invalid_field', 'behaviors[0].actions');
  });

  it('rejects missing or mistyped fields', () => {
    const cases: [string, unknown][] = [
      ['game', ''],
      ['instanceId', undefined],
      ['behaviors', []],
      ['areas', 0],
      ['areas', 1.5],
      ['capabilities', 'all'],
      ['token', 1234],
    ];
    for (const [field, value] of cases) {
      const m: Loose = helloMessage(basicSpec);
      m[field] = value;
      protocolError(() => validateHello(m), 'invalid_field', field);
    }
  });

  it('treats a nil token as no token', () => {
    const m: Loose = helloMessage(basicSpec);
    m.token = null;
    expect('token' in validateHello(m)).toBe(false);
  });

  it('refuses other messages before the handshake', () => {
    protocolError(() => validateHello(steps([0])), 'unexpected_message', 'type');
    protocolError(() => validateHello({ type: 'helo' }), 'unknown_type', 'type');
    protocolError(() => validateHello({ protocol: '1.0' }), 'malformed', 'type');
    protocolError(() => validateHello([1, 2]), 'malformed');
    protocolError(() => validateHello(new Float32Array(2)), 'malformed');
  });
});

describe('validateWelcome', () => {
  it('accepts a welcome; a missing decisionPeriod means none', () => {
    const m: Loose = welcomeMessage();
    delete m.decisionPeriod;
    expect(validateWelcome(m).decisionPeriod).toBeNull();
  });

  it('refuses another major version, naming both', () => {
    const m: Loose = welcomeMessage();
    m.protocol = '0.9';
    const msg = protocolError(() => validateWelcome(m), 'version_mismatch', 'protocol');
    expect(msg).toContain('0.9');
    expect(msg).toContain(PROTOCOL_VERSION);
  });

  it('rejects bad fields', () => {
    const cases: [string, unknown, string][] = [
      ['seed', 1.5, 'seed'],
      ['timeScale', 0, 'timeScale'],
      ['timeScale', Infinity, 'timeScale'],
      ['decisionPeriod', 0, 'decisionPeriod'],
      ['parameters', { a: NaN }, 'parameters.a'],
      ['parameters', undefined, 'parameters'],
      ['mode', 'human', 'mode'],
    ];
    for (const [key, value, field] of cases) {
      const m: Loose = welcomeMessage();
      m[key] = value;
      protocolError(() => validateWelcome(m), 'invalid_field', field);
    }
  });

  it("rethrows the trainer's refusal with its code", () => {
    const refusal = { type: 'error', code: 'unauthorized', message: 'wrong token' };
    expect(protocolError(() => validateWelcome(refusal), 'unauthorized')).toContain('wrong token');
    protocolError(() => validateWelcome({ type: 'close', reason: 'bye' }), 'unexpected_message', 'type');
  });
});

describe('validateGameMessage', () => {
  it('accepts steps, with an agent in both terminals and decisions, close and error', () => {
    expect(gameMsg(steps([0, 1, 2], [1])).type).toBe('steps');
    expect(gameMsg(stepsMessage(basicSpec, [], [])).type).toBe('steps');
    const withStats: Loose = steps([0]);
    withStats.stats = { 'Custom/Hits': 3 };
    expect(gameMsg(withStats).type).toBe('steps');
    expect(gameMsg({ type: 'close', reason: 'done' }).type).toBe('close');
    expect(gameMsg({ type: 'error', code: 'internal', message: 'x', field: null })).toEqual({ type: 'error', code: 'internal', message: 'x' });
  });

  it('refuses messages that are not for the trainer or not in this phase', () => {
    protocolError(() => gameMsg(helloMessage(basicSpec)), 'unexpected_message', 'type');
    protocolError(() => gameMsg(actionsMessage(basicSpec, Int32Array.of(0))), 'unexpected_message', 'type');
    protocolError(() => gameMsg({ type: 'stepz' }), 'unknown_type', 'type');
    protocolError(() => gameMsg({ type: 7 }), 'malformed', 'type');
    protocolError(() => gameMsg('steps'), 'malformed');
    protocolError(() => gameMsg(null), 'malformed');
  });

  it('refuses an unknown behavior, naming the declared ones', () => {
    const m: Loose = { type: 'steps', behaviors: { Other: steps([0]).behaviors.Mixed } };
    const msg = protocolError(() => gameMsg(m), 'invalid_field', 'behaviors.Other');
    expect(msg).toContain('Basic, Mixed');
  });

  it('requires the exact typed array type of every array', () => {
    const cases: [(s: Loose) => void, string, string][] = [
      [(s) => (s.obs[0] = Array.from(s.obs[0])), 'decisions.obs[0]', 'a list of 28'],
      [(s) => (s.obs[1] = new Float64Array(s.obs[1])), 'decisions.obs[1]', 'Float64Array'],
      [(s) => (s.agentIds = Buffer.from(s.agentIds.buffer)), 'decisions.agentIds', 'Node Buffer'],
      [(s) => (s.rewards = new Int32Array(s.rewards.length)), 'decisions.rewards', 'Int32Array'],
      [(s) => (s.groupIds = new Uint8Array(s.groupIds.length)), 'decisions.groupIds', 'Uint8Array'],
      [(s) => (s.actionMasks = Array.from(s.actionMasks)), 'decisions.actionMasks', 'a list'],
      [(s) => (s.obs = s.obs[0]), 'decisions.obs', 'Float32Array'],
    ];
    for (const [breakIt, field, got] of cases) {
      const m = steps([0, 1]);
      breakIt(m.behaviors.Mixed.decisions);
      expect(protocolError(() => gameMsg(m), 'invalid_field', `behaviors.Mixed.${field}`)).toContain(got);
    }
  });

  it('reports a missing field as missing', () => {
    for (const key of ['agentIds', 'obs', 'rewards', 'groupIds', 'groupRewards', 'teamIds', 'interrupted']) {
      const m = steps([0], [1]);
      delete m.behaviors.Mixed.terminals[key];
      expect(protocolError(() => gameMsg(m), 'invalid_field', `behaviors.Mixed.terminals.${key}`)).toContain('missing');
    }
    const noTerminals = steps([0]);
    delete noTerminals.behaviors.Mixed.terminals;
    protocolError(() => gameMsg(noTerminals), 'invalid_field', 'behaviors.Mixed.terminals');
  });

  it('checks every length against n and the spec', () => {
    const cases: [(s: Loose) => void, string, string][] = [
      [(s) => (s.obs[0] = s.obs[0].subarray(1)), 'obs[0]', 'expected 42 values (3 agents x 14 floats'],
      [(s) => (s.obs = s.obs.slice(0, 1)), 'obs', 'a list of 2 Float32Array'],
      [(s) => (s.rewards = new Float32Array(4)), 'rewards', 'expected 3 values'],
      [(s) => (s.groupRewards = new Float32Array(2)), 'groupRewards', 'expected 3 values'],
      [(s) => (s.teamIds = new Int32Array(0)), 'teamIds', 'expected 3 values'],
      [(s) => (s.actionMasks = new Uint8Array(14).fill(1)), 'actionMasks', 'expected 15 values (3 agents x 5'],
    ];
    for (const [breakIt, field, message] of cases) {
      const m = steps([0, 1, 2]);
      breakIt(m.behaviors.Mixed.decisions);
      expect(protocolError(() => gameMsg(m), 'invalid_field', `behaviors.Mixed.decisions.${field}`)).toContain(message);
    }
    const t = steps([], [3, 4]);
    t.behaviors.Mixed.terminals.interrupted = new Uint8Array(1);
    protocolError(() => gameMsg(t), 'invalid_field', 'behaviors.Mixed.terminals.interrupted');
  });

  it('refuses NaN and infinities in observations and rewards', () => {
    const obs = steps([5, 6]);
    obs.behaviors.Mixed.decisions.obs[0][14 + 3] = NaN;
    const msg = protocolError(() => gameMsg(obs), 'invalid_field', 'behaviors.Mixed.decisions.obs[0][17]');
    expect(msg).toContain('agent 6');
    expect(msg).toContain("value 3 of 'rays'");

    const inf = steps([0], [1]);
    inf.behaviors.Mixed.terminals.obs[1][2] = -Infinity;
    protocolError(() => gameMsg(inf), 'invalid_field', 'behaviors.Mixed.terminals.obs[1][2]');

    const reward = steps([0], [1, 2]);
    reward.behaviors.Mixed.terminals.rewards[1] = Infinity;
    expect(protocolError(() => gameMsg(reward), 'invalid_field', 'behaviors.Mixed.terminals.rewards[1]')).toContain('agent 2');

    const group = steps([0, 1]);
    group.behaviors.Mixed.decisions.groupRewards[0] = NaN;
    protocolError(() => gameMsg(group), 'invalid_field', 'behaviors.Mixed.decisions.groupRewards[0]');
  });

  it('refuses duplicate and negative agent ids', () => {
    const dup = steps([3, 4, 3]);
    expect(protocolError(() => gameMsg(dup), 'invalid_field', 'behaviors.Mixed.decisions.agentIds[2]')).toContain('agent 3 at rows 0 and 2');

    const many = Array.from({ length: 200 }, (_, i) => i * 7);
    many[150] = many[20]!;
    protocolError(() => gameMsg(steps([], many)), 'invalid_field', 'behaviors.Mixed.terminals.agentIds[150]');
    // Huge ids take the sorting path instead of the stamp table.
    protocolError(() => gameMsg(steps([2 ** 30, 5, 2 ** 30])), 'invalid_field', 'behaviors.Mixed.decisions.agentIds[2]');
    expect(gameMsg(steps([2 ** 30, 5, 2 ** 31 - 1])).type).toBe('steps');
    // The stamp table must not remember ids of the previous message.
    expect(gameMsg(steps(many.slice(0, 100))).type).toBe('steps');
    expect(gameMsg(steps(many.slice(0, 100))).type).toBe('steps');

    protocolError(() => gameMsg(steps([0, -1])), 'invalid_field', 'behaviors.Mixed.decisions.agentIds[1]');
  });

  it('checks group ids, team ids and interrupted flags', () => {
    const g = steps([0, 1]);
    g.behaviors.Mixed.decisions.groupIds[1] = -2;
    protocolError(() => gameMsg(g), 'invalid_field', 'behaviors.Mixed.decisions.groupIds[1]');
    const t = steps([0, 1]);
    t.behaviors.Mixed.decisions.teamIds[0] = 2;
    expect(protocolError(() => gameMsg(t), 'invalid_field', 'behaviors.Mixed.decisions.teamIds[0]')).toContain('0..1');
    const i = steps([], [0, 1]);
    i.behaviors.Mixed.terminals.interrupted[0] = 2;
    protocolError(() => gameMsg(i), 'invalid_field', 'behaviors.Mixed.terminals.interrupted[0]');
  });

  it('checks action masks: 0/1, no branch fully masked, absent without discrete branches', () => {
    const allMasked = steps([0, 1]);
    // Row 1, second branch (size 2) starts at 5 + 3.
    allMasked.behaviors.Mixed.decisions.actionMasks.fill(0, 8, 10);
    const msg = protocolError(() => gameMsg(allMasked), 'invalid_field', 'behaviors.Mixed.decisions.actionMasks[8]');
    expect(msg).toContain('branch 1');
    expect(msg).toContain('agent 1');

    const two = steps([0]);
    two.behaviors.Mixed.decisions.actionMasks[0] = 2;
    protocolError(() => gameMsg(two), 'invalid_field', 'behaviors.Mixed.decisions.actionMasks[0]');

    const none = steps([0]);
    delete none.behaviors.Mixed.decisions.actionMasks;
    expect(gameMsg(none).type).toBe('steps');
    const nil = steps([0]);
    nil.behaviors.Mixed.decisions.actionMasks = null;
    expect('actionMasks' in (gameMsg(nil) as Loose).behaviors.Mixed.decisions).toBe(false);

    const continuousOnly = { ...mixedSpec, name: 'Cont', actions: { continuous: 2, discrete: [] } };
    const m: Loose = stepsMessage(continuousOnly, [0]);
    m.behaviors.Cont.decisions.actionMasks = new Uint8Array(0);
    protocolError(() => validateGameMessage(m, specMap(continuousOnly)), 'invalid_field', 'behaviors.Cont.decisions.actionMasks');
  });

  it('checks stats and close and error fields', () => {
    const s = steps([0]);
    s.stats = { hits: '3' };
    protocolError(() => gameMsg(s), 'invalid_field', 'stats.hits');
    protocolError(() => gameMsg({ type: 'close', reason: 3 }), 'invalid_field', 'reason');
    protocolError(() => gameMsg({ type: 'error', code: 'oops', message: 'x' }), 'invalid_field', 'code');
    protocolError(() => gameMsg({ type: 'error', code: 'internal' }), 'invalid_field', 'message');
  });
});

describe('validateTrainerMessage', () => {
  it('accepts actions that answer the agents that asked, and the other trainer messages', () => {
    const ctx = awaiting([4, 2, 9]);
    expect(validateTrainerMessage(actionsMessage(mixedSpec, Int32Array.of(4, 2, 9)), ctx).type).toBe('actions');
    expect(validateTrainerMessage({ type: 'reset' }, ctx).type).toBe('reset');
    expect(validateTrainerMessage({ type: 'reset', parameters: { a: 1 } }, ctx).type).toBe('reset');
    expect(validateTrainerMessage({ type: 'parameters', parameters: {} }, ctx).type).toBe('parameters');
    expect(validateTrainerMessage({ type: 'close' }, ctx).type).toBe('close');
  });

  it('refuses actions for agents that did not ask, in another order, or missing', () => {
    const ctx = awaiting([4, 2, 9]);
    const stranger = actionsMessage(mixedSpec, Int32Array.of(4, 3, 9));
    expect(protocolError(() => validateTrainerMessage(stranger, ctx), 'invalid_field', 'behaviors.Mixed.agentIds[1]')).toContain(
      'agent 3, which did not ask',
    );
    const swapped = actionsMessage(mixedSpec, Int32Array.of(2, 4, 9));
    expect(protocolError(() => validateTrainerMessage(swapped, ctx), 'invalid_field', 'behaviors.Mixed.agentIds[0]')).toContain(
      'order of the request',
    );
    const short = actionsMessage(mixedSpec, Int32Array.of(4, 2));
    protocolError(() => validateTrainerMessage(short, ctx), 'invalid_field', 'behaviors.Mixed.agentIds');
    protocolError(() => validateTrainerMessage({ type: 'actions', behaviors: {} }, ctx), 'invalid_field', 'behaviors.Mixed');
    const extra = actionsMessage(basicSpec, Int32Array.of(0));
    protocolError(() => validateTrainerMessage(extra, ctx), 'invalid_field', 'behaviors.Basic');
    const unknown: Loose = { type: 'actions', behaviors: { Nope: {} } };
    protocolError(() => validateTrainerMessage(unknown, ctx), 'invalid_field', 'behaviors.Nope');
  });

  it('checks action lengths, finiteness and discrete ranges', () => {
    const ctx = awaiting([0, 1]);
    const cases: [(a: Loose) => void, string, string][] = [
      [(a) => (a.continuous = new Float32Array(3)), 'continuous', '2 agents x 2 continuous'],
      [(a) => (a.continuous[3] = NaN), 'continuous[3]', 'agent 1'],
      [(a) => (a.discrete = new Int32Array(2)), 'discrete', '2 agents x 2 discrete branches'],
      [(a) => (a.discrete[3] = 2), 'discrete[3]', '0..1 for branch 1 (agent 1)'],
      [(a) => (a.discrete[0] = -1), 'discrete[0]', '0..2 for branch 0'],
      [(a) => (a.discrete = new Float32Array(4)), 'discrete', 'Int32Array'],
    ];
    for (const [breakIt, field, message] of cases) {
      const m: Loose = actionsMessage(mixedSpec, Int32Array.of(0, 1));
      breakIt(m.behaviors.Mixed);
      expect(protocolError(() => validateTrainerMessage(m, ctx), 'invalid_field', `behaviors.Mixed.${field}`)).toContain(message);
    }
  });

  it('refuses game messages and bad parameters', () => {
    const ctx = awaiting([0]);
    protocolError(() => validateTrainerMessage(welcomeMessage(), ctx), 'unexpected_message', 'type');
    protocolError(() => validateTrainerMessage(steps([0]), ctx), 'unexpected_message', 'type');
    protocolError(() => validateTrainerMessage({ type: 'parameters' }, ctx), 'invalid_field', 'parameters');
    protocolError(() => validateTrainerMessage({ type: 'reset', parameters: { x: Infinity } }, ctx), 'invalid_field', 'parameters.x');
  });
});

describe('sample builders', () => {
  it('build sets that pass validation on their own', () => {
    // Guards the builders: a broken fixture would make the rejection tests pass for the wrong reason.
    const m = { type: 'steps', behaviors: { Basic: { decisions: decisionSet(basicSpec, [0, 1, 2]), terminals: terminalSet(basicSpec, [3]) } } };
    expect(gameMsg(m).type).toBe('steps');
  });
});

describe('validation of damaged messages', () => {
  // Whatever field is replaced by whatever junk, validation answers with a ProtocolError, never
  // with a TypeError from reading into the junk.
  const junk: unknown[] = [null, undefined, 0, -1, 1.5, NaN, 'x', true, [], [1, 2], {}, { a: 1 }, new Float32Array(3), new Int32Array(1), new Uint8Array(2), new Float64Array(1)];

  function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = [...prefix, Array.isArray(v) ? Number(k) : k];
        out.push(p);
        paths(x, p, out);
      }
    }
    return out;
  }

  function damaged(make: () => unknown, check: (m: unknown) => unknown): void {
    const all = paths(make());
    let seed = 3;
    for (const path of all) {
      for (let t = 0; t < 3; t++) {
        const m = make() as Loose;
        let parent = m;
        for (const key of path.slice(0, -1)) parent = parent[key];
        seed = (seed * 1103515245 + 12345) >>> 0;
        parent[path[path.length - 1]!] = junk[seed % junk.length];
        try {
          check(m);
        } catch (err) {
          expect(err, `${path.join('.')} = ${String(junk[seed % junk.length])}`).toBeInstanceOf(ProtocolError);
        }
      }
    }
  }

  it('hello, steps and actions', () => {
    damaged(() => helloMessage(basicSpec, mixedSpec), validateHello);
    damaged(() => steps([0, 1, 2], [1]), gameMsg);
    damaged(() => actionsMessage(mixedSpec, Int32Array.of(0, 1)), (m) => validateTrainerMessage(m, awaiting([0, 1])));
    damaged(() => welcomeMessage(), validateWelcome);
  });
});
