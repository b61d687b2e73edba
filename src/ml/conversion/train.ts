// Training loop of the conversion model: seeded shuffles, one TrainingStep per batch (train-step.ts:
// dense Adam in tfjs, row-wise lazy Adam on the sparse tables), early stopping on validation AUC
// keeping the best epoch's weights, then calibration fitted on the validation slice.
import * as tf from '@tensorflow/tfjs';
import { requireBackend } from '../backend';
import { SeededRng, permutation } from '../random';
import { auc, logLoss } from '../metrics';
import { sigmoid } from '../calibration';
import { chooseCalibrator, type CalibrationChoice, type CalibrationReport } from './calibrate-model';
import { contextDim } from './context-features';
import { HistoryState, recentItemsForRows } from './history-state';
import { ConversionModel } from './model';
import { buildHead, buildProductTower, trainableVariables, type NetworkConfig } from './network';
import { buildContextRows, prepareConversionData, type PrepareOptions, type PreparedConversionData } from './prepare';
import { createTables, TABLE_NAMES, type SparseTables } from './sparse-tables';
import { TrainingStep } from './train-step';
import type { ConversionDataset } from './types';

export interface TrainConversionOptions {
  seed?: number;
  maxEpochs?: number;
  /** Epochs without a validation-AUC gain before stopping. */
  patience?: number;
  batchSize?: number;
  dim?: number;
  contentDim?: number;
  contentHidden?: number;
  hidden?: number[];
  /** Dense Adam learning rate. */
  learningRate?: number;
  idLearningRate?: number;
  contentLearningRate?: number;
  customerL2?: number;
  productL2?: number;
  contentL2?: number;
  /** Weight of the engagement (view/click) auxiliary loss; 0 disables it. */
  engagementWeight?: number;
  /** Per-row probability of training a customer's row through its cold-start bucket instead. */
  customerDropout?: number;
  /** Per-batch probability of hiding a product's id vector (teaches content-only scoring). */
  productDropout?: number;
  customerHashBuckets?: number;
  /**
   * Add a taste vector learned from each customer's recent engaged products and browsed category
   * pages to their id vector. Off by default: on the generator's shops it did not move held-out AUC
   * (the point-in-time category lift already carries that signal) and costs ~30% of training speed.
   */
  taste?: boolean;
  calibration?: CalibrationChoice;
  prepare?: PrepareOptions;
  /** Stop after this many training rows per epoch (quick runs); default all. */
  maxTrainRowsPerEpoch?: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  valAuc: number;
  valLogLoss: number;
  examplesPerSecond: number;
  elapsedMs: number;
}

export interface TrainingReport {
  epochs: EpochReport[];
  bestEpoch: number;
  calibration: CalibrationReport;
  trainExamplesPerSecond: number;
}

/**
 * Defaults. The head is [32, 16]: on the generator's small and medium shops [64, 32] gave the same
 * held-out AUC (±0.002) at ~25% lower training speed — the WASM backend's single-threaded matmuls
 * are the ceiling, so dense width is what costs.
 *
 * Customer vectors are the part that overfits: most shoppers have a handful of views and a purchase
 * or two, and with light regularisation validation AUC peaked after the first epoch. Stronger L2 on
 * them (1e-3), routing a quarter of rows through the cold-start bucket, and a heavier engagement loss
 * (views are ~3× as frequent as purchases and rise with the same affinity) let them train for 3–5
 * epochs instead; validation AUC rose on all four generated shops tried (small and medium, seeds 1
 * and 2: +0.0007 to +0.0045), held-out AUC by 0.001–0.003 and the new-product bucket's by 0.002–0.02
 * (bench:conversion-quality). The cost is those extra epochs (wall time), not examples/s.
 */
