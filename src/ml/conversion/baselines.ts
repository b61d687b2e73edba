// Baselines fitted on the same training rows as the model, stored beside it so every model version
// is judged against them:
//  - popularity: per-product smoothed conversion rate (Bayesian shrinkage toward the global rate),
//    times a placement × position-bucket lift;
//  - logistic regression on the model's non-embedding features: the full context vector (history,
//    placement, position, time, customer attributes, product age), relative price, and one-hot
//    category and brand. Trained by Adam on log loss with L2, in plain JS.
import { SeededRng, permutation } from '../random';
import { sigmoid } from '../calibration';
import { contextDim } from './context-features';
import { buildContextRows, type ExampleSet, type PreparedConversionData } from './prepare';
import type { ContextSchema } from './context-features';
import type { CustomerFeatures, ExposureExamples, ProductFeatures } from './types';

const POSITION_BUCKETS = 4; // 0, 1, 2–3, 4+

function positionBucket(pos: number): number {
  return pos <= 0 ? 0 : pos === 1 ? 1 : pos <= 3 ? 2 : 3;
}

export interface PopularityBaseline {
  kind: 'popularity';
  globalRate: number;
  /** Smoothed rate per product index. */
  productRate: Float32Array;
  /** Lift per (placement code × POSITION_BUCKETS + bucket). */
  contextLift: Float32Array;
}

export function fitPopularity(ex: ExposureExamples, rows: ArrayLike<number>, products: number, prior = 20): PopularityBaseline {
  const n = new Float64Array(products);
  const pos = new Float64Array(products);
  const cn = new Float64Array(16 * POSITION_BUCKETS);
  const cp = new Float64Array(16 * POSITION_BUCKETS);
  let total = 0;
  let positives = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const y = ex.label[i] > 0 ? 1 : 0;
    n[ex.product[i]]++;
    pos[ex.product[i]] += y;
    const c = Math.min(ex.placement[i], 15) * POSITION_BUCKETS + positionBucket(ex.position[i]);
    cn[c]++;
    cp[c] += y;
    total++;
    positives += y;
  }
  const g = total > 0 ? positives / total : 0;
  const productRate = Float32Array.from(n, (m, p) => (pos[p] + prior * g) / (m + prior));
  const contextLift = Float32Array.from(cn, (m, c) => (g > 0 ? (cp[c] + 50 * g) / (m + 50) / g : 1));
  return { kind: 'popularity', globalRate: g, productRate, contextLift };
}

export function predictPopularity(b: PopularityBaseline, ex: ExposureExamples): Float32Array {
  const out = new Float32Array(ex.count);
  for (let i = 0; i < ex.count; i++) {
    const p = ex.product[i];
    const rate = p < b.productRate.length ? b.productRate[p] : b.globalRate;
    const c = Math.min(ex.placement[i], 15) * POSITION_BUCKETS + positionBucket(ex.position[i]);
    out[i] = Math.min(0.999, rate * (b.contextLift[c] ?? 1));
  }
  return out;
}

export interface LogisticBaseline {
  kind: 'logistic';
  schema: ContextSchema;
  categories: number;
  brands: number;
  /** Weights: [context (contextDim), relPrice, category one-hot (+1 unknown), brand one-hot (+1 unknown)]. */
  weights: Float32Array;
  bias: number;
}

function logisticWidth(schema: ContextSchema, categories: number, brands: number): number {
  return contextDim(schema) + 1 + categories + 1 + brands + 1;
}

export interface LogisticOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** The dense part of a row's features (context + price); category and brand are one-hot indices. */
function rowsFeatures(schema: ContextSchema, products: ProductFeatures, customers: CustomerFeatures, ex: ExposureExamples,
  history: Float32Array, rows: ArrayLike<number>): Float32Array {
  return buildContextRows(schema, products, customers, ex, history, rows);
}

