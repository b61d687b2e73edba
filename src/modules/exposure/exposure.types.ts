// GraphQL types of exposure plans: the plan, its allocations, totals, trade-off curve, off-policy
// estimate, performance after launch and the storefront's read of the active plan.
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ExposurePlanStatus } from '../../db/generated/enums';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';
import { Product } from '../catalog/catalog.types';
import { Job } from '../jobs/job.types';
import { Placement } from './placement.types';

registerEnumType(ExposurePlanStatus, {
  name: 'ExposurePlanStatus',
  description: 'Lifecycle of an exposure plan.',
  valuesConfig: {
    DRAFT: { description: 'Generated; the merchant has not approved it yet.' },
    APPROVED: { description: 'Approved; not serving yet.' },
    ACTIVE: { description: 'Serving at its placement (one per placement).' },
    ARCHIVED: { description: 'Retired (replaced by another active plan, or archived by hand).' },
  },
});

export enum ExposureAllocationSort { IMPRESSIONS = 'IMPRESSIONS', EXPECTED_CONVERSIONS = 'EXPECTED_CONVERSIONS', PRODUCT_ID = 'PRODUCT_ID' }
registerEnumType(ExposureAllocationSort, {
  name: 'ExposureAllocationSort',
  description: 'Order of a plan\'s allocations.',
  valuesConfig: {
    IMPRESSIONS: { description: 'By planned impressions.' },
    EXPECTED_CONVERSIONS: { description: 'By expected conversions.' },
    PRODUCT_ID: { description: 'By product (stable order).' },
  },
});

@ObjectType({ description: 'A per-product bound on impressions.' })
export class ExposureProductBound {
  @Field(() => ID, { description: 'The product.' }) productId!: string;
  @Field(() => Int, { nullable: true, description: 'Least impressions (overrides the plan default).' }) minImpressions!: number | null;
  @Field(() => Int, { nullable: true, description: 'Most impressions (overrides the plan default).' }) maxImpressions!: number | null;
}

@ObjectType({ description: 'What a plan was asked for.' })
export class ExposurePlanSettings {
  @Field(() => Int, { description: 'Days the plan covers.' }) horizonDays!: number;
  @Field(() => Int, { description: 'Impressions to place.' }) impressionBudget!: number;
  @Field({ description: 'True when the budget came from the placement (slots × expected daily impressions × horizon).' }) budgetFromPlacement!: boolean;
  @Field(() => [String], { description: 'Candidate categories (empty = all).' }) categories!: string[];
  @Field(() => [ID], { description: 'Products left out.' }) excludeProductIds!: string[];
  @Field(() => Float, { description: 'Least share of impressions on long-tail products.' }) longTailMinShare!: number;
  @Field(() => Float, { description: 'Share of the budget for exploring products with little data.' }) explorationShare!: number;
  @Field(() => Float, { description: 'ε: the plan keeps expected conversions ≥ (1 − ε) × the conversion-greedy plan\'s.' }) maxConversionLoss!: number;
  @Field(() => Int, { description: 'Default least impressions per product.' }) minImpressionsPerProduct!: number;
  @Field(() => Int, { nullable: true, description: 'Default most impressions per product (null = no cap).' }) maxImpressionsPerProduct!: number | null;
  @Field(() => [ExposureProductBound], { description: 'Per-product overrides of the bounds.' }) productBounds!: ExposureProductBound[];
  @Field(() => Int, { description: 'Seed of the exploration draws: the same input, data and seed give the same plan.' }) seed!: number;
}

