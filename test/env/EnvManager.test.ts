import { afterEach, describe, expect, it } from 'vitest';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { EnvManager, type EnvManagerOptions } from '../../trainer/env/EnvManager.js';
import { behaviorSteps, RawGameClient, stepsMessage, walkerSpec } from './RawGameClient.js';
import { expectedActions, RecordingPolicy } from './RecordingPolicy.js';

let manager: EnvManager | null = null;

async function startManager(opts: Partial<EnvManagerOptions> = {}) {
  const policies = new Map<string, RecordingPolicy>();
  manager = new EnvManager({
    port: 0,
    log: () => {},
    policyFactory: (spec) => {
      const p = new RecordingPolicy(spec);
      policies.set(spec.name, p);
      return p;
    },
    ...opts,
  });
  await manager.start();
  return { manager, policies };
}

type Actions = Record<string, { agentIds: Int32Array; continuous: Float32Array; discrete: Int32Array }>;

async function nextActions(client: RawGameClient): Promise<Actions> {
  const reply = await client.next();
  expect(reply.type).toBe('actions');
  return reply.behaviors as Actions;
}

afterEach(async () => {
  await manager?.close();
  manager = null;
});

describe('EnvManager batching', () => {
  it('batches the games that arrive while the policy is busy and answers each game its own rows', async () => {
    const { manager, policies } = await startManager();
    const a = (await RawGameClient.connect(manager.url, { instanceId: 'A' })).client;
    const b = (await RawGameClient.connect(manager.url, { instanceId: 'B' })).client;
    const c = (await RawGameClient.connect(manager.url, { instanceId: 'C' })).client;

    const policy = policies.get('Walker')!;
    policy.hold = true;
    a.send(stepsMessage(walkerSpec, [0, 1], [], { rewards: [0.5, 0.25], groupIds: [1, 0] }));
    await policy.waitForCalls(1);
    // While A's batch is held, B and C report: they must form the next batch together.
    b.send(stepsMessage(walkerSpec, [0], [], { rewards: [2], groupIds: [1] }));
    c.send(stepsMessage(walkerSpec, [5, 3], [], { groupIds: [1, 2] }));
    await expect.poll(() => manager.counters.stepMessages).toBe(3);
    policy.hold = false;
    policy.release();
    await policy.waitForCalls(2);

    const first = policy.calls[0]!.decisions;
    const second = policy.calls[1]!.decisions;
    expect(first.n).toBe(2);
    expect(Array.from(first.rewards)).toEqual([0.5, 0.25]);
    expect(second.n).toBe(3);
    expect(Array.from(second.rewards)).toEqual([2, 0, 0]);
    // Observations of B's agent 0 then C's agents 5 and 3, rows concatenated in arrival order.
    expect(Array.from(second.obs[0]!)).toEqual([0, 1, 2, 500, 501, 502, 300, 301, 302]);
    expect(second.actionMasks).toHaveLength(3 * 5);

    const keys = [...first.agentKeys, ...second.agentKeys];
    expect(new Set(keys).size).toBe(5);
    const origins = keys.map((k) => manager.agentOrigin(k)!);
    expect(origins.map((o) => `${o.instanceId}:${o.agentId}`)).toEqual(['A:0', 'A:1', 'B:0', 'C:5', 'C:3']);
    // Local group 1 of A, B and C are three different groups run-wide; 0 stays 0.
    const groups = [...first.groupIds, ...second.groupIds];
    expect(groups[1]).toBe(0);
    expect(new Set([groups[0], groups[2], groups[3], groups[4]]).size).toBe(4);
    expect(groups.every((g) => g >= 0)).toBe(true);

    for (const [client, call, rows] of [
      [a, first, [0, 1]],
      [b, second, [0]],
      [c, second, [1, 2]],
    ] as const) {
      const got = (await nextActions(client)).Walker!;
      const keysOfClient = Int32Array.from(rows.map((r) => call.agentKeys[r]!));
      const want = expectedActions(walkerSpec, keysOfClient);
      expect(Array.from(got.discrete)).toEqual(Array.from(want.discrete));
      expect(Array.from(got.continuous).filter((_, i) => i % 2 === 0)).toEqual(Array.from(keysOfClient));
    }

    // Keys are stable across steps and episodes: A's agent 0 ends an episode and starts another.
    a.send(stepsMessage(walkerSpec, [0, 1], [0], { endRewards: [1] }));
    await policy.waitForCalls(3);
    const third = policy.calls[2]!;
    expect(Array.from(third.terminals.agentKeys)).toEqual([first.agentKeys[0]]);
    expect(Array.from(third.terminals.rewards)).toEqual([1]);
    expect(Array.from(third.decisions.agentKeys)).toEqual(Array.from(first.agentKeys));
    await nextActions(a);
    expect(manager.counters).toMatchObject({ stepMessages: 4, decisions: 7, terminals: 1, batches: 3, connectionsOpen: 3 });
  });

  it('sends a game one actions message covering every behavior that had decisions', async () => {
    const other: BehaviorSpec = { name: 'Thrower', observations: [{ name: 'v', shape: [1], kind: 'vector' }], actions: { continuous: 1, discrete: [] }, teamCount: 2, maxStep: 10 };
    const { manager, policies } = await startManager();
    const { client } = await RawGameClient.connect(manager.url, { behaviors: [walkerSpec, other] });
    const both = { type: 'steps' as const, behaviors: { Walker: behaviorSteps(walkerSpec, [0]), Thrower: behaviorSteps(other, [1, 2]) } };
    const thrower = () => policies.get('Thrower')!;
    thrower().hold = true;
    client.send(both);
    await thrower().waitForCalls(1);
    await policies.get('Walker')!.waitForCalls(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.pending).toBe(0); // Walker answered, Thrower not yet: the game must wait
    thrower().release();
    const actions = await nextActions(client);
    expect(Object.keys(actions).sort()).toEqual(['Thrower', 'Walker']);
    expect(Array.from(actions.Thrower!.agentIds)).toEqual([1, 2]);
    expect(thrower().calls[0]!.decisions.actionMasks).toBeNull();

    // A behavior with only terminals gets no entry, and a message with no decisions gets no reply.
    thrower().hold = false;
    client.send({ type: 'steps', behaviors: { Walker: behaviorSteps(walkerSpec, [0]), Thrower: behaviorSteps(other, [], [1, 2]) } });
    expect(Object.keys(await nextActions(client))).toEqual(['Walker']);
    client.send({ type: 'steps', behaviors: { Thrower: behaviorSteps(other, [], [1]) }, stats: { score: 3 } });
    client.send(stepsMessage(walkerSpec, [0]));
    expect(Object.keys(await nextActions(client))).toEqual(['Walker']);
    expect(thrower().calls.map((c) => [c.terminals.n, c.decisions.n])).toEqual([[0, 2], [2, 0], [1, 0]]);
  });

  it('forwards custom stats with the game they came from', async () => {
    const stats: [Record<string, number>, string][] = [];
    const { manager } = await startManager({ onStats: (s, g) => stats.push([s, g.instanceId]) });
    const { client } = await RawGameClient.connect(manager.url, { instanceId: 'S' });
    client.send({ ...stepsMessage(walkerSpec, [0]), stats: { 'Game/Hits': 4 } });
    await nextActions(client);
    expect(stats).toEqual([[{ 'Game/Hits': 4 }, 'S']]);
  });
});