export function fitLogistic(prep: PreparedConversionData, opts: LogisticOptions = {}): LogisticBaseline {
  const { data, schema, history, split } = prep;
  const products = data.products;
  const ex = data.exposures;
  const nc = products.categories.length;
  const nb = products.brands.length;
  const cw = contextDim(schema);
  const width = logisticWidth(schema, nc, nb);
  const w = new Float32Array(width);
  const m = new Float32Array(width);
  const v = new Float32Array(width);
  let bias = 0, mb = 0, vb = 0;
  const rng = new SeededRng(opts.seed ?? 7);
  const lr = opts.learningRate ?? 0.01;
  const l2 = opts.l2 ?? 1e-5;
  const epochs = opts.epochs ?? 3;
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const batch = 256;
  const grad = new Float32Array(width);
  const touched = new Uint8Array(width);
  let t = 0;
  // Mean base rate as the starting bias.
  let pos = 0;
  for (let k = 0; k < split.train.length; k++) pos += ex.label[split.train[k]];
  const rate = Math.max(1e-4, pos / Math.max(1, split.train.length));
  bias = Math.log(rate / (1 - rate));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(split.train.length, rng);
    for (let start = 0; start < order.length; start += batch) {
      const rows = Int32Array.from({ length: Math.min(batch, order.length - start) }, (_, k) => split.train[order[start + k]]);
      const x = rowsFeatures(schema, products, data.customers, ex, history, rows);
      grad.fill(0);
      touched.fill(0, cw + 1);
      let gb = 0;
      for (let k = 0; k < rows.length; k++) {
        const i = rows[k];
        const p = ex.product[i];
        const cat = products.category[p];
        const br = products.brand[p];
        const ci = cw + 1 + (cat >= 0 ? cat : nc);
        const bi = cw + 1 + nc + 1 + (br >= 0 ? br : nb);
        let z = bias + w[cw] * products.logRelPrice[p] + w[ci] + w[bi];
        for (let j = 0; j < cw; j++) z += w[j] * x[k * cw + j];
        const d = (sigmoid(z) - ex.label[i]) / rows.length;
        for (let j = 0; j < cw; j++) grad[j] += d * x[k * cw + j];
        grad[cw] += d * products.logRelPrice[p];
        grad[ci] += d;
        grad[bi] += d;
        touched[ci] = touched[bi] = 1;
        gb += d;
      }
      t++;
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      for (let j = 0; j < width; j++) {
        if (j > cw && !touched[j]) continue;
        const g = grad[j] + l2 * w[j];
        m[j] = b1 * m[j] + (1 - b1) * g;
        v[j] = b2 * v[j] + (1 - b2) * g * g;
        w[j] -= (lr * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + eps);
      }
      mb = b1 * mb + (1 - b1) * gb;
      vb = b2 * vb + (1 - b2) * gb * gb;
      bias -= (lr * (mb / c1)) / (Math.sqrt(vb / c2) + eps);
    }
  }
  return { kind: 'logistic', schema, categories: nc, brands: nb, weights: w, bias };
}

export function predictLogistic(b: LogisticBaseline, products: ProductFeatures, customers: CustomerFeatures, set: ExampleSet): Float32Array {
  const ex = set.examples;
  const cw = contextDim(b.schema);
  const rows = Int32Array.from({ length: ex.count }, (_, i) => i);
  const x = rowsFeatures(b.schema, products, customers, ex, set.history, rows);
  const out = new Float32Array(ex.count);
  const w = b.weights;
  for (let i = 0; i < ex.count; i++) {
    const p = ex.product[i];
    const cat = products.category[p];
    const br = products.brand[p];
    let z = b.bias + w[cw] * products.logRelPrice[p];
    z += w[cw + 1 + (cat >= 0 && cat < b.categories ? cat : b.categories)];
    z += w[cw + 1 + b.categories + 1 + (br >= 0 && br < b.brands ? br : b.brands)];
    for (let j = 0; j < cw; j++) z += w[j] * x[i * cw + j];
    out[i] = sigmoid(z);
  }
  return out;
}

export interface ConversionBaselines {
  popularity: PopularityBaseline;
  logistic: LogisticBaseline;
}

/** Fits both baselines on the training rows of a prepared dataset. */
export function fitBaselines(prep: PreparedConversionData, opts: { logistic?: LogisticOptions } = {}): ConversionBaselines {
  return {
    popularity: fitPopularity(prep.data.exposures, prep.split.train, prep.data.products.count),
    logistic: fitLogistic(prep, opts.logistic),
  };
}
