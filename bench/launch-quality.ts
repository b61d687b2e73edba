// The launch model's quality against the generator's truth (issue 5, "Must show"). Reads a generated
// shop's files the way production reads the merchant's tables (products, order lines without planted
// brushing orders, impression events) into plain records, builds history rows through
// launchHistoryFromRecords, trains on all but the most recent launches and scores the held-out ones:
// the demand model beside the oracle (the simulation's true expected units), the category average
// and analog kNN — against actual units and against the true expected units. Then, for held-out
// products, a 200-point grid through planScenarios, each scenario's TRUE expected margin from
// trueLaunchDemand, and the gap between the recommended scenario's and the grid's best.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { actualLaunchOptions, buildWorld, trueLaunchDemand, type ShopSize, type World } from '../src/generator';
import { columnIndex, parseIsoMs, readCsvRecords, readLines } from '../src/ml/conversion/csv-lines';
import { centralPitShare } from '../src/ml/launch/metrics';
import {
  backtestMetrics, launchHistoryFromRecords, planScenarios, trainDemandModel, type BacktestMetrics, type DemandBacktest,
  type LaunchHistoryRow, type LaunchRecordImpressions, type LaunchRecordProduct, type LaunchRecordSale, type WeeklyQuantiles,
} from '../src/ml/launch';
import { analogKnnForecast, fitCategoryAverage } from '../src/ml/launch/baselines';
import type { LaunchDemandModel } from '../src/ml/launch/model';
import { ensureShop } from './lib/ensure-shop';

const WEEK_MS = 7 * 86_400_000;
export const HISTORY_END = new Date(Date.UTC(2026, 10, 1));

function productNumber(externalId: string): number {
  return Number(externalId.replace(/\D/g, ''));
}

export interface ShopRecords {
  products: LaunchRecordProduct[];
  sales: LaunchRecordSale[];
  impressions: LaunchRecordImpressions[];
  externalIds: Map<number, string>;
}

