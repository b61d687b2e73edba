import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import { PageArgs } from '../../graphql/relay';
import { Customer, Product } from '../catalog/catalog.types';
import { ModelJobPayload } from '../conversion/conversion.types';
import { jobFromRow } from '../jobs/job.mapper';
import { modelVersionFromRow } from '../models/model.mapper';
import { ModelVersion } from '../models/model.types';
import { CreateLaunchInput, LaunchesArgs, TrainDemandInput, UpdateLaunchInput } from './launch.inputs';
import {
  DeleteLaunchPayload, Launch, LaunchAlert, LaunchAnalog, LaunchAudienceConnection, LaunchAudienceMember, LaunchAudienceSegment,
  LaunchAudienceStatus, LaunchConnection, LaunchReview, LaunchPayload, LaunchPerformance, LaunchPlanResult, LaunchProductSetting, LaunchRecommendation,
  LaunchScenario, LaunchScenarioConnection, LaunchSettings, ProductFallback, ProductForecast, ProductPerformance,
} from './launch.types';

const ALTERNATIVES = 5;

@Resolver(() => Launch)
export class LaunchResolver {
  @Authorized(ADMIN)
  @Query(() => Launch, { nullable: true, description: 'One launch.' })
  launch(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.get(merchantOf(ctx), id); }

  @Authorized(ADMIN)
  @Query(() => LaunchConnection, { description: 'Launches, newest first.' })
  launches(@Args() a: LaunchesArgs, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.list(merchantOf(ctx), a); }

  @Authorized(ADMIN)
  @Query(() => LaunchPerformance, { nullable: true, description: 'Actual weekly units since launch against the chosen (or recommended) scenario\'s forecast, WAPE so far and alerts.' })
  launchPerformance(@Arg('launchId', () => ID) launchId: string, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.performance(merchantOf(ctx), launchId); }

  @Authorized(ADMIN)
  @Mutation(() => LaunchPayload, { description: 'Creates a DRAFT launch of one or more products (DRAFT products welcome) with the candidate settings to plan over.' })
  createLaunch(@Arg('input', () => CreateLaunchInput) input: CreateLaunchInput, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.create(merchantOf(ctx), input); }

