// Calendar-aware purchase-count model: a Poisson GLM (log link) of each customer's distinct purchase
// days in the target window (cutoff, cutoff + H], on features at the cutoff (features.ts). Training rows
// come from rolling historical cutoffs — features at each cutoff, label = purchases in the following H
// days — so the calendar terms learn the seasonal multiplier (log link: a calendar term multiplies every
// customer's rate, which is how a seasonal peak acts) while the customer terms learn the stationary part
// (rate, dropout from recency, last year's behaviour in the same window).
//
// Fit: Newton / IRLS on standardised columns with a small ridge penalty (not on the intercept) and step
// halving on the penalised log-likelihood: deterministic, ~10 iterations, seconds for millions of rows.
// A TF.js model was not needed: the log-linear form already expresses a multiplicative season, and the
// Newton fit is exact and reproducible (same bytes → same predictions on any backend).
//
// P(≥ 1 purchase in the next d days) = 1 − exp(−λ·d/H): the window's expected count spread evenly.

import { ContainerReader, ContainerWriter } from '../../byte-container';
import type { PurchaseLog } from '../rfm';
import { calendarFeatures, DAY_MS, indexPurchases, type CalendarFeatures, type PurchaseIndex, type PurchaseIndexOptions } from './features';

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
  'month_sin',
  'month_cos',
  'nov_dec_share',
  'holiday_peak_share',
  'holiday_peak',
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
  const cal = f.calendar;
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
  out[offset + 14] = cal.monthSin;
  out[offset + 15] = cal.monthCos;
  out[offset + 16] = cal.novDecShare;
  out[offset + 17] = cal.holidayPeakShare;
  out[offset + 18] = cal.holidayPeak;
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
  /** Cap on training rows: customers are subsampled evenly (deterministically) above it. Default 2,000,000. */
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

export function trainCalendarModel(source: PurchaseIndex | PurchaseLog, opts: TrainCalendarModelOptions): CalendarModel {
  const index = 'days' in source ? source : indexPurchases(source, opts);
  const H = opts.horizonDays;
  const asOfDay = Math.floor((opts.asOfMs + index.utcOffsetMinutes * 60_000) / DAY_MS);
  const cutoffDays = opts.cutoffsMs
    ? opts.cutoffsMs.map((ms) => Math.floor((ms + index.utcOffsetMinutes * 60_000) / DAY_MS)).filter((d) => d + H <= asOfDay)
    : trainingCutoffDays(index, asOfDay, H, opts.cutoffStepDays ?? 7, opts.warmupDays ?? 90);
  if (cutoffDays.length === 0) throw new Error('no training cutoff fits in the history: shorten the horizon or the warm-up');

  // Feature sets per cutoff; count the observed rows first to size the matrix.
  const sets: CalendarFeatures[] = cutoffDays.map((d) => calendarFeatures(index, { cutoffMs: d * DAY_MS - index.utcOffsetMinutes * 60_000, horizonDays: H }));
  let total = 0;
  for (const f of sets) for (let c = 0; c < f.nCustomers; c++) total += f.observed[c];
  if (total === 0) throw new Error('no customer is observed at any training cutoff');
  const maxRows = opts.maxRows ?? 2_000_000;
  const keepEvery = total > maxRows ? total / maxRows : 1;
  const rows = Math.min(total, maxRows);
  const X = new Float64Array(rows * P);
  const y = new Float64Array(rows);
  let r = 0;
  let seen = 0;
  let nextKeep = 0;
  for (const f of sets) {
    for (let c = 0; c < f.nCustomers && r < rows; c++) {
      if (!f.observed[c]) continue;
      if (seen++ < nextKeep) continue;
      nextKeep += keepEvery;
      designRow(f, c, X, r * P);
      y[r] = f.label[c];
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

  const fit = fitPoisson(X, y, n, opts.ridge ?? 1e-4, opts.maxIterations ?? 50);
  return {
    horizonDays: H,
    featureNames: CALENDAR_MODEL_FEATURES,
    coefficients: fit.beta,
    mean,
    scale,
    training: { rows: n, cutoffDays, iterations: fit.iterations, converged: fit.converged, meanDeviance: fit.meanDeviance, nullMeanDeviance: fit.nullMeanDeviance, labelSum: fit.labelSum, fittedSum: fit.fittedSum },
  };
}

interface PoissonFit {
  beta: Float64Array;
  iterations: number;
  converged: boolean;
  meanDeviance: number;
  nullMeanDeviance: number;
  labelSum: number;
  fittedSum: number;
}

const ETA_MAX = 30;

/** Penalised Poisson log-likelihood / n (up to the constant −Σ log y!) and the linear predictors. */
function objective(X: Float64Array, y: Float64Array, n: number, beta: Float64Array, ridge: number, eta: Float64Array): number {
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let e = beta[0];
    const o = i * P;
    for (let j = 0; j < P; j++) e += beta[j + 1] * X[o + j];
    if (e > ETA_MAX) e = ETA_MAX;
    eta[i] = e;
    ll += y[i] * e - Math.exp(e);
  }
  let pen = 0;
  for (let j = 1; j <= P; j++) pen += beta[j] * beta[j];
  return ll / n - ridge * pen;
}

function fitPoisson(X: Float64Array, y: Float64Array, n: number, ridge: number, maxIterations: number): PoissonFit {
  const K = P + 1;
  let labelSum = 0;
  for (let i = 0; i < n; i++) labelSum += y[i];
  const ybar = labelSum / n;
  const beta = new Float64Array(K);
  beta[0] = Math.log(Math.max(ybar, 1e-6));
  const eta = new Float64Array(n);
  let f = objective(X, y, n, beta, ridge, eta);
  const H = new Float64Array(K * K);
  const g = new Float64Array(K);
  const row = new Float64Array(K);
  let converged = false;
  let it = 0;
  for (; it < maxIterations; it++) {
    H.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const mu = Math.exp(eta[i]);
      const resid = y[i] - mu;
      row[0] = 1;
      const o = i * P;
      for (let j = 0; j < P; j++) row[j + 1] = X[o + j];
      for (let a = 0; a < K; a++) {
        const ra = row[a];
        g[a] += resid * ra;
        const w = mu * ra;
        const base = a * K;
        for (let b = 0; b <= a; b++) H[base + b] += w * row[b];
      }
    }
    for (let a = 0; a < K; a++) {
      g[a] /= n;
      for (let b = 0; b <= a; b++) {
        H[a * K + b] /= n;
        H[b * K + a] = H[a * K + b];
      }
    }
    for (let a = 1; a < K; a++) {
      g[a] -= 2 * ridge * beta[a];
      H[a * K + a] += 2 * ridge;
    }
    const step = solveSpd(H, g, K);
    let t = 1;
    let accepted = false;
    const trial = new Float64Array(K);
    const trialEta = new Float64Array(n);
    for (let half = 0; half < 30; half++) {
      for (let a = 0; a < K; a++) trial[a] = beta[a] + t * step[a];
      const ft = objective(X, y, n, trial, ridge, trialEta);
      if (ft >= f - 1e-15) {
        const gain = ft - f;
        beta.set(trial);
        eta.set(trialEta);
        f = ft;
        accepted = true;
        let gmax = 0;
        for (let a = 0; a < K; a++) gmax = Math.max(gmax, Math.abs(g[a]));
        if (gain < 1e-12 * Math.max(1, Math.abs(f)) || gmax < 1e-9) converged = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) {
      converged = true;
      break;
    }
    if (converged) {
      it++;
      break;
    }
  }
  let dev = 0;
  let nullDev = 0;
  let fittedSum = 0;
  for (let i = 0; i < n; i++) {
    const mu = Math.exp(eta[i]);
    fittedSum += mu;
    dev += poissonDeviance(y[i], mu);
    nullDev += poissonDeviance(y[i], ybar);
  }
  return { beta, iterations: it, converged, meanDeviance: dev / n, nullMeanDeviance: nullDev / n, labelSum, fittedSum };
}

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
  /** P(at least one purchase in the first `shortHorizonDays` days after the cutoff) = 1 − exp(−λ·d/H). */
  purchaseProbability: Float64Array;
  shortHorizonDays: number;
}

