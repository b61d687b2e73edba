// Plans a placement's impressions (generateExposurePlan / replanExposure) and stores the plan with
// all its allocations in one transaction. Idempotent: a retry after the plan was stored returns it;
// a cancellation requested while planning stores nothing.
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import type { JobHandler } from '../job-handler';

export const planExposureHandler: JobHandler<'plan-exposure'> = async (p, ctx) => {
  await ctx.progress(0.1, 'Reading the placement\'s logs and building posteriors');
  const out = await ctx.services.exposure.runPlanJob(p.merchantId, p.jobId, p.settings, p.parentPlanId, async () => {
    await ctx.progress(0.8, 'Storing the plan');
    return !ctx.shouldStop();
  });
  if ('cancelled' in out) throw new JobCancelledError();
  if ('error' in out) throw new JobInputError(out.error);
  const t = out.plan.totals as { expectedConversions?: number; longTailShare?: number };
  await ctx.progress(0.99, `Stored version ${out.plan.version}: ${(t.expectedConversions ?? 0).toFixed(1)} expected conversions, long-tail share ${((t.longTailShare ?? 0) * 100).toFixed(1)}%`);
  return { __typename: 'ExposurePlan', id: out.plan.id } as never;
};
