/**
 * One run of a game in the page: the simulation, its view on the canvas, and a Sync that gets
 * decisions from models (watch, versus), the keyboard (play) or a trainer (train). Each animation
 * frame runs as many fixed steps as the speed asks (FrameStepper), within a time budget so that the
 * page keeps drawing and answering input, then draws once.
 */
import type { AIController } from '../../bridge/agent/AIController.js';
import type { GameInstance, GameModule } from '../../bridge/game/GameModule.js';
import { StatsRecorder } from '../../bridge/game/StatsRecorder.js';
import { FrameStepper } from '../../bridge/sync/FrameStepper.js';
import { Sync, type EpisodeEndInfo, type InProcessPolicy } from '../../bridge/sync/Sync.js';
import type { GameViewModule } from '../../sample-games/views.js';
import type { GameView } from '../../sample-games/ViewStage.js';
import type { PlayMode, Speed } from './PageParams.js';

/** How to start a session. */
export interface GameSessionOptions {
  module: GameModule;
  view: GameViewModule;
  canvas: HTMLCanvasElement;
  mode: PlayMode;
  areas: number;
  seed: number;
  /** Models by behavior name (watch, versus); agents of behaviors without one follow the keyboard. */
  policies: ReadonlyMap<string, InProcessPolicy>;
  /** Trainer address (train mode). */
  trainerUrl: string;
  /** Null: real time, or the trainer's time scale in train mode. */
  speed: Speed | null;
}

/** Where the session is. */
export type SessionState = 'connecting' | 'running' | 'closed' | 'failed';

// Stepping gets this much of each frame (60 Hz = 16.7 ms): the rest is drawing and input.
const STEP_BUDGET_MS = 12;
// After a drawn frame the browser may hold the page's main thread until the GPU process has shown
// it: ~50 ms with software WebGL, where trainer replies wait behind it. When training or running
// as fast as possible, frames are drawn at most this many stalls apart, so that stalls take at
// most a quarter of the time; and at least once a second.
const STALLS_BETWEEN_DRAWS = 3;
const MAX_DRAW_GAP_MS = 1000;
// A step that waits this long for the trainer (a PPO update) shows as 'waiting'.
const WAITING_AFTER_MS = 300;
const RECENT_EPISODES = 100;

/** A game running in the page; see the file header. */
export class GameSession {
  /** Current state and what it is about (trainer address, close reason, error). */
  state: SessionState = 'connecting';
  detail = '';
  /** Fixed steps run so far. */
  steps = 0;
  /** Episodes finished so far. */
  episodes = 0;
  /** Steps per real second over the last second. */
  stepsPerSecond = 0;
  /** The agent the keyboard drives in versus mode. */
  readonly humanAgent: AIController | null;

  private readonly stepper: FrameStepper;
  private speedValue: Speed;
  private readonly recent: number[] = [];
  private stopped = false;
  private stepStartedAt = 0;
  private rateWindow = { start: 0, steps: 0 };
  private readonly win: Window;
  /** How long the main thread was held after a drawn frame, ms, smoothed. */
  private drawStallMs = 0;
  private readonly stallProbe = new MessageChannel();
  /** Why the Sync closed (the trainer finished, the connection dropped), once it has. */
  private closedBecause: string | null = null;

  private constructor(
    readonly game: GameInstance,
    readonly view: GameView,
    readonly sync: Sync,
    readonly mode: PlayMode,
    speed: Speed,
    humanAgent: AIController | null,
    canvas: HTMLCanvasElement,
  ) {
    this.win = canvas.ownerDocument.defaultView!;
    this.humanAgent = humanAgent;
    this.speedValue = speed;
    this.stepper = new FrameStepper(game.fixedDeltaTime, speed === 'max' ? 1 : speed);
    void sync.closed.then((reason) => (this.closedBecause = reason));
  }

  /** Builds the game, its view and its Sync, connects in train mode, and starts the frame loop. */
  static async start(opts: GameSessionOptions, onEpisodeEnd?: (info: EpisodeEndInfo) => void): Promise<GameSession> {
    const stats = new StatsRecorder();
    const game = opts.module.create({ areas: opts.areas, seed: opts.seed, parameters: {}, stats });
    let view: GameView | null = null;
    try {
      view = opts.view.createView(game, opts.canvas);
      let session: GameSession | null = null;
      const sync = new Sync({
        game,
        gameName: opts.module.name,
        mode: opts.mode === 'train' ? 'train' : 'human',
        url: opts.trainerUrl,
        areas: opts.areas,
        seed: opts.seed,
        stats,
        onEpisodeEnd: (info) => {
          session?.recordEpisode(info);
          onEpisodeEnd?.(info);
        },
      });
      const human = opts.mode === 'versus' ? versusPlayer(game.agents) : null;
      if (opts.mode === 'watch' || opts.mode === 'versus') {
        for (const agent of game.agents) {
          const policy = opts.policies.get(agent.behavior.name);
          if (policy && agent !== human) sync.setDecisionSource(agent, 'policy', policy);
        }
      }
      session = new GameSession(game, view, sync, opts.mode, opts.speed ?? 1, human, opts.canvas);
      if (opts.mode === 'train') {
        session.detail = opts.trainerUrl;
        view.render();
        try {
          const welcome = await sync.connect();
          if (opts.speed === null && welcome) session.setSpeed(welcome.timeScale);
        } catch (e) {
          session.fail(e);
          return session;
        }
        session.detail = `connected to ${opts.trainerUrl}`;
      }
      session.state = 'running';
      void session.loop();
      return session;
    } catch (e) {
      view?.dispose();
      game.dispose?.();
      throw e;
    }
  }

