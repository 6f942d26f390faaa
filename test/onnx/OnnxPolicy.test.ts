import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { Sync, type EpisodeEndInfo } from '../../bridge/sync/Sync.js';
import { OnnxGraphBuilder } from '../../onnx-export/OnnxGraphBuilder.js';
import { buildPolicyModel } from '../../onnx-export/PolicyModel.js';
import { BasicMove, basicBehavior } from '../../sample-games/basic/sim.js';
import { findBuiltInGame } from '../../sample-games/registry.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { ActorCritic } from '../../trainer/networks/ActorCritic.js';
import { discreteSpec, hybridSpec, randomMasks, randomObs, trainedLookingPolicy } from './testPolicies.js';

/** A Basic policy that prefers `move` by a wide margin (its branch bias), whatever the position. */
function basicPolicyBytes(move: number): Uint8Array {
  const net = new ActorCritic({ spec: basicBehavior, network: { normalize: false, hidden_units: 8, num_layers: 1 }, rewardSignals: ['extrinsic'], seed: 2 });
  const state = net.getState();
  const bias = state.meta.variables.findIndex((v) => v.name === 'discrete.0.bias');
  state.weights[bias] = Float32Array.from([0, 0, 0], (_, j) => (j === move ? 30 : 0));
  net.setState(state);
  const bytes = buildPolicyModel(net.describe(), basicBehavior, { trainerStep: 500, version: 'test' });
  net.dispose();
  return bytes;
}