@ObjectType({ description: 'Plan-wide figures.' })
export class ExposurePlanTotals {
  @Field(() => Int, { description: 'Impressions asked for.' }) impressionBudget!: number;
  @Field(() => Int, { description: 'Impressions placed (less than the budget only when caps leave no room).' }) impressions!: number;
  @Field(() => Int, { description: 'Candidate products considered.' }) candidates!: number;
  @Field(() => Float, { description: 'Expected conversions of the plan (posterior means).' }) expectedConversions!: number;
  @Field(() => Float, { description: 'Lower end of its 90% credible interval.' }) expectedConversionsLow!: number;
  @Field(() => Float, { description: 'Upper end of its 90% credible interval.' }) expectedConversionsHigh!: number;
  @Field(() => Float, { description: 'Expected clicks (smoothed click-through rates at the placement).' }) expectedClicks!: number;
  @Field(() => Float, { description: 'Share of impressions on long-tail products.' }) longTailShare!: number;
  @Field(() => Float, { description: 'Share of candidates with at least one impression.' }) coverage!: number;
  @Field(() => Float, { description: 'Gini coefficient of impressions over all candidates, zero-exposure ones included (0 = even).' }) gini!: number;
  @Field(() => Int, { description: 'Impressions given to exploration (Thompson sampling over products with little data).' }) explorationImpressions!: number;
  @Field(() => Float, { description: 'Expected conversions of the conversion-greedy plan for the same budget, floors and caps.' }) greedyExpectedConversions!: number;
  @Field(() => Float, { description: 'What the plan costs against greedy, as a fraction of greedy\'s expected conversions (≤ ε).' }) conversionCost!: number;
  @Field(() => Float, { description: 'The same cost in expected conversions.' }) conversionCostAbsolute!: number;
  @Field({ description: 'True when expected conversions ≥ (1 − ε) × greedy.' }) guardrailHolds!: boolean;
  @Field({ description: 'Where the priors came from: CONVERSION_MODEL, EMPIRICAL_BAYES or DEFAULT.' }) priorSource!: string;
  @Field(() => GraphQLJSON, { description: 'Details of the prior (model version and audience sample, or the fitted Beta per long-tail group).' }) prior!: unknown;
  @Field(() => Int, { description: 'Impressions logged at the placement behind the posteriors.' }) loggedImpressions!: number;
  @Field(() => Int, { description: 'Of which converted (the product bought within the label window).' }) loggedPurchases!: number;
  @Field(() => GraphQLJSON, { description: 'Products per reason code.' }) reasons!: unknown;
}

@ObjectType({ description: 'One point of the trade-off curve: the best plan meeting a long-tail share, without exploration.' })
export class ExposureTradeoffPoint {
  @Field(() => Float, { description: 'Least long-tail share of impressions.' }) longTailShare!: number;
  @Field({ description: 'False when caps make the share unreachable.' }) feasible!: boolean;
  @Field(() => Float, { nullable: true, description: 'Expected conversions of the best plan at this share.' }) expectedConversions!: number | null;
  @Field(() => Float, { nullable: true, description: 'Those conversions relative to the greedy plan\'s.' }) relativeToGreedy!: number | null;
  @Field({ description: 'True when this share keeps the conversion guardrail.' }) meetsGuardrail!: boolean;
}

@ObjectType({ description: 'An off-policy estimate of the plan\'s conversions from logged impressions.' })
export class OffPolicyValue {
  @Field(() => Float, { description: 'Estimated conversions per impression under the plan.' }) rate!: number;
  @Field(() => Float, { description: 'Estimated conversions of the whole plan.' }) conversions!: number;
  @Field(() => Float, { description: 'Lower end of its confidence interval.' }) low!: number;
  @Field(() => Float, { description: 'Upper end of its confidence interval.' }) high!: number;
}

@ObjectType({ description: 'Before launch: what the placement\'s logs say the plan would convert (logging propensities = each product\'s share of logged impressions).' })
export class ExposureOffPolicyEstimate {
  @Field(() => Float, { description: 'Confidence level of the intervals.' }) level!: number;
  @Field(() => OffPolicyValue, { description: 'Inverse propensity scoring (unbiased, noisier).' }) ips!: OffPolicyValue;
  @Field(() => OffPolicyValue, { description: 'Self-normalised IPS (slightly biased, steadier).' }) snips!: OffPolicyValue;
  @Field(() => Int, { description: 'Logged impressions used.' }) loggedImpressions!: number;
  @Field(() => Float, { description: 'Kish effective sample size of the weighted logs.' }) effectiveSampleSize!: number;
  @Field(() => Float, { description: 'Share of the plan\'s impressions on products never logged there (not estimable; counted as 0).' }) unsupportedPlanShare!: number;
}

