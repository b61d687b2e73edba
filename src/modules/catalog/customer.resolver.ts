import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { PageArgs } from '../../graphql/relay';
import { CustomersArgs } from './catalog.inputs';
import { Customer, CustomerConnection, OrderConnection } from './catalog.types';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(ADMIN)
  @Query(() => CustomerConnection, { description: 'Customers in creation order.' })
  customers(@Args() a: CustomersArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.listCustomers(merchantOf(ctx), a);
  }

  @Authorized(ADMIN)
  @Query(() => Customer, { nullable: true, description: 'One customer by global id.' })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.customer(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Query(() => Customer, { nullable: true, description: 'One customer by the merchant\'s own id.' })
  customerByExternalId(@Arg('externalId') externalId: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.customerByExternalId(merchantOf(ctx), externalId);
  }

  @FieldResolver(() => OrderConnection, { description: 'The customer\'s orders, newest first.' })
  orders(@Root() c: Customer, @Args() a: PageArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.listOrders(merchantOf(ctx), { first: a.first, after: a.after, filter: {}, customerId: c.id });
  }
}
