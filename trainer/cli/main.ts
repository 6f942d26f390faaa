/**
 * The `three-rl` command line. Each sub-command lives in its own module and registers itself
 * here; add a command by adding its register function to `commands`.
 */
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { packageVersion } from '../../onnx-export/packageVersion.js';
import { registerExportCommand } from './exportCommand.js';
import { registerGamesCommand } from './gamesCommand.js';
import { registerPlayCommand } from './playCommand.js';
import { registerTrainCommand } from './trainCommand.js';

/** Adds one sub-command (with its options and action) to the program. */
export type CommandRegistration = (program: Command) => void;

/** Every sub-command, in the order `three-rl --help` lists them. */
export const commands: readonly CommandRegistration[] = [registerTrainCommand, registerGamesCommand, registerExportCommand, registerPlayCommand];

/** Builds the program without running it (tests parse with `{ from: 'user' }`). */
export function buildProgram(): Command {
  const program = new Command('three-rl')
    .description('Train reinforcement-learning agents for Three.js + cannon-es games; ship them as ONNX.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI on `argv` (as in process.argv) and sets the exit code. */
export async function runCli(argv: readonly string[] = process.argv): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    // Commander has printed its own message (or help / version) already.
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli();
}
