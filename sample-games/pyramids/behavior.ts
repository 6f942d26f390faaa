/**
 * The numbers of ML-Agents' Pyramids, each from its source: PyramidAgent.cs (actions, rewards,
 * observations, episode start), PyramidArea.cs (placement on the spawn cells), PyramidSwitch.cs,
 * Prefabs/AreaPB.prefab (agent Rigidbody mass 25, drag 2, rotation frozen, box 1 m; three
 * RayPerceptionSensorComponent3D; DecisionPeriod 5 with repeated actions; MaxStep 5000; switch box
 * 4 m), StonePyramid / BrickPyramid prefabs (25 one-metre cubes of mass 50 / 2, a 2 m gold brick of
 * mass 2 on the brick pyramid), ProjectSettings (gravity -9.81, fixed step 0.02 s), 16 areas.
 */
import type { RayPerceptionSettings } from '../../bridge/sensors/RayPerceptionSettings.js';
import { rayPerceptionObservationSpec } from '../../bridge/sensors/RayPerceptionSettings.js';
import { checkBehaviorSpec, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** Simulated seconds per step (Unity's fixed timestep in the ML-Agents project). */
export const PYRAMIDS_FIXED_DELTA_TIME = 0.02;

/** Steps between decisions (the DecisionRequester on the Pyramids agent). */
export const PYRAMIDS_DECISION_PERIOD = 5;

/** Areas in ML-Agents' Pyramids scene. */
export const PYRAMIDS_SCENE_AREAS = 16;

/** Custom stat of each finished episode: 1 when the agent pressed the switch, else 0. */
export const PYRAMIDS_SWITCH_STAT = 'Pyramids/Switch Pressed';

/** Physical and rule constants of one Pyramids area. */
export const pyramidsRules = {
  gravity: -9.81,
  /** Unity's default physic material (friction 0.6, no bounce); no collider in the scene sets another. */
  friction: 0.6,
  restitution: 0,
  maxStep: 5000,
  /** SetReward(2) on touching the gold brick; the episode ends. */
  goalReward: 2,
  agentSize: 1,
  agentMass: 25,
  /** Rigidbody.drag of the agent: PhysX scales velocity by (1 - drag * dt) every step. */
  agentDrag: 2,
  /** AddForce(forward * 2, VelocityChange) on every step the move action is held. */
  moveVelocityChange: 2,
  /** transform.Rotate(up, Time.deltaTime * 200): degrees per step while a turn action is held. */
  turnDegreesPerStep: 200 * PYRAMIDS_FIXED_DELTA_TIME,
  /** PlaceObject drops every object at this height above its spawn cell. */
  spawnHeight: 2,
  /** PlaceObject spreads objects over +-(cell scale / 2.1) around a spawn cell's centre. */
  spawnCellScale: 25,
  spawnSpreadDivisor: 2.1,
  /** The switch's box collider (400 units at scale 0.01), resting on the floor. */
  switchSize: 4,
  brickSize: 1,
  stoneMass: 50,
  brickMass: 2,
  goalSize: 2,
  goalMass: 2,
  /** Rigidbody.angularDrag of every brick and stone. */
  brickAngularDrag: 0.05,
} as const;

/**
 * Tags a ray can report, in ML-Agents' DetectableTags order: block (a brick of the switch's
 * pyramid), wall, goal (the gold brick), switchOff, switchOn, stone (a decoy pyramid's cube).
 */
export const PYRAMIDS_TAGS = ['block', 'wall', 'goal', 'switchOff', 'switchOn', 'stone'] as const;

/** A tag of PYRAMIDS_TAGS. */
export type PyramidsTag = (typeof PYRAMIDS_TAGS)[number];

const raySettings = (name: string, maxRayDegrees: number, endVerticalOffset: number): RayPerceptionSettings => ({
  name,
  detectableTags: PYRAMIDS_TAGS,
  raysPerDirection: 3,
  maxRayDegrees,
  sphereCastRadius: 0.5,
  rayLength: 35,
  startVerticalOffset: 0,
  endVerticalOffset,
  observationStacks: 1,
});

/**
 * The agent's three ray sensors, named as in AreaPB.prefab. ML-Agents sorts an agent's sensors by
 * name (Agent.InitializeSensors), so these become obs_0, obs_1 and obs_2 of its ONNX models and
 * the vector observation ("VectorSensor_size4") comes last, as obs_3.
 */
export const pyramidsRaySensors: readonly RayPerceptionSettings[] = [
  raySettings('RayPerceptionSensor', 70, 0),
  raySettings('RayPerceptionSensor1', 65, 5),
  raySettings('RayPerceptionSensor2', 75, 10),
];

/** Name of the vector observation: switch state, then the agent's velocity in its own frame. */
export const PYRAMIDS_VECTOR_OBSERVATION = 'VectorSensor_size4';

/** The discrete actions of the one branch, numbered as PyramidAgent.MoveAgent reads them. */
export const PyramidsAction = {
  nothing: 0,
  forward: 1,
  back: 2,
  turnRight: 3,
  turnLeft: 4,
} as const;

/** The Pyramids behavior: 3 x 56 ray floats + 4 vector floats = 172, one branch of 5 actions. */
export const pyramidsBehavior: BehaviorSpec = checkBehaviorSpec({
  name: 'Pyramids',
  observations: [
    ...pyramidsRaySensors.map(rayPerceptionObservationSpec),
    { name: PYRAMIDS_VECTOR_OBSERVATION, shape: [4], kind: 'vector' },
  ],
  actions: { continuous: 0, discrete: [5] },
  teamCount: 1,
  maxStep: pyramidsRules.maxStep,
});
