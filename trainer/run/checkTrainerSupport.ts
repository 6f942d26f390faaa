import type { TrainerSettings } from '../config/schema.js';

/**
 * Refuses settings this version parses but cannot train yet, before any game starts, so the user
 * reads one clear line instead of a refused game process.
 */
export function checkTrainerSupport(behavior: string, settings: TrainerSettings): void {
  if (settings.trainer_type !== 'ppo') {
    throw new Error(
      `behaviors.${behavior}.trainer_type is '${settings.trainer_type}'; this version of three-rl-agents trains 'ppo' (poca arrives with the SoccerTwos work)`,
    );
  }
  if (settings.self_play) {
    throw new Error(`behaviors.${behavior}.self_play: self-play arrives with the SoccerTwos work; remove the section for now`);
  }
}
