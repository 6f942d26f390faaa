/**
 * Game-side runtime speed: Sync over the built-in games in human mode (Sync's own overhead on top
 * of the game) and in train mode against a loopback trainer that answers every `steps` with zero
 * actions (codec + validation + WebSocket round trip; the responder shares this process and
 * its CPU), plus RayPerceptionSensor3D casts in a Pyramids-sized world.
 *
 * Run: npm run bench:sync [-- --steps 3000]
 */
import { Body, Box, Sphere, Vec3, World } from 'cannon-es';
import { WebSocketServer } from 'ws';
import { decodeFrame, encodeMessage } from '../../bridge/protocol/codec.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { RayPerceptionSensor3D } from '../../bridge/sensors/RayPerceptionSensor3D.js';
import { TagRegistry } from '../../bridge/sensors/TagRegistry.js';
import { Sync, type SyncMode } from '../../bridge/sync/Sync.js';
import { builtInGames } from '../../sample-games/registry.js';

const argIndex = process.argv.indexOf('--steps');
const STEPS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 3000;
if (!Number.isInteger(STEPS) || STEPS < 100) throw new Error(`--steps: expected an integer >= 100, got ${process.argv[argIndex + 1]}`);

/** A trainer that welcomes every game and answers each decision set with zero actions. */
async function zeroTrainer(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.once('listening', () => r()));
  server.on('connection', (ws) => {
    let specs = new Map<string, BehaviorSpec>();
    ws.on('message', (data) => {
      const msg = decodeFrame(data as Uint8Array) as { type: string; behaviors: unknown };
      if (msg.type === 'hello') {
        specs = new Map((msg.behaviors as BehaviorSpec[]).map((s) => [s.name, s]));
        ws.send(encodeMessage({ type: 'welcome', protocol: PROTOCOL_VERSION, seed: 1, timeScale: 1, decisionPeriod: null, parameters: {}, mode: 'train' }));
        return;
      }
      if (msg.type !== 'steps') return;
      const behaviors: Record<string, { agentIds: Int32Array; continuous: Float32Array; discrete: Int32Array }> = {};
      for (const [name, entry] of Object.entries(msg.behaviors as Record<string, { decisions: { agentIds: Int32Array } }>)) {
        const n = entry.decisions.agentIds.length;
        if (n === 0) continue;
        const spec = specs.get(name)!;
        behaviors[name] = {
          agentIds: entry.decisions.agentIds,
          continuous: new Float32Array(n * spec.actions.continuous),
          discrete: new Int32Array(n * spec.actions.discrete.length),
        };
      }
      if (Object.keys(behaviors).length > 0) ws.send(encodeMessage({ type: 'actions', behaviors }));
    });
  });
  const address = server.address();
  if (typeof address === 'string' || address === null) throw new Error('no address');
  return { url: `ws://127.0.0.1:${address.port}`, stop: () => new Promise((r) => server.close(() => r())) };
}

const rows: string[][] = [];
const trainer = await zeroTrainer();
for (const module of builtInGames) {
  for (const areas of [1, 12]) {
    for (const mode of ['human', 'train'] as SyncMode[]) {
      const game = module.create({ areas, seed: 1, parameters: {} });
      const sync = new Sync({ game, gameName: module.name, mode, url: trainer.url, areas });
      await sync.connect();
      await sync.run({ maxSteps: Math.min(300, STEPS / 10) }); // warm-up
      const t0 = performance.now();
      await sync.run({ maxSteps: STEPS });
      const seconds = (performance.now() - t0) / 1000;
      sync.close();
      rows.push([`${module.name} ${mode}`, String(areas), (STEPS / seconds).toFixed(0), ((STEPS * areas) / seconds).toFixed(0), ((seconds / (STEPS * areas)) * 1e6).toFixed(1)]);
    }
  }
}
await trainer.stop();

// Pyramids-like: 7 rays, 6 tags, length 35, in a walled area with 9 boxes.
const world = new World();
const tags = new TagRegistry();
const agent = new Body({ mass: 1, shape: new Sphere(0.5) });
world.addBody(agent);
for (const [x, z, hx, hz] of [[0, 10, 10, 0.5], [0, -10, 10, 0.5], [10, 0, 0.5, 10], [-10, 0, 0.5, 10]] as const) {
  world.addBody(tags.set(new Body({ mass: 0, shape: new Box(new Vec3(hx, 2, hz)), position: new Vec3(x, 0, z) }), 'wall'));
}
for (let i = 0; i < 9; i++) {
  const b = new Body({ mass: 0, shape: new Box(new Vec3(0.5, 0.5, 0.5)), position: new Vec3(-6 + 6 * (i % 3), 0, -6 + 6 * Math.floor(i / 3) + 1) });
  world.addBody(tags.set(b, i % 2 ? 'stone' : 'block'));
}
world.step(1 / 60);
const sensorRows: string[][] = [];
for (const radius of [0, 0.5]) {
  const sensor = new RayPerceptionSensor3D({
    name: 'rays', detectableTags: ['block', 'wall', 'goal', 'switchOff', 'switchOn', 'stone'], raysPerDirection: 3, maxRayDegrees: 70, rayLength: 35,
    sphereCastRadius: radius, world, body: agent, tags,
  });
  const casts = STEPS * 10;
  for (let i = 0; i < 500; i++) sensor.perceive();
  const t0 = performance.now();
  for (let i = 0; i < casts; i++) {
    agent.quaternion.setFromAxisAngle(new Vec3(0, 1, 0), i * 0.01);
    sensor.perceive();
  }
  const seconds = (performance.now() - t0) / 1000;
  sensorRows.push([`rays r=${radius}`, '7 rays', (casts / seconds).toFixed(0), ((seconds / casts) * 1e6).toFixed(1)]);
}

function table(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
  console.log();
}
table(['game / mode', 'areas', 'scene steps/s', 'agent steps/s', 'us/agent step'], rows);
table(['sensor', 'size', 'perceive/s', 'us/perceive'], sensorRows);
