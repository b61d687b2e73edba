// Calendar-aware purchase-count model: a TensorFlow.js Poisson model of each customer's distinct
// purchase days in the buckets after a cutoff (design.ts), trained on rolling historical cutoffs.
//
//   E[purchases in bucket (u, v]] = exp(x·β) · Σ_{days d in (u, v]} s[period(d)]
//
// exp(x·β) is the customer's daily base rate at that lead time (the `log_rate` dense layer over the
// customer's state and the lead-time terms); s is a relative purchase rate per calendar period (the
// `seasonal_index` layer: a non-negative linear map of the bucket's days per period — the 12 months
// and the holiday peak), averaging 1 over a year. A season multiplies every customer's rate, which is
// how a peak acts. A forecast over any horizon sums the buckets that tile it; P(≥ 1 purchase in 7 days)
// = 1 − exp(−E[purchases in the next 7 days]).
//
// Training: maximum a-posteriori in tfjs (fisherScoring below: Newton steps for β, EM steps for s),
// with a ridge penalty on β and a Gamma(κ, κ) prior on each s (κ pseudo-purchases: a period the history
// barely covers stays near 1); s is then normalised to average 1 over a year. A first-order optimiser
// (Adam) was tried first: 300 full-batch steps took 140 s on 250k rows on a loaded 2-core machine and
// stopped short of the optimum; the second-order fit converges in tens of iterations. The network is a standard tfjs LayersModel
// (inputs `features` and `period_days`, output [log rate, seasonal exposure]); the artifact stores it
// through memory-io with the standardisation and the training summary (no customer identifiers).
import * as tf from '@tensorflow/tfjs';
import { solveSpd } from '../../linalg';
import { ContainerReader, ContainerWriter } from '../../byte-container';
import { loadFromMemory, saveToMemory, type MemoryArtifacts } from '../../memory-io';
import { requireBackend } from '../../backend';
import type { PurchaseLog } from '../rfm';
import {
  CALENDAR_MODEL_FEATURES, cutoffState, FEATURE_COUNT, HOLIDAY_PEAK_PERIOD, scoringRows, seasonalPeriodOf, SEASONAL_PERIODS,
  trainingRows, YEAR_DAYS,
} from './design';
import type { EventIndex } from './events';
import { DAY_MS, indexPurchases, type PurchaseIndex, type PurchaseIndexOptions } from './features';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

const ETA_MAX = 30;

export interface CalendarTrainingSummary {
  rows: number;
  cutoffDays: number[];
  rounds: number;
  iterations: number;
  converged: boolean;
  /** Poisson deviance per row at the end, and of the intercept-only model (for a pseudo-R²). */
  meanDeviance: number;
  nullMeanDeviance: number;
  /** Σ labels and Σ fitted over the training rows (equal after the intercept step). */
  labelSum: number;
  fittedSum: number;
  /** Label purchases observed per seasonal period (how much evidence each index entry rests on). */
  periodPurchases: number[];
  /** Seconds spent in the tfjs fit. */
  seconds: number;
}

export interface CalendarModel {
  /** Horizon the model was trained for (its default forecast window), days. */
  horizonDays: number;
  /** Length of the lead buckets, days. */
  bucketDays: number;
  featureNames: readonly string[];
  /** Column means and scales used for standardisation. */
  mean: Float32Array;
  scale: Float32Array;
  /** The tfjs network: inputs [features, period_days] → [log daily rate, seasonal exposure]. */
  network: tf.LayersModel;
  /** Relative purchase rate per period (12 months, then the holiday peak), averaging 1 over a year. */
  seasonalIndex: Float64Array;
  /** Whether purchase-count features are season-adjusted (weighted by 1 / s); predictions do the same. */
  seasonAdjusted: boolean;
  training: CalendarTrainingSummary;
  /** tfjs backend it was trained on. */
  backend: string;
}

