// The non-parametric memory of the demand model: past launches (content index, actual curves,
// exposure, relative price, category) and the per-category average launch curves derived from them.
// Curves are kept in z = log(1 + units) per week; averages of z are what the network is fed.
import { AnalogIndex, type AnalogHit, type ContentInput } from './analogs';

export interface StoreRows {
  productId: Float64Array;
  /** rows × W actual weekly units. */
  units: Float32Array;
  logExposure: Float32Array;
  logRelPrice: Float32Array;
  /** Vocabulary index of the category (0 = unknown / none). */
  category: Int32Array;
  /** Launch instants (ms). */
  launchedAt: Float64Array;
}

/** Calendar weeks of the seasonal index (week of year, 0..52). */
export const SEASON_WEEKS = 53;
/** Pseudo-units pulling a calendar week's index towards 1. */
const SEASON_PRIOR_UNITS = 15;
const SEASON_KERNEL = [1, 2, 3, 2, 1];

/** Calendar week of year (0..52) of the middle of week w after a launch. */
export function calendarWeek(launchMs: number, w: number): number {
  const t = launchMs + (7 * w + 3.5) * 86_400_000;
  const d = new Date(Number.isFinite(t) ? t : 0);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.min(SEASON_WEEKS - 1, Math.floor((t - start) / (7 * 86_400_000)));
}

export interface CurveStats {
  /** category index → Σ z curve and count. */
  sums: Map<number, Float64Array>;
  counts: Map<number, number>;
  global: Float64Array;
  globalCount: number;
  /** Mean log exposure per category (and overall) — to compare a product's exposure with its peers. */
  exposureSums: Map<number, number>;
  globalExposure: number;
  /** Σ units per week and Σ weekly impressions, per category and overall (conversion rates per impression). */
  unitSums: Map<number, Float64Array>;
  impressionSums: Map<number, number>;
  globalUnits: Float64Array;
  globalImpressions: number;
  /**
   * Seasonal index per calendar week: units sold in that week of the year over what the launches'
   * exposure and category rates predict, smoothed over neighbouring weeks and shrunk towards 1.
   */
  season: Float64Array;
}

/** Pseudo-impressions of the overall rate that a category's rate is shrunk towards. */
export const RATE_PRIOR_IMPRESSIONS = 300;

export class LaunchStore {
  constructor(readonly weeks: number, readonly index: AnalogIndex, readonly rows: StoreRows,
    readonly contents: readonly ContentInput[] | null = null) {}

  get size(): number {
    return this.rows.productId.length;
  }

  z(row: number, w: number): number {
    return Math.log1p(this.rows.units[row * this.weeks + w]);
  }

  /** Curve statistics over the rows `use` allows (all by default). */
  curveStats(use: (row: number) => boolean = () => true): CurveStats {
    const W = this.weeks;
    const stats: CurveStats = {
      sums: new Map(), counts: new Map(), global: new Float64Array(W), globalCount: 0, exposureSums: new Map(), globalExposure: 0,
      unitSums: new Map(), impressionSums: new Map(), globalUnits: new Float64Array(W), globalImpressions: 0,
      season: new Float64Array(SEASON_WEEKS).fill(1),
    };
    for (let r = 0; r < this.size; r++) {
      if (!use(r)) continue;
      const c = this.rows.category[r];
      let s = stats.sums.get(c);
      if (!s) stats.sums.set(c, (s = new Float64Array(W)));
      for (let w = 0; w < W; w++) {
        const z = this.z(r, w);
        s[w] += z;
        stats.global[w] += z;
      }
      let u = stats.unitSums.get(c);
      if (!u) stats.unitSums.set(c, (u = new Float64Array(W)));
      for (let w = 0; w < W; w++) {
        u[w] += this.rows.units[r * W + w];
        stats.globalUnits[w] += this.rows.units[r * W + w];
      }
      const imp = this.impressions(r);
      stats.impressionSums.set(c, (stats.impressionSums.get(c) ?? 0) + imp);
      stats.globalImpressions += imp;
      stats.counts.set(c, (stats.counts.get(c) ?? 0) + 1);
      stats.exposureSums.set(c, (stats.exposureSums.get(c) ?? 0) + this.rows.logExposure[r]);
      stats.globalExposure += this.rows.logExposure[r];
      stats.globalCount++;
    }
    stats.season = this.seasonIndex(stats, use);
    return stats;
  }

