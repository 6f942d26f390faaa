/**
 * Entry point of one headless game process (spawned by GameProcessPool with tsx): loads the game
 * module, builds the game and runs its Sync in train mode against the trainer until the trainer
 * closes the connection, `maxSteps` is reached, or the trainer process goes away.
 */
import { openSync, writeSync } from 'node:fs';
import type { GameModule, GameInstance } from '../../bridge/game/GameModule.js';
import { StatsRecorder } from '../../bridge/game/StatsRecorder.js';
import { Sync, type EpisodeEndInfo } from '../../bridge/sync/Sync.js';
import { loadGameModule } from './loadGameModule.js';
import { WORKER_FATAL_EXIT, type ParentToWorker, type WorkerConfig, type WorkerToParent } from './WorkerMessages.js';

let sync: Sync | null = null;

function stop(reason: string, code: number): void {
  sync?.close(reason);
  // Give the close frame a moment to leave; nothing else keeps the process alive meanwhile.
  setTimeout(() => process.exit(code), 100);
}

function tell(msg: WorkerToParent, then?: () => void): void {
  if (!process.send || !process.connected) return then?.();
  process.send(msg, () => then?.());
}

if (!process.send) {
  console.error('gameWorker: run me through GameProcessPool (I need its IPC channel for my config)');
  process.exit(WORKER_FATAL_EXIT);
}

// The trainer died or dropped us: a game without its trainer has no reason to live (no orphans).
process.on('disconnect', () => stop('the trainer process went away', 0));
// Ctrl+C in a terminal reaches the whole process group; the trainer decides when games stop.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => stop('stopped by the trainer', 0));

process.once('message', (raw: unknown) => {
  const msg = raw as ParentToWorker;
  if (msg?.type !== 'start') {
    console.error(`gameWorker: expected a start message, got ${JSON.stringify(raw)}`);
    process.exit(WORKER_FATAL_EXIT);
  }
  run(msg.config).then(
    (reason) => {
      console.error(`finished: ${reason}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(`crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      tell({ type: 'crash', message: err instanceof Error ? err.message : String(err) }, () => process.exit(1));
    },
  );
});

async function run(config: WorkerConfig): Promise<string> {
  let module: GameModule;
  let game: GameInstance;
  const stats = new StatsRecorder();
  try {
    module = await loadGameModule(config.game, config.cwd);
    game = module.create({ areas: config.areas, seed: config.seed, parameters: { ...config.parameters }, stats });
  } catch (e) {
    // A game that cannot load or build will not after a restart either.
    const message = e instanceof Error ? e.message : String(e);
    console.error(message);
    await new Promise<void>((resolve) => tell({ type: 'fatal', message }, resolve));
    process.exit(WORKER_FATAL_EXIT);
  }

  const log = config.episodeLog ? openSync(config.episodeLog, 'a') : null;
  // Written synchronously: a killed process must not lose episodes it already reported.
  const onEpisodeEnd = log === null ? undefined : (info: EpisodeEndInfo) => void writeSync(log, `${JSON.stringify(info)}\n`);
  sync = new Sync({
    game,
    gameName: module.name,
    mode: 'train',
    url: config.url,
    instanceId: config.instanceId,
    areas: config.areas,
    seed: config.seed,
    stats,
    ...(config.token !== undefined ? { token: config.token } : {}),
    ...(onEpisodeEnd ? { onEpisodeEnd } : {}),
  });
  await sync.connect();
  tell({ type: 'ready', game: module.name });
  await sync.run(config.maxSteps !== undefined ? { maxSteps: config.maxSteps } : {});
  if (config.maxSteps !== undefined) sync.close(`ran the ${config.maxSteps} steps it was asked for`);
  const reason = await sync.closed;
  game.dispose?.();
  return reason;
}
