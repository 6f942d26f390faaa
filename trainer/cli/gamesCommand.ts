/**
 * `three-rl games [module]`: lists the built-in games `--env` accepts, or checks a game module
 * of one's own and shows what the trainer will see of it.
 */
import type { Command } from 'commander';
import type { GameModule } from '../../bridge/game/GameModule.js';
import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { builtInGames } from '../../sample-games/registry.js';
import { GameModuleError, loadGameModule } from '../env/loadGameModule.js';

/** One line per behavior: observations with their sizes, then the action space. */
export function describeBehavior(spec: BehaviorSpec): string {
  const obs = spec.observations.map((o) => `${o.name} ${o.shape.join('x')}${o.kind === 'rays' ? ' (rays)' : ''}`).join(', ');
  const total = spec.observations.reduce((s, o) => s + observationSize(o), 0);
  const acts: string[] = [];
  if (spec.actions.continuous > 0) acts.push(`${spec.actions.continuous} continuous`);
  if (spec.actions.discrete.length > 0) acts.push(`discrete [${spec.actions.discrete.join(', ')}]`);
  const extra = [spec.teamCount > 1 ? `${spec.teamCount} teams` : '', spec.maxStep > 0 ? `max ${spec.maxStep} steps` : '']
    .filter(Boolean)
    .join(', ');
  return `${spec.name}: obs ${total} (${obs}); actions ${acts.join(' + ')}${extra ? `; ${extra}` : ''}`;
}

/** The text `three-rl games` prints for these games. */
export function formatGames(games: readonly GameModule[]): string {
  const width = Math.max(...games.map((g) => g.name.length));
  const lines: string[] = [];
  for (const g of games) {
    lines.push(`${g.name.padEnd(width)}  ${g.description}`);
    for (const b of g.behaviors) lines.push(`${' '.repeat(width)}    ${describeBehavior(b)}`);
  }
  return lines.join('\n');
}

/** Registers `games` on the program. */
export function registerGamesCommand(program: Command): void {
  program
    .command('games')
    .description('list the built-in games (--env <name>), or check a game module of your own')
    .argument('[module]', 'a game module path (or built-in name) to check and describe instead of listing all')
    .option('--json', 'print JSON (name, description, behaviors) instead of text')
    .action(async (modulePath: string | undefined, options: { json?: boolean }) => {
      let games: readonly GameModule[] = builtInGames;
      if (modulePath !== undefined) {
        try {
          games = [await loadGameModule(modulePath)];
        } catch (e) {
          if (!(e instanceof GameModuleError)) throw e;
          program.error(e.message, { exitCode: 2 });
        }
      }
      if (options.json) {
        const plain = games.map(({ name, description, behaviors }) => ({ name, description, behaviors }));
        process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${formatGames(games)}\n`);
      if (modulePath === undefined) {
        process.stdout.write('\nTrain one with: three-rl train <config.yaml> --env <name>  (or --env path/to/your-game.ts)\n');
      }
    });
}
