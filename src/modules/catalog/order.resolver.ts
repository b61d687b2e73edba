import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { OrdersArgs } from './catalog.inputs';
import { Customer, Order, OrderConnection, OrderLine, Product } from './catalog.types';

@Resolver(() => Order)
export class OrderResolver {
  @Authorized(ADMIN)
  @Query(() => OrderConnection, { description: 'Orders, newest first.' })
  orders(@Args() a: OrdersArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.listOrders(merchantOf(ctx), {
      first: a.first, after: a.after, customerId: a.customerId, filter: { status: a.status, from: a.from, to: a.to },
    });
  }

  @Authorized(ADMIN)
  @Query(() => Order, { nullable: true, description: 'One order by global id.' })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.order(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Query(() => Order, { nullable: true, description: 'One order by the merchant\'s own order id.' })
  orderByExternalId(@Arg('externalId') externalId: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.orderByExternalId(merchantOf(ctx), externalId);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer; null for guest orders.' })
  customer(@Root() o: Order, @Ctx() ctx: GraphQLContext) {
    return o.customerInternalId === null ? null : ctx.loaders.customer.load(o.customerInternalId);
  }
}

@Resolver(() => OrderLine)
export class OrderLineResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product sold (or returned).' })
  product(@Root() l: OrderLine, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.product.load(l.productId);
  }
}
