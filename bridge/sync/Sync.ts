/**
 * Sync: the game-side runtime. It steps every agent of a game in fixed steps, collects decisions
 * and episode ends, and gets actions from the trainer (train), an in-process model (onnx) or the
 * agents' heuristic (human). Runs in Node and in browsers.
 *
 * One step (ML-Agents' Academy step, in this order):
 *  1. agents marked done report a terminal (observations now, reward since their last report,
 *     interrupted flag), onEpisodeEnd is called, then they restart (counters 0, onEpisodeBegin,
 *     zero action until their next decision);
 *  2. on steps where the Sync's step count is a multiple of an agent's decisionPeriod, the agent
 *     collects observations and action masks (ML-Agents' DecisionRequester reads the Academy's
 *     step count, so the agents of a game decide together however their episodes are staggered);
 *  3. remote rows go to the trainer in one `steps` message; when decisions were asked the step
 *     waits for the `actions` answer (lockstep), in-process policies decide in parallel;
 *  4. agents act (every step with takeActionsBetweenDecisions, else on decision steps only);
 *  5. game.step();
 *  6. stepCount++, and an agent reaching maxStep (> 0) is marked done, interrupted.
 *
 * A `reset` from the trainer plays the role of ML-Agents' RESET command: it answers a waiting step
 * instead of `actions` (that step then neither acts nor advances the game) and every agent's
 * episode is interrupted, so the next step reports all of them as interrupted terminals and
 * restarts them. A reset that arrives while no step waits has the same effect from the next step.
 */
import { ActionMask } from '../agent/ActionMask.js';
import type { AIController, DecisionSource } from '../agent/AIController.js';
import { ObservationWriter } from '../agent/ObservationWriter.js';
import { describeArgument } from '../errors/describeArgument.js';
import type { GameInstance } from '../game/GameModule.js';
import { StatsRecorder } from '../game/StatsRecorder.js';
import { decodeFrame, encodeMessage } from '../protocol/codec.js';
import type {
  ActionsMessage,
  BehaviorSteps,
  HelloMessage,
  Message,
  ResetMessage,
  StepsMessage,
  WelcomeMessage,
} from '../protocol/messages.js';
import { ProtocolError } from '../protocol/ProtocolError.js';
import { CloseCode, errorReply } from '../protocol/ErrorReply.js';
import { MAX_FRAME_BYTES, validateTrainerMessage, validateWelcome } from '../protocol/validate.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import type { BehaviorSpec } from '../spec/BehaviorSpec.js';
import { AgentSetBuffer } from './AgentSetBuffer.js';
import { collectBehaviorSpecs, plainBehaviorSpec } from './collectBehaviorSpecs.js';
import type { SyncTransport } from './SyncTransport.js';
import { openWebSocketTransport } from './WebSocketTransport.js';
import { yieldToEventLoop } from './yieldToEventLoop.js';

/** Where decisions come from by default: the trainer, an in-process model, or the agents' heuristic. */
export type SyncMode = 'train' | 'onnx' | 'human';

/** A model that runs inside the game (e.g. an OnnxPolicy); decides for n agents of one behavior at once. */
export interface InProcessPolicy {
  /** obs: one flat array per observation of the spec (n rows); actionMasks: n x sum(branches), 1 = allowed, or null. */
  decide(
    behavior: BehaviorSpec,
    obs: Float32Array[],
    actionMasks: Uint8Array | null,
    n: number,
  ): Promise<{ continuous: Float32Array; discrete: Int32Array }>;
}

/** One finished episode of one agent. */
export interface EpisodeEndInfo {
  behavior: string;
  agentId: number;
  steps: number;
  cumulativeReward: number;
  /** True when cut by maxStep or a reset rather than ended by the game. */
  interrupted: boolean;
}

