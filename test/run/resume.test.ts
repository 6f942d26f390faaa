import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import { defaultTrainerSettings } from '../../trainer/config/schema.js';
import { PpoOptimizer, type PpoLearnerState } from '../../trainer/ppo/PpoOptimizer.js';
import { PpoTrainer, type PpoTrainerState } from '../../trainer/ppo/PpoTrainer.js';
import { ExtrinsicRewardSignal } from '../../trainer/rewards/ExtrinsicRewardSignal.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { readStatsJsonl } from './readStatsJsonl.js';

const spec: BehaviorSpec = {
  name: 'Bandit',
  observations: [{ name: 'state', shape: [2], kind: 'vector' }],
  actions: { continuous: 1, discrete: [2] },
  teamCount: 1,
  maxStep: 0,
};
const AGENTS = 8;

/** A stateless contextual bandit: the state of agent i at report t is (i + t) % 2; the right action earns 1. */
function report(t: number, lastActions: Int32Array | null) {
  const keys = Int32Array.from({ length: AGENTS }, (_, i) => i);
  const obs = new Float32Array(AGENTS * 2);
  for (let i = 0; i < AGENTS; i++) obs[i * 2 + ((i + t) % 2)] = 1;
  const rewards = new Float32Array(AGENTS);
  if (lastActions) for (let i = 0; i < AGENTS; i++) rewards[i] = lastActions[i] === (i + t - 1) % 2 ? 1 : 0;
  const base = { agentKeys: keys, groupIds: new Int32Array(AGENTS), groupRewards: new Float32Array(AGENTS), teamIds: new Int32Array(AGENTS), n: AGENTS };
  // Every step ends an episode and starts the next, so a trainer restored between reports resumes cleanly.
  const terminals = { ...base, obs: [obs], rewards, interrupted: new Uint8Array(AGENTS) };
  const decisions = { ...base, obs: [obs], rewards: new Float32Array(AGENTS), actionMasks: null };
  return { terminals: lastActions ? terminals : { ...terminals, n: 0, agentKeys: new Int32Array(0) }, decisions };
}

function makeTrainer() {
  const settings = defaultTrainerSettings();
  settings.max_steps = 4000;
  settings.time_horizon = 16;
  settings.hyperparameters.buffer_size = 64;
  settings.hyperparameters.batch_size = 16;
  settings.hyperparameters.learning_rate_schedule = 'linear';
  settings.network_settings.normalize = true;
  settings.network_settings.hidden_units = 16;
  settings.network_settings.num_layers = 1;
  const optimizer = new PpoOptimizer({ spec, network: settings.network_settings, rewardSignals: ['extrinsic'], seed: 11 });
  const rng = new SeededRandom(5);
  const stats: Record<string, number[]> = {};
  const trainer = new PpoTrainer(spec, settings, optimizer, [new ExtrinsicRewardSignal(0.99, 1)], { add: (k, v) => (stats[k] ??= []).push(v) }, rng);
  return { trainer, optimizer, rng, stats };
}

