// Calendar-aware purchase-count model: a Poisson regression (log link) of each customer's distinct
// purchase days in the target window (cutoff, cutoff + H], on features at the cutoff (features.ts), with
// a learned seasonal index. Training rows come from rolling historical cutoffs — features at each
// cutoff, label = purchases in the following H days.
//
//   E[purchases in the window] = exp(x·β) · (1/H) Σ_{days d in the window} s[period(d)]
//
// exp(x·β) is the customer's base rate (recency, frequency, spend, age, recent activity, last year's
// purchases in the same window); s is a relative purchase rate per calendar period (the 12 months, and
// the holiday peak from Black Friday to 24 December as its own period), averaging 1 over a year. A
// season multiplies every customer's rate, which is how a peak acts; putting it in as the window's mean
// index (rather than as linear terms in month sin/cos or the Nov–Dec share, whose exp cannot follow a
// step-shaped multiplier) keeps a window wholly inside the peak from being over- or under-forecast.
//
// Fit: alternating (i) a Newton step of the ridge-penalised Poisson GLM for β with log(window exposure)
// as an offset and (ii) the closed-form Poisson update of s given β (observed ÷ expected purchases per
// period, shrunk toward 1 by a prior of a few pseudo-purchases, so a period the history barely covers
// stays near average). Deterministic, pure JS, seconds for a million rows; the artifact is a few hundred
// bytes and reloads to bit-identical predictions. A TF.js model was not needed: the form above is the
// model, and a Newton fit is exact and reproducible on any backend.
//
// P(≥ 1 purchase in the next d days) = 1 − exp(−exp(x·β) · (1/H) Σ_{first d days} s[period]).

import { ContainerReader, ContainerWriter } from '../../byte-container';
import type { PurchaseLog } from '../rfm';
import { calendarFeatures, DAY_MS, indexPurchases, isHolidayPeakDay, type CalendarFeatures, type PurchaseIndex, type PurchaseIndexOptions } from './features';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

/** Column names of the design matrix (after the intercept), in order. */
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
  'log1p_last_year_window',
  'last_year_covered',
] as const;

const P = CALENDAR_MODEL_FEATURES.length;

/** Writes customer c's design row (without intercept) into out[offset..offset+P). */
function designRow(f: CalendarFeatures, c: number, out: Float64Array, offset: number): void {
  const freq = f.frequency[c];
  const rec = f.recencyDays[c];
  const age = f.ageDays[c];
  const sinceFirst = f.daysSinceFirstPurchase[c];
  const lf = Math.log1p(freq);
  const ratio = rec / (sinceFirst + 1);
  out[offset] = lf;
  out[offset + 1] = Math.log1p(rec);
  out[offset + 2] = Math.log1p(age);
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
}

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

export interface CalendarModel {
  /** Length H of the target window the model predicts, in days. */
  horizonDays: number;
  featureNames: readonly string[];
  /** Intercept then one coefficient per feature, on standardised columns. */
  coefficients: Float64Array;
  /** Column means and scales used for standardisation (length = features). */
  mean: Float64Array;
  scale: Float64Array;
  /**
   * Relative purchase rate of each calendar period (SEASONAL_PERIODS entries: months, then the holiday
   * peak), averaging 1 over a year. A window's expected count is exp(xβ) · Σ_{days d} s[period(d)] / H.
   */
  seasonalIndex: Float64Array;
  /** Whether purchase-count features are season-adjusted (weighted by 1 / seasonalIndex); predictions do the same. */
  seasonAdjusted: boolean;
  /** Training summary (rows, cutoffs, deviance, iterations) for the model version record. */
  training: CalendarTrainingSummary;
}

export interface CalendarTrainingSummary {
  rows: number;
  cutoffDays: number[];
  iterations: number;
  converged: boolean;
  /** Poisson deviance per row at the optimum, and of the intercept-only model (for a pseudo-R²). */
  meanDeviance: number;
  nullMeanDeviance: number;
  /** Σ labels and Σ fitted over the training rows (equal at the optimum, by the intercept's score equation). */
  labelSum: number;
  fittedSum: number;
  /** Label purchases observed per seasonal period (how much evidence each index entry rests on). */
  periodPurchases: number[];
}