  private seasonIndex(stats: CurveStats, use: (row: number) => boolean): Float64Array {
    const W = this.weeks;
    const units = new Float64Array(SEASON_WEEKS);
    const expected = new Float64Array(SEASON_WEEKS);
    const rates = new Map<number, Float64Array>();
    for (let r = 0; r < this.size; r++) {
      if (!use(r)) continue;
      const c = this.rows.category[r];
      let rate = rates.get(c);
      if (!rate) rates.set(c, (rate = categoryRate(stats, this, c)));
      const imp = this.impressions(r);
      for (let w = 0; w < W; w++) {
        const cw = calendarWeek(this.rows.launchedAt[r], w);
        units[cw] += this.rows.units[r * W + w];
        expected[cw] += rate[w] * imp;
      }
    }
    const out = new Float64Array(SEASON_WEEKS);
    const half = SEASON_KERNEL.length >> 1;
    for (let k = 0; k < SEASON_WEEKS; k++) {
      let u = 0;
      let e = 0;
      SEASON_KERNEL.forEach((kw, j) => {
        const i = (k + j - half + SEASON_WEEKS) % SEASON_WEEKS;
        u += kw * units[i];
        e += kw * expected[i];
      });
      out[k] = (u + SEASON_PRIOR_UNITS) / (e + SEASON_PRIOR_UNITS);
    }
    return out;
  }

  search(p: ContentInput, k: number, minSimilarity: number, exclude = -1, allow?: (row: number) => boolean): AnalogHit[] {
    return this.index.search(p, k, minSimilarity, exclude, allow);
  }

  impressions(row: number): number {
    return Math.expm1(this.rows.logExposure[row]);
  }

  weeklyUnits(row: number): number[] {
    return Array.from(this.rows.units.subarray(row * this.weeks, (row + 1) * this.weeks));
  }
}

/**
 * The category's mean z curve and mean log exposure, leaving out `self` (a training row must not see
 * its own curve); falls back to the global average when the category has no other launches.
 */
export function categoryCurve(stats: CurveStats, store: LaunchStore, category: number, self = -1):
  { curve: Float64Array; logExposure: number; known: boolean } {
  const W = store.weeks;
  const curve = new Float64Array(W);
  const own = self >= 0 && store.rows.category[self] === category;
  const n = (stats.counts.get(category) ?? 0) - (own ? 1 : 0);
  if (category > 0 && n > 0) {
    const s = stats.sums.get(category)!;
    for (let w = 0; w < W; w++) curve[w] = (s[w] - (own ? store.z(self, w) : 0)) / n;
    const e = (stats.exposureSums.get(category)! - (own ? store.rows.logExposure[self] : 0)) / n;
    return { curve, logExposure: e, known: true };
  }
  const selfIn = self >= 0 ? 1 : 0;
  const g = stats.globalCount - selfIn;
  if (g <= 0) return { curve, logExposure: 0, known: false };
  for (let w = 0; w < W; w++) curve[w] = (stats.global[w] - (selfIn ? store.z(self, w) : 0)) / g;
  return { curve, logExposure: (stats.globalExposure - (selfIn ? store.rows.logExposure[self] : 0)) / g, known: false };
}

/**
 * Units per weekly impression, per week, of the category (shrunk towards the overall rate by
 * RATE_PRIOR_IMPRESSIONS), leaving out `self`. Demand scales with exposure, so this times a launch's
 * weekly impressions is the prior the network corrects.
 */
export function categoryRate(stats: CurveStats, store: LaunchStore, category: number, self = -1): Float64Array {
  const W = store.weeks;
  const out = new Float64Array(W);
  const selfIn = self >= 0;
  const own = selfIn && store.rows.category[self] === category;
  const selfImp = selfIn ? store.impressions(self) : 0;
  const gImp = Math.max(1e-9, stats.globalImpressions - selfImp);
  const cImp = category > 0 ? (stats.impressionSums.get(category) ?? 0) - (own ? selfImp : 0) : 0;
  const cUnits = category > 0 ? stats.unitSums.get(category) : undefined;
  for (let w = 0; w < W; w++) {
    const selfUnits = selfIn ? store.rows.units[self * W + w] : 0;
    const global = Math.max(1e-6, (stats.globalUnits[w] - selfUnits) / gImp);
    const units = cUnits ? cUnits[w] - (own ? selfUnits : 0) : 0;
    out[w] = (Math.max(0, units) + global * RATE_PRIOR_IMPRESSIONS) / (Math.max(0, cImp) + RATE_PRIOR_IMPRESSIONS);
  }
  return out;
}
