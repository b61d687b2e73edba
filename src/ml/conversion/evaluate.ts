// Held-out evaluation of a conversion model beside its baselines and, on synthetic data, beside the
// oracle (the true purchase probabilities). Rows without a known truthP are left out of every
// metric when truthP is present, so all columns are computed on the same rows.
import { auc, brier, ece, logLoss, type CalibrationBin } from '../metrics';
import { predictLogistic, predictPopularity, type ConversionBaselines } from './baselines';
import type { ConversionModel } from './model';
import { BUCKETS, type BucketName, type ExampleSet } from './prepare';
import { NUM_HISTORY, type RecentItems } from './history-state';
import { selectExposures } from './types';

export interface MetricSet {
  auc: number;
  logLoss: number;
  brier: number;
  /** Equal-mass (10 bins) ECE of the positive-class probability. */
  ece: number;
}

export interface BucketEvaluation {
  rows: number;
  positives: number;
  products: number;
  auc: { model: number; popularity: number; logistic: number; oracle?: number };
  /** model AUC / oracle AUC. */
  oracleRatio?: number;
}

export interface ConversionEvaluation {
  rows: number;
  positives: number;
  /** Rows dropped because their truthP is unknown (only when truthP is present). */
  excludedRows: number;
  model: { raw: MetricSet; calibrated: MetricSet; calibrationCurve: CalibrationBin[] };
  popularity: MetricSet;
  logistic: MetricSet;
  oracle?: MetricSet;
  /** model AUC / oracle AUC on the same rows. */
  oracleRatio?: number;
  buckets: Record<BucketName, BucketEvaluation>;
}

function metricSet(p: ArrayLike<number>, y: Uint8Array): MetricSet {
  return { auc: auc(p, y), logLoss: logLoss(p, y), brier: brier(p, y), ece: ece(p, y).ece };
}

function subset(a: ArrayLike<number>, rows: number[]): Float64Array {
  return Float64Array.from(rows, (i) => a[i]);
}

export function evaluateConversion(model: ConversionModel, baselines: ConversionBaselines, testSet: ExampleSet): ConversionEvaluation {
  let set = testSet;
  let excludedRows = 0;
  const truth = testSet.examples.truthP;
  if (truth) {
    const keep: number[] = [];
    for (let i = 0; i < truth.length; i++) if (Number.isFinite(truth[i])) keep.push(i);
    excludedRows = testSet.examples.count - keep.length;
    if (excludedRows > 0) {
      const history = new Float32Array(keep.length * NUM_HISTORY);
      keep.forEach((i, k) => history.set(testSet.history.subarray(i * NUM_HISTORY, (i + 1) * NUM_HISTORY), k * NUM_HISTORY));
      set = { examples: selectExposures(testSet.examples, keep), history, recent: subsetRecent(testSet.recent, keep) };
    }
  }
  const ex = set.examples;
  const y = ex.label;
  const raw = model.predict(ex, { history: set.history, recent: set.recent, calibrated: false });
  const cal = model.predict(ex, { history: set.history, recent: set.recent });
  const pop = predictPopularity(baselines.popularity, ex);
  const lr = predictLogistic(baselines.logistic, model.products, model.customers, set);
  const oracleP = ex.truthP;
  const calibrated = metricSet(cal, y);
  const oracle = oracleP ? metricSet(oracleP, y) : undefined;

  const buckets = {} as Record<BucketName, BucketEvaluation>;
  BUCKETS.forEach((name, code) => {
    const rows: number[] = [];
    const products = new Set<number>();
    let positives = 0;
    for (let i = 0; i < ex.count; i++) {
      const p = ex.product[i];
      const b = p < model.productBucket.length ? model.productBucket[p] : 3; // products unknown at training are new
      if (b !== code) continue;
      rows.push(i);
      products.add(p);
      positives += y[i];
    }
    const yy = Uint8Array.from(rows, (i) => y[i]);
    const m = auc(subset(cal, rows), yy);
    const o = oracleP ? auc(subset(oracleP, rows), yy) : undefined;
    buckets[name] = {
      rows: rows.length, positives, products: products.size,
      auc: { model: m, popularity: auc(subset(pop, rows), yy), logistic: auc(subset(lr, rows), yy), oracle: o },
      oracleRatio: o !== undefined ? m / o : undefined,
    };
  });
  let positives = 0;
  for (let i = 0; i < ex.count; i++) positives += y[i];
  return {
    rows: ex.count,
    positives,
    excludedRows,
    model: { raw: metricSet(raw, y), calibrated, calibrationCurve: ece(cal, y).bins },
    popularity: metricSet(pop, y),
    logistic: metricSet(lr, y),
    oracle,
    oracleRatio: oracle ? calibrated.auc / oracle.auc : undefined,
    buckets,
  };
}

function subsetRecent(r: RecentItems, rows: number[]): RecentItems {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((i, k) => (offsets[k + 1] = offsets[k] + r.offsets[i + 1] - r.offsets[i]));
  const products = new Int32Array(offsets[rows.length]);
  rows.forEach((i, k) => products.set(r.products.subarray(r.offsets[i], r.offsets[i + 1]), offsets[k]));
  return { offsets, products };
}
