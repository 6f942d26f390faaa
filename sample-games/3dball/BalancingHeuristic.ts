import { BALL3D_DECISION_PERIOD, ball3DRules as R } from './behavior.js';

/** Gains of the balancing controller: degrees of target tilt per metre of offset and per m/s. */
export interface BalancingGains {
  position: number;
  velocity: number;
  /** Largest target tilt in degrees (the cube stops near 29 degrees anyway). */
  maxTiltDegrees: number;
}

/** Gains that hold the ball for whole episodes (see test/games/ball3d.test.ts). */
export const defaultBalancingGains: BalancingGains = { position: 12, velocity: 12, maxTiltDegrees: 20 };

const RAD = 180 / Math.PI;

/**
 * A scripted 3DBall player: a PD controller on the tilt. It reads only the 8 observations a
 * policy sees, picks the tilt that rolls the ball back toward the centre (damped by its velocity)
 * and turns the cube toward that tilt over one decision period, writing actions in [-1, 1].
 */
export function balancingAction(obs: ArrayLike<number>, out: Float32Array, gains: BalancingGains = defaultBalancingGains): void {
  const [qz, qx, dx, dz, vx, vz] = [obs[0]!, obs[1]!, obs[2]!, obs[4]!, obs[5]!, obs[7]!];
  // Positive rotation about z tips the ball toward -x; positive rotation about x tips it toward +z.
  const targetZ = clamp(gains.position * dx + gains.velocity * vx, gains.maxTiltDegrees);
  const targetX = -clamp(gains.position * dz + gains.velocity * vz, gains.maxTiltDegrees);
  const currentZ = 2 * Math.asin(clamp(qz, 1)) * RAD;
  const currentX = 2 * Math.asin(clamp(qx, 1)) * RAD;
  // The action repeats for the whole decision period, turning degreesPerStep * action each step.
  const reach = R.degreesPerStep * BALL3D_DECISION_PERIOD;
  out[0] = clamp((targetZ - currentZ) / reach, 1);
  out[1] = clamp((targetX - currentX) / reach, 1);
}

function clamp(v: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, v));
}