describe('OnnxPolicy', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('loads from a path, a file: URL, an http URL and bytes, with both runtimes', async () => {
    const bytes = basicPolicyBytes(BasicMove.right);
    const dir = mkdtempSync(join(tmpdir(), 'three-rl-onnx-'));
    const file = join(dir, 'Basic.onnx');
    writeFileSync(file, bytes);
    const server = createServer((req, res) => {
      if (req.url === '/Basic.onnx') res.end(bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const sources = [file, pathToFileURL(file), `http://127.0.0.1:${port}/Basic.onnx`, bytes, new Uint8Array(bytes).buffer];
      for (const source of sources) {
        for (const runtime of ['node', 'web'] as const) {
          const policy = await OnnxPolicy.load(source, { runtime, behavior: basicBehavior, deterministic: true });
          const obs = new Float32Array(3 * 20);
          const { discrete } = await policy.decide(basicBehavior, [obs], null, 3);
          expect(Array.from(discrete)).toEqual([2, 2, 2]);
          expect(policy.signature.header.threeRl?.trainerStep).toBe(500);
          await policy.dispose();
        }
      }
      await expect(OnnxPolicy.load(`http://127.0.0.1:${port}/missing.onnx`)).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
    await expect(OnnxPolicy.load(join(dir, 'nope.onnx'))).rejects.toThrow(/cannot read the model file .*nope\.onnx/);
    await expect(OnnxPolicy.load(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow(/not an ONNX model|cannot load/);
    await expect(OnnxPolicy.load(42 as unknown as string)).rejects.toThrow(/expected a file path, a URL or the model's bytes/);
    await expect(OnnxPolicy.load(file, { runtime: 'gpu' as 'web' })).rejects.toThrow(/runtime: expected 'auto', 'node' or 'web'/);
  });

  it("in a page (a global window) 'auto' picks onnxruntime-web and fetches the model by URL", async () => {
    const bytes = basicPolicyBytes(BasicMove.left);
    const server = createServer((_req, res) => res.end(bytes));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const g = globalThis as { window?: unknown };
    g.window = {};
    try {
      const { port } = server.address() as { port: number };
      const policy = await OnnxPolicy.load(`http://127.0.0.1:${port}/models/Basic.onnx`, { deterministic: true });
      expect(policy.runtime).toBe('web');
      expect(Array.from((await policy.decide(basicBehavior, [new Float32Array(20)], null, 1)).discrete)).toEqual([BasicMove.left]);
      await policy.dispose();
      await expect(OnnxPolicy.load(bytes, { runtime: 'node' })).rejects.toThrow(/onnxruntime-node runs in Node only; use 'web'/);
    } finally {
      delete g.window;
      server.close();
    }
  });

  it('refuses ONNX models that are not ML-Agents policies, saying why', async () => {
    const g = new OnnxGraphBuilder('identity');
    g.input('x', 'float32', ['batch', 4]);
    g.node('Identity', ['x'], ['y']);
    g.output('y', 'float32', ['batch', 4]);
    const bytes = g.toBytes({ irVersion: 4, opset: 9, producerName: 'test', producerVersion: '0', metadata: {} });
    await expect(OnnxPolicy.load(bytes)).rejects.toThrow(/not a policy OnnxPolicy can run: unexpected input 'x'/);
  });

  it('maps observations by name, so a game may declare them in another order than the model', async () => {
    const net = trainedLookingPolicy(discreteSpec, true, 5);
    const bytes = buildPolicyModel(net.describe(), discreteSpec, { trainerStep: 0, version: 'test' });
    net.dispose();
    const policy = await OnnxPolicy.load(bytes, { deterministic: true });
    const reordered: BehaviorSpec = { ...discreteSpec, observations: [discreteSpec.observations[1]!, discreteSpec.observations[0]!] };
    const n = 32;
    const rng = new SeededRandom(3);
    const [rays, state] = randomObs(discreteSpec, n, rng, -4, 10);
    const masks = randomMasks(discreteSpec, n, rng);
    const inModelOrder = await policy.decide(discreteSpec, [rays!, state!], masks, n);
    const inGameOrder = await policy.decide(reordered, [state!, rays!], masks, n);
    expect(Array.from(inGameOrder.discrete)).toEqual(Array.from(inModelOrder.discrete));
    const renamed: BehaviorSpec = { ...discreteSpec, observations: [{ ...discreteSpec.observations[0]!, name: 'lidar' }, discreteSpec.observations[1]!] };
    expect(() => policy.checkBehavior(renamed)).toThrow(/obs_0 is observation 'rays', which the behavior does not declare[\s\S]*model: {4}obs_0 'rays' \[2x3\], obs_1 'state' \[4\], action_masks \[7\] -> discrete \[4, 3\] \(behavior 'Discrete'\)/);
    await policy.dispose();
    await expect(policy.decide(discreteSpec, [rays!, state!], masks, n)).rejects.toThrow(/disposed/);
  });

  it('checks decide() arguments and answers n = 0 with empty actions', async () => {
    const net = trainedLookingPolicy(hybridSpec, false, 5);
    const policy = await OnnxPolicy.load(buildPolicyModel(net.describe(), hybridSpec, { trainerStep: 0, version: 'test' }));
    net.dispose();
    const obs = randomObs(hybridSpec, 4, new SeededRandom(1));
    await expect(policy.decide(hybridSpec, [obs[0]!], null, 4)).rejects.toThrow(/expected 2 observation arrays/);
    await expect(policy.decide(hybridSpec, [obs[0]!, obs[1]!.subarray(0, 5)], null, 4)).rejects.toThrow(/observation 'rays' needs a Float32Array of 4 x 6 = 24 floats, got 5/);
    await expect(policy.decide(hybridSpec, obs, new Uint8Array(3), 4)).rejects.toThrow(/actionMasks must be null or a Uint8Array of 4 x 5 = 20, got 3/);
    const none = await policy.decide(hybridSpec, obs, null, 0);
    expect(none.continuous).toHaveLength(0);
    expect(none.discrete).toHaveLength(0);
    // Concurrent calls are queued on the one session and all answered.
    const all = await Promise.all([1, 2, 3, 4].map((n) => policy.decide(hybridSpec, obs, null, n)));
    expect(all.map((r) => [r.continuous.length, r.discrete.length])).toEqual([[2, 2], [4, 4], [6, 6], [8, 8]]);
    await policy.dispose();
  });

  it("runs a game through Sync in 'onnx' mode, and single agents with setDecisionSource", async () => {
    const policy = await OnnxPolicy.load(basicPolicyBytes(BasicMove.right), { deterministic: true });
    const module = findBuiltInGame('basic')!;

    const episodes: EpisodeEndInfo[] = [];
    const game = module.create({ areas: 2, seed: 1, parameters: {} });
    const sync = new Sync({ game, gameName: 'basic', mode: 'onnx', policy, onEpisodeEnd: (e) => episodes.push(e) });
    await sync.run({ maxSteps: 15 });
    sync.close();
    // Straight to the large goal: 7 steps, 1 - 6 x 0.01 - ... = 0.93, twice per area.
    expect(episodes).toHaveLength(4);
    for (const e of episodes) {
      expect(e.steps).toBe(7);
      expect(e.cumulativeReward).toBeCloseTo(0.93, 6);
    }

    // Human mode: the agent of area 0 is handed to the policy, area 1 keeps its idle heuristic.
    const mixedEpisodes: EpisodeEndInfo[] = [];
    const mixedGame = module.create({ areas: 2, seed: 1, parameters: {} });
    const mixed = new Sync({ game: mixedGame, gameName: 'basic', mode: 'human', onEpisodeEnd: (e) => mixedEpisodes.push(e) });
    mixed.setDecisionSource(mixedGame.agents[0]!, 'policy', policy);
    await mixed.run({ maxSteps: 15 });
    mixed.close();
    expect(mixedEpisodes.map((e) => e.agentId)).toEqual([0, 0]);
    await policy.dispose();
  });
});
