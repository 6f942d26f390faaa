import type { ActionSpec } from '../spec/BehaviorSpec.js';

/** Lets an agent forbid discrete actions for its next decision (ML-Agents' WriteDiscreteActionMask). */
export class ActionMask {
  private readonly offsets: number[] = [];
  /** 1 = allowed, 0 = masked, one entry per action of every branch, branch after branch. */
  readonly values: Uint8Array;

  constructor(private readonly spec: ActionSpec) {
    let total = 0;
    for (const size of spec.discrete) {
      this.offsets.push(total);
      total += size;
    }
    this.values = new Uint8Array(total).fill(1);
  }

  /** Allows every action again. */
  reset(): void {
    this.values.fill(1);
  }

  /** Enables or disables one action of a branch. */
  setActionEnabled(branch: number, action: number, enabled: boolean): void {
    const size = this.spec.discrete[branch];
    if (size === undefined) throw new Error(`ActionMask: branch ${branch} does not exist (there are ${this.spec.discrete.length})`);
    if (!Number.isInteger(action) || action < 0 || action >= size) {
      throw new Error(`ActionMask: branch ${branch} has actions 0..${size - 1}, got ${action}`);
    }
    this.values[this.offsets[branch]! + action] = enabled ? 1 : 0;
  }

  /** Throws when a branch has every action masked (no valid choice would remain). */
  check(behavior: string): void {
    this.spec.discrete.forEach((size, b) => {
      const off = this.offsets[b]!;
      let any = false;
      for (let k = 0; k < size; k++) any ||= this.values[off + k] === 1;
      if (!any) throw new Error(`${behavior}: every action of discrete branch ${b} is masked; leave at least one enabled`);
    });
  }
}
