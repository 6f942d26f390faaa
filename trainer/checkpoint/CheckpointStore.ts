import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { atomicWrite } from './atomicWrite.js';
import type { TrainingStatus } from './TrainingStatus.js';

/** Everything needed to continue a behavior's training exactly where it stopped. */
export interface TrainerCheckpoint {
  format: 1;
  behavior: string;
  spec: BehaviorSpec;
  step: number;
  trainer: unknown;
  learner: unknown;
  rng: number[];
  savedAt: string;
}

// Typed arrays (weights, Adam moments, normaliser) stay binary and exact.
const packr = new Packr({ moreTypes: true, useRecords: false });

/**
 * Checkpoints of one behavior in results/<run-id>/<Behavior>/: `<Behavior>-<step>.ckpt` at each
 * checkpoint_interval (the oldest pruned beyond keep_checkpoints) and `checkpoint.ckpt`, the
 * latest, which `--resume` reads. Files are written to a temporary name and renamed, so a run
 * killed mid-write never leaves a torn checkpoint.
 */
export class CheckpointStore {
  readonly dir: string;

  constructor(
    private readonly runDir: string,
    readonly behavior: string,
    private readonly keep: number,
    private readonly status: TrainingStatus,
  ) {
    // Made by the first save: a store that only reads (--initialize-from's source run) must not
    // leave folders in another run.
    this.dir = join(runDir, behavior);
  }

  /** Path of the numbered checkpoint for a step. */
  pathFor(step: number): string {
    return join(this.dir, `${this.behavior}-${step}.ckpt`);
  }

  /** Path of the latest checkpoint. */
  get latestPath(): string {
    return join(this.dir, 'checkpoint.ckpt');
  }

  /**
   * Saves a checkpoint; `extraFiles` are files written beside it for the same step (e.g. the
   * .onnx export), pruned together with it. Returns the numbered checkpoint's path.
   */
  save(checkpoint: TrainerCheckpoint, meanReward: number | null, extraFiles: string[] = []): string {
    const bytes = packr.pack(checkpoint);
    mkdirSync(this.dir, { recursive: true });
    const path = this.pathFor(checkpoint.step);
    atomicWrite(path, bytes);
    atomicWrite(this.latestPath, bytes);
    const removed = this.status.addCheckpoint(this.behavior, {
      steps: checkpoint.step,
      file_path: path,
      reward: meanReward,
      creation_time: Date.now() / 1000,
      auxillary_file_paths: extraFiles,
    }, this.keep);
    for (const old of removed) {
      for (const f of [old.file_path, ...old.auxillary_file_paths]) rmSync(f, { force: true });
    }
    return path;
  }

  /** Reads a checkpoint file, checking that it belongs to this behavior. */
  load(path: string = this.latestPath): TrainerCheckpoint {
    if (!existsSync(path)) {
      throw new Error(`no checkpoint at ${path}: the run has not saved one for ${this.behavior} yet (drop --resume to start over)`);
    }
    const data = packr.unpack(readFileSync(path)) as TrainerCheckpoint;
    if (data?.format !== 1 || data.behavior !== this.behavior) {
      throw new Error(`${path} is not a three-rl-agents checkpoint of behavior ${this.behavior}`);
    }
    return data;
  }

  /** True when a latest checkpoint exists. */
  hasLatest(): boolean {
    return existsSync(this.latestPath);
  }
}