/** How a Sync runs a game. */
export interface SyncOptions {
  game: GameInstance;
  gameName: string;
  mode: SyncMode;
  /** Trainer address in train mode; default ws://127.0.0.1:5004. */
  url?: string;
  /** Shared secret the trainer may require. */
  token?: string;
  /** Names this game instance for the trainer; default `<gameName>-<random>`. */
  instanceId?: string;
  /** Arenas in this game (sent in hello); default 1. */
  areas?: number;
  /** The model of onnx mode, and the default for setDecisionSource(agent, 'policy'). */
  policy?: InProcessPolicy;
  /** Called for every finished episode, in every mode. */
  onEpisodeEnd?: (info: EpisodeEndInfo) => void;
  /** Seed reported by `sync.seed` when no trainer sends one. */
  seed?: number;
  /**
   * Where the game records custom statistics (the one it got as `GameOptions.stats`); in train
   * mode their averages go to the trainer with each `steps` message. Default: a recorder of its own
   * (`sync.stats`).
   */
  stats?: StatsRecorder;
}

const DEFAULT_URL = 'ws://127.0.0.1:5004';
const CAPABILITIES = ['reset', 'parameters', 'stats', 'groups'];
// Synchronous steps in a row before run() lets the socket, timers and abort signals run.
const STEPS_BETWEEN_YIELDS = 256;
const RESOLVED: Promise<void> = Promise.resolve();

type Outcome = 'acted' | 'reset' | 'closed';

interface BehaviorState {
  readonly spec: BehaviorSpec;
  readonly agentCount: number;
  readonly writer: ObservationWriter;
  readonly mask: ActionMask | null;
  readonly remoteDecisions: AgentSetBuffer;
  readonly remoteTerminals: AgentSetBuffer;
  /** Decision rows per in-process policy, created on first use. */
  readonly local: Map<InProcessPolicy, AgentSetBuffer>;
}

/** Steps a game's agents and connects them to their decision makers (see the file header). */
export class Sync {
  /** Resolves with the reason when the Sync closes (trainer close, error, disconnect or close()). */
  readonly closed: Promise<string>;
  /** Simulated seconds per real second for a view (the trainer's --time-scale in train mode). */
  timeScale = 1;

  private readonly game: GameInstance;
  private readonly gameName: string;
  private readonly mode: SyncMode;
  private readonly url: string;
  private readonly token: string | undefined;
  private readonly instanceId: string;
  private readonly areas: number;
  private readonly defaultPolicy: InProcessPolicy | undefined;
  private readonly onEpisodeEnd: ((info: EpisodeEndInfo) => void) | undefined;
  private readonly agents: readonly AIController[];
  private readonly specs: Map<string, BehaviorSpec>;
  private readonly behaviors: BehaviorState[];
  private readonly behaviorOf: BehaviorState[];
  private readonly policyOf: (InProcessPolicy | null)[];
  /** 1 when the agent took a decision in the current step. */
  private readonly decided: Uint8Array;
  /** 1 while the trainer holds an unfinished trajectory of the agent. */
  private readonly openTrajectory: Uint8Array;
  /** 1 when the agent left remote control: the trainer gets an interrupted terminal, the game episode goes on. */
  private readonly handover: Uint8Array;
  private readonly awaiting = new Map<string, Int32Array>();
  /** Custom statistics for the trainer (see SyncOptions.stats). */
  readonly stats: StatsRecorder;

  private transport: SyncTransport | null = null;
  private welcomeMessage: WelcomeMessage | null = null;
  private seedValue: number;
  private started = false;
  private stepping = false;
  private isClosed = false;
  private closeReason = '';
  private failure: Error | null = null;
  private steps = 0;
  private resolveClosed!: (reason: string) => void;
  private waiter: { resolve(o: Outcome): void; reject(err: Error): void } | null = null;
  private handshake: { resolve(w: WelcomeMessage): void; reject(err: Error): void } | null = null;

