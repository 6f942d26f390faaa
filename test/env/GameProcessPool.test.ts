import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EnvManager } from '../../trainer/env/EnvManager.js';
import { GameProcessPool, type GameProcessPoolOptions } from '../../trainer/env/GameProcessPool.js';
import { EpisodeRecordingPolicy } from './EpisodeRecordingPolicy.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let manager: EnvManager | null = null;
let pool: GameProcessPool | null = null;
let logs: string[] = [];

async function startPool(opts: Partial<GameProcessPoolOptions>) {
  logs = [];
  manager = new EnvManager({ port: 0, log: (l) => logs.push(l), policyFactory: (spec) => new EpisodeRecordingPolicy(spec, 1) });
  await manager.start();
  pool = new GameProcessPool({ game: 'basic', numEnvs: 1, numAreas: 2, url: manager.url, restartBackoffMs: 20, log: (l) => logs.push(l), ...opts });
  return { manager, pool };
}

afterEach(async () => {
  await pool?.stop();
  await manager?.close();
  pool = null;
  manager = null;
});

describe('GameProcessPool: loading the game', () => {
  it('refuses an unknown game name, listing the built-in games, without restarting', async () => {
    const { pool } = await startPool({ game: 'Pong' });
    await expect(pool.start()).rejects.toThrow(/no built-in game named 'Pong'\. Built-in games: basic, 3dball/);
    expect(pool.workers.map((w) => [w.state, w.restarts])).toEqual([['failed', 0]]);
  });

  it('refuses a module that exports no GameModule, saying what to export', async () => {
    const { pool } = await startPool({ game: fixture('notAGame.ts') });
    await expect(pool.start()).rejects.toThrow(/exports no GameModule: expected `export default \{ name, description, behaviors, create \}`.*found exports: somethingElse/);
  });

  it('refuses a module whose behavior spec is malformed, naming the field', async () => {
    const { pool } = await startPool({ game: fixture('badBehaviorGame.ts') });
    await expect(pool.start()).rejects.toThrow(/GameModule\.behaviors\[0\]\.actions\.continuous: expected an integer >= 0, got -1/);
  });

  it("runs a user's module that exports `game`, given as a relative path, with K areas per process", async () => {
    const relative = './test/env/fixtures/userGame.ts';
    expect(existsSync(relative)).toBe(true); // vitest runs from the repository root
    const { manager, pool } = await startPool({ game: relative, numEnvs: 2, numAreas: 3, maxSteps: 40 });
    await pool.start();
    await pool.whenExited();
    expect(pool.workers.map((w) => w.state)).toEqual(['exited', 'exited']);
    expect(manager.counters.decisions).toBe(2 * 3 * 40);
    expect(manager.counters.connectionsTotal).toBe(2);
  }, 20_000);
});

describe('GameProcessPool: crashes', () => {
  it('restarts a crashed process with a new seed and logs why', async () => {
    const { manager, pool } = await startPool({ game: fixture('crashingGame.ts'), seed: 0, maxSteps: 60, parameters: { crashAt: 20 } });
    await pool.start();
    await pool.whenExited();
    expect(pool.workers[0]).toMatchObject({ instanceId: 'env-0-1', restarts: 1, state: 'exited' });
    expect(logs.some((l) => /env-0-0 .*died \(exit code 1: crashing on purpose at step 20\); restarting in 20 ms/.test(l))).toBe(true);
    // Per agent: the crashed process reported 20 decisions (its 20th game.step threw), the replacement 60.
    expect(manager.counters.decisions).toBe(2 * (60 + 20));
  }, 20_000);

  it('gives up after maxLifetimeRestarts and reports the process as failed', async () => {
    const fatal: Error[] = [];
    const { pool } = await startPool({
      game: fixture('crashingGame.ts'),
      parameters: { crashAt: 5, alwaysCrash: 1 },
      maxLifetimeRestarts: 1,
      restartsRateLimitN: -1,
      onFatal: (e) => fatal.push(e),
    });
    await pool.start();
    await pool.whenExited();
    expect(pool.workers[0]).toMatchObject({ restarts: 1, state: 'failed' });
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.message).toMatch(/env-0-1 died \(exit code 1: crashing on purpose at step 5\) and is not restarted: it was restarted 1 times already \(maxLifetimeRestarts 1\)/);
  }, 20_000);

  it('applies ML-Agents rate limit: one restart per period by default', async () => {
    const fatal: Error[] = [];
    const { pool } = await startPool({ game: fixture('crashingGame.ts'), parameters: { crashAt: 5, alwaysCrash: 1 }, onFatal: (e) => fatal.push(e) });
    await pool.start();
    await pool.whenExited();
    expect(pool.workers[0]).toMatchObject({ restarts: 1, state: 'failed' });
    expect(fatal[0]!.message).toMatch(/restarted 1 times in the last 60 s \(restartsRateLimitN 1\)/);
  }, 20_000);
});

describe('GameProcessPool: no orphans', () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

  function isGone(pid: number): boolean {
    // A zombie waiting for its (new) parent to reap it is gone too.
    const stat = `/proc/${pid}/stat`;
    if (!existsSync(stat)) return true;
    try {
      return readFileSync(stat, 'utf8').split(') ')[1]!.startsWith('Z');
    } catch {
      return true;
    }
  }

  for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
    it(`game processes exit when the trainer gets ${signal}`, async () => {
      const host = spawn(process.execPath, ['--import', tsx, fixture('poolHost.ts'), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pids = await new Promise<number[]>((resolve, reject) => {
        let out = '';
        host.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as number[]);
        });
        host.once('exit', (code) => reject(new Error(`pool host exited early with ${code}`)));
      });
      expect(pids).toHaveLength(1);
      expect(isGone(pids[0]!)).toBe(false);
      const hostExit = new Promise<NodeJS.Signals | null>((resolve) => host.once('exit', (_code, sig) => resolve(sig)));
      host.kill(signal);
      // With no handler of its own, the trainer still dies of the signal after the pool stops its games.
      expect(await hostExit).toBe(signal);
      await expect.poll(() => isGone(pids[0]!), { timeout: 5000 }).toBe(true);
    }, 20_000);
  }
});
