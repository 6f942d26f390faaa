/**
 * A BehaviorPolicy for tests: records every call and answers with actions derived from the agent
 * key (continuous = [key, row], discrete = [key % 3, key % 2]...), so that a test can check that
 * each game got the rows meant for its own agents. Calls can be held until the test releases them.
 */
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { BatchActions, BehaviorPolicy, DecisionBatch, TerminalBatch } from '../../trainer/env/BehaviorPolicy.js';

export interface RecordedCall {
  terminals: TerminalBatch;
  decisions: DecisionBatch;
}

export class RecordingPolicy implements BehaviorPolicy {
  readonly calls: RecordedCall[] = [];
  readonly drops: Int32Array[] = [];
  /** When true, each call waits for `release()`. */
  hold = false;
  private held: (() => void)[] = [];
  private callWaiters: (() => void)[] = [];

  constructor(readonly spec: BehaviorSpec) {}

  async step(terminals: TerminalBatch, decisions: DecisionBatch): Promise<BatchActions> {
    this.calls.push({ terminals, decisions });
    for (const w of this.callWaiters.splice(0)) w();
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    return expectedActions(this.spec, decisions.agentKeys);
  }

  dropAgents(agentKeys: Int32Array): void {
    this.drops.push(agentKeys);
  }

  /** Lets the oldest held call return. */
  release(): void {
    this.held.shift()?.();
  }

  /** Resolves once `count` calls were made. */
  async waitForCalls(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} policy calls, got ${this.calls.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.callWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }
}

/** The actions RecordingPolicy gives agents with these keys, in row order. */
export function expectedActions(spec: BehaviorSpec, keys: Int32Array): BatchActions {
  const C = spec.actions.continuous;
  const branches = spec.actions.discrete;
  const continuous = new Float32Array(keys.length * C);
  const discrete = new Int32Array(keys.length * branches.length);
  keys.forEach((key, row) => {
    for (let c = 0; c < C; c++) continuous[row * C + c] = c === 0 ? key : row;
    branches.forEach((size, b) => (discrete[row * branches.length + b] = key % size));
  });
  return { continuous, discrete };
}
