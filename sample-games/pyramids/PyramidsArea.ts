import { AABB, Body, Box, GSSolver, Plane, Quaternion, Vec3, World } from 'cannon-es';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { TagRegistry } from '../../bridge/sensors/TagRegistry.js';
import { useClosedFormBoxProjection } from './BoxSeparatingAxis.js';
import { BrickPyramid } from './BrickPyramid.js';
import { ClusterBroadphase } from './ClusterBroadphase.js';
import { fromUnity, spawnCellCentres, wallColliders, type Vec3Like } from './PyramidsLayout.js';
import { PYRAMIDS_FIXED_DELTA_TIME, PyramidsAction, pyramidsRules as R } from './behavior.js';

/**
 * Collision groups of an area's bodies. Everything collides with everything; the groups let the
 * ray sensors skip what they must not see: the agent itself, and the floor, which Unity's sphere
 * casts never report because a 0.5 m sphere at the agent's centre (0.5 m up) already touches it.
 */
export const PyramidsGroup = {
  floor: 1,
  wall: 2,
  agent: 4,
  switch: 8,
  stone: 16,
  brick: 32,
} as const;

/** What the agent's rays may hit. */
export const PYRAMIDS_RAY_MASK = PyramidsGroup.wall | PyramidsGroup.switch | PyramidsGroup.stone | PyramidsGroup.brick;

/** Stone pyramids per area (PyramidAgent.OnEpisodeBegin fills the six cells left over). */
export const STONE_PYRAMIDS = 6;

/** A dormant pyramid joins the world when a moving body could come this close (m) within two steps. */
const WAKE_MARGIN = 0.5;
/** A sleeping pyramid leaves the world when no moving body could come this close (m) within two steps. */
const DORMANT_MARGIN = 1.5;

/** Contact points cannon-es makes for a box resting on a face. */
const CONTACTS_PER_FACE = 4;

const UP = new Vec3(0, 1, 0);
const FORWARD = new Vec3(0, 0, 1);
const DEG = Math.PI / 180;

// PhysX scales velocity by (1 - drag * dt) per step; cannon-es by (1 - damping)^dt.
const unityDrag = (drag: number, dt: number) => 1 - (1 - drag * dt) ** (1 / dt);

/**
 * One Pyramids area in a cannon-es world of its own: walls, the agent, the switch, six stone
 * pyramids and the switch's brick pyramid with the gold brick. Areas never touch each other, and an
 * area's episodes depend only on its own random generator and actions.
 */
export class PyramidsArea {
  readonly world: World;
  readonly agent: Body;
  /** The switch: static (its Rigidbody only falls to the floor and is frozen in x and z). */
  readonly switchBody: Body;
  readonly stonePyramids: readonly BrickPyramid[];
  /** The pyramid the switch makes, with the gold brick; out of the world until the switch is pressed. */
  readonly brickPyramid: BrickPyramid;
  /** PyramidSwitch.GetState(): whether the switch was touched this episode. */
  switchOn = false;
  /** Whether the agent touched the gold brick during the last step. */
  goalTouched = false;

  private pyramidCell = 0;
  private readonly pyramids: readonly BrickPyramid[];
  private readonly turn = new Quaternion();
  private readonly dir = new Vec3();
  private readonly reach = new AABB();

