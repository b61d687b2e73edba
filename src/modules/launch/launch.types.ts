// GraphQL types of launch planning: the launch and its settings, the evaluated scenarios with their
// weekly forecast bands, the recommendation (analogs, drivers, fallbacks), the audience and the
// post-launch performance.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { LaunchStatus } from '../../db/generated/enums';
import { ConnectionType } from '../../graphql/relay';
import { UserError } from '../../graphql/user-error';
import { Customer, Product } from '../catalog/catalog.types';
import { ModelVersion } from '../models/model.types';
import { LaunchObjective } from './launch.inputs';
import type { LaunchConfig } from './launch-config';
import type { StoredRecommendation, StoredScenarioProduct } from './launch-plan.types';

@ObjectType({ description: 'A promotion option of the grid.' })
export class LaunchPromotion {
  @Field(() => Float, { description: 'Fractional discount (0 = none).' }) discount!: number;
  @Field(() => Int, { description: 'Weeks the discount runs from the launch date.' }) weeks!: number;
}

@ObjectType({ description: 'An exposure budget of the grid.' })
export class LaunchExposureBudget {
  @Field({ description: 'Placement handle.' }) placement!: string;
  @Field(() => Int, { description: 'Impressions per week per product during its first weeks.' }) weeklyImpressions!: number;
  @Field(() => Float, { description: 'Opportunity cost of 1,000 impressions (0 = free).' }) costPerThousand!: number;
}

@ObjectType({ description: 'A product of a launch with its stock and cost.' })
export class LaunchProductSetting {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Int, { nullable: true, description: 'Units available; null = no limit.' }) inventory!: number | null;
  @Field(() => Float, { nullable: true, description: 'Unit cost used for the margin (null = the product\'s cost).' }) unitCost!: number | null;
}

@ObjectType({ description: 'The candidate settings a launch is planned over.' })
export class LaunchSettings {
  @Field(() => [Float], { description: 'Candidate prices as multipliers of each product\'s list price.' }) priceMultipliers!: number[];
  @Field(() => [LaunchPromotion], { description: 'Promotion options.' }) promotions!: LaunchPromotion[];
  @Field(() => [LaunchExposureBudget], { description: 'Exposure budgets.' }) exposureBudgets!: LaunchExposureBudget[];
  @Field(() => [LaunchProductSetting], { description: 'Products with inventory and cost.' }) products!: LaunchProductSetting[];
  @Field(() => [Date], { description: 'Candidate launch dates: every week of the date range (at most 12, evenly spread).' }) launchDates!: Date[];
  @Field(() => Int, { description: 'Scenarios in the grid (prices × promotions × launch dates × budgets).' }) gridSize!: number;
}

@ObjectType({ description: 'Forecast units of one week: P10/P50/P90 quantiles and the mean.' })
export class ForecastPoint {
  @Field({ description: 'Start of the week.' }) periodStart!: Date;
  @Field(() => Float, { description: '10% quantile of units sold that week (inventory-capped).' }) p10!: number;
  @Field(() => Float, { description: 'Median units.' }) p50!: number;
  @Field(() => Float, { description: '90% quantile of units.' }) p90!: number;
  @Field(() => Float, { description: 'Expected units (revenue and margin use it); in very skewed weeks it can lie above P90.' }) mean!: number;
}

@ObjectType({ description: 'One product\'s forecast under a scenario.' })
export class ProductForecast {
  productId!: number;
  forecastId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Float, { description: 'Its candidate price in this scenario (list price × multiplier).' }) price!: number;
  @Field(() => Float, { description: 'Expected units over the horizon.' }) expectedUnits!: number;
  @Field(() => Float, { description: 'Expected revenue.' }) expectedRevenue!: number;
  @Field(() => Float, { description: 'Expected gross margin.' }) expectedMargin!: number;
  @Field(() => Float, { description: 'P(demand over the horizon exceeds its inventory).' }) sellOutProbability!: number;
  @Field({ description: 'NONE (forecast from analogs), CATEGORY or GLOBAL (no usable analogs: an average launch curve).' }) fallback!: string;
  @Field(() => [ForecastPoint], { description: 'Weekly forecast band.' }) points!: ForecastPoint[];
}

@ObjectType({ description: 'How one factor moves the objective when only it changes.' })
export class ScenarioDriver {
  @Field({ description: 'price, promotion, launchDate or exposure.' }) factor!: string;
  @Field({ description: 'The value in the reference scenario.' }) from!: string;
  @Field({ description: 'The value compared.' }) to!: string;
  @Field(() => Float, { description: 'Change of the objective from `from` to `to`, other factors kept.' }) effect!: number;
}

