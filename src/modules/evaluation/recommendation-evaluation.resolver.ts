import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN } from '../../graphql/auth';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { PageArgs } from '../../graphql/relay';
import { jobFromRow } from '../jobs/job.mapper';
import {
  EvaluateRecommendationsInput, EvaluateRecommendationsPayload, RecommendationEvaluation, RecommendationEvaluationConnection,
} from './recommendation-evaluation.types';

@Resolver()
export class RecommendationEvaluationResolver {
  @Authorized(ADMIN)
  @Mutation(() => EvaluateRecommendationsPayload, { description: 'Evaluates `recommendations` offline: trains a throwaway model on the data before a split (the active model is untouched), replays the lists at each long-tail share for customers who bought after it, beside a popularity baseline, and stores the metrics.' })
  async evaluateRecommendations(@Arg('input', () => EvaluateRecommendationsInput, { defaultValue: {} }) input: EvaluateRecommendationsInput, @Ctx() ctx: GraphQLContext) {
    const d = new EvaluateRecommendationsInput();
    const { job, userErrors } = await ctx.services.recommendationEvaluations.start(merchantOf(ctx), {
      testDays: input.testDays ?? d.testDays, ks: input.ks ?? d.ks, shares: input.shares ?? d.shares,
      maxCustomers: input.maxCustomers ?? d.maxCustomers, seed: input.seed ?? d.seed, maxEpochs: input.maxEpochs,
    });
    return { job: job ? jobFromRow(job) : null, userErrors };
  }

  @Authorized(ADMIN)
  @Query(() => RecommendationEvaluationConnection, { description: 'Stored recommendation evaluations, newest first.' })
  recommendationEvaluations(@Args() a: PageArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.recommendationEvaluations.list(merchantOf(ctx), a);
  }

  @Authorized(ADMIN)
  @Query(() => RecommendationEvaluation, { nullable: true, description: 'One stored recommendation evaluation; null when there is none with this id.' })
  recommendationEvaluation(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.recommendationEvaluations.get(merchantOf(ctx), id);
  }
}
