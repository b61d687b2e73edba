// A weekly demand distribution from three quantiles and the mean. Up to P90 it is a split normal in
// z = log(1 + units) through (P10, P50, P90) — normal below the median with the spread P50−P10 implies,
// above with the spread P90−P50 implies; units = max(0, e^z − 1) — so P10/P50/P90 are reproduced
// exactly (quantiles are equivariant under that monotone map). Above P90 the tail rises linearly in
// the normal score, steep enough that the distribution's mean equals the forecast mean (launch demand
// has a heavy right tail: a few large orders); when the mean is below what the quantiles already
// imply, the tail stays flat at P90 and all levels are scaled down to the mean (the mean drives
// revenue and margin, so it wins over the band). Used for inventory-capped sales and sell-out
// probabilities.

const Z90 = 1.2815515655446004;

/** Φ⁻¹(u) (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(u: number): number {
  if (u <= 0) return -Infinity;
  if (u >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (u < lo) {
    const q = Math.sqrt(-2 * Math.log(u));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (u > 1 - lo) return -normalQuantile(1 - u);
  const q = u - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Levels of the quadrature over the distribution: midpoints of K equal-mass cells. */
export const LEVELS = 64;
const LEVEL_Z = Float64Array.from({ length: LEVELS }, (_, k) => normalQuantile((k + 0.5) / LEVELS) / Z90);

/** Units at quantile level u for one week's (p10, p50, p90). */
export function unitsAt(p10: number, p50: number, p90: number, u: number): number {
  return unitsAtScaled(p10, p50, p90, normalQuantile(u) / Z90);
}

function unitsAtScaled(p10: number, p50: number, p90: number, s: number): number {
  const z50 = Math.log1p(Math.max(0, p50));
  const spread = s < 0 ? z50 - Math.log1p(Math.max(0, p10)) : Math.log1p(Math.max(0, p90)) - z50;
  return Math.max(0, Math.expm1(z50 + s * spread));
}

/** Units at each quadrature level (ascending) for one week. */
export function unitsAtLevels(p10: number, p50: number, p90: number, out = new Float64Array(LEVELS)): Float64Array {
  for (let k = 0; k < LEVELS; k++) out[k] = unitsAtScaled(p10, p50, p90, LEVEL_Z[k]);
  return out;
}

const TAIL_FROM = LEVEL_Z.findIndex((s) => s >= 1);
const TAIL_SHAPE = Float64Array.from(LEVEL_Z, (s, k) => (k >= TAIL_FROM ? (s - 1) * Z90 : 0));
const TAIL_MASS = TAIL_SHAPE.reduce((a, b) => a + b, 0);

/**
 * One week's units at the quadrature levels (ascending): split normal below P90, the tail above it
 * scaled to match `mean` (NaN mean → flat tail).
 */
export function weekLevels(p10: number, p50: number, p90: number, mean: number, out = new Float64Array(LEVELS)): Float64Array {
  let base = 0;
  for (let k = 0; k < LEVELS; k++) {
    out[k] = k >= TAIL_FROM ? Math.max(0, p90) : unitsAtScaled(p10, p50, p90, LEVEL_Z[k]);
    base += out[k];
  }
  const t = Number.isFinite(mean) ? Math.max(0, (LEVELS * mean - base) / TAIL_MASS) : 0;
  if (t > 0) for (let k = TAIL_FROM; k < LEVELS; k++) out[k] += t * TAIL_SHAPE[k];
  else if (Number.isFinite(mean) && base > 0 && LEVELS * mean < base) for (let k = 0; k < LEVELS; k++) out[k] *= (LEVELS * Math.max(0, mean)) / base;
  return out;
}

/** Mean of one week's distribution (the forecast mean when given). */
export function meanOf(p10: number, p50: number, p90: number, mean = NaN): number {
  const levels = weekLevels(p10, p50, p90, mean);
  let s = 0;
  for (let k = 0; k < LEVELS; k++) s += levels[k];
  return s / LEVELS;
}

/** Linear-interpolated empirical quantile of an ascending-sorted array. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = q * (n - 1);
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[n - 1];
}
