// The launch slot (`new_arrivals` placement): how a launch budget turns into positions. A budget of
// weekly impressions cannot all be spent in the top slot: the bigger the budget, the deeper into the row
// the product is shown on average, so each extra impression is worth a little less (concave response).
// Shared by the simulation (sampling positions) and trueLaunchDemand (averaging over them).
import type { Rng } from './random';
import type { World } from './types';

/** Slots in the new-arrivals row. */
export const LAUNCH_SLOTS = 8;
/** Mean desired position of a launch at the shop's reference budget. */
const MEAN_POSITION_AT_REFERENCE = 0.8;

/** P(desired position = k), k = 0..LAUNCH_SLOTS-1: a truncated geometric whose mean grows as √budget. */
export function launchPositionDistribution(world: World, weeklyImpressions: number): Float64Array {
  const m = MEAN_POSITION_AT_REFERENCE * Math.sqrt(Math.max(weeklyImpressions, 1e-9) / world.launchRefImpressions);
  const rho = m / (1 + m);
  const pi = new Float64Array(LAUNCH_SLOTS);
  let total = 0;
  for (let k = 0; k < LAUNCH_SLOTS; k++) {
    pi[k] = Math.pow(rho, k);
    total += pi[k];
  }
  for (let k = 0; k < LAUNCH_SLOTS; k++) pi[k] /= total;
  return pi;
}

/** One desired position from the distribution above. */
export function sampleLaunchPosition(rng: Rng, pi: Float64Array): number {
  let u = rng.next();
  for (let k = 0; k < pi.length - 1; k++) {
    u -= pi[k];
    if (u < 0) return k;
  }
  return pi.length - 1;
}
