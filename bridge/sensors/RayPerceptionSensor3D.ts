/**
 * ML-Agents' RayPerceptionSensorComponent3D on a cannon-es world.
 *
 * Output per ray, rays in ML-Agents' order (see rayAngles): (numTags + 2) floats = one-hot of the
 * hit object's tag among `detectableTags`, then 1 if the ray hit nothing (0 if it hit anything,
 * tagged or not), then the hit fraction (travelled distance / ray length, 1 on a miss). With
 * `observationStacks` > 1 the last results are stacked oldest first, as ML-Agents' StackingSensor.
 *
 * Frame: the sensor sits on `body` (optionally moved by `localPosition` / `localRotation`); local
 * +y is up and local +z is forward, the direction three.js' Object3D.lookAt and getWorldDirection
 * use, so local -x is the agent's right (this is a right-handed mirror of Unity's left-handed frame:
 * ray 1, at 90 - delta degrees, is on the agent's right in both).
 *
 * Sphere casts: cannon-es only casts rays. With `sphereCastRadius` r > 0 the swept sphere is
 * approximated by five parallel rays from points of the sphere (its front point and four points of
 * its rim around the ray); the hit distance is how far the sphere's center moved until one of
 * them touched something, which matches Unity's SphereCast for faces and convex objects at least
 * as wide as r. Objects narrower than r that pass between the samples are missed; set r = 0 for
 * plain rays (one cast per ray, 5x cheaper).
 * Where every body within reach of a cast is made of boxes, the five rays go through BoxRayCaster
 * (one broadphase query, slab tests; the same hits as cannon-es' rays); anything else is cast by
 * cannon-es.
 *
 * The agent's own `body` (and `ignoreBodies`) never block its rays. Rays starting inside an object
 * do not see it (back faces are skipped), as in Unity. Triggers (collisionResponse = false) are
 * hit unless `hitTriggers` is false, Unity's default `queriesHitTriggers`. cannon-es updates a
 * body's bounding box when it moves under physics; after teleporting a static body by hand, set
 * its `aabbNeedsUpdate = true` or rays may miss it.
 */
import { Quaternion, RAY_MODES, Ray, RaycastResult, Vec3, type Body, type Shape, type World } from 'cannon-es';
import type { AIController } from '../agent/AIController.js';
import type { ObservationWriter } from '../agent/ObservationWriter.js';
import type { ObservationSpec } from '../spec/BehaviorSpec.js';
import { BoxRayCaster } from './BoxRayCaster.js';
import { ObservationStack } from './ObservationStack.js';
import {
  floatsPerRay,
  rayAngles,
  rayPerceptionObservationSpec,
  resolveRayPerceptionSettings,
  type RayPerceptionSettings,
  type ResolvedRayPerceptionSettings,
} from './RayPerceptionSettings.js';
import { defaultTagRegistry, type TagRegistry } from './TagRegistry.js';

/** Where a sensor lives: the physics world, the body it is attached to, and how hits are tagged. */
export interface RayPerceptionSensorOptions extends RayPerceptionSettings {
  readonly world: World;
  /** The agent's body: rays start from it and never hit it. */
  readonly body: Body;
  /** Tags of the bodies the rays can hit; default: the shared defaultTagRegistry. */
  readonly tags?: TagRegistry;
  /** More bodies the rays pass through (e.g. the agent's other parts). */
  readonly ignoreBodies?: readonly Body[];
  /** Sensor position in the body's frame; default the body's origin. */
  readonly localPosition?: { x: number; y: number; z: number };
  /** Sensor rotation in the body's frame (e.g. half a turn about y for rays looking backwards). */
  readonly localRotation?: { x: number; y: number; z: number; w: number };
  /** Only bodies whose collisionFilterGroup is in this mask are hit (Unity's RayLayerMask); default all. */
  readonly collisionFilterMask?: number;
  /** Whether rays hit bodies and shapes with collisionResponse = false; default true. */
  readonly hitTriggers?: boolean;
  /** When given, the stacked history is cleared whenever this agent starts a new episode (ML-Agents resets sensors on episode end). */
  readonly agent?: AIController;
}

/** The last cast of one ray, for debug drawing (all points in world space, reused between casts). */
export interface RayCastInfo {
  readonly start: Vec3;
  readonly end: Vec3;
  /** Where the swept center stopped: start + (end - start) * hitFraction. */
  readonly hitPoint: Vec3;
  hasHit: boolean;
  hitFraction: number;
  /** Index in detectableTags, -1 when nothing or an undetectable object was hit. */
  hitTagIndex: number;
  hitBody: Body | null;
}

const UP = new Vec3(0, 1, 0);
const FORWARD = new Vec3(0, 0, 1);

/** Ray perception on a cannon-es world with ML-Agents' output layout, ray order and stacking. */
export class RayPerceptionSensor3D {
  readonly settings: ResolvedRayPerceptionSettings;
  /** The observation this sensor writes; use it in the behavior spec instead of repeating sizes. */
  readonly observationSpec: ObservationSpec;
  /** The rays of the last perceive(), in output order. */
  readonly rays: readonly RayCastInfo[];

