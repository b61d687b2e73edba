// Rolling-window backtest of the stationary BG/NBD model against the calendar-aware count model.
// For each cutoff t0: BG/NBD is fitted on rfmSummary at t0 (distinct purchase days, unit days) and
// predicts E[purchases in (t0, t0 + H]] per customer; the calendar model (tfjs, model.ts) is trained on
// rolling cutoffs whose labels end on or before t0 and predicts the same. Both are scored against the actual distinct
// purchase days in (t0, t0 + H] of the customers observed at t0 (new customers arriving in the window
// are outside both models).
//
// Choosing a model for a merchant: the one with the lower mean absolute aggregate error
// |Σ predicted / Σ actual − 1| over the windows; when the two are within 1 percentage point of each
// other, the lower mean per-customer MAE decides.

import { pearson } from '../../metrics';
import { fitBgNbd, type BgNbdParams } from '../bgnbd';
import { bgnbdConditionalExpectedPurchases } from '../bgnbd-predict';
import { rfmSummary, type PurchaseLog } from '../rfm';
import type { EventIndex } from './events';
import { calendarFeatures, DAY_MS, indexPurchases, type PurchaseIndexOptions } from './features';
import { predictCalendarModel, trainCalendarModel, type CalendarTrainingSummary, type TrainCalendarModelOptions } from './model';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export type CalendarBacktestModel = 'bgnbd' | 'calendar';

export interface BacktestOptions extends PurchaseIndexOptions {
  /** Forecast cutoffs (any instant of the last observed day of each). */
  cutoffsMs: number[];
  /** Target window length H in days. */
  horizonDays: number;
  /** Passed to trainCalendarModel (step between training cutoffs, warm-up, ridge, row cap). */
  calendar?: Pick<TrainCalendarModelOptions, 'cutoffStepDays' | 'warmupDays' | 'ridge' | 'maxRows' | 'maxIterations' | 'bucketDays' | 'seasonalPrior'>;
  /** Views and add-to-cart events of the same customers, for the calendar model's event features. */
  events?: EventIndex | null;
  /** BG/NBD L2 penalty (default 0). */
  bgnbdPenalizer?: number;
}

export interface ModelWindowScore {
  /** Σ predicted purchases over the customers observed at the cutoff. */
  predicted: number;
  /** predicted / actual. */
  ratio: number;
  /** Pearson correlation of predicted and actual per customer. */
  correlation: number;
  /** Mean absolute error per customer. */
  mae: number;
}

export interface BacktestWindow {
  cutoffDay: number;
  /** ISO date of the cutoff day (merchant calendar). */
  cutoffDate: string;
  horizonDays: number;
  /** Customers observed at the cutoff (the scored population). */
  customers: number;
  /** Σ actual distinct purchase days in the window. */
  actual: number;
  bgnbd: ModelWindowScore & { params: BgNbdParams; converged: boolean };
  calendar: ModelWindowScore & { training: CalendarTrainingSummary };
}

export interface ModelBacktestSummary {
  /** Mean over windows of |ratio − 1|. */
  meanAbsAggregateError: number;
  /** Σ predicted / Σ actual over all windows. */
  pooledRatio: number;
  meanCorrelation: number;
  meanMae: number;
}

export interface BacktestResult {
  windows: BacktestWindow[];
  bgnbd: ModelBacktestSummary;
  calendar: ModelBacktestSummary;
  /** The model to serve for this merchant. */
  better: CalendarBacktestModel;
  /** One sentence a merchant or an operator can read. */
  reason: string;
  /** Cutoffs that could not be scored (too little history before them, or no purchase after), with why. */
  skipped: { cutoffDate: string; reason: string }[];
}

function score(pred: ArrayLike<number>, actual: ArrayLike<number>, mask: Uint8Array, actualSum: number): ModelWindowScore {
  let sum = 0;
  let abs = 0;
  let n = 0;
  for (let i = 0; i < pred.length; i++) {
    if (!mask[i]) continue;
    n++;
    sum += pred[i];
    abs += Math.abs(pred[i] - actual[i]);
  }
  return { predicted: sum, ratio: sum / actualSum, correlation: pearson(pred, actual, mask), mae: n > 0 ? abs / n : NaN };
}

function summarise(ws: ModelWindowScore[], actual: number[]): ModelBacktestSummary {
  const finite = (xs: number[]): number[] => xs.filter((v) => Number.isFinite(v));
  const avg = (xs: number[]): number => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : NaN);
  const pred = ws.reduce((s, w) => s + w.predicted, 0);
  const act = actual.reduce((s, v) => s + v, 0);
  return {
    meanAbsAggregateError: avg(finite(ws.map((w) => Math.abs(w.ratio - 1)))),
    pooledRatio: pred / act,
    meanCorrelation: avg(finite(ws.map((w) => w.correlation))),
    meanMae: avg(finite(ws.map((w) => w.mae))),
  };
}

