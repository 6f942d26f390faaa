/**
 * The numbers of SnowballTarget (Hugging Face Deep RL course, unit 5) and where each one comes
 * from. The course publishes the rules (course text), the trainer config and trained policies,
 * not the Unity scene, so the numbers fall in three groups:
 *
 * - course: stated in units/en/unit5/snowball-target.mdx: +1 per hit and nothing else, episodes
 *   of 1000 steps, a 0.5 s shot cooldown observed as a "can shoot" flag, ray casts, discrete
 *   actions.
 * - model: read off the course's trained policy (xenjin450_SnowballTarget.onnx, see
 *   README.md in this folder): the five inputs and their sizes, rays per sensor, tags per
 *   sensor, 3 stacked frames, the order of the action branches and which way each action goes.
 * - chosen: scene geometry the course does not publish (arena, speeds, sizes, ray angles and
 *   lengths); each is explained where it is declared, and none makes the task easier than the
 *   course's description: 1000 decisions, 0.5 s cooldown, one hit per target.
 */
import { checkBehaviorSpec, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { rayPerceptionObservationSpec, type RayPerceptionSettings } from '../../bridge/sensors/RayPerceptionSettings.js';

/** Tags the ray sensors report (Unity tags of the scene). */
export const SnowballTags = { target: 'target', wall: 'wall' } as const;

/** Physical and rule constants of one SnowballTarget arena (metres, seconds, degrees). */
export const snowballRules = {
  /** Reward per snowball that hits a target (course). */
  hitReward: 1,
  /** Seconds between two shots (course: "it needs to wait 0.5 seconds after a shoot"). */
  shotCooldown: 0.5,
  /**
   * Half the side of the square arena, inside its walls (chosen): 24 x 24 m. Every ray reaches a
   * wall (the course model has never seen a ray that hits nothing, see README.md), and a target
   * is often beyond a throw's range, so the bear has to walk ("place itself correctly").
   */
  arenaHalfSize: 12,
  /**
   * Targets standing at any time; a hit one is replaced at once elsewhere (chosen: with one
   * target the course's 200k-step ML-Agents policy scores 24-26 here, inside the course's "15 to
   * 30"; with two it scores 35, with three 50).
   */
  targetCount: 1,
  /** Radius of a target's round board; its centre is `targetHeight` above the snow (chosen). */
  targetRadius: 0.75,
  targetHeight: 1,
  /** New targets keep this far from the walls, from the bear and from each other (chosen). */
  targetWallMargin: 1.5,
  targetMinDistanceToBear: 3,
  targetMinSpacing: 2,
  /** The bear: a sphere for collisions, walking at `moveSpeed` m/s (chosen). */
  bearRadius: 0.5,
  moveSpeed: 3,
  /**
   * Degrees per second: ML-Agents' example agents turn at 200 deg/s (Transform.Rotate with
   * fixedDeltaTime * 200), and the course model does best at this speed (hits per episode with
   * two targets: 50 deg/s 15, 100 deg/s 27, 200 deg/s 35; with one: 200 deg/s 25, 300 deg/s 22).
   */
  turnSpeed: 200,
  /**
   * Snowballs (chosen): thrown from `launchHeight` at `launchSpeed` m/s, `launchAngle` degrees up,
   * falling under gravity. That reaches a target's board from any distance up to about 11.5 m
   * (where the ball comes down to the board's lower edge); farther throws fall short.
   */
  snowballRadius: 0.2,
  launchHeight: 1,
  launchSpeed: 15,
  launchAngle: 10,
  gravity: -9.81,
  /** A snowball melts after this long even if it touched nothing (chosen; a throw lands after ~0.75 s). */
  snowballLifetime: 3,
} as const;

/** Steps between decisions: ML-Agents' DecisionRequester default (the course does not say). */
export const SNOWBALL_DECISION_PERIOD = 5;

/** Simulated seconds per step: Unity's default fixed timestep. */
export const SNOWBALL_FIXED_DELTA_TIME = 0.02;

/** Decisions per episode (course: "1000 timesteps"): 5000 steps, 100 s. */
export const SNOWBALL_EPISODE_DECISIONS = 1000;

/** Stacked frames of every observation (model: each input is 3 frames of one sensor). */
export const SNOWBALL_STACKS = 3;

/**
 * The four ray sensors, in the order of the course model's inputs obs_0, obs_1, obs_2 and obs_4
 * (obs_3 is the can-shoot flag). Rays per sensor, floats per ray and 3 stacks are the model's
 * sizes; what each sensor looks for was found by running the course model in this game (see
 * README.md); angles are chosen. Rays are 40 m long so that every ray ends on a wall of the
 * 24 m arena (the course model never saw a ray that hits nothing), and thin (sphere casts of 0.5
 * scored the same with the course model at 5x the cost).
 */
export const snowballRaySensors = {
  /** obs_0: 3 rays looking backwards over +-45 degrees (1 tag: wall), 27 floats. */
  back: {
    name: 'back_rays',
    detectableTags: [SnowballTags.wall],
    raysPerDirection: 1,
    maxRayDegrees: 45,
    rayLength: 40,
    sphereCastRadius: 0,
    observationStacks: SNOWBALL_STACKS,
  },
  /** obs_1: 11 rays over +-90 degrees seeing targets (1 tag), 99 floats. */
  wide: {
    name: 'wide_target_rays',
    detectableTags: [SnowballTags.target],
    raysPerDirection: 5,
    maxRayDegrees: 90,
    rayLength: 40,
    sphereCastRadius: 0,
    observationStacks: SNOWBALL_STACKS,
  },
  /** obs_2: 11 rays over +-60 degrees seeing targets (1 tag), 99 floats. */
  targets: {
    name: 'target_rays',
    detectableTags: [SnowballTags.target],
    raysPerDirection: 5,
    maxRayDegrees: 60,
    rayLength: 40,
    sphereCastRadius: 0,
    observationStacks: SNOWBALL_STACKS,
  },
  /** obs_4: 11 rays over +-45 degrees seeing targets and walls (2 tags), 132 floats. */
  front: {
    name: 'front_rays',
    detectableTags: [SnowballTags.target, SnowballTags.wall],
    raysPerDirection: 5,
    maxRayDegrees: 45,
    rayLength: 40,
    sphereCastRadius: 0,
    observationStacks: SNOWBALL_STACKS,
  },
} as const satisfies Record<string, RayPerceptionSettings>;

/** Name of the stacked can-shoot observation (obs_3). */
export const CAN_SHOOT_OBSERVATION = 'can_shoot';

/** Discrete branches, in the course model's order. */
export const SnowballBranch = { move: 0, turn: 1, shoot: 2 } as const;
/** Branch 0 (model: the trained bear walks forward with 1). */
export const SnowballMove = { none: 0, forward: 1, back: 2 } as const;
/** Branch 1 (model: 1 turns toward a target seen on the right-hand rays, 2 toward the left). */
export const SnowballTurn = { none: 0, right: 1, left: 2 } as const;
/** Branch 2. */
export const SnowballShoot = { no: 0, yes: 1 } as const;

/**
 * The one behavior of SnowballTarget. Observations are in the order of the course model's inputs
 * (ML-Agents sorts sensors by name, which puts the stacked can-shoot vector fourth), so that a
 * policy exported from ML-Agents for the course runs here unchanged, and ours runs there.
 */
export const snowballTargetBehavior: BehaviorSpec = checkBehaviorSpec({
  name: 'SnowballTarget',
  observations: [
    rayPerceptionObservationSpec(snowballRaySensors.back),
    rayPerceptionObservationSpec(snowballRaySensors.wide),
    rayPerceptionObservationSpec(snowballRaySensors.targets),
    { name: CAN_SHOOT_OBSERVATION, shape: [SNOWBALL_STACKS], kind: 'vector' },
    rayPerceptionObservationSpec(snowballRaySensors.front),
  ],
  actions: { continuous: 0, discrete: [3, 3, 2] },
  teamCount: 1,
  maxStep: SNOWBALL_EPISODE_DECISIONS * SNOWBALL_DECISION_PERIOD,
});
