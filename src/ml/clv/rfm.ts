// Per-customer recency/frequency/monetary summary for the buy-till-you-die models, with the "distinct
// purchase days" convention of Fader, Hardie & Lee (2005): all purchases a customer makes on one calendar
// day count as ONE transaction (their amounts summed), the first purchase day is the trial, and
//   x   = number of later distinct purchase days within the calibration period (repeat transactions),
//   t_x = time from the first to the last purchase day (0 when x = 0),
//   T   = time from the first purchase day to the calibration end day,
// all in `unit`s (days, or weeks of 7 days). The calibration period includes the whole day that contains
// `calibrationEndMs`; days are calendar days at a fixed UTC offset (a merchant's time zone without DST).
// Amounts are used as given: net returns and cancellations out before calling if they should not count.

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export type TimeUnit = 'days' | 'weeks';

const DAY_MS = 86_400_000;

export function unitDays(unit: TimeUnit): number {
  return unit === 'weeks' ? 7 : 1;
}

export interface PurchaseLog {
  /** Customer index (0..nCustomers−1) of each purchase line; lines may be in any order. */
  customer: Int32Array;
  /** Purchase instant, ms since the epoch. */
  timeMs: Float64Array;
  /** Value of the line (money). Optional: spend outputs are 0 without it. */
  amount?: Float64Array;
}

export interface RfmOptions {
  /** Any instant of the last calibration day. */
  calibrationEndMs: number;
  unit: TimeUnit;
  /** Any instant of the last holdout day: fills `holdoutPurchases` and `holdoutSpend`. */
  holdoutEndMs?: number;
  /** Defaults to max(customer) + 1. */
  nCustomers?: number;
  /** Offset of the merchant's calendar day from UTC, in minutes (e.g. 60 for UTC+1). Default 0. */
  utcOffsetMinutes?: number;
}

export interface RfmSummary {
  unit: TimeUnit;
  /** Day indices (days since the epoch in the merchant's calendar) of the calibration and holdout ends. */
  calibrationEndDay: number;
  holdoutEndDay: number;
  /** Length of the holdout period in `unit`s (0 without a holdout). */
  holdoutLength: number;
  /** 1 when the customer made a purchase on or before the calibration end; model inputs are defined only then. */
  observed: Uint8Array;
  /** Repeat transactions (distinct purchase days after the first) in the calibration period. */
  x: Float64Array;
  /** Recency: first to last calibration purchase day, in units. 0 when x = 0 or not observed. */
  tx: Float64Array;
  /** Age: first purchase day to calibration end day, in units. NaN when not observed. */
  T: Float64Array;
  /** Day index of the first purchase (NaN when not observed). */
  firstDay: Float64Array;
  /** Mean value of the repeat transactions (each a day's purchases summed); 0 when x = 0. */
  meanRepeatSpend: Float64Array;
  /** Total calibration spend including the first day. */
  totalSpend: Float64Array;
  /** Distinct purchase days in (calibration end, holdout end]; all 0 without a holdout. */
  holdoutPurchases: Float64Array;
  holdoutSpend: Float64Array;
}

/** Sorts line indices by customer (counting sort) and, within a customer, by time. */
function orderByCustomerThenDay(customer: Int32Array, day: Float64Array, nCustomers: number): { start: Int32Array; order: Int32Array } {
  const n = customer.length;
  const start = new Int32Array(nCustomers + 1);
  for (let i = 0; i < n; i++) start[customer[i] + 1]++;
  for (let c = 0; c < nCustomers; c++) start[c + 1] += start[c];
  const fill = start.slice(0, nCustomers);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[customer[i]]++] = i;
  // Per customer, sort on day: insertion sort for the usual short lists (one pass when already sorted),
  // a comparator sort for a wholesale customer with thousands of lines.
  for (let c = 0; c < nCustomers; c++) {
    if (start[c + 1] - start[c] > 32) {
      order.subarray(start[c], start[c + 1]).sort((p, q) => day[p] - day[q]);
      continue;
    }
    for (let k = start[c] + 1; k < start[c + 1]; k++) {
      const v = order[k];
      const d = day[v];
      let j = k - 1;
      while (j >= start[c] && day[order[j]] > d) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }
  return { start, order };
}