export interface TrainCalendarModelOptions extends PurchaseIndexOptions {
  /** Target window length H (days). */
  horizonDays: number;
  /** Latest instant whose data may be used: training label windows end on or before this day. */
  asOfMs: number;
  /** Days between successive training cutoffs. Default 7. */
  cutoffStepDays?: number;
  /** Earliest training cutoff: this many days after the history start (default 90), so features mean something. */
  warmupDays?: number;
  /** Explicit training cutoffs (ms instants); overrides the rolling schedule. */
  cutoffsMs?: number[];
  /** Ridge penalty per row on the standardised coefficients (intercept excluded). Default 1e-4. */
  ridge?: number;
  /**
   * Shrinkage of the seasonal index toward 1, in pseudo-purchases per period (default 20): a period
   * seen in few training windows (short history) stays near the average rate.
   */
  seasonalPrior?: number;
  /**
   * Fits after the first that recompute the count features season-adjusted with the previous fit's
   * index (default 2 rounds in all: plain, then adjusted). 1 keeps plain counts.
   */
  adjustmentRounds?: number;
  /** Cap on training rows: rows are subsampled evenly (deterministically) above it. Default 1,000,000. */
  maxRows?: number;
  maxIterations?: number;
}

/** The rolling training cutoffs (day indices) for a model that may use data up to `asOfDay`. */
export function trainingCutoffDays(index: PurchaseIndex, asOfDay: number, horizonDays: number, stepDays = 7, warmupDays = 90): number[] {
  const out: number[] = [];
  const first = index.historyStartDay + warmupDays;
  // Anchor on the latest possible cutoff so the most recent window is always included.
  for (let d = asOfDay - horizonDays; d >= first; d -= stepDays) out.push(d);
  return out.reverse();
}

/** Days of each seasonal period in (fromDay, fromDay + days]. */
function periodDays(fromDay: number, days: number): Float64Array {
  const out = new Float64Array(SEASONAL_PERIODS);
  for (let d = fromDay + 1; d <= fromDay + days; d++) out[seasonalPeriodOf(d)]++;
  return out;
}

/** A typical year's days per period (2023, not a leap year), for normalising the index. */
const YEAR_DAYS = periodDays(Math.floor(Date.UTC(2023, 0, 1) / DAY_MS) - 1, 365);

export function trainCalendarModel(source: PurchaseIndex | PurchaseLog, opts: TrainCalendarModelOptions): CalendarModel {
  const index = 'days' in source ? source : indexPurchases(source, opts);
  const H = opts.horizonDays;
  const asOfDay = Math.floor((opts.asOfMs + index.utcOffsetMinutes * 60_000) / DAY_MS);
  const cutoffDays = opts.cutoffsMs
    ? opts.cutoffsMs.map((ms) => Math.floor((ms + index.utcOffsetMinutes * 60_000) / DAY_MS)).filter((d) => d + H <= asOfDay)
    : trainingCutoffDays(index, asOfDay, H, opts.cutoffStepDays ?? 7, opts.warmupDays ?? 90);
  if (cutoffDays.length === 0) throw new Error('no training cutoff fits in the history: shorten the horizon or the warm-up');

  // Round 1 on plain counts; later rounds on season-adjusted counts (each purchase weighted by 1/s of
  // its period), so activity inflated by a past peak is not mistaken for a higher base rate.
  const rounds = Math.max(1, opts.adjustmentRounds ?? 2);
  let model: CalendarModel | null = null;
  for (let round = 0; round < rounds; round++) {
    const weight = model ? purchaseWeights(index, model.seasonalIndex) : undefined;
    const next = fitRound(index, H, cutoffDays, opts, weight, model?.seasonalIndex);
    next.seasonAdjusted = weight !== undefined;
    model = next;
  }
  return model as CalendarModel;
}

