/**
 * `--env <Game> --num-envs N --num-areas K`: N headless game processes, each running the game's
 * simulation with K areas and connecting to the trainer like any browser window would. Crashed
 * processes are restarted within ML-Agents' limits (env_settings.max_lifetime_restarts,
 * restarts_rate_limit_n per restarts_rate_limit_period_s); none outlives the trainer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WORKER_FATAL_EXIT, type ParentToWorker, type WorkerConfig, type WorkerToParent } from './WorkerMessages.js';

/** How to run the game processes. Restart limits use ML-Agents' env_settings names and defaults. */
export interface GameProcessPoolOptions {
  /** Built-in game name (case-insensitive) or path to a game module. */
  game: string;
  /** Number of game processes (`--num-envs`). */
  numEnvs: number;
  /** Areas per process (`--num-areas`). */
  numAreas: number;
  /** Trainer URL, e.g. the EnvManager's `url`. */
  url: string;
  token?: string;
  /** Base seed; process i gets seed + i (+ numEnvs per restart, so a restart does not replay). Default 0. */
  seed?: number;
  parameters?: Record<string, number>;
  /** Scene steps per process before it closes by itself (tests, benchmarks). */
  maxSteps?: number;
  /** Directory for one `<instanceId>.jsonl` episode log per process. */
  episodeLogDir?: string;
  /** Restarts allowed per process over the run; -1 = no limit. Default 10. */
  maxLifetimeRestarts?: number;
  /** Restarts allowed per process within `restartsRateLimitPeriodS`; -1 = no limit. Default 1. */
  restartsRateLimitN?: number;
  /** Default 60. */
  restartsRateLimitPeriodS?: number;
  /** Wait before the first restart of a process; doubles with each restart, at most 30 s. Default 1000. */
  restartBackoffMs?: number;
  /** `start()` fails if a process is not connected after this long. Default 60 s. */
  startTimeoutMs?: number;
  /** Where the pool and the processes' output go, line by line. Default: stderr. */
  log?: (line: string) => void;
  /** A process cannot run or ran out of restarts, after `start()` resolved. Default: logs it. */
  onFatal?: (err: Error) => void;
}

/** One game process slot, as seen from outside. */
export interface WorkerInfo {
  index: number;
  pid: number | undefined;
  instanceId: string;
  restarts: number;
  state: 'starting' | 'running' | 'restarting' | 'exited' | 'failed';
}

interface Slot extends WorkerInfo {
  child: ChildProcess | null;
  recentRestarts: number[];
  timer: ReturnType<typeof setTimeout> | null;
  /** What the process said before exiting (fatal or crash), if it could. */
  lastWords: string | null;
  /** Connected to the trainer at least once (a short run may be over before the others connect). */
  connectedOnce: boolean;
}

const WORKER_PATH = fileURLToPath(new URL('./gameWorker.ts', import.meta.url));
// Resolved from this package so that the workers load TypeScript whatever the user's cwd is.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAX_BACKOFF_MS = 30_000;

