// Expected sessions per day, from the world alone: Σ visit rate over shoppers active that day, times
// the day's traffic factor. The simulation draws each day's session count around exactly this, and
// the launch slot spends budgets against it, so trueLaunchDemand can reproduce the delivery.
import { HISTORY_DAYS, trafficFactor } from './calendar';
import type { Population, World } from './types';

const MASS_FROM = -1200;
const MASS_TO = HISTORY_DAYS + 800;

/** Difference-array sum of visit rates over each shopper's active days. */
export function buildVisitMass(pop: Population): { from: number; values: Float64Array } {
  const n = MASS_TO - MASS_FROM;
  const delta = new Float64Array(n + 1);
  for (let i = 0; i < pop.total; i++) {
    const v = pop.visitRate[i];
    if (v === 0) continue;
    const a = Math.max(MASS_FROM, pop.activeFromDay[i]) - MASS_FROM;
    const b = Math.min(MASS_TO, pop.activeToDay[i]) - MASS_FROM;
    if (b <= a) continue;
    delta[a] += v;
    delta[b] -= v;
  }
  const values = new Float64Array(n);
  let run = 0;
  for (let k = 0; k < n; k++) {
    run += delta[k];
    values[k] = Math.max(0, run);
  }
  return { from: MASS_FROM, values };
}

/** Expected number of sessions on a day (any day; outside the tabulated range the nearest edge). */
export function expectedSessions(world: World, day: number): number {
  const { from, values } = world.visitMass;
  const k = Math.min(values.length - 1, Math.max(0, day - from));
  return values[k] * trafficFactor(day);
}

/**
 * Probability that a session on `day` shows a launch with this weekly budget in the launch slot: the
 * day's share of the budget spread over the expected sessions, at most one impression per session.
 */
export function launchShowProbability(world: World, weeklyImpressions: number, weekdayShare: number, day: number): number {
  const sessions = expectedSessions(world, day);
  return sessions > 0 ? Math.min(1, (weeklyImpressions * weekdayShare) / sessions) : 0;
}