/** 1 / s[period] of each indexed purchase day (the season-adjusted weight). */
export function purchaseWeights(index: PurchaseIndex, seasonalIndex: Float64Array): Float64Array {
  const w = new Float64Array(index.days.length);
  for (let k = 0; k < w.length; k++) w[k] = 1 / seasonalIndex[seasonalPeriodOf(index.days[k])];
  return w;
}

function fitRound(
  index: PurchaseIndex,
  H: number,
  cutoffDays: number[],
  opts: TrainCalendarModelOptions,
  purchaseWeight: Float64Array | undefined,
  startIndex: Float64Array | undefined,
): CalendarModel {
  // Feature sets per cutoff; count the observed rows first to size the matrix.
  const sets: CalendarFeatures[] = cutoffDays.map((d) =>
    calendarFeatures(index, { cutoffMs: d * DAY_MS - index.utcOffsetMinutes * 60_000, horizonDays: H, purchaseWeight }),
  );
  let total = 0;
  for (const f of sets) for (let c = 0; c < f.nCustomers; c++) total += f.observed[c];
  if (total === 0) throw new Error('no customer is observed at any training cutoff');
  const maxRows = opts.maxRows ?? 1_000_000;
  const keepEvery = total > maxRows ? total / maxRows : 1;
  const rows = Math.min(total, maxRows);
  const X = new Float64Array(rows * P);
  const y = new Float64Array(rows);
  const group = new Int32Array(rows);
  // Label purchases of each row per seasonal period (the likelihood is over (row, period) cells).
  const yp = new Float32Array(rows * SEASONAL_PERIODS);
  // Per cutoff: days of each period in its window, and the kept rows' label purchases per period.
  const K = cutoffDays.length;
  const nkp = new Float64Array(K * SEASONAL_PERIODS);
  const periodPurchases = new Float64Array(SEASONAL_PERIODS);
  let r = 0;
  let seen = 0;
  let nextKeep = 0;
  for (let k = 0; k < K; k++) {
    const f = sets[k];
    const cd = cutoffDays[k];
    nkp.set(periodDays(cd, H), k * SEASONAL_PERIODS);
    for (let c = 0; c < f.nCustomers && r < rows; c++) {
      if (!f.observed[c]) continue;
      if (seen++ < nextKeep) continue;
      nextKeep += keepEvery;
      designRow(f, c, X, r * P);
      y[r] = f.label[c];
      group[r] = k;
      if (f.label[c] > 0) {
        const e = index.start[c + 1];
        for (let q = index.start[c]; q < e; q++) {
          const d = index.days[q];
          if (d > cd && d <= cd + H) {
            const per = seasonalPeriodOf(d);
            periodPurchases[per]++;
            yp[r * SEASONAL_PERIODS + per]++;
          }
        }
      }
      r++;
    }
  }
  const n = r;

  // Standardise columns (constant columns get scale 1 and are held at 0 by the ridge).
  const mean = new Float64Array(P);
  const scale = new Float64Array(P);
  for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) mean[j] += X[i * P + j];
  for (let j = 0; j < P; j++) mean[j] /= n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < P; j++) {
      const d = X[i * P + j] - mean[j];
      scale[j] += d * d;
    }
  for (let j = 0; j < P; j++) {
    const sd = Math.sqrt(scale[j] / n);
    scale[j] = sd > 1e-9 ? sd : 1;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < P; j++) X[i * P + j] = (X[i * P + j] - mean[j]) / scale[j];

  // Joint Newton fit of β and θ = log s. With each row's label split by period, the model is a Poisson
  // GLM over (row, period) cells: log μ_ip = x_i·β + θ_p + log(n_kp / H), n_kp the days of period p in
  // the row's window. A Gamma(κ, κ) prior on each s_p (κ = seasonalPrior pseudo-purchases) shrinks
  // periods with little evidence toward 1 and makes θ identifiable beside the intercept.
  const ridge = opts.ridge ?? 1e-4;
  const kappa = opts.seasonalPrior ?? 20;
  const NP = SEASONAL_PERIODS;
  const NB = P + 1;
  const NT = NB + NP;
  const theta0 = startIndex ? Array.from(startIndex, (v) => Math.log(v)) : new Array<number>(NP).fill(0);
  const params = new Float64Array(NT);
  let sy = 0;
  for (let i = 0; i < n; i++) sy += y[i];
  {
    let exposure = 0;
    for (let i = 0; i < n; i++) {
      const k = group[i];
      for (let q = 0; q < NP; q++) exposure += (nkp[k * NP + q] * Math.exp(theta0[q])) / H;
    }
    params[0] = Math.log(Math.max(sy, 1e-6) / exposure);
  }
  for (let q = 0; q < NP; q++) params[NB + q] = theta0[q];
  const logN = new Float64Array(K * NP).fill(-Infinity);
  for (let q = 0; q < K * NP; q++) if (nkp[q] > 0) logN[q] = Math.log(nkp[q] / H);
  const eta = new Float64Array(n);
  const objective = (th: Float64Array, etaOut: Float64Array): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      let e = th[0];
      const o = i * P;
      for (let j = 0; j < P; j++) e += th[j + 1] * X[o + j];
      if (e > ETA_MAX) e = ETA_MAX;
      etaOut[i] = e;
      const k = group[i];
      for (let q = 0; q < NP; q++) {
        const ln = logN[k * NP + q];
        if (ln === -Infinity) continue;
        const lm = e + th[NB + q] + ln;
        ll += yp[i * NP + q] * lm - Math.exp(lm);
      }
    }
    let pen = 0;
    for (let j = 1; j < NB; j++) pen += th[j] * th[j];
    let prior = 0;
    for (let q = 0; q < NP; q++) prior += th[NB + q] - Math.exp(th[NB + q]);
    return ll / n - ridge * pen + (kappa / n) * prior;
  };
  let f = objective(params, eta);
  const maxIterations = opts.maxIterations ?? 50;
  let converged = false;
  let it = 0;
  const Hm = new Float64Array(NT * NT);
  const g = new Float64Array(NT);
  const row = new Float64Array(NB);
  const trial = new Float64Array(NT);
  const trialEta = new Float64Array(n);
  for (; it < maxIterations && !converged; it++) {
    Hm.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const k = group[i];
      row[0] = 1;
      const o = i * P;
      for (let j = 0; j < P; j++) row[j + 1] = X[o + j];
      let mu = 0;
      let yi = 0;
      for (let q = 0; q < NP; q++) {
        const ln = logN[k * NP + q];
        if (ln === -Infinity) continue;
        const m = Math.exp(eta[i] + params[NB + q] + ln);
        const yq = yp[i * NP + q];
        mu += m;
        yi += yq;
        g[NB + q] += yq - m;
        Hm[(NB + q) * NT + NB + q] += m;
        for (let a = 0; a < NB; a++) Hm[(NB + q) * NT + a] += m * row[a];
      }
      const resid = yi - mu;
      for (let a = 0; a < NB; a++) {
        const ra = row[a];
        g[a] += resid * ra;
        const w = mu * ra;
        const base = a * NT;
        for (let b2 = 0; b2 <= a; b2++) Hm[base + b2] += w * row[b2];
      }
    }
    for (let a = 0; a < NT; a++) {
      g[a] /= n;
      for (let b2 = 0; b2 <= a; b2++) {
        Hm[a * NT + b2] /= n;
        Hm[b2 * NT + a] = Hm[a * NT + b2];
      }
    }
    for (let a = 1; a < NB; a++) {
      g[a] -= 2 * ridge * params[a];
      Hm[a * NT + a] += 2 * ridge;
    }
    for (let q = 0; q < NP; q++) {
      const e = Math.exp(params[NB + q]);
      g[NB + q] += (kappa / n) * (1 - e);
      Hm[(NB + q) * NT + NB + q] += (kappa / n) * e;
    }
    const step = solveSpd(Hm, g, NT);
    let t = 1;
    let accepted = false;
    for (let half = 0; half < 30; half++) {
      for (let a = 0; a < NT; a++) trial[a] = params[a] + t * step[a];
      const ft = objective(trial, trialEta);
      if (ft >= f) {
        const gain = ft - f;
        params.set(trial);
        eta.set(trialEta);
        f = ft;
        accepted = true;
        let gmax = 0;
        for (let a = 0; a < NT; a++) gmax = Math.max(gmax, Math.abs(g[a]));
        if (gain < 1e-12 || gmax < 1e-10) converged = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) converged = true;
  }
  // Normalise s to average 1 over a year; the intercept takes the level (predictions unchanged).
  const sIdx = new Float64Array(NP);
  let norm = 0;
  for (let q = 0; q < NP; q++) {
    sIdx[q] = Math.exp(params[NB + q]);
    norm += sIdx[q] * YEAR_DAYS[q];
  }
  norm /= 365;
  for (let q = 0; q < NP; q++) sIdx[q] /= norm;
  const beta = params.slice(0, NB);
  beta[0] += Math.log(norm);
  // Fit statistics on the window counts.
  let dev = 0;
  let nullDev = 0;
  let fittedSum = 0;
  const ybar = sy / n;
  for (let i = 0; i < n; i++) {
    const k = group[i];
    let mu = 0;
    for (let q = 0; q < NP; q++) if (nkp[k * NP + q] > 0) mu += Math.exp(eta[i] + params[NB + q] + logN[k * NP + q]);
    fittedSum += mu;
    dev += poissonDeviance(y[i], mu);
    nullDev += poissonDeviance(y[i], ybar);
  }
  return {
    horizonDays: H,
    featureNames: CALENDAR_MODEL_FEATURES,
    coefficients: beta,
    mean,
    scale,
    seasonalIndex: sIdx,
    seasonAdjusted: false,
    training: {
      rows: n,
      cutoffDays,
      iterations: it,
      converged,
      meanDeviance: dev / n,
      nullMeanDeviance: nullDev / n,
      labelSum: sy,
      fittedSum,
      periodPurchases: Array.from(periodPurchases),
    },
  };
}

