/**
 * The transport's browser branch: with a `window` and a global WebSocket (ws' class stands in for
 * the page's), Sync must use that global with binaryType 'arraybuffer' instead of importing ws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { Sync } from '../../bridge/sync/Sync.js';
import { ScriptedTrainer } from './ScriptedTrainer.js';
import { Walker, walkerGame } from './WalkerGame.js';

const g = globalThis as { window?: unknown; WebSocket?: unknown };
const created: { binaryType: string }[] = [];

beforeAll(() => {
  g.window = {};
  g.WebSocket = class PageWebSocket extends NodeWebSocket {
    constructor(url: string) {
      super(url);
      created.push(this);
    }
  };
});
afterAll(() => {
  delete g.window;
  delete g.WebSocket;
});

describe('Sync in a page', () => {
  it('talks to the trainer through the page\'s WebSocket with ArrayBuffer frames', async () => {
    const trainer = await ScriptedTrainer.start();
    try {
      const walker = new Walker();
      const sync = new Sync({ game: walkerGame([walker]), gameName: 'Walk', mode: 'train', url: trainer.url });
      const connecting = sync.connect();
      expect((await trainer.next()).type).toBe('hello');
      await trainer.welcome();
      await connecting;
      expect(created).toHaveLength(1);
      expect(created[0]!.binaryType).toBe('arraybuffer');
      const step = sync.step();
      await trainer.next();
      await trainer.send({
        type: 'actions',
        behaviors: { Walk: { agentIds: Int32Array.of(0), continuous: Float32Array.of(0.5), discrete: Int32Array.of(2) } },
      });
      await step;
      expect(walker.applied).toEqual([[2, 0.5]]);
      sync.close('page closed');
      expect(await trainer.next()).toEqual({ type: 'close', reason: 'page closed' });
    } finally {
      await trainer.stop();
    }
  });
});