@ObjectType({ description: 'The impressions a plan gives one product, with why.' })
export class ExposureAllocation {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Int, { description: 'Planned impressions.' }) impressions!: number;
  @Field(() => Float, { description: 'Expected clicks.' }) expectedClicks!: number;
  @Field(() => Float, { description: 'Expected conversions (posterior mean × impressions).' }) expectedConversions!: number;
  @Field(() => Float, { description: 'Lower end of the 90% credible interval of conversions.' }) conversionsLow!: number;
  @Field(() => Float, { description: 'Upper end of the 90% credible interval of conversions.' }) conversionsHigh!: number;
  @Field({ description: 'Why, e.g. "EXPLORATION: 14 impressions so far", HIGH_PREDICTED_CONVERSION, LONG_TAIL_FLOOR, MIN_FLOOR, CAPPED, NO_EXPOSURE.' }) reason!: string;
  @Field({ description: 'True for a long-tail product.' }) isLongTail!: boolean;
  @Field(() => Float, { description: 'Posterior mean conversion rate at the placement when planned.' }) posteriorMean!: number;
  @Field(() => Float, { description: 'Posterior Beta α.' }) posteriorAlpha!: number;
  @Field(() => Float, { description: 'Posterior Beta β.' }) posteriorBeta!: number;
  @Field(() => Int, { description: 'Impressions logged at the placement before the plan.' }) observedImpressions!: number;
  @Field(() => Int, { description: 'Of which converted.' }) observedPurchases!: number;
}

export const ExposureAllocationConnection = ConnectionType('ExposureAllocation', ExposureAllocation, 'allocation');

@ObjectType({ description: 'A versioned plan of how a placement\'s impressions are spread over products.' })
export class ExposurePlan {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  placementInternalId!: number;
  @Field(() => Placement, { nullable: true, description: 'Where the plan serves.' }) placement?: Placement | null;
  @Field(() => Int, { description: 'Version per placement, from 1.' }) version!: number;
  @Field(() => ExposurePlanStatus, { description: 'Lifecycle state.' }) status!: ExposurePlanStatus;
  @Field(() => ExposurePlanSettings, { description: 'What was asked for.' }) settings!: ExposurePlanSettings;
  @Field(() => ExposurePlanTotals, { description: 'Plan-wide figures.' }) totals!: ExposurePlanTotals;
  @Field(() => [ExposureTradeoffPoint], { description: 'Long-tail share → expected conversions: the price of exposure.' }) tradeoffCurve!: ExposureTradeoffPoint[];
  @Field(() => ExposureOffPolicyEstimate, { nullable: true, description: 'Off-policy estimate from the placement\'s logs (null when none).' }) offPolicyEstimate!: ExposureOffPolicyEstimate | null;
  @Field(() => ID, { nullable: true, description: 'The plan this one re-plans.' }) parentPlanId!: string | null;
  @Field(() => ExposureAllocationConnection, { description: 'Per-product allocations.' }) allocations?: unknown;
  @Field({ description: 'When it was generated.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was approved (data clock).' }) approvedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Data-clock instant it went live; performance counts events from then on.' }) activatedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was archived (data clock); an active plan\'s performance stops there.' }) archivedAt!: Date | null;
}

export const ExposurePlanConnection = ConnectionType('ExposurePlan', ExposurePlan, 'exposure plan');

@ObjectType({ description: 'Result of generateExposurePlan or replanExposure.' })
export class ExposurePlanJobPayload {
  @Field(() => Job, { nullable: true, description: 'The planning job; its result is the stored ExposurePlan.' }) job!: Job | null;
  @Field(() => [ExposureTradeoffPoint], { description: 'The trade-off curve of the preflight (also when the long-tail share is infeasible).' }) tradeoffCurve!: ExposureTradeoffPoint[];
  @Field(() => Float, { nullable: true, description: 'When the long-tail share cannot be met: the largest share caps and the guardrail allow.' }) maxFeasibleLongTailShare!: number | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a plan lifecycle change.' })
export class ExposurePlanPayload {
  @Field(() => ExposurePlan, { nullable: true, description: 'The plan after the change.' }) exposurePlan!: ExposurePlan | null;
  @Field(() => [UserError], { description: 'Why nothing changed, if so.' }) userErrors!: UserError[];
}

@ObjectType({ description: 'One product of an active plan: served against planned since activation.' })
export class ExposureProductPerformance {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Int, { description: 'Impressions planned for the whole horizon.' }) plannedImpressions!: number;
  @Field(() => Float, { description: 'Impressions planned up to now (linear over the horizon).' }) plannedSoFar!: number;
  @Field(() => Int, { description: 'Impressions served at the placement since activation.' }) servedImpressions!: number;
  @Field(() => Int, { description: 'Of which converted (bought within the label window).' }) purchases!: number;
  @Field(() => Float, { description: 'Purchases expected from the served impressions at the planned posterior mean.' }) expectedPurchases!: number;
  @Field({ description: 'True for a long-tail product.' }) isLongTail!: boolean;
}

