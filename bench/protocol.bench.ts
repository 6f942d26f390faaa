/**
 * Protocol speed: encode/decode/validate of a SoccerTwos-sized steps message (32 agents x 336
 * floats, masks for [3, 3, 3]) and its actions reply, and the steps -> actions round trip over a
 * loopback WebSocket. Server and client run in this one process (one event loop), so a round trip
 * includes both sides' work: encode, send, decode + validate on the trainer, encode the reply,
 * send, decode + validate on the game. Both ends: perMessageDeflate off, bufferutil loaded, and ws
 * sets TCP_NODELAY itself.
 *
 * Run: npm run bench:protocol [-- --iterations 5000]
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { decodeFrame, encodeMessage } from '../bridge/protocol/codec.js';
import type { ActionsMessage, StepsMessage } from '../bridge/protocol/messages.js';
import { MAX_FRAME_BYTES, validateGameMessage, validateTrainerMessage } from '../bridge/protocol/validate.js';
import { actionsMessage, soccerSpec, specMap, stepsMessage } from '../test/protocol/sampleMessages.js';

const AGENTS = 32;
const argIndex = process.argv.indexOf('--iterations');
const ITERATIONS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 5000;
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 10) {
  throw new Error(`--iterations: expected an integer >= 10, got ${process.argv[argIndex + 1]}`);
}
const WARMUP = Math.max(200, ITERATIONS / 10);

const specs = specMap(soccerSpec);
const ids = Array.from({ length: AGENTS }, (_, i) => i);
const steps = stepsMessage(soccerSpec, ids);
const askedIds = steps.behaviors[soccerSpec.name]!.decisions.agentIds;
const actions = actionsMessage(soccerSpec, askedIds);
const gameCtx = { specs, awaiting: new Map([[soccerSpec.name, askedIds]]) };

interface Row {
  name: string;
  samples: number[];
  bytes?: number;
}

/** Times `fn` ITERATIONS times after a warm-up; samples in microseconds. */
function time(fn: () => void): number[] {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples = new Array<number>(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return samples;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function codecRows(label: string, msg: StepsMessage | ActionsMessage, validate: (m: unknown) => unknown): Row[] {
  const frame = encodeMessage(msg);
  const decoded = decodeFrame(frame);
  return [
    { name: `${label} encode`, samples: time(() => void encodeMessage(msg)), bytes: frame.length },
    { name: `${label} decode`, samples: time(() => void decodeFrame(frame)) },
    { name: `${label} encode + decode`, samples: time(() => void decodeFrame(encodeMessage(msg))), bytes: frame.length },
    { name: `${label} validate (decoded)`, samples: time(() => void validate(decoded)) },
  ];
}

/**
 * `zeroMask`: the client masks frames with a zero key, which ws detects and skips. Masking exists
 * against cache poisoning through HTTP proxies, which a loopback connection never crosses; the
 * default random mask makes ws copy and XOR every 44 KB frame.
 */
async function roundTripRow(zeroMask: boolean): Promise<Row> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('message', (data: RawData) => {
      const msg = validateGameMessage(decodeFrame(data as Buffer), specs);
      if (msg.type !== 'steps') return;
      // The reply names the agents that asked, as a trainer's would.
      const reply = actions.behaviors[soccerSpec.name]!;
      reply.agentIds = msg.behaviors[soccerSpec.name]!.decisions.agentIds;
      socket.send(encodeMessage(actions));
    });
  });
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`, {
    perMessageDeflate: false,
    maxPayload: MAX_FRAME_BYTES,
    ...(zeroMask ? { generateMask: (mask: Buffer) => void mask.fill(0) } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });

  let pending: (() => void) | null = null;
  client.on('message', (data: RawData) => {
    const msg = validateTrainerMessage(decodeFrame(data as Buffer), gameCtx);
    if (msg.type !== 'actions') throw new Error(`expected actions, got ${msg.type}`);
    pending!();
  });
  const once = () =>
    new Promise<void>((resolve) => {
      pending = resolve;
      client.send(encodeMessage(steps));
    });

  for (let i = 0; i < WARMUP; i++) await once();
  const samples = new Array<number>(ITERATIONS);
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = process.hrtime.bigint();
    await once();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { name: `round trip steps -> actions, ws loopback${zeroMask ? ', zero mask' : ''}`, samples };
}

function hasBufferutil(): boolean {
  try {
    createRequire(import.meta.url)('bufferutil');
    return true;
  } catch {
    return false;
  }
}

const rows: Row[] = [
  ...codecRows('steps', steps, (m) => validateGameMessage(m, specs)),
  ...codecRows('actions', actions, (m) => validateTrainerMessage(m, gameCtx)),
  await roundTripRow(false),
  await roundTripRow(true),
];

console.log(
  `protocol bench: ${AGENTS} agents x ${soccerSpec.observations.reduce((s, o) => s + o.shape[0]!, 0)} floats, ` +
    `discrete [${soccerSpec.actions.discrete.join(', ')}] with masks; ${ITERATIONS} iterations after ${WARMUP} warm-up; ` +
    `bufferutil ${hasBufferutil() ? 'loaded' : 'missing'}; node ${process.version}; ` +
    // Other processes on the machine inflate medians; min shows the cost without contention.
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.table(
  rows.map((r) => {
    const sorted = [...r.samples].sort((a, b) => a - b);
    return {
      case: r.name,
      'min us': Number(sorted[0]!.toFixed(1)),
      'median us': Number(quantile(sorted, 0.5).toFixed(1)),
      'p99 us': Number(quantile(sorted, 0.99).toFixed(1)),
      'frame bytes': r.bytes ?? '',
    };
  }),
);