const ETA_MAX = 30;

function poissonDeviance(y: number, mu: number): number {
  return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
}

/** Solves A x = b for symmetric positive-definite A (Cholesky, with a jitter fallback). */
function solveSpd(A: Float64Array, b: Float64Array, K: number): Float64Array {
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-10 : jitter * 100) {
    const L = new Float64Array(K * K);
    let ok = true;
    for (let i = 0; i < K && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i * K + j] + (i === j ? jitter : 0);
        for (let k = 0; k < j; k++) s -= L[i * K + k] * L[j * K + k];
        if (i === j) {
          if (!(s > 0)) ok = false;
          else L[i * K + i] = Math.sqrt(s);
        } else L[i * K + j] = s / L[j * K + j];
      }
    }
    if (!ok) {
      if (jitter > 1) throw new Error('Poisson Hessian is not positive definite');
      continue;
    }
    const z = new Float64Array(K);
    for (let i = 0; i < K; i++) {
      let s = b[i];
      for (let k = 0; k < i; k++) s -= L[i * K + k] * z[k];
      z[i] = s / L[i * K + i];
    }
    const x = new Float64Array(K);
    for (let i = K - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < K; k++) s -= L[k * K + i] * x[k];
      x[i] = s / L[i * K + i];
    }
    return x;
  }
}


