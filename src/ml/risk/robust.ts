// Order statistics for the robust rules: medians, median absolute deviations and quantiles of small
// samples (copies are sorted; inputs are left alone).

/** Median of `values` (NaN when empty). */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  return n % 2 === 1 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/** Median absolute deviation from `center` (unscaled). */
export function mad(values: ArrayLike<number>, center: number): number {
  const d = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) d[i] = Math.abs(values[i] - center);
  return median(d);
}

/** Consistency factor that makes the MAD estimate σ for normal data. */
export const MAD_TO_SIGMA = 1.482602218505602;

/** The q-quantile by linear interpolation between order statistics (NaN when empty). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}
