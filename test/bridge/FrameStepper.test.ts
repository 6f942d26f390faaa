import { describe, expect, it } from 'vitest';
import { FrameStepper, stepsForFrame } from '../../bridge/sync/FrameStepper.js';

describe('stepsForFrame / FrameStepper', () => {
  it('runs timeScale x elapsed / fixedDeltaTime steps and carries the remainder', () => {
    expect(stepsForFrame(1 / 60, 0.02, 1, 100)).toEqual({ steps: 0, carrySeconds: expect.closeTo(1 / 60, 9) });
    expect(stepsForFrame(0.05, 0.02, 1, 100)).toEqual({ steps: 2, carrySeconds: expect.closeTo(0.01, 9) });
    expect(stepsForFrame(1 / 60, 0.02, 20, 100).steps).toBe(16);
    const stepper = new FrameStepper(1 / 60);
    const counts = Array.from({ length: 60 }, () => stepper.next(1 / 60));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60); // no step lost to rounding over a second
  });

  it('caps steps per frame and drops the excess (a hidden tab must not burst)', () => {
    expect(stepsForFrame(10, 0.02, 1, 8)).toEqual({ steps: 8, carrySeconds: 0 });
    const stepper = new FrameStepper(0.02, 1, 5);
    expect(stepper.next(3)).toBe(5);
    expect(stepper.next(0.02)).toBe(1);
    stepper.timeScale = 0;
    expect(stepper.next(1)).toBe(0); // paused
  });

  it('rejects bad arguments with the name of the argument', () => {
    expect(() => stepsForFrame(0.1, 0, 1, 10)).toThrow(/fixedDeltaTime must be a finite number > 0, got 0/);
    expect(() => stepsForFrame(0.1, 0.02, -1, 10)).toThrow(/timeScale/);
    expect(() => new FrameStepper(0.02, 1, 0)).toThrow(/maxStepsPerFrame must be an integer >= 1/);
  });
});
