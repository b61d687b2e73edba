// Evaluates a launch's grid: every product through planScenarios (src/ml/launch), then the
// launch-level scenarios — one (price multiplier, promotion, launch date, budget) applied to all its
// products — summed over products and ranked by the objective. Drivers compare a scenario with the
// recommended one factor by factor (the recommended scenario with only that factor changed, which the
// full grid always contains), so each effect is the objective's change due to that factor alone.
import { planScenarios, type DemandModel, type LaunchProduct, type ScenarioResult, type WeeklyQuantiles, type Analog, type ForecastFallback } from '../../ml/launch';
import { candidatePrice, launchWeeks, type LaunchConfig, type LaunchObjectiveName } from './launch-config';
import type { StoredDriver, StoredScenarioProduct } from './launch-plan.types';

export interface PlannerProduct { productId: number; features: LaunchProduct; listPrice: number; unitCost: number; inventory: number | null }

export interface PlannedProductForecast extends StoredScenarioProduct { forecast: WeeklyQuantiles }

export interface PlannedScenario {
  /** Indices into the grid's options. */
  key: [number, number, number, number];
  priceMultiplier: number; discount: number; promoWeeks: number; launchDate: Date; placement: string; weeklyImpressions: number;
  expectedUnits: number; expectedRevenue: number; expectedMargin: number; exposureCost: number; sellOutProbability: number; objectiveValue: number;
  rank: number; drivers: StoredDriver[]; products: PlannedProductForecast[];
}

export interface LaunchPlanOutcome {
  scenarios: PlannedScenario[];
  drivers: StoredDriver[];
  products: Array<{ productId: number; fallback: ForecastFallback; analogs: Analog[] }>;
}

const FACTORS = ['price', 'promotion', 'launchDate', 'exposure'] as const;

export function planLaunchGrid(model: DemandModel, products: PlannerProduct[], config: LaunchConfig, range: { startDate: Date; endDate: Date }, objective: LaunchObjectiveName): LaunchPlanOutcome {
  const dates = launchWeeks(range.startDate, range.endDate);
  const impressions = [...new Set(config.exposureBudgets.map((b) => b.weeklyImpressions))];
  const resultKey = (price: number, discount: number, weeks: number, date: Date, impr: number) => `${price}|${discount}|${weeks}|${date.getTime()}|${impr}`;
  const perProduct = products.map((p) => {
    const prices = config.priceMultipliers.map((m) => candidatePrice(p.listPrice, m));
    const plan = planScenarios(model, p.features, { prices: [...new Set(prices)], promotions: config.promotions, launchDates: dates, weeklyImpressions: impressions },
      { objective, inventory: p.inventory, unitCost: p.unitCost });
    const byKey = new Map<string, ScenarioResult>();
    for (const s of plan.scenarios) byKey.set(resultKey(s.params.price, s.params.discount, s.params.promoWeeks, new Date(s.params.launchDate), s.params.weeklyImpressions), s);
    return { p, prices, plan, byKey };
  });

  const sizes = [config.priceMultipliers.length, config.promotions.length, dates.length, config.exposureBudgets.length] as const;
  const scenarios: PlannedScenario[] = [];
  for (let a = 0; a < sizes[0]; a++) for (let b = 0; b < sizes[1]; b++) for (let c = 0; c < sizes[2]; c++) for (let d = 0; d < sizes[3]; d++) {
    const promo = config.promotions[b];
    const budget = config.exposureBudgets[d];
    const rows: PlannedProductForecast[] = perProduct.map(({ p, prices, plan, byKey }) => {
      const r = byKey.get(resultKey(prices[a], promo.discount, promo.weeks, dates[c], budget.weeklyImpressions));
      if (!r) throw new Error(`planScenarios returned no result for product ${p.productId} at grid point ${a},${b},${c},${d}`);
      return {
        productId: p.productId, price: prices[a], expectedUnits: r.expectedUnits, expectedRevenue: r.expectedRevenue, expectedMargin: r.expectedMargin,
        sellOutProbability: r.sellOutProbability, fallback: plan.fallback, forecast: r.forecast,
      };
    });
    const sum = (f: (x: PlannedProductForecast) => number) => rows.reduce((s, x) => s + f(x), 0);
    const units = sum((x) => x.expectedUnits);
    const revenue = sum((x) => x.expectedRevenue);
    // The budget is bought for every product over the forecast weeks; its cost comes off the margin.
    const exposureCost = (budget.weeklyImpressions / 1000) * (budget.costPerThousand ?? 0) * model.weeks * products.length;
    const margin = sum((x) => x.expectedMargin) - exposureCost;
    scenarios.push({
      key: [a, b, c, d], priceMultiplier: config.priceMultipliers[a], discount: promo.discount, promoWeeks: promo.weeks, launchDate: dates[c],
      placement: budget.placement, weeklyImpressions: budget.weeklyImpressions,
      expectedUnits: units, expectedRevenue: revenue, expectedMargin: margin, exposureCost,
      sellOutProbability: 1 - rows.reduce((s, x) => s * (1 - x.sellOutProbability), 1),
      objectiveValue: objective === 'UNITS' ? units : objective === 'REVENUE' ? revenue : margin,
      rank: 0, drivers: [], products: rows,
    });
  }
  // Best objective first; among equals the lower sell-out risk, then the cheaper exposure, then grid order.
  const ranked = scenarios.slice().sort((x, y) => y.objectiveValue - x.objectiveValue || x.sellOutProbability - y.sellOutProbability
    || x.weeklyImpressions - y.weeklyImpressions || x.key.join(',').localeCompare(y.key.join(',')));
  ranked.forEach((s, i) => { s.rank = i + 1; });
  const index = new Map(scenarios.map((s) => [s.key.join(','), s]));
  const best = ranked[0];
  const describe = (s: PlannedScenario, f: (typeof FACTORS)[number]) => f === 'price' ? `×${s.priceMultiplier}`
    : f === 'promotion' ? (s.discount > 0 ? `${Math.round(s.discount * 100)}% off for ${s.promoWeeks} weeks` : 'no promotion')
      : f === 'launchDate' ? s.launchDate.toISOString().slice(0, 10) : `${s.weeklyImpressions}/week in ${s.placement}${s.exposureCost > 0 ? ` (cost ${s.exposureCost.toFixed(0)})` : ''}`;
  const withFactor = (base: PlannedScenario, f: number, value: number) => {
    const k = base.key.slice() as PlannedScenario['key'];
    k[f] = value;
    return index.get(k.join(','))!;
  };
  for (const s of ranked) {
    s.drivers = FACTORS.flatMap((f, i) => s.key[i] === best.key[i] ? [] : [{
      factor: f, from: describe(best, f), to: describe(s, f), effect: withFactor(best, i, s.key[i]).objectiveValue - best.objectiveValue,
    }]);
  }
  const drivers: StoredDriver[] = FACTORS.flatMap((f, i) => {
    let worst: PlannedScenario | null = null;
    for (let v = 0; v < sizes[i]; v++) {
      if (v === best.key[i]) continue;
      const alt = withFactor(best, i, v);
      if (!worst || alt.objectiveValue < worst.objectiveValue) worst = alt;
    }
    return worst ? [{ factor: f, from: describe(best, f), to: describe(worst, f), effect: worst.objectiveValue - best.objectiveValue }] : [];
  }).sort((x, y) => x.effect - y.effect);
  return {
    scenarios: ranked,
    drivers,
    products: perProduct.map(({ p, plan }) => ({ productId: p.productId, fallback: plan.fallback, analogs: plan.analogs })),
  };
}
