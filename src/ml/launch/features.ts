// Feature encoding of a launch for the demand network: category and brand ids (0 = unknown), a
// multi-hot of hashed title/description tokens, and standardised numbers — price relative to the
// category median, the promotion (overall and per week), launch season (cyclic day of year, two
// harmonics), log exposure, and what the analogs and the category average say (mean log curves and
// how the product's exposure and price differ from theirs).
import { hashTokens } from '../hashing';
import type { AnalogHit } from './analogs';
import { calendarWeek, categoryCurve, categoryRate, type CurveStats, type LaunchStore } from './store';
import type { LaunchFeatures } from './types';

export const TOKEN_BUCKETS = 256;
export const TOKENS_PER_PRODUCT = 24;
const YEAR_MS = 365.25 * 86_400_000;

export interface EncoderState {
  weeks: number;
  categories: string[];
  brands: string[];
  globalMedianPrice: number;
  /** Standardisation of the numeric block. */
  mean: number[];
  std: number[];
}

export function numericNames(W: number): string[] {
  const wk = (p: string) => Array.from({ length: W }, (_, w) => `${p}${w + 1}`);
  return ['logRelPrice', 'logRelEffectivePrice', 'discount', 'promoWeeks', ...wk('promoW'), 'seasonSin1', 'seasonCos1',
    'seasonSin2', 'seasonCos2', 'logExposure', ...wk('analogZ'), 'analogExposureGap', 'analogPriceGap', 'analogSimilarity',
    'analogCount', 'analogRateGap', ...wk('categoryZ'), 'categoryExposureGap', 'categoryKnown'];
}

export interface EncodedBatch {
  n: number;
  /** n × 4W additive prior of the raw outputs (see priorOf). */
  prior: Float32Array;
  category: Float32Array;
  brand: Float32Array;
  tokens: Float32Array;
  numeric: Float32Array;
}

export function logRelPrice(p: Pick<LaunchFeatures, 'price' | 'categoryMedianPrice'>, globalMedian: number): number {
  const ref = p.categoryMedianPrice && p.categoryMedianPrice > 0 ? p.categoryMedianPrice : globalMedian;
  return Math.log(Math.max(p.price, 0.01) / Math.max(ref, 0.01));
}

export class Encoder {
  readonly numericWidth: number;
  private readonly categoryIndex: Map<string, number>;
  private readonly brandIndex: Map<string, number>;

  constructor(readonly state: EncoderState) {
    this.numericWidth = numericNames(state.weeks).length;
    this.categoryIndex = new Map(state.categories.map((c, i) => [c, i + 1]));
    this.brandIndex = new Map(state.brands.map((b, i) => [b, i + 1]));
  }

  categoryOf(c: string | null): number {
    return c === null ? 0 : this.categoryIndex.get(c) ?? 0;
  }

  brandOf(b: string | null): number {
    return b === null ? 0 : this.brandIndex.get(b) ?? 0;
  }

