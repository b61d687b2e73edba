// A finished job's result is stored inline (small results such as ImportResult) or as a reference
// { __typename, id } to a row (ModelVersion, RecommendationEvaluation, ...): references are loaded
// here, within the merchant.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { modelVersionFromRow } from '../models/model.mapper';
import { Job, JobResult } from './job.types';

@Resolver(() => Job)
export class JobResultResolver {
  @FieldResolver(() => JobResult, { nullable: true, description: 'The outcome, once COMPLETED.' })
  async result(@Root() job: Job, @Ctx() ctx: GraphQLContext): Promise<unknown> {
    const r = job.result as { __typename?: string; id?: number } | null;
    if (!r?.__typename) return null;
    if (r.__typename === 'ModelVersion' && typeof r.id === 'number') {
      const row = await ctx.services.models.get(merchantOf(ctx), r.id);
      return row ? { __typename: 'ModelVersion', ...modelVersionFromRow(row) } : null;
    }
    if (r.__typename === 'RecommendationEvaluation' && typeof r.id === 'number') {
      const e = await ctx.services.recommendationEvaluations.byId(merchantOf(ctx), r.id);
      return e ? { __typename: 'RecommendationEvaluation', ...e } : null;
    }
    if (r.__typename === 'ExposurePlan' && typeof r.id === 'number') {
      const plan = await ctx.services.exposure.byId(merchantOf(ctx), r.id);
      return plan ? { __typename: 'ExposurePlan', ...plan } : null;
    }
    return r;
  }
}
