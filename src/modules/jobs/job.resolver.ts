import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { GraphQLError } from 'graphql';
import { JobState } from '../../db/generated/enums';
import { GraphQLContext, merchantOf } from '../../graphql/context';
import { PageArgs } from '../../graphql/relay';
import { Job, JobConnection, JobKind, JobPayload } from './job.types';
import { jobIdFromGlobal } from './job.mapper';

@ArgsType()
class JobsArgs extends PageArgs {
  @Field(() => JobKind, { nullable: true }) @IsOptional() kind?: string;
  @Field(() => JobState, { nullable: true }) @IsOptional() state?: JobState;
}

@Resolver(() => Job)
export class JobResolver {
  @Authorized()
  @Query(() => Job, { nullable: true, description: 'One job of this merchant.' })
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.jobViews.get(merchantOf(ctx), id);
  }

  @Authorized()
  @Query(() => JobConnection, { description: 'This merchant\'s jobs, newest first.' })
  jobs(@Args() a: JobsArgs, @Ctx() ctx: GraphQLContext) {
    return ctx.services.jobViews.list(merchantOf(ctx), a);
  }

  @Authorized()
  @Mutation(() => JobPayload, { description: 'Cancels a queued or running job. A running job stops at its next step (what finished steps wrote, such as imported batches, stays); one already past its last step finishes as COMPLETED.' })
  cancelJob(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return ctx.services.jobViews.cancel(merchantOf(ctx), id);
  }

  @Authorized()
  @Subscription(() => Job, {
    description: 'Live updates of one job (with `id`) or of all this merchant\'s jobs. The current state of the job is sent first.',
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const merchantId = merchantOf(ctx);
      const raw = args.id ? jobIdFromGlobal(args.id as string) : undefined;
      if (args.id && !raw) throw new GraphQLError('Malformed job id', { extensions: { code: 'BAD_USER_INPUT' } });
      return ctx.services.jobViews.updates(merchantId, raw ?? undefined);
    },
  })
  jobUpdated(
    @Root() job: Job,
    @Arg('id', () => ID, { nullable: true, description: 'One job; omit for all of the merchant\'s jobs.' }) _id?: string,
  ): Job {
    return job;
  }
}
