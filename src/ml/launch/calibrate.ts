// Band calibration: multipliers of the lower and upper z-band widths so that on the validation
// launches about 10% of launch-weeks fall below P10 and 10% above P90 (pinball training of a small
// network on few launches tends to give bands that are too narrow out of sample).
const TARGET = 0.1;

export function calibrateBand(q: { z10: Float64Array; z50: Float64Array; z90: Float64Array }, z: Float32Array):
  { lower: number; upper: number } {
  const n = z.length;
  if (n === 0) return { lower: 1, upper: 1 };
  const below = (s: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (z[i] < q.z50[i] - s * (q.z50[i] - q.z10[i]) - 1e-9) c++;
    return c / n;
  };
  const above = (s: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (z[i] > q.z50[i] + s * (q.z90[i] - q.z50[i]) + 1e-9) c++;
    return c / n;
  };
  return { lower: smallestScale(below), upper: smallestScale(above) };
}

/** The smallest s in [0.25, 6] with share(s) ≤ TARGET (share is non-increasing in s). */
function smallestScale(share: (s: number) => number): number {
  let lo = 0.25;
  let hi = 6;
  if (share(lo) <= TARGET) return lo;
  if (share(hi) > TARGET) return hi;
  for (let it = 0; it < 30; it++) {
    const mid = (lo + hi) / 2;
    if (share(mid) <= TARGET) hi = mid;
    else lo = mid;
  }
  return hi;
}
