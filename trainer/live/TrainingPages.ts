/**
 * The web side of a training run: the live plots page, and (without --env) the game pages that
 * train in the browser. One page server on 127.0.0.1 serves both; the terminal gets their URLs.
 */
import type { GameModule } from '../../bridge/game/GameModule.js';
import { builtInGames } from '../../sample-games/registry.js';
import { gamePagePath, startPagePath } from '../../web/play/PageParams.js';
import { buildPages } from '../../web/server/PageBuild.js';
import { PageServer } from '../../web/server/PageServer.js';
import { liveFeedRoute } from './LiveFeedRoute.js';
import type { LiveStats } from './LiveStats.js';

/** What the run tells its pages. */
export interface TrainingPagesOptions {
  stats: LiveStats;
  /** Behavior names of the config: games that have one of them are offered in train mode. */
  behaviors: readonly string[];
  /** Where game pages connect (the EnvManager's URL). */
  trainerUrl: string;
  /** Preferred port; when taken, any free one. 0: any free one. */
  port: number;
  resultsDir: string;
  /** Areas per game page (--num-areas). */
  areas: number;
  /** No --env: print game page URLs and build the pages at once (they will be opened). */
  offerGamePages: boolean;
  log: (line: string) => void;
  /** Overrides the page build (tests). */
  pages?: string | (() => Promise<string>);
}

/** The URLs a run prints. */
export interface TrainingPageUrls {
  plots: string;
  /** Start page, its games linked in train mode. */
  start: string;
  /** Game name -> its page in train mode, for games that have a behavior of the config. */
  games: Record<string, string>;
}

/** Games of the registry that have at least one of the behaviors. */
export function gamesForBehaviors(behaviors: readonly string[], games: readonly GameModule[] = builtInGames): GameModule[] {
  return games.filter((g) => g.behaviors.some((b) => behaviors.includes(b.name)));
}

/** The page server of a run; start() prints the URLs. */
export class TrainingPages {
  private constructor(
    private readonly server: PageServer,
    readonly urls: TrainingPageUrls,
  ) {}

  /** Starts the server (falling back to a free port) and prints the plots URL and, without --env, the game pages. */
  static async start(opts: TrainingPagesOptions): Promise<TrainingPages> {
    const make = (port: number) =>
      new PageServer({
        pages: opts.pages ?? (() => buildPages({ log: opts.log })),
        resultsDir: opts.resultsDir,
        port,
        routes: [liveFeedRoute(opts.stats)],
        info: { trainer: opts.trainerUrl, livePlots: true },
      });
    let server = make(opts.port);
    try {
      await server.start();
    } catch (e) {
      if (opts.port === 0) throw e;
      server = make(0);
      await server.start();
      opts.log(`Port ${opts.port} is taken; the pages use port ${server.port}`);
    }
    const base = server.url;
    const games: Record<string, string> = {};
    for (const g of gamesForBehaviors(opts.behaviors)) games[g.name] = base + gamePagePath({ game: g.name, mode: 'train', areas: opts.areas });
    const urls: TrainingPageUrls = { plots: `${base}/plots.html`, start: base + startPagePath(opts.trainerUrl), games };
    opts.log(`Live plots: ${urls.plots}`);
    if (opts.offerGamePages) {
      const names = Object.keys(games);
      if (names.length > 0) {
        opts.log(`No --env given: open game pages in a browser (several may join); each connects to ${opts.trainerUrl}`);
        const width = Math.max(...names.map((n) => n.length));
        for (const name of names) opts.log(`  ${name.padEnd(width)}  ${games[name]}`);
      } else {
        opts.log(`No --env given and no built-in game has these behaviors; open your game page in train mode (it connects to ${opts.trainerUrl}), or pick a game at ${urls.start}`);
      }
      // The pages will be opened: build them now rather than on the first request.
      server.builtPages().catch((e: unknown) => opts.log(`The game pages cannot be built: ${(e as Error).message}`));
    }
    return new TrainingPages(server, urls);
  }

  /** Stops serving (open plots pages see the trainer go away). */
  close(): Promise<void> {
    return this.server.close();
  }
}
