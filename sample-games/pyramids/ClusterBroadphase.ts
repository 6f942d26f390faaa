import { AABB, Body, Broadphase, type World } from 'cannon-es';

/** Bodies the broadphase treats as one group: one bounding box first, members only if it is hit. */
export interface BodyCluster {
  readonly bodies: readonly Body[];
  /**
   * Whether AABB queries (and so ray casts) see the members, even while they are out of the world:
   * a resting pyramid can leave the world to cost no physics and still be seen by the rays.
   */
  visible: boolean;
  /** Call after teleporting members between steps, so the cluster's box is recomputed. */
  invalidate(): void;
  /** The box around every member (recomputed at most once per world step). */
  bounds(): AABB;
}

/**
 * A broadphase for worlds where most bodies rest in clusters (the pyramids of an area):
 *
 * - collision pairs are searched only from awake dynamic bodies, so resting bodies cost nothing
 *   (cannon-es' SAPBroadphase still visits every sleeping pair, and NaiveBroadphase every pair);
 * - AABB queries, which every ray cast starts with, test a cluster's box before its members, so a
 *   ray far from a pyramid skips its 25 cubes at once.
 *
 * Bodies added to the world are tested one by one unless they belong to a cluster (addCluster).
 * The pairs found are the ones SAPBroadphase would find with bounding boxes, in a fixed order.
 */
export class ClusterBroadphase extends Broadphase {
  private readonly clusters: ClusterState[] = [];
  private readonly clustered = new Set<Body>();
  private loose: Body[] = [];
  private attachedTo: World | null = null;

  constructor() {
    super();
    this.useBoundingBoxes = true;
  }

  override setWorld(world: World): void {
    if (this.attachedTo) {
      this.attachedTo.removeEventListener('addBody', this.onAddBody);
      this.attachedTo.removeEventListener('removeBody', this.onRemoveBody);
    }
    super.setWorld(world);
    this.attachedTo = world;
    this.loose = world.bodies.filter((b) => !this.clustered.has(b));
    world.addEventListener('addBody', this.onAddBody);
    world.addEventListener('removeBody', this.onRemoveBody);
  }

  /** Groups bodies (in the world or not, but all together); each body may belong to one cluster only. */
  addCluster(bodies: readonly Body[]): BodyCluster {
    for (const b of bodies) {
      if (this.clustered.has(b)) throw new Error(`ClusterBroadphase.addCluster: body ${b.id} already belongs to a cluster`);
    }
    if (bodies.length === 0) throw new Error('ClusterBroadphase.addCluster: a cluster needs at least one body');
    for (const b of bodies) this.clustered.add(b);
    this.loose = this.loose.filter((b) => !this.clustered.has(b));
    const cluster = new ClusterState(bodies, () => this.attachedTo?.stepnumber ?? 0);
    this.clusters.push(cluster);
    return cluster;
  }

  override collisionPairs(world: World, p1: Body[], p2: Body[]): void {
    const bodies = world.bodies;
    for (let i = 0; i < bodies.length; i++) {
      const a = bodies[i]!;
      if (!isAwake(a)) continue;
      if (a.aabbNeedsUpdate) a.updateAABB();
      for (let k = 0; k < this.loose.length; k++) this.testPair(a, this.loose[k]!, p1, p2);
      for (let c = 0; c < this.clusters.length; c++) {
        const cluster = this.clusters[c]!;
        const members = cluster.bodies;
        if (members[0]!.world !== world || !cluster.bounds().overlaps(a.aabb)) continue;
        for (let k = 0; k < members.length; k++) this.testPair(a, members[k]!, p1, p2);
      }
    }
  }

  override aabbQuery(_world: World, aabb: AABB, result: Body[] = []): Body[] {
    for (let k = 0; k < this.loose.length; k++) {
      const b = this.loose[k]!;
      if (b.aabbNeedsUpdate) b.updateAABB();
      if (b.aabb.overlaps(aabb)) result.push(b);
    }
    for (let c = 0; c < this.clusters.length; c++) {
      const cluster = this.clusters[c]!;
      if (!cluster.visible || !cluster.bounds().overlaps(aabb)) continue;
      const members = cluster.bodies;
      for (let k = 0; k < members.length; k++) {
        const b = members[k]!;
        if (b.aabb.overlaps(aabb)) result.push(b);
      }
    }
    return result;
  }

  /** A pair is tested once: from the awake body with the lower index when both are awake. */
  private testPair(a: Body, b: Body, p1: Body[], p2: Body[]): void {
    if (b === a || b.world !== a.world) return;
    if (isAwake(b) && b.index < a.index) return;
    if (!this.needBroadphaseCollision(a, b)) return;
    this.doBoundingBoxBroadphase(a, b, p1, p2);
  }

  private readonly onAddBody = (event: { body: Body }): void => {
    if (!this.clustered.has(event.body)) this.loose.push(event.body);
  };

  private readonly onRemoveBody = (event: { body: Body }): void => {
    const i = this.loose.indexOf(event.body);
    if (i >= 0) this.loose.splice(i, 1);
  };
}

class ClusterState implements BodyCluster {
  readonly bodies: readonly Body[];
  visible = true;
  private readonly aabb = new AABB();
  private stamp = -1;
  private dirty = true;

  constructor(
    bodies: readonly Body[],
    private readonly stepNumber: () => number,
  ) {
    this.bodies = [...bodies];
  }

  invalidate(): void {
    this.dirty = true;
  }

  bounds(): AABB {
    const step = this.stepNumber();
    if (!this.dirty && this.stamp === step) return this.aabb;
    if (!this.dirty && !this.anyMoving()) {
      this.stamp = step;
      return this.aabb;
    }
    const box = this.aabb;
    box.lowerBound.set(Infinity, Infinity, Infinity);
    box.upperBound.set(-Infinity, -Infinity, -Infinity);
    for (const b of this.bodies) {
      if (b.aabbNeedsUpdate) b.updateAABB();
      box.extend(b.aabb);
    }
    this.stamp = step;
    this.dirty = false;
    return box;
  }

  /** Whether a member may have moved under physics: it is in a world and not asleep. */
  private anyMoving(): boolean {
    for (const b of this.bodies) {
      if (b.world !== null && b.type !== Body.STATIC && b.sleepState !== Body.SLEEPING) return true;
    }
    return false;
  }
}

function isAwake(b: Body): boolean {
  return b.type !== Body.STATIC && b.sleepState !== Body.SLEEPING;
}
