import { AIController } from '../../bridge/agent/AIController.js';
import type { AgentAction } from '../../bridge/agent/AgentAction.js';
import type { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import { ObservationStack } from '../../bridge/sensors/ObservationStack.js';
import { RayPerceptionSensor3D } from '../../bridge/sensors/RayPerceptionSensor3D.js';
import { aimingAction } from './AimingHeuristic.js';
import {
  CAN_SHOOT_OBSERVATION,
  SNOWBALL_DECISION_PERIOD,
  SNOWBALL_STACKS,
  SnowballMove,
  SnowballShoot,
  SnowballTurn,
  snowballRaySensors,
  snowballRules as R,
  snowballTargetBehavior,
} from './behavior.js';
import { SnowballGroup, type SnowballArea } from './SnowballArea.js';

/** Human input for the heuristic: walk (-1 back .. 1 forward), turn (-1 left .. 1 right), shoot. */
export interface SnowballInput {
  move(): number;
  turn(): number;
  shoot(): boolean;
}

// Half a turn about +y: the back sensor's "forward" is the bear's back.
const BACKWARDS = { x: 0, y: 1, z: 0, w: 0 };

/** Julien the bear: walks, turns and throws snowballs at targets, +1 per hit. */
export class SnowballAgent extends AIController {
  readonly behavior = snowballTargetBehavior;
  /** Keyboard (or script) read by `heuristic`; when null the heuristic aims at the nearest target. */
  manualInput: SnowballInput | null = null;
  /** The four ray sensors, in observation order (for debug drawing). */
  readonly sensors: readonly RayPerceptionSensor3D[];
  private readonly canShoot = new ObservationStack(1, SNOWBALL_STACKS);
  private readonly canShootFrame = new Float32Array(1);

  constructor(readonly area: SnowballArea) {
    super({ decisionPeriod: SNOWBALL_DECISION_PERIOD, takeActionsBetweenDecisions: true });
    const common = {
      world: area.world,
      body: area.bear,
      agent: this,
      // Rays start at the height of the targets' centres, so a target ahead is hit through its middle.
      localPosition: { x: 0, y: R.targetHeight - R.bearRadius, z: 0 },
      collisionFilterMask: SnowballGroup.target | SnowballGroup.wall,
    };
    const s = snowballRaySensors;
    this.sensors = [
      new RayPerceptionSensor3D({ ...common, ...s.back, localRotation: BACKWARDS }),
      new RayPerceptionSensor3D({ ...common, ...s.wide }),
      new RayPerceptionSensor3D({ ...common, ...s.targets }),
      new RayPerceptionSensor3D({ ...common, ...s.front }),
    ];
  }

  override onEpisodeBegin(): void {
    this.area.reset();
    this.canShoot.reset();
  }

  override collectObservations(obs: ObservationWriter): void {
    const [back, wide, targets, front] = this.sensors as [RayPerceptionSensor3D, RayPerceptionSensor3D, RayPerceptionSensor3D, RayPerceptionSensor3D];
    back.write(obs);
    wide.write(obs);
    targets.write(obs);
    this.canShootFrame[0] = this.area.canShoot ? 1 : 0;
    obs.add(CAN_SHOOT_OBSERVATION, this.canShoot.push(this.canShootFrame));
    front.write(obs);
  }

  override onActionReceived(action: AgentAction): void {
    const d = action.discrete;
    const [move, turn, shoot] = [d[0], d[1], d[2]];
    this.area.act(
      move === SnowballMove.forward ? 1 : move === SnowballMove.back ? -1 : 0,
      turn === SnowballTurn.right ? 1 : turn === SnowballTurn.left ? -1 : 0,
      shoot === SnowballShoot.yes,
    );
  }

  /** Keyboard when `manualInput` is set, else the scripted aim-and-shoot player. */
  override heuristic(out: AgentAction): void {
    const input = this.manualInput;
    if (!input) {
      aimingAction(this.area, out.discrete);
      return;
    }
    const move = input.move();
    const turn = input.turn();
    out.discrete[0] = move > 0 ? SnowballMove.forward : move < 0 ? SnowballMove.back : SnowballMove.none;
    out.discrete[1] = turn > 0 ? SnowballTurn.right : turn < 0 ? SnowballTurn.left : SnowballTurn.none;
    out.discrete[2] = input.shoot() ? SnowballShoot.yes : SnowballShoot.no;
  }

  /** +1 for every target hit since the last step, nothing else (course). */
  applyRules(): void {
    const hits = this.area.takeHits();
    if (hits > 0) this.addReward(hits * R.hitReward);
  }
}
