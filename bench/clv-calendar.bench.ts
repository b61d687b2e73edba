// Calendar-aware CLV model (tfjs Poisson counts with a seasonal index) against BG/NBD, printed:
// 1. CDNOW 1/10 sample (Fader & Hardie; ../shared/data/cdnow/PROVENANCE.md): holdout weeks 40–78,
//    aggregate repeat purchases and per-customer correlation of both models;
// 2. a simulated shop with a planted 2.5× November–December peak: Nov–Dec holdout predicted/actual;
// 3. training and scoring time of the calendar model for 100k simulated customers.
// Usage: npm run bench:clv-calendar
import { pearson } from '../src/ml/metrics';
import { initBackend } from '../src/ml/backend';
import { fitBgNbd } from '../src/ml/clv/bgnbd';
import { bgnbdConditionalExpectedPurchases } from '../src/ml/clv/bgnbd-predict';
import { backtestCalendarVsBgNbd, indexPurchases, predictCalendarModel, simulateSeasonalPurchaseLog, trainCalendarModel } from '../src/ml/clv/calendar';
import { rfmSummary } from '../src/ml/clv/rfm';
import { loadCdnowSample } from '../test/helpers/cdnow';

const DAY = 86_400_000;

async function cdnow(): Promise<void> {
  const log = loadCdnowSample();
  const calEnd = Date.UTC(1997, 8, 30);
  const rfm = rfmSummary(log, { calibrationEndMs: calEnd, holdoutEndMs: Date.UTC(1998, 5, 30), unit: 'weeks' });
  const actual = rfm.holdoutPurchases.reduce((s, v) => s + v, 0);
  const bg = bgnbdConditionalExpectedPurchases(fitBgNbd(rfm).params, rfm, 39);
  const index = indexPurchases(log);
  const t0 = performance.now();
  const model = await trainCalendarModel(index, { horizonDays: 273, asOfMs: calEnd, cutoffStepDays: 7 });
  const cal = predictCalendarModel(model, index, calEnd).expectedPurchases;
  const seconds = (performance.now() - t0) / 1000;
  model.network.dispose();
  const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
  console.log(`CDNOW holdout weeks 40–78, 2,357 customers, actual ${actual} repeat purchases`);
  console.log(`  BG/NBD        predicted ${sum(bg).toFixed(1)} (${((sum(bg) / actual - 1) * 100).toFixed(1)}%), per-customer correlation ${pearson(bg, rfm.holdoutPurchases).toFixed(3)}`);
  console.log(`  calendar tfjs predicted ${sum(cal).toFixed(1)} (${((sum(cal) / actual - 1) * 100).toFixed(1)}%), per-customer correlation ${pearson(cal, rfm.holdoutPurchases).toFixed(3)} ` +
    `(${model.training.rows} training rows, ${model.training.iterations} iterations, ${seconds.toFixed(1)} s train + score)`);
}

async function planted(): Promise<void> {
  const start = Date.UTC(2022, 0, 1);
  const cutoff = Date.UTC(2024, 9, 31, 12);
  const log = simulateSeasonalPurchaseLog({
    customers: 8000, bgnbd: { r: 0.6, alpha: 30, a: 0.6, b: 4 }, startMs: start, acquisitionDays: (cutoff - start) / DAY,
    untilDays: (Date.UTC(2025, 0, 1) - start) / DAY, seed: 7,
  });
  const r = await backtestCalendarVsBgNbd(log, { cutoffsMs: [cutoff], horizonDays: 61, calendar: { cutoffStepDays: 28, maxRows: 100_000 } });
  const w = r.windows[0];
  console.log(`Planted 2.5× Nov–Dec peak, 8,000 customers, holdout 1 Nov – 31 Dec 2024: actual ${w.actual} purchases`);
  for (const [name, m] of [['BG/NBD       ', w.bgnbd], ['calendar tfjs', w.calendar]] as const) {
    console.log(`  ${name} predicted ${m.predicted.toFixed(0)} (ratio ${m.ratio.toFixed(3)}), correlation ${m.correlation.toFixed(3)}, MAE ${m.mae.toFixed(3)}`);
  }
  console.log(`  served: ${r.better} — ${r.reason}`);
}

async function scale(n: number): Promise<void> {
  const start = Date.UTC(2022, 0, 1);
  const asOf = Date.UTC(2024, 9, 31, 12);
  const log = simulateSeasonalPurchaseLog({ customers: n, bgnbd: { r: 0.6, alpha: 30, a: 0.6, b: 4 }, startMs: start, acquisitionDays: 900, untilDays: (asOf - start) / DAY, seed: 3 });
  const index = indexPurchases(log);
  let t0 = performance.now();
  const model = await trainCalendarModel(index, { horizonDays: 90, asOfMs: asOf });
  const train = (performance.now() - t0) / 1000;
  t0 = performance.now();
  predictCalendarModel(model, index, asOf);
  const score = (performance.now() - t0) / 1000;
  model.network.dispose();
  console.log(`${n.toLocaleString('en')} customers (${log.customer.length.toLocaleString('en')} purchases): calendar model train ${train.toFixed(1)} s ` +
    `(${model.training.rows.toLocaleString('en')} rows, ${model.training.iterations} iterations; rows + fit), score 90 days + 7 days ${score.toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

async function main(): Promise<void> {
  const backend = await initBackend();
  console.log(`tfjs backend: ${backend.name}`);
  await cdnow();
  await planted();
  await scale(100_000);
}

void main();
