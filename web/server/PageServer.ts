/**
 * The HTTP server of the pages: the Vite build (start page, game page, plots page), the policy
 * files under results/ and the --model file, and extra routes (the live plots feed of a running
 * trainer). Binds to 127.0.0.1 by default.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { ApiPaths, type ModelList, type ServerInfo } from '../api/PageApi.js';
import { cliModelEntry, listResultModels, type CliModel } from './ModelFiles.js';
import { resolveInside, sendFile, sendJson, sendText } from './StaticFiles.js';

/** An extra handler: returns true when it answered the request. */
export type PageRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

/** How the page server runs. */
export interface PageServerOptions {
  /** The built pages: their folder, or a function that builds them (called once, on the first request for a page). */
  pages: string | (() => Promise<string>);
  /** Where runs are written; their .onnx files are offered to the game pages. Default "results". */
  resultsDir?: string;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** The file of `three-rl play --model`. */
  cliModel?: CliModel;
  /** Handlers tried before the pages. */
  routes?: PageRoute[];
  /** What /api/server tells the pages (a trainer's address, live plots); default neither. */
  info?: ServerInfo;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Serves the pages and the model files; `start()` then read `url`. */
export class PageServer {
  private server: Server | null = null;
  private boundPort = -1;
  private readonly host: string;
  private readonly resultsDir: string;
  private pagesDir: Promise<string> | null = null;

  constructor(private readonly opts: PageServerOptions) {
    if (opts.pages === '' || (typeof opts.pages !== 'string' && typeof opts.pages !== 'function')) {
      throw new Error('PageServer: pages must be the folder buildPages() returned, or a function resolving to it');
    }
    const port = opts.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PageServer: port must be an integer in 0..65535 (0 = any free port), got ${port}`);
    this.host = opts.host ?? '127.0.0.1';
    if (typeof opts.pages === 'string') this.pagesDir = Promise.resolve(resolve(opts.pages));
    this.resultsDir = resolve(opts.resultsDir ?? 'results');
  }

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    if (this.server) throw new Error('PageServer.start: already started');
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sendText(res, 500, `internal error: ${(e as Error).message}`);
        else res.destroy();
      });
    });
    this.server = server;
    const port = this.opts.port ?? 0;
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        this.server = null;
        reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on ${this.host} is already in use; pass another port (--port)`) : err);
      });
      server.listen(port, this.host, () => resolvePromise());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    if (!LOOPBACK.test(this.host)) {
      // Not an error: a user may mean to open the pages from another machine.
      console.warn(`[WARNING] the page server listens on ${this.host}: other machines can open the pages and download your models`);
    }
    return this.boundPort;
  }

  /** The bound port (after `start`). */
  get port(): number {
    if (this.boundPort < 0) throw new Error('PageServer.port: call start() first');
    return this.boundPort;
  }

  /** http://host:port, no trailing slash. */
  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${h}:${this.port}`;
  }

  /** Stops listening and drops open connections (event streams never end on their own). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolvePromise) => {
      server.close(() => resolvePromise());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    for (const route of this.opts.routes ?? []) if (await route(req, res, url)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, `${req.method} is not supported; the page server only serves files`);
    const path = url.pathname;
    if (path === ApiPaths.models) return this.sendModelList(res);
    if (path === ApiPaths.server) return sendJson(res, 200, this.opts.info ?? { trainer: null, livePlots: false });
    if (path.startsWith(ApiPaths.resultsModels)) return this.sendResultModel(res, path.slice(ApiPaths.resultsModels.length));
    if (path.startsWith(ApiPaths.cliModel)) return this.sendCliModel(res);
    let pagesDir: string;
    try {
      pagesDir = await this.builtPages();
    } catch (e) {
      return sendText(res, 500, `the pages could not be built: ${(e as Error).message}`);
    }
    const file = resolveInside(pagesDir, path.endsWith('/') ? `${path}index.html` : path);
    // Built files are content-hashed except the .html pages.
    const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (file && sendFile(res, file, cache)) return;
    sendText(res, 404, `not found: ${path}`);
  }

  /** The pages folder, building on first use; a failed build is retried on the next request. */
  builtPages(): Promise<string> {
    if (!this.pagesDir) {
      const build = this.opts.pages as () => Promise<string>;
      const pending = build().then((dir) => resolve(dir));
      this.pagesDir = pending;
      pending.catch(() => {
        if (this.pagesDir === pending) this.pagesDir = null;
      });
    }
    return this.pagesDir;
  }

  private sendModelList(res: ServerResponse): void {
    const models = listResultModels(this.resultsDir);
    if (this.opts.cliModel) models.unshift(cliModelEntry(this.opts.cliModel));
    const body: ModelList = { models, resultsDir: this.resultsDir };
    sendJson(res, 200, body);
  }

  private sendResultModel(res: ServerResponse, rest: string): void {
    const file = resolveInside(this.resultsDir, rest);
    if (!file || !file.endsWith('.onnx')) return sendText(res, 404, `not a model under ${this.resultsDir}: ${rest}`);
    if (!sendFile(res, file)) sendText(res, 404, `no model file ${file}`);
  }

  private sendCliModel(res: ServerResponse): void {
    const model = this.opts.cliModel;
    if (!model) return sendText(res, 404, 'no --model was given to `three-rl play`');
    if (!sendFile(res, model.path)) sendText(res, 404, `the --model file ${model.path} cannot be read`);
  }
}

