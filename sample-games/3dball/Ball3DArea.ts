import { Body, Box, GSSolver, Quaternion, Sphere, Vec3, World } from 'cannon-es';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { ball3DRules as R } from './behavior.js';

/** Environment parameters of 3DBall, by ML-Agents' names (`mass`, `scale`). */
export interface Ball3DParameters {
  /** Ball mass in kg. */
  mass: number;
  /** Ball size relative to its 0.5 m radius. */
  scale: number;
}

const DEG = Math.PI / 180;
const AXIS_X = new Vec3(1, 0, 0);
const AXIS_Z = new Vec3(0, 0, 1);

/**
 * One 3DBall arena: the agent's cube and its ball, in a cannon-es world of their own.
 * A world per area (rather than one world with collision groups) keeps areas from touching each
 * other (a dropped ball cannot land on a neighbour), and makes an area's trajectory depend only on
 * its own seed and actions, never on how many areas run beside it; two bodies per world cost
 * nothing in broadphase.
 *
 * Coordinates are Unity's numbers unchanged (y up, the same quaternion formulas), so observations
 * and actions mean what they mean in ML-Agents' scene; a renderer in a right-handed engine simply
 * shows the scene mirrored along z.
 */
export class Ball3DArea {
  readonly world: World;
  /** The agent's cube, rotated by actions (a teleport, as Unity's Transform.Rotate on a collider). */
  readonly platform: Body;
  readonly ball: Body;
  private ballShape: Sphere;
  private scale = 1;
  private readonly turn = new Quaternion();

  constructor(private readonly rng: SeededRandom) {
    this.world = new World({ gravity: new Vec3(0, R.gravity, 0) });
    (this.world.solver as GSSolver).iterations = 12;
    this.world.defaultContactMaterial.friction = R.friction;
    this.world.defaultContactMaterial.restitution = R.restitution;

    const half = R.platformSize / 2;
    this.platform = new Body({ type: Body.STATIC, shape: new Box(new Vec3(half, half, half)) });
    this.ballShape = new Sphere(R.ballRadius);
    this.ball = new Body({
      mass: R.ballMass,
      shape: this.ballShape,
      linearDamping: R.ballLinearDamping,
      angularDamping: R.ballAngularDamping,
    });
    this.setSolidSphereInertia();
    this.world.addBody(this.platform);
    this.world.addBody(this.ball);
  }

  /** Ball3DAgent.OnEpisodeBegin: random tilt (x then z), ball dropped from above at rest. */
  reset(parameters: Ball3DParameters): void {
    this.platform.quaternion.set(0, 0, 0, 1);
    this.rotateLocal(AXIS_X, this.rng.range(-R.initialTiltDegrees, R.initialTiltDegrees));
    this.rotateLocal(AXIS_Z, this.rng.range(-R.initialTiltDegrees, R.initialTiltDegrees));
    const x = this.rng.range(-R.dropSpread, R.dropSpread);
    const z = this.rng.range(-R.dropSpread, R.dropSpread);
    this.ball.position.set(x, R.dropHeight, z).vadd(this.platform.position, this.ball.position);
    this.ball.velocity.set(0, 0, 0);
    // Unity keeps the ball's spin across episodes; clearing it makes each episode start the same
    // way for the same seed, whatever the previous episode did.
    this.ball.angularVelocity.set(0, 0, 0);
    this.applyParameters(parameters);
  }

  /**
   * Ball3DAgent.OnActionReceived's rotation: `degreesZ` about the cube's z axis, then `degreesX`
   * about its x axis, each only while that quaternion component is inside the tilt limit.
   */
  tilt(degreesZ: number, degreesX: number): void {
    const q = this.platform.quaternion;
    const limit = R.tiltQuaternionLimit;
    if ((q.z < limit && degreesZ > 0) || (q.z > -limit && degreesZ < 0)) this.rotateLocal(AXIS_Z, degreesZ);
    if ((q.x < limit && degreesX > 0) || (q.x > -limit && degreesX < 0)) this.rotateLocal(AXIS_X, degreesX);
  }

  /** Advances this area's physics by `dt` seconds. */
  step(dt: number): void {
    this.world.step(dt);
  }

  /** Ball3DAgent's loss test: ball 2 below the cube's centre, or more than 3 away along x or z. */
  ballLost(): boolean {
    const b = this.ball.position;
    const p = this.platform.position;
    return b.y - p.y < R.fallDepth || Math.abs(b.x - p.x) > R.fallDistance || Math.abs(b.z - p.z) > R.fallDistance;
  }

  /** Writes the 8 observations in Ball3DAgent.CollectObservations order into `out`. */
  readObservation(out: Float32Array | number[]): void {
    const q = this.platform.quaternion;
    const b = this.ball.position;
    const p = this.platform.position;
    const v = this.ball.velocity;
    out[0] = q.z;
    out[1] = q.x;
    out[2] = b.x - p.x;
    out[3] = b.y - p.y;
    out[4] = b.z - p.z;
    out[5] = v.x;
    out[6] = v.y;
    out[7] = v.z;
  }

  /** Current ball size factor (for the view). */
  get ballScale(): number {
    return this.scale;
  }

  private rotateLocal(axis: Vec3, degrees: number): void {
    // Transform.Rotate(axis, angle) in self space: rotation = rotation * AngleAxis(angle, axis).
    this.turn.setFromAxisAngle(axis, degrees * DEG);
    const q = this.platform.quaternion;
    q.mult(this.turn, q);
    q.normalize();
    this.platform.aabbNeedsUpdate = true;
  }

  private applyParameters({ mass, scale }: Ball3DParameters): void {
    if (this.ball.mass === mass && this.scale === scale) return;
    if (this.scale !== scale) {
      this.ball.removeShape(this.ballShape);
      this.ballShape = new Sphere(R.ballRadius * scale);
      this.ball.addShape(this.ballShape);
      this.scale = scale;
    }
    this.ball.mass = mass;
    this.setSolidSphereInertia();
  }

  /**
   * cannon-es derives inertia from the body's bounding box (2/3 m r^2, a hollow ball), which makes
   * the ball roll downhill at 0.6 g sin(tilt) instead of PhysX's solid-sphere 5/7 g sin(tilt).
   */
  private setSolidSphereInertia(): void {
    const b = this.ball;
    b.updateMassProperties();
    const i = 0.4 * b.mass * this.ballShape.radius ** 2;
    b.inertia.set(i, i, i);
    b.invInertia.set(1 / i, 1 / i, 1 / i);
    b.updateInertiaWorld(true);
  }
}
