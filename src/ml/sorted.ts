// Binary search over ascending numbers (event times, day indices).

/** First position k in [lo, hi) with values[k] > t (values ascending in that range). */
export function upperBound(values: ArrayLike<number>, t: number, lo = 0, hi = values.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
