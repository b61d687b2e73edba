import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { PageArgs } from '../../graphql/relay';
import { CreatePlacementInput, Placement, PlacementConnection, PlacementPayload, UpdatePlacementInput } from './placement.types';

@Resolver(() => Placement)
export class PlacementResolver {
  @Authorized(ADMIN)
  @Mutation(() => PlacementPayload, { description: 'Creates a placement (a surface with slots where products are shown).' })
  createPlacement(@Arg('input', () => CreatePlacementInput) input: CreatePlacementInput, @Ctx() ctx: GraphQLContext) {
    return ctx.services.placements.create(merchantOf(ctx), input);
  }

  @Authorized(ADMIN)
  @Mutation(() => PlacementPayload, { description: 'Changes a placement\'s handle, name, slots or expected daily impressions.' })
  updatePlacement(@Arg('id', () => ID) id: string, @Arg('input', () => UpdatePlacementInput) input: UpdatePlacementInput, @Ctx() ctx: GraphQLContext) {
    return ctx.services.placements.update(merchantOf(ctx), id, input);
  }

  @Authorized(ADMIN)
  @Query(() => PlacementConnection, { description: 'The merchant\'s placements, oldest first.' })
  placements(@Args() a: PageArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.placements.list(merchantOf(ctx), a);
  }

  @Authorized(ADMIN)
  @Query(() => Placement, { nullable: true, description: 'One placement by id.' })
  placement(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.placements.get(merchantOf(ctx), id);
  }
}