/** Plain launch records from a generated shop's files. */
export async function readShopRecords(dir: string, weeks: number): Promise<ShopRecords> {
  const pr = readCsvRecords(path.join(dir, 'products.csv'));
  const pc = columnIndex(pr[0], ['external_id', 'title', 'description', 'category', 'brand', 'price', 'created_at', 'launched_at'], 'products.csv');
  const externalIds = new Map<number, string>();
  const products: LaunchRecordProduct[] = pr.slice(1).map((r) => {
    const id = productNumber(r[pc.external_id]);
    externalIds.set(id, r[pc.external_id]);
    const launched = parseIsoMs(r[pc.launched_at]);
    return {
      productId: id, category: r[pc.category] || null, brand: r[pc.brand] || null, title: r[pc.title], description: r[pc.description],
      price: Number(r[pc.price]), launchedAt: Number.isFinite(launched) ? new Date(launched) : null, createdAt: new Date(parseIsoMs(r[pc.created_at])),
    };
  });
  // Planted brushing orders stand for the orders a merchant has confirmed as suspicious.
  const brushing = new Set<string>();
  const anomalies = path.join(dir, 'truth', 'anomalies.csv');
  if (existsSync(anomalies)) for (const r of readCsvRecords(anomalies).slice(1)) brushing.add(r[2]);
  const sales: LaunchRecordSale[] = [];
  const seen = new Set<string>();
  let oh: Record<string, number> | null = null;
  for await (const line of readLines(path.join(dir, 'orders.csv'))) {
    const f = line.split(',');
    if (!oh) {
      oh = columnIndex(f, ['order_id', 'line_no', 'product_id', 'quantity', 'unit_price', 'ordered_at'], 'orders.csv');
      continue;
    }
    const qty = Number(f[oh.quantity]);
    if (!(qty > 0) || brushing.has(f[oh.order_id])) continue;
    const key = `${f[oh.order_id]}#${f[oh.line_no]}`;
    if (seen.has(key)) continue; // exact duplicate rows: the import collapses them
    seen.add(key);
    sales.push({ productId: productNumber(f[oh.product_id]), orderedAt: new Date(parseIsoMs(f[oh.ordered_at])), quantity: qty, unitPrice: Number(f[oh.unit_price]) });
  }
  // Launch instants (launchedAt, else first sale) to bucket impressions by week since launch.
  const launch = new Map<number, number>();
  for (const p of products) if (p.launchedAt) launch.set(p.productId, p.launchedAt.getTime());
  const firstSale = new Map<number, number>();
  for (const s of sales) firstSale.set(s.productId, Math.min(firstSale.get(s.productId) ?? Infinity, s.orderedAt.getTime()));
  for (const [id, t] of firstSale) if (!launch.has(id)) launch.set(id, t);
  const counts = new Map<string, number>();
  let eh: Record<string, number> | null = null;
  for await (const line of readLines(path.join(dir, 'events.csv'))) {
    const f = line.split(',');
    if (!eh) {
      eh = columnIndex(f, ['product_id', 'type', 'occurred_at'], 'events.csv');
      continue;
    }
    if (f[eh.type] !== 'impression') continue;
    const id = productNumber(f[eh.product_id]);
    const at = launch.get(id);
    if (at === undefined) continue;
    const w = Math.floor((parseIsoMs(f[eh.occurred_at]) - at) / WEEK_MS);
    if (w < 0 || w >= weeks) continue;
    const key = `${id}:${w}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const impressions: LaunchRecordImpressions[] = [...counts].map(([k, v]) => {
    const [id, w] = k.split(':').map(Number);
    return { productId: id, weekIndex: w, impressions: v };
  });
  return { products, sales, impressions, externalIds };
}

/** Σ|f − truth| / Σ truth. */
function wapeAgainst(truth: number[][], f: number[][]): number {
  let a = 0;
  let t = 0;
  truth.forEach((row, i) => row.forEach((v, w) => { a += Math.abs(f[i][w] - v); t += v; }));
  return a / t;
}

export interface MethodQuality {
  name: string;
  actual: BacktestMetrics;
  /** Shares of launch-weeks below P10 and above P90. */
  belowP10: number;
  aboveP90: number;
  /** WAPE of the forecast mean's 8-week totals against the actual totals. */
  totalsWapeMean: number;
  wapeP50VsTruth: number;
  wapeMeanVsTruth: number;
}

export interface QualityReport {
  size: ShopSize;
  launches: number;
  trainLaunches: number;
  heldOut: number;
  trainSeconds: number;
  internalBacktest: DemandBacktest;
  methods: MethodQuality[];
  fallbackShare: number;
  zeroWeekShare: number;
  promotion: string;
  plan: PlanQuality;
}

export interface PlanQuality {
  products: number;
  scenarios: number;
  meanGap: number;
  medianGap: number;
  maxGap: number;
  meanRankOfRecommended: number;
  naiveMeanGap: number;
  planMsPerProduct: number;
  /** Share of products whose recommendation picks the same level as the truly best scenario, per factor. */
  sameAsBest: Record<'price' | 'promotion' | 'launchDate' | 'exposure', number>;
}

function trueUnits(world: World, j: number, weeks: number): number[] {
  return trueLaunchDemand(world, j, actualLaunchOptions(world, j, weeks));
}

export async function launchQuality(size: ShopSize, seed: number, opts: { weeks?: number; planProducts?: number; log?: (s: string) => void } = {}): Promise<QualityReport> {
  const W = opts.weeks ?? 8;
  const log = opts.log ?? (() => undefined);
  const { dir } = await ensureShop(size, seed);
  const records = await readShopRecords(dir, W);
  const rows = launchHistoryFromRecords(records.products, records.sales, records.impressions, { weeks: W, asOf: HISTORY_END });
  const world = buildWorld(size, seed);
  const index = new Map(world.catalog.externalId.map((id, j) => [id, j]));
  const catalogIndex = (r: LaunchHistoryRow) => index.get(records.externalIds.get(r.productId)!)!;
  const nTest = Math.round(rows.length * 0.2);
  const train = rows.slice(0, rows.length - nTest);
  const test = rows.slice(rows.length - nTest);
  log(`${size}: ${rows.length} launches (${train.length} train, ${test.length} held out)`);
  const t0 = performance.now();
  const { model, backtest } = await trainDemandModel(train, { weeks: W, seed });
  const trainSeconds = (performance.now() - t0) / 1000;
  const m = model as LaunchDemandModel;

  const actual = test.map((r) => r.weeklyUnits);
  const truth = test.map((r) => trueUnits(world, catalogIndex(r), W));
  const modelF = model.forecast(test);
  const catAvg = fitCategoryAverage(m.store);
  const catF = test.map((r) => catAvg(m.encoder.categoryOf(r.category)));
  const knnF = test.map((r, i) => analogKnnForecast(m.store, m.store.search(r, m.params.k, m.params.minSimilarity), catF[i]));
  const oracleF: WeeklyQuantiles[] = truth.map((t) => ({ p10: t, p50: t, p90: t, mean: t }));
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const share = (f: WeeklyQuantiles[], miss: (y: number, q: WeeklyQuantiles, w: number) => boolean) => {
    let c = 0;
    let n = 0;
    actual.forEach((row, i) => row.forEach((y, w) => { n++; if (miss(y, f[i], w)) c++; }));
    return c / n;
  };
  const method = (name: string, f: WeeklyQuantiles[]): MethodQuality => ({
    name, actual: backtestMetrics(actual, f),
    belowP10: share(f, (y, q, w) => y < q.p10[w] - 1e-9), aboveP90: share(f, (y, q, w) => y > q.p90[w] + 1e-9),
    totalsWapeMean: sum(actual.map((row, i) => Math.abs(sum(row) - sum(f[i].mean)))) / sum(actual.map(sum)), wapeP50VsTruth: wapeAgainst(truth, f.map((x) => x.p50)), wapeMeanVsTruth: wapeAgainst(truth, f.map((x) => x.mean)),
  });
  const conditional = conditionalOracle(train.map((r) => trueUnits(world, catalogIndex(r), W)), train.map((r) => r.weeklyUnits), truth);
  const best = method(CONDITIONAL_ORACLE, conditional.forecasts);
  best.actual.coverage80Counts = conditional.countCoverage(actual);
  const methods = [method('oracle (true expected units)', oracleF), best, method('demand model', modelF), method('category average', catF), method('analog kNN', knnF)];

  const plan = planQuality(world, model, test.slice(0, opts.planProducts ?? 30), catalogIndex, W);
  return {
    size, launches: rows.length, trainLaunches: train.length, heldOut: test.length, trainSeconds, internalBacktest: backtest, methods,
    fallbackShare: modelF.filter((f) => f.fallback !== 'NONE').length / Math.max(1, modelF.length), plan,
    promotion: (m.params.promotionEffect === 'price' ? `price cut, promotion weeks' exposure × ${m.params.promotionLift}` : 'learned') +
      `; band widths × ${m.params.bandLower.toFixed(2)} / × ${m.params.bandUpper.toFixed(2)}, median shift ${m.params.medianShift ?? 0}`,
    zeroWeekShare: actual.flat().filter((y) => y === 0).length / Math.max(1, actual.flat().length),
  };
}

