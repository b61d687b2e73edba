// Per-customer value from a purchase log with the models of src/ml/clv, for two model versions:
// - 'bgnbd': BG/NBD for purchase counts and survival, Gamma-Gamma for spend, CLV discounted monthly;
// - 'calendar': the calendar-aware tfjs count model (seasonal index, lead time, recent events) for
//   purchase counts, 7-day propensity and churn, with BG/NBD's P(alive) and Gamma-Gamma's spend.
// Both are backtested on up to three rolling windows ending at the data clock; the one with the lower
// mean aggregate error serves (see ml/clv/calendar/backtest.ts for the rule).
import {
  bgnbdConditionalExpectedPurchases, bgnbdProbabilityAlive, bgnbdProbabilityOfPurchase, customerLifetimeValue, fitBgNbd,
  fitGammaGamma, gammaGammaExpectedSpend, rfmSummary, type BgNbdParams, type GammaGammaParams, type PurchaseLog,
} from '../../ml/clv';
import {
  backtestCalendarVsBgNbd, indexEvents, indexPurchases, predictCalendarModel, trainCalendarModel,
  type BacktestResult, type CalendarModel, type EventLog,
} from '../../ml/clv/calendar';
import type { ValueRow } from './customer-value-data.repository';

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 30.436875;

export interface ValueOptions { horizonDays: number; margin: number; monthlyDiscountRate: number; holdoutDays: number }

export const SEGMENTS = ['prospect', 'new', 'active', 'high_value', 'at_risk', 'lapsed'] as const;
export type Segment = (typeof SEGMENTS)[number];
export type ValueModel = 'bgnbd' | 'calendar';

export interface WindowScore { predicted: number; ratio: number; correlation: number; mae: number }

/** The rolling backtest as stored in both versions' metrics (and read by GraphQL). */
export interface StoredBacktest {
  windowDays: number;
  windows: { cutoffDate: string; horizonDays: number; customers: number; actual: number; bgnbd: WindowScore; calendar: WindowScore }[];
  bgnbd: { meanAbsAggregateError: number; pooledRatio: number; meanCorrelation: number; meanMae: number };
  calendar: { meanAbsAggregateError: number; pooledRatio: number; meanCorrelation: number; meanMae: number };
  served: ValueModel;
  reason: string;
  /** Windows that could not be scored (too little history before them), with why. */
  skipped: { cutoffDate: string; reason: string }[];
}

export interface ValueComputation {
  bgnbd: BgNbdParams & { logLikelihood: number; customers: number };
  gammaGamma: (GammaGammaParams & { customers: number }) | null;
  /** Values under each model; `calendar` is null when the history is too short to train it. */
  rows: { bgnbd: ValueRow[]; calendar: ValueRow[] | null };
  /** The trained calendar model (the caller serialises and disposes it). */
  calendarModel: CalendarModel | null;
  calendarError: string | null;
  backtest: StoredBacktest | null;
  served: ValueModel;
}

function pick(a: Float64Array, rows: number[]): Float64Array { return Float64Array.from(rows, (i) => a[i]); }

/** Cutoffs of up to `count` rolling windows of `days` ending at the clock, latest first. */
export function rollingCutoffs(clockMs: number, days: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => clockMs - (k + 1) * days * DAY_MS);
}