  /**
   * Raw (unstandardised) numeric features of one launch given its analogs and the curve stats, and the
   * prior of the network's outputs: log mean = log(weekly impressions × category rate per impression ×
   * seasonal index of the calendar week),
   * z50 = log(1 + that mean); the network learns corrections to it.
   */
  rawNumeric(p: LaunchFeatures, hits: readonly AnalogHit[], store: LaunchStore, stats: CurveStats, self = -1,
    category = this.categoryOf(p.category)): { numeric: number[]; prior: number[] } {
    const W = this.state.weeks;
    const rel = logRelPrice(p, this.state.globalMedianPrice);
    const discount = Math.min(Math.max(p.discount, 0), 0.95);
    const promoWeeks = discount > 0 ? Math.max(0, p.promoWeeks) : 0;
    const phase = (2 * Math.PI * (p.launchDate.getTime() % YEAR_MS)) / YEAR_MS;
    const logExposure = Math.log1p(Math.max(0, p.weeklyImpressions));
    const cat = categoryCurve(stats, store, category, self);
    const rate = categoryRate(stats, store, category, self);
    const impressions = Math.max(0.5, p.weeklyImpressions);
    const launchMs = p.launchDate.getTime();
    const logMean = Array.from(rate, (r, w) => Math.log(r * impressions * stats.season[calendarWeek(launchMs, w)]));
    const prior = [...logMean.map((m) => Math.log1p(Math.exp(m))), ...new Array<number>(2 * W).fill(0), ...logMean];
    let analogRateGap = 0;
    if (hits.length > 0) {
      // How the analogs converted impressions into units compared with their categories (shrunk).
      let units = 0;
      let expected = 0;
      for (const h of hits) {
        const r = categoryRate(stats, store, store.rows.category[h.row], -1);
        const imp = store.impressions(h.row);
        for (let w = 0; w < W; w++) {
          units += store.rows.units[h.row * W + w];
          expected += r[w] * imp;
        }
      }
      const m = Math.max(1, expected);
      analogRateGap = Math.log((units + m) / (expected + m));
    }
    const analogZ = new Array<number>(W).fill(0);
    let exposure = 0;
    let price = 0;
    let similarity = 0;
    if (hits.length > 0) {
      for (const h of hits) {
        for (let w = 0; w < W; w++) analogZ[w] += store.z(h.row, w) / hits.length;
        exposure += store.rows.logExposure[h.row] / hits.length;
        price += store.rows.logRelPrice[h.row] / hits.length;
        similarity += h.similarity / hits.length;
      }
    } else {
      for (let w = 0; w < W; w++) analogZ[w] = cat.curve[w];
      exposure = cat.logExposure;
      price = 0;
    }
    const numeric = [rel, rel + Math.log(1 - discount), discount, promoWeeks / W,
      ...Array.from({ length: W }, (_, w) => (w < promoWeeks ? discount : 0)),
      Math.sin(phase), Math.cos(phase), Math.sin(2 * phase), Math.cos(2 * phase), logExposure,
      ...analogZ, logExposure - exposure, rel - price, similarity, hits.length, analogRateGap,
      ...cat.curve, logExposure - cat.logExposure, cat.known ? 1 : 0];
    return { numeric, prior };
  }

  /** Encodes a batch: `rows[i]` has its raw numeric features already computed. */
  encode(products: readonly { p: LaunchFeatures; numeric: number[]; prior: number[]; category?: number; brand?: number }[]): EncodedBatch {
    const n = products.length;
    const K = this.numericWidth;
    const out: EncodedBatch = {
      n, prior: new Float32Array(n * 4 * this.state.weeks), category: new Float32Array(n), brand: new Float32Array(n), tokens: new Float32Array(n * TOKEN_BUCKETS),
      numeric: new Float32Array(n * K),
    };
    const ids = new Int32Array(TOKENS_PER_PRODUCT);
    products.forEach(({ p, numeric, prior, category, brand }, i) => {
      out.prior.set(prior, i * 4 * this.state.weeks);
      out.category[i] = category ?? this.categoryOf(p.category);
      out.brand[i] = brand ?? this.brandOf(p.brand);
      hashTokens([{ prefix: 't:', text: p.title }, { prefix: 'd:', text: p.description }], TOKENS_PER_PRODUCT, TOKEN_BUCKETS, ids);
      let count = 0;
      for (const id of ids) if (id > 0) count++;
      for (const id of ids) if (id > 0) out.tokens[i * TOKEN_BUCKETS + id] = 1 / Math.sqrt(count);
      for (let k = 0; k < K; k++) {
        const v = (numeric[k] - this.state.mean[k]) / this.state.std[k];
        out.numeric[i * K + k] = Number.isFinite(v) ? Math.max(-8, Math.min(8, v)) : 0;
      }
    });
    return out;
  }
}

/** Standardisation from the raw numeric rows (std floored so constant features stay finite). */
export function standardisation(rows: readonly number[][], width: number): { mean: number[]; std: number[] } {
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  for (const r of rows) for (let k = 0; k < width; k++) mean[k] += r[k] / rows.length;
  for (const r of rows) for (let k = 0; k < width; k++) std[k] += (r[k] - mean[k]) ** 2 / rows.length;
  return { mean, std: std.map((v) => Math.max(Math.sqrt(v), 1e-3)) };
}
