// The sparse embedding table: row-wise lazy Adam that touches only the rows a batch used.
import { EmbeddingTable } from '../../src/ml/embedding-table';
import { SeededRng } from '../../src/ml/random';

describe('EmbeddingTable', () => {
  it('changes only the rows a batch touched', () => {
    const t = new EmbeddingTable({ known: 100, dim: 4, seed: 1, learningRate: 0.1 });
    const before = t.weights.slice();
    const rows = [3, 50, 3];
    t.applyGradients(rows, Float32Array.from({ length: 12 }, (_, k) => (k % 4) - 1.5));
    for (let r = 0; r < t.rows; r++) {
      const changed = t.weights.subarray(r * 4, r * 4 + 4).some((v, j) => v !== before[r * 4 + j]);
      expect(changed).toBe(r === 3 || r === 50);
    }
  });

  it('sums a row’s repeated gradients before its Adam step', () => {
    const a = new EmbeddingTable({ known: 10, dim: 2, seed: 5, learningRate: 0.05 });
    const b = new EmbeddingTable({ known: 10, dim: 2, seed: 5, learningRate: 0.05 });
    a.applyGradients([7, 7], Float32Array.from([0.3, -0.1, 0.5, 0.2]));
    b.applyGradients([7], Float32Array.from([0.8, 0.1]));
    a.applyGradients([7], Float32Array.from([0.1, 0.1]));
    b.applyGradients([7], Float32Array.from([0.1, 0.1]));
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  it('bias-corrects each row by its own step count', () => {
    const t = new EmbeddingTable({ known: 4, dim: 1, initScale: 0, learningRate: 0.01 });
    for (let s = 0; s < 50; s++) t.applyGradients([0], Float32Array.from([1]));
    t.applyGradients([1], Float32Array.from([1]));
    // A row's first step is −lr whatever the other rows did (Adam's first step is lr·sign(g)).
    expect(t.weights[1]).toBeCloseTo(-0.01, 6);
    expect(t.weights[0]).toBeCloseTo(-0.5, 2);
  });

  it('sends anonymous ids to a shared row and unseen ids to stable hash buckets', () => {
    const t = new EmbeddingTable({ known: 10, dim: 2, hashBuckets: 4 });
    expect(t.rowOf(3)).toBe(3);
    expect(t.rowOf(-1)).toBe(10);
    const r = t.rowOf(12345);
    expect(r).toBeGreaterThanOrEqual(11);
    expect(r).toBeLessThan(15);
    expect(t.rowOf(12345)).toBe(r);
    expect(t.coldRowOf(3)).toBeGreaterThanOrEqual(11);
  });

  it('learns a synthetic low-rank factorisation: the logistic loss falls', () => {
    const users = 300, items = 200, dim = 4, trueDim = 3;
    const rng = new SeededRng(11);
    const U = Float64Array.from({ length: users * trueDim }, () => rng.normal());
    const V = Float64Array.from({ length: items * trueDim }, () => rng.normal());
    const n = 30000;
    const u = Int32Array.from({ length: n }, () => rng.int(users));
    const v = Int32Array.from({ length: n }, () => rng.int(items));
    const y = Uint8Array.from({ length: n }, (_, i) => {
      let dot = 0;
      for (let k = 0; k < trueDim; k++) dot += U[u[i] * trueDim + k] * V[v[i] * trueDim + k];
      return rng.next() < 1 / (1 + Math.exp(-2 * dot)) ? 1 : 0;
    });
    const P = new EmbeddingTable({ known: users, dim, seed: 1, initScale: 0.1, learningRate: 0.03 });
    const Q = new EmbeddingTable({ known: items, dim, seed: 2, initScale: 0.1, learningRate: 0.03 });
    const loss = () => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        let z = 0;
        for (let k = 0; k < dim; k++) z += P.weights[u[i] * dim + k] * Q.weights[v[i] * dim + k];
        const p = 1 / (1 + Math.exp(-z));
        s -= y[i] ? Math.log(p) : Math.log(1 - p);
      }
      return s / n;
    };
    const start = loss();
    const batch = 256;
    for (let epoch = 0; epoch < 8; epoch++) {
      for (let b = 0; b < n; b += batch) {
        const m = Math.min(batch, n - b);
        const gu = new Float32Array(m * dim);
        const gv = new Float32Array(m * dim);
        for (let k = 0; k < m; k++) {
          const i = b + k;
          let z = 0;
          for (let j = 0; j < dim; j++) z += P.weights[u[i] * dim + j] * Q.weights[v[i] * dim + j];
          const d = (1 / (1 + Math.exp(-z)) - y[i]) / m;
          for (let j = 0; j < dim; j++) {
            gu[k * dim + j] = d * Q.weights[v[i] * dim + j];
            gv[k * dim + j] = d * P.weights[u[i] * dim + j];
          }
        }
        P.applyGradients(u.subarray(b, b + m), gu);
        Q.applyGradients(v.subarray(b, b + m), gv);
      }
    }
    const end = loss();
    expect(start).toBeGreaterThan(0.68);
    expect(end).toBeLessThan(0.55);
  });
});
