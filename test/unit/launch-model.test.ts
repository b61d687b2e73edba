// The demand model on synthetic launches with planted effects: weekly units are Poisson with mean
//   impressions × category rate × (price / category median)^−1.5 × 1.8 in promotion weeks × week shape,
// so the model must learn that exposure raises demand (≈ proportionally), a higher price lowers it and
// a promotion lifts its weeks. Also: quantiles never cross, a launch without analogs still gets a
// (flagged) forecast, the artifact round trip forecasts identically, and scenario plans respect
// inventory, rank by the objective and explain differences one factor at a time.
import { initBackend } from '../../src/ml/backend';
import { SeededRng } from '../../src/ml/random';
import {
  backtestMetrics, loadDemandModel, planScenarios, trainDemandModel, type ScenarioGrid, type DemandBacktest, type DemandModel, type LaunchFeatures, type LaunchHistoryRow,
} from '../../src/ml/launch';

const W = 6;
const CATEGORIES = [
  { name: 'Home > Lamps', median: 80, rate: 0.05, nouns: ['lamp', 'lantern', 'sconce'] },
  { name: 'Beauty > Soap', median: 8, rate: 0.12, nouns: ['soap', 'bar', 'wash'] },
  { name: 'Garden > Pots', median: 25, rate: 0.03, nouns: ['pot', 'planter', 'trough'] },
];
const BRANDS = ['Lumen', 'Fenwick', 'Oakmere', 'Brightwell', 'Hollis', 'Tarn'];
const ADJECTIVES = ['classic', 'modern', 'rustic', 'minimal', 'bold', 'soft'];
const SHAPE = [1, 0.95, 0.9, 0.85, 0.8, 0.75];

function poisson(rng: SeededRng, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > l) {
    k++;
    p *= rng.next();
  }
  return k;
}

function trueMean(c: (typeof CATEGORIES)[number], f: Pick<LaunchFeatures, 'price' | 'discount' | 'promoWeeks' | 'weeklyImpressions'>, w: number): number {
  const promo = w < f.promoWeeks && f.discount > 0 ? 1.8 : 1;
  return f.weeklyImpressions * c.rate * Math.pow(f.price / c.median, -1.5) * promo * SHAPE[w];
}

function synthetic(n: number, seed: number, recentPotsBoost = 1, scale = 1): LaunchHistoryRow[] {
  const rng = new SeededRng(seed);
  const rows: LaunchHistoryRow[] = [];
  for (let i = 0; i < n; i++) {
    const c = CATEGORIES[i % CATEGORIES.length];
    const brand = BRANDS[rng.int(BRANDS.length)];
    const noun = c.nouns[rng.int(c.nouns.length)];
    const adjective = ADJECTIVES[rng.int(ADJECTIVES.length)];
    const promo = rng.next() < 0.4;
    const f = {
      price: Math.round(c.median * Math.exp(0.35 * rng.normal()) * 100) / 100,
      discount: promo ? 0.2 : 0,
      promoWeeks: promo ? 1 + rng.int(3) : 0,
      weeklyImpressions: Math.round(Math.exp(Math.log(10) + rng.next() * Math.log(20))),
    };
    rows.push({
      productId: i + 1, category: c.name, brand, title: `${brand} ${adjective} ${noun}`,
      description: `A ${adjective} ${noun} by ${brand}.`, categoryMedianPrice: c.median,
      launchDate: new Date(Date.UTC(2025, 0, 1) + i * 86_400_000), ...f,
      weeklyUnits: Array.from({ length: W }, (_, w) => poisson(rng, scale * trueMean(c, f, w) * (i >= 0.8 * n && c.name === 'Garden > Pots' ? recentPotsBoost : 1))),
    });
  }
  return rows;
}

const base: LaunchFeatures = {
  category: 'Home > Lamps', brand: 'Lumen', title: 'Lumen modern lamp', description: 'A modern lamp by Lumen.', price: 80,
  categoryMedianPrice: 80, discount: 0, promoWeeks: 0, launchDate: new Date(Date.UTC(2026, 2, 1)), weeklyImpressions: 40,
};
const total = (a: number[]) => a.reduce((s, v) => s + v, 0);

let model: DemandModel;
let backtest: DemandBacktest;

beforeAll(async () => {
  await initBackend({ candidates: ['wasm'] });
  ({ model, backtest } = await trainDemandModel(synthetic(360, 7), { weeks: W, seed: 3, epochs: 80 }));
}, 120_000);

