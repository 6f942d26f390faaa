import { describe, expect, it } from 'vitest';
import { checkBehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { builtInGames, findBuiltInGame } from '../../sample-games/registry.js';

describe('built-in games registry', () => {
  it('lists every built-in game with valid, distinct behaviors', () => {
    expect(builtInGames.map((g) => g.name)).toEqual(['basic', '3dball', 'snowballtarget', 'pyramids']);
    const behaviorNames = builtInGames.flatMap((g) => g.behaviors.map((b) => checkBehaviorSpec(b, g.name).name));
    expect(behaviorNames).toEqual(['Basic', '3DBall', 'SnowballTarget', 'Pyramids']);
    for (const g of builtInGames) expect(g.description.length).toBeGreaterThan(10);
  });

  it('finds games by name, ignoring case', () => {
    expect(findBuiltInGame('BASIC')?.name).toBe('basic');
    expect(findBuiltInGame('3DBall')?.name).toBe('3dball');
    expect(findBuiltInGame('pyramidz')).toBeUndefined();
  });

  it('creates every game with agents of its declared behaviors', () => {
    for (const g of builtInGames) {
      const game = g.create({ areas: 2, seed: 1, parameters: {} });
      expect(game.agents).toHaveLength(2);
      for (const a of game.agents) expect(g.behaviors).toContain(a.behavior);
      game.step();
    }
  });
});