export interface TrainCalendarModelOptions extends PurchaseIndexOptions {
  /** Forecast horizon the model serves (training buckets reach this lead at most). */
  horizonDays: number;
  /** Latest instant whose data may be used: training labels end on or before this day. */
  asOfMs: number;
  /** Views and add-to-cart events of the same customers (optional). */
  events?: EventIndex | null;
  /** Days between successive training cutoffs. Default 7. */
  cutoffStepDays?: number;
  /** Earliest training cutoff: this many days after the history start (default 90). */
  warmupDays?: number;
  /** Explicit training cutoffs (ms instants); overrides the rolling schedule. */
  cutoffsMs?: number[];
  /** Lead bucket length, days. Default 14. */
  bucketDays?: number;
  /** Ridge penalty per row on the standardised coefficients (intercept excluded). Default 1e-4. */
  ridge?: number;
  /** Shrinkage of the seasonal index toward 1, in pseudo-purchases per period. Default 20. */
  seasonalPrior?: number;
  /** Cap on training rows (subsampled evenly by customer and cutoff). Default 200,000. */
  maxRows?: number;
  /** Fits after the first that use season-adjusted purchase counts (default 2 rounds in all). */
  adjustmentRounds?: number;
  /** Alternating Newton iterations at most, per round. Default 40. */
  maxIterations?: number;
}

/** The rolling training cutoffs (day indices): the latest leaves one bucket of labels before `asOfDay`. */
export function trainingCutoffDays(index: PurchaseIndex, asOfDay: number, bucketDays: number, stepDays = 7, warmupDays = 90): number[] {
  const out: number[] = [];
  const first = index.historyStartDay + warmupDays;
  for (let d = asOfDay - bucketDays; d >= first; d -= stepDays) out.push(d);
  return out.reverse();
}

function buildNetwork(bias: number): tf.LayersModel {
  const features = tf.input({ shape: [FEATURE_COUNT], name: 'features' });
  const periods = tf.input({ shape: [SEASONAL_PERIODS], name: 'period_days' });
  const logRate = tf.layers
    .dense({ units: 1, name: 'log_rate', kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: bias }) })
    .apply(features) as tf.SymbolicTensor;
  const exposure = tf.layers
    .dense({ units: 1, name: 'seasonal_index', useBias: false, kernelInitializer: 'ones', kernelConstraint: 'nonNeg' })
    .apply(periods) as tf.SymbolicTensor;
  const out = tf.layers.concatenate({ name: 'log_rate_and_exposure' }).apply([logRate, exposure]) as tf.SymbolicTensor;
  return tf.model({ inputs: [features, periods], outputs: out, name: 'clv_calendar_poisson' });
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function standardise(x: Float32Array, rows: number, mean: Float32Array, scale: Float32Array): void {
  for (let i = 0; i < rows; i++) {
    const o = i * FEATURE_COUNT;
    for (let j = 0; j < FEATURE_COUNT; j++) x[o + j] = (x[o + j] - mean[j]) / scale[j];
  }
}

function poissonDeviance(y: number, mu: number): number {
  return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
}

/** Trains on rolling cutoffs of the purchase log up to `asOfMs`. Needs initBackend() first. */
export async function trainCalendarModel(source: PurchaseIndex | PurchaseLog, opts: TrainCalendarModelOptions): Promise<CalendarModel> {
  const backend = requireBackend().name;
  const index = 'days' in source ? source : indexPurchases(source, opts);
  const H = opts.horizonDays;
  if (!(H >= 1) || !Number.isInteger(H)) throw new Error(`horizonDays must be a positive integer, got ${H}`);
  const bucketDays = opts.bucketDays ?? 14;
  const offMs = index.utcOffsetMinutes * 60_000;
  const asOfDay = Math.floor((opts.asOfMs + offMs) / DAY_MS);
  const cutoffDays = opts.cutoffsMs
    ? opts.cutoffsMs.map((ms) => Math.floor((ms + offMs) / DAY_MS)).filter((d) => d < asOfDay)
    : trainingCutoffDays(index, asOfDay, Math.min(bucketDays, H), opts.cutoffStepDays ?? 7, opts.warmupDays ?? 90);
  if (cutoffDays.length === 0) throw new Error('no training cutoff fits in the history: shorten the warm-up or wait for more data');

  // Round 1 on plain counts; later rounds on season-adjusted counts (each past purchase weighted by
  // 1/s of its period), so activity inflated by a past peak is not mistaken for a higher base rate —
  // without it the index of the peak is learned too low (features right after a peak run high).
  const rounds = Math.max(1, opts.adjustmentRounds ?? 2);
  const t0 = performance.now();
  let round: Awaited<ReturnType<typeof fitRound>> | null = null;
  for (let k = 0; k < rounds; k++) {
    const purchaseWeight = round ? purchaseWeights(index, round.s) : undefined;
    round = await fitRound(index, cutoffDays, asOfDay, { ...opts, bucketDays, horizonDays: H }, purchaseWeight, round?.s);
  }
  const { mean, scale, beta, s, fit, data } = round!;
  const sy = fit.labelSum;
  const n = data.rows;
  const network = buildNetwork(0);
  tf.tidy(() => {
    (network.getLayer('log_rate') as tf.layers.Layer).setWeights([
      tf.tensor2d(Float32Array.from(beta.subarray(0, FEATURE_COUNT)), [FEATURE_COUNT, 1]), tf.tensor1d([beta[FEATURE_COUNT]]),
    ]);
    (network.getLayer('seasonal_index') as tf.layers.Layer).setWeights([tf.tensor2d(Float32Array.from(s), [SEASONAL_PERIODS, 1])]);
  });
  return {
    horizonDays: H,
    bucketDays,
    featureNames: CALENDAR_MODEL_FEATURES,
    mean,
    scale,
    network,
    seasonalIndex: s,
    seasonAdjusted: rounds > 1,
    backend,
    training: {
      rows: n, cutoffDays, rounds, iterations: fit.iterations, converged: fit.converged, meanDeviance: fit.deviance / n, nullMeanDeviance: fit.nullDeviance / n,
      labelSum: sy, fittedSum: fit.fittedSum, periodPurchases: data.periodPurchases, seconds: (performance.now() - t0) / 1000,
    },
  };
}