export const DEFAULT_TRAIN_OPTIONS = {
  seed: 1, maxEpochs: 12, patience: 2, batchSize: 512, dim: 16, contentDim: 16, contentHidden: 32, hidden: [32, 16],
  learningRate: 0.002, idLearningRate: 0.01, contentLearningRate: 0.01, customerL2: 1e-3, productL2: 1e-4, contentL2: 1e-5,
  engagementWeight: 1.5, customerDropout: 0.25, productDropout: 0.1, customerHashBuckets: 64, taste: false,
  calibration: 'auto' as CalibrationChoice,
  maxTrainRowsPerEpoch: Infinity,
};

const DAY_MS = 86_400_000;

function isPrepared(d: ConversionDataset | PreparedConversionData): d is PreparedConversionData {
  return (d as PreparedConversionData).history !== undefined && (d as PreparedConversionData).split !== undefined;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

/** Trains, early-stops on validation AUC, calibrates on validation. The report is model.training. */
export async function trainConversionModel(
  input: ConversionDataset | PreparedConversionData,
  options: TrainConversionOptions = {},
  onEpoch?: (e: EpochReport) => void,
): Promise<ConversionModel & { training: TrainingReport }> {
  const backend = requireBackend();
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const prep = isPrepared(input) ? input : prepareConversionData(input, o.prepare);
  const { data, split, schema } = prep;
  const ex = data.exposures;
  const products = data.products;
  const rng = new SeededRng(o.seed);

  const config: NetworkConfig = {
    dim: o.dim, contentDim: o.contentDim, contentHidden: o.contentHidden, hidden: o.hidden,
    contextWidth: contextDim(schema), seed: o.seed, taste: o.taste,
  };
  const tables = createTables({
    dim: o.dim, contentDim: o.contentDim, customers: data.customers.count, products: products.count,
    categories: products.categories.length, brands: products.brands.length, tokenBuckets: products.tokenBuckets,
    customerHashBuckets: o.customerHashBuckets,
  }, {
    seed: o.seed, idLearningRate: o.idLearningRate, contentLearningRate: o.contentLearningRate,
    customerL2: o.customerL2, productL2: o.productL2, contentL2: o.contentL2,
  });
  const productTower = buildProductTower(config);
  const head = buildHead(config);
  const vars = trainableVariables([productTower, head]);
  const optimizer = tf.train.adam(o.learningRate);

  const medians = categoryMedians(products);
  const model = new ConversionModel({
    config, schema, tables, productTower, head, calibrator: { kind: 'none' }, products, customers: data.customers,
    history: new HistoryState(products.count, products.category, products.categories.length), productBucket: prep.productBucket,
    categoryMedianPrice: medians, metadata: {
      backend: backend.name, trainedAt: new Date().toISOString(),
      dataWindow: { from: iso(minOf(ex.time)), to: iso(data.dataEnd), validationFrom: iso(split.validationFrom), testFrom: iso(split.testFrom) },
      labelWindowDays: data.labelWindowMs / DAY_MS,
      rows: { train: split.train.length, validation: split.validation.length, test: split.test.length },
      epochs: 0, bestEpoch: 0, trainExamplesPerSecond: 0,
      params: { ...o, prepare: undefined, maxTrainRowsPerEpoch: Number.isFinite(o.maxTrainRowsPerEpoch) ? o.maxTrainRowsPerEpoch : null },
    },
  });

  const step = new TrainingStep(prep, tables, productTower, head, optimizer, rng, {
    batchSize: o.batchSize, customerDropout: o.customerDropout, productDropout: o.productDropout,
    engagementWeight: o.engagementWeight, taste: o.taste,
  });

  const valRows = split.validation;
  const valCtx = buildContextRows(schema, products, data.customers, ex, prep.history, valRows);
  const valCustomers = Int32Array.from(valRows, (i) => ex.customer[i]);
  const valProducts = Int32Array.from(valRows, (i) => ex.product[i]);
  const valLabels = Uint8Array.from(valRows, (i) => ex.label[i]);
  const valTimes = Float64Array.from(valRows, (i) => ex.time[i]);
  const noItems = (n: number) => ({ offsets: new Int32Array(n + 1), products: new Int32Array(0) });
  const valRecent = o.taste ? recentItemsForRows(prep.engaged, ex.customer, valRows) : noItems(valRows.length);
  const validate = () => {
    model.invalidate();
    const logits = model.logitsFromContext(valCustomers, valProducts, valCtx, valRecent);
    const p = Float32Array.from(logits, sigmoid);
    return { p, auc: auc(logits, valLabels), logLoss: logLoss(p, valLabels) };
  };

  const epochs: EpochReport[] = [];
  let best = { auc: -Infinity, epoch: 0, snapshot: null as Snapshot | null };
  let trainMs = 0;
  let trainRows = 0;
  for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
    const started = Date.now();
    const order = permutation(split.train.length, rng);
    const limit = Math.min(order.length, o.maxTrainRowsPerEpoch);
    let lossSum = 0;
    let lossRows = 0;
    for (let start = 0, k = 0; start < limit; start += o.batchSize, k++) {
      const m = Math.min(o.batchSize, limit - start);
      const rows = new Int32Array(m);
      for (let j = 0; j < m; j++) rows[j] = split.train[order[start + j]];
      lossSum += step.run(rows) * m;
      lossRows += m;
      // Let timers and messages through now and then (progress, lock renewal when not in a thread).
      if (k % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    const elapsed = Date.now() - started;
    trainMs += elapsed;
    trainRows += lossRows;
    const val = validate();
    const report: EpochReport = {
      epoch, loss: lossSum / Math.max(1, lossRows), valAuc: val.auc, valLogLoss: val.logLoss,
      examplesPerSecond: lossRows / Math.max(1e-3, elapsed / 1000), elapsedMs: Date.now() - started,
    };
    epochs.push(report);
    onEpoch?.(report);
    if (val.auc > best.auc) best = { auc: val.auc, epoch, snapshot: takeSnapshot(tables, vars) };
    else if (epoch - best.epoch >= o.patience) break;
    await new Promise((r) => setImmediate(r));
  }
  if (best.snapshot) restoreSnapshot(best.snapshot, tables, vars);
  optimizer.dispose();

  const val = validate();
  const { calibrator, report: calibration } = chooseCalibrator(val.p, valLabels, valTimes, o.calibration);
  model.calibrator = calibrator;
  model.history = prep.finalState;
  const training: TrainingReport = {
    epochs, bestEpoch: best.epoch, calibration, trainExamplesPerSecond: trainRows / Math.max(1e-3, trainMs / 1000),
  };
  model.metadata.epochs = epochs.length;
  model.metadata.bestEpoch = best.epoch;
  model.metadata.trainExamplesPerSecond = training.trainExamplesPerSecond;
  return Object.assign(model, { training });
}

interface Snapshot {
  tables: Record<keyof SparseTables, Float32Array>;
  dense: Float32Array[];
}

function takeSnapshot(tables: SparseTables, vars: tf.Variable[]): Snapshot {
  const t = {} as Record<keyof SparseTables, Float32Array>;
  for (const k of TABLE_NAMES) t[k] = tables[k].weights.slice();
  return { tables: t, dense: vars.map((v) => v.dataSync() as Float32Array).map((a) => a.slice()) };
}

function restoreSnapshot(s: Snapshot, tables: SparseTables, vars: tf.Variable[]): void {
  for (const k of TABLE_NAMES) tables[k].weights.set(s.tables[k]);
  tf.tidy(() => vars.forEach((v, k) => v.assign(tf.tensor(s.dense[k], v.shape))));
}

function minOf(a: Float64Array): number {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

/** Median list price per category as the feature builder computed it (NaN when the caller did not give it). */
function categoryMedians(products: { categories: string[]; categoryMedianPrice?: Float64Array }): Float64Array {
  return products.categoryMedianPrice ?? new Float64Array(products.categories.length).fill(NaN);
}