@ObjectType({ description: 'One evaluated combination of price, promotion, launch date and exposure, for all the launch\'s products.' })
export class LaunchScenario {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  products!: StoredScenarioProduct[];
  @Field(() => Int, { description: 'Rank by the objective (1 = best).' }) rank!: number;
  @Field({ description: 'True for the recommended scenario.' }) recommended!: boolean;
  @Field({ description: 'True when the merchant chose it.' }) chosen!: boolean;
  @Field(() => Float, { description: 'Price multiplier of the list prices.' }) priceMultiplier!: number;
  @Field(() => Float, { description: 'Promotion discount.' }) discount!: number;
  @Field(() => Int, { description: 'Promotion weeks.' }) promoWeeks!: number;
  @Field({ description: 'Launch date.' }) launchDate!: Date;
  @Field({ description: 'Placement of the exposure budget.' }) placement!: string;
  @Field(() => Int, { description: 'Impressions per week per product.' }) weeklyImpressions!: number;
  @Field(() => Float, { description: 'Expected units over the horizon, all products (inventory-capped).' }) expectedUnits!: number;
  @Field(() => Float, { description: 'Expected revenue.' }) expectedRevenue!: number;
  @Field(() => Float, { description: 'Expected gross margin: revenue − unit cost × units − exposure cost.' }) expectedMargin!: number;
  @Field(() => Float, { description: 'Cost of the exposure budget over the forecast weeks (impressions × cost per thousand).' }) exposureCost!: number;
  @Field(() => Float, { description: 'P(at least one product sells out within the horizon), products taken as independent.' }) sellOutProbability!: number;
  @Field(() => Float, { description: 'The objective\'s value.' }) objectiveValue!: number;
  @Field(() => [ScenarioDriver], { description: 'Why it differs from the recommended scenario: each differing factor\'s effect.' }) drivers!: ScenarioDriver[];
  @Field(() => [ProductForecast], { description: 'Per product weekly forecast bands.' }) forecasts?: ProductForecast[];
}

export const LaunchScenarioConnection = ConnectionType('LaunchScenario', LaunchScenario, 'launch scenario');

@ObjectType({ description: 'A past launch similar to one of the new products, with its actual launch curve.' })
export class LaunchAnalog {
  forProductId!: number;
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The new product it is an analog of.' }) forProduct?: Product | null;
  @Field(() => Product, { nullable: true, description: 'The past product.' }) product?: Product | null;
  @Field(() => Float, { description: 'Content similarity, −1 to 1.' }) similarity!: number;
  @Field(() => [Float], { description: 'Its actual units in weeks 1..W after launch.' }) weeklyUnits!: number[];
}

@ObjectType({ description: 'Whether a product\'s forecast had analogs to lean on.' })
export class ProductFallback {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field({ description: 'NONE, CATEGORY or GLOBAL.' }) fallback!: string;
  @Field(() => Int, { description: 'Analogs found.' }) analogs!: number;
}

@ObjectType({ description: 'What planLaunch recommends, and why.' })
export class LaunchRecommendation {
  stored!: StoredRecommendation;
  @Field(() => LaunchScenario, { description: 'The best scenario for the objective.' }) recommended?: LaunchScenario;
  @Field(() => [LaunchScenario], { description: 'The next best scenarios, ranked.' }) alternatives?: LaunchScenario[];
  @Field(() => [LaunchAnalog], { description: 'Similar past launches per product.' }) analogs?: LaunchAnalog[];
  @Field(() => [ScenarioDriver], { description: 'Sensitivity: for each factor, its worst option against the recommended one (other factors kept).' }) drivers!: ScenarioDriver[];
  @Field(() => Float, { description: 'Sell-out probability of the recommended scenario.' }) sellOutProbability!: number;
  @Field(() => LaunchObjective, { description: 'The objective it maximises.' }) objective!: LaunchObjective;
  @Field(() => ModelVersion, { nullable: true, description: 'The demand model version used.' }) modelVersion?: ModelVersion | null;
  @Field(() => [ProductFallback], { description: 'Per product: analogs found, or the fallback curve used.' }) fallbacks!: ProductFallback[];
  @Field({ description: 'True when any product had no analogs (its forecast is a category or global average).' }) usedFallback!: boolean;
  @Field(() => [String], { description: 'Cautions: budgets beyond the exposure past launches got (the forecast extrapolates), likely sell-outs, products without analogs.' }) notes!: string[];
  @Field(() => Int, { description: 'Scenarios evaluated.' }) scenariosEvaluated!: number;
  @Field(() => Int, { description: 'Weeks forecast after launch.' }) horizonWeeks!: number;
  @Field({ description: 'When it was computed.' }) plannedAt!: Date;
}

