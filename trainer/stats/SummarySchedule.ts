/**
 * When a trainer writes its summaries: as ML-Agents' RLTrainer._maybe_write_summary, a summary is
 * due once the step count reaches the next multiple of summary_freq, and it is labelled with that
 * multiple (so lines read "Step: 10000" even when the trajectory that crossed it ended at 10046).
 */
export class SummarySchedule {
  private next: number;

  /**
   * @param summaryFreq the config's summary_freq.
   * @param initialStep the step a resumed run starts from (0 for a new run).
   */
  constructor(
    readonly summaryFreq: number,
    initialStep = 0,
  ) {
    if (!Number.isSafeInteger(summaryFreq) || summaryFreq <= 0) {
      throw new Error(`SummarySchedule: summary_freq is ${summaryFreq}; set a positive integer, e.g. summary_freq: 10000`);
    }
    if (!Number.isSafeInteger(initialStep) || initialStep < 0) {
      throw new Error(`SummarySchedule: initialStep is ${initialStep}; pass the non-negative step the run starts from`);
    }
    this.next = nextMultiple(initialStep, summaryFreq);
  }

  /**
   * Reports the step count reached; returns the step to label a summary with when one is due,
   * else null. At most one summary per call, as ML-Agents: a jump over several multiples writes
   * one summary, labelled with the first multiple crossed.
   */
  reached(step: number): number | null {
    if (!Number.isSafeInteger(step) || step < 0) {
      throw new Error(`SummarySchedule.reached: step is ${step}; pass the non-negative step count`);
    }
    if (step < this.next) return null;
    const label = this.next;
    this.next = nextMultiple(step, this.summaryFreq);
    return label;
  }
}

/** The first multiple of `interval` strictly after `step`. */
function nextMultiple(step: number, interval: number): number {
  return step + (interval - (step % interval));
}