/** 1 / s[period] of each indexed purchase day (the season-adjusted weight). */
export function purchaseWeights(index: PurchaseIndex, seasonalIndex: Float64Array): Float64Array {
  const w = new Float64Array(index.days.length);
  for (let k = 0; k < w.length; k++) w[k] = 1 / seasonalIndex[seasonalPeriodOf(index.days[k])];
  return w;
}

async function fitRound(
  index: PurchaseIndex, cutoffDays: number[], asOfDay: number, opts: TrainCalendarModelOptions & { bucketDays: number },
  purchaseWeight: Float64Array | undefined, startS: Float64Array | undefined,
) {
  const data = trainingRows(index, opts.events ?? null, cutoffDays, asOfDay, {
    bucketDays: opts.bucketDays, maxLeadDays: opts.horizonDays, maxRows: opts.maxRows ?? 200_000, purchaseWeight,
  });
  const n = data.rows;
  const mean = new Float32Array(FEATURE_COUNT);
  const scale = new Float32Array(FEATURE_COUNT);
  for (let i = 0; i < n; i++) for (let j = 0; j < FEATURE_COUNT; j++) mean[j] += data.x[i * FEATURE_COUNT + j] / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < FEATURE_COUNT; j++) scale[j] += (data.x[i * FEATURE_COUNT + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < FEATURE_COUNT; j++) scale[j] = Math.sqrt(scale[j]) > 1e-6 ? Math.sqrt(scale[j]) : 1;
  standardise(data.x, n, mean, scale);
  let sy = 0;
  let days = 0;
  for (let i = 0; i < n; i++) sy += data.y[i];
  for (let k = 0; k < data.periods.length; k++) days += data.periods[k];
  const fit = await fisherScoring(data.x, data.periods, data.y, n, {
    ridge: opts.ridge ?? 1e-4, kappa: opts.seasonalPrior ?? 20, maxIterations: opts.maxIterations ?? 40,
    initialBias: Math.log(Math.max(sy, 0.5) / days), startS,
  });
  // Normalise s to average 1 over a year (the intercept takes the level: predictions unchanged).
  const s = fit.s;
  let norm = 0;
  for (let q = 0; q < SEASONAL_PERIODS; q++) norm += s[q] * YEAR_DAYS[q];
  norm /= 365;
  for (let q = 0; q < SEASONAL_PERIODS; q++) s[q] /= norm;
  const beta = fit.beta;
  beta[FEATURE_COUNT] += Math.log(norm);
  return { data, mean, scale, beta, s, fit: { ...fit, labelSum: sy } };
}

/**
 * Maximum a-posteriori fit of log μ_i = x_i·β + log S_i, S_i = Σ_p n_ip s_p, in tfjs by Fisher scoring
 * on (β, s) jointly: the score and the Fisher information are tfjs matrix products over the rows, the
 * 37 × 37 system is solved in JS, and backtracking keeps every step uphill (and s > 0), so the fit is
 * deterministic and converges on any backend. (Alternating β and s steps zig-zag: the intercept and
 * the level of s are nearly interchangeable, and only the joint step moves along that ridge.)
 */
