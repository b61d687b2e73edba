// Per-customer features for the calendar-aware purchase-count model: the customer's state at a cutoff
// (recency, frequency, monetary, age, recent activity, last year's purchases in the same calendar
// window) and the calendar of the target window (cutoff, cutoff + H] (month position as sin/cos, the
// share of the window in November–December, whether it covers the holiday peak).
//
// Conventions follow rfm.ts: a purchase is a distinct calendar day (all lines of a customer on one day
// are one purchase, their amounts summed); days are calendar days at a fixed UTC offset; the cutoff day
// belongs to the observed past, the target window is the H days after it. Customers with no purchase on
// or before the cutoff day are "not observed" and get NaN features (the model skips them).
//
// `indexPurchases` sorts the log once into per-customer distinct purchase days, so features at many
// cutoffs (rolling training windows) cost a binary search per customer and cutoff.

import { purchaseLogCustomers, type PurchaseLog } from '../rfm';
import { upperBound } from '../../sorted';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export const DAY_MS = 86_400_000;

export interface PurchaseIndexOptions {
  /** Defaults to max(customer) + 1. */
  nCustomers?: number;
  /** Offset of the merchant's calendar day from UTC, in minutes. Default 0. */
  utcOffsetMinutes?: number;
  /**
   * First instant of observable history (the shop's data start). Defaults to the earliest purchase.
   * Decides whether "last year's same window" is covered by the data.
   */
  historyStartMs?: number;
  /**
   * Optional per-customer account-creation instant (ms; NaN when unknown): the "customer age" feature
   * counts from it when it is earlier than the first purchase, else from the first purchase.
   */
  customerSinceMs?: Float64Array;
}

/** A purchase log grouped into per-customer, ascending distinct purchase days (CSR layout). */
export interface PurchaseIndex {
  nCustomers: number;
  utcOffsetMinutes: number;
  /** Day index (days since the epoch in the merchant calendar) of the history start. */
  historyStartDay: number;
  /** Last day with a purchase in the log. */
  lastDay: number;
  /** Customer c's purchase days are days[start[c] .. start[c+1]). */
  start: Int32Array;
  days: Int32Array;
  /** Summed amount of each purchase day (0 without amounts). */
  spend: Float64Array;
  /** Cumulative spend: cumSpend[k] = Σ spend[start[c]..k) within the customer's range (length days + 1, global prefix). */
  cumSpend: Float64Array;
  /** Day of account creation (NaN when not given). */
  sinceDay: Float64Array;
}

export function dayOf(ms: number, utcOffsetMinutes = 0): number {
  return Math.floor((ms + utcOffsetMinutes * 60_000) / DAY_MS);
}

export function indexPurchases(log: PurchaseLog, opts: PurchaseIndexOptions = {}): PurchaseIndex {
  const { customer, timeMs, amount } = log;
  const n = customer.length;
  const nCustomers = purchaseLogCustomers(log, opts.nCustomers);
  const off = opts.utcOffsetMinutes ?? 0;
  const day = new Int32Array(n);
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(timeMs[i])) throw new Error(`purchase time at line ${i} is not a finite number`);
    const d = dayOf(timeMs[i], off);
    day[i] = d;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  // Counting sort by customer, then sort each customer's lines by day.
  const lineStart = new Int32Array(nCustomers + 1);
  for (let i = 0; i < n; i++) lineStart[customer[i] + 1]++;
  for (let c = 0; c < nCustomers; c++) lineStart[c + 1] += lineStart[c];
  const fill = lineStart.slice(0, nCustomers);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[customer[i]]++] = i;
  const start = new Int32Array(nCustomers + 1);
  const days = new Int32Array(n);
  const spend = new Float64Array(n);
  let len = 0;
  for (let c = 0; c < nCustomers; c++) {
    start[c] = len;
    const s = lineStart[c];
    const e = lineStart[c + 1];
    if (e - s > 1) {
      const seg = order.subarray(s, e);
      // Insertion sort for short lists, comparator sort for long ones.
      if (e - s > 32) seg.sort((p, q) => day[p] - day[q]);
      else {
        for (let k = 1; k < seg.length; k++) {
          const v = seg[k];
          const d = day[v];
          let j = k - 1;
          while (j >= 0 && day[seg[j]] > d) {
            seg[j + 1] = seg[j];
            j--;
          }
          seg[j + 1] = v;
        }
      }
    }
    for (let k = s; k < e; k++) {
      const i = order[k];
      const v = amount ? amount[i] : 0;
      if (len > start[c] && days[len - 1] === day[i]) spend[len - 1] += v;
      else {
        days[len] = day[i];
        spend[len] = v;
        len++;
      }
    }
  }
  start[nCustomers] = len;
  const cumSpend = new Float64Array(len + 1);
  for (let k = 0; k < len; k++) cumSpend[k + 1] = cumSpend[k] + spend[k];
  const sinceDay = new Float64Array(nCustomers).fill(NaN);
  if (opts.customerSinceMs) {
    if (opts.customerSinceMs.length !== nCustomers) throw new Error('customerSinceMs must have one entry per customer');
    for (let c = 0; c < nCustomers; c++) {
      const t = opts.customerSinceMs[c];
      if (Number.isFinite(t)) sinceDay[c] = dayOf(t, off);
    }
  }
  const historyStartDay = opts.historyStartMs !== undefined ? dayOf(opts.historyStartMs, off) : n > 0 ? minDay : 0;
  return {
    nCustomers,
    utcOffsetMinutes: off,
    historyStartDay,
    lastDay: n > 0 ? maxDay : historyStartDay,
    start,
    days: days.slice(0, len),
    spend: spend.slice(0, len),
    cumSpend,
    sinceDay,
  };
}

