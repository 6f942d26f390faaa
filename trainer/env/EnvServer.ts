/**
 * The trainer's WebSocket server: accepts games, runs the handshake, validates every frame and
 * hands valid `steps` to a handler. A game that breaks the protocol gets an `error` naming the
 * field and is disconnected; the other games and the run carry on.
 */
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { IncomingMessage } from 'node:http';
import { decodeFrame, encodeMessage } from '../../bridge/protocol/codec.js';
import { CloseCode, errorReply } from '../../bridge/protocol/ErrorReply.js';
import { ProtocolError } from '../../bridge/protocol/ProtocolError.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';
import { MAX_FRAME_BYTES, validateGameMessage, validateHello } from '../../bridge/protocol/validate.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type {
  HelloMessage,
  StepsMessage,
  TrainerToGameMessage,
  WelcomeMessage,
} from '../../bridge/protocol/messages.js';

/** Where and how the server listens, and what it tells games in `welcome`. */
export interface EnvServerOptions {
  /** Interface to bind; default 127.0.0.1 (only this machine can connect). */
  host?: string;
  /** Port; default 5004 as ML-Agents. 0 picks a free port (read it from `port` after `listen`). */
  port?: number;
  /** Shared secret games must send in `hello`; off by default. */
  token?: string;
  /**
   * Web page origins (e.g. `https://mygame.example`) allowed to connect besides pages served from
   * this machine (127.x, localhost, [::1]). Games outside a browser send no origin and are not
   * affected. With a token, any origin may try the handshake: the token decides.
   */
  allowedOrigins?: readonly string[];
  /** Base seed; a game gets `seed + its connection index`. Default 0. */
  seed?: number;
  /** Simulation speed asked of games that render in real time (ML-Agents' time_scale, default 20). */
  timeScale?: number;
  /** Environment parameters sent in `welcome`. */
  parameters?: Record<string, number>;
  /** Largest accepted frame in bytes; bigger frames close the connection with code 1009. */
  maxPayload?: number;
  /** A game that sends no `hello` within this time is disconnected. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Where connection events and protocol errors are reported. Default: stderr. */
  log?: (line: string) => void;
}

/** What the server calls as games come, report and go. */
export interface EnvServerHandler {
  /** After a valid `hello`, before `welcome`; throw a ProtocolError to refuse the game. */
  onHello?(conn: GameConnection): void;
  /** A validated `steps` message; throw a ProtocolError to disconnect the game for it. */
  onSteps(conn: GameConnection, msg: StepsMessage): void;
  /** A game that completed the handshake is gone (whatever the cause). */
  onClose?(conn: GameConnection, reason: string): void;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** True for http(s) origins on this machine: 127.x, localhost, [::1] (a browser's `Origin` header). */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.test(url.hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

/** One game after a successful handshake. */
export class GameConnection {
  /** Behavior specs this game declared, by name; its `steps` are validated against them. */
  readonly specs: ReadonlyMap<string, BehaviorSpec>;
  private closing = false;

  constructor(
    /** Index in handshake order, from 0; also the offset of the game's seed. */
    readonly id: number,
    readonly hello: HelloMessage,
    readonly remoteAddress: string,
    private readonly ws: WebSocket,
  ) {
    this.specs = new Map(hello.behaviors.map((b) => [b.name, b]));
  }

  /** `game#id (instanceId)`, for log lines. */
  get label(): string {
    return `${this.hello.game}#${this.id} (${this.hello.instanceId})`;
  }

  /** True until the socket starts closing. */
  get open(): boolean {
    return !this.closing && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends one message; silently dropped once the connection is closing. */
  send(msg: TrainerToGameMessage): void {
    if (this.open) this.ws.send(encodeMessage(msg));
  }

  /** Sends `error` naming the field, then closes. */
  fail(err: ProtocolError): void {
    if (!this.open) return;
    this.send(errorReply(err));
    this.closeSocket(CloseCode.afterError, err.message);
  }

  /** Tells the game to stop (`close` message), then closes the socket. */
  close(reason = 'trainer closed the connection'): void {
    if (!this.open) return;
    this.send({ type: 'close', reason });
    this.closeSocket(CloseCode.normal, reason);
  }

  /** Why the trainer closed this connection ('' when the game or the network did). @internal */
  closedBecause = '';

  /** @internal */
  closeSocket(code: number, reason: string): void {
    if (!this.closing) this.closedBecause = reason;
    this.closing = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, truncateCloseReason(reason));
    }
  }
}

/**
 * Listens for games (default ws://127.0.0.1:5004), one `GameConnection` per game after the
 * handshake. Binds to loopback unless told otherwise.
 */
export class EnvServer {
  private wss: WebSocketServer | null = null;
  private readonly sockets = new Set<WebSocket>();
  private readonly live = new Set<GameConnection>();
  private nextConnectionId = 0;
  private boundPort = -1;
  private readonly log: (line: string) => void;
  private readonly opts: Required<Omit<EnvServerOptions, 'token' | 'log'>> & { token: string | undefined };
  private refusedOrigins = new Set<string>();
  private refusedCount = 0;