async function fisherScoring(
  xRaw: Float32Array, periodsRaw: Float32Array, yRaw: Float32Array, n: number,
  o: { ridge: number; kappa: number; maxIterations: number; initialBias: number; startS?: Float64Array },
): Promise<{ beta: Float64Array; s: Float64Array; iterations: number; converged: boolean; deviance: number; nullDeviance: number; fittedSum: number }> {
  const K = FEATURE_COUNT + 1; // features, then the intercept column
  const KS = K + SEASONAL_PERIODS; // and the seasonal index
  const xa = new Float32Array(n * K);
  for (let i = 0; i < n; i++) {
    xa.set(xRaw.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT), i * K);
    xa[i * K + FEATURE_COUNT] = 1;
  }
  const X = tf.tensor2d(xa, [n, K]);
  const Xt = X.transpose();
  const P = tf.tensor2d(periodsRaw, [n, SEASONAL_PERIODS]);
  const Pt = P.transpose();
  const y = tf.tensor2d(yRaw, [n, 1]);
  const beta = new Float64Array(K);
  beta[FEATURE_COUNT] = o.initialBias;
  const s = o.startS ? Float64Array.from(o.startS) : new Float64Array(SEASONAL_PERIODS).fill(1);
  const ridgeN = o.ridge * n;
  // Σ_i (y_i log μ_i − μ_i) at (β, s), plus the penalties; also returns η for the s step.
  const objective = (b: Float64Array, season: Float64Array): number => {
    const v = tf.tidy(() => {
      const eta = X.matMul(tf.tensor2d(Float32Array.from(b), [K, 1])).minimum(ETA_MAX);
      const S = P.matMul(tf.tensor2d(Float32Array.from(season), [SEASONAL_PERIODS, 1])).maximum(1e-12);
      return y.mul(eta.add(S.log())).sub(eta.exp().mul(S)).sum();
    });
    const ll = v.dataSync()[0];
    v.dispose();
    let pen = 0;
    for (let j = 0; j < FEATURE_COUNT; j++) pen += b[j] * b[j];
    let prior = 0;
    for (let q = 0; q < SEASONAL_PERIODS; q++) prior += Math.log(season[q]) - season[q];
    return ll - ridgeN * pen + o.kappa * prior;
  };
  let f = objective(beta, s);
  let converged = false;
  let it = 0;
  try {
    for (; it < o.maxIterations && !converged; it++) {
      // Joint Fisher-scoring step for (β, s): J_i = [x_i, n_i / S_i] is the gradient of log μ_i, the
      // score is Σ (y_i − μ_i) J_i and the Fisher information Σ μ_i J_i J_iᵀ (tfjs matrix products).
      const [gT, hT] = tf.tidy(() => {
        const eta = X.matMul(tf.tensor2d(Float32Array.from(beta), [K, 1])).minimum(ETA_MAX);
        const S = P.matMul(tf.tensor2d(Float32Array.from(s), [SEASONAL_PERIODS, 1])).maximum(1e-12);
        const mu = eta.exp().mul(S);
        const J = tf.concat([X, P.div(S)], 1);
        const Jt = tf.concat([Xt, Pt.div(S.reshape([1, n]))], 0);
        return [Jt.matMul(y.sub(mu)), Jt.mul(mu.reshape([1, n])).matMul(J)];
      });
      const g = Float64Array.from(gT.dataSync());
      const h = Float64Array.from(hT.dataSync());
      gT.dispose();
      hT.dispose();
      for (let j = 0; j < FEATURE_COUNT; j++) {
        g[j] -= 2 * ridgeN * beta[j];
        h[j * KS + j] += 2 * ridgeN;
      }
      for (let q = 0; q < SEASONAL_PERIODS; q++) {
        const d = K + q;
        g[d] += o.kappa * (1 / s[q] - 1);
        h[d * KS + d] += o.kappa / (s[q] * s[q]);
      }
      const step = solveSpd(h, g, KS, 'the Poisson Hessian');
      let decrement = 0; // gᵀF⁻¹g: about twice the gain still available
      for (let j = 0; j < KS; j++) decrement += g[j] * step[j];
      const fBefore = f;
      for (let t = 1, half = 0; half < 30; half++, t /= 2) {
        const tb = Float64Array.from(beta, (v, j) => v + t * step[j]);
        const ts = Float64Array.from(s, (v, q) => v + t * step[K + q]);
        if (ts.some((v) => !(v > 0))) continue;
        const ft = objective(tb, ts);
        if (ft >= f) {
          beta.set(tb);
          s.set(ts);
          f = ft;
          break;
        }
      }
      // Converged when less than 1e-6 log-likelihood per row is left to gain, or when the change is
      // below the rounding noise of a float32 sum over the rows (~1e-7 of it).
      if (decrement < 2e-6 * n || Math.abs(f - fBefore) <= 1e-7 * Math.max(1, Math.abs(f))) converged = true;
      await yieldToEventLoop(); // keep queue locks renewing
    }
    // Fit statistics: exact intercept score equation holds at the optimum (Σ μ = Σ y).
    const [muT] = tf.tidy(() => {
      const eta = X.matMul(tf.tensor2d(Float32Array.from(beta), [K, 1])).minimum(ETA_MAX);
      const S = P.matMul(tf.tensor2d(Float32Array.from(s), [SEASONAL_PERIODS, 1]));
      return [eta.exp().mul(S)];
    });
    const mu = muT.dataSync();
    const rowDays = P.sum(1).dataSync();
    muT.dispose();
    let sy = 0;
    let days = 0;
    for (let i = 0; i < n; i++) {
      sy += yRaw[i];
      days += rowDays[i];
    }
    let deviance = 0;
    let nullDeviance = 0;
    let fittedSum = 0;
    for (let i = 0; i < n; i++) {
      fittedSum += mu[i];
      deviance += poissonDeviance(yRaw[i], mu[i]);
      nullDeviance += poissonDeviance(yRaw[i], (sy / days) * rowDays[i]);
    }
    return { beta, s, iterations: it, converged, deviance, nullDeviance, fittedSum };
  } finally {
    X.dispose();
    Xt.dispose();
    P.dispose();
    Pt.dispose();
    y.dispose();
  }
}

