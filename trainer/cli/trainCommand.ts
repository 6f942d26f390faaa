/**
 * `three-rl train <config.yaml>`: the mlagents-learn of three-rl-agents. Options mirror
 * mlagents-learn's and override the config file's run sections; an option not given leaves the
 * file's value (so none of them has a commander default: the defaults live in the config schema).
 */
import type { Command } from 'commander';
import { loadRunOptions } from '../config/loadRunOptions.js';
import { ConfigError } from '../config/ConfigError.js';
import type { CliOverrides } from '../config/cliOverrides.js';
import { runTraining } from '../run/TrainingRun.js';

/** Registers `train` on the program. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the behaviors of a config (ML-Agents YAML) against headless games (--env) or open game pages')
    .argument('<config>', 'training configuration, ML-Agents format (e.g. configs/ppo/3DBall.yaml)')
    .option('--env <game>', 'built-in game name (see `three-rl games`) or path of your game module; omit to train against open game pages')
    .option('--run-id <id>', 'name of the run: results go to <results-dir>/<run-id> (default "ppo")')
    .option('--num-envs <n>', 'headless game processes to start with --env (default 1)')
    .option('--num-areas <n>', 'copies of the arena in each game process (default 1)')
    .option('--resume', 'continue the run <run-id> from its latest checkpoint: steps, networks, optimiser, normaliser, schedules, RNG')
    .option('--force', 'overwrite the results of an earlier run with the same <run-id>')
    .option('--initialize-from <id>', "start from the networks of run <id> (weights only; steps start at 0)")
    .option('--inference', 'run the latest checkpoint of <run-id> without training')
    .option('--time-scale <x>', 'simulation speed asked of game pages that render in real time (default 20)')
    .option('--port <port>', 'port the trainer listens on for games (default 5004)')
    .option('--seed <n>', 'seed of the networks, sampling and game processes; -1 picks one at random (default -1)')
    .option('--results-dir <dir>', 'where runs are written (default "results")')
    .option('--backend <name>', 'tensor backend: auto | wasm | cpu | tensorflow (default auto: tfjs-node-gpu, tfjs-node, then wasm)')
    .option('--debug', 'more logging')
    .action(async (config: string, flags: CliOverrides) => {
      try {
        const options = loadRunOptions(config, flags, { onWarning: (w) => console.warn(`[WARNING] ${w}`) });
        await runTraining(options);
      } catch (e) {
        if (e instanceof ConfigError || e instanceof Error) {
          console.error(`[ERROR] ${e.message}`);
          process.exitCode = 1;
          return;
        }
        throw e;
      }
    });
}