/** Distinct purchase days of customer c in (from, to]. */
export function purchasesBetween(index: PurchaseIndex, c: number, fromDay: number, toDay: number): number {
  const s = index.start[c];
  const e = index.start[c + 1];
  return upperBound(index.days, toDay, s, e) - upperBound(index.days, fromDay, s, e);
}

/** The calendar of a target window (cutoffDay, cutoffDay + H]: the same for every customer. */
export interface WindowCalendar {
  /** sin and cos of 2π·m/12, m the (fractional, 0-based) month position of the window's midpoint. */
  monthSin: number;
  monthCos: number;
  /** Share of the window's days in November or December. */
  novDecShare: number;
  /** Share of the window's days in the holiday peak (Black Friday through 24 December). */
  holidayPeakShare: number;
  /** 1 when the window contains at least one holiday-peak day. */
  holidayPeak: number;
}

/** Black Friday (the day after the fourth Thursday of November) as a UTC day index. */
export function blackFridayDay(year: number): number {
  const nov1 = new Date(Date.UTC(year, 10, 1)).getUTCDay();
  const firstThursday = 1 + ((4 - nov1 + 7) % 7);
  return Math.floor(Date.UTC(year, 10, firstThursday + 22) / DAY_MS);
}

/** Whether a day (UTC day index) falls in the holiday peak: Black Friday through 24 December. */
export function isHolidayPeakDay(day: number): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  return day >= blackFridayDay(year) && day <= Math.floor(Date.UTC(year, 11, 24) / DAY_MS);
}

export function windowCalendar(cutoffDay: number, horizonDays: number): WindowCalendar {
  let novDec = 0;
  let peak = 0;
  for (let d = cutoffDay + 1; d <= cutoffDay + horizonDays; d++) {
    const m = new Date(d * DAY_MS).getUTCMonth();
    if (m >= 10) novDec++;
    if (isHolidayPeakDay(d)) peak++;
  }
  const mid = new Date((cutoffDay + (horizonDays + 1) / 2) * DAY_MS);
  const y = mid.getUTCFullYear();
  const mo = mid.getUTCMonth();
  const daysInMonth = new Date(Date.UTC(y, mo + 1, 1) - DAY_MS).getUTCDate();
  const pos = mo + (mid.getUTCDate() - 1 + (mid.getUTCHours() / 24)) / daysInMonth;
  const angle = (2 * Math.PI * pos) / 12;
  return {
    monthSin: Math.sin(angle),
    monthCos: Math.cos(angle),
    novDecShare: novDec / horizonDays,
    holidayPeakShare: peak / horizonDays,
    holidayPeak: peak > 0 ? 1 : 0,
  };
}

/** The same calendar window one year earlier: (cutoff − 1 year, cutoff − 1 year + H], as day indices. */
export function lastYearWindow(cutoffDay: number, horizonDays: number): { fromDay: number; toDay: number } {
  const d = new Date(cutoffDay * DAY_MS);
  const fromDay = Math.floor(Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate()) / DAY_MS);
  return { fromDay, toDay: fromDay + horizonDays };
}

export interface CalendarFeatureOptions {
  /** Any instant of the last observed day (the cutoff day belongs to the past). */
  cutoffMs: number;
  /** Length H of the target window in days. */
  horizonDays: number;
  /**
   * Optional weight of each purchase day of the index (parallel to `index.days`): when given, the
   * purchase counts (frequency, last30, last90, lastYearWindow) are sums of weights — e.g. 1 / the
   * seasonal index of the day, so a purchase in the peak counts less (season-adjusted activity).
   * Labels stay plain counts.
   */
  purchaseWeight?: Float64Array;
}

