// The dense part of the demand model: one tfjs LayersModel (saved as a standard tfjs artifact)
//   [category id, brand id, token multi-hot, numeric, prior] → raw (4W)
// an MLP over [category emb, brand emb, text projection, numeric] plus a linear path, plus the prior
// (exposure × category conversion rate, see features.ts) so the network learns corrections to it. The raw outputs
// become non-crossing quantiles of z = log(1 + weekly units) in composeQuantiles:
//   z50 = raw[0:W],  z10 = z50 − softplus(raw[W:2W]),  z90 = z50 + softplus(raw[2W:3W]),
// trained with the pinball loss at 0.1 / 0.5 / 0.9; raw[3W:4W] is log E[units], trained with the
// Poisson log-likelihood on units (a median of log units says little about the mean of skewed demand,
// and the mean is what revenue and margin need).
import * as tf from '@tensorflow/tfjs';
import { SeededRng } from '../random';
import { TOKEN_BUCKETS, type EncodedBatch } from './features';

export interface DemandNetworkConfig {
  weeks: number;
  categories: number;
  brands: number;
  numericWidth: number;
  embeddingDim: number;
  textDim: number;
  hidden: number[];
  dropout: number;
  l2: number;
  seed: number;
  poissonWeight: number;
}

export function buildDemandNetwork(cfg: DemandNetworkConfig): tf.LayersModel {
  const W = cfg.weeks;
  const catIn = tf.input({ shape: [1], name: 'category' });
  const brandIn = tf.input({ shape: [1], name: 'brand' });
  const tokIn = tf.input({ shape: [TOKEN_BUCKETS], name: 'tokens' });
  const numIn = tf.input({ shape: [cfg.numericWidth], name: 'numeric' });
  const priorIn = tf.input({ shape: [4 * W], name: 'prior' });
  const reg = () => tf.regularizers.l2({ l2: cfg.l2 });
  const emb = (name: string, n: number, input: tf.SymbolicTensor, seed: number) => tf.layers.flatten().apply(
    tf.layers.embedding({
      inputDim: n + 1, outputDim: cfg.embeddingDim, name, embeddingsRegularizer: reg(),
      embeddingsInitializer: tf.initializers.randomNormal({ stddev: 0.05, seed }),
    }).apply(input)) as tf.SymbolicTensor;
  const text = tf.layers.dense({
    units: cfg.textDim, name: 'text', kernelRegularizer: reg(), kernelInitializer: tf.initializers.glorotNormal({ seed: cfg.seed + 3 }),
  }).apply(tokIn) as tf.SymbolicTensor;
  const all = tf.layers.concatenate({ name: 'features' }).apply([
    emb('category_emb', cfg.categories, catIn, cfg.seed + 1), emb('brand_emb', cfg.brands, brandIn, cfg.seed + 2), text, numIn,
  ]) as tf.SymbolicTensor;
  let h = all;
  cfg.hidden.forEach((units, k) => {
    h = tf.layers.dense({
      units, activation: 'relu', name: `hidden_${k}`, kernelRegularizer: reg(),
      kernelInitializer: tf.initializers.heNormal({ seed: cfg.seed + 10 + k }),
    }).apply(h) as tf.SymbolicTensor;
    if (cfg.dropout > 0) h = tf.layers.dropout({ rate: cfg.dropout, seed: cfg.seed + 20 + k }).apply(h) as tf.SymbolicTensor;
  });
  // Bias: corrections start at zero, the band at a moderate width (softplus⁻¹ of 0.5).
  const bias = [...new Array<number>(W).fill(0), ...new Array<number>(2 * W).fill(Math.log(Math.expm1(0.5))), ...new Array<number>(W).fill(0)];
  const deep = tf.layers.dense({
    units: 4 * W, name: 'deep_out', kernelInitializer: tf.initializers.glorotNormal({ seed: cfg.seed + 30 }),
    biasInitializer: tf.initializers.zeros(),
  }).apply(h) as tf.SymbolicTensor;
  const wide = tf.layers.dense({
    units: 4 * W, name: 'wide_out', kernelRegularizer: reg(), kernelInitializer: tf.initializers.zeros(),
  }).apply(all) as tf.SymbolicTensor;
  const out = tf.layers.add({ name: 'raw' }).apply([deep, wide, priorIn]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: [catIn, brandIn, tokIn, numIn, priorIn], outputs: out, name: 'launch_demand' });
  const wideLayer = model.getLayer('wide_out');
  const [kernel] = wideLayer.getWeights();
  wideLayer.setWeights([kernel, tf.tensor1d(bias)]);
  return model;
}

export function batchTensors(b: EncodedBatch, rows?: Int32Array): tf.Tensor[] {
  if (!rows) {
    return [tf.tensor2d(b.category, [b.n, 1]), tf.tensor2d(b.brand, [b.n, 1]), tf.tensor2d(b.tokens, [b.n, TOKEN_BUCKETS]),
      tf.tensor2d(b.numeric, [b.n, b.numeric.length / Math.max(b.n, 1)]), tf.tensor2d(b.prior, [b.n, b.prior.length / Math.max(b.n, 1)])];
  }
  const K = b.numeric.length / Math.max(b.n, 1);
  const m = rows.length;
  const cat = new Float32Array(m);
  const brand = new Float32Array(m);
  const tok = new Float32Array(m * TOKEN_BUCKETS);
  const num = new Float32Array(m * K);
  const P = b.prior.length / Math.max(b.n, 1);
  const prior = new Float32Array(m * P);
  rows.forEach((r, i) => {
    prior.set(b.prior.subarray(r * P, (r + 1) * P), i * P);
    cat[i] = b.category[r];
    brand[i] = b.brand[r];
    tok.set(b.tokens.subarray(r * TOKEN_BUCKETS, (r + 1) * TOKEN_BUCKETS), i * TOKEN_BUCKETS);
    num.set(b.numeric.subarray(r * K, (r + 1) * K), i * K);
  });
  return [tf.tensor2d(cat, [m, 1]), tf.tensor2d(brand, [m, 1]), tf.tensor2d(tok, [m, TOKEN_BUCKETS]), tf.tensor2d(num, [m, K]), tf.tensor2d(prior, [m, P])];
}

