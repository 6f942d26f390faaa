import { AABB, Body, Box, Vec3, type World } from 'cannon-es';
import type { TagRegistry } from '../../bridge/sensors/TagRegistry.js';
import type { BodyCluster, ClusterBroadphase } from './ClusterBroadphase.js';
import { goalOffset, pyramidCubeOffsets, type Vec3Like } from './PyramidsLayout.js';
import { pyramidsRules as R, type PyramidsTag } from './behavior.js';

/** How a pyramid is built: the cubes' mass, tag and collision group, and the gold brick if any. */
export interface BrickPyramidOptions {
  readonly mass: number;
  readonly tag: PyramidsTag;
  readonly collisionGroup: number;
  /** Adds the 2 m gold brick (tag "goal") on top, as the switch's BrickPyramid prefab. */
  readonly withGoal: boolean;
}

/**
 * Where a pyramid's bodies are: `absent` (not in the episode), `dormant` (resting, out of the
 * physics world but seen by the rays), `live` (in the world, asleep or moving).
 */
export type PyramidState = 'absent' | 'dormant' | 'live';

/** A moving body wakes the sleeping bodies it touches above this speed (m/s). */
const WAKE_SPEED = 0.35;

/** A body falls asleep after moving slower than WAKE_SPEED / sqrt(2) for this long (s). */
const SLEEP_TIME = 0.4;

/** Bodies this close (m) above a body that wakes up rest on it. */
const NEIGHBOUR_MARGIN = 0.05;

// Unity's angular drag scales angular velocity by (1 - drag * dt) per step; cannon-es by (1 - d)^dt.
const angularDamping = (dt: number) => 1 - (1 - R.brickAngularDrag * dt) ** (1 / dt);

/**
 * One pyramid of an area: 25 one-metre cubes (and the gold brick) as dynamic bodies that topple
 * when pushed. The bodies are made once and reused; each episode places them again, settled.
 *
 * Cost is the point of the states: a resting pyramid is `dormant`, out of the world, so its 25
 * bodies cost nothing per step (cannon-es loops over every body of a world on every step, asleep
 * or not); the area makes it `live` just before something moving could reach it, and dormant again
 * once every body sleeps and nothing awake is near. Bodies sleep one by one, so a heap where one
 * brick still slides costs one brick; a body that wakes wakes everything resting on it.
 */
export class BrickPyramid {
  readonly bodies: readonly Body[];
  /** The gold brick, or null for a stone pyramid. */
  readonly goal: Body | null;
  private readonly cluster: BodyCluster;
  private where: PyramidState = 'absent';
  private wakingNeighbours = false;
  private readonly reach = new AABB();

  constructor(
    private readonly world: World,
    broadphase: ClusterBroadphase,
    tags: TagRegistry,
    options: BrickPyramidOptions,
    dt: number,
  ) {
    const make = (halfSize: number, mass: number, tag: PyramidsTag) => {
      const body = new Body({
        mass,
        shape: new Box(new Vec3(halfSize, halfSize, halfSize)),
        angularDamping: angularDamping(dt),
        collisionFilterGroup: options.collisionGroup,
        // cannon-es uses sleepSpeedLimit twice: a body sleeps after moving slower than it for
        // sleepTimeLimit, and wakes a sleeping body it touches when faster than sqrt(2) times it.
        // Resting stacks jitter at up to 0.3 m/s in cannon-es: with the default (0.1) they would
        // never sleep, and keep waking each other.
        allowSleep: true,
        sleepSpeedLimit: WAKE_SPEED / Math.SQRT2,
        sleepTimeLimit: SLEEP_TIME,
      });
      tags.set(body, tag);
      return body;
    };
    const cubes = pyramidCubeOffsets.map(() => make(R.brickSize / 2, options.mass, options.tag));
    this.goal = options.withGoal ? make(R.goalSize / 2, R.goalMass, 'goal') : null;
    this.bodies = this.goal ? [...cubes, this.goal] : cubes;
    this.cluster = broadphase.addCluster(this.bodies);
    this.cluster.visible = false;
    for (const b of this.bodies) b.addEventListener('wakeup', this.onWakeUp);
  }

