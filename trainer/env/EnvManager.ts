/**
 * Gathers the reports of every connected game per behavior, asks each behavior's policy for
 * actions in one batch, and answers each game. Like ML-Agents' SubprocessEnvManager it never waits
 * for all games: whatever arrived while a policy was busy forms its next batch, so a slow game
 * holds the others back by at most one step.
 */
import { ProtocolError } from '../../bridge/protocol/ProtocolError.js';
import type { BehaviorActions, BehaviorSteps, StepsMessage } from '../../bridge/protocol/messages.js';
import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { AgentBatch, BehaviorPolicy, BehaviorPolicyFactory, DecisionBatch, TerminalBatch } from './BehaviorPolicy.js';
import { diffBehaviorSpecs } from './diffBehaviorSpecs.js';
import { EnvServer, type EnvServerOptions, type GameConnection } from './EnvServer.js';

/** The server's options plus the policies and callbacks of the run. */
export interface EnvManagerOptions extends EnvServerOptions {
  /** Called once per behavior, when a game first declares it. */
  policyFactory: BehaviorPolicyFactory;
  /** Custom statistics a game sent with a `steps` message (ML-Agents' StatsSideChannel). */
  onStats?: (stats: Record<string, number>, game: GameInfo) => void;
  /** A policy threw: the run cannot go on. Every game has been disconnected when this is called. */
  onError?: (err: Error) => void;
}

/** A connected game, as the run sees it. */
export interface GameInfo {
  connectionId: number;
  game: string;
  instanceId: string;
  areas: number;
  behaviors: string[];
}

/** Where an agent key comes from. */
export interface AgentOrigin {
  connectionId: number;
  instanceId: string;
  behavior: string;
  agentId: number;
}

/** Running totals, for stats and tests. */
export interface EnvCounters {
  /** `steps` messages received. */
  stepMessages: number;
  /** Decision rows received (agent steps, as ML-Agents counts them). */
  decisions: number;
  /** Terminal rows received (episode ends). */
  terminals: number;
  /** Policy calls made. */
  batches: number;
  /** Games connected now. */
  connectionsOpen: number;
  /** Games accepted since start. */
  connectionsTotal: number;
  /** Games refused at the handshake or disconnected for a protocol error. */
  connectionsRefused: number;
  /** Agents handed to `dropAgents` because their game went away. */
  droppedAgents: number;
}

/** A `steps` message waiting for the actions of every behavior that had decisions. */
interface PendingReply {
  remaining: number;
  actions: Record<string, BehaviorActions>;
}

/** One behavior's share of one `steps` message. */
interface QueuedPart {
  game: GameState;
  steps: BehaviorSteps;
  reply: PendingReply;
}

interface GameState {
  conn: GameConnection;
  /** agentId -> run-wide key, per behavior. */
  agentKeys: Map<string, Map<number, number>>;
  /** Game-local group id -> run-wide group id. */
  groupIds: Map<number, number>;
  /** Set while the game waits for actions; it may not send another `steps` until answered. */
  awaiting: PendingReply | null;
  /** Parts of this game's messages not yet taken into a batch. */
  queuedParts: number;
  gone: boolean;
}

interface BehaviorState {
  spec: BehaviorSpec;
  policy: BehaviorPolicy;
  queue: QueuedPart[];
  drops: number[];
  busy: boolean;
}

// A game may send terminal-only messages without waiting for a reply; past this many unprocessed
// ones it is flooding the trainer.
const MAX_QUEUED_PARTS = 1024;

/** Runs the server side of training: games in, batches to the policies, actions out. */
export class EnvManager {
  private readonly server: EnvServer;
  private readonly behaviors = new Map<string, BehaviorState>();
  private readonly games = new Map<number, GameState>();
  private readonly origins = new Map<number, AgentOrigin>();
  private readonly waiters = new Set<() => void>();
  private nextAgentKey = 0;
  private nextGroupId = 1;
  private failure: Error | null = null;
  private stopped = false;
  private readonly count = {
    stepMessages: 0,
    decisions: 0,
    terminals: 0,
    batches: 0,
    connectionsTotal: 0,
    droppedAgents: 0,
  };

  constructor(private readonly opts: EnvManagerOptions) {
    if (typeof opts.policyFactory !== 'function') throw new Error('EnvManager: policyFactory must be a function (spec) => BehaviorPolicy');
    this.server = new EnvServer(opts, {
      onHello: (conn) => this.admit(conn),
      onSteps: (conn, msg) => this.receive(conn, msg),
      onClose: (conn) => this.forget(conn),
    });
  }