export const CONDITIONAL_ORACLE = 'oracle quantiles (actuals given the truth)';

/**
 * The best weekly forecast the truth allows, estimated: training launch-weeks are grouped into
 * equal-count bins of their true expected units, and a held-out week gets the empirical quantiles of
 * the actual units in its bin. A week's P50 forecast that minimises expected |y − f| is the median of
 * y given everything known, so no forecaster knowing less than the true expected units beats this
 * one's WAPE except by chance or by whatever the bins blur — its WAPE is the floor for the weekly
 * WAPE goal on this data. Its count coverage comes from the bin's empirical distribution.
 */
function conditionalOracle(trainTruth: number[][], trainActual: number[][], testTruth: number[][], bins = 40):
  { forecasts: WeeklyQuantiles[]; countCoverage: (actual: number[][]) => number } {
  const cells: [number, number][] = [];
  trainTruth.forEach((row, i) => row.forEach((t, w) => cells.push([t, trainActual[i][w]])));
  cells.sort((a, b) => a[0] - b[0]);
  const per = Math.ceil(cells.length / bins);
  const edges: number[] = [];
  const groups: number[][] = [];
  for (let b = 0; b * per < cells.length; b++) {
    const part = cells.slice(b * per, (b + 1) * per);
    edges.push(part[part.length - 1][0]);
    groups.push(part.map((c) => c[1]).sort((x, y) => x - y));
  }
  const binOf = (t: number) => {
    const b = edges.findIndex((e) => t <= e);
    return b < 0 ? groups.length - 1 : b;
  };
  // Lower quantile of a count sample: the smallest y with F(y) ≥ q.
  const q = (g: number[], p: number) => g[Math.max(0, Math.ceil(p * g.length) - 1)];
  const forecasts = testTruth.map((row) => {
    const gs = row.map((t) => groups[binOf(t)]);
    return { p10: gs.map((g) => q(g, 0.1)), p50: gs.map((g) => q(g, 0.5)), p90: gs.map((g) => q(g, 0.9)), mean: gs.map((g) => g.reduce((a, b) => a + b, 0) / g.length) };
  });
  const countCoverage = (actual: number[][]) => {
    let s = 0;
    let n = 0;
    actual.forEach((row, i) => row.forEach((y, w) => {
      const g = groups[binOf(testTruth[i][w])];
      s += centralPitShare(g.filter((v) => v < y).length / g.length, g.filter((v) => v <= y).length / g.length);
      n++;
    }));
    return s / n;
  };
  return { forecasts, countCoverage };
}

