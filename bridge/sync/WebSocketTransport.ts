/**
 * SyncTransport over a WebSocket: the page's own WebSocket in a browser, the `ws` package in Node.
 * `ws` is imported dynamically under a name bundlers cannot follow, so browser bundles never
 * include it (or its Node-only dependencies).
 */
import type { SyncTransport } from './SyncTransport.js';

// The members both the DOM WebSocket and ws' WebSocket have, which is all this transport uses.
interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: { message?: string; error?: unknown }) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

type SocketConstructor = new (url: string, protocols?: string | string[], options?: { maxPayload?: number }) => SocketLike;

const OPEN = 1;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

async function socketClass(): Promise<{ Socket: SocketConstructor; node: boolean }> {
  if (isNode()) {
    const name = 'ws';
    const mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ name)) as { WebSocket?: unknown; default?: unknown };
    return { Socket: (mod.WebSocket ?? mod.default) as SocketConstructor, node: true };
  }
  const Socket = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof Socket !== 'function') throw new Error('Sync: this runtime has no WebSocket; train mode needs a browser or Node');
  return { Socket: Socket as SocketConstructor, node: false };
}

/** Opens a WebSocket to the trainer; rejects with a message that says what to check when it cannot connect. */
export async function openWebSocketTransport(url: string, maxPayload: number): Promise<SyncTransport> {
  const { Socket, node } = await socketClass();
  let socket: SocketLike;
  try {
    socket = node ? new Socket(url, undefined, { maxPayload }) : new Socket(url);
  } catch (err) {
    throw new Error(`Sync: invalid trainer url '${url}' (${(err as Error).message}); expected e.g. ws://127.0.0.1:5004`);
  }
  // Node's ws delivers Buffers without a copy; browsers need arraybuffer to get bytes synchronously.
  socket.binaryType = node ? 'nodebuffer' : 'arraybuffer';

  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => resolve();
    socket.onerror = (ev) => {
      const detail = ev?.message ?? (ev?.error instanceof Error ? ev.error.message : '');
      reject(new Error(`Sync: could not connect to the trainer at ${url}${detail ? ` (${detail})` : ''}; is \`three-rl train\` running on that port?`));
    };
    socket.onclose = (ev) => reject(new Error(`Sync: the trainer at ${url} closed the connection while opening it (code ${ev.code}${ev.reason ? `: ${ev.reason}` : ''})`));
  });

  let closedHere = false;
  const transport: SyncTransport = {
    send(frame) {
      if (socket.readyState !== OPEN) throw new Error(`Sync: cannot send, the connection to ${url} is not open`);
      socket.send(frame);
    },
    close(code = 1000, reason = '') {
      if (closedHere) return;
      closedHere = true;
      // Close reasons are limited to 123 bytes by the WebSocket protocol.
      socket.close(code, reason.length > 120 ? `${reason.slice(0, 117)}...` : reason);
    },
    onFrame: () => {},
    onClose: () => {},
  };
  socket.onmessage = (ev) => {
    const data = ev.data;
    if (data instanceof ArrayBuffer || data instanceof Uint8Array) transport.onFrame(data);
    else transport.onFrame(data as Uint8Array); // text frames: decodeFrame reports them as malformed
  };
  socket.onerror = () => {};
  socket.onclose = (ev) => {
    if (!closedHere) {
      closedHere = true;
      transport.onClose({ code: ev.code, reason: ev.reason });
    }
  };
  return transport;
}
