import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeMessage } from '../../bridge/protocol/codec.js';
import { MAX_FRAME_BYTES } from '../../bridge/protocol/validate.js';
import { EnvManager, type EnvManagerOptions } from '../../trainer/env/EnvManager.js';
import { RawGameClient, stepsMessage, walkerSpec } from './RawGameClient.js';
import { RecordingPolicy } from './RecordingPolicy.js';

let manager: EnvManager | null = null;
let logs: string[] = [];

async function startManager(opts: Partial<EnvManagerOptions> = {}): Promise<{ manager: EnvManager; policies: Map<string, RecordingPolicy> }> {
  const policies = new Map<string, RecordingPolicy>();
  logs = [];
  manager = new EnvManager({
    port: 0,
    log: (line) => logs.push(line),
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

/** One full exchange: the game reports decisions and must get actions for exactly those agents. */
async function stepOnce(client: RawGameClient, ids: number[]): Promise<void> {
  client.send(stepsMessage(walkerSpec, ids));
  const reply = await client.next();
  expect(reply.type).toBe('actions');
  const actions = (reply.behaviors as Record<string, { agentIds: Int32Array }>)[walkerSpec.name]!;
  expect(Array.from(actions.agentIds)).toEqual(ids);
}

afterEach(async () => {
  await manager?.close();
  manager = null;
});

describe('EnvServer handshake', () => {
  it('answers hello with welcome: version, seed per connection, time scale, parameters, train mode', async () => {
    const { manager } = await startManager({ seed: 7, timeScale: 5, parameters: { difficulty: 2 } });
    expect(manager.url).toBe(`ws://127.0.0.1:${manager.port}`);
    const a = await RawGameClient.connect(manager.url);
    const b = await RawGameClient.connect(manager.url);
    expect(a.reply).toEqual({ type: 'welcome', protocol: '1.0', seed: 7, timeScale: 5, decisionPeriod: null, parameters: { difficulty: 2 }, mode: 'train' });
    expect(b.reply.seed).toBe(8);
    await manager.waitForGames(2, { timeoutMs: 2000 });
    expect(manager.counters.connectionsOpen).toBe(2);
    expect(manager.connectedGames().map((g) => g.behaviors)).toEqual([['Walker'], ['Walker']]);
    await stepOnce(a.client, [0]);
  });

  it('refuses another major protocol version with an error naming both versions', async () => {
    const { manager } = await startManager();
    const { client, reply } = await RawGameClient.connect(manager.url, { protocol: '2.3' });
    expect(reply.type).toBe('error');
    expect(reply.code).toBe('version_mismatch');
    expect(reply.message).toContain('2.3');
    expect(reply.message).toContain('1.0');
    expect((await client.closed).code).toBe(4000);
    expect(manager.counters.connectionsOpen).toBe(0);
    expect(manager.counters.connectionsRefused).toBe(1);
  });

  it('requires the token when one is set, and warns when binding beyond loopback without one', async () => {
    const { manager } = await startManager({ token: 's3cret' });
    const none = await RawGameClient.connect(manager.url);
    expect(none.reply).toMatchObject({ type: 'error', code: 'unauthorized', field: 'token' });
    const wrong = await RawGameClient.connect(manager.url, { token: 'guess' });
    expect(wrong.reply).toMatchObject({ type: 'error', code: 'unauthorized' });
    const right = await RawGameClient.connect(manager.url, { token: 's3cret' });
    expect(right.reply.type).toBe('welcome');
    await manager.close();

    const open = await startManager({ host: '0.0.0.0' });
    expect(logs.some((l) => l.includes('without a token'))).toBe(true);
    await open.manager.close();
  });

  it('refuses web pages from other sites, not pages served from this machine nor games outside a browser', async () => {
    const { manager } = await startManager({ allowedOrigins: ['https://mygame.example'] });
    /** Opens a socket as a browser page from `origin` would; resolves with the HTTP status of a refusal, or 'open'. */
    const openFrom = (origin: string, url = manager.url) =>
      new Promise<number | 'open'>((resolve, reject) => {
        const ws = new WebSocket(url, { origin });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? -1));
        ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
      });
    expect(await openFrom('https://evil.example')).toBe(401);
    expect(await openFrom('http://127.0.0.1.evil.example')).toBe(401);
    expect(await openFrom('null')).toBe(401);
    expect(await openFrom('http://127.0.0.1:5173')).toBe('open');
    expect(await openFrom('http://localhost:3000')).toBe('open');
    expect(await openFrom('http://[::1]:8080')).toBe('open');
    expect(await openFrom('https://mygame.example')).toBe('open');
    expect(logs.filter((l) => l.includes('refused a web page from https://evil.example'))).toHaveLength(1);
    expect((await RawGameClient.connect(manager.url)).reply.type).toBe('welcome');
    await manager.close();

    // With a token, the token decides.
    const guarded = await startManager({ token: 's3cret' });
    expect(await openFrom('https://evil.example', guarded.manager.url)).toBe('open');
  });

  it('refuses a first message that is not hello', async () => {
    const { manager } = await startManager();
    const client = await RawGameClient.open(manager.url);
    client.send(stepsMessage(walkerSpec, [0]));
    expect(await client.next()).toMatchObject({ type: 'error', code: 'unexpected_message', field: 'type' });
    expect((await client.closed).code).toBe(4000);
  });

  it('refuses a hello with a malformed behavior spec, naming the field', async () => {
    const { manager } = await startManager();
    const bad = { ...walkerSpec, actions: { continuous: 0, discrete: [0] } };
    const { reply } = await RawGameClient.connect(manager.url, { behaviors: [bad] });
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_field', field: 'behaviors[0].actions.discrete' });
  });

  it('disconnects a game that sends no hello in time', async () => {
    const { manager } = await startManager({ handshakeTimeoutMs: 100 });
    const client = await RawGameClient.open(manager.url);
    expect(await client.next()).toMatchObject({ type: 'error', code: 'unexpected_message' });
    expect((await client.closed).code).toBe(4000);
  });

  it('reports a port in use clearly', async () => {
    const { manager } = await startManager();
    const second = new EnvManager({ port: manager.port, log: () => {}, policyFactory: (s) => new RecordingPolicy(s) });
    await expect(second.start()).rejects.toThrow(/already in use/);
  });
});

describe('EnvServer bad messages', () => {
  const f32 = (n: number) => new Float32Array(n);
  const cases: { name: string; send: (c: RawGameClient) => void; code: string | number; field?: string; holdPolicy?: boolean }[] = [
    { name: 'garbage bytes', send: (c) => c.sendBytes(Uint8Array.from([0xc1, 0xc1, 0xc1])), code: 'malformed' },
    { name: 'a text frame', send: (c) => c.ws.send('{"type":"steps"}'), code: 'malformed' },
    { name: 'not a map', send: (c) => c.sendBytes(encodeMessage([1, 2, 3] as never)), code: 'malformed' },
    { name: 'an unknown type', send: (c) => c.send({ type: 'dance' }), code: 'unknown_type', field: 'type' },
    { name: 'a trainer message', send: (c) => c.send({ type: 'actions', behaviors: {} }), code: 'unexpected_message', field: 'type' },
    {
      name: 'an unknown behavior',
      send: (c) => c.send({ type: 'steps', behaviors: { Nope: stepsMessage(walkerSpec, [0]).behaviors.Walker! } }),
      code: 'invalid_field',
      field: 'behaviors.Nope',
    },
    {
      name: 'an observation of the wrong length',
      send: (c) => {
        const m = stepsMessage(walkerSpec, [0, 1]);
        m.behaviors.Walker!.decisions.obs[1] = f32(7);
        c.send(m);
      },
      code: 'invalid_field',
      field: 'behaviors.Walker.decisions.obs[1]',
    },
    {
      name: 'a wrong array type',
      send: (c) => {
        const m = stepsMessage(walkerSpec, [0]);
        (m.behaviors.Walker!.decisions as unknown as Record<string, unknown>).agentIds = [0];
        c.send(m);
      },
      code: 'invalid_field',
      field: 'behaviors.Walker.decisions.agentIds',
    },
    {
      name: 'a NaN reward',
      send: (c) => c.send(stepsMessage(walkerSpec, [0, 1], [], { rewards: [0, NaN] })),
      code: 'invalid_field',
      field: 'behaviors.Walker.decisions.rewards[1]',
    },
    {
      name: 'an infinite observation',
      send: (c) => {
        const m = stepsMessage(walkerSpec, [4]);
        m.behaviors.Walker!.decisions.obs[0]![2] = Infinity;
        c.send(m);
      },
      code: 'invalid_field',
      field: 'behaviors.Walker.decisions.obs[0][2]',
    },
    { name: 'a negative agent id', send: (c) => c.send(stepsMessage(walkerSpec, [-3])), code: 'invalid_field', field: 'behaviors.Walker.decisions.agentIds[0]' },
    { name: 'a duplicate agent id', send: (c) => c.send(stepsMessage(walkerSpec, [2, 2])), code: 'invalid_field', field: 'behaviors.Walker.decisions.agentIds[1]' },
    {
      name: 'a branch with every action masked',
      send: (c) => {
        const m = stepsMessage(walkerSpec, [0]);
        m.behaviors.Walker!.decisions.actionMasks = Uint8Array.from([0, 0, 0, 1, 1]);
        c.send(m);
      },
      code: 'invalid_field',
      field: 'behaviors.Walker.decisions.actionMasks[0]',
    },
    {
      name: 'steps before its actions came',
      send: (c) => {
        c.send(stepsMessage(walkerSpec, [0]));
        c.send(stepsMessage(walkerSpec, [0]));
      },
      code: 'unexpected_message',
      holdPolicy: true,
    },
    { name: 'an oversized frame', send: (c) => c.sendBytes(new Uint8Array(4096)), code: 1009 },
  ];

  for (const bad of cases) {
    it(`answers ${bad.name} with an error and closes only that game`, async () => {
      const { manager, policies } = await startManager({ maxPayload: 2048 });
      const good = await RawGameClient.connect(manager.url);
      const offender = await RawGameClient.connect(manager.url, { instanceId: 'offender' });
      await stepOnce(good.client, [0, 1]);
      await stepOnce(offender.client, [0]);

      const policy = policies.get('Walker')!;
      policy.hold = bad.holdPolicy ?? false;
      bad.send(offender.client);
      if (typeof bad.code === 'number') {
        expect((await offender.client.closed).code).toBe(bad.code);
        await expect.poll(() => logs.some((l) => l.includes('frame larger than 2048 bytes'))).toBe(true);
      } else {
        const reply = await offender.client.next();
        expect(reply).toMatchObject({ type: 'error', code: bad.code, ...(bad.field ? { field: bad.field } : {}) });
        expect(String(reply.message).length).toBeGreaterThan(10);
        expect((await offender.client.closed).code).toBe(4000);
      }
      await expect.poll(() => manager.counters.connectionsOpen).toBe(1);
      expect(manager.counters.connectionsRefused).toBe(1);
      policy.hold = false;
      policy.release();

      for (let i = 0; i < 3; i++) await stepOnce(good.client, [0, 1]);
      // The offender's agents were dropped, the good game's never were.
      const offenderKeys = [...policy.drops.flatMap((d) => Array.from(d))];
      expect(offenderKeys).toHaveLength(1);
      expect(manager.agentOrigin(offenderKeys[0]!)?.instanceId).toBe('offender');
    });
  }

  it('uses MAX_FRAME_BYTES as the default frame limit', async () => {
    const { manager } = await startManager();
    const { client } = await RawGameClient.connect(manager.url);
    client.sendBytes(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect((await client.closed).code).toBe(1009);
  });
});
