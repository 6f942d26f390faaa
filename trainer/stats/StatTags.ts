/**
 * ML-Agents' stat tag names, so that TensorBoard dashboards and scripts written for ML-Agents runs
 * read ours unchanged. Custom game stats keep whatever names the game gives them.
 */
export const StatTags = {
  cumulativeReward: 'Environment/Cumulative Reward',
  groupCumulativeReward: 'Environment/Group Cumulative Reward',
  episodeLength: 'Environment/Episode Length',
  entropy: 'Policy/Entropy',
  learningRate: 'Policy/Learning Rate',
  epsilon: 'Policy/Epsilon',
  beta: 'Policy/Beta',
  policyLoss: 'Losses/Policy Loss',
  valueLoss: 'Losses/Value Loss',
  baselineLoss: 'Losses/Baseline Loss',
  curiosityForwardLoss: 'Losses/Curiosity Forward Loss',
  curiosityInverseLoss: 'Losses/Curiosity Inverse Loss',
  rndLoss: 'Losses/RND Loss',
  pretrainingLoss: 'Losses/Pretraining Loss',
  isTraining: 'Is Training',
  /** Spelled as ML-Agents' ghost trainer writes it (lower-case "play"). */
  elo: 'Self-play/ELO',
} as const;

/** Python's str.capitalize(), which ML-Agents applies to reward signal names ("rnd" → "Rnd"). */
function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
}

/** The per-reward-signal tags ML-Agents writes, e.g. for 'extrinsic': 'Policy/Extrinsic Reward'. */
export function rewardSignalTags(signal: string): { reward: string; valueEstimate: string; baselineEstimate: string } {
  if (signal.length === 0) throw new Error('rewardSignalTags: signal is empty; pass the reward signal name, e.g. "extrinsic"');
  const name = capitalize(signal);
  return {
    reward: `Policy/${name} Reward`,
    valueEstimate: `Policy/${name} Value Estimate`,
    baselineEstimate: `Policy/${name} Baseline Estimate`,
  };
}
