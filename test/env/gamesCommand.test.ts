import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { builtInGames } from '../../sample-games/registry.js';
import { describeBehavior, formatGames } from '../../trainer/cli/gamesCommand.js';
import { loadGameModule } from '../../trainer/env/loadGameModule.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/three-rl.js', import.meta.url));

describe('three-rl games', () => {
  it('lists every built-in game with its behaviors, through the npm bin, from any directory', async () => {
    const { stdout } = await run(process.execPath, [bin, 'games'], { cwd: tmpdir() });
    expect(stdout).toBe(`${formatGames(builtInGames)}\n\nTrain one with: three-rl train <config.yaml> --env <name>  (or --env path/to/your-game.ts)\n`);
    for (const g of builtInGames) expect(stdout).toContain(g.name);
    expect(stdout).toContain('Basic: obs 20 (position 20); actions discrete [3]');
  }, 20_000);

  it('prints JSON with --json and checks a module given as a path', async () => {
    const { stdout } = await run(process.execPath, [bin, 'games', '--json', './test/env/fixtures/userGame.ts']);
    const parsed = JSON.parse(stdout) as { name: string; behaviors: { name: string }[] }[];
    expect(parsed.map((g) => [g.name, g.behaviors.map((b) => b.name)])).toEqual([['basic', ['Basic']]]);
  }, 20_000);

  it('exits with 2 and the reason for a module that is not a game', async () => {
    const failed = await run(process.execPath, [bin, 'games', './test/env/fixtures/notAGame.ts']).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toMatch(/notAGame\.ts exports no GameModule/);
  }, 20_000);

  it('describes continuous, discrete, teams and step limits', () => {
    expect(
      describeBehavior({
        name: 'Striker',
        observations: [
          { name: 'rays', shape: [11, 8], kind: 'rays' },
          { name: 'v', shape: [3], kind: 'vector' },
        ],
        actions: { continuous: 2, discrete: [3, 3] },
        teamCount: 2,
        maxStep: 3000,
      }),
    ).toBe('Striker: obs 91 (rays 11x8 (rays), v 3); actions 2 continuous + discrete [3, 3]; 2 teams, max 3000 steps');
  });
});

describe('loadGameModule', () => {
  it('finds built-in games whatever the case, and names the built-in games when one is unknown', async () => {
    expect(await loadGameModule('3DBALL')).toBe(builtInGames.find((g) => g.name === '3dball'));
    await expect(loadGameModule('Pyramidz')).rejects.toThrow(`no built-in game named 'Pyramidz'. Built-in games: ${builtInGames.map((g) => g.name).join(', ')}`);
    await expect(loadGameModule('./missing/game.ts')).rejects.toThrow(/missing\/game\.ts does not exist/);
  });
});
