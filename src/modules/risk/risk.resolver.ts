import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import { PageArgs } from '../../graphql/relay';
import { Customer, Order } from '../catalog/catalog.types';
import { ModelJobPayload } from '../conversion/conversion.types';
import { jobFromRow } from '../jobs/job.mapper';
import { RiskFlag, RiskFlagConnection, RiskFlagPayload } from './risk.types';

@ArgsType()
class RiskFlagsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'OPEN, CONFIRMED or DISMISSED.' }) @IsOptional() status?: string;
}

@Resolver(() => RiskFlag)
export class RiskResolver {
  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Runs the risk rules over the orders (bursts of cheap orders from new accounts, quantity outliers, order/cancel cycles, shared attributes).' })
  async detectRiskFlags(@Ctx() ctx: GraphQLContext) {
    return { job: jobFromRow(await ctx.services.risk.startDetection(merchantOf(ctx))), userErrors: [] };
  }

  @Authorized(ADMIN)
  @Query(() => RiskFlagConnection, { description: 'Risk flags, newest first.' })
  riskFlags(@Args() a: RiskFlagsArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.risk.list(merchantOf(ctx), a);
  }

  @Authorized(ADMIN)
  @Mutation(() => RiskFlagPayload, { description: 'Confirms a flag (its orders leave every model\'s training data) or dismisses it.' })
  async resolveRiskFlag(@Arg('id', () => ID) id: string, @Arg('status', { description: 'CONFIRMED or DISMISSED.' }) status: string, @Ctx() ctx: GraphQLContext) {
    const { flag, userErrors } = await ctx.services.risk.resolve(merchantOf(ctx), id, status);
    return { riskFlag: flag, userErrors };
  }

  @FieldResolver(() => [Order], { description: 'The orders involved (at most 50).' })
  async orders(@Root() f: RiskFlag, @Ctx() ctx: GraphQLContext) {
    const out = await Promise.all(f.orderIds.slice(0, 50).map((id) => ctx.services.catalog.order(merchantOf(ctx), toGlobalId('Order', id))));
    return out.filter((o): o is NonNullable<typeof o> => o !== null);
  }

  @FieldResolver(() => [Customer], { description: 'The customers involved (at most 50).' })
  async customers(@Root() f: RiskFlag, @Ctx() ctx: GraphQLContext) {
    const out = await Promise.all(f.customerIds.slice(0, 50).map((id) => ctx.loaders.customer.load(id)));
    return out.filter((c): c is Customer => c !== null);
  }
}
