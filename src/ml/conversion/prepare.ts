// Everything computed once per dataset before training: point-in-time history features for every
// row, the time split, product popularity buckets (from training rows only) and the context schema.
import { timeSplit, type TimeSplit, type TimeSplitOptions } from '../split';
import { contextDim, writeContext, type ContextSchema } from './context-features';
import { computeHistoryFeatures, HistoryState, NUM_HISTORY, recentItemsForRows, type EngagedHistory, type RecentItems } from './history-state';
import {
  PLACEMENT_HANDLES, selectExposures, type ConversionDataset, type CustomerFeatures, type ExposureExamples, type ProductFeatures, type PurchaseLog,
} from './types';

const DAY_MS = 86_400_000;

/** Popularity bucket codes (per product). */
export const BUCKETS = ['head', 'torso', 'tail', 'new'] as const;
export type BucketName = (typeof BUCKETS)[number];

export interface BucketOptions {
  /** Share of trailing units the head products make (default 0.5), head + torso (default 0.8). */
  headShare?: number;
  torsoShare?: number;
  /** A product launched within this many days before the split (or after it) is new (default 30). */
  newDays?: number;
  /** Units are counted over this many days before the split (default 90). */
  trailingDays?: number;
}

export interface PreparedConversionData {
  data: ConversionDataset;
  /** rows × NUM_HISTORY point-in-time history features. */
  history: Float32Array;
  split: TimeSplit;
  /** Product bucket code (index into BUCKETS) from training rows. */
  productBucket: Uint8Array;
  schema: ContextSchema;
  /** History state after every event in the dataset (the serving snapshot). */
  finalState: HistoryState;
  /** Engaged products per customer in time order, and per row how many came before it (taste input). */
  engaged: EngagedHistory;
}

/** An evaluation set: exposure rows with their point-in-time history features and recent engaged products. */
export interface ExampleSet {
  examples: ExposureExamples;
  history: Float32Array;
  recent: RecentItems;
}

export function productSince(products: ProductFeatures, p: number): number {
  const l = products.launchedAt[p];
  return Number.isFinite(l) ? l : products.createdAt[p];
}

/**
 * Popularity buckets as of `splitAt` (the end of the training data): products ranked by units bought
 * in the `trailingDays` before it; head = the products making the first `headShare` of those units,
 * torso the next share up to `torsoShare`, tail the rest (including products that sold nothing);
 * new = launched within `newDays` before `splitAt` or later (wins over the others).
 */
export function productBuckets(products: ProductFeatures, purchases: PurchaseLog, splitAt: number,
  opts: BucketOptions = {}): Uint8Array {
  const units = new Float64Array(products.count);
  const from = splitAt - (opts.trailingDays ?? 90) * DAY_MS;
  for (let k = 0; k < purchases.count; k++) {
    const t = purchases.time[k];
    const p = purchases.product[k];
    if (t >= from && t < splitAt && p >= 0 && p < products.count) units[p] += 1;
  }
  const order = Array.from({ length: products.count }, (_, p) => p).sort((a, b) => units[b] - units[a] || a - b);
  const total = units.reduce((a, b) => a + b, 0);
  const headShare = opts.headShare ?? 0.5;
  const torsoShare = opts.torsoShare ?? 0.8;
  const out = new Uint8Array(products.count);
  let cum = 0;
  for (const p of order) {
    // A product belongs to the bucket in which its units START (so the top seller is always head).
    const share = total > 0 ? cum / total : 1;
    out[p] = units[p] > 0 && share < headShare ? 0 : units[p] > 0 && share < torsoShare ? 1 : 2;
    cum += units[p];
  }
  const newFrom = splitAt - (opts.newDays ?? 30) * DAY_MS;
  for (let p = 0; p < products.count; p++) {
    const l = products.launchedAt[p];
    if (Number.isFinite(l) && l >= newFrom) out[p] = 3;
  }
  return out;
}

export interface PrepareOptions {
  split?: TimeSplitOptions;
  buckets?: BucketOptions;
}

export function prepareConversionData(data: ConversionDataset, opts: PrepareOptions = {}): PreparedConversionData {
  const ex = data.exposures;
  const { features, state, engaged } = computeHistoryFeatures(ex, data.purchases, data.products.count, data.products.category, data.products.categories.length);
  const split = timeSplit(ex.time, opts.split);
  const productBucket = productBuckets(data.products, data.purchases, split.validationFrom, opts.buckets);
  const schema: ContextSchema = {
    segments: data.customers.segments.length,
    countries: data.customers.countries.length,
    utcOffsetMinutes: data.utcOffsetMinutes ?? 0,
    placements: data.placements ?? PLACEMENT_HANDLES,
  };
  return { data, history: features, split, productBucket, schema, finalState: state, engaged };
}

/** The rows `rows` of a prepared dataset as an ExampleSet. */
export function exampleSet(prep: PreparedConversionData, rows: ArrayLike<number>): ExampleSet {
  const history = new Float32Array(rows.length * NUM_HISTORY);
  for (let k = 0; k < rows.length; k++) history.set(prep.history.subarray(rows[k] * NUM_HISTORY, (rows[k] + 1) * NUM_HISTORY), k * NUM_HISTORY);
  return {
    examples: selectExposures(prep.data.exposures, rows), history,
    recent: recentItemsForRows(prep.engaged, prep.data.exposures.customer, rows),
  };
}

/**
 * Context rows (rows.length × contextDim) for examples `rows` (indices into ex), with their history
 * features taken from `history` (indexed like ex).
 */
export function buildContextRows(schema: ContextSchema, products: ProductFeatures, customers: CustomerFeatures,
  ex: ExposureExamples, history: Float32Array, rows: ArrayLike<number>, out?: Float32Array): Float32Array {
  const width = contextDim(schema);
  const dst = out ?? new Float32Array(rows.length * width);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const o = k * width;
    for (let j = 0; j < NUM_HISTORY; j++) dst[o + j] = history[i * NUM_HISTORY + j];
    const c = ex.customer[i];
    const known = c >= 0 && c < customers.count;
    const p = ex.product[i];
    writeContext(schema, {
      customer: c, placement: ex.placement[i], position: ex.position[i], time: ex.time[i],
      productSince: p < products.count ? productSince(products, p) : NaN,
      segment: known ? customers.segment[c] : -1, country: known ? customers.country[c] : -1,
      customerSince: known ? customers.createdAt[c] : NaN,
    }, dst, o);
  }
  return dst;
}
