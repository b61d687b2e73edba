// `npm run bench:launch [-- --quality medium|small,medium] [--sizes medium,large] [--plan-products 30] [--seed 1]`
//
// The launch demand model: quality against the generator's truth on held-out launches (demand model
// beside the oracle, category average and analog kNN; the recommended scenario's true margin against
// the grid's best), training time on generated histories, and planScenarios time for a 200-point grid.
import { initBackend } from '../src/ml/backend';
import { launchHistoryFromRecords, planScenarios, trainDemandModel } from '../src/ml/launch';
import type { ShopSize } from '../src/generator';
import { flag } from './lib/args';
import { ensureShop } from './lib/ensure-shop';
import { CONDITIONAL_ORACLE, HISTORY_END, launchQuality, readShopRecords, scenarioGrid, type QualityReport } from './launch-quality';

const SEED = Number(flag('seed') ?? 1);
const W = 8;

function f(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : '—';
}

function printQuality(q: QualityReport): void {
  console.log(`\nQuality on the ${q.size} shop (seed ${SEED}): ${q.launches} complete launches, trained on the first ${q.trainLaunches}, ` +
    `scored on the ${q.heldOut} most recent (train ${f(q.trainSeconds, 1)} s; ${f(100 * q.fallbackShare, 0)}% of held-out forecasts used a fallback)`);
  console.log('Against actual weekly units (WAPE uses P50), and against the true expected weekly units:');
  console.log('| method | WAPE | wQL10 | wQL50 | wQL90 | wQL mean | P10–P90 coverage | count coverage (PIT) | below P10 / above P90 | WAPE of 8-week totals (mean) | WAPE(P50) vs truth | WAPE(mean) vs truth |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const m of q.methods) {
    const point = m.name.startsWith('oracle (true');
    console.log(`| ${m.name} | ${f(m.actual.wape)} | ${f(m.actual.wql10)} | ${f(m.actual.wql50)} | ${f(m.actual.wql90)} | ${f(m.actual.wqlMean)} | ` +
      `${point ? '— (point)' : f(m.actual.coverage80)} | ${point ? '—' : f(m.actual.coverage80Counts)} | ${point ? '—' : `${f(m.belowP10)} / ${f(m.aboveP90)}`} | ${f(m.totalsWapeMean)} | ` +
      `${f(m.wapeP50VsTruth)} | ${f(m.wapeMeanVsTruth)} |`);
  }
  const model = q.methods.find((m) => m.name === 'demand model')!;
  const knn = q.methods.find((m) => m.name === 'analog kNN')!;
  console.log(`goal WAPE ≤ 0.8 × analog kNN: on actuals ratio ${f(model.actual.wape / knn.actual.wape)} (${model.actual.wape <= 0.8 * knn.actual.wape ? 'met' : 'NOT met'}; ` +
    `the oracle's ratio is ${f(q.methods[0].actual.wape / knn.actual.wape)}, the floor (oracle quantiles of actuals given the truth) ` +
    `${f(q.methods.find((m) => m.name === CONDITIONAL_ORACLE)!.actual.wape / knn.actual.wape)}), against the truth ratio ${f(model.wapeP50VsTruth / knn.wapeP50VsTruth)} (P50) / ` +
    `${f(model.wapeMeanVsTruth / knn.wapeMeanVsTruth)} (mean); ` +
    `goal coverage 0.80 ± 0.05: ${f(model.actual.coverage80)} inclusive (${Math.abs(model.actual.coverage80 - 0.8) <= 0.05 ? 'met' : 'NOT met'}), ` +
    `${f(model.actual.coverage80Counts)} for counts (${Math.abs(model.actual.coverage80Counts - 0.8) <= 0.05 ? 'met' : 'NOT met'})`);
  const b = q.internalBacktest;
  console.log(`trainDemandModel's own backtest (${b.model.launches} launches): WAPE model ${f(b.model.wape)} / category ${f(b.categoryAverage.wape)} / kNN ${f(b.analogKnn.wape)}; ` +
    `coverage model ${f(b.model.coverage80)} inclusive / ${f(b.model.coverage80Counts)} for counts; wQL mean model ${f(b.model.wqlMean)} / category ${f(b.categoryAverage.wqlMean)} / kNN ${f(b.analogKnn.wqlMean)}`);
  console.log(`promotion effect: ${q.promotion}`);
  const zeros = q.zeroWeekShare;
  console.log(`held-out launch-weeks with zero units: ${f(100 * zeros, 1)}%`);
  const p = q.plan;
  console.log(`Plan (objective GROSS_MARGIN, ${p.products} held-out products × ${p.scenarios} scenarios, true margins from trueLaunchDemand): ` +
    `gap of the recommended scenario's true margin to the grid's best — mean ${f(100 * p.meanGap, 1)}%, median ${f(100 * p.medianGap, 1)}%, ` +
    `max ${f(100 * p.maxGap, 1)}%; mean true rank of the recommendation ${f(p.meanRankOfRecommended, 1)}/${p.scenarios}; ` +
    `naive choice (list price, no promotion, first date, larger budget) mean gap ${f(100 * p.naiveMeanGap, 1)}%; ` +
    `recommendation picks the truly best level: price ${f(100 * p.sameAsBest.price, 0)}%, promotion ${f(100 * p.sameAsBest.promotion, 0)}%, ` +
    `launch date ${f(100 * p.sameAsBest.launchDate, 0)}%, exposure ${f(100 * p.sameAsBest.exposure, 0)}% of products; planScenarios ${f(p.planMsPerProduct, 1)} ms per product`);
}

