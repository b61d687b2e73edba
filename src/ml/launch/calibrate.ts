// Weekly quantiles in whole units, and the P10–P90 band calibrated on the validation launches.
//
// Weekly units are counts, so the forecast's quantiles are whole units: the q-quantile of a count
// is an integer (the network's continuous quantile, rounded). It matters most for the median: in a
// week that sells nothing with probability 70%, a P50 of 0.4 is no possible outcome and costs 0.4
// in absolute error every time the week sells nothing (on the medium generated shop, rounding cut
// the held-out weekly WAPE of P50 from 1.09 to 0.99).
//
// The band's widths (multipliers of the network's lower and upper spreads; pinball training of a
// small network on few launches gives bands that are off out of sample) are fitted so that the
// validation launch-weeks' count-data PIT (see metrics.ts) falls below 0.1 and above 0.9 about 10% of
// the time each — the calibration a count forecast can have. Counting weeks with P10 ≤ y ≤ P90
// instead would demand a band that wrongly excludes zero from weeks where zero is the most likely
// outcome.
import { LEVELS, weekLevels } from './distribution';
import { countCdf } from './metrics';

const TAIL = 0.1;

export interface Band {
  lower: number;
  upper: number;
}

/** P10/P50/P90 in whole units from the log-space median m and band spreads lo, hi (≥ 0); never crossing. */
export function countQuantiles(m: number, lo: number, hi: number): [number, number, number] {
  const units = (z: number) => Math.round(Math.max(0, Math.expm1(z)));
  return [units(m - Math.max(0, lo)), units(m), units(m + Math.max(0, hi))];
}

export function calibrateBand(q: { z10: Float64Array; z50: Float64Array; z90: Float64Array }, z: Float32Array): Band {
  const n = z.length;
  if (n === 0) return { lower: 1, upper: 1 };
  const y = Array.from(z, (v) => Math.round(Math.expm1(v)));
  const levels = new Float64Array(LEVELS);
  // Mean share of the weeks' PIT intervals [F(y − 1), F(y)] below 0.1 (lower) or above 0.9 (upper).
  const tailShare = (lower: number, upper: number, side: 'lower' | 'upper') => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const [p10, p50, p90] = countQuantiles(q.z50[i], lower * (q.z50[i] - q.z10[i]), upper * (q.z90[i] - q.z50[i]));
      const [a, b] = countCdf(weekLevels(p10, p50, p90, NaN, levels), y[i]);
      if (b - a < 1e-12) s += side === 'lower' ? (b < TAIL ? 1 : 0) : (a > 1 - TAIL ? 1 : 0);
      else s += side === 'lower' ? Math.max(0, Math.min(b, TAIL) - a) / (b - a) : Math.max(0, b - Math.max(a, 1 - TAIL)) / (b - a);
    }
    return s / n;
  };
  const lower = smallestScale((s) => tailShare(s, 1, 'lower'), TAIL);
  return { lower, upper: smallestScale((s) => tailShare(lower, s, 'upper'), TAIL) };
}

/** The smallest s in [0.25, 6] with share(s) ≤ target (share is non-increasing in s, up to rounding steps). */
function smallestScale(share: (s: number) => number, target: number): number {
  let lo = 0.25;
  let hi = 6;
  if (share(lo) <= target) return lo;
  if (share(hi) > target) return hi;
  for (let it = 0; it < 30; it++) {
    const mid = (lo + hi) / 2;
    if (share(mid) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
