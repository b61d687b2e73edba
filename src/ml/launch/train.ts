// trainDemandModel: time-ordered split (train | validation | backtest = the most recent launches),
// the network fitted on train with early stopping on validation, the P10–P90 band calibrated on
// validation, then the backtest of the model and both baselines on the held-out launches, each
// seeing only launches before them. The returned model's network is then refitted on every launch
// (held-out ones included) with the backtest run's epochs and calibration; its analog store and
// category curves cover every row (the held-out launches are the freshest analogs).
import * as tf from '@tensorflow/tfjs';
import { currentBackend } from '../backend';
import { SeededRng } from '../random';
import { AnalogIndex, type AnalogHit } from './analogs';
import { analogKnnForecast, fitCategoryAverage } from './baselines';
import { calibrateBand } from './calibrate';
import { Encoder, logRelPrice, numericNames, standardisation } from './features';
import { median } from './history';
import { backtestMetrics } from './metrics';
import { LaunchDemandModel, sanitise, type DemandModelParams } from './model';
import {
  batchTensors, buildDemandNetwork, composeQuantiles, fitDemandNetwork, POISSON_WEIGHT, type DemandNetworkConfig,
} from './network';
import { fitPromotionLift, type SeenPromotion } from './promotion';
import { LaunchStore } from './store';
import type { DemandBacktest, DemandModel, DemandTrainOptions, LaunchHistoryRow } from './types';

export const MIN_LAUNCHES = 10;
const VALIDATION_SHARE = 0.15;
const AUGMENT_SHARE = 0.2;
const MIN_SIMILARITY = 0.1;

function vocabulary(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort();
}

