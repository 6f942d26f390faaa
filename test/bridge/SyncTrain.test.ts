/** Sync in train mode against a scripted loopback trainer speaking the real codec. */
import { afterEach, describe, expect, it } from 'vitest';
import { AgentGroup } from '../../bridge/agent/AgentGroup.js';
import { PROTOCOL_VERSION } from '../../bridge/protocol/version.js';
import { Sync } from '../../bridge/sync/Sync.js';
import { ScriptedTrainer } from './ScriptedTrainer.js';
import { Walker, walkerGame } from './WalkerGame.js';

const trainers: ScriptedTrainer[] = [];
afterEach(async () => {
  await Promise.all(trainers.splice(0).map((t) => t.stop()));
});

async function startTrainer(): Promise<ScriptedTrainer> {
  const t = await ScriptedTrainer.start();
  trainers.push(t);
  return t;
}

/** A connected Sync over `walkers`, with the hello it sent. */
async function connected(walkers: Walker[], welcome: Parameters<ScriptedTrainer['welcome']>[0] = {}, goal = Infinity) {
  const trainer = await startTrainer();
  const game = walkerGame(walkers, goal);
  const sync = new Sync({ game, gameName: 'Walk', mode: 'train', url: trainer.url, instanceId: 'walk-1', areas: 2, token: 'secret' });
  const connecting = sync.connect();
  const hello = await trainer.next();
  await trainer.welcome(welcome);
  await connecting;
  return { sync, game, hello, trainer };
}

