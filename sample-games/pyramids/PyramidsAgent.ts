import { Vec3 } from 'cannon-es';
import { AIController } from '../../bridge/agent/AIController.js';
import type { AgentAction } from '../../bridge/agent/AgentAction.js';
import type { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import type { StatsRecorder } from '../../bridge/game/StatsRecorder.js';
import { RayPerceptionSensor3D } from '../../bridge/sensors/RayPerceptionSensor3D.js';
import type { TagRegistry } from '../../bridge/sensors/TagRegistry.js';
import { PYRAMIDS_RAY_MASK, type PyramidsArea } from './PyramidsArea.js';
import { SwitchThenGoalPilot } from './SwitchThenGoalPilot.js';
import { PYRAMIDS_DECISION_PERIOD, PYRAMIDS_SWITCH_STAT, PYRAMIDS_VECTOR_OBSERVATION, PyramidsAction, pyramidsBehavior, pyramidsRaySensors, pyramidsRules as R } from './behavior.js';

/** Keys a player holds, read by the heuristic (WASD or arrows in the view). */
export interface PyramidsKeys {
  forward(): boolean;
  back(): boolean;
  left(): boolean;
  right(): boolean;
}

/**
 * ML-Agents' PyramidAgent: find the switch, which raises a brick pyramid somewhere, then knock the
 * gold brick off its top and touch it. -1/5000 per step, +2 (and the end) for the gold brick.
 */
export class PyramidsAgent extends AIController {
  readonly behavior = pyramidsBehavior;
  /** The ray sensors in observation order (RayPerceptionSensor, ...1, ...2). */
  readonly sensors: readonly RayPerceptionSensor3D[];
  /** Keyboard read by `heuristic`; when null the heuristic plays by itself (SwitchThenGoalPilot). */
  manualInput: PyramidsKeys | null = null;
  private readonly pilot: SwitchThenGoalPilot;
  private readonly velocity = new Vec3();
  private readonly vector = new Float32Array(4);
  private ended = false;

  /**
   * @param stats where each finished episode reports `Pyramids/Switch Pressed` (1 or 0): how often
   *   the agent finds the switch says more about exploration than the sparse reward does.
   */
  constructor(readonly area: PyramidsArea, tags: TagRegistry, private readonly stats?: StatsRecorder) {
    super({ decisionPeriod: PYRAMIDS_DECISION_PERIOD, takeActionsBetweenDecisions: true });
    this.sensors = pyramidsRaySensors.map(
      (settings) =>
        new RayPerceptionSensor3D({
          ...settings,
          world: area.world,
          body: area.agent,
          tags,
          collisionFilterMask: PYRAMIDS_RAY_MASK,
          agent: this,
        }),
    );
    this.pilot = new SwitchThenGoalPilot(area);
  }

  override onEpisodeBegin(): void {
    if (this.completedEpisodes > 0) this.stats?.add(PYRAMIDS_SWITCH_STAT, this.area.switchOn ? 1 : 0);
    this.ended = false;
    this.area.reset();
  }

  /** Three ray sensors, then the switch state and the agent's local velocity (PyramidAgent.CollectObservations). */
  override collectObservations(obs: ObservationWriter): void {
    for (const sensor of this.sensors) sensor.write(obs);
    const v = this.area.localVelocity(this.velocity);
    this.vector[0] = this.area.switchOn ? 1 : 0;
    this.vector[1] = v.x;
    this.vector[2] = v.y;
    this.vector[3] = v.z;
    obs.add(PYRAMIDS_VECTOR_OBSERVATION, this.vector);
  }

  override onActionReceived(action: AgentAction): void {
    const a = action.discrete[0]!;
    if (!Number.isInteger(a) || a < 0 || a > 4) {
      throw new Error(`Pyramids agent ${this.agentId}: the discrete action must be 0..4 (nothing, forward, back, right, left), got ${a}`);
    }
    this.addReward(-1 / this.maxStep);
    this.area.moveAgent(a);
  }

  /** ML-Agents' keys (D turns right, W forward, A left, S back, in that priority), else the pilot. */
  override heuristic(out: AgentAction): void {
    const keys = this.manualInput;
    if (!keys) {
      out.discrete[0] = this.pilot.decide();
      return;
    }
    out.discrete[0] = keys.right()
      ? PyramidsAction.turnRight
      : keys.forward()
        ? PyramidsAction.forward
        : keys.left()
          ? PyramidsAction.turnLeft
          : keys.back()
            ? PyramidsAction.back
            : PyramidsAction.nothing;
  }

  /** PyramidAgent.OnCollisionEnter with the gold brick: SetReward(2) and the end of the episode. */
  applyRules(): void {
    if (this.ended || !this.area.goalTouched) return;
    this.ended = true;
    this.setReward(R.goalReward);
    this.endEpisode();
  }
}
