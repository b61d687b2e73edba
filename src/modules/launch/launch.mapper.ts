import { toGlobalId } from '../../graphql/global-id';
import type { LaunchConfig } from './launch-config';
import type { StoredRecommendation } from './launch-plan.types';
import type { LaunchObjective } from './launch.inputs';
import type { LaunchRow, ScenarioRow } from './launch.repository';
import type { Launch, LaunchScenario } from './launch.types';

export function toLaunch(r: LaunchRow): Launch {
  const rec = r.recommendation as unknown as StoredRecommendation | Record<string, never> | null;
  return {
    id: toGlobalId('Launch', r.id), internalId: r.id, productIds: r.productIds, config: r.config as unknown as LaunchConfig,
    stored: rec && 'modelVersionId' in rec ? rec as StoredRecommendation : null, chosenScenarioId: r.chosenScenarioId,
    name: r.name, status: r.status, objective: r.objective as LaunchObjective, startDate: new Date(r.startDate), endDate: new Date(r.endDate),
    createdAt: new Date(r.createdAt), plannedAt: r.plannedAt ? new Date(r.plannedAt) : null, launchedAt: r.launchedAt ? new Date(r.launchedAt) : null,
    reviewedAt: r.reviewedAt ? new Date(r.reviewedAt) : null,
  };
}

export function toScenario(r: ScenarioRow, chosenId: number | null): LaunchScenario {
  const p = r.params;
  return {
    id: toGlobalId('LaunchScenario', r.id), internalId: r.id, products: p.products, rank: r.rank, recommended: r.recommended, chosen: chosenId === r.id,
    priceMultiplier: p.priceMultiplier, discount: p.discount, promoWeeks: p.promoWeeks, launchDate: new Date(p.launchDate), placement: p.placement,
    weeklyImpressions: p.weeklyImpressions, expectedUnits: r.expectedUnits, expectedRevenue: r.expectedRevenue, expectedMargin: r.expectedMargin,
    sellOutProbability: r.sellOutProbability, objectiveValue: p.objectiveValue, exposureCost: p.exposureCost ?? 0, drivers: p.drivers,
  };
}