describe('trainDemandModel on planted effects', () => {
  it('learns that exposure raises demand about proportionally', () => {
    const [low, high] = model.forecast([{ ...base, weeklyImpressions: 20 }, { ...base, weeklyImpressions: 80 }]);
    const ratio = total(high.mean) / total(low.mean);
    expect(ratio).toBeGreaterThan(2); // planted: 4
    expect(ratio).toBeLessThan(7);
  });

  it('learns that a higher price lowers demand', () => {
    const [list, dear] = model.forecast([base, { ...base, price: 120 }]);
    const ratio = total(dear.mean) / total(list.mean);
    expect(ratio).toBeGreaterThan(0.3); // planted: 1.5^−1.5 ≈ 0.54
    expect(ratio).toBeLessThan(0.85);
  });

  it('learns that a promotion lifts its own weeks', () => {
    const [plain, promo] = model.forecast([base, { ...base, discount: 0.2, promoWeeks: 2 }]);
    expect(promo.mean[0] / plain.mean[0]).toBeGreaterThan(1.25); // planted: 1.8
    expect(promo.mean[W - 1] / plain.mean[W - 1]).toBeLessThan(1.35); // no promotion by then
  });

  it('backtests better than the category average and with a sensible band', () => {
    expect(backtest.heldOutProductIds.length).toBe(72);
    expect(backtest.model.wqlMean).toBeLessThan(backtest.categoryAverage.wqlMean);
    expect(backtest.model.wape).toBeLessThan(backtest.analogKnn.wape);
    expect(backtest.model.coverage80).toBeGreaterThan(0.6);
    expect(backtest.model.coverage80Counts).toBeGreaterThan(0.72); // calibrated on validation to 0.80
    expect(backtest.model.coverage80Counts).toBeLessThan(0.88);
  });

  it('forecasts weekly units as whole units', () => {
    const [f] = model.forecast([{ ...base, weeklyImpressions: 200 }]);
    expect(total(f.p90)).toBeGreaterThan(0);
    for (const v of [...f.p10, ...f.p50, ...f.p90]) expect(Number.isInteger(v)).toBe(true);
  });
});

describe('forecasts', () => {
  it('never cross, whatever the input', () => {
    const odd: LaunchFeatures[] = [
      base, { ...base, price: Number.NaN }, { ...base, price: -5 }, { ...base, weeklyImpressions: -10 },
      { ...base, weeklyImpressions: 1e9 }, { ...base, discount: 5, promoWeeks: -3 }, { ...base, launchDate: new Date(Number.NaN) },
      { ...base, title: '', description: '', category: null, brand: null, categoryMedianPrice: null },
      { ...base, price: 1e-6, categoryMedianPrice: 0 }, { ...base, weeklyImpressions: 0 },
    ];
    for (const f of model.forecast(odd)) {
      expect(f.p50).toHaveLength(W);
      for (let w = 0; w < W; w++) {
        for (const v of [f.p10[w], f.p50[w], f.p90[w], f.mean[w]]) expect(Number.isFinite(v) && v >= 0).toBe(true);
        expect(f.p10[w]).toBeLessThanOrEqual(f.p50[w]);
        expect(f.p50[w]).toBeLessThanOrEqual(f.p90[w]);
      }
    }
  });

  it('returns analogs for a familiar product and a flagged fallback for one without any', () => {
    const [familiar, stranger] = model.forecast([base, {
      ...base, category: 'Toys > Kites', brand: 'Nobody', title: 'Zephyr kite', description: 'Flies.', categoryMedianPrice: 20, price: 20,
    }]);
    expect(familiar.fallback).toBe('NONE');
    expect(familiar.analogs.length).toBeGreaterThan(0);
    expect(familiar.analogs[0].weeklyUnits).toHaveLength(W);
    expect(stranger.fallback).toBe('GLOBAL');
    expect(stranger.analogs).toEqual([]);
    expect(total(stranger.mean)).toBeGreaterThan(0);
  });

  it('survives serialisation: the loaded model forecasts identically', async () => {
    const bytes = await model.toBytes();
    const loaded = await loadDemandModel(bytes);
    const inputs = [base, { ...base, discount: 0.2, promoWeeks: 2, weeklyImpressions: 15 }];
    expect(loaded.forecast(inputs)).toEqual(model.forecast(inputs));
    expect(loaded.describe()).toEqual(model.describe());
  });
});

