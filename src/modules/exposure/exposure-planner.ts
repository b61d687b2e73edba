// The planning function shared by the generateExposurePlan mutation (a synchronous feasibility
// preflight) and the plan-exposure job (which stores the result): read the candidates and the
// placement's logs, build each product's posterior (prior from the conversion model or empirical
// Bayes, updated by its impressions and attributed purchases there), allocate with the pure core,
// and compute totals, the trade-off curve and the off-policy estimate of the plan.
import { allocateExposure, betaMean, offPolicyEstimate, posteriorFromPrediction, reasonCodes, reasonText, tradeoffCurve,
  type AllocationInput, type ExposurePlan as CorePlan, type OffPolicyResult, type TradeoffPoint } from '../../ml/exposure';
import type { Database } from '../../db/database';
import { DAY_MS, merchantNow } from '../catalog/data-clock';
import type { ConversionModelCache, LoadedConversionModel } from '../conversion/conversion-model.cache';
import type { Candidate, ExposureDataRepository, PlacementObservations } from './exposure-data.repository';
import { audienceSampleSize, empiricalBayesPriors, modelPriors, type Priors } from './exposure-prior';
import type { PlacementRow } from './placement.repository';

/** Normalised plan input (internal ids), stored as ExposurePlan.input and carried by the job. */
export interface PlanSettings {
  placementId: number;
  horizonDays: number;
  impressionBudget: number;
  /** True when the budget was derived from the placement (slots × expected daily × horizon). */
  budgetFromPlacement: boolean;
  categories: string[];
  excludeProductIds: number[];
  longTailMinShare: number;
  explorationShare: number;
  maxConversionLoss: number;
  minImpressionsPerProduct: number;
  maxImpressionsPerProduct: number | null;
  productBounds: Array<{ productId: number; minImpressions: number | null; maxImpressions: number | null }>;
  seed: number;
}

/** Days of placement logs behind each posterior (a re-plan also reaches back to its parent's activation). */
export const OBSERVATION_DAYS = 90;
export const DEFAULT_LABEL_WINDOW_DAYS = 7;
const CURVE_SHARES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** Pseudo-impressions of the placement-wide click-through rate in each product's smoothed rate. */
const CTR_PRIOR_STRENGTH = 20;

export interface AllocationRow {
  productId: number; impressions: number; explorationImpressions: number; expectedClicks: number; expectedConversions: number;
  conversionsLow: number; conversionsHigh: number; reason: string; isLongTail: boolean;
  posteriorAlpha: number; posteriorBeta: number; observedImpressions: number; observedPurchases: number;
}

export interface PlanTotals {
  impressionBudget: number; impressions: number; candidates: number;
  expectedConversions: number; expectedConversionsLow: number; expectedConversionsHigh: number; expectedClicks: number;
  longTailShare: number; coverage: number; gini: number; explorationImpressions: number; explorationShareUsed: number;
  greedyExpectedConversions: number; conversionCost: number; conversionCostAbsolute: number; guardrailHolds: boolean;
  maxConversionLoss: number; priorSource: string; prior: Record<string, unknown>;
  observedFrom: string; observedTo: string; labelWindowDays: number; loggedImpressions: number; loggedPurchases: number;
  reasons: Record<string, number>;
}

export interface StoredCurvePoint { longTailShare: number; feasible: boolean; expectedConversions: number | null; relativeToGreedy: number | null; meetsGuardrail: boolean }

export type PlanOutcome =
  | { feasible: true; rows: AllocationRow[]; totals: PlanTotals; curve: StoredCurvePoint[]; offPolicy: OffPolicyJson | null }
  | { feasible: false; reason: string; message: string; maxFeasibleLongTailShare: number | null; curve: StoredCurvePoint[] };