/** Needs initBackend() first (the calendar model trains in tfjs). */
export async function backtestCalendarVsBgNbd(log: PurchaseLog, opts: BacktestOptions): Promise<BacktestResult> {
  if (opts.cutoffsMs.length === 0) throw new Error('no backtest cutoff given');
  const H = opts.horizonDays;
  const index = indexPurchases(log, opts);
  const offMs = index.utcOffsetMinutes * 60_000;
  const windows: BacktestWindow[] = [];
  const skipped: { cutoffDate: string; reason: string }[] = [];
  for (const cutoffMs of [...opts.cutoffsMs].sort((p, q) => p - q)) {
    const cutoffDay = Math.floor((cutoffMs + offMs) / DAY_MS);
    const cutoffDate = new Date(cutoffDay * DAY_MS).toISOString().slice(0, 10);
    const features = calendarFeatures(index, { cutoffMs, horizonDays: H });
    const mask = features.observed;
    const actualPer = features.label;
    let actual = 0;
    let customers = 0;
    for (let c = 0; c < mask.length; c++)
      if (mask[c]) {
        actual += actualPer[c];
        customers++;
      }

    if (customers < 20 || actual <= 0) {
      skipped.push({ cutoffDate, reason: customers < 20 ? `only ${customers} customers had purchased by then` : 'no purchase in the window' });
      continue;
    }
    const rfm = rfmSummary(log, {
      calibrationEndMs: cutoffMs,
      holdoutEndMs: cutoffMs + H * DAY_MS,
      unit: 'days',
      nCustomers: index.nCustomers,
      utcOffsetMinutes: index.utcOffsetMinutes,
    });
    const bg = fitBgNbd(rfm, { penalizer: opts.bgnbdPenalizer ?? 0 });
    const bgPred = bgnbdConditionalExpectedPurchases(bg.params, rfm, H);

    let model;
    try {
      model = await trainCalendarModel(index, { ...(opts.calendar ?? {}), events: opts.events, horizonDays: H, asOfMs: cutoffMs });
    } catch (err) {
      skipped.push({ cutoffDate, reason: `the calendar model cannot be trained: ${(err as Error).message}` });
      continue;
    }
    let calPred: Float64Array;
    try {
      calPred = predictCalendarModel(model, index, cutoffMs, { events: opts.events }).expectedPurchases;
    } finally {
      model.network.dispose();
    }

    windows.push({
      cutoffDay,
      cutoffDate,
      horizonDays: H,
      customers,
      actual,
      bgnbd: { ...score(bgPred, actualPer, mask, actual), params: bg.params, converged: bg.converged },
      calendar: { ...score(calPred, actualPer, mask, actual), training: model.training },
    });
  }
  if (windows.length === 0) throw new Error(`no backtest window could be scored: ${skipped.map((w) => `${w.cutoffDate}: ${w.reason}`).join('; ')}`);
  const actuals = windows.map((w) => w.actual);
  const bgnbd = summarise(
    windows.map((w) => w.bgnbd),
    actuals,
  );
  const calendar = summarise(
    windows.map((w) => w.calendar),
    actuals,
  );
  const gap = bgnbd.meanAbsAggregateError - calendar.meanAbsAggregateError;
  let better: CalendarBacktestModel;
  let reason: string;
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  if (Math.abs(gap) > 0.01 || !Number.isFinite(gap)) {
    // A non-finite gap means one model produced no usable forecast: serve the other.
    better = Number.isFinite(gap) ? (gap > 0 ? 'calendar' : 'bgnbd') : Number.isFinite(calendar.meanAbsAggregateError) ? 'calendar' : 'bgnbd';
    reason =
      `${better === 'calendar' ? 'calendar model' : 'BG/NBD'} forecasts total purchases closer: mean aggregate error ` +
      `${pct(calendar.meanAbsAggregateError)} (calendar) vs ${pct(bgnbd.meanAbsAggregateError)} (BG/NBD) over ${windows.length} window(s)`;
  } else {
    better = calendar.meanMae < bgnbd.meanMae ? 'calendar' : 'bgnbd';
    reason =
      `aggregate errors are within 1 point (${pct(calendar.meanAbsAggregateError)} vs ${pct(bgnbd.meanAbsAggregateError)}); ` +
      `${better === 'calendar' ? 'calendar model' : 'BG/NBD'} has the lower per-customer MAE ` +
      `(${calendar.meanMae.toFixed(3)} vs ${bgnbd.meanMae.toFixed(3)})`;
  }
  return { windows, bgnbd, calendar, better, reason, skipped };
}