async function trainingTime(size: ShopSize): Promise<string> {
  const g0 = performance.now();
  const { dir, generateSeconds } = await ensureShop(size, SEED);
  const r0 = performance.now();
  const records = await readShopRecords(dir, W);
  const rows = launchHistoryFromRecords(records.products, records.sales, records.impressions, { weeks: W, asOf: HISTORY_END });
  const r1 = performance.now();
  const { model, backtest } = await trainDemandModel(rows, { weeks: W, seed: SEED });
  const t1 = performance.now();
  const bytes = await model.toBytes();
  const sample = rows[rows.length - 1];
  const grid = scenarioGrid(sample.price, Math.max(1, sample.weeklyImpressions), new Date(Date.UTC(2026, 10, 2)));
  const times: number[] = [];
  let scenarios = 0;
  for (let i = 0; i < 15; i++) {
    const p0 = performance.now();
    scenarios = planScenarios(model, sample, grid, { objective: 'GROSS_MARGIN', inventory: 200, unitCost: sample.price * 0.5 }).scenarios.length;
    times.push(performance.now() - p0);
  }
  times.sort((a, b) => a - b);
  void g0;
  const params = model.describe().params as { epochs: number };
  return `| ${size} | ${generateSeconds === null ? 'cached' : f(generateSeconds, 1)} | ${f((r1 - r0) / 1000, 1)} | ${rows.length} | ${params.epochs} | ` +
    `${f((t1 - r1) / 1000, 1)} | ${(bytes.length / 1024).toFixed(0)} KiB | ${f(backtest.model.wape)} / ${f(backtest.analogKnn.wape)} | ${f(backtest.model.coverage80)} / ${f(backtest.model.coverage80Counts)} | ` +
    `${scenarios} | ${f(times[times.length >> 1], 0)} / ${f(times[0], 0)} ms |`;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  console.log(`backend ${backend.name}${backend.threads ? ` (${backend.threads} thread)` : ''}`);
  const qualitySizes = (flag('quality') ?? 'medium').split(',').filter(Boolean) as ShopSize[];
  const planProducts = Number(flag('plan-products') ?? 30);
  for (const size of qualitySizes) printQuality(await launchQuality(size, SEED, { weeks: W, planProducts, log: (s) => console.log(s) }));
  const sizes = (flag('sizes') ?? 'medium,large').split(',').filter(Boolean) as ShopSize[];
  const lines: string[] = [];
  for (const size of sizes) {
    console.log(`\ntiming ${size} …`);
    lines.push(await trainingTime(size));
  }
  console.log('\n| shop | generate s | read + history rows s | launches | epochs | trainDemandModel s (incl. backtest) | artifact | backtest WAPE model / kNN | coverage inclusive / counts | scenarios | planScenarios median / min |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const l of lines) console.log(l);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
