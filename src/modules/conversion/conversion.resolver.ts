import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import { ADMIN, STOREFRONT } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { Product } from '../catalog/catalog.types';
import { jobFromRow } from '../jobs/job.mapper';
import { ConversionPrediction, ConversionPredictionList, ModelJobPayload, RetrainingSchedulePayload, RecommendationList, RecommendationMode, RecommendedProduct } from './conversion.types';

@InputType({ description: 'How to train a conversion model.' })
class TrainConversionModelInput {
  @Field(() => Int, { defaultValue: 7, description: 'A purchase within this many days after an exposure counts as its conversion.' })
  @Min(1) @Max(60) labelWindowDays: number = 7;
  @Field(() => Int, { defaultValue: 365, description: 'Days of history before the data clock to learn from.' })
  @Min(14) @Max(1095) historyDays: number = 365;
  @Field(() => Int, { nullable: true, description: 'Upper bound on training epochs (early stopping usually ends sooner).' })
  @IsOptional() @Min(1) @Max(50) maxEpochs?: number;
  @Field({ defaultValue: false, description: 'Promote the new version even if it does not beat the active one.' }) force: boolean = false;
}

@ArgsType()
class RecommendationsArgs {
  @Field(() => ID, { description: 'The customer (global id).' }) customerId!: string;
  @Field(() => Int, { defaultValue: 10, description: 'List length, 1–100.' }) @Min(1) @Max(100) first: number = 10;
  @Field(() => Float, { defaultValue: 0, description: 'Least share of long-tail products in the list, 0–1; met at the smallest loss of expected conversions.' })
  @Min(0) @Max(1) longTailShare: number = 0;
  @Field(() => RecommendationMode, { defaultValue: RecommendationMode.MIXED, description: 'Discovery, repurchase or both.' })
  mode: RecommendationMode = RecommendationMode.MIXED;
  @Field(() => [String], { nullable: true, description: 'Only products in these categories (exact names, 1–100); every category when omitted. A list none of whose names has an active product is an error.' })
  categories?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'Products to leave out, e.g. those already in the cart or elsewhere on the page (at most 1,000).' })
  excludeProductIds?: string[] | null;
  @Field({ defaultValue: false, description: 'Also recommend products whose tracked stock is 0 or less (products without tracked stock are always eligible). Stock is read at most 30 s ago; product writes and launches through this API server show at once.' })
  includeOutOfStock: boolean = false;
}

@Resolver()
export class ConversionResolver {
  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Trains a conversion model version; it is promoted if it beats the active one on the held-out split (or when forced). The job reports each epoch.' })
  async trainConversionModel(@Arg('input', () => TrainConversionModelInput, { defaultValue: {} }) input: TrainConversionModelInput, @Ctx() ctx: GraphQLContext) {
    const { job, userErrors } = await ctx.services.conversion.startTraining(merchantOf(ctx), {
      force: input.force ?? false, labelWindowDays: input.labelWindowDays ?? 7, historyDays: input.historyDays ?? 365, maxEpochs: input.maxEpochs,
    });
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @Authorized(ADMIN)
  @Mutation(() => ModelJobPayload, { description: 'Scores every customer\'s top K products with the active model (a flow of customer shards that several workers share).' })
  async scoreConversions(@Arg('topK', () => Int, { defaultValue: 20, description: 'Products kept per customer, 1–100.' }) topK: number, @Ctx() ctx: GraphQLContext) {
    const { job, userErrors } = await ctx.services.conversion.startScoring(merchantOf(ctx), topK);
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @Authorized(ADMIN)
  @Mutation(() => RetrainingSchedulePayload, { description: 'Retrains the conversion model every N days (0 stops it). Each run is a normal training job, promoted only if better.' })
  scheduleConversionRetraining(@Arg('everyDays', () => Int) everyDays: number, @Ctx() ctx: GraphQLContext) {
    return ctx.services.conversion.scheduleRetraining(merchantOf(ctx), everyDays);
  }

  @Authorized(ADMIN, STOREFRONT)
  @Query(() => ConversionPredictionList, { description: 'Calibrated P(buy | shown) of each product for one customer, from the active model. Placement is optional (e.g. home, category, search, pdp_recs).' })
  conversionPredictions(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('productIds', () => [ID], { description: 'At most 250 products.' }) productIds: string[],
    @Arg('placement', () => String, { nullable: true, description: 'Where the products would be shown.' }) placement: string | undefined,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.services.conversion.predict(merchantOf(ctx), customerId, productIds, placement ?? undefined);
  }

  @Authorized(ADMIN, STOREFRONT)
  @Query(() => RecommendationList, { description: 'Products ranked by predicted conversion for a customer, with a long-tail knob and what it cost.' })
  recommendations(@Args() a: RecommendationsArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.conversion.recommend(merchantOf(ctx), a.customerId, a.first, a.longTailShare, a.mode,
      { categories: a.categories, excludeProductIds: a.excludeProductIds, includeOutOfStock: a.includeOutOfStock });
  }
}

@Resolver(() => ConversionPrediction)
export class ConversionPredictionResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product.' })
  product(@Root() p: ConversionPrediction, @Ctx() ctx: GraphQLContext) { return ctx.loaders.product.load(p.productId); }
}

@Resolver(() => RecommendedProduct)
export class RecommendedProductResolver {
  @FieldResolver(() => Product, { nullable: true, description: 'The product.' })
  product(@Root() p: RecommendedProduct, @Ctx() ctx: GraphQLContext) { return ctx.loaders.product.load(p.productId); }
}