@ObjectType({ description: 'A customer likely to buy the launch\'s products.' })
export class LaunchAudienceMember {
  customerId!: number;
  @Field(() => Customer, { nullable: true, description: 'The customer.' }) customer?: Customer | null;
  @Field(() => Float, { description: 'P(buys at least one of the products | shown them), from the conversion model.' }) probability!: number;
  @Field({ description: 'Customer-value segment (or a recency segment without a customer-value model).' }) segment!: string;
  @Field(() => Int, { description: 'Rank, 1 = most likely.' }) rank!: number;
}

export const LaunchAudienceConnection = ConnectionType('LaunchAudienceMember', LaunchAudienceMember, 'audience member');

@ObjectType({ description: 'Expected buyers of the launch in one customer segment.' })
export class LaunchAudienceSegment {
  @Field({ description: 'Segment name.' }) segment!: string;
  @Field(() => Int, { description: 'Customers in the segment.' }) customers!: number;
  @Field(() => Float, { description: 'Expected buyers if every customer of the segment is shown the products (sum of probabilities).' }) expectedBuyers!: number;
  @Field(() => Float, { description: 'Mean probability.' }) meanProbability!: number;
  @Field(() => Int, { description: 'Of them in the stored top audience.' }) inAudience!: number;
}

@ObjectType({ description: 'Whether an audience could be scored.' })
export class LaunchAudienceStatus {
  @Field({ description: 'True when the conversion model scored the customers.' }) available!: boolean;
  @Field({ description: 'What was done, or why not.' }) message!: string;
  @Field(() => Int, { description: 'Customers scored.' }) customersScored!: number;
  @Field(() => ID, { nullable: true, description: 'The conversion model version used.' }) modelVersionId!: string | null;
  @Field({ description: 'Segments are customer-value segments (true) or recency segments (false).' }) customerValueSegments!: boolean;
}

@ObjectType({ description: 'How a launch did, recorded by reviewLaunch.' })
export class LaunchReview {
  @Field({ description: 'When it was reviewed.' }) reviewedAt!: Date;
  @Field(() => Float, { nullable: true, description: 'WAPE of the median over the complete weeks (null without sales).' }) wape!: number | null;
  @Field(() => Float, { description: 'Units sold within the forecast horizon.' }) actualUnits!: number;
  @Field(() => Float, { description: 'Forecast median units for the same complete weeks.' }) forecastUnits!: number;
  @Field(() => Int, { description: 'Complete weeks compared.' }) weeksElapsed!: number;
  @Field(() => Int, { description: 'Weeks that left the P10–P90 band.' }) alerts!: number;
}

@ObjectType({ description: 'A planned (or launched) new-product launch.' })
export class Launch {
  @Field(() => ID, { description: 'Opaque global id.' }) id!: string;
  internalId!: number;
  productIds!: number[];
  config!: LaunchConfig;
  stored!: StoredRecommendation | null;
  chosenScenarioId!: number | null;
  @Field({ description: 'Name.' }) name!: string;
  @Field(() => LaunchStatus, { description: 'DRAFT, PLANNED, LAUNCHED or REVIEWED.' }) status!: LaunchStatus;
  @Field(() => LaunchObjective, { description: 'What the recommendation maximises.' }) objective!: LaunchObjective;
  @Field({ description: 'First possible launch date.' }) startDate!: Date;
  @Field({ description: 'Last possible launch date.' }) endDate!: Date;
  @Field(() => [Product], { description: 'The products.' }) products?: Product[];
  @Field(() => LaunchSettings, { description: 'The candidate settings.' }) settings?: LaunchSettings;
  @Field(() => LaunchRecommendation, { nullable: true, description: 'The latest plan (null before planLaunch).' }) recommendation?: LaunchRecommendation | null;
  @Field(() => LaunchScenario, { nullable: true, description: 'The scenario the merchant chose.' }) chosenScenario?: LaunchScenario | null;
  @Field(() => [ProductForecast], { description: 'Weekly forecast bands of the chosen scenario (else the recommended one); empty before planning.' }) forecast?: ProductForecast[];
  @Field(() => [LaunchAudienceSegment], { description: 'Expected buyers per segment.' }) audienceSegments?: LaunchAudienceSegment[];
  @Field(() => LaunchAudienceStatus, { nullable: true, description: 'Whether the audience was scored (null before planning).' }) audienceStatus?: LaunchAudienceStatus | null;
  @Field(() => LaunchReview, { nullable: true, description: 'The outcome recorded by reviewLaunch (null before).' }) review?: LaunchReview | null;
  @Field({ description: 'When it was created.' }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: 'When it was last planned.' }) plannedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it went on sale.' }) launchedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When it was reviewed.' }) reviewedAt!: Date | null;
}

export const LaunchConnection = ConnectionType('Launch', Launch, 'launch');