  constructor(opts: SyncOptions) {
    const fail = (field: string, expected: string, got: unknown): never => {
      throw new Error(`SyncOptions.${field}: expected ${expected}, got ${describeArgument(got)}`);
    };
    if (!opts || typeof opts !== 'object') fail('', 'an options object', opts);
    const game = opts.game;
    if (!game || typeof game.step !== 'function' || !Array.isArray(game.agents)) {
      fail('game', 'a GameInstance {agents, fixedDeltaTime, step()} from a GameModule.create()', game);
    }
    if (game.agents.length === 0) fail('game.agents', 'at least one AIController', game.agents);
    if (typeof opts.gameName !== 'string' || opts.gameName.length === 0) fail('gameName', 'the non-empty name of the game', opts.gameName);
    if (opts.mode !== 'train' && opts.mode !== 'onnx' && opts.mode !== 'human') fail('mode', "'train', 'onnx' or 'human'", opts.mode);
    if (opts.mode === 'onnx' && !opts.policy) {
      fail('policy', "an InProcessPolicy (e.g. an OnnxPolicy) in mode 'onnx'", opts.policy);
    }
    if (opts.policy !== undefined && typeof opts.policy?.decide !== 'function') fail('policy', 'an object with a decide() method', opts.policy);
    const areas = opts.areas ?? 1;
    if (!Number.isInteger(areas) || areas < 1) fail('areas', 'an integer >= 1', areas);
    if (opts.url !== undefined && !/^wss?:\/\//.test(opts.url)) fail('url', 'a ws:// or wss:// address such as ws://127.0.0.1:5004', opts.url);
    if (opts.token !== undefined && typeof opts.token !== 'string') fail('token', 'a string', opts.token);
    if (opts.instanceId !== undefined && (typeof opts.instanceId !== 'string' || opts.instanceId.length === 0)) {
      fail('instanceId', 'a non-empty string', opts.instanceId);
    }
    if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed)) fail('seed', 'an integer', opts.seed);
    if (opts.onEpisodeEnd !== undefined && typeof opts.onEpisodeEnd !== 'function') fail('onEpisodeEnd', 'a function', opts.onEpisodeEnd);
    if (opts.stats !== undefined && typeof opts.stats?.takeAverages !== 'function') fail('stats', 'a StatsRecorder (the one given to GameModule.create)', opts.stats);