  /** Starts listening; resolves with the bound port. */
  start(): Promise<number> {
    return this.server.listen();
  }

  /** The bound port (after `start`). */
  get port(): number {
    return this.server.port;
  }

  /** The URL games connect to. */
  get url(): string {
    return this.server.url;
  }

  /** Specs of every behavior seen so far. */
  get specs(): ReadonlyMap<string, BehaviorSpec> {
    return new Map([...this.behaviors].map(([name, b]) => [name, b.spec]));
  }

  /** The policy of a behavior, once a game declared it. */
  policy(behavior: string): BehaviorPolicy | undefined {
    return this.behaviors.get(behavior)?.policy;
  }

  /** Games connected now. */
  connectedGames(): GameInfo[] {
    return [...this.games.values()].map((g) => gameInfo(g.conn));
  }

  /** Which game and agent a key stands for. */
  agentOrigin(agentKey: number): AgentOrigin | undefined {
    return this.origins.get(agentKey);
  }

  /** Running totals. */
  get counters(): EnvCounters {
    return {
      ...this.count,
      connectionsOpen: this.games.size,
      connectionsRefused: this.server.refused,
    };
  }

  /** The error that stopped the run, if a policy failed. */
  get error(): Error | null {
    return this.failure;
  }

  /** Resolves once `n` games are connected at the same time; rejects after `timeoutMs` or on abort. */
  waitForGames(n: number, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    if (!Number.isInteger(n) || n < 0) return Promise.reject(new Error(`waitForGames: n must be an integer >= 0, got ${n}`));
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (err?: Error) => {
        this.waiters.delete(check);
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (this.failure) done(this.failure);
        else if (this.stopped) done(new Error('waitForGames: the EnvManager was closed'));
        else if (this.games.size >= n) done();
      };
      const onAbort = () => done(new Error('waitForGames: aborted'));
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort);
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => done(new Error(`only ${this.games.size} of ${n} games connected to ${this.url} within ${options.timeoutMs} ms`)),
          options.timeoutMs,
        );
      }
      this.waiters.add(check);
      check();
    });
  }

  /** Tells every game to stop, closes the server; queued reports are discarded. */
  async close(reason = 'training finished'): Promise<void> {
    this.stopped = true;
    await this.server.close(reason);
    this.notify();
  }

  // ---- connection events ----

  private admit(conn: GameConnection): void {
    if (this.stopped) throw new ProtocolError('unexpected_message', 'the trainer is shutting down');
    if (this.failure) throw new ProtocolError('internal', `the trainer stopped: ${this.failure.message}`);
    // Check every behavior before creating any policy, so a refused game leaves nothing behind.
    conn.hello.behaviors.forEach((spec, i) => {
      const known = this.behaviors.get(spec.name);
      if (!known) return;
      const d = diffBehaviorSpecs(known.spec, spec);
      if (d) {
        throw new ProtocolError(
          'invalid_field',
          `behavior '${spec.name}' is already in this run with ${d.field} = ${JSON.stringify(d.expected)}, ` +
            `this game declares ${JSON.stringify(d.got)}; give the behavior another name or make the specs equal`,
          `behaviors[${i}].${d.field}`,
        );
      }
    });
    for (const spec of conn.hello.behaviors) {
      if (!this.behaviors.has(spec.name)) {
        const policy = this.opts.policyFactory(spec);
        this.behaviors.set(spec.name, { spec, policy, queue: [], drops: [], busy: false });
      }
    }
    this.games.set(conn.id, {
      conn,
      agentKeys: new Map(conn.hello.behaviors.map((b) => [b.name, new Map()])),
      groupIds: new Map(),
      awaiting: null,
      queuedParts: 0,
      gone: false,
    });
    this.count.connectionsTotal++;
    // Waiters run after the welcome is sent (the server sends it when this returns).
    queueMicrotask(() => this.notify());
  }

  private receive(conn: GameConnection, msg: StepsMessage): void {
    const game = this.games.get(conn.id)!;
    if (game.awaiting) {
      throw new ProtocolError(
        'unexpected_message',
        "sent 'steps' while its previous decisions were not answered yet; wait for 'actions' before stepping again",
      );
    }
    if (game.queuedParts >= MAX_QUEUED_PARTS) {
      throw new ProtocolError('unexpected_message', `more than ${MAX_QUEUED_PARTS} reports are waiting to be processed; slow down`);
    }
    this.count.stepMessages++;
    if (msg.stats && Object.keys(msg.stats).length > 0) this.opts.onStats?.(msg.stats, gameInfo(conn));

    const reply: PendingReply = { remaining: 0, actions: {} };
    const parts: [BehaviorState, QueuedPart][] = [];
    for (const [name, steps] of Object.entries(msg.behaviors)) {
      const nDecisions = steps.decisions.agentIds.length;
      const nTerminals = steps.terminals.agentIds.length;
      if (nDecisions === 0 && nTerminals === 0) continue;
      this.count.decisions += nDecisions;
      this.count.terminals += nTerminals;
      if (nDecisions > 0) reply.remaining++;
      parts.push([this.behaviors.get(name)!, { game, steps, reply }]);
    }
    if (reply.remaining > 0) game.awaiting = reply;
    game.queuedParts += parts.length;
    for (const [behavior, part] of parts) behavior.queue.push(part);
    for (const [behavior] of parts) this.pump(behavior);
  }

  private forget(conn: GameConnection): void {
    const game = this.games.get(conn.id);
    if (!game) return;
    game.gone = true;
    this.games.delete(conn.id);
    for (const [name, keys] of game.agentKeys) {
      const behavior = this.behaviors.get(name)!;
      behavior.queue = behavior.queue.filter((p) => p.game !== game);
      if (keys.size > 0) {
        for (const key of keys.values()) behavior.drops.push(key);
        this.count.droppedAgents += keys.size;
        this.pump(behavior);
      }
    }
    this.notify();
  }

  // ---- batching ----

  /** Runs the behavior's policy on whatever is queued, unless it is busy; drops go first. */
  private pump(behavior: BehaviorState): void {
    if (behavior.busy || this.failure) return;
    if (behavior.drops.length > 0) {
      const keys = Int32Array.from(behavior.drops);
      behavior.drops = [];
      try {
        behavior.policy.dropAgents(keys);
      } catch (e) {
        this.fail(behavior, e);
        return;
      }
    }
    if (behavior.queue.length === 0) return;
    // One part per game: a game's later part may concern the same agents as its earlier one.
    const taken: QueuedPart[] = [];
    const rest: QueuedPart[] = [];
    const seen = new Set<GameState>();
    for (const part of behavior.queue) {
      if (seen.has(part.game)) rest.push(part);
      else {
        seen.add(part.game);
        part.game.queuedParts--;
        taken.push(part);
      }
    }
    behavior.queue = rest;
    behavior.busy = true;
    void this.runBatch(behavior, taken);
  }

  private async runBatch(behavior: BehaviorState, parts: QueuedPart[]): Promise<void> {
    const { spec } = behavior;
    const terminals = this.gather(spec, parts, 'terminals') as TerminalBatch;
    const decisions = this.gather(spec, parts, 'decisions') as DecisionBatch;
    this.count.batches++;
    let result: { continuous: Float32Array; discrete: Int32Array };
    try {
      result = await behavior.policy.step(terminals, decisions);
      const C = spec.actions.continuous;
      const B = spec.actions.discrete.length;
      if (!(result?.continuous instanceof Float32Array) || result.continuous.length !== decisions.n * C) {
        throw new Error(
          `policy of '${spec.name}' returned ${describeArray(result?.continuous)} continuous actions; expected a Float32Array of ${decisions.n} x ${C}`,
        );
      }
      if (!(result.discrete instanceof Int32Array) || result.discrete.length !== decisions.n * B) {
        throw new Error(
          `policy of '${spec.name}' returned ${describeArray(result.discrete)} discrete actions; expected an Int32Array of ${decisions.n} x ${B}`,
        );
      }
    } catch (e) {
      this.fail(behavior, e);
      return;
    }
    this.answer(spec, parts, result);
    behavior.busy = false;
    this.pump(behavior);
  }

  /** Concatenates one kind of rows of several games into one batch, with run-wide keys and groups. */
  private gather(spec: BehaviorSpec, parts: QueuedPart[], kind: 'terminals' | 'decisions'): AgentBatch {
    const sets = parts.map((p) => p.steps[kind]);
    const n = sets.reduce((s, set) => s + set.agentIds.length, 0);
    const agentKeys = new Int32Array(n);
    const groupIds = new Int32Array(n);
    let row = 0;
    for (const part of parts) {
      const set = part.steps[kind];
      const keys = part.game.agentKeys.get(spec.name)!;
      for (let i = 0; i < set.agentIds.length; i++, row++) {
        const id = set.agentIds[i]!;
        let key = keys.get(id);
        if (key === undefined) {
          key = this.nextAgentKey++;
          keys.set(id, key);
          this.origins.set(key, { connectionId: part.game.conn.id, instanceId: part.game.conn.hello.instanceId, behavior: spec.name, agentId: id });
        }
        agentKeys[row] = key;
        const g = set.groupIds[i]!;
        let global = 0;
        if (g !== 0) {
          global = part.game.groupIds.get(g) ?? this.nextGroupId++;
          part.game.groupIds.set(g, global);
        }
        groupIds[row] = global;
      }
    }
    const batch: AgentBatch = {
      agentKeys,
      obs: spec.observations.map((o, k) => concat(Float32Array, sets.map((s) => s.obs[k]!), n * observationSize(o))),
      rewards: concat(Float32Array, sets.map((s) => s.rewards), n),
      groupIds,
      groupRewards: concat(Float32Array, sets.map((s) => s.groupRewards), n),
      teamIds: concat(Int32Array, sets.map((s) => s.teamIds), n),
      n,
    };
    if (kind === 'terminals') {
      return { ...batch, interrupted: concat(Uint8Array, parts.map((p) => p.steps.terminals.interrupted), n) } as TerminalBatch;
    }
    const hasMasks = spec.actions.discrete.length > 0;
    const maskWidth = spec.actions.discrete.reduce((a, b) => a + b, 0);
    return {
      ...batch,
      actionMasks: hasMasks
        ? concat(
            Uint8Array,
            parts.map((p) => p.steps.decisions.actionMasks ?? new Uint8Array(p.steps.decisions.agentIds.length * maskWidth).fill(1)),
            n * maskWidth,
          )
        : null,
    } as DecisionBatch;
  }

  /** Splits the policy's rows back per game and sends each game its `actions` once complete. */
  private answer(spec: BehaviorSpec, parts: QueuedPart[], result: { continuous: Float32Array; discrete: Int32Array }): void {
    const C = spec.actions.continuous;
    const B = spec.actions.discrete.length;
    let row = 0;
    for (const part of parts) {
      const ids = part.steps.decisions.agentIds;
      const n = ids.length;
      if (n === 0) continue;
      const from = row;
      row += n;
      if (part.game.gone) continue;
      part.reply.actions[spec.name] = {
        agentIds: ids,
        continuous: result.continuous.slice(from * C, (from + n) * C),
        discrete: result.discrete.slice(from * B, (from + n) * B),
      };
      if (--part.reply.remaining === 0) {
        if (part.game.awaiting === part.reply) part.game.awaiting = null;
        part.game.conn.send({ type: 'actions', behaviors: part.reply.actions });
      }
    }
  }

  private fail(behavior: BehaviorState, e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    behavior.busy = false;
    if (this.failure) return;
    this.failure = new Error(`policy of behavior '${behavior.spec.name}' failed: ${err.message}`, { cause: err });
    for (const game of this.games.values()) {
      game.conn.fail(new ProtocolError('internal', `the trainer stopped: ${this.failure.message}`));
    }
    this.notify();
    (this.opts.onError ?? ((x: Error) => console.error(`[three-rl] ${x.stack ?? x.message}`)))(this.failure);
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}

function gameInfo(conn: GameConnection): GameInfo {
  return {
    connectionId: conn.id,
    game: conn.hello.game,
    instanceId: conn.hello.instanceId,
    areas: conn.hello.areas,
    behaviors: conn.hello.behaviors.map((b) => b.name),
  };
}

type TypedArrayCtor<T> = { new (length: number): T };

/** Joins rows of several games; a single part is passed through without copying. */
function concat<T extends Float32Array | Int32Array | Uint8Array>(ctor: TypedArrayCtor<T>, arrays: T[], length: number): T {
  if (arrays.length === 1 && arrays[0]!.length === length) return arrays[0]!;
  const out = new ctor(length);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

function describeArray(a: unknown): string {
  if (a === undefined || a === null) return String(a);
  if (ArrayBuffer.isView(a)) return `a ${a.constructor.name} of length ${(a as unknown as { length: number }).length}`;
  return typeof a;
}