@ObjectType({ description: 'Result of a launch mutation.' })
export class LaunchPayload {
  @Field(() => Launch, { nullable: true, description: 'The launch, when the mutation succeeded.' }) launch!: Launch | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}

@ObjectType({ description: 'Result of deleteLaunch.' })
export class DeleteLaunchPayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted launch.' }) deletedLaunchId!: string | null;
  @Field(() => [UserError], { description: 'Problems with the input; empty on success.' }) userErrors!: UserError[];
}

@ObjectType({ description: 'Outcome of a planLaunch job.' })
export class LaunchPlanResult {
  launchInternalId!: number;
  @Field(() => ID, { description: 'The planned launch.' }) launchId!: string;
  @Field(() => Launch, { nullable: true, description: 'The planned launch.' }) launch?: Launch | null;
  @Field(() => Int, { description: 'Scenarios evaluated.' }) scenariosEvaluated!: number;
  @Field(() => Int, { description: 'Scenarios stored with their forecasts.' }) scenariosStored!: number;
  @Field(() => Int, { description: 'Customers stored in the audience.' }) audienceSize!: number;
  @Field({ description: 'What happened to the audience.' }) audienceMessage!: string;
}

@ObjectType({ description: 'Actual and forecast units of one week after launch.' })
export class LaunchPerformanceWeek {
  @Field(() => Int, { description: 'Week after launch, from 1.' }) week!: number;
  @Field({ description: 'Start of the week.' }) periodStart!: Date;
  @Field({ description: 'True when the week is over at the data clock (only complete weeks count for WAPE and alerts).' }) complete!: boolean;
  @Field(() => Float, { description: 'Units sold (cancellations and confirmed-suspicious orders excluded).' }) actualUnits!: number;
  @Field(() => Float, { description: 'Forecast P10 (for totals: the sum of product P10s, a conservative band).' }) p10!: number;
  @Field(() => Float, { description: 'Forecast median.' }) p50!: number;
  @Field(() => Float, { description: 'Forecast P90 (for totals: the sum of product P90s).' }) p90!: number;
  @Field(() => Float, { description: 'Forecast mean.' }) mean!: number;
}

@ObjectType({ description: 'One product\'s weeks since launch.' })
export class ProductPerformance {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => [LaunchPerformanceWeek], { description: 'Weeks since launch.' }) weeks!: LaunchPerformanceWeek[];
  @Field(() => Float, { nullable: true, description: 'WAPE of the median over its complete weeks (null without sales).' }) wape!: number | null;
}

@ObjectType({ description: 'A week whose actual units left the P10–P90 band.' })
export class LaunchAlert {
  productId!: number;
  @Field(() => Product, { nullable: true, description: 'The product.' }) product?: Product | null;
  @Field(() => Int, { description: 'Week after launch, from 1.' }) week!: number;
  @Field({ description: 'Start of the week.' }) periodStart!: Date;
  @Field({ description: 'ABOVE_P90 or BELOW_P10.' }) direction!: string;
  @Field(() => Float, { description: 'Units sold.' }) actualUnits!: number;
  @Field(() => Float, { description: 'Forecast P10.' }) p10!: number;
  @Field(() => Float, { description: 'Forecast P90.' }) p90!: number;
  @Field({ description: 'In words.' }) message!: string;
}

@ObjectType({ description: 'Actual sales since launch against the chosen (or recommended) scenario\'s forecast.' })
export class LaunchPerformance {
  launchInternalId!: number;
  @Field(() => Launch, { nullable: true, description: 'The launch.' }) launch?: Launch | null;
  @Field(() => LaunchScenario, { nullable: true, description: 'The scenario compared against.' }) scenario!: LaunchScenario | null;
  @Field({ description: 'Launch date the weeks count from.' }) launchedAt!: Date;
  @Field(() => Int, { description: 'Complete weeks since launch (within the forecast horizon).' }) weeksElapsed!: number;
  @Field(() => Float, { description: 'Actual units so far (within the horizon).' }) actualUnits!: number;
  @Field(() => Float, { description: 'Forecast median units for the same complete weeks.' }) forecastUnits!: number;
  @Field(() => Float, { nullable: true, description: 'WAPE so far: Σ|actual − P50| / Σ actual over complete product-weeks (null without sales).' }) wape!: number | null;
  @Field(() => [LaunchPerformanceWeek], { description: 'All products together, per week.' }) weeks!: LaunchPerformanceWeek[];
  @Field(() => [ProductPerformance], { description: 'Per product.' }) products!: ProductPerformance[];
  @Field(() => [LaunchAlert], { description: 'Complete weeks whose actuals left the P10–P90 band.' }) alerts!: LaunchAlert[];
}
