// A Fenwick (binary indexed) tree of non-negative weights that supports O(log n) weight updates and
// O(log n) weighted draws. The simulation keeps every shopper's visit rate in one, zero while they are
// not yet signed up or have churned, so a day's sessions are drawn without touching inactive shoppers.

export class FenwickSampler {
  private readonly tree: Float64Array;
  private readonly weights: Float64Array;
  private readonly n: number;
  private topBit: number;
  private sum = 0;

  constructor(n: number) {
    this.n = n;
    this.tree = new Float64Array(n + 1);
    this.weights = new Float64Array(n);
    this.topBit = 1;
    while (this.topBit * 2 <= n) this.topBit *= 2;
  }

  get total(): number {
    return this.sum;
  }

  weight(i: number): number {
    return this.weights[i];
  }

  set(i: number, w: number): void {
    const delta = w - this.weights[i];
    if (delta === 0) return;
    this.weights[i] = w;
    this.sum += delta;
    for (let k = i + 1; k <= this.n; k += k & -k) this.tree[k] += delta;
  }

  /**
   * The index whose cumulative weight interval contains `u · total` (u uniform in [0, 1)). Never
   * returns an index of zero weight unless every weight is zero (then the result is meaningless).
   */
  sample(u: number): number {
    let target = u * this.sum;
    let pos = 0;
    for (let step = this.topBit; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next] <= target) {
        pos = next;
        target -= this.tree[next];
      }
    }
    // Floating-point drift can land on a zero-weight slot at an interval boundary: step to a live one.
    let i = Math.min(pos, this.n - 1);
    while (i < this.n - 1 && this.weights[i] === 0) i++;
    while (i > 0 && this.weights[i] === 0) i--;
    return i;
  }

  /** Recomputes the running total from the weights (bounds drift after millions of updates). */
  resum(): void {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.weights[i];
    this.sum = s;
  }
}