/**
 * Predictions for every customer from features at a cutoff. The features' horizon must equal the
 * model's (the calendar terms describe that window length).
 */
export function predictCalendarModel(model: CalendarModel, features: CalendarFeatures, shortHorizonDays = 7): CalendarPrediction {
  if (features.horizonDays !== model.horizonDays) {
    throw new Error(`features describe a ${features.horizonDays}-day window, the model predicts ${model.horizonDays} days`);
  }
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
    const lambda = Math.exp(Math.min(e, ETA_MAX));
    expected[c] = lambda;
    prob[c] = -Math.expm1((-lambda * shortHorizonDays) / model.horizonDays);
  }
  return { expectedPurchases: expected, purchaseProbability: prob, shortHorizonDays };
}

const KIND = 'clv-calendar-poisson';
const FORMAT = 1;

/** The model as one byte array (a model version's artifact). Holds no customer identifiers. */
export function serializeCalendarModel(model: CalendarModel): Uint8Array {
  return new ContainerWriter()
    .add('coefficients', model.coefficients)
    .add('mean', model.mean)
    .add('scale', model.scale)
    .pack(KIND, { format: FORMAT, horizonDays: model.horizonDays, featureNames: model.featureNames, training: model.training });
}

export function deserializeCalendarModel(bytes: Uint8Array): CalendarModel {
  const reader = new ContainerReader(bytes);
  if (reader.kind !== KIND) throw new Error(`not a calendar CLV model (kind ${reader.kind})`);
  const meta = reader.meta as { format: number; horizonDays: number; featureNames: string[]; training: CalendarTrainingSummary };
  if (meta.format !== FORMAT) throw new Error(`unsupported calendar model format ${meta.format}`);
  const names = meta.featureNames;
  if (names.length !== P || names.some((s, i) => s !== CALENDAR_MODEL_FEATURES[i])) {
    throw new Error('the stored model was trained on a different feature set');
  }
  return {
    horizonDays: meta.horizonDays,
    featureNames: CALENDAR_MODEL_FEATURES,
    coefficients: reader.float64('coefficients'),
    mean: reader.float64('mean'),
    scale: reader.float64('scale'),
    training: meta.training,
  };
}
