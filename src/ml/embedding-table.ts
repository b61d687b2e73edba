// A sparse embedding table in plain typed arrays, trained outside the autograd graph with row-wise
// lazy Adam: a batch's gradient touches only the rows it looked up (duplicates accumulated first),
// and each row keeps its own Adam moments and step count, so a row's bias correction reflects how
// often IT was updated. This is what makes million-row tables cheap to train: the cost per batch is
// O(rows touched × dim), never O(table).
//
// Row layout: [0, known) are the ids seen at training time; row `known` is the shared vector of
// anonymous ids (-1); the last `hashBuckets` rows receive every other id (ids ≥ known, e.g. customers
// created after training) by hashing, so an unseen id still gets a trained, shared vector.
import { hashInt } from './hashing';
import { SeededRng } from './random';

export interface EmbeddingTableOptions {
  /** Ids [0, known) get their own row. */
  known: number;
  dim: number;
  /** Rows shared (by hash) by ids ≥ known; 0 sends them all to the anonymous row. */
  hashBuckets?: number;
  seed?: number;
  /** Initial values ~ N(0, initScale²). */
  initScale?: number;
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 penalty coefficient added to a touched row's gradient (lazy: untouched rows do not decay). */
  l2?: number;
}

export class EmbeddingTable {
  readonly known: number;
  readonly dim: number;
  readonly hashBuckets: number;
  readonly rows: number;
  readonly weights: Float32Array;
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  l2: number;
  // Optimiser state, allocated on the first update (a table loaded for scoring never needs it).
  private m: Float32Array | null = null;
  private v: Float32Array | null = null;
  private steps: Int32Array | null = null;
  // Scratch for accumulating duplicate rows within a batch.
  private slotOf: Int32Array | null = null;
  private uniqueRows = new Int32Array(0);
  private accum = new Float32Array(0);

  constructor(opts: EmbeddingTableOptions, weights?: Float32Array) {
    this.known = opts.known;
    this.dim = opts.dim;
    this.hashBuckets = opts.hashBuckets ?? 0;
    this.rows = this.known + 1 + this.hashBuckets;
    this.learningRate = opts.learningRate ?? 0.01;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    this.l2 = opts.l2 ?? 0;
    if (weights) {
      if (weights.length !== this.rows * this.dim) throw new Error(`embedding weights: expected ${this.rows}×${this.dim}, got ${weights.length}`);
      this.weights = weights;
    } else {
      this.weights = new Float32Array(this.rows * this.dim);
      const rng = new SeededRng(opts.seed ?? 1);
      const scale = opts.initScale ?? 0.05;
      for (let i = 0; i < this.weights.length; i++) this.weights[i] = scale * rng.normal();
    }
  }

  /** The row holding id's vector: its own row, the anonymous row (-1), or a hash bucket. */
  rowOf(id: number): number {
    if (id >= 0 && id < this.known) return id;
    if (id < 0 || this.hashBuckets === 0) return this.known;
    return this.known + 1 + (hashInt(id, 0x5bd1e995) % this.hashBuckets);
  }

  /** The hash-bucket row an id would use if it had no row of its own (training-time id dropout). */
  coldRowOf(id: number): number {
    if (id < 0 || this.hashBuckets === 0) return this.known;
    return this.known + 1 + (hashInt(id, 0x5bd1e995) % this.hashBuckets);
  }

  /** Copies the vectors of `rows` (row indices, not ids) into out (rows.length × dim, at outOffset). */
  gatherRows(rows: ArrayLike<number>, out: Float32Array, outOffset = 0, outStride = this.dim): Float32Array {
    const d = this.dim;
    const w = this.weights;
    for (let k = 0; k < rows.length; k++) {
      const src = rows[k] * d;
      const dst = outOffset + k * outStride;
      for (let j = 0; j < d; j++) out[dst + j] = w[src + j];
    }
    return out;
  }

  /** Vectors of ids (mapped through rowOf) into a new rows.length × dim array. */
  lookup(ids: ArrayLike<number>): Float32Array {
    const rows = new Int32Array(ids.length);
    for (let k = 0; k < ids.length; k++) rows[k] = this.rowOf(ids[k]);
    return this.gatherRows(rows, new Float32Array(ids.length * this.dim));
  }

  private ensureState(): void {
    if (this.m) return;
    this.m = new Float32Array(this.weights.length);
    this.v = new Float32Array(this.weights.length);
    this.steps = new Int32Array(this.rows);
    this.slotOf = new Int32Array(this.rows).fill(-1);
  }

  /**
   * One lazy-Adam step. `rows[k]` is a row index and grads[k*dim .. (k+1)*dim) the loss gradient for
   * that lookup (at gradOffset/gradStride within a wider matrix). Repeated rows are summed first.
   * Returns how many distinct rows changed.
   */
  applyGradients(rows: ArrayLike<number>, grads: Float32Array, gradOffset = 0, gradStride = this.dim): number {
    this.ensureState();
    const d = this.dim;
    const slotOf = this.slotOf!;
    if (this.uniqueRows.length < rows.length) {
      this.uniqueRows = new Int32Array(rows.length);
      this.accum = new Float32Array(rows.length * d);
    }
    const uniq = this.uniqueRows;
    const acc = this.accum;
    let nu = 0;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      let s = slotOf[r];
      if (s < 0) {
        s = nu++;
        slotOf[r] = s;
        uniq[s] = r;
        acc.fill(0, s * d, s * d + d);
      }
      const src = gradOffset + k * gradStride;
      const dst = s * d;
      for (let j = 0; j < d; j++) acc[dst + j] += grads[src + j];
    }
    const m = this.m!;
    const v = this.v!;
    const w = this.weights;
    const steps = this.steps!;
    const { beta1: b1, beta2: b2, epsilon: eps, learningRate: lr, l2 } = this;
    for (let s = 0; s < nu; s++) {
      const r = uniq[s];
      slotOf[r] = -1;
      const t = ++steps[r];
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const stepSize = (lr * Math.sqrt(c2)) / c1;
      const base = r * d;
      const a = s * d;
      for (let j = 0; j < d; j++) {
        const g = acc[a + j] + l2 * w[base + j];
        const mj = b1 * m[base + j] + (1 - b1) * g;
        const vj = b2 * v[base + j] + (1 - b2) * g * g;
        m[base + j] = mj;
        v[base + j] = vj;
        w[base + j] -= (stepSize * mj) / (Math.sqrt(vj) + eps);
      }
    }
    return nu;
  }

  /** The options that rebuild this table's shape (for artifacts). */
  shape(): { known: number; dim: number; hashBuckets: number } {
    return { known: this.known, dim: this.dim, hashBuckets: this.hashBuckets };
  }
}
