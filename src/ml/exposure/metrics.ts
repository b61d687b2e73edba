// Exposure-distribution metrics of a plan. Inputs are per-product impressions over the whole candidate
// catalogue, so products with zero exposure count (they are exactly what a popularity bias hides).

type Num = ArrayLike<number>;

/**
 * Gini coefficient of exposure: 0 when every product gets the same impressions, (n − 1)/n when one
 * product gets everything. Zero-exposure products are included. Returns 0 for an all-zero vector.
 */
export function exposureGini(impressions: Num): number {
  const n = impressions.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(impressions as ArrayLike<number>).sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const x = sorted[i];
    if (x < 0) throw new RangeError('impressions must be non-negative');
    total += x;
    weighted += (i + 1) * x;
  }
  if (total === 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Share of candidate products with at least one impression. */
export function catalogueCoverage(impressions: Num): number {
  const n = impressions.length;
  if (n === 0) return 0;
  let covered = 0;
  for (let i = 0; i < n; i++) if (impressions[i] > 0) covered++;
  return covered / n;
}

/** Share of impressions that go to long-tail products (isLongTail[i] non-zero). 0 for an empty plan. */
export function longTailShare(impressions: Num, isLongTail: Num): number {
  if (impressions.length !== isLongTail.length) throw new RangeError('length mismatch');
  let total = 0;
  let tail = 0;
  for (let i = 0; i < impressions.length; i++) {
    total += impressions[i];
    if (isLongTail[i]) tail += impressions[i];
  }
  return total > 0 ? tail / total : 0;
}
