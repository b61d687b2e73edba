// Per-customer value from a purchase log with the probabilistic models of src/ml/clv: BG/NBD for
// purchase counts and survival, Gamma-Gamma for spend, CLV discounted monthly; plus a holdout
// backtest (fit on all but the last `holdoutDays`, forecast them) that is the version's metric.
import {
  bgnbdConditionalExpectedPurchases, bgnbdProbabilityAlive, bgnbdProbabilityOfPurchase, customerLifetimeValue, fitBgNbd,
  fitGammaGamma, gammaGammaExpectedSpend, rfmSummary, type BgNbdParams, type GammaGammaParams, type PurchaseLog,
} from '../../ml/clv';
import type { ValueRow } from './customer-value-data.repository';

const DAY_MS = 86_400_000;

export interface ValueOptions { horizonDays: number; margin: number; monthlyDiscountRate: number; holdoutDays: number }

export const SEGMENTS = ['prospect', 'new', 'active', 'high_value', 'at_risk', 'lapsed'] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface ValueComputation {
  rows: ValueRow[];
  bgnbd: BgNbdParams & { logLikelihood: number; customers: number };
  gammaGamma: (GammaGammaParams & { customers: number }) | null;
  backtest: { holdoutDays: number; predicted: number; actual: number; ratio: number; correlation: number; customers: number } | null;
}

function pick<T extends Float64Array>(a: T, rows: number[]): Float64Array { return Float64Array.from(rows, (i) => a[i]); }

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0; let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0; let saa = 0; let sbb = 0;
  for (let i = 0; i < n; i++) { const da = a[i] - ma; const db = b[i] - mb; sab += da * db; saa += da * da; sbb += db * db; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

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

  const expected = bgnbdConditionalExpectedPurchases(bg.params, hist, o.horizonDays);
  const alive = bgnbdProbabilityAlive(bg.params, hist);
  const p7 = bgnbdProbabilityOfPurchase(bg.params, hist, 7);
  const p90 = bgnbdProbabilityOfPurchase(bg.params, hist, 90);
  // Without enough repeat buyers for Gamma-Gamma, spend per purchase is each customer's own mean (or the shop's).
  const shopMean = spendAll.meanSpend.reduce((s, v) => s + v, 0) / Math.max(1, repeat.length);
  const spend = gg ? gammaGammaExpectedSpend(gg.params, spendAll) : Float64Array.from(spendAll.meanSpend, (v) => v > 0 ? v : shopMean);
  const clv = gg
    ? customerLifetimeValue(bg.params, gg.params, { ...hist, meanSpend: spendAll.meanSpend }, {
      horizonMonths: Math.max(1, Math.round(o.horizonDays / 30.436875)), monthlyDiscountRate: o.monthlyDiscountRate, margin: o.margin, unit: 'days',
    }).clv
    : Float64Array.from(expected, (e, k) => e * spend[k] * o.margin);

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
    backtest: backtest(log, n, clockMs, o.holdoutDays),
  };
}

/** Fit on the log before the last `holdoutDays`, forecast those days, compare with what happened. */
export function backtest(log: PurchaseLog, n: number, clockMs: number, holdoutDays: number): ValueComputation['backtest'] {
  const cut = clockMs - holdoutDays * DAY_MS;
  const rfm = rfmSummary(log, { calibrationEndMs: cut, holdoutEndMs: clockMs, unit: 'days', nCustomers: n });
  const seen: number[] = [];
  for (let i = 0; i < n; i++) if (rfm.observed[i]) seen.push(i);
  if (seen.length < 20) return null;
  const hist = { x: pick(rfm.x, seen), tx: pick(rfm.tx, seen), T: pick(rfm.T, seen) };
  const fit = fitBgNbd(hist);
  const predicted = bgnbdConditionalExpectedPurchases(fit.params, hist, rfm.holdoutLength);
  const actual = pick(rfm.holdoutPurchases, seen);
  const p = predicted.reduce((s, v) => s + v, 0);
  const a = actual.reduce((s, v) => s + v, 0);
  return { holdoutDays, predicted: p, actual: a, ratio: a > 0 ? p / a : NaN, correlation: pearson(predicted, actual), customers: seen.length };
}
