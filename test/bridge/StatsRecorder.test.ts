import { describe, expect, it } from 'vitest';
import { StatsRecorder } from '../../bridge/game/StatsRecorder.js';

describe('StatsRecorder', () => {
  it('averages each key between reports and starts afresh after each', () => {
    const stats = new StatsRecorder();
    expect(stats.takeAverages()).toBeNull();
    stats.add('Game/Hits', 1);
    stats.add('Game/Hits', 4);
    stats.add('Game/Misses', -2);
    expect(stats.takeAverages()).toEqual({ 'Game/Hits': 2.5, 'Game/Misses': -2 });
    expect(stats.takeAverages()).toBeNull();
    stats.add('Game/Hits', 7);
    expect(stats.takeAverages()).toEqual({ 'Game/Hits': 7 });
  });

  it('refuses keys and values the trainer could not summarise, naming the fix', () => {
    const stats = new StatsRecorder();
    expect(() => stats.add('', 1)).toThrow(/key must be a non-empty string such as 'Game\/Score', got ""/);
    expect(() => stats.add(3 as never, 1)).toThrow(/key must be a non-empty string/);
    expect(() => stats.add('Game/Hits', Number.NaN)).toThrow(/add\('Game\/Hits'\): value must be a finite number, got NaN/);
    expect(() => stats.add('Game/Hits', Infinity)).toThrow(/finite number, got Infinity/);
    // A refused value leaves what was recorded intact.
    stats.add('Game/Hits', 2);
    expect(() => stats.add('Game/Hits', '3' as never)).toThrow(/got "3"/);
    expect(stats.takeAverages()).toEqual({ 'Game/Hits': 2 });
  });
});