export interface CalendarPrediction {
  /** Expected distinct purchase days in (cutoff, cutoff + H]; NaN for customers not observed at the cutoff. */
  expectedPurchases: Float64Array;
  /**
   * P(at least one purchase in (cutoff, cutoff + shortHorizonDays]) = 1 − exp(−λ_short), with λ_short
   * the window's base rate spread over those days by the seasonal index.
   */
  purchaseProbability: Float64Array;
  shortHorizonDays: number;
}

/**
 * Predictions for every customer from features at a cutoff. The features' horizon must equal the
 * model's (the customer terms describe that window length).
 */
export function predictCalendarModel(model: CalendarModel, features: CalendarFeatures, shortHorizonDays = 7): CalendarPrediction {
  if (features.horizonDays !== model.horizonDays) {
    throw new Error(`features describe a ${features.horizonDays}-day window, the model predicts ${model.horizonDays} days`);
  }
  if (features.purchaseWeighted !== model.seasonAdjusted) {
    throw new Error(
      model.seasonAdjusted
        ? 'this model needs season-adjusted features: calendarFeatures(index, { ..., purchaseWeight: purchaseWeights(index, model.seasonalIndex) }) — or use predictCalendarModelAt'
        : 'this model was trained on plain counts: compute the features without purchaseWeight',
    );
  }
  const H = model.horizonDays;
  const s = model.seasonalIndex;
  const exposure = (days: number): number => {
    const nd = periodDays(features.cutoffDay, days);
    let e = 0;
    for (let p = 0; p < SEASONAL_PERIODS; p++) e += nd[p] * s[p];
    return e / H;
  };
  const windowExposure = exposure(H);
  const shortExposure = exposure(shortHorizonDays);
  const n = features.nCustomers;
  const expected = new Float64Array(n);
  const prob = new Float64Array(n);
  const row = new Float64Array(P);
  const { coefficients: beta, mean, scale } = model;
  for (let c = 0; c < n; c++) {
    if (!features.observed[c]) {
      expected[c] = NaN;
      prob[c] = NaN;
      continue;
    }
    designRow(features, c, row, 0);
    let e = beta[0];
    for (let j = 0; j < P; j++) e += beta[j + 1] * ((row[j] - mean[j]) / scale[j]);
    const base = Math.exp(Math.min(e, ETA_MAX));
    expected[c] = base * windowExposure;
    prob[c] = -Math.expm1(-base * shortExposure);
  }
  return { expectedPurchases: expected, purchaseProbability: prob, shortHorizonDays };
}

