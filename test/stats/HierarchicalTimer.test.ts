import { describe, expect, it } from 'vitest';
import { HierarchicalTimer } from '../../trainer/stats/HierarchicalTimer.js';
import { trainingTimeSummary } from '../../trainer/stats/TrainingTimeSummary.js';

/** A clock that moves only when told to (milliseconds). */
function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('HierarchicalTimer', () => {
  it("nests blocks as they run and writes ML-Agents' timers.json layout", () => {
    const clock = fakeClock();
    const timer = new HierarchicalTimer(clock.now);
    for (let i = 0; i < 3; i++) {
      timer.time('step', () => {
        clock.advance(100);
        timer.time('act', () => clock.advance(50));
      });
    }
    clock.advance(700); // outside every block: the root's own time
    const result = timer.time('update', () => {
      clock.advance(400);
      return 'value';
    });
    expect(result).toBe('value');
    const tree = timer.tree({ backend: 'wasm' });
    expect(tree.name).toBe('root');
    expect(tree.metadata).toMatchObject({ timer_format_version: '0.1.0', backend: 'wasm' });
    expect(tree.total).toBeCloseTo(1.55, 9);
    expect(tree.count).toBe(1);
    expect(tree.self).toBeCloseTo(0.7, 9);
    expect(tree.children!.step).toEqual({ total: expect.closeTo(0.45, 9), count: 3, self: expect.closeTo(0.3, 9), children: { act: { total: expect.closeTo(0.15, 9), count: 3, self: expect.closeTo(0.15, 9) } } });
    expect(tree.children!.update).toEqual({ total: expect.closeTo(0.4, 9), count: 1, self: expect.closeTo(0.4, 9) });
  });

  it('times a block that throws and keeps the stack straight', () => {
    const clock = fakeClock();
    const timer = new HierarchicalTimer(clock.now);
    expect(() =>
      timer.time('outer', () => {
        clock.advance(10);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    timer.time('after', () => clock.advance(5));
    const tree = timer.tree();
    expect(Object.keys(tree.children!)).toEqual(['outer', 'after']);
    expect(tree.children!.outer!.total).toBeCloseTo(0.01, 9);
  });

  it('sums a block name over the tree once, and the summary line splits the wall time', () => {
    const clock = fakeClock();
    const timer = new HierarchicalTimer(clock.now);
    timer.time('PpoTrainer.step', () => {
      timer.time('PpoTrainer.updatePolicy', () => clock.advance(300));
      timer.time('PpoOptimizer.act', () => clock.advance(100));
    });
    // A threaded update slice runs at the top, outside any step.
    timer.time('PpoTrainer.updatePolicy', () => clock.advance(200));
    timer.time('AgentProcessor.add', () => timer.time('PpoTrainer.processTrajectory', () => clock.advance(100)));
    // Time measured around an await is recorded after the fact.
    clock.advance(100);
    timer.record('PpoTrainer.waitForLearner', 0.1);
    clock.advance(300);
    const totals = timer.totalsByName();
    expect(totals.get('PpoTrainer.updatePolicy')).toBeCloseTo(0.5, 9);
    expect(totals.get('(other)')).toBeCloseTo(0.3, 9);
    expect(totals.get('PpoTrainer.waitForLearner')).toBeCloseTo(0.1, 9);
    expect(trainingTimeSummary(timer)).toBe(
      'Time: 1 s: updating the policy 45%, acting 9%, trajectories (values, reward signals, GAE) 9%, checkpoints 0%, waiting for the learner thread 9%, waiting for the games 27%, other trainer work 0% (details in run_logs/timers.json)',
    );
    expect(() => timer.record('x', -1)).toThrow(/seconds must be a number >= 0/);
  });
});