export interface CalendarFeatures {
  nCustomers: number;
  cutoffDay: number;
  horizonDays: number;
  /** 1 when the customer purchased on or before the cutoff day; other rows hold NaN features. */
  observed: Uint8Array;
  /** Days from the last purchase day to the cutoff day. */
  recencyDays: Float64Array;
  /** Distinct purchase days up to and including the cutoff day (weight sum with `purchaseWeight`). */
  frequency: Float64Array;
  /** Mean spend per purchase day. */
  monetary: Float64Array;
  /** Days from account creation (or the first purchase, if earlier or unknown) to the cutoff day. */
  ageDays: Float64Array;
  /** Days from the first purchase day to the cutoff day. */
  daysSinceFirstPurchase: Float64Array;
  /** Distinct purchase days in the last 30 and 90 days (cutoff day included). */
  last30: Float64Array;
  last90: Float64Array;
  /** Purchases in the same calendar window one year earlier (0 when not covered). */
  lastYearWindow: Float64Array;
  /** 1 when the history covers last year's window and the customer existed by its end. */
  lastYearCovered: Uint8Array;
  /** The target window's calendar (shared by all customers). */
  calendar: WindowCalendar;
  /** Whether the counts are weighted sums (`purchaseWeight` was given). */
  purchaseWeighted: boolean;
  /** Distinct purchase days in the target window, when the index holds them (labels for training/backtests). */
  label: Float64Array;
}

/** Features of every customer at one cutoff, from an index (or a log, indexed on the fly). */
export function calendarFeatures(source: PurchaseIndex | PurchaseLog, opts: CalendarFeatureOptions & PurchaseIndexOptions): CalendarFeatures {
  const index = 'days' in source ? source : indexPurchases(source, opts);
  const H = opts.horizonDays;
  if (!(H >= 1) || !Number.isInteger(H)) throw new Error(`horizonDays must be a positive integer, got ${H}`);
  const cutoffDay = dayOf(opts.cutoffMs, index.utcOffsetMinutes);
  const n = index.nCustomers;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const out: CalendarFeatures = {
    nCustomers: n,
    cutoffDay,
    horizonDays: H,
    observed: new Uint8Array(n),
    recencyDays: nan(),
    frequency: nan(),
    monetary: nan(),
    ageDays: nan(),
    daysSinceFirstPurchase: nan(),
    last30: nan(),
    last90: nan(),
    lastYearWindow: nan(),
    lastYearCovered: new Uint8Array(n),
    calendar: windowCalendar(cutoffDay, H),
    purchaseWeighted: opts.purchaseWeight !== undefined,
    label: new Float64Array(n),
  };
  const ly = lastYearWindow(cutoffDay, H);
  const historyCoversLastYear = index.historyStartDay <= ly.fromDay + 1;
  const { days, start, cumSpend } = index;
  let cw: Float64Array | null = null;
  if (opts.purchaseWeight) {
    if (opts.purchaseWeight.length !== days.length) throw new Error('purchaseWeight must have one entry per indexed purchase day');
    cw = new Float64Array(days.length + 1);
    for (let k = 0; k < days.length; k++) cw[k + 1] = cw[k] + opts.purchaseWeight[k];
  }
  // Count (or weight sum) of purchase days at positions [from, to).
  const count = (from: number, to: number): number => (cw ? cw[to] - cw[from] : to - from);
  for (let c = 0; c < n; c++) {
    const s = start[c];
    const e = start[c + 1];
    const upto = upperBound(days, cutoffDay, s, e);
    const inWindow = upperBound(days, cutoffDay + H, upto, e) - upto;
    out.label[c] = inWindow;
    const k = upto - s;
    if (k === 0) continue;
    out.observed[c] = 1;
    const first = days[s];
    const last = days[upto - 1];
    out.frequency[c] = count(s, upto);
    out.recencyDays[c] = cutoffDay - last;
    out.monetary[c] = (cumSpend[upto] - cumSpend[s]) / k; // per actual purchase day
    out.daysSinceFirstPurchase[c] = cutoffDay - first;
    const since = index.sinceDay[c];
    out.ageDays[c] = cutoffDay - (Number.isFinite(since) && since < first ? since : first);
    out.last30[c] = count(upperBound(days, cutoffDay - 30, s, upto), upto);
    out.last90[c] = count(upperBound(days, cutoffDay - 90, s, upto), upto);
    if (historyCoversLastYear && first <= ly.toDay) {
      out.lastYearCovered[c] = 1;
      out.lastYearWindow[c] = count(upperBound(days, ly.fromDay, s, upto), upperBound(days, ly.toDay, s, upto));
    } else out.lastYearWindow[c] = 0;
  }
  return out;
}