/** Fits on the log up to `clockMs` and values every customer over `horizonDays` with both models. Needs initBackend(). */
export async function computeCustomerValues(
  log: PurchaseLog, customerIds: number[], clockMs: number, o: ValueOptions, events: EventLog | null = null,
): Promise<ValueComputation> {
  const n = customerIds.length;
  const rfm = rfmSummary(log, { calibrationEndMs: clockMs, unit: 'days', nCustomers: n });
  const seen: number[] = [];
  for (let i = 0; i < n; i++) if (rfm.observed[i]) seen.push(i);
  if (seen.length < 20) throw new Error(`Only ${seen.length} customers have purchases: too few to fit a customer-value model (need 20)`);
  const hist = { x: pick(rfm.x, seen), tx: pick(rfm.tx, seen), T: pick(rfm.T, seen) };
  const bg = fitBgNbd(hist);
  const repeat = seen.map((_, k) => k).filter((k) => hist.x[k] > 0 && rfm.meanRepeatSpend[seen[k]] > 0);
  const meanSpend = pick(rfm.meanRepeatSpend, seen);
  const gg = repeat.length >= 10 ? fitGammaGamma({ x: pick(hist.x, repeat), meanSpend: pick(meanSpend, repeat) }) : null;
  // Without enough repeat buyers for Gamma-Gamma, spend per purchase is each customer's own mean (or the shop's).
  const shopMean = meanSpend.reduce((s, v) => s + v, 0) / Math.max(1, repeat.length);
  const spend = gg ? gammaGammaExpectedSpend(gg.params, { x: hist.x, meanSpend }) : Float64Array.from(meanSpend, (v) => (v > 0 ? v : shopMean));
  const alive = bgnbdProbabilityAlive(bg.params, hist);
  const eventIndex = events ? indexEvents(events, n) : null;

  // BG/NBD values.
  const bgExpected = bgnbdConditionalExpectedPurchases(bg.params, hist, o.horizonDays);
  const bgP7 = bgnbdProbabilityOfPurchase(bg.params, hist, 7);
  const bgP90 = bgnbdProbabilityOfPurchase(bg.params, hist, 90);
  const bgClv = gg
    ? customerLifetimeValue(bg.params, gg.params, { ...hist, meanSpend }, {
      horizonMonths: Math.max(1, Math.round(o.horizonDays / DAYS_PER_MONTH)), monthlyDiscountRate: o.monthlyDiscountRate, margin: o.margin, unit: 'days',
    }).clv
    : null;
  // Without a CLV formula: expected purchases × spend × margin, discounted at the horizon's midpoint.
  const midDiscount = Math.pow(1 + o.monthlyDiscountRate, -(o.horizonDays / DAYS_PER_MONTH) / 2);
  const rowsFor = (expected: ArrayLike<number>, p7: ArrayLike<number>, churn: ArrayLike<number>, clvIn: ArrayLike<number> | null): ValueRow[] => {
    const clv = clvIn ?? Float64Array.from({ length: seen.length }, (_, k) => expected[k] * spend[k] * o.margin * midDiscount);
    const sorted = Array.from(clv).sort((a, b) => a - b);
    const topDecile = sorted[Math.floor(sorted.length * 0.9)] ?? Infinity;
    const bySeen = new Map(seen.map((i, k) => [i, k]));
    const out: ValueRow[] = [];
    for (let i = 0; i < n; i++) {
      const k = bySeen.get(i);
      if (k === undefined) {
        out.push({ customerId: customerIds[i], frequency: 0, recency: 0, age: 0, meanSpend: 0, expectedPurchases: 0, expectedSpend: 0, clv: 0, pAlive: 0, churnRisk: 1, propensity: 0, segment: 'prospect' });
        continue;
      }
      const segment: Segment = hist.T[k] <= 30 ? 'new' : alive[k] < 0.3 ? 'lapsed' : alive[k] < 0.7 ? 'at_risk' : clv[k] >= topDecile ? 'high_value' : 'active';
      out.push({
        customerId: customerIds[i], frequency: hist.x[k], recency: hist.tx[k], age: hist.T[k], meanSpend: meanSpend[k],
        expectedPurchases: expected[k], expectedSpend: expected[k] * spend[k], clv: clv[k], pAlive: alive[k], churnRisk: churn[k], propensity: p7[k], segment,
      });
    }
    return out;
  };
  const bgRows = rowsFor(bgExpected, bgP7, Float64Array.from(bgP90, (p) => 1 - p), bgClv);

  // Rolling backtest of both models.
  const windowDays = Math.min(o.horizonDays, o.holdoutDays);
  let backtest: StoredBacktest | null = null;
  try {
    const r = await backtestCalendarVsBgNbd(log, { cutoffsMs: rollingCutoffs(clockMs, windowDays, 3), horizonDays: windowDays, nCustomers: n, events: eventIndex });
    backtest = storedBacktest(r, windowDays);
  } catch {
    backtest = null; // no window has enough history before it
  }

  // The calendar model at the clock, and its values.
  let calendarModel: CalendarModel | null = null;
  let calendarRows: ValueRow[] | null = null;
  let calendarError: string | null = null;
  try {
    const index = indexPurchases(log, { nCustomers: n });
    calendarModel = await trainCalendarModel(index, { horizonDays: o.horizonDays, asOfMs: clockMs, events: eventIndex });
    const main = predictCalendarModel(calendarModel, index, clockMs, { events: eventIndex, shortHorizonDays: 7 });
    const churn = predictCalendarModel(calendarModel, index, clockMs, { events: eventIndex, horizonDays: 90, shortHorizonDays: 7 });
    const fallback = (v: number, k: number, alt: ArrayLike<number>): number => (Number.isFinite(v) ? v : alt[k]);
    calendarRows = rowsFor(
      Float64Array.from(seen, (i, k) => fallback(main.expectedPurchases[i], k, bgExpected)),
      Float64Array.from(seen, (i, k) => fallback(main.purchaseProbability[i], k, bgP7)),
      Float64Array.from(seen, (i, k) => fallback(Math.exp(-churn.expectedPurchases[i]), k, Float64Array.from(bgP90, (p) => 1 - p))),
      null,
    );
  } catch (err) {
    calendarModel?.network.dispose();
    calendarModel = null;
    calendarError = `the calendar model cannot be trained for a ${o.horizonDays}-day horizon on this history: ${(err as Error).message}`;
  }
  let served: ValueModel = backtest?.served ?? 'bgnbd';
  if (served === 'calendar' && !calendarRows) {
    served = 'bgnbd';
    if (backtest) {
      backtest.served = 'bgnbd';
      backtest.reason += `; ${calendarError}, so BG/NBD serves`;
    }
  }
  return {
    bgnbd: { ...bg.params, logLikelihood: bg.logLikelihood, customers: bg.customers },
    gammaGamma: gg ? { ...gg.params, customers: gg.customers } : null,
    rows: { bgnbd: bgRows, calendar: calendarRows },
    calendarModel,
    calendarError,
    backtest,
    served,
  };
}

function storedBacktest(r: BacktestResult, windowDays: number): StoredBacktest {
  const score = (m: WindowScore): WindowScore => ({ predicted: m.predicted, ratio: m.ratio, correlation: m.correlation, mae: m.mae });
  return {
    windowDays,
    windows: r.windows.map((w) => ({ cutoffDate: w.cutoffDate, horizonDays: w.horizonDays, customers: w.customers, actual: w.actual, bgnbd: score(w.bgnbd), calendar: score(w.calendar) })),
    bgnbd: r.bgnbd,
    calendar: r.calendar,
    served: r.better,
    reason: r.reason,
    skipped: r.skipped,
  };
}
