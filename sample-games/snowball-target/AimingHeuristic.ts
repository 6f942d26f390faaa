import { Vec3 } from 'cannon-es';
import { SNOWBALL_DECISION_PERIOD, SNOWBALL_FIXED_DELTA_TIME, SnowballMove, SnowballShoot, SnowballTurn, snowballRules as R } from './behavior.js';
import type { SnowballArea } from './SnowballArea.js';

const DEG = Math.PI / 180;
/** Distance the scripted player walks up to before throwing: inside the ~11.5 m a throw carries. */
export const AIMING_THROW_DISTANCE = 10;
// Headings move in steps of one decision's turn; closer than half a step is as good as it gets.
// Share of the target's width trusted for a hit: the arc passes up to ~0.3 m above or below its centre.
const AIMING_MARGIN = 0.7;
// Closer than this the bear would bump into the target.
const AIMING_CLOSEST = R.targetRadius + R.bearRadius + 1;
const HALF_TURN_STEP = (R.turnSpeed * SNOWBALL_FIXED_DELTA_TIME * SNOWBALL_DECISION_PERIOD) / 2;
const toTarget = new Vec3();

/**
 * A scripted SnowballTarget player that knows where the targets are (a reference for tests and
 * a demo when nobody holds the keys): it turns to the nearest standing target, walks until it is
 * in throwing range (and closer when its heading steps straddle the target), and throws whenever
 * the target covers the line of its throw.
 */
export function aimingAction(area: SnowballArea, out: Int32Array): void {
  out[0] = SnowballMove.none;
  out[1] = SnowballTurn.none;
  out[2] = SnowballShoot.no;
  const bear = area.bear.position;
  let best = Infinity;
  for (const t of area.targets) {
    if (!t.standing) continue;
    const d = Math.hypot(t.body.position.x - bear.x, t.body.position.z - bear.z);
    if (d < best) {
      best = d;
      t.body.position.vsub(bear, toTarget);
    }
  }
  if (best === Infinity) return;
  // Heading h faces (sin h, cos h); a positive error means the target is to the left.
  const error = wrapDegrees(Math.atan2(toTarget.x, toTarget.z) / DEG - area.headingDegrees);
  if (error > HALF_TURN_STEP) out[1] = SnowballTurn.left;
  else if (error < -HALF_TURN_STEP) out[1] = SnowballTurn.right;
  const covered = Math.asin(Math.min(1, (AIMING_MARGIN * (R.targetRadius + R.snowballRadius)) / best)) / DEG;
  const inRange = best <= AIMING_THROW_DISTANCE;
  if (inRange && Math.abs(error) < covered) out[2] = SnowballShoot.yes;
  // Out of range, walk up; in range but between two headings, walk closer: the target then
  // covers a wider angle, until one of the headings lines up with it.
  const closer = Math.abs(error) <= HALF_TURN_STEP && Math.abs(error) >= covered && best > AIMING_CLOSEST;
  if (!inRange || closer) out[0] = SnowballMove.forward;
}

function wrapDegrees(d: number): number {
  return ((((d + 180) % 360) + 360) % 360) - 180;
}
