// Inputs of the launch-planning mutations. Ranges are checked by the service (launch-config.ts) so a
// bad value comes back as a userError, not as a GraphQL validation error.
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { LaunchStatus } from '../../db/generated/enums';
import { PageArgs } from '../../graphql/relay';

export enum LaunchObjective { UNITS = 'UNITS', REVENUE = 'REVENUE', GROSS_MARGIN = 'GROSS_MARGIN' }
registerEnumType(LaunchObjective, {
  name: 'LaunchObjective',
  description: 'What the recommended launch scenario maximises (inventory is always respected).',
  valuesConfig: {
    UNITS: { description: 'Expected units sold over the forecast horizon.' },
    REVENUE: { description: 'Expected revenue (at the promoted price during promotion weeks).' },
    GROSS_MARGIN: { description: 'Expected revenue minus unit cost × units.' },
  },
});
registerEnumType(LaunchStatus, {
  name: 'LaunchStatus',
  description: 'Where a launch is in its lifecycle.',
  valuesConfig: {
    DRAFT: { description: 'Being prepared; editable and deletable.' },
    PLANNED: { description: 'planLaunch produced a recommendation; a scenario may be chosen.' },
    LAUNCHED: { description: 'On sale: launchPerformance tracks actuals against the forecast.' },
    REVIEWED: { description: 'Closed; its actuals feed the next demand-model training like any launch.' },
  },
});

@InputType({ description: 'A product of the launch with its stock and cost.' })
export class LaunchProductInput {
  @Field(() => ID, { description: 'The product (it may be a DRAFT product without sales).' }) productId!: string;
  @Field(() => Int, { nullable: true, description: 'Units available for the launch; omit for no limit. Forecast sales are capped by it.' }) @IsOptional() inventory?: number | null;
  @Field(() => Float, { nullable: true, description: 'Unit cost for the margin; default the product\'s cost (0 when it has none).' }) @IsOptional() unitCost?: number | null;
}

@InputType({ description: 'A promotion option: a discount off the candidate price during the first weeks.' })
export class LaunchPromotionInput {
  @Field(() => Float, { description: 'Fractional discount, 0 ≤ discount < 0.95 (0 = no promotion).' }) discount!: number;
  @Field(() => Int, { description: 'Weeks the discount runs from the launch date (0 with discount 0).' }) weeks!: number;
}

@InputType({ description: 'An exposure budget: impressions per week the launch gets in a placement.' })
export class LaunchExposureBudgetInput {
  @Field({ defaultValue: 'new_arrivals', description: 'Placement handle where the products are shown.' }) placement: string = 'new_arrivals';
  @Field(() => Int, { description: 'Impressions per week per product during its first weeks.' }) weeklyImpressions!: number;
  @Field(() => Float, { defaultValue: 0, description: 'Opportunity cost of 1,000 impressions in this placement, in the shop currency (default 0): charged against the gross margin over the forecast weeks, so a bigger budget must earn its keep.' }) costPerThousand: number = 0;
}

@InputType({ description: 'A new launch: products, a date range and the candidate settings to evaluate.' })
export class CreateLaunchInput {
  @Field({ description: 'Name of the launch, e.g. "Spring grooming range".' }) name!: string;
  @Field(() => [LaunchProductInput], { description: 'The products launched together (1–20).' }) products!: LaunchProductInput[];
  @Field({ description: 'First possible launch date (not before the shop\'s data clock).' }) startDate!: Date;
  @Field({ description: 'Last possible launch date; every week from startDate up to it is a candidate launch week.' }) endDate!: Date;
  @Field(() => [Float], { nullable: true, description: 'Candidate prices as multipliers of each product\'s list price (default [1]); e.g. [0.9, 1, 1.1].' }) @IsOptional() priceMultipliers?: number[];
  @Field(() => [LaunchPromotionInput], { nullable: true, description: 'Promotion options (default: no promotion only).' }) @IsOptional() promotions?: LaunchPromotionInput[];
  @Field(() => [LaunchExposureBudgetInput], { description: 'Exposure budgets to compare (at least one).' }) exposureBudgets!: LaunchExposureBudgetInput[];
  @Field(() => LaunchObjective, { defaultValue: LaunchObjective.GROSS_MARGIN, description: 'What the recommendation maximises.' }) objective: LaunchObjective = LaunchObjective.GROSS_MARGIN;
}

@InputType({ description: 'Changes to a DRAFT or PLANNED launch; omitted fields keep their value. A PLANNED launch returns to DRAFT (its plan is discarded).' })
export class UpdateLaunchInput {
  @Field(() => String, { nullable: true, description: 'New name.' }) @IsOptional() name?: string;
  @Field(() => [LaunchProductInput], { nullable: true, description: 'Replaces the products.' }) @IsOptional() products?: LaunchProductInput[];
  @Field(() => Date, { nullable: true, description: 'New first possible launch date.' }) @IsOptional() startDate?: Date;
  @Field(() => Date, { nullable: true, description: 'New last possible launch date.' }) @IsOptional() endDate?: Date;
  @Field(() => [Float], { nullable: true, description: 'Replaces the candidate price multipliers.' }) @IsOptional() priceMultipliers?: number[];
  @Field(() => [LaunchPromotionInput], { nullable: true, description: 'Replaces the promotion options.' }) @IsOptional() promotions?: LaunchPromotionInput[];
  @Field(() => [LaunchExposureBudgetInput], { nullable: true, description: 'Replaces the exposure budgets.' }) @IsOptional() exposureBudgets?: LaunchExposureBudgetInput[];
  @Field(() => LaunchObjective, { nullable: true, description: 'New objective.' }) @IsOptional() objective?: LaunchObjective;
}

@InputType({ description: 'How to train the demand model.' })
export class TrainDemandInput {
  @Field(() => Int, { defaultValue: 8, description: 'Weeks after launch the model forecasts (1–26).' }) weeks: number = 8;
  @Field(() => Int, { nullable: true, description: 'Training epochs (1–500; default the model\'s own).' }) @IsOptional() epochs?: number;
  @Field({ defaultValue: false, description: 'Promote even if its backtest does not beat the active version.' }) force: boolean = false;
}

@ArgsType()
export class LaunchesArgs extends PageArgs {
  @Field(() => LaunchStatus, { nullable: true, description: 'Only launches in this status.' }) @IsOptional() status?: LaunchStatus;
}
