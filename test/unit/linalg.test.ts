// Dense SPD algebra used by Newton steps (calendar CLV fit, bench estimators): solutions checked by
// multiplying back, the lower triangle alone is read, and a matrix that is not positive definite is
// refused (or, with a pivot floor, regularised) rather than solved into NaNs.
import { choleskyInPlace, solveCholesky, solveSpd } from '../../src/ml/linalg';
import { SeededRng } from '../../src/ml/random';

/** A random SPD matrix B Bᵀ + n I (row-major). */
function randomSpd(n: number, rng: SeededRng): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rng.next() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s;
    }
  }
  return a;
}

function times(a: Float64Array, x: Float64Array, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => x.reduce((s, v, j) => s + a[i * n + j] * v, 0));
}

describe('solveSpd', () => {
  it('solves A x = b to rounding and leaves its inputs as they were', () => {
    const rng = new SeededRng(3);
    for (const n of [1, 2, 5, 10]) {
      const a = randomSpd(n, rng);
      const b = Float64Array.from({ length: n }, () => rng.next() * 4 - 2);
      const aBefore = a.slice();
      const bBefore = b.slice();
      const x = solveSpd(a, b, n);
      const back = times(a, x, n);
      for (let i = 0; i < n; i++) expect(back[i]).toBeCloseTo(b[i], 10);
      expect(a).toEqual(aBefore);
      expect(b).toEqual(bBefore);
    }
  });

  it('reads only the lower triangle', () => {
    const rng = new SeededRng(4);
    const a = randomSpd(4, rng);
    const garbage = a.slice();
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) garbage[i * 4 + j] = 1e6;
    const b = Float64Array.of(1, -2, 3, 0.5);
    const x = solveSpd(garbage, b, 4);
    const y = solveSpd(a, b, 4);
    for (let i = 0; i < 4; i++) expect(x[i]).toBeCloseTo(y[i], 12);
  });

  it('gets past a singular (positive semi-definite) matrix with a small jitter', () => {
    // [[1, 1], [1, 1]] is singular; the jittered solve still gives a finite least-norm-like answer.
    const x = solveSpd(Float64Array.of(1, 1, 1, 1), Float64Array.of(2, 2), 2);
    expect(x.every(Number.isFinite)).toBe(true);
    expect(x[0] + x[1]).toBeCloseTo(2, 4);
  });

  it('throws, naming the matrix, when even the largest jitter leaves it indefinite', () => {
    expect(() => solveSpd(Float64Array.of(1, 10, 10, 1), Float64Array.of(1, 1), 2, 'the test Hessian')).toThrow(
      'the test Hessian is not positive definite',
    );
  });
});

describe('choleskyInPlace', () => {
  it('returns false on a negative pivot, or clamps it to the floor when one is given', () => {
    expect(choleskyInPlace(Float64Array.of(-1, 0, 0, 1), 2)).toBe(false);
    const l = Float64Array.of(-1, 0, 0, 4);
    expect(choleskyInPlace(l, 2, 0, 1e-12)).toBe(true);
    expect(l[0]).toBeCloseTo(1e-6, 12);
    expect(l[3]).toBeCloseTo(2, 12);
    const b = Float64Array.of(0, 8);
    solveCholesky(l, b, 2);
    expect(b[1]).toBeCloseTo(2, 12);
  });
});