  @Authorized(ADMIN)
  @Mutation(() => LaunchPayload, { description: 'Changes a DRAFT or PLANNED launch (a PLANNED one returns to DRAFT: re-plan it).' })
  updateLaunch(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateLaunchInput) input: UpdateLaunchInput, @Ctx() ctx: GraphQLContext) {
    return ctx.services.launches.update(merchantOf(ctx), id, input);
  }

  @Authorized(ADMIN)
  @Mutation(() => DeleteLaunchPayload, { description: 'Deletes a DRAFT launch.' })
  deleteLaunch(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.remove(merchantOf(ctx), id); }

  @Authorized(ADMIN)
  @Mutation(() => LaunchPayload, { description: 'Chooses the scenario to launch with (PLANNED launches); launchPerformance compares against it.' })
  chooseLaunchScenario(@Arg('launchId', () => ID) launchId: string, @Arg('scenarioId', () => ID) scenarioId: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.launches.choose(merchantOf(ctx), launchId, scenarioId);
  }

  @Authorized(ADMIN)
  @Mutation(() => LaunchPayload, { description: 'Records that a PLANNED launch went on sale: its DRAFT products become ACTIVE with this launch date.' })
  markLaunchLaunched(
    @Arg('id', () => ID) id: string,
    @Arg('launchedAt', () => Date, { nullable: true, description: 'Launch date; default the chosen (else recommended) scenario\'s launch date.' }) launchedAt: Date | null,
    @Ctx() ctx: GraphQLContext,
  ) { return ctx.services.launches.markLaunched(merchantOf(ctx), id, launchedAt); }

  @Authorized(ADMIN)
  @Mutation(() => LaunchPayload, { description: 'Closes a LAUNCHED launch, keeping its performance at review time in the recommendation.' })
  reviewLaunch(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.review(merchantOf(ctx), id); }

  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Trains a demand model on past launches (weekly units after launch), backtests it on the most recent launches against a category-average curve and analog-kNN, and promotes it when it beats the active version.' })
  async trainDemandModel(@Arg('input', () => TrainDemandInput, { defaultValue: {} }) input: TrainDemandInput, @Ctx() ctx: GraphQLContext) {
    const { job, userErrors } = await ctx.services.launches.startTraining(merchantOf(ctx), { weeks: input.weeks ?? 8, epochs: input.epochs, force: input.force ?? false });
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Evaluates the launch\'s grid with the active demand model, stores the ranked scenarios with weekly forecast bands and the audience, and marks it PLANNED.' })
  async planLaunch(@Arg('launchId', () => ID) launchId: string, @Ctx() ctx: GraphQLContext) {
    const { job, userErrors } = await ctx.services.launches.startPlanning(merchantOf(ctx), launchId);
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @FieldResolver(() => [Product], { description: 'The products.' })
  async products(@Root() l: Launch, @Ctx() ctx: GraphQLContext) {
    return (await Promise.all(l.productIds.map((id) => ctx.loaders.product.load(id)))).filter((p): p is Product => p !== null);
  }

  @FieldResolver(() => LaunchSettings, { description: 'The candidate settings.' })
  settings(@Root() l: Launch, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.settings(l); }

  @FieldResolver(() => LaunchRecommendation, { nullable: true, description: 'The latest plan (null before planLaunch).' })
  recommendation(@Root() l: Launch): LaunchRecommendation | null {
    const s = l.stored;
    if (!s || l.status === 'DRAFT') return null;
    return {
      stored: s, drivers: s.drivers, sellOutProbability: s.sellOutProbability, objective: s.objective as LaunchRecommendation['objective'],
      fallbacks: s.products.map((p) => ({ productId: p.productId, fallback: p.fallback, analogs: p.analogs.length })),
      usedFallback: s.products.some((p) => p.fallback !== 'NONE'), scenariosEvaluated: s.scenariosEvaluated, horizonWeeks: s.horizonWeeks, notes: s.notes ?? [],
      plannedAt: new Date(s.plannedAt), launchInternalId: l.internalId, launch: l,
    } as LaunchRecommendation;
  }

  @FieldResolver(() => LaunchScenarioConnection, { description: 'Stored scenarios by rank (the best ones of the grid, with forecasts).' })
  scenarios(@Root() l: Launch, @Args() a: PageArgs, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.scenarios(merchantOf(ctx), l, a); }

  @FieldResolver(() => LaunchScenario, { nullable: true, description: 'The scenario the merchant chose.' })
  chosenScenario(@Root() l: Launch, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.chosen(merchantOf(ctx), l); }

  @FieldResolver(() => [ProductForecast], { description: 'Weekly forecast bands of the chosen scenario (else the recommended one); empty before planning.' })
  forecast(@Root() l: Launch, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.forecast(merchantOf(ctx), l); }

  @FieldResolver(() => LaunchAudienceConnection, { description: 'Customers most likely to buy, best first (at most 1,000 stored).' })
  audience(@Root() l: Launch, @Args() a: PageArgs, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.audience(merchantOf(ctx), l, a); }

  @FieldResolver(() => [LaunchAudienceSegment], { description: 'Expected buyers per segment.' })
  audienceSegments(@Root() l: Launch): LaunchAudienceSegment[] { return l.status === 'DRAFT' ? [] : l.stored?.audience.segments ?? []; }

  @FieldResolver(() => LaunchReview, { nullable: true, description: 'The outcome recorded by reviewLaunch (null before).' })
  review(@Root() l: Launch): LaunchReview | null {
    const r = l.stored?.review;
    return r ? { ...r, reviewedAt: new Date(r.reviewedAt) } : null;
  }

  @FieldResolver(() => LaunchAudienceStatus, { nullable: true, description: 'Whether the audience was scored (null before planning).' })
  audienceStatus(@Root() l: Launch): LaunchAudienceStatus | null {
    const a = l.status === 'DRAFT' ? null : l.stored?.audience;
    if (!a) return null;
    return { available: a.available, message: a.message, customersScored: a.customersScored, customerValueSegments: a.customerValueSegments,
      modelVersionId: a.modelVersionId === null ? null : modelVersionGid(a.modelVersionId) };
  }
}

const modelVersionGid = (id: number) => toGlobalId('ModelVersion', id);

