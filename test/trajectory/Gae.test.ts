import { describe, expect, it } from 'vitest';
import { generalizedAdvantages } from '../../trainer/trajectory/Gae.js';

describe('generalizedAdvantages', () => {
  it('matches a hand computation', () => {
    const r = Float32Array.from([1, 0, 2]);
    const v = Float32Array.from([0.5, 0.2, 0.1]);
    const g = 0.9;
    const l = 0.8;
    const d2 = 2 + g * 3 - 0.1;
    const d1 = 0 + g * 0.1 - 0.2;
    const d0 = 1 + g * 0.2 - 0.5;
    const a2 = d2;
    const a1 = d1 + g * l * a2;
    const a0 = d0 + g * l * a1;
    const adv = generalizedAdvantages(r, v, 3, g, l);
    expect(adv[0]).toBeCloseTo(a0, 5);
    expect(adv[1]).toBeCloseTo(a1, 5);
    expect(adv[2]).toBeCloseTo(a2, 5);
  });

  it('with lambda 1 gives discounted returns minus values', () => {
    const r = Float32Array.from([1, 1, 1]);
    const v = Float32Array.from([0.3, 0.2, 0.1]);
    const adv = generalizedAdvantages(r, v, 0, 0.5, 1);
    expect(adv[0]! + 0.3).toBeCloseTo(1 + 0.5 + 0.25, 5);
    expect(adv[2]! + 0.1).toBeCloseTo(1, 5);
  });
});