/** Pinball loss of the z quantiles + Poisson negative log-likelihood (up to a constant) of the mean. */
function lossTensor(y: tf.Tensor2D, raw: tf.Tensor2D, W: number, poissonWeight: number): tf.Scalar {
  const z = tf.log1p(y);
  const [q50, a, b, logMean] = tf.split(raw, [W, W, W, W], 1);
  const q10 = q50.sub(tf.softplus(a));
  const q90 = q50.add(tf.softplus(b));
  const pin = (q: tf.Tensor, tau: number) => {
    const d = z.sub(q);
    return tf.maximum(d.mul(tau), d.mul(tau - 1)).mean();
  };
  const clipped = tf.clipByValue(logMean, -12, 12);
  const poisson = tf.exp(clipped).sub(y.mul(clipped)).mean();
  return pin(q10, 0.1).add(pin(q50, 0.5)).add(pin(q90, 0.9)).add(poisson.mul(poissonWeight)) as tf.Scalar;
}

export const POISSON_WEIGHT = 0.3;


/** The training loss of the network on a batch of weekly units; no gradients. */
export function evaluateLoss(model: tf.LayersModel, b: EncodedBatch, y: Float32Array, W: number, poissonWeight: number): number {
  return tf.tidy(() => {
    const raw = model.predict(batchTensors(b), { batchSize: Math.max(1, b.n) }) as tf.Tensor2D;
    return lossTensor(tf.tensor2d(y, [b.n, W]), raw, W, poissonWeight).dataSync()[0];
  });
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  poissonWeight: number;
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number) => void;
}

/** Adam on the loss, keeping the weights of the best validation epoch. `y*` are weekly units (n × W). */
export function fitDemandNetwork(model: tf.LayersModel, train: EncodedBatch, yTrain: Float32Array,
  validation: EncodedBatch | null, yValidation: Float32Array | null, W: number, o: FitOptions): { epochs: number; best: number; bestEpoch: number } {
  const optimizer = tf.train.adam(o.learningRate);
  const rng = new SeededRng(o.seed);
  const order = Int32Array.from({ length: train.n }, (_, i) => i);
  let best = Infinity;
  let bestWeights: tf.Tensor[] | null = null;
  let since = 0;
  let epoch = 0;
  let bestEpoch = 0;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (; epoch < o.epochs; epoch++) {
    rng.shuffle(order);
    let total = 0;
    for (let start = 0; start < train.n; start += o.batchSize) {
      const rows = order.subarray(start, Math.min(train.n, start + o.batchSize));
      const yb = new Float32Array(rows.length * W);
      rows.forEach((r, i) => yb.set(yTrain.subarray(r * W, (r + 1) * W), i * W));
      tf.tidy(() => {
        const inputs = batchTensors(train, rows);
        const yT = tf.tensor2d(yb, [rows.length, W]);
        const { value, grads } = tf.variableGrads(() => {
          const raw = model.apply(inputs, { training: true }) as tf.Tensor2D;
          let loss = lossTensor(yT, raw, W, o.poissonWeight);
          for (const l of model.calculateLosses()) loss = loss.add(l) as tf.Scalar;
          return loss;
        }, vars);
        optimizer.applyGradients(grads as unknown as Parameters<typeof optimizer.applyGradients>[0]);
        total += value.dataSync()[0] * rows.length;
      });
    }
    const v = validation && yValidation ? evaluateLoss(model, validation, yValidation, W, o.poissonWeight) : total / train.n;
    o.onEpoch?.(epoch, total / train.n, v);
    if (v < best - 1e-5) {
      best = v;
      bestEpoch = epoch;
      since = 0;
      bestWeights?.forEach((t) => t.dispose());
      bestWeights = model.getWeights().map((t) => t.clone());
    } else if (++since >= o.patience) {
      epoch++;
      break;
    }
  }
  if (bestWeights) {
    model.setWeights(bestWeights);
    bestWeights.forEach((t) => t.dispose());
  }
  optimizer.dispose();
  return { epochs: epoch, best, bestEpoch };
}

/** Raw network outputs → non-crossing z quantiles and the log mean (row-major n × W each). */
export function composeQuantiles(raw: Float32Array, n: number, W: number):
  { z10: Float64Array; z50: Float64Array; z90: Float64Array; logMean: Float64Array } {
  const logMean = new Float64Array(n * W);
  const z10 = new Float64Array(n * W);
  const z50 = new Float64Array(n * W);
  const z90 = new Float64Array(n * W);
  const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
  for (let i = 0; i < n; i++) {
    for (let w = 0; w < W; w++) {
      const o = i * 4 * W;
      logMean[i * W + w] = Math.max(-12, Math.min(12, raw[o + 3 * W + w]));
      const m = raw[o + w];
      z50[i * W + w] = m;
      z10[i * W + w] = m - softplus(raw[o + W + w]);
      z90[i * W + w] = m + softplus(raw[o + 2 * W + w]);
    }
  }
  return { z10, z50, z90, logMean };
}
