// Design of the calendar-aware count model: what one training or scoring row is.
//
// A row is (customer, cutoff, lead bucket): the customer's state at the cutoff (recency, frequency,
// monetary value, age, recent purchases, last year's purchases in the coming 90 days, recent views and
// add-to-cart events), the bucket's position after the cutoff (lead time, alone and crossed with the
// customer's state, so a lapsing customer's rate can decay faster than an active one's), and the
// bucket's calendar as days per seasonal period. The label is the customer's distinct purchase days in
// the bucket. Training rows come from rolling historical cutoffs, each followed by consecutive buckets
// up to the data clock; a forecast over any horizon sums the buckets that tile it.
import { recentEvents, type EventIndex } from './events';
import { calendarFeatures, DAY_MS, isHolidayPeakDay, purchasesBetween, type CalendarFeatures, type PurchaseIndex } from './features';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

/** Column names of the design matrix, in order (customer state, then lead-time terms). */
export const CALENDAR_MODEL_FEATURES = [
  'log1p_frequency',
  'log1p_recency',
  'log1p_age',
  'log1p_days_since_first',
  'log1p_last30',
  'log1p_last90',
  'log1p_monetary',
  'log_rate',
  'recency_ratio',
  'log1p_frequency_x_recency_ratio',
  'log1p_gaps_since_last',
  'single_purchase',
  'log1p_last_year_next90',
  'last_year_covered',
  'log1p_views_14d',
  'log1p_carts_14d',
  'events_covered',
  'lead_years',
  'log1p_lead_months',
  'lead_x_recency_ratio',
  'lead_x_log1p_frequency',
  'lead_x_single_purchase',
  'lead_x_log1p_recency',
] as const;

export const FEATURE_COUNT = CALENDAR_MODEL_FEATURES.length;
const CUSTOMER_FEATURES = 17;
/** Days of recent events the event features look back over. */
export const EVENT_LOOKBACK_DAYS = 14;
/** Window of "last year's purchases in the coming days" (a customer-level seasonal habit). */
const LAST_YEAR_DAYS = 90;

/**
 * Calendar periods of the seasonal index: the 12 months (0 = January), and the holiday peak (Black
 * Friday through 24 December) as period 12, so the gift rush gets its own multiplier.
 */
export const SEASONAL_PERIODS = 13;
export const HOLIDAY_PEAK_PERIOD = 12;

// Memo over 1970–2149 (day indices 0..65,535): the period lookup runs once per purchase and window day.
const periodMemo = new Int8Array(65_536).fill(-1);

export function seasonalPeriodOf(day: number): number {
  if (day >= 0 && day < periodMemo.length) {
    const m = periodMemo[day];
    if (m >= 0) return m;
    return (periodMemo[day] = computePeriod(day));
  }
  return computePeriod(day);
}

function computePeriod(day: number): number {
  if (isHolidayPeakDay(day)) return HOLIDAY_PEAK_PERIOD;
  return new Date(day * DAY_MS).getUTCMonth();
}

/** Days of each seasonal period in (fromDay, toDay]. */
export function periodDays(fromDay: number, toDay: number, out = new Float64Array(SEASONAL_PERIODS)): Float64Array {
  out.fill(0);
  for (let d = fromDay + 1; d <= toDay; d++) out[seasonalPeriodOf(d)]++;
  return out;
}

/** A typical year's days per period (2023, not a leap year), for normalising the index. */
export const YEAR_DAYS = periodDays(Math.floor(Date.UTC(2023, 0, 1) / DAY_MS) - 1, Math.floor(Date.UTC(2023, 0, 1) / DAY_MS) + 364);

/** Customer state at one cutoff (everything but the lead terms), from the purchase and event indices. */
export interface CutoffState {
  cutoffDay: number;
  features: CalendarFeatures;
  views: Float64Array;
  carts: Float64Array;
  eventsCovered: number;
}

export function cutoffState(index: PurchaseIndex, events: EventIndex | null, cutoffDay: number, purchaseWeight?: Float64Array): CutoffState {
  const features = calendarFeatures(index, {
    cutoffMs: cutoffDay * DAY_MS - index.utcOffsetMinutes * 60_000,
    horizonDays: LAST_YEAR_DAYS,
    purchaseWeight,
  });
  const ev = recentEvents(events, index.nCustomers, cutoffDay, EVENT_LOOKBACK_DAYS);
  return { cutoffDay, features, views: ev.views, carts: ev.carts, eventsCovered: ev.covered };
}

