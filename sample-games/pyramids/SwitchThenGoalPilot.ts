import { Vec3 } from 'cannon-es';
import type { PyramidsArea } from './PyramidsArea.js';
import { ROOM_BOUNDARY, ROOM_CENTRES } from './PyramidsLayout.js';
import { PyramidsAction } from './behavior.js';

/** Tuning of the pilot; the defaults solve most episodes (see test/games/pyramids.play.test.ts). */
export interface PilotSettings {
  /** Fastest approach speed in m/s (the agent reaches about 45 m/s flat out). */
  maxSpeed: number;
  /** Approach speed per metre of remaining distance, so that it arrives slowly enough to turn. */
  speedPerMetre: number;
  /** Velocity errors below this (m/s) need no thrust. */
  deadband: number;
  /** Thrust forward (or back) when the needed push is within this many degrees of the facing. */
  alignDegrees: number;
  /** Distance (m) of the waypoints in front of and behind a door. */
  doorReach: number;
  /** Lateral distance (m) from a door's centre within which the pilot goes straight through. */
  doorAperture: number;
}

/** Settings that solve most episodes. */
export const defaultPilotSettings: PilotSettings = {
  maxSpeed: 18,
  speedPerMetre: 1.5,
  deadband: 2,
  alignDegrees: 25,
  doorReach: 6,
  doorAperture: 2,
};

// The doors of the side rooms are off-centre by half a metre: the gap runs from 24.1 to 35 m.
const DOOR_CENTRES = ROOM_CENTRES.map((c) => c * (29.5 / 30));

/** A gold brick higher than this (m) still sits on its pyramid. */
const RAM_ABOVE = 2.5;

const RAD = 180 / Math.PI;
const FORWARD = new Vec3(0, 0, 1);

/**
 * A scripted Pyramids player that reads the scene rather than the observations: it drives to the
 * switch, then rams the brick pyramid and chases the gold brick, moving room to room through the
 * doors. It steers the way the actions allow: it turns until the velocity change it wants lies
 * ahead (or behind), then pushes. Tests use it to show the task can be solved; the agent's
 * heuristic plays with it when no keyboard is attached (human mode without a view).
 */
export class SwitchThenGoalPilot {
  private readonly forward = new Vec3();

  constructor(
    private readonly area: PyramidsArea,
    readonly settings: PilotSettings = defaultPilotSettings,
  ) {}

  /** The action for the next decision. */
  decide(): number {
    const target = this.target();
    if (!target) return PyramidsAction.nothing;
    const [wx, wz] = this.waypoint(target.x, target.z);
    // The gold brick on top of its pyramid is out of reach: ram the pyramid to bring it down.
    const ram = wx === target.x && wz === target.z && target.y > RAM_ABOVE;
    return this.steer(wx, wz, ram);
  }

  /** The switch until it is on, then the gold brick. */
  private target(): Vec3 | null {
    if (!this.area.switchOn) return this.area.switchBody.position;
    const goal = this.area.brickPyramid.goal;
    return goal && this.area.brickPyramid.present ? goal.position : null;
  }

  /** Where to head now: the target itself, or the door towards the target's room. */
  private waypoint(tx: number, tz: number): [number, number] {
    const p = this.area.agent.position;
    const [ac, ar] = [room(p.x), room(p.z)];
    const [tc, tr] = [room(tx), room(tz)];
    if (ac === tc && ar === tr) return [tx, tz];
    const s = this.settings;
    // Cross along x first, then along z: every pair of neighbouring rooms shares a door.
    const alongX = ac !== tc;
    const step = alongX ? Math.sign(tc - ac) : Math.sign(tr - ar);
    const from = alongX ? ac : ar;
    const wallAt = step > 0 ? (from === 0 ? -ROOM_BOUNDARY : ROOM_BOUNDARY) : from === 2 ? ROOM_BOUNDARY : -ROOM_BOUNDARY;
    const doorAt = DOOR_CENTRES[alongX ? ar : ac]!;
    const depth = alongX ? p.x : p.z;
    const lateral = alongX ? p.z - doorAt : p.x - doorAt;
    const before = (wallAt - depth) * step > 0;
    const offset = before && Math.abs(lateral) > s.doorAperture ? -s.doorReach : s.doorReach;
    const across = wallAt + step * offset;
    return alongX ? [across, doorAt] : [doorAt, across];
  }

  /** The action that brings the velocity towards the approach speed along the line to (wx, wz). */
  private steer(wx: number, wz: number, ram: boolean): number {
    const s = this.settings;
    const body = this.area.agent;
    const dx = wx - body.position.x;
    const dz = wz - body.position.z;
    const dist = Math.hypot(dx, dz);
    const speed = ram ? s.maxSpeed : Math.min(s.maxSpeed, s.speedPerMetre * dist);
    const ex = (dist > 0 ? (dx / dist) * speed : 0) - body.velocity.x;
    const ez = (dist > 0 ? (dz / dist) * speed : 0) - body.velocity.z;
    if (Math.hypot(ex, ez) < s.deadband) return PyramidsAction.nothing;
    body.quaternion.vmult(FORWARD, this.forward);
    // Yaw as this frame measures it: positive turns +z towards +x, the agent's left.
    const delta = wrapDegrees((Math.atan2(ex, ez) - Math.atan2(this.forward.x, this.forward.z)) * RAD);
    if (Math.abs(delta) <= s.alignDegrees) return PyramidsAction.forward;
    if (Math.abs(delta) >= 180 - s.alignDegrees) return PyramidsAction.back;
    return delta > 0 ? PyramidsAction.turnLeft : PyramidsAction.turnRight;
  }
}

/** Room index (0, 1, 2) along one axis. */
function room(v: number): number {
  return v < -ROOM_BOUNDARY ? 0 : v > ROOM_BOUNDARY ? 2 : 1;
}

function wrapDegrees(d: number): number {
  return ((((d + 180) % 360) + 360) % 360) - 180;
}
