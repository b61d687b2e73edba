// Per-customer value from a purchase log with the models of src/ml/clv: BG/NBD for purchase counts
// and survival, Gamma-Gamma for spend, CLV discounted monthly, and the calendar-aware count model,
// which serves the forecasts when it beats BG/NBD on the holdout backtest (fit on all but the last
// `holdoutDays`, forecast them) — that backtest error is the version's metric.
import {
  bgnbdConditionalExpectedPurchases, bgnbdProbabilityAlive, bgnbdProbabilityOfPurchase, customerLifetimeValue, fitBgNbd,
  fitGammaGamma, gammaGammaExpectedSpend, rfmSummary, type BgNbdParams, type GammaGammaParams, type PurchaseLog,
} from '../../ml/clv';
import { backtestCalendarVsBgNbd, indexPurchases, predictCalendarModelAt, trainCalendarModel } from '../../ml/clv/calendar';
import type { ValueRow } from './customer-value-data.repository';

const DAY_MS = 86_400_000;

export interface ValueOptions { horizonDays: number; margin: number; monthlyDiscountRate: number; holdoutDays: number }

export const SEGMENTS = ['prospect', 'new', 'active', 'high_value', 'at_risk', 'lapsed'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface ValueComputation {
  rows: ValueRow[];
  bgnbd: BgNbdParams & { logLikelihood: number; customers: number };
  gammaGamma: (GammaGammaParams & { customers: number }) | null;
  /** Holdout backtest of both models; `served` is the better one, whose forecasts the values use. */
  backtest: {
    holdoutDays: number; customers: number; actual: number;
    bgnbd: { predicted: number; ratio: number; correlation: number; mae: number };
    calendar: { predicted: number; ratio: number; correlation: number; mae: number };
    served: 'bgnbd' | 'calendar'; reason: string; servedError: number;
  } | null;
}

function pick<T extends Float64Array>(a: T, rows: number[]): Float64Array { return Float64Array.from(rows, (i) => a[i]); }

/** Fits on the log up to `clockMs` and values every customer over `horizonDays`. */
export function computeCustomerValues(log: PurchaseLog, customerIds: number[], clockMs: number, o: ValueOptions): ValueComputation {
  const n = customerIds.length;
  const rfm = rfmSummary(log, { calibrationEndMs: clockMs, unit: 'days', nCustomers: n });
  const seen: number[] = [];
  for (let i = 0; i < n; i++) if (rfm.observed[i]) seen.push(i);
  if (seen.length < 20) throw new Error(`Only ${seen.length} customers have purchases: too few to fit a customer-value model (need 20)`);
  const hist = { x: pick(rfm.x, seen), tx: pick(rfm.tx, seen), T: pick(rfm.T, seen) };
  const bg = fitBgNbd(hist);
  const repeat = seen.map((_, k) => k).filter((k) => hist.x[k] > 0 && rfm.meanRepeatSpend[seen[k]] > 0);
  const spendAll = { x: hist.x, meanSpend: pick(rfm.meanRepeatSpend, seen) };
  const gg = repeat.length >= 10 ? fitGammaGamma({ x: pick(spendAll.x, repeat), meanSpend: pick(spendAll.meanSpend, repeat) }) : null;

  let expected = bgnbdConditionalExpectedPurchases(bg.params, hist, o.horizonDays);
  const alive = bgnbdProbabilityAlive(bg.params, hist);
  let p7 = bgnbdProbabilityOfPurchase(bg.params, hist, 7);
  const bt = backtest(log, n, clockMs, o.holdoutDays);
  if (bt?.served === 'calendar') {
    // The stationary model misses the calendar (seasonal peaks): serve the calendar-aware forecasts,
    // when the history is long enough to train it for this horizon.
    try {
      const model = trainCalendarModel(log, { horizonDays: o.horizonDays, asOfMs: clockMs, nCustomers: n });
      const pred = predictCalendarModelAt(model, indexPurchases(log, { nCustomers: n }), clockMs, 7);
      expected = Float64Array.from(seen, (i, k) => Number.isFinite(pred.expectedPurchases[i]) ? pred.expectedPurchases[i] : expected[k]);
      p7 = Float64Array.from(seen, (i, k) => Number.isFinite(pred.purchaseProbability[i]) ? pred.purchaseProbability[i] : p7[k]);
    } catch (err) {
      bt.served = 'bgnbd';
      bt.servedError = Math.abs(bt.bgnbd.ratio - 1);
      bt.reason += `; the calendar model cannot be trained for a ${o.horizonDays}-day horizon on this history (${(err as Error).message}), so BG/NBD serves`;
    }
  }
  const p90 = bgnbdProbabilityOfPurchase(bg.params, hist, 90);
  // Without enough repeat buyers for Gamma-Gamma, spend per purchase is each customer's own mean (or the shop's).
  const shopMean = spendAll.meanSpend.reduce((s, v) => s + v, 0) / Math.max(1, repeat.length);
  const spend = gg ? gammaGammaExpectedSpend(gg.params, spendAll) : Float64Array.from(spendAll.meanSpend, (v) => v > 0 ? v : shopMean);
  const bgClv = gg && bt?.served !== 'calendar'
    ? customerLifetimeValue(bg.params, gg.params, { ...hist, meanSpend: spendAll.meanSpend }, {
      horizonMonths: Math.max(1, Math.round(o.horizonDays / 30.436875)), monthlyDiscountRate: o.monthlyDiscountRate, margin: o.margin, unit: 'days',
    }).clv
    : null;
  // Without the BG/NBD CLV: expected purchases × spend × margin, discounted at the horizon's midpoint.
  const midDiscount = Math.pow(1 + o.monthlyDiscountRate, -(o.horizonDays / 30.436875) / 2);
  const clv = bgClv ?? Float64Array.from(expected, (e, k) => e * spend[k] * o.margin * midDiscount);

  const sortedClv = Array.from(clv).sort((a, b) => a - b);
  const topDecile = sortedClv[Math.floor(sortedClv.length * 0.9)] ?? Infinity;
  const rows: ValueRow[] = [];
  const bySeen = new Map(seen.map((i, k) => [i, k]));
  for (let i = 0; i < n; i++) {
    const k = bySeen.get(i);
    if (k === undefined) {
      rows.push({ customerId: customerIds[i], frequency: 0, recency: 0, age: 0, meanSpend: 0, expectedPurchases: 0, expectedSpend: 0, clv: 0, pAlive: 0, churnRisk: 1, propensity: 0, segment: 'prospect' });
      continue;
    }
    const segment: Segment = hist.T[k] <= 30 ? 'new'
      : alive[k] < 0.3 ? 'lapsed'
        : alive[k] < 0.7 ? 'at_risk'
          : clv[k] >= topDecile ? 'high_value' : 'active';
    rows.push({
      customerId: customerIds[i], frequency: hist.x[k], recency: hist.tx[k], age: hist.T[k], meanSpend: spendAll.meanSpend[k],
      expectedPurchases: expected[k], expectedSpend: expected[k] * spend[k], clv: clv[k], pAlive: alive[k], churnRisk: 1 - p90[k],
      propensity: p7[k], segment,
    });
  }
  return {
    rows,
    bgnbd: { ...bg.params, logLikelihood: bg.logLikelihood, customers: bg.customers },
    gammaGamma: gg ? { ...gg.params, customers: gg.customers } : null,
    backtest: bt,
  };
}

/** Forecast the last `holdoutDays` from the data before them with both models; the better one is served. */
export function backtest(log: PurchaseLog, n: number, clockMs: number, holdoutDays: number): ValueComputation['backtest'] {
  let r;
  try {
    r = backtestCalendarVsBgNbd(log, { cutoffsMs: [clockMs - holdoutDays * DAY_MS], horizonDays: holdoutDays, nCustomers: n });
  } catch {
    return null; // too little history before the holdout
  }
  const w = r.windows[0];
  if (!w || w.actual <= 0) return null;
  const score = (m: { predicted: number; ratio: number; correlation: number; mae: number }) => ({ predicted: m.predicted, ratio: m.ratio, correlation: m.correlation, mae: m.mae });
  const served = r.better;
  return {
    holdoutDays, customers: w.customers, actual: w.actual, bgnbd: score(w.bgnbd), calendar: score(w.calendar), served, reason: r.reason,
    servedError: Math.abs((served === 'calendar' ? w.calendar.ratio : w.bgnbd.ratio) - 1),
  };
}
