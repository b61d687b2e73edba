import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ADMIN, STOREFRONT } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { Product } from '../catalog/catalog.types';
import { jobFromRow } from '../jobs/job.mapper';
import { ExposureAllocationsArgs, ExposurePlansArgs, GenerateExposurePlanInput } from './exposure.inputs';
import {
  ActiveExposureItem, ActiveExposurePlan, ExposureAllocation, ExposureAllocationConnection, ExposurePlan, ExposurePlanConnection,
  ExposurePlanJobPayload, ExposurePlanPayload, ExposurePlanPerformance, ExposureProductPerformance, ExposureReplanCandidate,
} from './exposure.types';
import { Placement } from './placement.types';
import type { PlanJobResult } from './exposure.service';

const jobPayload = (r: PlanJobResult) => ({ ...r, job: r.job ? jobFromRow(r.job) : null });

@Resolver(() => ExposurePlan)
export class ExposureResolver {
  @Authorized(ADMIN)
  @Mutation(() => ExposurePlanJobPayload, { description: 'Plans a placement\'s impressions as a job; the result is a DRAFT ExposurePlan (the next version for the placement). Infeasible constraints come back as userErrors with the trade-off curve.' })
  async generateExposurePlan(@Arg('input', () => GenerateExposurePlanInput) input: GenerateExposurePlanInput, @Ctx() ctx: GraphQLContext) {
    return jobPayload(await ctx.services.exposure.generate(merchantOf(ctx), input));
  }

  @Authorized(ADMIN)
  @Mutation(() => ExposurePlanJobPayload, { description: 'Re-plans with the same settings and posteriors updated by the data since the plan was activated: a new DRAFT version pointing at this plan.' })
  async replanExposure(@Arg('planId', () => ID) planId: string, @Ctx() ctx: GraphQLContext) {
    return jobPayload(await ctx.services.exposure.replan(merchantOf(ctx), planId));
  }

  @Authorized(ADMIN)
  @Mutation(() => ExposurePlanPayload, { description: 'Approves a DRAFT plan.' })
  approveExposurePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.approve(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Mutation(() => ExposurePlanPayload, { description: 'Puts an APPROVED plan live at its placement; the placement\'s previously active plan is archived in the same step.' })
  activateExposurePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.activate(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Mutation(() => ExposurePlanPayload, { description: 'Archives a plan (draft, approved or active).' })
  archiveExposurePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.archive(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Query(() => ExposurePlan, { nullable: true, description: 'One exposure plan by id.' })
  exposurePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.get(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Query(() => ExposurePlanConnection, { description: 'Exposure plans, newest first.' })
  exposurePlans(@Args() a: ExposurePlansArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.list(merchantOf(ctx), a);
  }

  @Authorized(ADMIN)
  @Query(() => ExposurePlanPerformance, { nullable: true, description: 'Served against planned since activation, realised long-tail share, coverage and Gini, pacing, and the products worth re-planning.' })
  exposurePlanPerformance(@Arg('planId', () => ID) planId: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Products listed, 1–250.' }) first: number, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.performance(merchantOf(ctx), planId, first);
  }

  @Authorized(ADMIN, STOREFRONT)
  @Query(() => ActiveExposurePlan, { nullable: true, description: 'The active plan of a placement, by handle, as a storefront serves it (null when none is active). Safe for storefront keys.' })
  activeExposurePlan(@Arg('placementHandle', () => String) handle: string,
    @Arg('first', () => Int, { defaultValue: 100, description: 'Products listed, 1–250.' }) first: number, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.activePlan(merchantOf(ctx), handle, first);
  }

  @FieldResolver(() => Placement, { nullable: true, description: 'Where the plan serves.' })
  placement(@Root() p: ExposurePlan, @Ctx() ctx: GraphQLContext) {
    return ctx.services.placements.byId(merchantOf(ctx), p.placementInternalId);
  }

  @FieldResolver(() => ExposureAllocationConnection, { description: 'Per-product allocations, most impressions first by default.' })
  allocations(@Root() p: ExposurePlan, @Args() a: ExposureAllocationsArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.exposure.allocations(merchantOf(ctx), p.internalId, a);
  }
}

const product = (id: number, ctx: GraphQLContext) => ctx.loaders.product.load(id);

@Resolver(() => ExposureAllocation)
export class ExposureAllocationResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product.' })
  product(@Root() r: ExposureAllocation, @Ctx() ctx: GraphQLContext) { return product(r.productId, ctx); }
}

@Resolver(() => ExposureProductPerformance)
export class ExposureProductPerformanceResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product.' })
  product(@Root() r: ExposureProductPerformance, @Ctx() ctx: GraphQLContext) { return product(r.productId, ctx); }
}

@Resolver(() => ExposureReplanCandidate)
export class ExposureReplanCandidateResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product.' })
  product(@Root() r: ExposureReplanCandidate, @Ctx() ctx: GraphQLContext) { return product(r.productId, ctx); }
}

@Resolver(() => ActiveExposureItem)
export class ActiveExposureItemResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product.' })
  product(@Root() r: ActiveExposureItem, @Ctx() ctx: GraphQLContext) { return product(r.productId, ctx); }
}

export const EXPOSURE_RESOLVERS = [ExposureResolver, ExposureAllocationResolver, ExposureProductPerformanceResolver, ExposureReplanCandidateResolver, ActiveExposureItemResolver] as const;
