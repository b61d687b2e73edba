// Builds the merchant API schema from the modules' resolvers.
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth';
import { ProductResolver } from '../modules/catalog/product.resolver';
import { CustomerResolver } from '../modules/catalog/customer.resolver';
import { OrderLineResolver, OrderResolver } from '../modules/catalog/order.resolver';
import { EventResolver } from '../modules/events/event.resolver';
import { ImportResolver } from '../modules/imports/import.resolver';
import { JobResolver } from '../modules/jobs/job.resolver';
import { ModelResolver } from '../modules/models/model.resolver';
import { ConversionPredictionResolver, ConversionResolver, RecommendedProductResolver } from '../modules/conversion/conversion.resolver';
import { JobResultResolver } from '../modules/jobs/job-result.resolver';
import { CustomerValueFieldResolver, CustomerValueResolver } from '../modules/customers/customer-value.resolver';
import { RiskResolver } from '../modules/risk/risk.resolver';
import { RecommendationEvaluationResolver } from '../modules/evaluation/recommendation-evaluation.resolver';
import { PlacementResolver } from '../modules/exposure/placement.resolver';
import { EXPOSURE_RESOLVERS } from '../modules/exposure/exposure.resolver';
import { LAUNCH_RESOLVERS } from '../modules/launch/launch.resolver';

export const RESOLVERS = [
  ProductResolver, CustomerResolver, OrderResolver, OrderLineResolver, JobResolver, JobResultResolver, ImportResolver, EventResolver, ModelResolver,
  ConversionResolver, ConversionPredictionResolver, RecommendedProductResolver, CustomerValueResolver, CustomerValueFieldResolver, RiskResolver,
  RecommendationEvaluationResolver,
  PlacementResolver, ...EXPOSURE_RESOLVERS,
  ...LAUNCH_RESOLVERS,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/** The schema is the same for every process; build it once. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: RESOLVERS as unknown as [Function, ...Function[]],
    authChecker,
    validate: { forbidUnknownValues: false },
    // Our subscriptions bring their own iterators (Redis fan-out, see jobs/job-updates.ts);
    // type-graphql insists on a PubSub all the same, so give it one that is never used.
    pubSub: {
      publish: () => { throw new Error('type-graphql PubSub is not used'); },
      subscribe: () => { throw new Error('type-graphql PubSub is not used'); },
    },
  });
  return cached;
}

/** The SDL committed as schema.graphql (sorted so diffs show real changes only). */
export async function printAppSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildAppSchema())) + '\n';
}