/** The 200-point grid around a product's list price and budget. */
export function scenarioGrid(price: number, budget: number, from: Date) {
  return {
    prices: [0.8, 0.9, 1, 1.12, 1.25].map((f) => Math.round(price * f * 100) / 100),
    promotions: [{ discount: 0, weeks: 0 }, { discount: 0.1, weeks: 2 }, { discount: 0.2, weeks: 2 }, { discount: 0.3, weeks: 4 }],
    launchDates: [0, 3, 6, 9, 12].map((k) => new Date(from.getTime() + k * WEEK_MS)),
    weeklyImpressions: [budget * 0.5, budget * 1.5].map((b) => Math.max(1, Math.round(b))),
  };
}

function planQuality(world: World, model: Awaited<ReturnType<typeof trainDemandModel>>['model'], products: LaunchHistoryRow[],
  catalogIndex: (r: LaunchHistoryRow) => number, W: number): PlanQuality {
  const gaps: number[] = [];
  const naive: number[] = [];
  const ranks: number[] = [];
  let planMs = 0;
  let scenarios = 0;
  const same = { price: 0, promotion: 0, launchDate: 0, exposure: 0 };
  for (const r of products) {
    const j = catalogIndex(r);
    const cost = world.catalog.cost[j];
    const grid = scenarioGrid(world.catalog.price[j], world.catalog.weeklyImpressions[j], new Date(Date.UTC(2026, 10, 2)));
    const t0 = performance.now();
    const plan = planScenarios(model, r, grid, { objective: 'GROSS_MARGIN', inventory: null, unitCost: cost });
    planMs += performance.now() - t0;
    scenarios = plan.scenarios.length;
    const trueMargin = (s: (typeof plan.scenarios)[number]['params']) => {
      const units = trueLaunchDemand(world, j, { ...s, weeks: W });
      return units.reduce((acc, u, w) => acc + u * ((w < s.promoWeeks ? s.price * (1 - s.discount) : s.price) - cost), 0);
    };
    const values = plan.scenarios.map((s) => trueMargin(s.params));
    const best = Math.max(...values);
    const b = plan.scenarios[values.indexOf(best)].params;
    const r0 = plan.scenarios[0].params;
    if (process.argv.includes('--verbose')) console.log(`  product ${r.productId}: best ${b.price}/${b.discount}x${b.promoWeeks}/${b.weeklyImpressions}/${b.launchDate.toISOString().slice(5, 10)} rec ${r0.price}/${r0.discount}x${r0.promoWeeks}/${r0.weeklyImpressions}/${r0.launchDate.toISOString().slice(5, 10)} gap ${((best - values[0]) / Math.abs(best)).toFixed(3)}`);
    same.price += b.price === r0.price ? 1 : 0;
    same.promotion += b.discount === r0.discount && b.promoWeeks === r0.promoWeeks ? 1 : 0;
    same.launchDate += b.launchDate.getTime() === r0.launchDate.getTime() ? 1 : 0;
    same.exposure += b.weeklyImpressions === r0.weeklyImpressions ? 1 : 0;
    const rec = values[0];
    const scale = Math.abs(best) > 1e-9 ? Math.abs(best) : 1;
    gaps.push((best - rec) / scale);
    ranks.push(1 + values.filter((v) => v > rec).length);
    // Naive choice for context: list price, no promotion, first date, the larger budget.
    const naiveIdx = plan.scenarios.findIndex((s) => s.params.price === grid.prices[2] && s.params.discount === 0
      && s.params.launchDate.getTime() === grid.launchDates[0].getTime() && s.params.weeklyImpressions === grid.weeklyImpressions[1]);
    naive.push((best - values[naiveIdx]) / scale);
  }
  const sorted = [...gaps].sort((a, b) => a - b);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  return {
    products: products.length, scenarios, meanGap: mean(gaps), medianGap: sorted[sorted.length >> 1] ?? NaN, maxGap: sorted[sorted.length - 1] ?? NaN,
    meanRankOfRecommended: mean(ranks), naiveMeanGap: mean(naive), planMsPerProduct: planMs / Math.max(1, products.length),
    sameAsBest: {
      price: same.price / products.length, promotion: same.promotion / products.length,
      launchDate: same.launchDate / products.length, exposure: same.exposure / products.length,
    },
  };
}