  private readonly world: World;
  private readonly body: Body;
  private readonly tags: TagRegistry;
  private readonly ignored: ReadonlySet<Body>;
  private readonly localPosition: Vec3;
  private readonly localRotation: Quaternion;
  private readonly tagIndex: ReadonlyMap<string, number>;
  private readonly localEnds: Float64Array;
  private readonly frame: Float32Array;
  private readonly stack: ObservationStack | null;
  private readonly agent: AIController | undefined;
  private lastEpisode = -1;

  // Scratch state reused by every cast so that perceiving allocates nothing of its own.
  private readonly ray = new Ray();
  private readonly rayResult = new RaycastResult();
  private readonly castOptions: {
    mode: typeof RAY_MODES.ALL;
    from: Vec3;
    to: Vec3;
    result: RaycastResult;
    skipBackfaces: boolean;
    collisionFilterMask: number;
    checkCollisionResponse: boolean;
    callback: (r: RaycastResult) => void;
  };
  private bestDistance = Infinity;
  private bestBody: Body | null = null;
  private bestShape: Shape | null = null;
  private readonly sensorPos = new Vec3();
  private readonly sensorQuat = new Quaternion();
  private readonly tmp = new Vec3();
  private readonly dir = new Vec3();
  private readonly side = new Vec3();
  private readonly lift = new Vec3();
  private readonly up = new Vec3();
  private readonly from = new Vec3();
  private readonly to = new Vec3();
  /** Start points of the cast's parallel rays (x, y, z each): one, or five for a sphere cast. */
  private readonly origins = new Float64Array(15);
  private readonly boxes: BoxRayCaster;

  constructor(options: RayPerceptionSensorOptions) {
    this.settings = resolveRayPerceptionSettings(options);
    const where = `RayPerceptionSensor3D '${this.settings.name}'`;
    if (!options.world || !Array.isArray((options.world as World).bodies)) {
      throw new Error(`${where}: options.world must be the cannon-es World to cast in`);
    }
    // Duck-typed rather than instanceof: a page may load cannon-es twice (ESM and CommonJS copies).
    const body = options.body as Partial<Body> | undefined;
    if (!body || !Array.isArray(body.shapes) || typeof body.quaternion?.vmult !== 'function' || typeof body.position?.vadd !== 'function') {
      throw new Error(`${where}: options.body must be the agent's cannon-es Body`);
    }
    this.world = options.world;
    this.body = options.body;
    this.tags = options.tags ?? defaultTagRegistry;
    this.ignored = new Set([options.body, ...(options.ignoreBodies ?? [])]);
    const lp = options.localPosition;
    this.localPosition = new Vec3(lp?.x ?? 0, lp?.y ?? 0, lp?.z ?? 0);
    const lr = options.localRotation;
    this.localRotation = new Quaternion(lr?.x ?? 0, lr?.y ?? 0, lr?.z ?? 0, lr?.w ?? 1).normalize();
    this.agent = options.agent;
    this.observationSpec = rayPerceptionObservationSpec(this.settings);
    this.tagIndex = new Map(this.settings.detectableTags.map((t, i) => [t, i]));

    const s = this.settings;
    const angles = rayAngles(s.raysPerDirection, s.maxRayDegrees);
    this.localEnds = new Float64Array(angles.length * 3);
    angles.forEach((deg, i) => {
      const rad = (deg * Math.PI) / 180;
      // Unity: (cos, 0, sin) with +x right; here right is -x (see the header).
      this.localEnds[3 * i] = -s.rayLength * Math.cos(rad);
      this.localEnds[3 * i + 1] = s.endVerticalOffset;
      this.localEnds[3 * i + 2] = s.rayLength * Math.sin(rad);
    });
    this.rays = Array.from(angles, () => ({
      start: new Vec3(),
      end: new Vec3(),
      hitPoint: new Vec3(),
      hasHit: false,
      hitFraction: 1,
      hitTagIndex: -1,
      hitBody: null,
    }));
    this.frame = new Float32Array(floatsPerRay(s) * angles.length);
    this.stack = s.observationStacks > 1 ? new ObservationStack(this.frame.length, s.observationStacks) : null;

    this.boxes = new BoxRayCaster(this.world, {
      ignored: this.ignored,
      collisionFilterMask: options.collisionFilterMask ?? -1,
      checkCollisionResponse: !(options.hitTriggers ?? true),
    });
    this.castOptions = {
      mode: RAY_MODES.ALL,
      from: this.from,
      to: this.to,
      result: this.rayResult,
      skipBackfaces: true,
      collisionFilterMask: options.collisionFilterMask ?? -1,
      checkCollisionResponse: !(options.hitTriggers ?? true),
      callback: (r) => {
        if (r.distance < this.bestDistance && r.body && !this.ignored.has(r.body)) {
          this.bestDistance = r.distance;
          this.bestBody = r.body;
          this.bestShape = r.shape;
        }
      },
    };
  }

