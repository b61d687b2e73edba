// After launch: served impressions and converted ones per product since activation against the plan,
// realised exposure metrics, pacing, and the products whose posterior moved enough to re-plan.
import { betaInterval, betaMean, catalogueCoverage, exposureGini, longTailShare } from '../../ml/exposure';
import type { AllocationDbRow } from './exposure-plan.repository';
import type { PlacementObservations } from './exposure-data.repository';

const LEVEL = 0.9;

export interface ProductPerformance {
  productId: number; plannedImpressions: number; plannedSoFar: number; servedImpressions: number; purchases: number; expectedPurchases: number; isLongTail: boolean;
}
export interface ReplanCandidate { productId: number; plannedMean: number; updatedMean: number; updatedLow: number; updatedHigh: number; direction: string }

export interface PerformanceFigures {
  elapsedShare: number; plannedImpressions: number; servedImpressions: number; pacing: number; purchases: number; expectedPurchases: number;
  realisedLongTailShare: number; realisedCoverage: number; realisedGini: number; offPlanImpressions: number;
  products: ProductPerformance[]; replanCandidates: ReplanCandidate[];
}

/**
 * A product deserves re-planning when its planned-time posterior mean falls outside the 90% interval
 * of the posterior updated with the data since activation, or the updated mean falls outside the
 * planned-time 90% interval.
 */
export function replanCandidate(a: AllocationDbRow, served: number, bought: number): ReplanCandidate | null {
  if (served === 0) return null;
  const planned = betaMean(a.posteriorAlpha, a.posteriorBeta);
  const ua = a.posteriorAlpha + bought;
  const ub = a.posteriorBeta + served - bought;
  const updated = betaMean(ua, ub);
  const upd = betaInterval(ua, ub, LEVEL);
  const old = betaInterval(a.posteriorAlpha, a.posteriorBeta, LEVEL);
  const moved = planned < upd.lower || planned > upd.upper || updated < old.lower || updated > old.upper;
  return moved ? { productId: a.productId, plannedMean: planned, updatedMean: updated, updatedLow: upd.lower, updatedHigh: upd.upper, direction: updated > planned ? 'UP' : 'DOWN' } : null;
}

export function performanceFigures(allocations: AllocationDbRow[], served: PlacementObservations, elapsedShare: number): PerformanceFigures {
  const n = allocations.length;
  const servedArr = new Float64Array(n);
  const lt = new Uint8Array(n);
  let planned = 0;
  let servedTotal = 0;
  let purchases = 0;
  let expected = 0;
  const products: ProductPerformance[] = [];
  const replan: ReplanCandidate[] = [];
  const inPlan = new Set<number>();
  allocations.forEach((a, i) => {
    inPlan.add(a.productId);
    const o = served.byProduct.get(a.productId);
    const s = o?.impressions ?? 0;
    const k = o?.purchases ?? 0;
    servedArr[i] = s;
    lt[i] = a.isLongTail ? 1 : 0;
    planned += a.impressions;
    servedTotal += s;
    purchases += k;
    const e = s * betaMean(a.posteriorAlpha, a.posteriorBeta);
    expected += e;
    if (a.impressions > 0 || s > 0) {
      products.push({ productId: a.productId, plannedImpressions: a.impressions, plannedSoFar: a.impressions * elapsedShare, servedImpressions: s, purchases: k, expectedPurchases: e, isLongTail: a.isLongTail });
    }
    const c = replanCandidate(a, s, k);
    if (c) replan.push(c);
  });
  let offPlan = 0;
  for (const [id, o] of served.byProduct) if (!inPlan.has(id)) offPlan += o.impressions;
  products.sort((x, y) => y.plannedImpressions - x.plannedImpressions || y.servedImpressions - x.servedImpressions || x.productId - y.productId);
  replan.sort((x, y) => Math.abs(y.updatedMean - y.plannedMean) - Math.abs(x.updatedMean - x.plannedMean) || x.productId - y.productId);
  const soFar = planned * elapsedShare;
  return {
    elapsedShare, plannedImpressions: planned, servedImpressions: servedTotal, pacing: soFar > 0 ? servedTotal / soFar : 0,
    purchases, expectedPurchases: expected, realisedLongTailShare: longTailShare(servedArr, lt), realisedCoverage: catalogueCoverage(servedArr),
    realisedGini: exposureGini(servedArr), offPlanImpressions: offPlan, products, replanCandidates: replan,
  };
}