    this.game = game;
    this.gameName = opts.gameName;
    this.mode = opts.mode;
    this.url = opts.url ?? DEFAULT_URL;
    this.token = opts.token;
    this.instanceId = opts.instanceId ?? `${opts.gameName}-${randomSuffix()}`;
    this.areas = areas;
    this.defaultPolicy = opts.policy;
    this.onEpisodeEnd = opts.onEpisodeEnd;
    this.stats = opts.stats ?? new StatsRecorder();
    this.seedValue = opts.seed ?? 0;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));

    this.agents = [...game.agents];
    if (new Set(this.agents).size !== this.agents.length) {
      const dup = this.agents.findIndex((a, i) => this.agents.indexOf(a) !== i);
      fail(`game.agents[${dup}]`, 'each agent listed once', `the agent of game.agents[${this.agents.indexOf(this.agents[dup]!)}] again`);
    }
    this.specs = collectBehaviorSpecs(this.agents);
    const byName = new Map<string, BehaviorState>();
    for (const spec of this.specs.values()) {
      const agentCount = this.agents.filter((a) => a.behavior.name === spec.name).length;
      byName.set(spec.name, {
        spec,
        agentCount,
        writer: new ObservationWriter(spec),
        mask: spec.actions.discrete.length > 0 ? new ActionMask(spec.actions) : null,
        remoteDecisions: new AgentSetBuffer(spec, agentCount, 'decisions'),
        remoteTerminals: new AgentSetBuffer(spec, agentCount, 'terminals'),
        local: new Map(),
      });
    }
    this.behaviors = [...byName.values()];
    this.behaviorOf = this.agents.map((a) => byName.get(a.behavior.name)!);
    const n = this.agents.length;
    this.decided = new Uint8Array(n);
    this.openTrajectory = new Uint8Array(n);
    this.handover = new Uint8Array(n);
    const source: DecisionSource = opts.mode === 'train' ? 'remote' : opts.mode === 'onnx' ? 'policy' : 'heuristic';
    this.policyOf = this.agents.map(() => (source === 'policy' ? opts.policy! : null));
    this.agents.forEach((a, i) => {
      a._agentId = i;
      a._decisionSource = source;
    });
  }

  /** The behavior specs of the scene by name (what hello declares). */
  get behaviorSpecs(): ReadonlyMap<string, BehaviorSpec> {
    return this.specs;
  }

  /** The trainer's welcome, once connected in train mode. */
  get welcome(): WelcomeMessage | null {
    return this.welcomeMessage;
  }

  /** The trainer's seed in train mode, else SyncOptions.seed (default 0). */
  get seed(): number {
    return this.seedValue;
  }

  /** Steps run so far (steps answered by a reset do not count). */
  get stepCount(): number {
    return this.steps;
  }

  /** Train mode: connects, says hello and applies the trainer's welcome. Other modes: returns null. */
  async connect(): Promise<WelcomeMessage | null> {
    if (this.mode !== 'train') return null;
    if (this.isClosed) throw this.failure ?? new Error(`Sync.connect: the Sync is closed (${this.closeReason})`);
    if (this.transport) throw new Error('Sync.connect: already connected; call connect() once per Sync');
    const transport = await openWebSocketTransport(this.url, MAX_FRAME_BYTES);
    if (this.isClosed) {
      transport.close(1000, this.closeReason);
      throw new Error(`Sync.connect: the Sync was closed while connecting (${this.closeReason})`);
    }
    this.transport = transport;
    const welcomed = new Promise<WelcomeMessage>((resolve, reject) => (this.handshake = { resolve, reject }));
    transport.onFrame = (frame) => this.onFrame(frame);
    transport.onClose = (info) =>
      this.fail(
        new Error(
          `Sync: the connection to the trainer at ${this.url} was lost (code ${info.code}${info.reason ? `: ${info.reason}` : ''}); ` +
            'the trainer stopped or dropped this game',
        ),
      );
    const hello: HelloMessage = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      game: this.gameName,
      instanceId: this.instanceId,
      behaviors: [...this.specs.values()].map(plainBehaviorSpec),
      areas: this.areas,
      capabilities: [...CAPABILITIES],
    };
    if (this.token !== undefined) hello.token = this.token;
    this.send(hello);
    const welcome = await welcomed;
    this.handshake = null;
    this.welcomeMessage = welcome;
    this.timeScale = welcome.timeScale;
    this.seedValue = welcome.seed;
    if (welcome.decisionPeriod !== null) for (const a of this.agents) a.decisionPeriod = welcome.decisionPeriod;
    if (Object.keys(welcome.parameters).length > 0) this.game.setParameters?.(welcome.parameters);
    return welcome;
  }

  /** One fixed step of the whole scene (see the file header); rejects when the trainer connection fails. */
  step(): Promise<void> {
    try {
      return this.stepInternal() ?? RESOLVED;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Steps as fast as possible until the trainer closes, `maxSteps` steps ran, or `signal` aborts. */
  async run(opts: { maxSteps?: number; signal?: AbortSignal } = {}): Promise<void> {
    const max = opts.maxSteps ?? Infinity;
    if (!(max >= 0) || (max !== Infinity && !Number.isInteger(max))) {
      throw new Error(`Sync.run: maxSteps must be an integer >= 0, got ${describeArgument(opts.maxSteps)}`);
    }
    let ran = 0;
    let inARow = 0;
    while (!this.isClosed && ran < max && !opts.signal?.aborted) {
      const pending = this.stepInternal();
      ran++;
      if (pending) {
        await pending;
        inARow = 0;
      } else if (++inARow >= STEPS_BETWEEN_YIELDS) {
        inARow = 0;
        await yieldToEventLoop();
      }
    }
    if (this.failure) throw this.failure;
  }

  /** Closes the connection (sending `close` to the trainer) and resolves `closed`; a waiting step ends without acting. */
  close(reason = 'closed by the game'): void {
    this.shutdown(reason, true);
  }

  /** Changes who decides for one agent: 'remote' (train mode), 'policy' (the given or default InProcessPolicy) or 'heuristic'. */
  setDecisionSource(agent: AIController, source: DecisionSource, policy?: InProcessPolicy): void {
    const id = agent?._agentId ?? -1;
    if (this.agents[id] !== agent) {
      throw new Error('Sync.setDecisionSource: the agent is not one of this game\'s agents (pass an element of game.agents)');
    }
    if (source !== 'remote' && source !== 'policy' && source !== 'heuristic') {
      throw new Error(`Sync.setDecisionSource: source must be 'remote', 'policy' or 'heuristic', got ${describeArgument(source)}`);
    }
    if (source === 'remote' && this.mode !== 'train') {
      throw new Error(`Sync.setDecisionSource: 'remote' needs a trainer, but this Sync runs in mode '${this.mode}'; use mode 'train'`);
    }
    if (source !== 'policy' && policy !== undefined) {
      throw new Error(`Sync.setDecisionSource: a policy is only used with source 'policy', got source '${source}'`);
    }
    let chosen: InProcessPolicy | null = null;
    if (source === 'policy') {
      chosen = policy ?? this.defaultPolicy ?? null;
      if (!chosen) throw new Error("Sync.setDecisionSource: source 'policy' needs a policy argument or SyncOptions.policy");
      if (typeof chosen.decide !== 'function') throw new Error('Sync.setDecisionSource: policy must have a decide() method');
    }
    if (agent._decisionSource === 'remote' && source !== 'remote' && this.openTrajectory[id]) this.handover[id] = 1;
    agent._decisionSource = source;
    this.policyOf[id] = chosen;
  }

  /** Adds a custom statistic for the trainer, as `sync.stats.add` (values of one key are averaged until the next `steps` message); sent only in train mode. */
  recordStat(key: string, value: number): void {
    this.stats.add(key, value);
  }

  // ---------------------------------------------------------------------------------------------
  // Stepping

  /** Runs a step; returns a promise only when something has to be awaited. */
  private stepInternal(): Promise<void> | undefined {
    this.checkCanStep();
    this.stepping = true;
    let waiting = false;
    try {
      if (!this.started) {
        this.started = true;
        for (const a of this.agents) a.onEpisodeBegin();
      }
      for (const b of this.behaviors) {
        b.remoteDecisions.clear();
        b.remoteTerminals.clear();
        for (const buf of b.local.values()) buf.clear();
      }
      this.collectTerminals();
      this.collectDecisions();
      const pending = this.exchange();
      if (pending) {
        waiting = true;
        return pending.then(
          (outcome) => {
            this.stepping = false;
            this.finish(outcome);
          },
          (err: unknown) => {
            this.stepping = false;
            throw err;
          },
        );
      }
      this.finish('acted');
      return undefined;
    } finally {
      if (!waiting) this.stepping = false;
    }
  }

  private checkCanStep(): void {
    if (this.failure) throw this.failure;
    if (this.isClosed) throw new Error(`Sync.step: the Sync is closed (${this.closeReason}); create a new Sync to continue`);
    if (this.stepping) throw new Error('Sync.step: the previous step is still running; await each step() before the next');
    if (this.mode === 'train' && !this.welcomeMessage) {
      throw new Error("Sync.step: in mode 'train', await sync.connect() before stepping");
    }
  }

  private collectTerminals(): void {
    for (let id = 0; id < this.agents.length; id++) {
      const a = this.agents[id]!;
      if (!a._done && !this.handover[id]) continue;
      if (a._decisionSource === 'remote' || this.handover[id]) {
        const b = this.behaviorOf[id]!;
        this.observe(a, b);
        // A handover ends only the trainer's trajectory: the game's episode goes on.
        b.remoteTerminals.add(a, b.writer.buffers, null, a._done ? a._interrupted : true);
        a._reward = 0;
        a._groupReward = 0;
        this.openTrajectory[id] = 0;
        this.handover[id] = 0;
      }
      if (a._done) this.restart(a);
    }
  }

  private restart(a: AIController): void {
    const info: EpisodeEndInfo = {
      behavior: a.behavior.name,
      agentId: a._agentId,
      steps: a._stepCount,
      cumulativeReward: a._cumulativeReward,
      interrupted: a._interrupted,
    };
    this.onEpisodeEnd?.(info);
    a._reward = 0;
    a._groupReward = 0;
    a._cumulativeReward = 0;
    a._stepCount = 0;
    a._episodeCount++;
    a._done = false;
    a._interrupted = false;
    const action = a.currentAction;
    action.continuous.fill(0);
    action.discrete.fill(0);
    a.onEpisodeBegin();
  }

  private collectDecisions(): void {
    for (let id = 0; id < this.agents.length; id++) {
      const a = this.agents[id]!;
      // The game's clock, not the agent's: agents whose episodes end at different steps still
      // decide on the same steps, so a game sends one message per decision period, not one per
      // step with a few agents in each.
      if (this.steps % a.decisionPeriod !== 0) {
        this.decided[id] = 0;
        continue;
      }
      this.decided[id] = 1;
      const b = this.behaviorOf[id]!;
      this.observe(a, b);
      const mask = b.mask;
      if (mask) {
        mask.reset();
        a.writeDiscreteActionMask(mask);
        mask.check(`${b.spec.name} agent ${id}`);
      }
      const maskValues = mask ? mask.values : null;
      switch (a._decisionSource) {
        case 'remote':
          b.remoteDecisions.add(a, b.writer.buffers, maskValues, false);
          this.openTrajectory[id] = 1;
          break;
        case 'policy': {
          const policy = this.policyOf[id]!;
          let buf = b.local.get(policy);
          if (!buf) b.local.set(policy, (buf = new AgentSetBuffer(b.spec, b.agentCount, 'decisions')));
          buf.add(a, b.writer.buffers, maskValues, false);
          break;
        }
        default: {
          const action = a.currentAction;
          action.continuous.fill(0);
          action.discrete.fill(0);
          a.heuristic(action);
          checkAction(b.spec, action.continuous, action.discrete, 0, `${b.spec.name} agent ${id}: heuristic()`);
        }
      }
      a._reward = 0;
      a._groupReward = 0;
    }
  }

  private observe(a: AIController, b: BehaviorState): void {
    b.writer.reset();
    a.collectObservations(b.writer);
    b.writer.checkComplete();
  }

  private exchange(): Promise<Outcome> | undefined {
    let local: Promise<unknown>[] | null = null;
    for (const b of this.behaviors) {
      for (const [policy, buf] of b.local) {
        if (buf.count > 0) (local ??= []).push(this.decideLocally(b.spec, policy, buf));
      }
    }
    const remote = this.mode === 'train' ? this.sendSteps() : undefined;
    if (!local) return remote;
    return Promise.all([remote, ...local]).then(([outcome]) => (outcome as Outcome | undefined) ?? 'acted');
  }

  private async decideLocally(spec: BehaviorSpec, policy: InProcessPolicy, buf: AgentSetBuffer): Promise<void> {
    const n = buf.count;
    const result = await policy.decide(spec, buf.obsViews(), buf.maskView(), n);
    const C = spec.actions.continuous;
    const B = spec.actions.discrete.length;
    const where = `InProcessPolicy.decide for behavior '${spec.name}'`;
    if (!result || result.continuous?.length !== n * C || result.discrete?.length !== n * B) {
      throw new Error(
        `${where}: expected {continuous: ${n * C} floats (${n} agents x ${C}), discrete: ${n * B} ints (${n} agents x ${B})}, ` +
          `got continuous of ${describeArgument(result?.continuous)} and discrete of ${describeArgument(result?.discrete)}`,
      );
    }
    for (let row = 0; row < n; row++) {
      const agent = buf.agents[row]!;
      checkAction(spec, result.continuous, result.discrete, row, `${where}, agent ${agent._agentId}`);
      copyAction(agent, result.continuous, result.discrete, row, C, B);
    }
  }

  private sendSteps(): Promise<Outcome> | undefined {
    let behaviors: Record<string, BehaviorSteps> | null = null;
    for (const b of this.behaviors) {
      const d = b.remoteDecisions;
      const t = b.remoteTerminals;
      if (d.count === 0 && t.count === 0) continue;
      (behaviors ??= {})[b.spec.name] = { decisions: d.toDecisionSet(), terminals: t.toTerminalSet() };
      if (d.count > 0) this.awaiting.set(b.spec.name, d.agentIds.subarray(0, d.count));
    }
    if (!behaviors) return undefined;
    const msg: StepsMessage = { type: 'steps', behaviors };
    const stats = this.stats.takeAverages();
    if (stats) msg.stats = stats;
    this.send(msg);
    if (this.awaiting.size === 0) return undefined;
    return new Promise<Outcome>((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  private finish(outcome: Outcome): void {
    if (outcome !== 'acted') return;
    const agents = this.agents;
    for (let id = 0; id < agents.length; id++) {
      const a = agents[id]!;
      if (this.decided[id] || a.takeActionsBetweenDecisions) a.onActionReceived(a.currentAction);
    }
    this.game.step();
    for (let id = 0; id < agents.length; id++) {
      const a = agents[id]!;
      a._stepCount++;
      const max = a.maxStep;
      if (max > 0 && a._stepCount >= max && !a._done) {
        a._done = true;
        a._interrupted = true;
      }
    }
    this.steps++;
  }

  // ---------------------------------------------------------------------------------------------
  // Connection

  private send(msg: Message): void {
    const frame = encodeMessage(msg);
    if (frame.byteLength > MAX_FRAME_BYTES) {
      throw new Error(
        `Sync: a '${msg.type}' message of ${frame.byteLength} bytes exceeds the ${MAX_FRAME_BYTES}-byte frame limit; run fewer areas per game`,
      );
    }
    if (!this.transport) throw new Error('Sync: not connected');
    this.transport.send(frame);
  }

  private onFrame(frame: Uint8Array | ArrayBuffer): void {
    if (this.isClosed) return;
    if (this.handshake) {
      let decoded: unknown = undefined;
      try {
        decoded = decodeFrame(frame);
        this.handshake.resolve(validateWelcome(decoded));
      } catch (err) {
        const refused = isMessageOfType(decoded, 'error') || isMessageOfType(decoded, 'close');
        this.fail(new Error(`Sync.connect: ${(err as Error).message}`, { cause: err }), refused ? undefined : asProtocolError(err));
      }
      return;
    }
    let msg: ReturnType<typeof validateTrainerMessage>;
    try {
      msg = validateTrainerMessage(decodeFrame(frame), { specs: this.specs, awaiting: this.awaiting });
    } catch (err) {
      this.fail(new Error(`Sync: invalid message from the trainer, connection closed: ${(err as Error).message}`, { cause: err }), asProtocolError(err));
      return;
    }
    switch (msg.type) {
      case 'actions':
        this.onActions(msg);
        return;
      case 'reset':
        this.onReset(msg);
        return;
      case 'parameters':
        this.game.setParameters?.(msg.parameters);
        return;
      case 'close':
        this.shutdown(`the trainer closed the connection${msg.reason ? `: ${msg.reason}` : ''}`, false);
        return;
      case 'error':
        this.fail(new Error(`Sync: the trainer reported an error (${msg.code}${msg.field ? ` at ${msg.field}` : ''}): ${msg.message}`));
        return;
    }
  }

  private onActions(msg: ActionsMessage): void {
    const waiter = this.waiter;
    if (!waiter) {
      const err = new ProtocolError('unexpected_message', 'expected no actions: no step of this game is waiting for decisions', 'type');
      this.fail(new Error(`Sync: invalid message from the trainer, connection closed: ${err.message}`), err);
      return;
    }
    for (const b of this.behaviors) {
      const d = b.remoteDecisions;
      if (d.count === 0) continue;
      const entry = msg.behaviors[b.spec.name]!;
      const C = b.spec.actions.continuous;
      const B = b.spec.actions.discrete.length;
      // validateTrainerMessage checked that rows answer d.agents in order.
      for (let row = 0; row < d.count; row++) copyAction(d.agents[row]!, entry.continuous, entry.discrete, row, C, B);
    }
    this.awaiting.clear();
    this.waiter = null;
    waiter.resolve('acted');
  }

  private onReset(msg: ResetMessage): void {
    if (msg.parameters && Object.keys(msg.parameters).length > 0) this.game.setParameters?.(msg.parameters);
    // Agents already ending for real keep their real end.
    for (const a of this.agents) if (!a._done) a.episodeInterrupted();
    const waiter = this.waiter;
    if (waiter) {
      this.awaiting.clear();
      this.waiter = null;
      waiter.resolve('reset');
    }
  }

  /** Clean end: resolves a waiting step without acting and resolves `closed`. */
  private shutdown(reason: string, sayClose: boolean): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeReason = reason;
    if (this.transport) {
      if (sayClose) {
        try {
          this.send({ type: 'close', reason });
        } catch {
          // The socket may already be gone; closing is all that is left to do.
        }
      }
      this.transport.close(1000, reason);
    }
    this.awaiting.clear();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve('closed');
    this.handshake?.reject(new Error(`Sync.connect: closed before the trainer's welcome (${reason})`));
    this.handshake = null;
    this.resolveClosed(reason);
  }

  /** Failure: tells the trainer what was wrong (for its bad messages), closes, rejects what waits, resolves `closed`. */
  private fail(err: Error, tellTrainer?: ProtocolError): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.failure = err;
    this.closeReason = err.message;
    if (this.transport) {
      if (tellTrainer) {
        try {
          this.send(errorReply(tellTrainer));
        } catch {
          // Best effort: the connection is being dropped anyway.
        }
      }
      // Browsers refuse close codes outside 1000 and 3000-4999, so protocol errors use 4000.
      this.transport.close(
        tellTrainer ? CloseCode.afterError : CloseCode.normal,
        tellTrainer ? `protocol error: ${tellTrainer.code}` : 'closing',
      );
    }
    this.awaiting.clear();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(err);
    this.handshake?.reject(err);
    this.handshake = null;
    this.resolveClosed(err.message);
  }
}

function copyAction(agent: AIController, continuous: Float32Array, discrete: Int32Array, row: number, C: number, B: number): void {
  const action = agent.currentAction;
  for (let k = 0; k < C; k++) action.continuous[k] = continuous[row * C + k]!;
  for (let k = 0; k < B; k++) action.discrete[k] = discrete[row * B + k]!;
}

/** Throws when a locally decided action row has a non-finite value or a discrete index out of its branch. */
function checkAction(spec: BehaviorSpec, continuous: ArrayLike<number>, discrete: ArrayLike<number>, row: number, where: string): void {
  const C = spec.actions.continuous;
  for (let k = 0; k < C; k++) {
    const v = continuous[row * C + k]!;
    if (!Number.isFinite(v)) throw new Error(`${where} gave continuous[${k}] = ${v}; actions must be finite numbers`);
  }
  const branches = spec.actions.discrete;
  for (let k = 0; k < branches.length; k++) {
    const v = discrete[row * branches.length + k]!;
    if (!Number.isInteger(v) || v < 0 || v >= branches[k]!) {
      throw new Error(`${where} gave discrete[${k}] = ${v}; branch ${k} has actions 0..${branches[k]! - 1}`);
    }
  }
}

function asProtocolError(err: unknown): ProtocolError {
  return err instanceof ProtocolError ? err : new ProtocolError('internal', err instanceof Error ? err.message : String(err));
}

function isMessageOfType(value: unknown, type: string): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}

function randomSuffix(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID ? c.randomUUID().slice(0, 8) : Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0');
}