  /** Casts every ray now and returns the observation (stacked when observationStacks > 1); the array is reused. */
  perceive(): Float32Array {
    if (this.agent && this.agent.completedEpisodes !== this.lastEpisode) {
      this.lastEpisode = this.agent.completedEpisodes;
      this.stack?.reset();
    }
    const s = this.settings;
    const numTags = s.detectableTags.length;
    const width = numTags + 2;
    this.body.quaternion.vmult(this.localPosition, this.sensorPos);
    this.sensorPos.vadd(this.body.position, this.sensorPos);
    this.body.quaternion.mult(this.localRotation, this.sensorQuat);
    this.frame.fill(0);

    for (let i = 0; i < this.rays.length; i++) {
      const info = this.rays[i] as RayCastInfo;
      this.tmp.set(0, s.startVerticalOffset, 0);
      this.toWorld(this.tmp, info.start);
      this.tmp.set(this.localEnds[3 * i]!, this.localEnds[3 * i + 1]!, this.localEnds[3 * i + 2]!);
      this.toWorld(this.tmp, info.end);

      info.end.vsub(info.start, this.dir);
      // With vertical offsets the cast is longer than rayLength; ML-Agents divides by this length too.
      const length = this.dir.length();
      const travel = length > 0 ? this.sweep(info.start, length) : -1;
      const hit = travel >= 0;
      const fraction = hit ? (length > 0 ? Math.min(1, travel / length) : 0) : 1;

      info.hasHit = hit;
      info.hitFraction = fraction;
      info.hitBody = hit ? this.bestBody : null;
      info.hitTagIndex = -1;
      if (hit) {
        const tag = this.tags.tagOf(this.bestBody, this.bestShape);
        info.hitTagIndex = tag === undefined ? -1 : (this.tagIndex.get(tag) ?? -1);
      }
      info.end.vsub(info.start, this.tmp);
      info.start.addScaledVector(fraction, this.tmp, info.hitPoint);

      const at = width * i;
      if (info.hitTagIndex >= 0) this.frame[at + info.hitTagIndex] = 1;
      this.frame[at + numTags] = hit ? 0 : 1;
      this.frame[at + numTags + 1] = fraction;
    }
    return this.stack ? this.stack.push(this.frame) : this.frame;
  }

  /** Perceives and appends the result to the agent's observation named like this sensor. */
  write(obs: ObservationWriter): void {
    obs.add(this.settings.name, this.perceive());
  }

  /** Clears the stacked history; call it from onEpisodeBegin unless `agent` was given. */
  reset(): void {
    this.stack?.reset();
  }

  private toWorld(local: Vec3, out: Vec3): void {
    this.sensorQuat.vmult(local, out);
    out.vadd(this.sensorPos, out);
  }

  /** Distance the cast's center travels before touching something, or -1. `this.dir` holds start->end. */
  private sweep(start: Vec3, length: number): number {
    this.dir.scale(1 / length, this.dir);
    this.bestDistance = Infinity;
    this.bestBody = null;
    this.bestShape = null;
    const r = this.settings.sphereCastRadius;
    const origins = this.origins;
    let count = 1;
    if (r <= 0) {
      setPoint(origins, 0, start);
    } else {
      // Perpendicular basis around the ray: `side` horizontal in the sensor frame when possible.
      this.sensorQuat.vmult(UP, this.up);
      this.dir.cross(this.up, this.side);
      if (this.side.lengthSquared() < 1e-8) {
        this.sensorQuat.vmult(FORWARD, this.up);
        this.dir.cross(this.up, this.side);
      }
      this.side.normalize();
      this.side.cross(this.dir, this.lift);

      // Every sample point moves with the sphere, so the distance its ray travels to a hit is the
      // distance the center travels; the front point catches what lies straight ahead.
      start.addScaledVector(r, this.dir, this.tmp);
      setPoint(origins, 0, this.tmp);
      start.addScaledVector(r, this.side, this.tmp);
      setPoint(origins, 1, this.tmp);
      start.addScaledVector(-r, this.side, this.tmp);
      setPoint(origins, 2, this.tmp);
      start.addScaledVector(r, this.lift, this.tmp);
      setPoint(origins, 3, this.tmp);
      start.addScaledVector(-r, this.lift, this.tmp);
      setPoint(origins, 4, this.tmp);
      count = 5;
    }
    if (this.boxes.cast(origins, count, this.dir, length)) {
      this.bestDistance = this.boxes.bestDistance;
      this.bestBody = this.boxes.bestBody;
      this.bestShape = this.boxes.bestShape;
    } else {
      for (let s = 0; s < count; s++) {
        this.tmp.set(origins[3 * s]!, origins[3 * s + 1]!, origins[3 * s + 2]!);
        this.castFrom(this.tmp, length);
      }
    }
    return this.bestBody ? this.bestDistance : -1;
  }

  /** One ray of `length` from `origin` along this.dir; the closest hit so far stays in best*. */
  private castFrom(origin: Vec3, length: number): void {
    this.from.copy(origin);
    origin.addScaledVector(length, this.dir, this.to);
    this.ray.intersectWorld(this.world, this.castOptions);
  }
}

function setPoint(out: Float64Array, i: number, p: Vec3): void {
  out[3 * i] = p.x;
  out[3 * i + 1] = p.y;
  out[3 * i + 2] = p.z;
}
