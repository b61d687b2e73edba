// Inputs of the exposure-plan mutations. Ranges are checked by the service (userErrors), not by
// class-validator, so every bad value comes back in the payload.
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { ExposurePlanStatus } from '../../db/generated/enums';
import { PageArgs } from '../../graphql/relay';
import { ExposureAllocationSort } from './exposure.types';

@InputType({ description: 'Bounds on one product\'s impressions, overriding the plan defaults.' })
export class ExposureProductBoundInput {
  @Field(() => ID, { description: 'The product.' }) productId!: string;
  @Field(() => Int, { nullable: true, description: 'Least impressions (a hard floor).' }) minImpressions?: number | null;
  @Field(() => Int, { nullable: true, description: 'Most impressions (a hard cap).' }) maxImpressions?: number | null;
}

@InputType({ description: 'What to plan: a placement, a budget and the constraints on how impressions are spread.' })
export class GenerateExposurePlanInput {
  @Field(() => ID, { description: 'The placement.' }) placementId!: string;
  @Field(() => Int, { defaultValue: 7, description: 'Days the plan covers, 1–365.' }) horizonDays: number = 7;
  @Field(() => Int, { nullable: true, description: 'Impressions to place. Default: slots × expected daily impressions × horizon.' }) impressionBudget?: number | null;
  @Field(() => [String], { nullable: true, description: 'Only products in these categories (or their sub-categories).' }) categories?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Products to leave out.' }) excludeProductIds?: string[] | null;
  @Field(() => Float, { defaultValue: 0, description: 'Least share of impressions on long-tail products, 0–1.' }) longTailMinShare: number = 0;
  @Field(() => Float, { defaultValue: 0.1, description: 'Most of the budget that may go to exploring products the plan would otherwise leave out, 0–1: each gets impressions in proportion to its chance of beating the product it displaces, so less is spent as estimates sharpen (and less if the guardrail needs it).' }) explorationShare: number = 0.1;
  @Field(() => Float, { defaultValue: 0.05, description: 'ε, 0–1: expected conversions must stay ≥ (1 − ε) × the conversion-greedy plan\'s.' }) maxConversionLoss: number = 0.05;
  @Field(() => Int, { defaultValue: 0, description: 'Least impressions of every candidate (a hard floor).' }) minImpressionsPerProduct: number = 0;
  @Field(() => Int, { nullable: true, description: 'Most impressions of any candidate (a hard cap); default none.' }) maxImpressionsPerProduct?: number | null;
  @Field(() => [ExposureProductBoundInput], { nullable: true, description: 'Per-product bounds overriding the defaults.' }) productBounds?: ExposureProductBoundInput[] | null;
  @Field(() => Int, { nullable: true, description: 'Seed of the exploration draws (the same input, data and seed give the same plan). Default: random, recorded on the plan.' }) seed?: number | null;
}

@ArgsType()
export class ExposurePlansArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only plans of this placement.' }) @IsOptional() placementId?: string;
  @Field(() => ExposurePlanStatus, { nullable: true, description: 'Only plans in this state.' }) @IsOptional() status?: ExposurePlanStatus;
}

@ArgsType()
export class ExposureAllocationsArgs extends PageArgs {
  @Field(() => ExposureAllocationSort, { defaultValue: ExposureAllocationSort.IMPRESSIONS, description: 'Sort key.' }) sortKey: ExposureAllocationSort = ExposureAllocationSort.IMPRESSIONS;
  @Field({ defaultValue: true, description: 'Largest first (default).' }) reverse: boolean = true;
  @Field({ defaultValue: false, description: 'Only products with impressions.' }) exposedOnly: boolean = false;
}
