import { fmix32 } from '../ml/hashing';
import { SeededRng, sampleBeta, sampleGamma } from '../ml/random';

// Seeded randomness for the generator: one small, fast PRNG (xoshiro128**) plus the samplers the
// simulation needs. Everything the generator draws goes through an `Rng`, so a (size, seed) pair fixes
// every byte it writes. Independent parts of the generator use independent streams (`Rng.derive`), so
// changing how many numbers one part draws does not shift the numbers of another.

/** 32-bit string/number mixing (FNV-1a then a murmur finaliser), used only to derive stream seeds. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/**
 * The generator's stream: the shared xoshiro128** core of src/ml/random.ts (one PRNG in the
 * codebase, seeded the same way) plus named sub-streams and the samplers the simulation needs.
 */
export class Rng {
  private readonly core: SeededRng;
  private spareNormal = NaN;

  constructor(seed: number) {
    this.core = new SeededRng(seed);
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    return this.core.nextU32();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.core.next();
  }

  /** An independent stream named `label` under `seed`: same (seed, label) → same numbers. */
  static derive(seed: number, label: string): Rng {
    return new Rng(hash32(`${seed >>> 0}:${label}`));
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  intBetween(lo: number, hiInclusive: number): number {
    return lo + this.int(hiInclusive - lo + 1);
  }

  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Log-uniform in [lo, hi): equal mass per factor of the range. */
  logUniform(lo: number, hi: number): number {
    return lo * Math.exp(Math.log(hi / lo) * this.next());
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** Standard normal (Box–Muller, the second value cached). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let u = this.next();
    while (u <= 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Gamma(shape, scale) (the shared sampler of src/ml/random.ts). Mean = shape·scale. */
  gamma(shape: number, scale: number): number {
    return sampleGamma(this, shape, 1 / scale);
  }

  /** Beta(a, b) from two gammas. */
  beta(a: number, b: number): number {
    return sampleBeta(this, a, b);
  }

  /**
   * Binomial(n, p): waiting-time inversion (O(np)) when the mean is small, a continuity-corrected
   * normal approximation when it is large (where the difference does not matter here).
   */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - this.binomial(n, 1 - p);
    if (n * p < 25) {
      const logQ = Math.log(1 - p);
      let k = 0;
      let pos = -1;
      for (;;) {
        pos += 1 + Math.floor(Math.log(1 - this.next()) / logQ);
        if (pos >= n) return k;
        k++;
      }
    }
    const x = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * this.normal());
    return Math.min(n, Math.max(0, x));
  }

  /** Poisson(mean): multiplication method for small means, PTRS (Hörmann 1993) otherwise. */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean < 12) {
      const limit = Math.exp(-mean);
      let k = 0;
      let prod = this.next();
      while (prod > limit) {
        k++;
        prod *= this.next();
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const logLam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logLam - logGamma(k + 1)) {
        return k;
      }
    }
  }
}

/** ln Γ(x) (Lanczos, g = 7), accurate to ~1e-13 for x > 0. */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let s = g[0];
  for (let i = 1; i < 9; i++) s += g[i] / (x + i);
  const t = x + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * Walker's alias table: O(n) to build, O(1) per draw from a fixed discrete distribution. Zero weights
 * are never drawn; an all-zero table is `empty` and must not be sampled.
 */
export class AliasTable {
  readonly size: number;
  readonly empty: boolean;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  /** Maps table slots back to caller ids, when built from a subset. */
  private readonly ids: Int32Array | null;

  constructor(weights: ArrayLike<number>, ids: Int32Array | null = null) {
    const n = weights.length;
    this.size = n;
    this.ids = ids;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    this.empty = !(total > 0);
    if (this.empty) return;
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1;
  }

  /** One draw: a caller id (or slot index when built without ids). */
  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const slot = Math.floor(u);
    const pick = u - slot < this.prob[slot] ? slot : this.alias[slot];
    return this.ids ? this.ids[pick] : pick;
  }
}

/** Zipf weights 1/(rank+1)^s for ranks 0..n-1: the long tail of product popularity. */
export function zipfWeights(n: number, s: number): Float64Array {
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) w[r] = 1 / Math.pow(r + 1, s);
  return w;
}

/** A Zipf(n, s) rank sampler: rank 0 is the most frequent. */
export class ZipfSampler {
  private readonly table: AliasTable;
  constructor(n: number, s: number) {
    this.table = new AliasTable(zipfWeights(n, s));
  }
  sample(rng: Rng): number {
    return this.table.sample(rng);
  }
}