describe('resume', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('a trainer restored from a checkpoint continues exactly as the original', async () => {
    const a = makeTrainer();
    // A holder object: the snapshot is taken in a callback, which TypeScript's narrowing cannot see.
    const taken: { snapshot: { trainer: PpoTrainerState; learner: PpoLearnerState; rng: number[]; atReport: number } | null } = { snapshot: null };
    let t = 0;
    a.trainer.onUpdate = () => {
      // Taken inside step(), after the update and before acting: what a checkpoint holds.
      if (a.trainer.updates === 3 && !taken.snapshot) {
        taken.snapshot = { trainer: a.trainer.getState(), learner: a.optimizer.getState(), rng: a.rng.getState(), atReport: t };
      }
    };
    let last: Int32Array | null = null;
    const actionsAfter: number[][] = [];
    for (t = 0; t < 60; t++) {
      const r = report(t, last);
      const out = await a.trainer.step(r.terminals, r.decisions);
      last = out.discrete.slice();
      if (taken.snapshot && t >= taken.snapshot.atReport) actionsAfter.push([...out.discrete, ...out.continuous]);
    }
    expect(taken.snapshot).not.toBeNull();
    const snap = taken.snapshot!;

    const b = makeTrainer();
    b.trainer.setState(snap.trainer);
    b.optimizer.setState(snap.learner);
    b.rng.setState(snap.rng);
    expect(b.trainer.currentHyperparameters()).toEqual(
      (() => {
        const c = makeTrainer();
        c.trainer.setState(snap.trainer);
        return c.trainer.currentHyperparameters();
      })(),
    );
    // The restored trainer takes the same report the original acted on after its snapshot.
    const replay: number[][] = [];
    last = null;
    for (let u = snap.atReport; u < 60; u++) {
      const r = report(u, u === snap.atReport ? null : last);
      const out = await b.trainer.step(r.terminals, r.decisions);
      last = out.discrete.slice();
      replay.push([...out.discrete, ...out.continuous]);
    }
    expect(b.trainer.updates).toBe(a.trainer.updates);
    expect(b.trainer.currentStep).toBe(a.trainer.currentStep);
    expect(replay).toEqual(actionsAfter);
    const wa = a.optimizer.getState().networks;
    const wb = b.optimizer.getState().networks;
    expect(JSON.stringify(wb, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v))).toBe(
      JSON.stringify(wa, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)),
    );
  });

  it('three-rl train --resume picks up the run where it stopped', async () => {
    const results = mkdtempSync(join(tmpdir(), 'three-rl-resume-'));
    const base = { env: 'basic', numAreas: 2, seed: 4, runId: 'r', resultsDir: results, backend: 'wasm' };
    const first = loadRunOptions('configs/ppo/Basic.yaml', base);
    first.env_settings.base_port = 0;
    Object.assign(first.behaviors.Basic!, { max_steps: 3000, summary_freq: 1000, checkpoint_interval: 1000, keep_checkpoints: 2 });
    const r1 = await runTraining(first);
    const stepsAfterFirst = r1.steps.Basic!;
    expect(stepsAfterFirst).toBeGreaterThanOrEqual(3000);
    // ML-Agents' run_logs/timers.json: where the run's time went, block by block.
    const timers = JSON.parse(readFileSync(join(r1.runDir, 'run_logs', 'timers.json'), 'utf8'));
    expect(timers.name).toBe('root');
    const step = timers.children['PpoTrainer.step'];
    expect(step.children['PpoOptimizer.act'].count).toBe(step.count);
    expect(step.children['PpoTrainer.updatePolicy'].children['PpoOptimizer.update'].count).toBeGreaterThan(0);
    expect(timers.total).toBeGreaterThanOrEqual(step.total);

    // Without --resume or --force the run id is refused, as in ML-Agents.
    const again = loadRunOptions('configs/ppo/Basic.yaml', base);
    again.env_settings.base_port = 0;
    await expect(runTraining(again)).rejects.toThrow(/Previous data from this run ID was found/);

    // A misspelt --initialize-from fails before anything starts, names the runs there, and
    // leaves no folder behind (neither the new run's nor the missing source's).
    const typo = loadRunOptions('configs/ppo/Basic.yaml', { ...base, runId: 'warm', initializeFrom: 'rr' });
    typo.env_settings.base_port = 0;
    await expect(runTraining(typo)).rejects.toThrow(/--initialize-from rr: there is no run 'rr' in .*\(runs there: r\); check the run id/);
    expect(readdirSync(results)).toEqual(['r']);

    const second = loadRunOptions('configs/ppo/Basic.yaml', { ...base, resume: true });
    second.env_settings.base_port = 0;
    Object.assign(second.behaviors.Basic!, { max_steps: 5000, summary_freq: 1000, checkpoint_interval: 1000, keep_checkpoints: 2 });
    const r2 = await runTraining(second);
    expect(r2.steps.Basic).toBeGreaterThanOrEqual(5000);
    const steps = readStatsJsonl(r2.runDir, 'Basic').map((l) => l.step);
    // Summaries continue from the saved step instead of starting over.
    expect(steps.filter((s) => s > stepsAfterFirst).length).toBeGreaterThan(0);
    expect(steps).toEqual([...steps].sort((x, y) => x - y));
    const dir = join(r2.runDir, 'Basic');
    const events = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents'));
    expect(events.length).toBe(2);
    const status = JSON.parse(readFileSync(join(r2.runDir, 'run_logs', 'training_status.json'), 'utf8'));
    expect(status.Basic.checkpoints.length).toBe(2);
    for (const c of status.Basic.checkpoints) expect(existsSync(c.file_path)).toBe(true);
    expect(readdirSync(dir).filter((f) => /^Basic-\d+\.ckpt$/.test(f)).length).toBe(2);
  });
});