/** Features at a cutoff computed the way the model needs them, then its predictions. */
export function predictCalendarModelAt(model: CalendarModel, index: PurchaseIndex, cutoffMs: number, shortHorizonDays = 7): CalendarPrediction & { features: CalendarFeatures } {
  const purchaseWeight = model.seasonAdjusted ? purchaseWeights(index, model.seasonalIndex) : undefined;
  const features = calendarFeatures(index, { cutoffMs, horizonDays: model.horizonDays, purchaseWeight });
  return { ...predictCalendarModel(model, features, shortHorizonDays), features };
}

const KIND = 'clv-calendar-poisson';
const FORMAT = 1;

/** The model as one byte array (a model version's artifact). Holds no customer identifiers. */
export function serializeCalendarModel(model: CalendarModel): Uint8Array {
  return new ContainerWriter()
    .add('coefficients', model.coefficients)
    .add('mean', model.mean)
    .add('scale', model.scale)
    .add('seasonalIndex', model.seasonalIndex)
    .pack(KIND, { format: FORMAT, horizonDays: model.horizonDays, seasonAdjusted: model.seasonAdjusted, featureNames: model.featureNames, training: model.training });
}

export function deserializeCalendarModel(bytes: Uint8Array): CalendarModel {
  const reader = new ContainerReader(bytes);
  if (reader.kind !== KIND) throw new Error(`not a calendar CLV model (kind ${reader.kind})`);
  const meta = reader.meta as { format: number; horizonDays: number; seasonAdjusted: boolean; featureNames: string[]; training: CalendarTrainingSummary };
  if (meta.format !== FORMAT) throw new Error(`unsupported calendar model format ${meta.format}`);
  const names = meta.featureNames;
  if (names.length !== P || names.some((name, i) => name !== CALENDAR_MODEL_FEATURES[i])) {
    throw new Error('the stored model was trained on a different feature set');
  }
  const seasonalIndex = reader.float64('seasonalIndex');
  if (seasonalIndex.length !== SEASONAL_PERIODS) throw new Error('the stored seasonal index has the wrong length');
  return {
    horizonDays: meta.horizonDays,
    featureNames: CALENDAR_MODEL_FEATURES,
    coefficients: reader.float64('coefficients'),
    mean: reader.float64('mean'),
    scale: reader.float64('scale'),
    seasonalIndex,
    seasonAdjusted: meta.seasonAdjusted === true,
    training: meta.training,
  };
}
