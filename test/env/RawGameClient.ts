/**
 * A game client written straight against the codec, for testing the trainer's server without the
 * bridge's Sync: it sends exactly the bytes a test asks for, including wrong ones.
 */
import WebSocket from 'ws';
import { decodeFrame, encodeMessage } from '../../bridge/protocol/codec.js';
import type { BehaviorSteps, HelloMessage, Message, StepsMessage } from '../../bridge/protocol/messages.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';
import { actionMaskSize, observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** A small behavior with every kind of action, used across the env tests. */
export const walkerSpec: BehaviorSpec = {
  name: 'Walker',
  observations: [
    { name: 'position', shape: [3], kind: 'vector' },
    { name: 'rays', shape: [2, 2], kind: 'rays' },
  ],
  actions: { continuous: 2, discrete: [3, 2] },
  teamCount: 1,
  maxStep: 0,
};

export interface Closed {
  code: number;
  reason: string;
}

/** One raw connection; received messages are queued for `next()`. */
export class RawGameClient {
  private readonly inbox: unknown[] = [];
  private wake: (() => void) | null = null;
  readonly closed: Promise<Closed>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.inbox.push(decodeFrame(data));
      this.wake?.();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    void this.closed.then(() => this.wake?.());
  }

  static async open(url: string): Promise<RawGameClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => {});
    return new RawGameClient(ws);
  }

  /** Opens, says hello and returns the client with the trainer's first answer. */
  static async connect(url: string, hello: Partial<HelloMessage> = {}): Promise<{ client: RawGameClient; reply: Record<string, unknown> }> {
    const client = await RawGameClient.open(url);
    client.send({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      game: 'raw',
      instanceId: `raw-${Math.random().toString(36).slice(2, 8)}`,
      behaviors: [walkerSpec],
      areas: 1,
      capabilities: [],
      ...hello,
    });
    const reply = await client.next();
    return { client, reply };
  }

  send(msg: Message | Record<string, unknown>): void {
    this.ws.send(encodeMessage(msg as Message));
  }

  sendBytes(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** The next message from the trainer; rejects when the socket closes first or after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('connection closed before a message arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.inbox.shift() as Record<string, unknown>;
  }

  /** Messages received and not yet read. */
  get pending(): number {
    return this.inbox.length;
  }

  close(): void {
    this.ws.close(1000);
  }
}

/** Rows for one set of agents: observation value = agentId * 100 + index, reward = given. */
export function agentRows(spec: BehaviorSpec, ids: number[], opts: { rewards?: number[]; groupIds?: number[]; interrupted?: number[] } = {}) {
  const n = ids.length;
  const base = {
    agentIds: Int32Array.from(ids),
    obs: spec.observations.map((o) => {
      const size = observationSize(o);
      const a = new Float32Array(n * size);
      ids.forEach((id, r) => {
        for (let k = 0; k < size; k++) a[r * size + k] = id * 100 + k;
      });
      return a;
    }),
    rewards: Float32Array.from(opts.rewards ?? ids.map(() => 0)),
    groupIds: Int32Array.from(opts.groupIds ?? ids.map(() => 0)),
    groupRewards: new Float32Array(n),
    teamIds: new Int32Array(n),
  };
  return base;
}

/** A `steps` message for one behavior: decisions for `decide`, terminals for `end`. */
export function stepsMessage(
  spec: BehaviorSpec,
  decide: number[],
  end: number[] = [],
  opts: { rewards?: number[]; endRewards?: number[]; groupIds?: number[]; interrupted?: number[] } = {},
): StepsMessage {
  return { type: 'steps', behaviors: { [spec.name]: behaviorSteps(spec, decide, end, opts) } };
}

/** One behavior's entry of a `steps` message. */
export function behaviorSteps(
  spec: BehaviorSpec,
  decide: number[],
  end: number[] = [],
  opts: { rewards?: number[]; endRewards?: number[]; groupIds?: number[]; interrupted?: number[] } = {},
): BehaviorSteps {
  const masks = actionMaskSize(spec.actions) > 0 ? { actionMasks: new Uint8Array(decide.length * actionMaskSize(spec.actions)).fill(1) } : {};
  return {
    decisions: { ...agentRows(spec, decide, { rewards: opts.rewards, groupIds: opts.groupIds }), ...masks },
    terminals: {
      ...agentRows(spec, end, { rewards: opts.endRewards }),
      interrupted: Uint8Array.from(opts.interrupted ?? end.map(() => 0)),
    },
  };
}