export interface CalendarPrediction {
  /** Expected distinct purchase days in (cutoff, cutoff + horizon]; NaN for customers not observed at the cutoff. */
  expectedPurchases: Float64Array;
  /** P(at least one purchase in (cutoff, cutoff + shortHorizonDays]); NaN when not observed. */
  purchaseProbability: Float64Array;
  horizonDays: number;
  shortHorizonDays: number;
  /** 1 when the customer had purchased by the cutoff. */
  observed: Uint8Array;
}

/** Σ over each customer's buckets of exp(log rate) × seasonal exposure, scored in chunks with tfjs. */
function expectedCounts(model: CalendarModel, state: ReturnType<typeof cutoffState>, customers: number[], horizonDays: number): Float64Array {
  const out = new Float64Array(customers.length);
  const CHUNK = 16_384;
  for (let a = 0; a < customers.length; a += CHUNK) {
    const part = customers.slice(a, a + CHUNK);
    const rows = scoringRows(state, part, horizonDays, model.bucketDays);
    const m = rows.perCustomer;
    standardise(rows.x, part.length * m, model.mean, model.scale);
    const o = tf.tidy(() => {
      const res = model.network.predict([tf.tensor2d(rows.x, [part.length * m, FEATURE_COUNT]), tf.tensor2d(rows.periods, [part.length * m, SEASONAL_PERIODS])], { batchSize: 65_536 }) as tf.Tensor;
      return res.dataSync();
    });
    for (let k = 0; k < part.length; k++) {
      let mu = 0;
      for (let j = 0; j < m; j++) {
        const r = k * m + j;
        mu += Math.exp(Math.min(o[2 * r], ETA_MAX)) * o[2 * r + 1];
      }
      out[a + k] = mu;
    }
  }
  return out;
}

