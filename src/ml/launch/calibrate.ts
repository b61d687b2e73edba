// Band calibration on the validation launches: multipliers of the lower and upper z-band widths
// (pinball training of a small network on few launches gives bands that are off out of sample).
// Weekly units are counts, so the forecast's P10 is floored to a whole unit (the lower quantile of a
// count is an integer; a P10 of 0.05 units would count every zero week as a miss). The lower
// multiplier aims at 10% of launch-weeks below P10; the upper one then at whatever keeps the total
// outside the band at 20% (between 5% and 15% above), because with mostly-zero weeks the lower tail
// rarely misses.
const TARGET_OUTSIDE = 0.2;

export function flooredP10(z10: number): number {
  return Math.floor(Math.max(0, Math.expm1(z10)) + 1e-9);
}

export function calibrateBand(q: { z10: Float64Array; z50: Float64Array; z90: Float64Array }, z: Float32Array):
  { lower: number; upper: number } {
  const n = z.length;
  if (n === 0) return { lower: 1, upper: 1 };
  const below = (s: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (Math.expm1(z[i]) < flooredP10(q.z50[i] - s * (q.z50[i] - q.z10[i])) - 1e-9) c++;
    return c / n;
  };
  const above = (s: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (z[i] > q.z50[i] + s * (q.z90[i] - q.z50[i]) + 1e-9) c++;
    return c / n;
  };
  const lower = smallestScale(below, TARGET_OUTSIDE / 2);
  const upperTarget = Math.min(0.15, Math.max(0.05, TARGET_OUTSIDE - below(lower)));
  return { lower, upper: smallestScale(above, upperTarget) };
}

/** The smallest s in [0.25, 6] with share(s) ≤ target (share is non-increasing in s). */
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
