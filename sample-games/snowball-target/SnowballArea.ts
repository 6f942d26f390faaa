import { Body, GSSolver, Plane, Quaternion, Sphere, Vec3, World, type ContactEquation } from 'cannon-es';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { defaultTagRegistry } from '../../bridge/sensors/TagRegistry.js';
import { SNOWBALL_FIXED_DELTA_TIME, SnowballTags, snowballRules as R } from './behavior.js';

/** Collision groups: rays look only at targets and walls; snowballs never hit the bear or each other. */
export const SnowballGroup = { bear: 1, snowball: 2, target: 4, wall: 8 } as const;

const DEG = Math.PI / 180;
const UP = new Vec3(0, 1, 0);
const COOLDOWN_STEPS = Math.round(R.shotCooldown / SNOWBALL_FIXED_DELTA_TIME);
const LIFETIME_STEPS = Math.round(R.snowballLifetime / SNOWBALL_FIXED_DELTA_TIME);
// Enough for every snowball that can be in the air at once (one per cooldown for a lifetime).
const SNOWBALL_POOL = Math.ceil(R.snowballLifetime / R.shotCooldown) + 1;
// Rejection sampling for a free spawn point; the arena is large enough that this never runs out.
const SPAWN_ATTEMPTS = 200;

/** A snowball in the pool: its body, whether it flies, and its age in steps. */
export interface Snowball {
  readonly body: Body;
  flying: boolean;
  age: number;
}

/** A target: a static sphere the size of its board; `standing` is false between a hit and the respawn. */
export interface Target {
  readonly body: Body;
  standing: boolean;
}

/**
 * One SnowballTarget arena in a cannon-es world of its own: the bear, four walls (planes), the
 * targets and a pool of snowballs. A world per arena keeps an arena's episodes independent of its
 * neighbours and keeps the broadphase tiny (6 bodies and the snowballs in the air); there is no ground body because
 * the bear does not fall (it slides on its plane, y locked) and a snowball that reaches the snow
 * simply melts.
 */
export class SnowballArea {
  readonly world: World;
  readonly bear: Body;
  readonly walls: readonly Body[];
  readonly targets: readonly Target[];
  readonly snowballs: readonly Snowball[];
  /** Hits in the current episode (for the view's counter). */
  hits = 0;
  /** Shots in the current episode. */
  shots = 0;
  /** Steps until the bear can shoot again (0 = can shoot). */
  private cooldown = 0;
  /** Hits since the agent last read them with takeHits(). */
  private pendingHits = 0;
  private readonly heading = new Quaternion();
  private readonly scratch = new Vec3();

  constructor(private readonly rng: SeededRandom) {
    // Rays read tags from the default registry, as the agent's sensors do.
    const tags = defaultTagRegistry;
    this.world = new World({ gravity: new Vec3(0, R.gravity, 0) });
    // Throws and slides need no stacking accuracy; few iterations keep the step cheap.
    (this.world.solver as GSSolver).iterations = 4;
    this.world.defaultContactMaterial.friction = 0;
    this.world.defaultContactMaterial.restitution = 0;

    this.bear = new Body({
      mass: 1,
      shape: new Sphere(R.bearRadius),
      position: new Vec3(0, R.bearRadius, 0),
      fixedRotation: true,
      linearFactor: new Vec3(1, 0, 1),
      collisionFilterGroup: SnowballGroup.bear,
      collisionFilterMask: SnowballGroup.wall | SnowballGroup.target,
    });
    this.world.addBody(this.bear);

    const h = R.arenaHalfSize;
    // Plane normals (local +z) point into the arena.
    const wallPoses: [Vec3, Vec3, number][] = [
      [new Vec3(0, 0, -h), new Vec3(0, 1, 0), 0],
      [new Vec3(0, 0, h), new Vec3(0, 1, 0), 180],
      [new Vec3(-h, 0, 0), new Vec3(0, 1, 0), 90],
      [new Vec3(h, 0, 0), new Vec3(0, 1, 0), -90],
    ];
    this.walls = wallPoses.map(([position, axis, degrees]) => {
      const wall = new Body({
        type: Body.STATIC,
        shape: new Plane(),
        position,
        collisionFilterGroup: SnowballGroup.wall,
        collisionFilterMask: SnowballGroup.bear | SnowballGroup.snowball,
      });
      wall.quaternion.setFromAxisAngle(axis, degrees * DEG);
      tags.set(wall, SnowballTags.wall);
      this.world.addBody(wall);
      return wall;
    });

    this.targets = Array.from({ length: R.targetCount }, () => {
      const body = new Body({
        type: Body.STATIC,
        shape: new Sphere(R.targetRadius),
        collisionFilterGroup: SnowballGroup.target,
        collisionFilterMask: SnowballGroup.bear | SnowballGroup.snowball,
      });
      tags.set(body, SnowballTags.target);
      return { body, standing: false };
    });

    this.snowballs = Array.from({ length: SNOWBALL_POOL }, () => ({
      body: new Body({
        mass: 0.2,
        shape: new Sphere(R.snowballRadius),
        collisionFilterGroup: SnowballGroup.snowball,
        collisionFilterMask: SnowballGroup.target | SnowballGroup.wall,
      }),
      flying: false,
      age: 0,
    }));
  }

