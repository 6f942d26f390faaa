import type { HierarchicalTimer } from './HierarchicalTimer.js';

// The trainer's blocks a user can act on, in the order the line lists them. None of them runs
// inside another, so their shares add up.
const PARTS: readonly (readonly [block: string, label: string])[] = [
  ['PpoTrainer.updatePolicy', 'updating the policy'],
  ['PpoOptimizer.act', 'acting'],
  ['PpoTrainer.processTrajectory', 'trajectories (values, reward signals, GAE)'],
  ['BehaviorTrainer.saveCheckpoint', 'checkpoints'],
  ['PpoTrainer.waitForLearner', 'waiting for the learner thread'],
];

/**
 * One line on where a run's wall time went, from its timer: the trainer's main blocks and the
 * time outside them, which is mostly waiting for the games to step (see run_logs/timers.json).
 */
export function trainingTimeSummary(timer: HierarchicalTimer): string {
  const tree = timer.tree();
  const totals = timer.totalsByName();
  const wall = tree.total;
  const pct = (s: number) => `${wall > 0 ? Math.round((100 * s) / wall) : 0}%`;
  let accounted = tree.self;
  const parts = PARTS.map(([block, label]) => {
    const s = totals.get(block) ?? 0;
    accounted += s;
    return `${label} ${pct(s)}`;
  });
  parts.push(`waiting for the games ${pct(tree.self)}`, `other trainer work ${pct(Math.max(0, wall - accounted))}`);
  return `Time: ${wall.toFixed(0)} s: ${parts.join(', ')} (details in run_logs/timers.json)`;
}