  /** Where the pyramid's bodies are. */
  get state(): PyramidState {
    return this.where;
  }

  /** Whether the pyramid is part of the episode (dormant or live). */
  get present(): boolean {
    return this.where !== 'absent';
  }

  /** Whether every body sleeps (a dormant pyramid always does). */
  get asleep(): boolean {
    for (const b of this.bodies) if (b.sleepState !== Body.SLEEPING) return false;
    return true;
  }

  /** The box around every body. */
  bounds(): AABB {
    return this.cluster.bounds();
  }

  /** Puts the pyramid, settled and asleep, with its root at `root` (on the floor); it starts dormant. */
  place(root: Vec3Like): void {
    this.leaveWorld();
    const offsets = this.goal ? [...pyramidCubeOffsets, goalOffset] : pyramidCubeOffsets;
    this.bodies.forEach((b, i) => {
      const o = offsets[i]!;
      b.position.set(root.x + o.x, root.y + o.y, root.z + o.z);
      b.previousPosition.copy(b.position);
      b.interpolatedPosition.copy(b.position);
      b.quaternion.set(0, 0, 0, 1);
      b.previousQuaternion.set(0, 0, 0, 1);
      b.interpolatedQuaternion.set(0, 0, 0, 1);
      b.force.setZero();
      b.torque.setZero();
      b.aabbNeedsUpdate = true;
      b.sleep();
    });
    this.cluster.invalidate();
    this.cluster.visible = true;
    this.where = 'dormant';
  }

  /** Takes the pyramid out of the episode (PyramidArea.CleanPyramidArea destroys it). */
  remove(): void {
    this.leaveWorld();
    this.cluster.visible = false;
    this.where = 'absent';
  }

  /** Brings a dormant pyramid into the physics world, still asleep. */
  activate(): void {
    if (this.where !== 'dormant') return;
    for (const b of this.bodies) this.world.addBody(b);
    this.where = 'live';
  }

  /** Takes a live pyramid that sleeps out of the physics world. */
  deactivate(): void {
    if (this.where !== 'live' || !this.asleep) return;
    this.leaveWorld();
    this.where = 'dormant';
  }

  /**
   * A body woke up (touched by something moving): every sleeping body resting on it, directly or
   * through others, wakes with it. A sleeping body does not move and holds whatever lies on it, so
   * without this a cube knocked out in one step would leave the cubes above it floating, and the
   * gold brick would stay up when the agent rams the pyramid's base.
   */
  private readonly onWakeUp = (event: { target: Body }): void => {
    if (this.wakingNeighbours) return;
    this.wakingNeighbours = true;
    const queue: Body[] = [event.target];
    while (queue.length > 0) {
      const below = queue.pop()!;
      if (below.aabbNeedsUpdate) below.updateAABB();
      const m = NEIGHBOUR_MARGIN;
      const lo = below.aabb.lowerBound;
      const hi = below.aabb.upperBound;
      this.reach.lowerBound.set(lo.x - m, lo.y - m, lo.z - m);
      this.reach.upperBound.set(hi.x + m, hi.y + m, hi.z + m);
      for (const b of this.bodies) {
        if (b.sleepState !== Body.SLEEPING || b.position.y <= below.position.y) continue;
        if (b.aabbNeedsUpdate) b.updateAABB();
        if (!b.aabb.overlaps(this.reach)) continue;
        b.wakeUp();
        queue.push(b);
      }
    }
    this.wakingNeighbours = false;
  };

  private leaveWorld(): void {
    if (this.where !== 'live') return;
    for (const b of this.bodies) this.world.removeBody(b);
  }
}