/** Checks a purchase log's columns and returns its customer count (`nCustomers`, or max index + 1). */
export function purchaseLogCustomers(log: PurchaseLog, nCustomersOpt?: number): number {
  const { customer, timeMs, amount } = log;
  const n = customer.length;
  if (timeMs.length !== n || (amount && amount.length !== n)) throw new Error('purchase log columns differ in length');
  let maxC = -1;
  for (let i = 0; i < n; i++) {
    const c = customer[i];
    if (c < 0) throw new Error(`negative customer index at line ${i}`);
    if (c > maxC) maxC = c;
  }
  const nCustomers = nCustomersOpt ?? maxC + 1;
  if (maxC >= nCustomers) throw new Error(`customer index ${maxC} ≥ nCustomers ${nCustomers}`);
  return nCustomers;
}

export function rfmSummary(log: PurchaseLog, opts: RfmOptions): RfmSummary {
  const { customer, timeMs, amount } = log;
  const n = customer.length;
  const nCustomers = purchaseLogCustomers(log, opts.nCustomers);
  const offsetMs = (opts.utcOffsetMinutes ?? 0) * 60_000;
  const toDay = (ms: number): number => Math.floor((ms + offsetMs) / DAY_MS);
  const endDay = toDay(opts.calibrationEndMs);
  const holdoutEndDay = opts.holdoutEndMs === undefined ? endDay : toDay(opts.holdoutEndMs);
  if (holdoutEndDay < endDay) throw new Error('holdout ends before the calibration period');
  const u = unitDays(opts.unit);

  const day = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(timeMs[i])) throw new Error(`purchase time at line ${i} is not a finite number`);
    day[i] = toDay(timeMs[i]);
  }
  const { start, order } = orderByCustomerThenDay(customer, day, nCustomers);

  const out: RfmSummary = {
    unit: opts.unit,
    calibrationEndDay: endDay,
    holdoutEndDay,
    holdoutLength: (holdoutEndDay - endDay) / u,
    observed: new Uint8Array(nCustomers),
    x: new Float64Array(nCustomers),
    tx: new Float64Array(nCustomers),
    T: new Float64Array(nCustomers).fill(NaN),
    firstDay: new Float64Array(nCustomers).fill(NaN),
    meanRepeatSpend: new Float64Array(nCustomers),
    totalSpend: new Float64Array(nCustomers),
    holdoutPurchases: new Float64Array(nCustomers),
    holdoutSpend: new Float64Array(nCustomers),
  };

  for (let c = 0; c < nCustomers; c++) {
    const s = start[c];
    const e = start[c + 1];
    if (s === e) continue;
    let first = NaN;
    let last = NaN;
    let prevDay = NaN;
    let repeatDays = 0;
    let repeatSpend = 0;
    let total = 0;
    let holdDays = 0;
    let holdSpend = 0;
    for (let k = s; k < e; k++) {
      const i = order[k];
      const d = day[i];
      const v = amount ? amount[i] : 0;
      if (d <= endDay) {
        total += v;
        if (Number.isNaN(first)) first = d;
        else if (d !== first) repeatSpend += v;
        if (d !== prevDay && d !== first) repeatDays++;
        last = d;
      } else if (d <= holdoutEndDay) {
        if (d !== prevDay) holdDays++;
        holdSpend += v;
      }
      prevDay = d;
    }
    out.holdoutPurchases[c] = holdDays;
    out.holdoutSpend[c] = holdSpend;
    if (Number.isNaN(first)) continue;
    out.observed[c] = 1;
    out.x[c] = repeatDays;
    out.tx[c] = (last - first) / u;
    out.T[c] = (endDay - first) / u;
    out.firstDay[c] = first;
    out.totalSpend[c] = total;
    out.meanRepeatSpend[c] = repeatDays > 0 ? repeatSpend / repeatDays : 0;
  }
  return out;
}
