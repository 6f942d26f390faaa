import { AIController } from '../../bridge/agent/AIController.js';
import type { AgentAction } from '../../bridge/agent/AgentAction.js';
import type { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import { observationSize } from '../../bridge/spec/BehaviorSpec.js';
import { balancingAction } from './BalancingHeuristic.js';
import type { Ball3DArea, Ball3DParameters } from './Ball3DArea.js';
import { BALL3D_DECISION_PERIOD, ball3DBehavior, ball3DRules as R } from './behavior.js';

/** Human input for the heuristic: where the player wants the ball to roll, each axis in [-1, 1]. */
export interface TiltInput {
  rollX(): number;
  rollZ(): number;
}

const OBS_NAME = ball3DBehavior.observations[0]!.name;

/** ML-Agents' Ball3DAgent: the cube that tilts to keep its ball on top. */
export class Ball3DAgent extends AIController {
  readonly behavior = ball3DBehavior;
  /** Keyboard (or script) read by `heuristic`; when null the heuristic balances by itself. */
  manualInput: TiltInput | null = null;
  private lost = false;
  private readonly obs = new Float32Array(observationSize(ball3DBehavior.observations[0]!));

  constructor(
    readonly area: Ball3DArea,
    private readonly parameters: () => Ball3DParameters,
  ) {
    super({ decisionPeriod: BALL3D_DECISION_PERIOD, takeActionsBetweenDecisions: true });
  }

  override onEpisodeBegin(): void {
    this.lost = false;
    this.area.reset(this.parameters());
  }

  override collectObservations(obs: ObservationWriter): void {
    this.area.readObservation(this.obs);
    obs.add(OBS_NAME, this.obs);
  }

  override onActionReceived(action: AgentAction): void {
    const [z, x] = [action.continuous[0]!, action.continuous[1]!];
    if (!Number.isFinite(z) || !Number.isFinite(x)) {
      throw new Error(`3DBall agent ${this.agentId}: continuous actions must be finite numbers, got [${z}, ${x}]`);
    }
    this.area.tilt(R.degreesPerStep * clamp1(z), R.degreesPerStep * clamp1(x));
  }

  /** Arrow keys when `manualInput` is set (ML-Agents: -Horizontal, Vertical), else a PD controller. */
  override heuristic(out: AgentAction): void {
    if (this.manualInput) {
      out.continuous[0] = -clamp1(this.manualInput.rollX());
      out.continuous[1] = clamp1(this.manualInput.rollZ());
      return;
    }
    this.area.readObservation(this.obs);
    balancingAction(this.obs, out.continuous);
  }

  /** Ball3DAgent's reward: -1 and the end when the ball is lost, else 0.1 (SetReward, not Add). */
  applyRules(): void {
    if (this.lost) return;
    if (this.area.ballLost()) {
      this.lost = true;
      this.setReward(R.fallReward);
      this.endEpisode();
    } else {
      this.setReward(R.aliveReward);
    }
  }
}

function clamp1(v: number): number {
  return Math.min(1, Math.max(-1, v));
}
