import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { atomicWrite } from './atomicWrite.js';

/** One saved checkpoint, with ML-Agents' field names (including its spelling of "auxillary"). */
export interface CheckpointRecord {
  steps: number;
  file_path: string;
  reward: number | null;
  creation_time: number;
  auxillary_file_paths: string[];
}

interface BehaviorStatus {
  checkpoints: CheckpointRecord[];
  final_checkpoint?: CheckpointRecord;
  elo?: number;
}

/**
 * results/<run-id>/run_logs/training_status.json, shaped like ML-Agents' file: per behavior the
 * list of kept checkpoints and the final one, plus metadata about the versions that wrote it.
 */
export class TrainingStatus {
  private data: { metadata: Record<string, string>; [behavior: string]: unknown };

  constructor(
    private readonly path: string,
    metadata: Record<string, string>,
  ) {
    this.data = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { metadata };
    this.data.metadata = { ...metadata };
  }

  /** Adds a checkpoint and returns the records pruned beyond `keep` (oldest first). */
  addCheckpoint(behavior: string, record: CheckpointRecord, keep: number): CheckpointRecord[] {
    const b = this.behavior(behavior);
    b.checkpoints = b.checkpoints.filter((c) => c.steps !== record.steps);
    b.checkpoints.push(record);
    const removed = b.checkpoints.length > keep ? b.checkpoints.splice(0, b.checkpoints.length - keep) : [];
    this.save();
    return removed;
  }

  /** Records the final checkpoint of a behavior. */
  setFinal(behavior: string, record: CheckpointRecord): void {
    this.behavior(behavior).final_checkpoint = record;
    this.save();
  }

  /** The records of a behavior (for tests and --resume messages). */
  checkpoints(behavior: string): readonly CheckpointRecord[] {
    return this.behavior(behavior).checkpoints;
  }

  private behavior(name: string): BehaviorStatus {
    if (name === 'metadata') throw new Error("a behavior cannot be named 'metadata'");
    return ((this.data[name] as BehaviorStatus | undefined) ??= { checkpoints: [] });
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    atomicWrite(this.path, JSON.stringify(this.data, null, 2));
  }
}
