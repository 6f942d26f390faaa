/** The game page's live status: connection state, steps, speed, episodes and rewards. */
import { element } from '../pages/element.js';
import type { GameSession } from './GameSession.js';

/** Who decides for the agents, in words ("model 3DBall.onnx", "keyboard", "the trainer"). */
export type DeciderText = string;

/** Redraws the status block from the session (call a few times a second). */
export function renderStatus(container: HTMLElement, session: GameSession | null, deciders: DeciderText, startError: string | null): void {
  if (startError) {
    container.replaceChildren(element('div', { className: 'state failed', dataset: { state: 'failed' } }, ['● could not start']), element('div', { className: 'error' }, [startError]));
    container.dataset.state = 'failed';
    return;
  }
  if (!session) {
    container.replaceChildren(element('div', { className: 'state connecting' }, ['● starting…']));
    container.dataset.state = 'starting';
    return;
  }
  const state = session.state === 'running' && session.waitingForTrainer ? 'waiting' : session.state;
  const label: Record<string, string> = {
    connecting: `● connecting to ${session.detail}…`,
    running: session.mode === 'train' ? `● training · ${session.detail}` : '● running',
    waiting: '● waiting for the trainer (it is updating its networks)',
    closed: '● stopped',
    failed: '● failed',
  };
  const mean = session.meanReward;
  const lines: (Node | string)[] = [
    element('div', { className: `state ${state === 'waiting' ? 'connecting' : state}` }, [label[state] ?? state]),
    element('div', {}, [`Decisions: ${deciders}`]),
    element('div', { dataset: { field: 'steps' } }, [`Steps: ${session.steps} · ${session.stepsPerSecond.toFixed(0)} steps/s`]),
    element('div', { dataset: { field: 'episodes' } }, [`Episodes: ${session.episodes}${mean === null ? '' : ` · mean reward ${mean.toFixed(3)}`}`]),
  ];
  if ((state === 'closed' || state === 'failed') && session.detail) lines.push(element('div', { className: 'error' }, [session.detail]));
  container.replaceChildren(...lines);
  container.dataset.state = state;
}