@Resolver(() => LaunchRecommendation)
export class LaunchRecommendationResolver {
  @FieldResolver(() => LaunchScenario, { nullable: true, description: 'The best scenario for the objective.' })
  async recommended(@Root() r: LaunchRecommendation & { launch: Launch }, @Ctx() ctx: GraphQLContext) {
    return (await ctx.services.launches.topScenarios(merchantOf(ctx), r.launch, 1))[0] ?? null;
  }

  @FieldResolver(() => [LaunchScenario], { description: 'The next best scenarios, ranked (up to 5).' })
  async alternatives(@Root() r: LaunchRecommendation & { launch: Launch }, @Ctx() ctx: GraphQLContext) {
    return (await ctx.services.launches.topScenarios(merchantOf(ctx), r.launch, ALTERNATIVES + 1)).slice(1);
  }

  @FieldResolver(() => [LaunchAnalog], { description: 'Similar past launches per product, with their actual curves.' })
  analogs(@Root() r: LaunchRecommendation): LaunchAnalog[] {
    return r.stored.products.flatMap((p) => p.analogs.map((a) => ({ forProductId: p.productId, productId: a.productId, similarity: a.similarity, weeklyUnits: a.weeklyUnits })));
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: 'The demand model version used.' })
  async modelVersion(@Root() r: LaunchRecommendation, @Ctx() ctx: GraphQLContext) {
    const v = await ctx.services.models.get(merchantOf(ctx), r.stored.modelVersionId);
    return v ? modelVersionFromRow(v) : null;
  }
}

@Resolver(() => LaunchScenario)
export class LaunchScenarioResolver {
  @FieldResolver(() => [ProductForecast], { description: 'Per product weekly forecast bands.' })
  forecasts(@Root() s: LaunchScenario, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.forecasts(merchantOf(ctx), s); }
}

/** `product` fields of the launch's helper types, through the per-request loader. */
function productField<T extends { productId: number }>(cls: new () => T, description = 'The product.') {
  @Resolver(() => cls)
  class ProductFieldResolver {
    @FieldResolver(() => Product, { nullable: true, description })
    product(@Root() x: T, @Ctx() ctx: GraphQLContext) { return ctx.loaders.product.load(x.productId); }
  }
  return ProductFieldResolver;
}

export const LaunchProductSettingResolver = productField(LaunchProductSetting);
export const ProductForecastResolver = productField(ProductForecast);
export const ProductFallbackResolver = productField(ProductFallback);
export const ProductPerformanceResolver = productField(ProductPerformance);
export const LaunchAlertResolver = productField(LaunchAlert);

@Resolver(() => LaunchAnalog)
export class LaunchAnalogResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The past product.' })
  product(@Root() a: LaunchAnalog, @Ctx() ctx: GraphQLContext) { return ctx.loaders.product.load(a.productId); }

  @FieldResolver(() => Product, { nullable: true, description: 'The new product it is an analog of.' })
  forProduct(@Root() a: LaunchAnalog, @Ctx() ctx: GraphQLContext) { return ctx.loaders.product.load(a.forProductId); }
}

@Resolver(() => LaunchAudienceMember)
export class LaunchAudienceMemberResolver {
  @FieldResolver(() => Customer, { nullable: true, description: 'The customer.' })
  customer(@Root() m: LaunchAudienceMember, @Ctx() ctx: GraphQLContext) { return ctx.loaders.customer.load(m.customerId); }
}

@Resolver(() => LaunchPerformance)
export class LaunchPerformanceResolver {
  @FieldResolver(() => Launch, { nullable: true, description: 'The launch.' })
  launch(@Root() p: LaunchPerformance, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.byId(merchantOf(ctx), p.launchInternalId); }
}

@Resolver(() => LaunchPlanResult)
export class LaunchPlanResultResolver {
  @FieldResolver(() => Launch, { nullable: true, description: 'The planned launch.' })
  launch(@Root() p: LaunchPlanResult, @Ctx() ctx: GraphQLContext) { return ctx.services.launches.get(merchantOf(ctx), p.launchId); }
}

export const LAUNCH_RESOLVERS = [
  LaunchResolver, LaunchRecommendationResolver, LaunchScenarioResolver, LaunchProductSettingResolver, ProductForecastResolver, ProductFallbackResolver,
  ProductPerformanceResolver, LaunchAlertResolver, LaunchAnalogResolver, LaunchAudienceMemberResolver, LaunchPerformanceResolver, LaunchPlanResultResolver,
] as const;