export async function trainDemandModel(input: LaunchHistoryRow[], opts: DemandTrainOptions):
  Promise<{ model: DemandModel; backtest: DemandBacktest }> {
  const backend = currentBackend();
  if (!backend) throw new Error('initBackend() must be awaited before training');
  const W = opts.weeks;
  const rows = input.filter((r) => r.weeklyUnits.length >= W)
    .sort((a, b) => a.launchDate.getTime() - b.launchDate.getTime() || a.productId - b.productId);
  if (rows.length < MIN_LAUNCHES) throw new Error(`at least ${MIN_LAUNCHES} past launches with ${W} weeks are needed (got ${rows.length})`);
  const progress = opts.onProgress ?? (() => undefined);
  const n = rows.length;
  const nTest = Math.max(1, Math.round(n * (opts.holdoutFraction ?? 0.2)));
  const nVal = Math.max(1, Math.round((n - nTest) * VALIDATION_SHARE));
  const nTrain = n - nTest - nVal;
  const isTrain = (r: number) => r < nTrain;
  const beforeTest = (r: number) => r < nTrain + nVal;
  const k = opts.k ?? 10;
  progress(0, 'indexing launches');

  const prices = rows.map((r) => r.price).filter((p) => p > 0);
  const state = {
    weeks: W, categories: vocabulary(rows.map((r) => r.category)), brands: vocabulary(rows.map((r) => r.brand)),
    globalMedianPrice: prices.length ? median(prices) : 1, mean: [] as number[], std: [] as number[],
  };
  const widthEncoder = new Encoder({ ...state, mean: [], std: [] });
  const clean = rows.map((r) => ({ ...sanitise(r, state.globalMedianPrice), productId: r.productId, weeklyUnits: r.weeklyUnits }));
  const store = new LaunchStore(W, AnalogIndex.build(clean), {
    productId: Float64Array.from(clean, (r) => r.productId),
    units: Float32Array.from(clean.flatMap((r) => r.weeklyUnits.slice(0, W).map((u) => Math.max(0, u)))),
    logExposure: Float32Array.from(clean, (r) => Math.log1p(r.weeklyImpressions)),
    logRelPrice: Float32Array.from(clean, (r) => logRelPrice(r, state.globalMedianPrice)),
    category: Int32Array.from(clean, (r) => widthEncoder.categoryOf(r.category)),
    launchedAt: Float64Array.from(clean, (r) => r.launchDate.getTime()),
  });

  // Training features: leave-one-out analogs among the launches in `allowed`; some rows repeated as
  // if they had no analogs (and some with an unknown category and brand) so the fallback path is learnt too.
  const zOf = (r: number) => Array.from({ length: W }, (_, w) => store.z(r, w));
  const trainingItems = (count: number, allowed: (r: number) => boolean, seed: number) => {
    const stats = store.curveStats(allowed);
    const rng = new SeededRng(seed);
    const items: { p: LaunchHistoryRow; numeric: number[]; prior: number[]; category: number; brand: number; z: number[] }[] = [];
    for (let r = 0; r < count; r++) {
      const p = clean[r];
      const hits = store.search(p, k, MIN_SIMILARITY, r, allowed);
      const category = widthEncoder.categoryOf(p.category);
      const brand = widthEncoder.brandOf(p.brand);
      items.push({ p, ...widthEncoder.rawNumeric(p, hits, store, stats, r, category), category, brand, z: zOf(r) });
      if (rng.next() < AUGMENT_SHARE) {
        const unknown = rng.next() < 0.5;
        const c = unknown ? 0 : category;
        items.push({ p, ...widthEncoder.rawNumeric(p, [], store, stats, r, c), category: c, brand: unknown ? 0 : brand, z: zOf(r) });
      }
    }
    return { items, stats };
  };
  const { items: trainItems, stats: trainStats } = trainingItems(nTrain, isTrain, opts.seed);
  const valItems = [];
  for (let r = nTrain; r < nTrain + nVal; r++) {
    const p = clean[r];
    const hits = store.search(p, k, MIN_SIMILARITY, -1, isTrain);
    const category = widthEncoder.categoryOf(p.category);
    valItems.push({ p, ...widthEncoder.rawNumeric(p, hits, store, trainStats, -1, category), category, z: zOf(r) });
  }
  const width = numericNames(W).length;
  const { mean, std } = standardisation(trainItems.map((t) => t.numeric), width);
  const encoder = new Encoder({ ...state, mean, std });
  const trainBatch = encoder.encode(trainItems);
  const valBatch = encoder.encode(valItems);
  const zVal = Float32Array.from(valItems.flatMap((t) => t.z));
  const units = (z: number[]) => z.map((v) => Math.expm1(v));
  const yTrain = Float32Array.from(trainItems.flatMap((t) => units(t.z)));
  const yVal = Float32Array.from(valItems.flatMap((t) => units(t.z)));

  const config: DemandNetworkConfig = {
    weeks: W, categories: state.categories.length, brands: state.brands.length, numericWidth: width, embeddingDim: 4,
    textDim: 8, hidden: opts.tuning?.hidden ?? [32],
    dropout: opts.tuning?.dropout ?? 0.3, l2: opts.tuning?.l2 ?? 1e-2, seed: opts.seed, poissonWeight: opts.tuning?.poissonWeight ?? POISSON_WEIGHT,
  };
  const network = buildDemandNetwork(config);
  const batchSize = trainItems.length < 400 ? 32 : 128;
  const steps = Math.ceil(trainItems.length / batchSize);
  const epochs = opts.epochs ?? Math.min(400, Math.max(20, Math.ceil(5000 / steps)));
  progress(0.05, `training on ${nTrain} launches`);
  const fit = fitDemandNetwork(network, trainBatch, yTrain, valBatch, yVal, W, {
    epochs, batchSize, learningRate: opts.tuning?.learningRate ?? 0.005, seed: opts.seed, poissonWeight: config.poissonWeight, patience: Math.max(15, Math.round(epochs / 6)),
    onEpoch: (e) => { if (e % 10 === 0) progress(0.05 + 0.85 * (e / epochs), `epoch ${e + 1}/${epochs}`); },
  });

  const raw = tf.tidy(() => (network.predict(batchTensors(valBatch), { batchSize: Math.max(1, valBatch.n) }) as tf.Tensor).dataSync() as Float32Array);
  const band = calibrateBand(composeQuantiles(raw, valItems.length, W), zVal);
  const promoted = rows.filter((r) => r.discount > 0 && r.promoWeeks > 0);
  const promotionEffect = promoted.length > 0 && promoted.filter((r) => r.promotionFromSales).length > promoted.length / 2 ? 'price' : 'learned';
  const params: DemandModelParams = {
    network: config, k, minSimilarity: MIN_SIMILARITY, promotionEffect, bandLower: band.lower, bandUpper: band.upper, medianShift: band.medianShift, epochs: fit.epochs,
    trainedRows: nTrain, validationRows: nVal, backtestRows: nTest,
  };
  progress(0.92, 'backtest');

  // Backtest: the model and the baselines see only launches before the held-out ones.
  const view = new LaunchDemandModel(encoder, network, store, params, backend.name, beforeTest);
  if (promotionEffect === 'price') {
    // Fitted on the training launches' promotions, each with analogs other than itself.
    const seen: SeenPromotion[] = [];
    for (let r = 0; r < nTrain; r++) {
      const p = clean[r];
      if (!rows[r].promotionFromSales || !(p.discount > 0 && p.promoWeeks > 0)) continue;
      const weekly = p.weeklyUnits.slice(0, Math.min(W, p.promoWeeks));
      if (!(weekly[weekly.length - 1] >= 1)) continue;
      seen.push({ prepared: view.prepare(p, store.search(p, k, MIN_SIMILARITY, r, isTrain)), weekly });
    }
    params.promotionLift = fitPromotionLift(view, seen);
  }
  const test = clean.slice(nTrain + nVal);
  const actual = test.map((r) => r.weeklyUnits.slice(0, W));
  const catAvg = fitCategoryAverage(store, beforeTest);
  const hits: AnalogHit[][] = test.map((p) => store.search(p, k, MIN_SIMILARITY, -1, beforeTest));
  const modelForecasts = view.forecastPrepared(test.map((p, i) => view.prepare(p, hits[i])));
  const catForecasts = test.map((p) => catAvg(encoder.categoryOf(p.category)));
  const knnForecasts = test.map((p, i) => analogKnnForecast(store, hits[i], catForecasts[i]));
  const backtest: DemandBacktest = {
    model: backtestMetrics(actual, modelForecasts),
    categoryAverage: backtestMetrics(actual, catForecasts),
    analogKnn: backtestMetrics(actual, knnForecasts),
    heldOutProductIds: test.map((r) => r.productId),
  };
  if (opts.refit === false) {
    progress(1, 'done');
    return { model: new LaunchDemandModel(encoder, network, store, params, backend.name), backtest };
  }

  // The served network learns from every launch, the most recent ones included (they say most about
  // the shop now): the same features, epochs up to the backtest run's best one, and the backtest's
  // calibration (band widths, median shift). Its figures are the backtest's, as usual for a refit.
  progress(0.95, `refitting on all ${n} launches`);
  const all = trainingItems(n, () => true, opts.seed);
  const refitStd = standardisation(all.items.map((t) => t.numeric), width);
  const refitEncoder = new Encoder({ ...state, mean: refitStd.mean, std: refitStd.std });
  const served = buildDemandNetwork(config);
  const refitEpochs = fit.bestEpoch + 1;
  fitDemandNetwork(served, refitEncoder.encode(all.items), Float32Array.from(all.items.flatMap((t) => units(t.z))), null, null, W, {
    epochs: refitEpochs, batchSize, learningRate: opts.tuning?.learningRate ?? 0.005, seed: opts.seed, poissonWeight: config.poissonWeight, patience: Infinity,
  });
  network.dispose();
  progress(1, 'done');
  return { model: new LaunchDemandModel(refitEncoder, served, store, { ...params, refitRows: n, refitEpochs }, backend.name), backtest };
}