export interface OffPolicyJson {
  level: number; loggedImpressions: number; effectiveSampleSize: number; unsupportedPlanShare: number;
  ips: { rate: number; conversions: number; low: number; high: number };
  snips: { rate: number; conversions: number; low: number; high: number };
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function toStoredCurve(points: TradeoffPoint[]): StoredCurvePoint[] {
  return points.map((p) => ({ longTailShare: p.longTailShare, feasible: p.feasible, expectedConversions: finite(p.expectedConversions), relativeToGreedy: finite(p.relativeToGreedy), meetsGuardrail: p.meetsGuardrail }));
}

function offPolicyJson(r: OffPolicyResult, level: number): OffPolicyJson {
  const v = (e: OffPolicyResult['ips']) => ({ rate: e.rate, conversions: e.conversions, low: e.conversionsInterval.lower, high: e.conversionsInterval.upper });
  return { level, loggedImpressions: r.logged, effectiveSampleSize: r.effectiveSampleSize, unsupportedPlanShare: r.unsupportedPlanShare, ips: v(r.ips), snips: v(r.snips) };
}

/**
 * IPS/SNIPS of the plan from the placement's logged impressions. The logging policy is taken as the
 * empirical share of impressions each product got there (propensity n_p / N); products logged but not
 * candidates share one extra slot that the plan gives no impressions.
 */
export function estimateOffPolicy(candidates: Candidate[], impressions: ArrayLike<number>, obs: PlacementObservations, level = 0.95): OffPolicyJson | null {
  let planned = 0;
  for (let i = 0; i < impressions.length; i++) planned += impressions[i];
  if (obs.impressions === 0 || planned === 0) return null;
  const index = new Map(candidates.map((c, i) => [c.id, i]));
  const n = candidates.length;
  const plan = new Float64Array(n + 1);
  plan.set(impressions as ArrayLike<number>);
  const product = new Int32Array(obs.impressions);
  const propensity = new Float64Array(obs.impressions);
  const purchased = new Uint8Array(obs.impressions);
  let k = 0;
  for (const [id, o] of obs.byProduct) {
    const slot = index.get(id) ?? n;
    const mu = o.impressions / obs.impressions;
    for (let j = 0; j < o.impressions; j++, k++) {
      product[k] = slot;
      propensity[k] = mu;
      purchased[k] = j < o.purchases ? 1 : 0;
    }
  }
  return offPolicyJson(offPolicyEstimate(plan, { product, propensity, purchased }, { level }), level);
}

export class ExposurePlanner {
  constructor(private readonly db: Database, private readonly data: ExposureDataRepository, private readonly models: ConversionModelCache) {}

  private async activeModel(merchantId: number): Promise<LoadedConversionModel | null> {
    try { return await this.models.active(merchantId); } catch { return null; }
  }

  /** Plans `settings` for the placement as of the data clock; `observedFrom` widens the log window back to that instant. */
  async plan(merchantId: number, placement: PlacementRow, s: PlanSettings, opts: { observedFrom?: Date | null } = {}): Promise<PlanOutcome> {
    const now = await merchantNow(this.db, merchantId);
    let from = new Date(now.getTime() - OBSERVATION_DAYS * DAY_MS);
    if (opts.observedFrom && opts.observedFrom < from) from = opts.observedFrom;
    const candidates = await this.data.candidates(merchantId, s.categories, s.excludeProductIds);
    if (candidates.length === 0) return { feasible: false, reason: 'NO_CANDIDATES', message: 'No active product matches the candidate filter', maxFeasibleLongTailShare: null, curve: [] };
    const model = await this.activeModel(merchantId);
    const labelWindowDays = model?.model.metadata.labelWindowDays ?? DEFAULT_LABEL_WINDOW_DAYS;
    const obs = await this.data.observations(merchantId, placement.id, from, now, labelWindowDays * DAY_MS);
    let priors: Priors = empiricalBayesPriors(candidates, obs);
    if (model) {
      const audience = await this.data.audience(merchantId, placement.id, new Date(now.getTime() - 30 * DAY_MS), now, audienceSampleSize(candidates.length));
      priors = await modelPriors(model, candidates, audience, placement.handle, now.getTime(), priors);
    }
    const n = candidates.length;
    const alpha = new Float64Array(n);
    const beta = new Float64Array(n);
    const isLongTail = new Uint8Array(n);
    const seen = new Float64Array(n);
    const bought = new Float64Array(n);
    const min = new Float64Array(n).fill(s.minImpressionsPerProduct);
    const max = new Float64Array(n).fill(s.maxImpressionsPerProduct ?? Infinity);
    const bounds = new Map(s.productBounds.map((b) => [b.productId, b]));
    candidates.forEach((c, i) => {
      const o = obs.byProduct.get(c.id);
      seen[i] = o?.impressions ?? 0;
      bought[i] = o?.purchases ?? 0;
      const post = posteriorFromPrediction(priors.mean[i], priors.strength[i], seen[i], bought[i]);
      alpha[i] = post.alpha;
      beta[i] = post.beta;
      isLongTail[i] = c.isLongTail ? 1 : 0;
      const b = bounds.get(c.id);
      if (b?.minImpressions != null) min[i] = b.minImpressions;
      if (b?.maxImpressions != null) max[i] = b.maxImpressions;
      if (max[i] < min[i]) max[i] = min[i];
    });
    const input: AllocationInput = {
      products: { alpha, beta, isLongTail, minImpressions: min, maxImpressions: max, impressionsSoFar: seen },
      budget: s.impressionBudget, longTailMinShare: s.longTailMinShare, explorationShare: s.explorationShare,
      maxConversionLoss: s.maxConversionLoss, seed: s.seed,
    };
    const result = allocateExposure(input);
    if (!result.feasible) {
      return { feasible: false, reason: result.reason, message: result.message, maxFeasibleLongTailShare: finite(result.maxFeasibleLongTailShare), curve: toStoredCurve(result.tradeoff) };
    }
    if (result.totals.impressions === 0) {
      // Every candidate capped at zero: shares and guardrails hold vacuously, but the plan would show nothing.
      return { feasible: false, reason: 'NO_CAPACITY', message: 'The per-product caps leave no impressions to place: raise maxImpressionsPerProduct or the products\' maxImpressions', maxFeasibleLongTailShare: null, curve: [] };
    }
    const shares = [...new Set([...CURVE_SHARES, s.longTailMinShare, result.totals.longTailShare])].sort((x, y) => x - y);
    const curve = toStoredCurve(tradeoffCurve(input, shares));
    const ctrAll = obs.impressions > 0 ? obs.clicks / obs.impressions : 0;
    const rows = candidates.map((c, i) => this.row(result, i, c, seen[i], bought[i], alpha[i], beta[i], obs, ctrAll));
    return { feasible: true, rows, curve, totals: this.totals(result, rows, s, priors, from, now, labelWindowDays, obs), offPolicy: estimateOffPolicy(candidates, result.impressions, obs) };
  }