describe('planScenarios', () => {
  const product = { category: base.category, brand: base.brand, title: base.title, description: base.description, categoryMedianPrice: 80 };
  const grid: ScenarioGrid = {
    prices: [64, 80, 100], promotions: [{ discount: 0, weeks: 0 }, { discount: 0.2, weeks: 2 }],
    launchDates: [new Date(Date.UTC(2026, 2, 2)), new Date(Date.UTC(2026, 5, 1))], weeklyImpressions: [20, 80],
  };

  it('evaluates the whole grid, ranked by the objective, with one-factor drivers against the recommendation', () => {
    const plan = planScenarios(model, product, grid, { objective: 'GROSS_MARGIN', inventory: null, unitCost: 30 });
    expect(plan.scenarios).toHaveLength(24);
    expect(plan.scenarios.map((s) => s.rank)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    for (let i = 1; i < 24; i++) expect(plan.scenarios[i - 1].objectiveValue).toBeGreaterThanOrEqual(plan.scenarios[i].objectiveValue);
    const rec = plan.recommended;
    expect(rec).toBe(plan.scenarios[0]);
    expect(rec.drivers).toEqual([]);
    expect(rec.params.weeklyImpressions).toBe(80); // exposure is free here and demand rises with it
    expect(rec.expectedMargin).toBeCloseTo(rec.expectedRevenue - 30 * rec.expectedUnits, 6);
    const other = plan.scenarios.find((s) => s.params.price !== rec.params.price && s.params.discount === rec.params.discount
      && s.params.launchDate === rec.params.launchDate && s.params.weeklyImpressions === rec.params.weeklyImpressions)!;
    expect(other.drivers).toEqual([{ factor: 'price', effect: other.objectiveValue - rec.objectiveValue }]);
    expect(plan.fallback).toBe('NONE');
    expect(plan.analogs.length).toBeGreaterThan(0);
  });

  it('never sells more than the inventory, and sells out more often when stock is short', () => {
    const free = planScenarios(model, product, grid, { objective: 'UNITS', inventory: null, unitCost: 30 });
    const demand = free.recommended.expectedUnits;
    expect(free.recommended.sellOutProbability).toBe(0);
    const plenty = planScenarios(model, product, grid, { objective: 'UNITS', inventory: demand * 20, unitCost: 30 });
    const short = planScenarios(model, product, grid, { objective: 'UNITS', inventory: demand / 3, unitCost: 30 });
    expect(plenty.recommended.sellOutProbability).toBeLessThan(0.05);
    expect(short.recommended.sellOutProbability).toBeGreaterThan(0.8);
    for (const s of short.scenarios) {
      expect(s.expectedUnits).toBeLessThanOrEqual(demand / 3 + 1e-9);
      expect(s.sellOutProbability).toBeGreaterThanOrEqual(0);
      expect(s.sellOutProbability).toBeLessThanOrEqual(1);
      for (let w = 0; w < W; w++) {
        expect(s.forecast.p10[w]).toBeLessThanOrEqual(s.forecast.p50[w]);
        expect(s.forecast.p50[w]).toBeLessThanOrEqual(s.forecast.p90[w]);
      }
    }
    expect(short.recommended.expectedUnits).toBeLessThan(demand);
    expect(() => planScenarios(model, product, { ...grid, prices: [] }, { objective: 'UNITS', inventory: null, unitCost: 0 })).toThrow();
  });
});

describe('the served network', () => {
  it('is refitted on every launch, so it learns from the most recent (held-out) launches too', async () => {
    // Pots sell 3× more in the most recent 20% of launches, which the backtested network never trains on.
    const rows = synthetic(240, 9, 3);
    const recent = rows.slice(192);
    const refit = (await trainDemandModel(rows, { weeks: W, seed: 3, epochs: 60 })).model;
    const backtested = (await trainDemandModel(rows, { weeks: W, seed: 3, epochs: 60, refit: false })).model;
    const fitOn = (m: DemandModel) => backtestMetrics(recent.map((r) => r.weeklyUnits), m.forecast(recent)).wqlMean;
    expect(fitOn(refit)).toBeLessThan(0.9 * fitOn(backtested)); // measured 0.226 vs 0.284
    expect(refit.describe().params).toMatchObject({ refitRows: 240 });
    expect(backtested.describe().params).not.toHaveProperty('refitRows');
  }, 120_000);
});

describe('promotions seen through sales', () => {
  it('are forecast as price cuts with a lift fitted on what sold, closer to the truth than the naively learnt lift', async () => {
    // History as a shop's orders show it: a promotion is inferred from discounted sales, so one that
    // sold nothing looks like none and one ends with its last week that sold (planted lift: 1.8).
    const seen = synthetic(600, 7, 1, 0.15).map((r) => {
      if (r.promoWeeks === 0) return r;
      let last = -1;
      for (let w = 0; w < r.promoWeeks; w++) if (r.weeklyUnits[w] > 0) last = w;
      return last < 0 ? { ...r, discount: 0, promoWeeks: 0 } : { ...r, promoWeeks: last + 1, promotionFromSales: true };
    });
    const lift = (m: DemandModel) => {
      const [plain, promo] = m.forecast([base, { ...base, discount: 0.2, promoWeeks: 2 }]);
      return (promo.mean[0] + promo.mean[1]) / (plain.mean[0] + plain.mean[1]);
    };
    const fitted = (await trainDemandModel(seen, { weeks: W, seed: 3, epochs: 80 })).model;
    const naive = (await trainDemandModel(seen.map((r) => ({ ...r, promotionFromSales: false })), { weeks: W, seed: 3, epochs: 80 })).model;
    expect(fitted.describe().params).toMatchObject({ promotionEffect: 'price' });
    expect(naive.describe().params).toMatchObject({ promotionEffect: 'learned' });
    // Measured: 1.90 fitted, 2.71 naive.
    expect(lift(fitted)).toBeGreaterThan(1.4);
    expect(lift(fitted)).toBeLessThan(2.4);
    expect(Math.abs(Math.log(lift(fitted) / 1.8))).toBeLessThan(Math.abs(Math.log(lift(naive) / 1.8)));
  }, 180_000);
});
