/** A trainer stand-in for the Sync tests: a loopback ws server the test drives message by message. */
import { Packr } from 'msgpackr';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeMessage } from '../../bridge/protocol/codec.js';
import type { Message, WelcomeMessage } from '../../bridge/protocol/messages.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';

// Same wire settings as the codec, for frames the codec's types would not allow (malformed tests).
const rawPackr = new Packr({ moreTypes: true, useRecords: false, structuredClone: false });

export class ScriptedTrainer {
  private socket: WebSocket | null = null;
  private readonly inbox: unknown[] = [];
  private readonly waiting: ((m: unknown) => void)[] = [];
  private connected: Promise<WebSocket>;
  /** Resolves with the close code when the game's socket closes. */
  readonly socketClosed: Promise<number>;

  private constructor(private readonly server: WebSocketServer) {
    let onClose!: (code: number) => void;
    this.socketClosed = new Promise((r) => (onClose = r));
    this.connected = new Promise((resolve) => {
      server.on('connection', (ws) => {
        this.socket = ws;
        ws.on('message', (data) => {
          const msg = decodeFrame(data as Uint8Array);
          const w = this.waiting.shift();
          if (w) w(msg);
          else this.inbox.push(msg);
        });
        ws.on('close', (code) => onClose(code));
        resolve(ws);
      });
    });
  }

  static async start(): Promise<ScriptedTrainer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    return new ScriptedTrainer(server);
  }

  get url(): string {
    const address = this.server.address();
    if (typeof address === 'string' || address === null) throw new Error('no address');
    return `ws://127.0.0.1:${address.port}`;
  }

  /** The next message from the game (decoded, unvalidated). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  next(): Promise<any> {
    const m = this.inbox.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((r) => this.waiting.push(r));
  }

  async send(msg: Message): Promise<void> {
    (await this.connected).send(encodeMessage(msg));
  }

  /** Sends any value, bypassing the message types. */
  async sendRaw(value: unknown): Promise<void> {
    (await this.connected).send(rawPackr.pack(value));
  }

  /** Answers hello with a welcome (defaults overridable). */
  async welcome(overrides: Partial<WelcomeMessage> = {}): Promise<void> {
    await this.send({
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      seed: 7,
      timeScale: 20,
      decisionPeriod: null,
      parameters: {},
      mode: 'train',
      ...overrides,
    });
  }

  /** Drops the connection without a close message. */
  async drop(): Promise<void> {
    (await this.connected).terminate();
  }

  async stop(): Promise<void> {
    this.socket?.terminate();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