  private row(r: CorePlan, i: number, c: Candidate, seen: number, bought: number, a: number, b: number, obs: PlacementObservations, ctrAll: number): AllocationRow {
    const clicks = obs.byProduct.get(c.id)?.clicks ?? 0;
    const ctr = Math.min(1, (clicks + CTR_PRIOR_STRENGTH * ctrAll) / (seen + CTR_PRIOR_STRENGTH));
    return {
      productId: c.id, impressions: r.impressions[i], explorationImpressions: r.explorationImpressions[i], expectedClicks: r.impressions[i] * ctr,
      expectedConversions: r.expectedConversions[i], conversionsLow: r.expectedConversionsLower[i], conversionsHigh: r.expectedConversionsUpper[i],
      reason: reasonText(r, i, seen), isLongTail: c.isLongTail, posteriorAlpha: a, posteriorBeta: b, observedImpressions: seen, observedPurchases: bought,
    };
  }

  private totals(r: CorePlan, rows: AllocationRow[], s: PlanSettings, priors: Priors, from: Date, to: Date, labelWindowDays: number, obs: PlacementObservations): PlanTotals {
    const reasons: Record<string, number> = {};
    let clicks = 0;
    rows.forEach((row, i) => {
      clicks += row.expectedClicks;
      const codes = reasonCodes(r, i);
      for (const c of codes.length ? codes : ['NO_EXPOSURE']) reasons[c] = (reasons[c] ?? 0) + 1;
    });
    return {
      impressionBudget: s.impressionBudget, impressions: r.totals.impressions, candidates: rows.length,
      expectedConversions: r.totals.expectedConversions, expectedConversionsLow: r.totals.expectedConversionsInterval.lower,
      expectedConversionsHigh: r.totals.expectedConversionsInterval.upper, expectedClicks: clicks,
      longTailShare: r.totals.longTailShare, coverage: r.totals.coverage, gini: r.totals.gini,
      explorationImpressions: r.totals.explorationImpressions, explorationShareUsed: r.explorationShareUsed,
      greedyExpectedConversions: r.greedyExpectedConversions, conversionCost: r.conversionCost,
      conversionCostAbsolute: Math.max(0, r.greedyExpectedConversions - r.totals.expectedConversions), guardrailHolds: r.guardrailHolds,
      maxConversionLoss: s.maxConversionLoss, priorSource: priors.source, prior: priors.details,
      observedFrom: from.toISOString(), observedTo: to.toISOString(), labelWindowDays, loggedImpressions: obs.impressions, loggedPurchases: obs.purchases,
      reasons,
    };
  }
}

/** Posterior mean of a stored allocation. */
export const posteriorMean = (a: number, b: number): number => betaMean(a, b);