describe('EnvManager connections', () => {
  it('drops the agents of a game that disconnects mid-episode and keeps serving the others', async () => {
    const { manager, policies } = await startManager();
    const a = (await RawGameClient.connect(manager.url, { instanceId: 'A' })).client;
    const b = (await RawGameClient.connect(manager.url, { instanceId: 'B' })).client;
    a.send(stepsMessage(walkerSpec, [0, 1]));
    b.send(stepsMessage(walkerSpec, [0, 1]));
    await nextActions(a);
    await nextActions(b);
    const policy = policies.get('Walker')!;
    const keysOf = (id: string) =>
      policy.calls.flatMap((c) => Array.from(c.decisions.agentKeys)).filter((k) => manager.agentOrigin(k)!.instanceId === id);
    const aKeys = [...new Set(keysOf('A'))].sort();

    // A reports, then vanishes before its actions come: its queued rows must never reach the policy.
    policy.hold = true;
    b.send(stepsMessage(walkerSpec, [0, 1]));
    await policy.waitForCalls(policy.calls.length + 1);
    const callsBefore = policy.calls.length;
    a.send(stepsMessage(walkerSpec, [0, 1], [], { rewards: [9, 9] }));
    await expect.poll(() => manager.counters.stepMessages).toBe(4);
    a.ws.terminate();
    await expect.poll(() => manager.counters.connectionsOpen).toBe(1);
    policy.hold = false;
    policy.release();
    await nextActions(b);

    await expect.poll(() => policy.drops.length).toBe(1);
    expect(Array.from(policy.drops[0]!).sort()).toEqual(aKeys);
    expect(policy.calls.slice(callsBefore).every((c) => Array.from(c.decisions.rewards).every((r) => r !== 9))).toBe(true);
    for (let i = 0; i < 3; i++) {
      b.send(stepsMessage(walkerSpec, [0, 1]));
      await nextActions(b);
    }
    expect(policy.calls.flatMap((c) => Array.from(c.decisions.agentKeys)).filter((k) => aKeys.includes(k))).toHaveLength(2);
    expect(manager.counters.droppedAgents).toBe(2);

    // A game connecting later joins with fresh keys.
    const late = (await RawGameClient.connect(manager.url, { instanceId: 'late' })).client;
    late.send(stepsMessage(walkerSpec, [0]));
    await nextActions(late);
    const lateKey = policy.calls.at(-1)!.decisions.agentKeys[0]!;
    expect(manager.agentOrigin(lateKey)).toEqual({ connectionId: 2, instanceId: 'late', behavior: 'Walker', agentId: 0 });
  });

  it('refuses a game whose behavior has the name of a known one but another spec, naming the difference', async () => {
    const { manager, policies } = await startManager();
    await RawGameClient.connect(manager.url);
    const changed = { ...walkerSpec, actions: { continuous: 2, discrete: [3, 4] } };
    const { client, reply } = await RawGameClient.connect(manager.url, { behaviors: [changed] });
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_field', field: 'behaviors[0].actions.discrete' });
    expect(reply.message).toContain('[3,2]');
    expect(reply.message).toContain('[3,4]');
    expect((await client.closed).code).toBe(4000);
    const renamedObs = { ...walkerSpec, observations: [walkerSpec.observations[1]!, walkerSpec.observations[0]!] };
    expect((await RawGameClient.connect(manager.url, { behaviors: [renamedObs] })).reply.field).toBe('behaviors[0].observations[0].name');
    expect(policies.size).toBe(1);
    expect(manager.counters.connectionsOpen).toBe(1);
  });

  it('waits for N games, and times out naming how many came', async () => {
    const { manager } = await startManager();
    const waiting = manager.waitForGames(2, { timeoutMs: 3000 });
    await RawGameClient.connect(manager.url);
    await RawGameClient.connect(manager.url);
    await expect(waiting).resolves.toBeUndefined();
    await expect(manager.waitForGames(3, { timeoutMs: 50 })).rejects.toThrow(/only 2 of 3 games/);
  });

  it('stops the run and disconnects every game when a policy answers with the wrong number of actions', async () => {
    const errors: Error[] = [];
    const broken = (spec: BehaviorSpec) => ({
      step: async () => ({ continuous: new Float32Array(1), discrete: new Int32Array(spec.actions.discrete.length) }),
      dropAgents: () => {},
    });
    const { manager } = await startManager({ policyFactory: broken, onError: (e) => errors.push(e) });
    const a = (await RawGameClient.connect(manager.url)).client;
    const b = (await RawGameClient.connect(manager.url)).client;
    a.send(stepsMessage(walkerSpec, [0]));
    expect(await a.next()).toMatchObject({ type: 'error', code: 'internal' });
    expect(await b.next()).toMatchObject({ type: 'error', code: 'internal' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/Walker.*Float32Array of length 1.*1 x 2/);
    expect(manager.error).toBe(errors[0]);
    expect((await RawGameClient.connect(manager.url)).reply.type).toBe('error');
  });

  it('sends close to every game on close()', async () => {
    const { manager } = await startManager();
    const { client } = await RawGameClient.connect(manager.url);
    await manager.close('done for today');
    expect(await client.next()).toEqual({ type: 'close', reason: 'done for today' });
    expect((await client.closed).code).toBe(1000);
  });
});