  /** Simulated seconds per real second, or 'max'. */
  get speed(): Speed {
    return this.speedValue;
  }

  /** Changes the speed from the next frame on. */
  setSpeed(speed: Speed): void {
    this.speedValue = speed;
    this.stepper.timeScale = speed === 'max' ? 1 : speed;
    this.stepper.reset();
  }

  /** Mean cumulative reward of the last 100 episodes, null before the first. */
  get meanReward(): number | null {
    return this.recent.length === 0 ? null : this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
  }

  /** Stops stepping, closes the connection and frees the view and the simulation. */
  stop(reason = 'stopped'): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stallProbe.port1.close();
    this.sync.close(reason);
    this.view.dispose();
    this.game.dispose?.();
    if (this.state !== 'failed') {
      this.state = 'closed';
      this.detail = reason;
    }
  }

  private recordEpisode(info: EpisodeEndInfo): void {
    this.episodes++;
    this.recent.push(info.cumulativeReward);
    if (this.recent.length > RECENT_EPISODES) this.recent.shift();
  }

  private async loop(): Promise<void> {
    const clock = this.win.performance;
    let last = clock.now();
    let lastDraw = -Infinity;
    let drewLastFrame = false;
    this.rateWindow = { start: last, steps: 0 };
    while (!this.stopped && this.state !== 'closed' && this.state !== 'failed') {
      await nextFrame(this.win);
      if (this.stopped) return;
      if (drewLastFrame) {
        const probeStart = clock.now();
        await this.probeMainThread();
        this.drawStallMs = 0.7 * this.drawStallMs + 0.3 * (clock.now() - probeStart);
      }
      const now = clock.now();
      const due = this.speedValue === 'max' ? Infinity : this.stepper.next((now - last) / 1000);
      last = now;
      const deadline = now + STEP_BUDGET_MS;
      try {
        // closedBecause is set (a microtask) before a step answered by the close returns here.
        for (let i = 0; i < due && !this.stopped && this.closedBecause === null; i++) {
          this.stepStartedAt = clock.now();
          await this.sync.step();
          this.stepStartedAt = 0;
          this.steps++;
          this.rateWindow.steps++;
          if (clock.now() > deadline) {
            // Behind: drop the backlog rather than spiral (FrameStepper caps a single frame too).
            this.stepper.reset();
            break;
          }
        }
      } catch (e) {
        if (!this.stopped) this.fail(e);
      }
      if (this.stopped) return;
      // A clean close by the trainer (training finished) ends the loop; a lost connection fails it.
      if (this.closedBecause !== null && this.state === 'running') this.finish('closed', this.closedBecause);
      const t = clock.now();
      const throttled = this.mode === 'train' || this.speedValue === 'max';
      const gap = throttled ? Math.min(MAX_DRAW_GAP_MS, STALLS_BETWEEN_DRAWS * this.drawStallMs) : 0;
      drewLastFrame = t - lastDraw >= gap || this.state !== 'running';
      if (drewLastFrame) {
        this.view.render();
        lastDraw = t;
      }
      if (t - this.rateWindow.start >= 1000) {
        this.stepsPerSecond = (this.rateWindow.steps * 1000) / (t - this.rateWindow.start);
        this.rateWindow = { start: t, steps: 0 };
      }
    }
  }

  /** Resolves when the page's main thread gets to run a task again. */
  private probeMainThread(): Promise<void> {
    return new Promise((resolve) => {
      this.stallProbe.port1.onmessage = () => resolve();
      this.stallProbe.port2.postMessage(0);
    });
  }

  /** True while a step has waited long for the trainer (it is updating its networks). */
  get waitingForTrainer(): boolean {
    return this.stepStartedAt > 0 && this.win.performance.now() - this.stepStartedAt > WAITING_AFTER_MS;
  }

  private fail(e: unknown): void {
    this.state = 'failed';
    this.detail = e instanceof Error ? e.message : String(e);
  }

  private finish(state: SessionState, detail: string): void {
    this.state = state;
    this.detail = detail;
  }
}

/** The agent a player takes over against models: the first of a behavior with several teams (team 0). */
export function versusPlayer(agents: readonly AIController[]): AIController | null {
  return agents.find((a) => a.behavior.teamCount > 1 && a.teamId === 0) ?? null;
}

/** True when the game has opponents for a player (a behavior with several teams). */
export function hasOpponents(module: GameModule): boolean {
  return module.behaviors.some((b) => b.teamCount > 1);
}

function nextFrame(win: Window): Promise<number> {
  return new Promise((resolve) => win.requestAnimationFrame(resolve));
}
