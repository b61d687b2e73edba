// Small dense symmetric positive-definite algebra on row-major Float64Arrays (n × n), for the Newton
// steps of models with a handful of parameters (the calendar CLV model's Poisson fit, the Bayes
// estimators of bench:conversion-ceiling). Only the lower triangle of an input matrix is read.

/**
 * Cholesky factorisation in place: the lower triangle of `a` becomes L with A = L Lᵀ (the strict
 * upper triangle is left as it was). `jitter` is added to each diagonal entry, scaled by
 * (1 + |aᵢᵢ|). A pivot that is not positive makes it return false, unless `pivotFloor` is given:
 * then the pivot is clamped to that floor and the factorisation goes on (a regularised inverse).
 */
export function choleskyInPlace(a: Float64Array, n: number, jitter = 0, pivotFloor?: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] + jitter * (1 + Math.abs(a[j * n + j]));
    for (let k = 0; k < j; k++) d -= a[j * n + k] ** 2;
    if (!(d > (pivotFloor ?? 0))) {
      if (pivotFloor === undefined) return false;
      d = pivotFloor;
    }
    d = Math.sqrt(d);
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / d;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place into b, for a Cholesky factor L in the lower triangle of `l`. */
export function solveCholesky(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * x = A⁻¹ b for SPD A, leaving A and b untouched. A matrix that is not numerically positive definite
 * is retried with a growing diagonal jitter (1e-8, 1e-6, … up to 1, relative to each diagonal
 * entry); beyond that it throws "<what> is not positive definite".
 */
export function solveSpd(a: Float64Array, b: Float64Array, n: number, what = 'the matrix'): Float64Array {
  const l = new Float64Array(n * n);
  for (const jitter of [0, 1e-8, 1e-6, 1e-4, 1e-2, 1]) {
    l.set(a);
    if (!choleskyInPlace(l, n, jitter)) continue;
    const x = Float64Array.from(b);
    solveCholesky(l, x, n);
    return x;
  }
  throw new Error(`${what} is not positive definite`);
}
