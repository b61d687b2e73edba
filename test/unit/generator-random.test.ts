// The generator's randomness: a seeded stream whose samplers have the right moments, and the two
// weighted samplers (alias table, Fenwick tree) drawing in proportion to their weights.
import { FenwickSampler } from '../../src/generator/fenwick';
import { AliasTable, Rng, ZipfSampler } from '../../src/generator/random';

const N = 50_000;

function moments(draw: () => number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let k = 0; k < N; k++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / N;
  return { mean, variance: s2 / N - mean * mean };
}

describe('the generator random stream', () => {
  it('repeats itself for the same seed and label and differs otherwise', () => {
    const take = (r: Rng) => Array.from({ length: 5 }, () => r.nextU32());
    expect(take(Rng.derive(7, 'a'))).toEqual(take(Rng.derive(7, 'a')));
    expect(take(Rng.derive(7, 'a'))).not.toEqual(take(Rng.derive(7, 'b')));
    expect(take(Rng.derive(7, 'a'))).not.toEqual(take(Rng.derive(8, 'a')));
  });

  it('draws uniforms, normals, gammas, Poissons and binomials with the right mean and variance', () => {
    const r = new Rng(1);
    const u = moments(() => r.next());
    expect(u.mean).toBeCloseTo(0.5, 2);
    expect(u.variance).toBeCloseTo(1 / 12, 2);
    const z = moments(() => r.normal());
    expect(z.mean).toBeCloseTo(0, 1);
    expect(z.variance).toBeCloseTo(1, 1);
    for (const [shape, scale] of [[0.5, 2], [1.5, 1], [6, 0.5]]) {
      const g = moments(() => r.gamma(shape, scale));
      expect(g.mean / (shape * scale)).toBeCloseTo(1, 1);
      expect(g.variance / (shape * scale * scale)).toBeCloseTo(1, 1);
    }
    for (const mean of [0.3, 4, 40, 400]) {
      const p = moments(() => r.poisson(mean));
      expect(p.mean / mean).toBeCloseTo(1, 1);
      expect(p.variance / mean).toBeCloseTo(1, 1);
    }
    for (const [n, p] of [[10, 0.3], [1000, 0.004], [5000, 0.2], [40, 0.9]]) {
      const b = moments(() => r.binomial(n, p));
      expect(b.mean / (n * p)).toBeCloseTo(1, 1);
      expect(b.variance / (n * p * (1 - p))).toBeCloseTo(1, 1);
    }
  });

  it('samples an alias table in proportion to its weights and never picks a zero weight', () => {
    const r = new Rng(2);
    const weights = [5, 0, 1, 3, 1];
    const table = new AliasTable(weights);
    const counts = new Array(weights.length).fill(0);
    for (let k = 0; k < N; k++) counts[table.sample(r)]++;
    weights.forEach((w, k) => expect(counts[k] / N).toBeCloseTo(w / 10, 2));
    expect(counts[1]).toBe(0);
  });

  it('gives Zipf ranks a long tail: the first rank is drawn far more often than the hundredth', () => {
    const r = new Rng(3);
    const zipf = new ZipfSampler(1000, 1.1);
    const counts = new Array(1000).fill(0);
    for (let k = 0; k < N; k++) counts[zipf.sample(r)]++;
    expect(counts[0] / counts[99]).toBeGreaterThan(100);
    expect(counts.slice(0, 100).reduce((a, b) => a + b, 0) / N).toBeGreaterThan(0.6);
  });

  it('samples a Fenwick tree in proportion to weights that change, skipping zeroed entries', () => {
    const r = new Rng(4);
    const tree = new FenwickSampler(6);
    [1, 2, 3, 4, 5, 6].forEach((w, i) => tree.set(i, w));
    tree.set(2, 0);
    tree.set(5, 1);
    expect(tree.total).toBe(13);
    const counts = new Array(6).fill(0);
    for (let k = 0; k < N; k++) counts[tree.sample(r.next())]++;
    [1, 2, 0, 4, 5, 1].forEach((w, i) => expect(counts[i] / N).toBeCloseTo(w / 13, 2));
  });
});
