import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { ProductInput, ProductsArgs } from './catalog.inputs';
import { Product, ProductConnection, ProductPayload, Shop } from './catalog.types';

@Resolver(() => Product)
export class ProductResolver {
  @Authorized(ADMIN)
  @Query(() => ProductConnection, { description: 'The catalogue, filtered and sorted, a page at a time.' })
  products(@Args() a: ProductsArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.listProducts(merchantOf(ctx), {
      first: a.first, after: a.after, sort: a.sortKey, asOf: a.asOf,
      filter: { category: a.category, brand: a.brand, status: a.status, query: a.query, longTail: a.longTail, isNew: a.isNew },
    });
  }

  @Authorized(ADMIN)
  @Query(() => Product, { nullable: true, description: 'One product by its global id.' })
  product(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.product(merchantOf(ctx), id);
  }

  @Authorized(ADMIN)
  @Query(() => Product, { nullable: true, description: 'One product by the merchant\'s own id.' })
  productByExternalId(@Arg('externalId') externalId: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.productByExternalId(merchantOf(ctx), externalId);
  }

  @Authorized(ADMIN)
  @Mutation(() => ProductPayload, { description: 'Creates a product, or updates the one with the same external id.' })
  productUpsert(@Arg('input', () => ProductInput) input: ProductInput, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.upsertProduct(merchantOf(ctx), input);
  }

  @Authorized(ADMIN)
  @Mutation(() => ProductPayload, { description: 'Archives a product: it stays in history and models but is no longer on sale.' })
  productArchive(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.archiveProduct(merchantOf(ctx), id);
  }

  @Authorized()
  @Query(() => Shop, { description: 'The merchant that owns the API key.' })
  shop(@Ctx() ctx: GraphQLContext) {
    return ctx.services.catalog.shop(merchantOf(ctx));
  }
}
