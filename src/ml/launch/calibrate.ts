// Weekly quantiles in whole units, and the P10–P90 band calibrated on the validation launches.
//
// Weekly units are counts, so the forecast's quantiles are whole units: the q-quantile of a count
// is an integer (the network's continuous quantile, rounded). It matters most for the median: in a
// week that sells nothing with probability 70%, a P50 of 0.4 is no possible outcome and costs 0.4
// in absolute error every time the week sells nothing (on the medium generated shop, rounding cut
// the held-out weekly WAPE of P50 from 1.09 to 0.99).
//
// The median itself gets one correction fitted on validation: a shift of the network's log-space
// P50 that minimises the validation weeks' absolute error of the whole-unit P50. Pinball training on
// a few hundred launches, most weeks zero, leaves the median's threshold between 0 and 1 unit
// loose; one scalar fitted on held-aside launches is cheap to get right.
//
// The band's widths (multipliers of the network's lower and upper spreads; pinball training of a
// small network on few launches gives bands that are off out of sample) are fitted so that the
// validation launch-weeks' count-data PIT (see metrics.ts) falls below 0.1 and above 0.9 about 10% of
// the time each — the calibration a count forecast can have. Counting weeks with P10 ≤ y ≤ P90
// instead would demand a band that wrongly excludes zero from weeks where zero is the most likely
// outcome.
import { LEVELS, weekLevels } from './distribution';
import { countCdf, pitTails } from './metrics';

const TAIL = 0.1;

export interface Band {
  /** Multipliers of the network's lower and upper log-space spreads. */
  lower: number;
  upper: number;
  /** Added to the network's log-space P50 (0 in artifacts from before it existed). */
  medianShift: number;
}

const units = (z: number) => Math.round(Math.max(0, Math.expm1(z)));

/**
 * A week's P10/P50/P90 in whole units from the network's log-space quantiles and the calibration:
 * a monotone map of ordered values, so P10 ≤ P50 ≤ P90 by construction.
 */
export function countQuantiles(z10: number, z50: number, z90: number, b: Band): [number, number, number] {
  const m = z50 + b.medianShift;
  const lo = Math.min(m, z50 - b.lower * Math.max(0, z50 - z10));
  const hi = Math.max(m, z50 + b.upper * Math.max(0, z90 - z50));
  return [units(lo), units(m), units(hi)];
}

type Quantiles = { z10: Float64Array; z50: Float64Array; z90: Float64Array };

/** The shift of log-space P50 in [−1.5, 1.5] (steps of 0.05) with the least absolute error on validation; ties go to the smallest |shift|. */
function calibrateMedian(q: Quantiles, z: Float32Array): number {
  const y = Array.from(z, (v) => Math.round(Math.expm1(v)));
  let best = 0;
  let bestErr = Infinity;
  // Candidates in order of |shift|, so a tie keeps the smaller correction.
  for (let a = 0; a <= 30; a++) {
    for (const shift of a === 0 ? [0] : [a * 0.05, -a * 0.05]) {
      let err = 0;
      for (let i = 0; i < y.length; i++) err += Math.abs(y[i] - units(q.z50[i] + shift));
      if (err < bestErr - 1e-9) {
        bestErr = err;
        best = shift;
      }
    }
  }
  return Math.round(best * 100) / 100; // grid steps of 0.05, without floating-point residue in the stored params
}

export function calibrateBand(q: Quantiles, z: Float32Array): Band {
  const n = z.length;
  if (n === 0) return { lower: 1, upper: 1, medianShift: 0 };
  const medianShift = calibrateMedian(q, z);
  const y = Array.from(z, (v) => Math.round(Math.expm1(v)));
  const levels = new Float64Array(LEVELS);
  // Mean share of the weeks' PIT intervals [F(y − 1), F(y)] below 0.1 (lower) or above 0.9 (upper).
  const tailShare = (lower: number, upper: number, side: 'lower' | 'upper') => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const [p10, p50, p90] = countQuantiles(q.z10[i], q.z50[i], q.z90[i], { lower, upper, medianShift });
      const tails = pitTails(...countCdf(weekLevels(p10, p50, p90, NaN, levels), y[i]));
      s += side === 'lower' ? tails.below : tails.above;
    }
    return s / n;
  };
  const lower = smallestScale((s) => tailShare(s, 1, 'lower'), TAIL);
  return { lower, upper: smallestScale((s) => tailShare(lower, s, 'upper'), TAIL), medianShift };
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