/** Forecasts from features at `cutoffMs` over `horizonDays` (default the model's) and the next 7 days. */
export function predictCalendarModel(
  model: CalendarModel,
  index: PurchaseIndex,
  cutoffMs: number,
  opts: { horizonDays?: number; shortHorizonDays?: number; events?: EventIndex | null } = {},
): CalendarPrediction {
  const H = opts.horizonDays ?? model.horizonDays;
  const short = opts.shortHorizonDays ?? 7;
  const cutoffDay = Math.floor((cutoffMs + index.utcOffsetMinutes * 60_000) / DAY_MS);
  const state = cutoffState(index, opts.events ?? null, cutoffDay, model.seasonAdjusted ? purchaseWeights(index, model.seasonalIndex) : undefined);
  const n = index.nCustomers;
  const observed = state.features.observed;
  const customers: number[] = [];
  for (let c = 0; c < n; c++) if (observed[c]) customers.push(c);
  const expected = new Float64Array(n).fill(NaN);
  const prob = new Float64Array(n).fill(NaN);
  const e = expectedCounts(model, state, customers, H);
  const e7 = expectedCounts(model, state, customers, short);
  customers.forEach((c, k) => {
    expected[c] = e[k];
    prob[c] = -Math.expm1(-e7[k]);
  });
  return { expectedPurchases: expected, purchaseProbability: prob, horizonDays: H, shortHorizonDays: short, observed };
}

/** Readable parameters for the model version record: the seasonal index by period and β by feature. */
export function describeCalendarModel(model: CalendarModel): Record<string, unknown> {
  const [kernel, bias] = (model.network.getLayer('log_rate') as tf.layers.Layer).getWeights();
  const k = kernel.dataSync();
  const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  return {
    horizonDays: model.horizonDays,
    bucketDays: model.bucketDays,
    seasonalIndex: Object.fromEntries(Array.from(model.seasonalIndex, (v, p) => [p === HOLIDAY_PEAK_PERIOD ? 'holiday_peak' : months[p], Number(v.toFixed(4))])),
    intercept: Number(bias.dataSync()[0].toFixed(4)),
    coefficients: Object.fromEntries(model.featureNames.map((name, j) => [name, Number(k[j].toFixed(4))])),
    trainingRows: model.training.rows,
    trainingCutoffs: model.training.cutoffDays.length,
    devianceExplained: Number((1 - model.training.meanDeviance / model.training.nullMeanDeviance).toFixed(4)),
  };
}

const KIND = 'shelfwise.clv-calendar';
const FORMAT = 2;

interface CalendarMeta {
  format: number;
  horizonDays: number;
  bucketDays: number;
  featureNames: string[];
  seasonalIndex: number[];
  seasonAdjusted: boolean;
  training: CalendarTrainingSummary;
  backend: string;
  tfjs: Omit<MemoryArtifacts, 'weightData'>;
}

/** The model as one byte array (a model version's artifact): a standard tfjs artifact plus standardisation. */
export async function serializeCalendarModel(model: CalendarModel): Promise<Uint8Array> {
  const { weightData, ...tfjsEntry } = await saveToMemory(model.network);
  const meta: CalendarMeta = {
    format: FORMAT, horizonDays: model.horizonDays, bucketDays: model.bucketDays, featureNames: [...model.featureNames],
    seasonalIndex: Array.from(model.seasonalIndex), seasonAdjusted: model.seasonAdjusted, training: model.training, backend: model.backend, tfjs: tfjsEntry,
  };
  return new ContainerWriter().add('tfjs.network', new Uint8Array(weightData)).add('mean', model.mean).add('scale', model.scale).pack(KIND, meta);
}

/** Restores a model that predicts identically to the one serialised. Needs initBackend() first. */
export async function deserializeCalendarModel(bytes: Uint8Array): Promise<CalendarModel> {
  const reader = new ContainerReader(bytes);
  if (reader.kind !== KIND) throw new Error(`not a calendar CLV model (kind ${reader.kind})`);
  const meta = reader.meta as CalendarMeta;
  if (meta.format !== FORMAT) throw new Error(`unsupported calendar model format ${meta.format}`);
  if (meta.featureNames.length !== FEATURE_COUNT || meta.featureNames.some((name, i) => name !== CALENDAR_MODEL_FEATURES[i])) {
    throw new Error('the stored model was trained on a different feature set');
  }
  const network = await loadFromMemory({ ...meta.tfjs, weightData: reader.uint8('tfjs.network').slice().buffer as ArrayBuffer });
  return {
    horizonDays: meta.horizonDays, bucketDays: meta.bucketDays, featureNames: CALENDAR_MODEL_FEATURES,
    mean: reader.float32('mean'), scale: reader.float32('scale'), network, seasonalIndex: Float64Array.from(meta.seasonalIndex), seasonAdjusted: meta.seasonAdjusted === true,
    training: meta.training, backend: meta.backend,
  };
}
