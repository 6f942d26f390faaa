import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../trainer/config/index.js';

describe('editDistance', () => {
  it('counts edits, with a swap of neighbours as one', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('lambd', 'lamdb')).toBe(1);
    expect(editDistance('learning_rat', 'learning_rate')).toBe(1);
  });
});

describe('didYouMean', () => {
  const keys = ['batch_size', 'buffer_size', 'learning_rate', 'learning_rate_schedule', 'beta', 'epsilon', 'lambd', 'num_epoch'];
  it('suggests the closest key', () => {
    expect(didYouMean('learning_rat', keys)).toBe('learning_rate');
    expect(didYouMean('bufer_size', keys)).toBe('buffer_size');
    expect(didYouMean('lambda', keys)).toBe('lambd');
    expect(didYouMean('BatchSize', keys)).toBe('batch_size');
    expect(didYouMean('num-epoch', keys)).toBe('num_epoch');
  });
  it('stays quiet when nothing is close', () => {
    expect(didYouMean('gravity', keys)).toBeUndefined();
    expect(didYouMean('x', ['abc'])).toBeUndefined();
  });
});