  /** Episode start: bear in the middle facing a random way, no snowballs, fresh targets, can shoot. */
  reset(): void {
    for (const s of this.snowballs) this.removeSnowball(s);
    for (const t of this.targets) this.removeTarget(t);
    this.bear.position.set(0, R.bearRadius, 0);
    this.bear.velocity.setZero();
    this.setHeading(this.rng.range(-180, 180));
    this.cooldown = 0;
    this.hits = 0;
    this.shots = 0;
    this.pendingHits = 0;
    for (const t of this.targets) this.spawnTarget(t);
  }

  /** Applies one step of the agent's choice: walk (-1, 0, 1), turn (-1 left, 0, 1 right), shoot. */
  act(move: number, turn: number, shoot: boolean): void {
    if (turn !== 0) this.setHeading(this.headingDegrees - turn * R.turnSpeed * SNOWBALL_FIXED_DELTA_TIME);
    this.forward(this.scratch);
    this.bear.velocity.set(this.scratch.x * move * R.moveSpeed, 0, this.scratch.z * move * R.moveSpeed);
    if (shoot && this.cooldown === 0) this.throwSnowball();
  }

  /** Advances physics by one fixed step, then scores hits and melts snowballs that landed. */
  step(): void {
    this.world.step(SNOWBALL_FIXED_DELTA_TIME);
    const contacts: readonly ContactEquation[] = this.world.contacts;
    for (let i = 0; i < contacts.length; i++) {
      const c = contacts[i]!;
      this.onContact(c.bi, c.bj);
      this.onContact(c.bj, c.bi);
    }
    for (const s of this.snowballs) {
      if (!s.flying) continue;
      s.age++;
      if (s.body.position.y <= R.snowballRadius || s.age >= LIFETIME_STEPS) this.removeSnowball(s);
    }
    for (const t of this.targets) if (!t.standing) this.spawnTarget(t);
    if (this.cooldown > 0) this.cooldown--;
  }

  /** Whether the bear may throw now (the observed can-shoot flag). */
  get canShoot(): boolean {
    return this.cooldown === 0;
  }

  /** Hits since the last call, for the agent's reward. */
  takeHits(): number {
    const n = this.pendingHits;
    this.pendingHits = 0;
    return n;
  }

  /** Heading in degrees about +y; 0 faces +z. */
  get headingDegrees(): number {
    const q = this.bear.quaternion;
    return (2 * Math.atan2(q.y, q.w)) / DEG;
  }

  /** The bear's forward direction on the ground plane (unit length). */
  forward(out: Vec3): Vec3 {
    return this.bear.quaternion.vmult(Vec3.UNIT_Z, out);
  }

  private setHeading(degrees: number): void {
    const wrapped = ((((degrees + 180) % 360) + 360) % 360) - 180;
    this.heading.setFromAxisAngle(UP, wrapped * DEG);
    this.bear.quaternion.copy(this.heading);
  }

  private throwSnowball(): void {
    const s = this.snowballs.find((b) => !b.flying);
    if (!s) return;
    const f = this.forward(this.scratch);
    const b = this.bear.position;
    const start = R.bearRadius + R.snowballRadius + 0.05;
    s.body.position.set(b.x + f.x * start, R.launchHeight, b.z + f.z * start);
    const horizontal = R.launchSpeed * Math.cos(R.launchAngle * DEG);
    s.body.velocity.set(f.x * horizontal, R.launchSpeed * Math.sin(R.launchAngle * DEG), f.z * horizontal);
    s.body.angularVelocity.setZero();
    s.flying = true;
    s.age = 0;
    this.world.addBody(s.body);
    this.cooldown = COOLDOWN_STEPS;
    this.shots++;
  }

  /** A flying snowball that touched a standing target scores once; touching anything melts it. */
  private onContact(a: Body, b: Body): void {
    const s = this.snowballs.find((x) => x.body === a && x.flying);
    if (!s) return;
    const t = this.targets.find((x) => x.body === b);
    if (t?.standing) {
      this.removeTarget(t);
      this.hits++;
      this.pendingHits++;
    }
    this.removeSnowball(s);
  }

  private removeSnowball(s: Snowball): void {
    if (!s.flying) return;
    s.flying = false;
    this.world.removeBody(s.body);
  }

  private removeTarget(t: Target): void {
    if (!t.standing) return;
    t.standing = false;
    this.world.removeBody(t.body);
  }

  private spawnTarget(t: Target): void {
    const limit = R.arenaHalfSize - R.targetWallMargin;
    const p = t.body.position;
    for (let attempt = 0; attempt < SPAWN_ATTEMPTS; attempt++) {
      p.set(this.rng.range(-limit, limit), R.targetHeight, this.rng.range(-limit, limit));
      if (this.isFreeSpot(t)) break;
    }
    t.body.aabbNeedsUpdate = true;
    t.standing = true;
    this.world.addBody(t.body);
  }

  private isFreeSpot(t: Target): boolean {
    const p = t.body.position;
    const bear = this.bear.position;
    if (Math.hypot(p.x - bear.x, p.z - bear.z) < R.targetMinDistanceToBear) return false;
    for (const other of this.targets) {
      if (other === t || !other.standing) continue;
      const q = other.body.position;
      if (Math.hypot(p.x - q.x, p.z - q.z) < R.targetMinSpacing + 2 * R.targetRadius) return false;
    }
    return true;
  }
}