  constructor(
    private readonly rng: SeededRandom,
    private readonly tags: TagRegistry,
  ) {
    const dt = PYRAMIDS_FIXED_DELTA_TIME;
    const broadphase = new ClusterBroadphase();
    this.world = new World({ gravity: new Vec3(0, R.gravity, 0), allowSleep: true, broadphase });
    (this.world.solver as GSSolver).iterations = 10;
    this.world.defaultContactMaterial.friction = R.friction;
    // cannon-es bounds the friction impulse of every contact point in one step by
    // friction * |frictionGravity| * mass: a force where an impulse is due. Scaling the "gravity"
    // it reads by dt / 4 (a box face rests on 4 contact points) gives Coulomb's mu * m * g * dt per
    // step, as PhysX has; with the default the agent could not slide at all.
    this.world.frictionGravity = new Vec3(0, (R.gravity * dt) / CONTACTS_PER_FACE, 0);
    this.world.defaultContactMaterial.restitution = R.restitution;

    const floor = new Body({ type: Body.STATIC, shape: new Plane(), collisionFilterGroup: PyramidsGroup.floor });
    floor.quaternion.setFromAxisAngle(new Vec3(1, 0, 0), -Math.PI / 2);
    floor.aabbNeedsUpdate = true;
    this.world.addBody(floor);
    for (const wall of wallColliders) {
      const body = new Body({
        type: Body.STATIC,
        shape: new Box(new Vec3(wall.size.x / 2, wall.size.y / 2, wall.size.z / 2)),
        position: new Vec3(wall.center.x, wall.center.y, wall.center.z),
        collisionFilterGroup: PyramidsGroup.wall,
      });
      tags.set(body, 'wall');
      this.world.addBody(body);
    }

    const half = R.agentSize / 2;
    this.agent = new Body({
      mass: R.agentMass,
      shape: new Box(new Vec3(half, half, half)),
      fixedRotation: true,
      linearDamping: unityDrag(R.agentDrag, dt),
      allowSleep: false,
      collisionFilterGroup: PyramidsGroup.agent,
    });
    tags.set(this.agent, 'agent');
    this.world.addBody(this.agent);

    const s = R.switchSize / 2;
    this.switchBody = new Body({ type: Body.STATIC, shape: new Box(new Vec3(s, s, s)), collisionFilterGroup: PyramidsGroup.switch });
    this.world.addBody(this.switchBody);

    this.stonePyramids = Array.from(
      { length: STONE_PYRAMIDS },
      () => new BrickPyramid(this.world, broadphase, tags, { mass: R.stoneMass, tag: 'stone', collisionGroup: PyramidsGroup.stone, withGoal: false }, dt),
    );
    this.brickPyramid = new BrickPyramid(this.world, broadphase, tags, { mass: R.brickMass, tag: 'block', collisionGroup: PyramidsGroup.brick, withGoal: true }, dt);
    this.pyramids = [...this.stonePyramids, this.brickPyramid];
    for (const body of [...this.world.bodies, ...this.pyramids.flatMap((p) => p.bodies)]) {
      for (const shape of body.shapes) if (shape instanceof Box) useClosedFormBoxProjection(shape);
    }
  }

  /**
   * PyramidAgent.OnEpisodeBegin: the nine spawn cells shuffled over the agent, the switch, the
   * brick pyramid's slot and six stone pyramids; each object at a random spot of its cell, the
   * agent 2 m up (it drops to the floor), facing a random whole number of degrees, at rest.
   */
  reset(): void {
    const cells = this.rng.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    this.brickPyramid.remove();

    const a = this.spawnPoint(cells[0]!, R.spawnHeight);
    this.agent.position.set(a.x, a.y, a.z);
    this.agent.velocity.setZero();
    this.agent.angularVelocity.setZero();
    this.agent.force.setZero();
    // Quaternion.Euler(0, deg, 0) turns right by deg in Unity: a negative angle in this frame.
    this.agent.quaternion.setFromAxisAngle(UP, -this.rng.int(360) * DEG);
    this.agent.aabbNeedsUpdate = true;

    const sw = this.spawnPoint(cells[1]!, R.switchSize / 2);
    this.switchBody.position.set(sw.x, sw.y, sw.z);
    this.switchBody.aabbNeedsUpdate = true;
    this.switchOn = false;
    this.tags.set(this.switchBody, 'switchOff');
    this.pyramidCell = cells[2]!;
    this.goalTouched = false;

    this.stonePyramids.forEach((p, i) => p.place(this.spawnPoint(cells[3 + i]!, 0)));
  }

  /** PyramidAgent.MoveAgent for one step: a velocity change along the facing, or a turn. */
  moveAgent(action: number): void {
    switch (action) {
      case PyramidsAction.forward:
      case PyramidsAction.back: {
        this.agent.quaternion.vmult(FORWARD, this.dir);
        const dv = action === PyramidsAction.forward ? R.moveVelocityChange : -R.moveVelocityChange;
        this.agent.velocity.addScaledVector(dv, this.dir, this.agent.velocity);
        break;
      }
      case PyramidsAction.turnRight:
      case PyramidsAction.turnLeft: {
        const degrees = action === PyramidsAction.turnRight ? -R.turnDegreesPerStep : R.turnDegreesPerStep;
        this.turn.setFromAxisAngle(UP, degrees * DEG);
        this.agent.quaternion.mult(this.turn, this.agent.quaternion);
        this.agent.quaternion.normalize();
        break;
      }
      default:
        break;
    }
  }