  constructor(
    options: EnvServerOptions,
    private readonly handler: EnvServerHandler,
  ) {
    this.log = options.log ?? ((line) => console.error(`[three-rl] ${line}`));
    this.opts = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 5004,
      token: options.token,
      allowedOrigins: options.allowedOrigins ?? [],
      seed: options.seed ?? 0,
      timeScale: options.timeScale ?? 20,
      parameters: options.parameters ?? {},
      maxPayload: options.maxPayload ?? MAX_FRAME_BYTES,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000,
    };
    const { port, seed, timeScale, maxPayload, handshakeTimeoutMs } = this.opts;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`EnvServer: port must be an integer in 0..65535, got ${port}`);
    if (!Number.isInteger(seed)) throw new Error(`EnvServer: seed must be an integer, got ${seed}`);
    if (!(timeScale > 0)) throw new Error(`EnvServer: timeScale must be > 0, got ${timeScale}`);
    if (!Number.isInteger(maxPayload) || maxPayload < 1024 || maxPayload > 0x7fffffff) {
      throw new Error(`EnvServer: maxPayload must be an integer number of bytes in 1024..2^31-1, got ${maxPayload}`);
    }
    if (!(handshakeTimeoutMs > 0)) throw new Error(`EnvServer: handshakeTimeoutMs must be > 0, got ${handshakeTimeoutMs}`);
    if (options.token !== undefined && options.token.length === 0) {
      throw new Error('EnvServer: token is empty; pass a non-empty token or leave it out');
    }
  }

  /** Starts listening; resolves with the bound port. */
  async listen(): Promise<number> {
    if (this.wss) throw new Error('EnvServer.listen: already listening');
    const { host, port, token, maxPayload } = this.opts;
    if (!LOOPBACK.test(host) && token === undefined) {
      this.log(
        `warning: listening on ${host} without a token: any machine that can reach this port can join the run. ` +
          'Pass a token (games send it in hello) or bind to 127.0.0.1.',
      );
    }
    const wss = new WebSocketServer({
      host,
      port,
      perMessageDeflate: false,
      maxPayload,
      verifyClient: (info: { origin?: string }) => this.originAllowed(info.origin),
    });
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        this.wss = null;
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(`port ${port} on ${host} is already in use (another trainer?); stop it or pass another port`)
            : err,
        );
      };
      wss.once('error', onError);
      wss.once('listening', () => {
        wss.off('error', onError);
        wss.on('error', (err) => this.log(`server error: ${err.message}`));
        resolve();
      });
    });
    const addr = wss.address();
    this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
    wss.on('connection', (ws, req) => this.accept(ws, req));
    return this.boundPort;
  }

  /** The bound port (after `listen`). */
  get port(): number {
    if (this.boundPort < 0) throw new Error('EnvServer.port: call listen() first');
    return this.boundPort;
  }

  /** The URL games connect to. */
  get url(): string {
    const h = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host;
    return `ws://${h}:${this.port}`;
  }

  /** Games refused at the handshake or disconnected for a protocol error or an oversized frame. */
  get refused(): number {
    return this.refusedCount;
  }

  /** Games currently connected (past the handshake). */
  get connections(): readonly GameConnection[] {
    return [...this.live];
  }

  /** Sends `close` to every game, waits for the sockets to end (forcing after `graceMs`), stops listening. */
  async close(reason = 'trainer stopped', graceMs = 2000): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    this.wss = null;
    for (const conn of this.live) conn.close(reason);
    for (const ws of this.sockets) if (ws.readyState === WebSocket.OPEN) ws.close(CloseCode.normal, truncateCloseReason(reason));
    const force = setTimeout(() => {
      for (const ws of this.sockets) ws.terminate();
    }, graceMs);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    clearTimeout(force);
  }

  /**
   * Browsers let any web page open a WebSocket to 127.0.0.1, so without this a page on any site
   * the user visits could join a run and feed it made-up experience. Refused before the upgrade
   * (HTTP 401), and logged once per origin.
   */
  private originAllowed(origin: string | undefined): boolean {
    if (origin === undefined || this.opts.token !== undefined) return true;
    if (this.opts.allowedOrigins.includes(origin) || isLoopbackOrigin(origin)) return true;
    this.refusedCount++;
    if (!this.refusedOrigins.has(origin)) {
      this.refusedOrigins.add(origin);
      this.log(
        `refused a web page from ${origin}: only pages served from this machine (127.0.0.1, localhost) may join a run. ` +
          'Serve the game page locally (three-rl play), or start the trainer with allowedOrigins or a token.',
      );
    }
    return false;
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    this.sockets.add(ws);
    let conn: GameConnection | null = null;
    let closeReason = '';
    const refuse = (err: ProtocolError) => {
      this.refusedCount++;
      this.log(`refused game from ${remote}: ${err.message}`);
      ws.send(encodeMessage(errorReply(err)));
      ws.close(CloseCode.afterError, truncateCloseReason(err.message));
    };
    const timer = setTimeout(() => {
      if (!conn && ws.readyState === WebSocket.OPEN) {
        refuse(new ProtocolError('unexpected_message', `no hello within ${this.opts.handshakeTimeoutMs} ms after connecting`));
      }
    }, this.opts.handshakeTimeoutMs);

    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already closed the socket (1009 for an oversized frame); the server lives on.
      const who = conn ? conn.label : remote;
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.log(`closed ${who}: frame larger than ${this.opts.maxPayload} bytes (close code 1009)`);
        closeReason = `frame larger than ${this.opts.maxPayload} bytes`;
        this.refusedCount++;
      } else {
        this.log(`socket error from ${who}: ${err.message}`);
        closeReason ||= err.message;
      }
    });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      let msg: unknown;
      try {
        if (!isBinary) throw new ProtocolError('malformed', 'expected binary msgpack frames, got a text frame');
        msg = decodeFrame(toBytes(data));
      } catch (e) {
        const err = e instanceof ProtocolError ? e : new ProtocolError('malformed', `frame is not a msgpack value: ${errorText(e)}`);
        if (conn) this.failConnection(conn, err);
        else refuse(err);
        return;
      }
      if (!conn) {
        clearTimeout(timer);
        try {
          conn = this.handshake(ws, msg, remote);
        } catch (e) {
          refuse(e instanceof ProtocolError ? e : new ProtocolError('malformed', errorText(e), 'hello'));
        }
        return;
      }
      this.receive(conn, msg);
    });

    ws.on('close', (code: number, reason: Buffer) => {
      clearTimeout(timer);
      this.sockets.delete(ws);
      if (!conn) return;
      this.live.delete(conn);
      const why = conn.closedBecause || closeReason || reason.toString() || `socket closed with code ${code}`;
      conn.closeSocket(code, why);
      this.log(`game ${conn.label} disconnected: ${why}`);
      this.handler.onClose?.(conn, why);
    });
  }

  private handshake(ws: WebSocket, msg: unknown, remote: string): GameConnection {
    const hello = validateHello(msg);
    const token = this.opts.token;
    if (token !== undefined && !sameSecret(token, hello.token)) {
      throw new ProtocolError(
        'unauthorized',
        hello.token === undefined
          ? 'this trainer requires a token; pass the token the trainer was started with'
          : 'wrong token; pass the token the trainer was started with',
        'token',
      );
    }
    const conn = new GameConnection(this.nextConnectionId, hello, remote, ws);
    try {
      this.handler.onHello?.(conn);
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      this.log(`internal error accepting ${hello.game} from ${remote}: ${e instanceof Error ? e.stack : String(e)}`);
      throw new ProtocolError('internal', `the trainer failed to accept this game: ${errorText(e)}`);
    }
    this.nextConnectionId++;
    this.live.add(conn);
    const welcome: WelcomeMessage = {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      seed: this.opts.seed + conn.id,
      timeScale: this.opts.timeScale,
      decisionPeriod: null,
      parameters: { ...this.opts.parameters },
      mode: 'train',
    };
    conn.send(welcome);
    const names = hello.behaviors.map((b) => b.name).join(', ');
    this.log(`game ${conn.label} connected from ${remote}: ${hello.areas} area(s), behaviors ${names}`);
    return conn;
  }

  private receive(conn: GameConnection, raw: unknown): void {
    let msg: ReturnType<typeof validateGameMessage>;
    try {
      msg = validateGameMessage(raw, conn.specs);
    } catch (e) {
      this.failConnection(conn, e instanceof ProtocolError ? e : new ProtocolError('malformed', errorText(e)));
      return;
    }
    switch (msg.type) {
      case 'steps':
        try {
          this.handler.onSteps(conn, msg);
        } catch (e) {
          if (e instanceof ProtocolError) {
            this.failConnection(conn, e);
          } else {
            this.log(`internal error handling steps of ${conn.label}: ${e instanceof Error ? e.stack : String(e)}`);
            this.failConnection(conn, new ProtocolError('internal', `the trainer failed on this message: ${errorText(e)}`));
          }
        }
        return;
      case 'close':
        conn.closeSocket(CloseCode.normal, `game closed: ${msg.reason ?? 'no reason given'}`);
        return;
      case 'error':
        this.log(`game ${conn.label} reported ${msg.code}: ${msg.message}`);
        conn.closeSocket(CloseCode.normal, `game reported ${msg.code}: ${msg.message}`);
        return;
    }
  }

  private failConnection(conn: GameConnection, err: ProtocolError): void {
    this.refusedCount++;
    this.log(`disconnecting ${conn.label}: ${err.code}: ${err.message}`);
    conn.fail(err);
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function sameSecret(expected: string, got: string | undefined): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// A close frame's reason is limited to 123 bytes of UTF-8.
function truncateCloseReason(reason: string): string {
  const bytes = Buffer.from(reason);
  if (bytes.length <= 123) return reason;
  return bytes.subarray(0, 120).toString('utf8').replace(/\uFFFD$/, '') + '...';
}
