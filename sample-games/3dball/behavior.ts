/**
 * The numbers of ML-Agents' 3DBall, each from its source: Ball3DAgent.cs (observations, action
 * scaling, tilt clamp, fall conditions, rewards, episode start), Prefabs/3DBall.prefab (agent cube
 * 5 x 5 x 5, ball radius 0.5 mass 1 drag 0 angular drag 0.01, DecisionPeriod 5 with repeated
 * actions, MaxStep 5000), ProjectSettings (gravity -9.81, fixed step 0.02 s), 12 areas in the scene.
 */
import { checkBehaviorSpec, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** Physical and rule constants of one 3DBall area. */
export const ball3DRules = {
  /** Side of the agent cube (Unity: BoxCollider 1 scaled by 5); the ball rests on its top face. */
  platformSize: 5,
  ballRadius: 0.5,
  ballMass: 1,
  gravity: -9.81,
  /** Unity Rigidbody drag 0 and angular drag 0.01 of the ball. */
  ballLinearDamping: 0,
  ballAngularDamping: 0.01,
  /**
   * The ball's physic material is not in the public sources; Unity's default material (friction
   * 0.6, no bounce) is used, which lets the ball roll rather than slide, as in the scene.
   */
  friction: 0.6,
  restitution: 0,
  /** Degrees of rotation per step for an action of 1 (`2f * Mathf.Clamp(action, -1, 1)`). */
  degreesPerStep: 2,
  /** Rotation stops growing once the quaternion's z or x component passes this (about 29 degrees). */
  tiltQuaternionLimit: 0.25,
  /** Episode start: tilt about x, then z, uniform in this many degrees either way. */
  initialTiltDegrees: 10,
  /** Episode start: ball dropped at this height above the cube's centre, x and z uniform in +-1.5. */
  dropHeight: 4,
  dropSpread: 1.5,
  /** The ball is lost below this height relative to the cube's centre or beyond this x/z distance. */
  fallDepth: -2,
  fallDistance: 3,
  aliveReward: 0.1,
  fallReward: -1,
} as const;

/** Steps between decisions (ML-Agents' DecisionRequester on the 3DBall agent). */
export const BALL3D_DECISION_PERIOD = 5;

/** Simulated seconds per step (Unity's fixed timestep in the ML-Agents project). */
export const BALL3D_FIXED_DELTA_TIME = 0.02;

/** Areas in ML-Agents' 3DBall scene. */
export const BALL3D_SCENE_AREAS = 12;

/** The one behavior of 3DBall: observation order exactly as Ball3DAgent.CollectObservations. */
export const ball3DBehavior: BehaviorSpec = checkBehaviorSpec({
  name: '3DBall',
  observations: [
    {
      // rotation.z, rotation.x (quaternion components), ball - platform (x, y, z), ball velocity (x, y, z)
      name: 'platform_and_ball',
      shape: [8],
      kind: 'vector',
    },
  ],
  actions: { continuous: 2, discrete: [] },
  teamCount: 1,
  maxStep: 5000,
});