/** Writes customer c's state columns into out[offset .. offset + CUSTOMER_FEATURES). */
export function customerColumns(s: CutoffState, c: number, out: Float32Array, offset: number): void {
  const f = s.features;
  const freq = f.frequency[c];
  const rec = f.recencyDays[c];
  const sinceFirst = f.daysSinceFirstPurchase[c];
  const lf = Math.log1p(freq);
  const ratio = rec / (sinceFirst + 1);
  out[offset] = lf;
  out[offset + 1] = Math.log1p(rec);
  out[offset + 2] = Math.log1p(f.ageDays[c]);
  out[offset + 3] = Math.log1p(sinceFirst);
  out[offset + 4] = Math.log1p(f.last30[c]);
  out[offset + 5] = Math.log1p(f.last90[c]);
  out[offset + 6] = Math.log1p(Math.max(0, f.monetary[c]));
  out[offset + 7] = Math.log((freq + 0.5) / (sinceFirst + 30));
  out[offset + 8] = ratio;
  out[offset + 9] = lf * ratio;
  out[offset + 10] = Math.log1p((rec * freq) / (sinceFirst + 30));
  out[offset + 11] = freq <= 1 ? 1 : 0;
  out[offset + 12] = Math.log1p(f.lastYearWindow[c]);
  out[offset + 13] = f.lastYearCovered[c];
  out[offset + 14] = Math.log1p(s.views[c]);
  out[offset + 15] = Math.log1p(s.carts[c]);
  out[offset + 16] = s.eventsCovered;
}

/** Writes the lead-time columns of a bucket whose midpoint is `leadDays` after the cutoff. */
export function leadColumns(leadDays: number, out: Float32Array, offset: number): void {
  const base = offset - CUSTOMER_FEATURES; // the row's customer columns precede these
  const ly = leadDays / 365;
  out[offset] = ly;
  out[offset + 1] = Math.log1p(leadDays / 30);
  out[offset + 2] = ly * out[base + 8];
  out[offset + 3] = ly * out[base];
  out[offset + 4] = ly * out[base + 11];
  out[offset + 5] = ly * out[base + 1];
}

/** Consecutive buckets (from, to] tiling (cutoff, cutoff + horizon], each at most bucketDays long. */
export function buckets(cutoffDay: number, horizonDays: number, bucketDays: number): { from: number; to: number; lead: number }[] {
  const out: { from: number; to: number; lead: number }[] = [];
  for (let from = cutoffDay; from < cutoffDay + horizonDays; from += bucketDays) {
    const to = Math.min(from + bucketDays, cutoffDay + horizonDays);
    out.push({ from, to, lead: (from + to) / 2 - cutoffDay });
  }
  return out;
}

export interface TrainingRows {
  rows: number;
  /** rows × FEATURE_COUNT, unstandardised. */
  x: Float32Array;
  /** rows × SEASONAL_PERIODS: days of each period in the row's bucket. */
  periods: Float32Array;
  y: Float32Array;
  /** Label purchases per seasonal period (the evidence each index entry rests on). */
  periodPurchases: number[];
}

export interface TrainingRowOptions {
  bucketDays: number;
  /** Longest lead a training bucket may reach (labels stop at the data clock anyway). */
  maxLeadDays: number;
  maxRows: number;
  purchaseWeight?: Float64Array;
}