@ObjectType({ description: 'A product whose conversion-rate posterior moved enough since planning to deserve re-planning.' })
export class ExposureReplanCandidate {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Float, { description: 'Posterior mean when planned.' }) plannedMean!: number;
  @Field(() => Float, { description: 'Posterior mean with the data since activation.' }) updatedMean!: number;
  @Field(() => Float, { description: 'Lower end of the updated 90% interval.' }) updatedLow!: number;
  @Field(() => Float, { description: 'Upper end of the updated 90% interval.' }) updatedHigh!: number;
  @Field({ description: 'UP or DOWN.' }) direction!: string;
}

@ObjectType({ description: 'How an activated plan is doing: served against planned, realised exposure metrics, and what to re-plan.' })
export class ExposurePlanPerformance {
  @Field(() => ExposurePlan, { description: 'The plan.' }) plan!: ExposurePlan;
  @Field(() => Date, { nullable: true, description: 'Activation instant (null when never activated: everything is zero).' }) since!: Date | null;
  @Field(() => Date, { description: 'The data clock the figures run to.' }) until!: Date;
  @Field(() => Float, { description: 'Share of the horizon elapsed, 0–1.' }) elapsedShare!: number;
  @Field(() => Int, { description: 'Impressions planned over the horizon.' }) plannedImpressions!: number;
  @Field(() => Int, { description: 'Impressions served at the placement since activation.' }) servedImpressions!: number;
  @Field(() => Float, { description: 'Served / planned-so-far (1 = on pace).' }) pacing!: number;
  @Field(() => Int, { description: 'Converted impressions since activation.' }) purchases!: number;
  @Field(() => Float, { description: 'Purchases the plan expected from the impressions served.' }) expectedPurchases!: number;
  @Field(() => Float, { description: 'Long-tail share of served impressions.' }) realisedLongTailShare!: number;
  @Field(() => Float, { description: 'Share of the plan\'s candidates served at least once.' }) realisedCoverage!: number;
  @Field(() => Float, { description: 'Gini of served impressions over the candidates (zero-exposure included).' }) realisedGini!: number;
  @Field(() => Int, { description: 'Impressions served to products outside the plan\'s candidates.' }) offPlanImpressions!: number;
  @Field(() => [ExposureProductPerformance], { description: 'Per product, most planned first (at most `first`).' }) products!: ExposureProductPerformance[];
  @Field(() => [ExposureReplanCandidate], { description: 'Products whose posterior moved: the planned mean is outside the updated 90% interval, or the updated mean outside the planned one.' }) replanCandidates!: ExposureReplanCandidate[];
}

@ObjectType({ description: 'One product of the active plan, as a storefront serves it.' })
export class ActiveExposureItem {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Int, { description: 'Impressions planned over the horizon.' }) impressions!: number;
  @Field(() => Float, { description: 'Its share of the plan\'s impressions: the serving weight.' }) weight!: number;
  @Field(() => Int, { description: 'Impressions still to serve (planned minus served since activation, ≥ 0).' }) remaining!: number;
}

@ObjectType({ description: 'The active plan of a placement, reduced to what a storefront needs to serve it.' })
export class ActiveExposurePlan {
  @Field(() => ID, { description: 'The plan.' }) planId!: string;
  @Field(() => Int, { description: 'Its version.' }) version!: number;
  @Field({ description: 'Placement handle to send with impression events.' }) placementHandle!: string;
  @Field(() => Int, { description: 'Products per view.' }) slots!: number;
  @Field(() => Int, { description: 'Days the plan covers.' }) horizonDays!: number;
  @Field(() => Date, { nullable: true, description: 'When it went live (data clock).' }) activatedAt!: Date | null;
  @Field(() => [ActiveExposureItem], { description: 'Products with impressions, most first (at most `first`).' }) items!: ActiveExposureItem[];
}
