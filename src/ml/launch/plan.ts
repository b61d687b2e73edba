// planScenarios: every grid point (price × promotion × launch date × exposure) through the demand
// model, sales capped by inventory, scored on the merchant's objective, ranked, and explained.
//
// Capping needs the distribution of cumulative demand. Weeks of one launch are treated as comonotonic
// (the dominant uncertainty — how much shoppers like the product — is shared by every week), so the
// u-quantile of cumulative demand is the sum of the weekly u-quantiles; sold units on that path are
// min(cumulative demand, inventory), differenced per week. Expected sales are averages over the
// quadrature levels of the weekly distributions (distribution.ts); the sell-out probability is the
// share of levels whose cumulative demand reaches the inventory (interpolated between levels).
import { LEVELS, sortedQuantile, weekLevels } from './distribution';
import type {
  DemandForecast, DemandModel, LaunchFeatures, LaunchProduct, PlanConstraints, ScenarioGrid, ScenarioParams,
  ScenarioPlan, ScenarioResult, WeeklyQuantiles,
} from './types';

export interface CappedSales {
  weekly: WeeklyQuantiles;
  expectedUnits: number;
  sellOutProbability: number;
}

/** Inventory-capped sales from a weekly demand forecast (inventory null = unlimited). */
export function cappedSales(f: WeeklyQuantiles, inventory: number | null): CappedSales {
  const W = f.p50.length;
  if (inventory === null || !Number.isFinite(inventory)) {
    const mean = f.p50.map((_, w) => f.mean[w]);
    return { weekly: { p10: [...f.p10], p50: [...f.p50], p90: [...f.p90], mean }, expectedUnits: mean.reduce((a, b) => a + b, 0), sellOutProbability: 0 };
  }
  const cap = Math.max(0, inventory);
  const levels = Array.from({ length: W }, (_, w) => weekLevels(f.p10[w], f.p50[w], f.p90[w], f.mean[w]));
  const sold = Array.from({ length: W }, () => new Float64Array(LEVELS));
  const totals = new Float64Array(LEVELS);
  for (let k = 0; k < LEVELS; k++) {
    let cum = 0;
    let prev = 0;
    for (let w = 0; w < W; w++) {
      cum += levels[w][k];
      const s = Math.min(cum, cap);
      sold[w][k] = s - prev;
      prev = s;
    }
    totals[k] = cum;
  }
  const weekly: WeeklyQuantiles = { p10: [], p50: [], p90: [], mean: [] };
  let expectedUnits = 0;
  for (let w = 0; w < W; w++) {
    const m = sold[w].reduce((a, b) => a + b, 0) / LEVELS;
    expectedUnits += m;
    const sorted = Float64Array.from(sold[w]).sort();
    weekly.p10.push(sortedQuantile(sorted, 0.1));
    weekly.p50.push(sortedQuantile(sorted, 0.5));
    weekly.p90.push(sortedQuantile(sorted, 0.9));
    weekly.mean.push(m);
  }
  return { weekly, expectedUnits, sellOutProbability: sellOutShare(totals, cap) };
}

/**
 * P(total demand ≥ inventory) from the ascending totals at the quadrature levels: each level stands
 * for 1/LEVELS of probability, spread linearly between neighbouring levels' totals.
 */
export function sellOutShare(totals: Float64Array, inventory: number): number {
  const K = totals.length;
  if (inventory <= 0) return 1;
  if (totals[K - 1] < inventory) return 0;
  if (totals[0] >= inventory) return 1;
  let k = 0;
  while (totals[k + 1] < inventory) k++;
  // inventory lies in [totals[k], totals[k+1]): the levels' probabilities are (k + 0.5)/K and (k + 1.5)/K.
  const frac = (inventory - totals[k]) / Math.max(1e-12, totals[k + 1] - totals[k]);
  return 1 - (k + 0.5 + frac) / K;
}

const FACTORS = ['price', 'promotion', 'launchDate', 'exposure'] as const;

export function planScenarios(model: DemandModel, product: LaunchProduct, grid: ScenarioGrid,
  constraints: PlanConstraints): ScenarioPlan {
  const promotions = grid.promotions.length > 0 ? grid.promotions : [{ discount: 0, weeks: 0 }];
  const dims = [grid.prices.length, promotions.length, grid.launchDates.length, grid.weeklyImpressions.length];
  if (dims.some((d) => d === 0)) throw new Error('the scenario grid needs at least one price, launch date and exposure budget');
  const coords: number[][] = [];
  for (let a = 0; a < dims[0]; a++) for (let b = 0; b < dims[1]; b++) for (let c = 0; c < dims[2]; c++) for (let d = 0; d < dims[3]; d++) coords.push([a, b, c, d]);
  const params: ScenarioParams[] = coords.map(([a, b, c, d]) => ({
    price: grid.prices[a], discount: promotions[b].discount, promoWeeks: promotions[b].discount > 0 ? promotions[b].weeks : 0,
    launchDate: grid.launchDates[c], weeklyImpressions: grid.weeklyImpressions[d],
  }));
  const features: LaunchFeatures[] = params.map((s) => ({ ...product, ...s }));
  const forecasts: DemandForecast[] = model.forecast(features);
  const unitCost = Math.max(0, constraints.unitCost);
  const results: ScenarioResult[] = params.map((s, i) => {
    const capped = cappedSales(forecasts[i], constraints.inventory);
    let revenue = 0;
    capped.weekly.mean.forEach((units, w) => {
      const unitPrice = w < s.promoWeeks ? s.price * (1 - s.discount) : s.price;
      revenue += units * unitPrice;
    });
    const margin = revenue - unitCost * capped.expectedUnits;
    const objectiveValue = constraints.objective === 'UNITS' ? capped.expectedUnits : constraints.objective === 'REVENUE' ? revenue : margin;
    return {
      params: s, forecast: capped.weekly, expectedUnits: capped.expectedUnits, expectedRevenue: revenue, expectedMargin: margin,
      sellOutProbability: capped.sellOutProbability, objectiveValue, rank: 0, drivers: [],
    };
  });
  const order = results.map((_, i) => i).sort((x, y) => results[y].objectiveValue - results[x].objectiveValue
    || results[y].expectedMargin - results[x].expectedMargin || x - y);
  order.forEach((i, r) => { results[i].rank = r + 1; });
  const best = order[0];
  const key = (c: number[]) => ((c[0] * dims[1] + c[1]) * dims[2] + c[2]) * dims[3] + c[3];
  const bestCoord = coords[best];
  for (let i = 0; i < results.length; i++) {
    const drivers: { factor: string; effect: number }[] = [];
    FACTORS.forEach((factor, f) => {
      if (coords[i][f] === bestCoord[f]) return;
      const one = [...bestCoord];
      one[f] = coords[i][f];
      drivers.push({ factor, effect: results[key(one)].objectiveValue - results[best].objectiveValue });
    });
    drivers.sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect));
    results[i].drivers = drivers;
  }
  const ranked = order.map((i) => results[i]);
  return { recommended: ranked[0], scenarios: ranked, analogs: forecasts[best].analogs, fallback: forecasts[best].fallback };
}