/** Spawns and supervises the headless game processes of a run. */
export class GameProcessPool {
  private readonly slots: Slot[] = [];
  private readonly opts: Required<Omit<GameProcessPoolOptions, 'token' | 'maxSteps' | 'episodeLogDir' | 'onFatal'>> &
    Pick<GameProcessPoolOptions, 'token' | 'maxSteps' | 'episodeLogDir' | 'onFatal'>;
  private stopping = false;
  private started = false;
  private startWaiter: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private readonly exitWaiters = new Set<() => void>();
  private readonly onProcessExit = () => this.killAllNow();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // Nobody else handles the signal: keep its default meaning (the trainer dies) after the games.
    const alone = process.listenerCount(signal) === 1;
    this.log(`received ${signal}: stopping the game processes`);
    void this.stop();
    if (alone) {
      this.killAllNow();
      process.kill(process.pid, signal);
    }
  };

  constructor(options: GameProcessPoolOptions) {
    this.opts = {
      seed: 0,
      parameters: {},
      maxLifetimeRestarts: 10,
      restartsRateLimitN: 1,
      restartsRateLimitPeriodS: 60,
      restartBackoffMs: 1000,
      startTimeoutMs: 60_000,
      log: (line) => console.error(`[three-rl] ${line}`),
      ...options,
    };
    const o = this.opts;
    const int = (name: string, v: number, min: number) => {
      if (!Number.isInteger(v) || v < min) throw new Error(`GameProcessPool: ${name} must be an integer >= ${min}, got ${v}`);
    };
    if (typeof o.game !== 'string' || o.game === '') throw new Error('GameProcessPool: game must be a built-in game name or a module path');
    int('numEnvs (--num-envs)', o.numEnvs, 1);
    int('numAreas (--num-areas)', o.numAreas, 1);
    int('seed', o.seed, -(2 ** 31));
    int('maxLifetimeRestarts', o.maxLifetimeRestarts, -1);
    int('restartsRateLimitN', o.restartsRateLimitN, -1);
    if (!(o.restartsRateLimitPeriodS > 0)) throw new Error(`GameProcessPool: restartsRateLimitPeriodS must be > 0, got ${o.restartsRateLimitPeriodS}`);
    if (!(o.restartBackoffMs >= 0)) throw new Error(`GameProcessPool: restartBackoffMs must be >= 0, got ${o.restartBackoffMs}`);
    if (o.maxSteps !== undefined) int('maxSteps', o.maxSteps, 1);
    if (!/^wss?:\/\//.test(o.url)) throw new Error(`GameProcessPool: url must be a ws:// address of the trainer, got ${JSON.stringify(o.url)}`);
  }

  /** Spawns every process; resolves when all are connected to the trainer, rejects if one cannot run. */
  start(): Promise<void> {
    if (this.started) return Promise.reject(new Error('GameProcessPool.start: already started'));
    this.started = true;
    if (this.opts.episodeLogDir) mkdirSync(this.opts.episodeLogDir, { recursive: true });
    process.on('exit', this.onProcessExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    return new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        const waiting = this.slots.filter((s) => !s.connectedOnce).map((s) => s.instanceId);
        fail(new Error(`game processes ${waiting.join(', ')} did not connect to ${this.opts.url} within ${this.opts.startTimeoutMs} ms`));
      }, this.opts.startTimeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        this.startWaiter = null;
        void this.stop().then(() => reject(e));
      };
      this.startWaiter = {
        resolve: () => {
          clearTimeout(timer);
          this.startWaiter = null;
          resolvePromise();
        },
        reject: fail,
      };
      for (let i = 0; i < this.opts.numEnvs; i++) {
        const slot: Slot = {
          index: i,
          pid: undefined,
          instanceId: '',
          restarts: 0,
          state: 'starting',
          child: null,
          recentRestarts: [],
          timer: null,
          lastWords: null,
          connectedOnce: false,
        };
        this.slots.push(slot);
        this.spawn(slot);
      }
    });
  }

  /** The process slots, in index order. */
  get workers(): readonly WorkerInfo[] {
    return this.slots.map(({ index, pid, instanceId, restarts, state }) => ({ index, pid, instanceId, restarts, state }));
  }

  /** Resolves when every process has ended for good (finished, failed, or stopped). */
  whenExited(): Promise<void> {
    return new Promise((resolvePromise) => {
      const check = () => {
        if (this.slots.every((s) => s.state === 'exited' || s.state === 'failed')) {
          this.exitWaiters.delete(check);
          resolvePromise();
        }
      };
      this.exitWaiters.add(check);
      check();
    });
  }

  /** Stops every process (SIGTERM, then SIGKILL after `graceMs`) and restarts none. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    this.removeProcessListeners();
    const live: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      const child = slot.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        if (slot.state === 'restarting' || slot.state === 'starting') slot.state = 'exited';
        continue;
      }
      live.push(
        new Promise<void>((done) => {
          const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.kill('SIGTERM');
        }),
      );
    }
    await Promise.all(live);
    this.notifyExit();
  }

  private spawn(slot: Slot): void {
    const o = this.opts;
    slot.instanceId = `env-${slot.index}-${slot.restarts}`;
    slot.state = slot.restarts === 0 ? 'starting' : 'restarting';
    const config: WorkerConfig = {
      game: o.game,
      cwd: process.cwd(),
      url: o.url,
      instanceId: slot.instanceId,
      seed: o.seed + slot.index + slot.restarts * o.numEnvs,
      areas: o.numAreas,
      parameters: o.parameters,
      ...(o.token !== undefined ? { token: o.token } : {}),
      ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
      ...(o.episodeLogDir ? { episodeLog: join(resolve(o.episodeLogDir), `${slot.instanceId}.jsonl`) } : {}),
    };
    const child = fork(WORKER_PATH, [], {
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    slot.child = child;
    slot.pid = child.pid;
    slot.lastWords = null;
    const tail: string[] = [];
    const prefix = `[${slot.instanceId}]`;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        o.log(`${prefix} ${line}`);
      });
    }
    child.on('message', (raw: unknown) => {
      const msg = raw as WorkerToParent;
      if (msg?.type === 'ready') {
        slot.state = 'running';
        slot.connectedOnce = true;
        if (this.startWaiter && this.slots.every((s) => s.connectedOnce)) this.startWaiter.resolve();
      } else if (msg?.type === 'fatal' || msg?.type === 'crash') {
        slot.lastWords = msg.message;
      }
    });
    child.on('error', (err) => o.log(`${prefix} process error: ${err.message}`));
    child.on('exit', (code, signal) => this.exited(slot, child, code, signal, tail));
    child.send({ type: 'start', config } satisfies ParentToWorker, (err) => {
      if (err) o.log(`${prefix} could not send the start config: ${err.message}`);
    });
  }

  private exited(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, tail: string[]): void {
    if (slot.child !== child) return;
    slot.child = null;
    const o = this.opts;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (this.stopping || code === 0) {
      slot.state = 'exited';
      this.notifyExit();
      return;
    }
    if (code === WORKER_FATAL_EXIT) {
      slot.state = 'failed';
      this.fatal(new Error(`game process ${slot.instanceId} cannot run: ${slot.lastWords ?? how}`));
      this.notifyExit();
      return;
    }
    const now = Date.now();
    slot.recentRestarts = slot.recentRestarts.filter((t) => now - t < o.restartsRateLimitPeriodS * 1000);
    const lifetimeOk = o.maxLifetimeRestarts === -1 || slot.restarts < o.maxLifetimeRestarts;
    const rateOk = o.restartsRateLimitN === -1 || slot.recentRestarts.length < o.restartsRateLimitN;
    const lastLines = slot.lastWords
      ? `: ${slot.lastWords}`
      : tail.length
        ? `; its last output:\n  ${tail.slice(-5).join('\n  ')}`
        : '';
    if (!lifetimeOk || !rateOk) {
      slot.state = 'failed';
      const limit = !lifetimeOk
        ? `it was restarted ${slot.restarts} times already (maxLifetimeRestarts ${o.maxLifetimeRestarts})`
        : `it was restarted ${slot.recentRestarts.length} times in the last ${o.restartsRateLimitPeriodS} s (restartsRateLimitN ${o.restartsRateLimitN})`;
      this.fatal(new Error(`game process ${slot.instanceId} died (${how}${lastLines}) and is not restarted: ${limit}`));
      this.notifyExit();
      return;
    }
    const delay = Math.min(o.restartBackoffMs * 2 ** slot.restarts, MAX_BACKOFF_MS);
    o.log(`game process ${slot.instanceId} (pid ${slot.pid}) died (${how}${lastLines}); restarting in ${delay} ms`);
    slot.recentRestarts.push(now);
    slot.restarts++;
    slot.state = 'restarting';
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (!this.stopping) this.spawn(slot);
    }, delay);
  }

  private fatal(err: Error): void {
    if (this.startWaiter) this.startWaiter.reject(err);
    else (this.opts.onFatal ?? ((e: Error) => this.opts.log(e.message)))(err);
  }

  private notifyExit(): void {
    for (const check of [...this.exitWaiters]) check();
  }

  private killAllNow(): void {
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      if (slot.child && slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
    }
  }

  private removeProcessListeners(): void {
    process.off('exit', this.onProcessExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }

  private log(line: string): void {
    this.opts.log(line);
  }
}