/** Training rows at each cutoff, labels up to `asOfDay`, subsampled evenly by (customer, cutoff) above maxRows. */
export function trainingRows(index: PurchaseIndex, events: EventIndex | null, cutoffDays: number[], asOfDay: number, o: TrainingRowOptions): TrainingRows {
  const plan = cutoffDays.map((cd) => buckets(cd, Math.min(o.maxLeadDays, asOfDay - cd), o.bucketDays));
  // Customers observed at each cutoff (first purchase on or before it), from the sorted first days —
  // the per-cutoff feature sets are built one at a time below, never all at once.
  const firstDays: number[] = [];
  for (let c = 0; c < index.nCustomers; c++) if (index.start[c + 1] > index.start[c]) firstDays.push(index.days[index.start[c]]);
  firstDays.sort((p, q) => p - q);
  const observedAt = (day: number): number => {
    let lo = 0;
    let hi = firstDays.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (firstDays[m] <= day) lo = m + 1;
      else hi = m;
    }
    return lo;
  };
  let total = 0;
  for (let k = 0; k < cutoffDays.length; k++) total += observedAt(cutoffDays[k]) * plan[k].length;
  if (total === 0) throw new Error('no customer is observed at any training cutoff');
  const keepEvery = total > o.maxRows ? total / o.maxRows : 1;
  const cap = Math.min(total, Math.ceil(o.maxRows) + 64);
  const x = new Float32Array(cap * FEATURE_COUNT);
  const periods = new Float32Array(cap * SEASONAL_PERIODS);
  const y = new Float32Array(cap);
  const periodPurchases = new Array<number>(SEASONAL_PERIODS).fill(0);
  const pd = new Float64Array(SEASONAL_PERIODS);
  let r = 0;
  let seen = 0;
  let nextKeep = 0;
  for (let k = 0; k < cutoffDays.length; k++) {
    const bk = plan[k];
    if (bk.length === 0) continue;
    const s = cutoffState(index, events, cutoffDays[k], o.purchaseWeight);
    const bucketPeriods = bk.map((b) => Float32Array.from(periodDays(b.from, b.to, pd)));
    for (let c = 0; c < s.features.nCustomers; c++) {
      if (!s.features.observed[c]) continue;
      const weight = bk.length;
      seen += weight;
      if (seen <= nextKeep) continue;
      if (r + bk.length > cap) break;
      nextKeep += keepEvery * weight;
      const first = r;
      customerColumns(s, c, x, r * FEATURE_COUNT);
      for (let j = 0; j < bk.length; j++) {
        if (r !== first) x.copyWithin(r * FEATURE_COUNT, first * FEATURE_COUNT, first * FEATURE_COUNT + CUSTOMER_FEATURES);
        leadColumns(bk[j].lead, x, r * FEATURE_COUNT + CUSTOMER_FEATURES);
        periods.set(bucketPeriods[j], r * SEASONAL_PERIODS);
        const label = purchasesBetween(index, c, bk[j].from, bk[j].to);
        y[r] = label;
        if (label > 0) {
          const e = index.start[c + 1];
          for (let q = index.start[c]; q < e; q++) {
            const d = index.days[q];
            if (d > bk[j].from && d <= bk[j].to) periodPurchases[seasonalPeriodOf(d)]++;
          }
        }
        r++;
      }
    }
  }
  return { rows: r, x: x.subarray(0, r * FEATURE_COUNT), periods: periods.subarray(0, r * SEASONAL_PERIODS), y: y.subarray(0, r), periodPurchases };
}

/** Scoring rows for every observed customer at one cutoff over (cutoff, cutoff + horizon]. */
export function scoringRows(state: CutoffState, customers: number[], horizonDays: number, bucketDays: number): { x: Float32Array; periods: Float32Array; perCustomer: number } {
  const bk = buckets(state.cutoffDay, horizonDays, bucketDays);
  const m = bk.length;
  const x = new Float32Array(customers.length * m * FEATURE_COUNT);
  const periods = new Float32Array(customers.length * m * SEASONAL_PERIODS);
  const pd = new Float64Array(SEASONAL_PERIODS);
  const bucketPeriods = bk.map((b) => Float32Array.from(periodDays(b.from, b.to, pd)));
  let r = 0;
  for (const c of customers) {
    const first = r;
    customerColumns(state, c, x, r * FEATURE_COUNT);
    for (let j = 0; j < m; j++) {
      if (r !== first) x.copyWithin(r * FEATURE_COUNT, first * FEATURE_COUNT, first * FEATURE_COUNT + CUSTOMER_FEATURES);
      leadColumns(bk[j].lead, x, r * FEATURE_COUNT + CUSTOMER_FEATURES);
      periods.set(bucketPeriods[j], r * SEASONAL_PERIODS);
      r++;
    }
  }
  return { x, periods, perCustomer: m };
}
