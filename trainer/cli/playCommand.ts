/**
 * `three-rl play [--port p] [--model file.onnx]`: builds the pages with Vite and serves them on
 * 127.0.0.1 until Ctrl+C. The start page lists the games; a game page runs a model (the newest
 * .onnx of its behavior under results/, the --model file, or a file dropped on the page), the
 * keyboard, or a connection to a running `three-rl train`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import { builtInGames } from '../../sample-games/registry.js';
import { hasBuiltInView } from '../../sample-games/views.js';
import { gamePagePath } from '../../web/play/PageParams.js';
import { buildPages } from '../../web/server/PageBuild.js';
import type { CliModel } from '../../web/server/ModelFiles.js';
import { PageServer } from '../../web/server/PageServer.js';

/** The port `three-rl play` serves on unless told otherwise. */
export const DEFAULT_PLAY_PORT = 5080;

/** Options of `three-rl play`. */
export interface PlayOptions {
  port?: string;
  model?: string;
  resultsDir?: string;
}

/** The behaviors of the built-in games that `path` can act for (checked with onnxruntime-node). */
export async function behaviorsFittingModel(path: string): Promise<{ behaviors: string[]; games: string[] }> {
  const policy = await OnnxPolicy.load(path, { runtime: 'node' });
  try {
    const behaviors = new Set<string>();
    const games: string[] = [];
    for (const game of builtInGames) {
      const fits = game.behaviors.filter((spec) => {
        try {
          policy.checkBehavior(spec);
          return true;
        } catch {
          return false;
        }
      });
      for (const spec of fits) behaviors.add(spec.name);
      if (fits.length > 0) games.push(game.name);
    }
    return { behaviors: [...behaviors], games };
  } finally {
    await policy.dispose();
  }
}

/** Builds and serves the pages; resolves with the running server (the command keeps it open). */
export async function startPlayServer(options: PlayOptions, log: (line: string) => void = console.log): Promise<PageServer> {
  const port = options.port === undefined ? DEFAULT_PLAY_PORT : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port ${options.port}: expected a port number in 0..65535 (0 picks a free one)`);
  }
  let cliModel: CliModel | undefined;
  let modelGames: string[] = [];
  if (options.model !== undefined) {
    const path = resolve(options.model);
    if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`--model ${options.model}: no such file; pass the path of an .onnx policy`);
    const fit = await behaviorsFittingModel(path).catch((e: unknown) => {
      throw new Error(`--model ${options.model}: ${(e as Error).message}`);
    });
    if (fit.behaviors.length === 0) {
      log(`[WARNING] ${options.model} fits no behavior of the built-in games; the game pages offer it anyway and say why it does not fit`);
    }
    cliModel = { path, behaviors: fit.behaviors };
    modelGames = fit.games;
  }
  const pages = await buildPages({ log });
  const server = new PageServer({ pages, port, resultsDir: options.resultsDir ?? 'results', cliModel });
  await server.start();
  log(`Serving the games at ${server.url}/  (Ctrl+C to stop)`);
  for (const game of modelGames) {
    if (hasBuiltInView(game)) log(`  ${options.model} in ${game}: ${server.url}${gamePagePath({ game, mode: 'watch' })}`);
  }
  return server;
}

/** Registers `play` on the program. */
export function registerPlayCommand(program: Command): void {
  program
    .command('play')
    .description('serve the game pages: watch trained agents (ONNX), play with the keyboard, or train in open windows')
    .option('--port <port>', `port of the page server on 127.0.0.1 (default ${DEFAULT_PLAY_PORT}; 0 picks a free one)`)
    .option('--model <file>', 'an .onnx policy to offer first on the pages of the games it fits')
    .option('--results-dir <dir>', 'where to look for trained .onnx policies (default "results")')
    .action(async (options: PlayOptions) => {
      let server: PageServer;
      try {
        server = await startPlayServer(options);
      } catch (e) {
        console.error(`[ERROR] ${(e as Error).message}`);
        process.exitCode = 1;
        return;
      }
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