/** Actions for `ids` in order: discrete = move, continuous = 100 + agent id. */
function actions(ids: number[], move: number[]) {
  return {
    type: 'actions' as const,
    behaviors: {
      Walk: { agentIds: Int32Array.from(ids), continuous: Float32Array.from(ids, (id) => 100 + id), discrete: Int32Array.from(move) },
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('Sync in train mode', () => {
  it('says hello with the scene\'s specs and applies the welcome', async () => {
    const walkers = [new Walker(), new Walker({ decisionPeriod: 3 })];
    const { sync, game, hello } = await connected(walkers, { decisionPeriod: 2, parameters: { speed: 3 }, seed: 99, timeScale: 5 });
    expect(hello).toMatchObject({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      game: 'Walk',
      instanceId: 'walk-1',
      areas: 2,
      token: 'secret',
      behaviors: [{ name: 'Walk', actions: { continuous: 1, discrete: [3] }, teamCount: 1, maxStep: 0 }],
    });
    expect(hello.behaviors[0].observations).toEqual([
      { name: 'pos', shape: [1], kind: 'vector' },
      { name: 'clock', shape: [2], kind: 'vector' },
    ]);
    expect(walkers.map((w) => w.decisionPeriod)).toEqual([2, 2]);
    expect(game.parameters).toEqual([{ speed: 3 }]);
    expect(sync.seed).toBe(99);
    expect(sync.timeScale).toBe(5);
    sync.close();
  });

  it('steps in lockstep: sends decisions, waits for actions, applies each row to its agent', async () => {
    const walkers = [new Walker(), new Walker()];
    walkers[1]!.masked = [1];
    const { sync, game, trainer } = await connected(walkers);
    let settled = false;
    const step = sync.step().then(() => (settled = true));
    const steps = await trainer.next();
    expect(steps.type).toBe('steps');
    const d = steps.behaviors.Walk.decisions;
    expect(Array.from(d.agentIds)).toEqual([0, 1]);
    expect(Array.from(d.obs[0])).toEqual([0, 0]);
    expect(Array.from(d.obs[1])).toEqual([0, 0, 0, 1]);
    expect(Array.from(d.actionMasks)).toEqual([1, 1, 1, 1, 0, 1]);
    expect(Array.from(d.rewards)).toEqual([0, 0]);
    expect(Array.from(d.groupIds)).toEqual([0, 0]);
    expect(Array.from(d.teamIds)).toEqual([0, 0]);
    expect(steps.behaviors.Walk.terminals.agentIds.length).toBe(0);
    await flush();
    expect(settled).toBe(false);
    expect(game.steps).toBe(0); // the game does not advance while waiting
    await trainer.send(actions([0, 1], [1, 2]));
    await step;
    expect(walkers[0]!.applied).toEqual([[1, 100]]);
    expect(walkers[1]!.applied).toEqual([[2, 101]]);
    expect(walkers.map((w) => w.x)).toEqual([-1, 1]);
    expect(game.steps).toBe(1);
    sync.close();
  });

  it('reports rewards and group rewards since the last decision, and steps without waiting in between', async () => {
    const walkers = [new Walker({ decisionPeriod: 2 }), new Walker({ decisionPeriod: 2 })];
    const group = new AgentGroup();
    group.registerAgent(walkers[0]!);
    group.registerAgent(walkers[1]!);
    const { sync, trainer } = await connected(walkers);
    const first = sync.step();
    await trainer.next();
    await trainer.send(actions([0, 1], [0, 0]));
    await first;
    group.addGroupReward(0.25);
    walkers[1]!.addReward(3);
    await sync.step(); // no decision due: nothing sent, nothing awaited
    group.addGroupReward(0.5);
    sync.recordStat('score', 1);
    sync.stats.add('score', 3); // the recorder a game gets as GameOptions.stats
    const third = sync.step();
    const steps = await trainer.next();
    const d = steps.behaviors.Walk.decisions;
    expect(Array.from(d.rewards)).toEqual([1, 4]); // 2 actions x 0.5, plus 3 for agent 1
    expect(Array.from(d.groupRewards)).toEqual([0.75, 0.75]);
    expect(Array.from(d.groupIds)).toEqual([group.groupId, group.groupId]);
    expect(steps.stats).toEqual({ score: 2 });
    await trainer.send(actions([0, 1], [0, 0]));
    await third;
    sync.close();
  });

  it('sends an episode end and the next episode\'s first decision in one message', async () => {
    const walkers = [new Walker(), new Walker()];
    const { sync, trainer } = await connected(walkers, {}, 1);
    const first = sync.step();
    await trainer.next();
    await trainer.send(actions([0, 1], [2, 0])); // agent 0 reaches the goal
    await first;
    const second = sync.step();
    const steps = await trainer.next();
    const t = steps.behaviors.Walk.terminals;
    expect(Array.from(t.agentIds)).toEqual([0]);
    expect(Array.from(t.interrupted)).toEqual([0]);
    expect(Array.from(t.rewards)).toEqual([0.5]);
    expect(Array.from(t.obs[0])).toEqual([1]); // where the episode ended
    const d = steps.behaviors.Walk.decisions;
    expect(Array.from(d.agentIds)).toEqual([0, 1]);
    expect(Array.from(d.obs[0])).toEqual([0, 0]); // agent 0 restarted
    expect(Array.from(d.rewards)).toEqual([0, 0.5]);
    expect(walkers[0]!.begins).toBe(2);
    await trainer.send(actions([0, 1], [0, 0]));
    await second;
    sync.close();
  });

  it('treats a reset as the answer to a step: every agent ends interrupted and restarts', async () => {
    const walkers = [new Walker(), new Walker()];
    const { sync, game, trainer } = await connected(walkers);
    const first = sync.step();
    await trainer.next();
    await trainer.send({ type: 'reset', parameters: { level: 2 } });
    await first;
    expect(game.steps).toBe(0);
    expect(game.parameters).toEqual([{ level: 2 }]);
    const second = sync.step();
    const steps = await trainer.next();
    expect(Array.from(steps.behaviors.Walk.terminals.agentIds)).toEqual([0, 1]);
    expect(Array.from(steps.behaviors.Walk.terminals.interrupted)).toEqual([1, 1]);
    expect(Array.from(steps.behaviors.Walk.decisions.agentIds)).toEqual([0, 1]);
    await trainer.send(actions([0, 1], [2, 2]));
    await second;
    expect(walkers.map((w) => w.begins)).toEqual([2, 2]);
    sync.close();
  });

  it('hands an agent over to a human: the trainer gets an interrupted end, the game episode goes on', async () => {
    const walkers = [new Walker(), new Walker()];
    const { sync, trainer } = await connected(walkers);
    const first = sync.step();
    await trainer.next();
    await trainer.send(actions([0, 1], [2, 2]));
    await first;
    sync.setDecisionSource(walkers[1]!, 'heuristic');
    walkers[1]!.move = 1;
    const second = sync.step();
    const steps = await trainer.next();
    expect(Array.from(steps.behaviors.Walk.terminals.agentIds)).toEqual([1]);
    expect(Array.from(steps.behaviors.Walk.terminals.interrupted)).toEqual([1]);
    expect(Array.from(steps.behaviors.Walk.decisions.agentIds)).toEqual([0]);
    await trainer.send(actions([0], [2]));
    await second;
    expect(walkers[1]!.begins).toBe(1);
    expect(walkers[1]!.x).toBe(0); // +1 from the trainer, then -1 from the human
    sync.close();
  });

  it('rejects the step with the field named when the actions are malformed, tells the trainer, and closes', async () => {
    const walkers = [new Walker(), new Walker()];
    const { sync, trainer } = await connected(walkers);
    const step = sync.step();
    await trainer.next();
    await trainer.send(actions([0, 1], [2, 5]));
    await expect(step).rejects.toThrow(/invalid message from the trainer.*behaviors\.Walk\.discrete\[1\].*0\.\.2/);
    const reply = await trainer.next();
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_field', field: 'behaviors.Walk.discrete[1]' });
    expect(await sync.closed).toMatch(/behaviors\.Walk\.discrete\[1\]/);
    expect(await trainer.socketClosed).toBe(4000);
    await expect(sync.step()).rejects.toThrow(/invalid message from the trainer/);
  });

  it('rejects the step when actions answer the wrong agents or the frame is not msgpack', async () => {
    const { sync, trainer } = await connected([new Walker(), new Walker()]);
    const step = sync.step();
    await trainer.next();
    await trainer.send(actions([1, 0], [0, 0]));
    await expect(step).rejects.toThrow(/agentIds\[0\]: expected agent 0, got agent 1/);

    const second = await connected([new Walker()]);
    const pending = second.sync.step();
    await second.trainer.next();
    await second.trainer.sendRaw({ type: 'actions', behaviors: { Walk: { agentIds: [0], continuous: [0], discrete: [0] } } });
    await expect(pending).rejects.toThrow(/behaviors\.Walk\.agentIds: expected a Int32Array/);
  });

  it('rejects a pending step when the trainer disconnects', async () => {
    const { sync, trainer } = await connected([new Walker()]);
    const step = sync.step();
    await trainer.next();
    await trainer.drop();
    await expect(step).rejects.toThrow(/connection to the trainer at ws:\/\/127\.0\.0\.1:\d+ was lost/);
    expect(await sync.closed).toMatch(/was lost/);
  });

  it('ends run() cleanly when the trainer sends close', async () => {
    const walkers = [new Walker({ decisionPeriod: 2 })];
    const { sync, game, trainer } = await connected(walkers);
    const running = sync.run();
    for (let i = 0; i < 3; i++) {
      const steps = await trainer.next();
      expect(steps.type).toBe('steps');
      await trainer.send(actions([0], [2]));
    }
    await trainer.next();
    await trainer.send({ type: 'close', reason: 'max_steps reached' });
    await running;
    expect(await sync.closed).toBe('the trainer closed the connection: max_steps reached');
    expect(game.steps).toBe(6); // three answered decisions, each followed by one step without a decision
    expect(walkers[0]!.x).toBe(6);
  });

  it('fails connect() with the trainer\'s reason when the hello is refused', async () => {
    const trainer = await startTrainer();
    const sync = new Sync({ game: walkerGame([new Walker()]), gameName: 'Walk', mode: 'train', url: trainer.url });
    const connecting = sync.connect();
    await trainer.next();
    await trainer.send({ type: 'error', code: 'version_mismatch', message: 'the game speaks protocol 1.0 but this trainer speaks 2.0', field: 'protocol' });
    await expect(connecting).rejects.toThrow(/Sync\.connect: .*refused the hello.*protocol 1\.0 but this trainer speaks 2\.0/);
    await expect(sync.step()).rejects.toThrow(/refused/);
  });

  it('fails connect() with a hint when no trainer listens', async () => {
    const sync = new Sync({ game: walkerGame([new Walker()]), gameName: 'Walk', mode: 'train', url: 'ws://127.0.0.1:9' });
    await expect(sync.connect()).rejects.toThrow(/could not connect to the trainer at ws:\/\/127\.0\.0\.1:9.*three-rl train/);
  });
});