  /** Advances the physics one step, then applies PyramidSwitch's rule and notes a touch of the gold brick. */
  step(dt: number): void {
    this.wakeDormantPyramids(dt);
    this.world.step(dt);
    let touchedSwitch = false;
    this.goalTouched = false;
    const goal = this.brickPyramid.present ? this.brickPyramid.goal : null;
    for (const c of this.world.contacts) {
      const other = c.bi === this.agent ? c.bj : c.bj === this.agent ? c.bi : null;
      if (other === null) continue;
      if (other === this.switchBody) touchedSwitch = true;
      else if (other === goal) this.goalTouched = true;
    }
    if (touchedSwitch && !this.switchOn) this.pressSwitch();
    this.retireSleepingPyramids(dt);
  }

  /** Brings into the world every dormant pyramid a moving body may touch during the next step. */
  private wakeDormantPyramids(dt: number): void {
    const bodies = this.world.bodies;
    for (let i = 0, n = bodies.length; i < n; i++) {
      const b = bodies[i]!;
      if (!this.sweep(b, dt, WAKE_MARGIN)) continue;
      for (const p of this.pyramids) {
        if (p.state === 'dormant' && p.bounds().overlaps(this.reach)) p.activate();
      }
    }
  }

  /** Takes out of the world every sleeping pyramid no moving body is near. */
  private retireSleepingPyramids(dt: number): void {
    for (const p of this.pyramids) {
      if (p.state !== 'live' || !p.asleep) continue;
      const bounds = p.bounds();
      let near = false;
      for (const b of this.world.bodies) {
        if (this.sweep(b, dt, DORMANT_MARGIN) && bounds.overlaps(this.reach)) {
          near = true;
          break;
        }
      }
      if (!near) p.deactivate();
    }
  }

  /** For a moving body, sets `reach` to its box grown by two steps of travel and `margin`; false for resting bodies. */
  private sweep(b: Body, dt: number, margin: number): boolean {
    if (b.type === Body.STATIC || b.sleepState === Body.SLEEPING) return false;
    if (b.aabbNeedsUpdate) b.updateAABB();
    const grow = margin + 2 * dt * b.velocity.length();
    this.reach.lowerBound.set(b.aabb.lowerBound.x - grow, b.aabb.lowerBound.y - grow, b.aabb.lowerBound.z - grow);
    this.reach.upperBound.set(b.aabb.upperBound.x + grow, b.aabb.upperBound.y + grow, b.aabb.upperBound.z + grow);
    return true;
  }

  /** PyramidSwitch.OnCollisionEnter with the agent: on, and a brick pyramid in the slot cell. */
  pressSwitch(): void {
    this.switchOn = true;
    this.tags.set(this.switchBody, 'switchOn');
    this.brickPyramid.place(this.spawnPoint(this.pyramidCell, 0));
  }

  /** The agent's velocity in its own frame as Unity reports it: (right, up, forward). */
  localVelocity(out: Vec3): Vec3 {
    this.agent.vectorToLocalFrame(this.agent.velocity, out);
    out.x = 0 - out.x; // not -out.x: no negative zero in observations
    return out;
  }

  /** Index (0..8) of the spawn cell the brick pyramid appears in when the switch is pressed. */
  get pyramidSlotCell(): number {
    return this.pyramidCell;
  }

  /** PyramidArea.PlaceObject: a random spot within +-(25 / 2.1) of a cell's centre, `height` up. */
  private spawnPoint(cell: number, height: number): Vec3Like {
    const range = R.spawnCellScale / R.spawnSpreadDivisor;
    const centre = spawnCellCentres[cell]!;
    const offset = fromUnity(this.rng.range(-range, range), height, this.rng.range(-range, range));
    return { x: centre.x + offset.x, y: offset.y, z: centre.z + offset.z };
  }
}
