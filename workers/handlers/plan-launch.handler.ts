// Plans a launch: evaluates its whole grid (price × promotion × launch week × exposure budget) for
// every product with the demand model version the job was started with, scores the audience with the
// active conversion model, and writes the ranked scenarios (the best MAX_STORED with weekly forecast
// bands per product), the audience and the recommendation in ONE transaction, the launch → PLANNED.
// A failed attempt writes nothing; a retry recomputes the same plan.
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import { toGlobalId } from '../../src/graphql/global-id';
import { initBackend } from '../../src/ml/backend';
import { loadDemandModel } from '../../src/ml/launch';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import { scoreLaunchAudience } from '../../src/modules/launch/launch-audience';
import type { LaunchConfig } from '../../src/modules/launch/launch-config';
import { LaunchDataRepository } from '../../src/modules/launch/launch-data.repository';
import type { StoredRecommendation } from '../../src/modules/launch/launch-plan.types';
import { planLaunchGrid } from '../../src/modules/launch/launch-planner';
import { LaunchRepository, type PlanWrite } from '../../src/modules/launch/launch.repository';
import type { JobHandler } from '../job-handler';

/** Scenarios stored with their forecasts: the alternatives a category manager compares. */
export const MAX_STORED_SCENARIOS = 25;
const WEEK_MS = 7 * 86_400_000;

export const planLaunchHandler: JobHandler<'plan-launch'> = async (p, ctx) => {
  const repo = new LaunchRepository(ctx.db);
  const data = new LaunchDataRepository(ctx.db);
  const launch = await repo.find(p.merchantId, p.launchId);
  if (!launch) throw new JobInputError('The launch no longer exists');
  if (launch.status !== 'DRAFT' && launch.status !== 'PLANNED') throw new JobInputError(`The launch is ${launch.status}: only DRAFT or PLANNED launches are planned`);
  const config = launch.config as unknown as LaunchConfig;

  await ctx.progress(0.05, 'Loading the demand model');
  const version = await ctx.services.models.get(p.merchantId, p.modelVersionId);
  const bytes = version ? await ctx.services.models.artifact(p.merchantId, p.modelVersionId) : null;
  if (!version || !bytes) throw new JobInputError('The demand model version has no artifact');
  await initBackend();
  // An artifact saved by an older release may not load after an upgrade: say what to do, and do not retry.
  const model = await loadDemandModel(new Uint8Array(bytes)).catch((err: Error) => {
    throw new JobInputError(`Demand model version ${version.version} cannot be loaded (${err.message}): retrain it with trainDemandModel (force: true)`);
  });

  const products = await data.catalogueProducts(p.merchantId, launch.productIds);
  if (products.length !== launch.productIds.length) throw new JobInputError('A product of the launch no longer exists: update the launch');
  const medians = await data.categoryMedianPrices(p.merchantId);
  const settings = new Map(config.products.map((x) => [x.productId, x]));
  const grid = config.priceMultipliers.length * config.promotions.length * config.exposureBudgets.length;
  await ctx.progress(0.1, `Evaluating ${grid} settings × launch weeks for ${products.length} product(s)`);
  const plan = planLaunchGrid(model, products.map((x) => ({
    productId: x.id, listPrice: x.price, unitCost: settings.get(x.id)?.unitCost ?? x.cost ?? 0, inventory: settings.get(x.id)?.inventory ?? null,
    features: { category: x.category, brand: x.brand, title: x.title, description: x.description, categoryMedianPrice: x.category !== null ? medians.get(x.category) ?? null : null },
  })), config, { startDate: launch.startDate, endDate: launch.endDate }, launch.objective as 'UNITS' | 'REVENUE' | 'GROSS_MARGIN');
  if (ctx.shouldStop()) throw new JobCancelledError();

  await ctx.progress(0.6, 'Scoring the audience with the conversion model');
  const clock = await merchantNow(ctx.db, p.merchantId);
  const best = plan.scenarios[0];
  const audience = await scoreLaunchAudience({ db: ctx.db, conversionModels: ctx.services.conversionModels, models: ctx.services.models },
    p.merchantId, launch.productIds, best.launchDate, clock);

  const stored = plan.scenarios.slice(0, MAX_STORED_SCENARIOS);
  const notes: string[] = [];
  const seenMax = (version.metrics as { trainingData?: { weeklyImpressions?: { max?: number } } } | null)?.trainingData?.weeklyImpressions?.max;
  const beyond = config.exposureBudgets.filter((b) => seenMax !== undefined && b.weeklyImpressions > seenMax);
  if (beyond.length) {
    notes.push(`Budgets of ${beyond.map((b) => b.weeklyImpressions).join(', ')} impressions/week exceed the most any past launch got (${seenMax}/week): their forecasts extrapolate, treat them with caution`);
  }
  if (best.sellOutProbability >= 0.5) notes.push(`The recommended scenario sells out with probability ${(best.sellOutProbability * 100).toFixed(0)}%: more stock would likely sell`);
  for (const x of plan.products) {
    if (x.fallback !== 'NONE') notes.push(`Product ${products.find((p) => p.id === x.productId)?.title ?? x.productId} has no similar past launch: its forecast is a ${x.fallback.toLowerCase()} average launch curve`);
  }
  const recommendation: StoredRecommendation = {
    modelVersionId: version.id, objective: launch.objective, horizonWeeks: model.weeks, scenariosEvaluated: plan.scenarios.length, scenariosStored: stored.length,
    plannedAt: new Date().toISOString(), sellOutProbability: best.sellOutProbability, drivers: plan.drivers,
    products: plan.products.map((x) => ({ productId: x.productId, fallback: x.fallback, analogs: x.analogs.map((a) => ({ productId: a.productId, similarity: a.similarity, weeklyUnits: a.weeklyUnits })) })),
    audience: audience.audience,
    notes,
  };
  const write: PlanWrite = {
    jobId: p.jobId, modelVersionId: version.id, recommendation, audience: audience.members,
    scenarios: stored.map((s) => ({
      params: {
        priceMultiplier: s.priceMultiplier, discount: s.discount, promoWeeks: s.promoWeeks, launchDate: s.launchDate.toISOString(), placement: s.placement,
        weeklyImpressions: s.weeklyImpressions, objectiveValue: s.objectiveValue, exposureCost: s.exposureCost, drivers: s.drivers,
        products: s.products.map(({ forecast: _f, ...rest }) => rest),
      },
      expectedUnits: s.expectedUnits, expectedRevenue: s.expectedRevenue, expectedMargin: s.expectedMargin, sellOutProbability: s.sellOutProbability,
      rank: s.rank, recommended: s.rank === 1,
      forecasts: s.products.map((x) => ({
        productId: x.productId,
        points: x.forecast.p50.map((_, w) => ({ periodStart: new Date(s.launchDate.getTime() + w * WEEK_MS), p10: x.forecast.p10[w], p50: x.forecast.p50[w], p90: x.forecast.p90[w], mean: x.forecast.mean[w] })),
      })),
    })),
  };
  // A figure that overflowed would be stored as null and break a NOT NULL column on every retry.
  const unbounded = write.scenarios.find((s) => ![s.expectedUnits, s.expectedRevenue, s.expectedMargin, s.sellOutProbability].every(Number.isFinite));
  if (unbounded) throw new JobInputError('A scenario\'s expected units, revenue or margin is not a finite number: check the launch\'s prices, costs and budgets for absurd values');
  await ctx.progress(0.9, `Storing ${stored.length} scenarios and ${audience.members.length} audience members`);
  await repo.writePlan(p.merchantId, launch.id, write, launch.updatedAt);
  return {
    __typename: 'LaunchPlanResult', launchId: toGlobalId('Launch', launch.id), scenariosEvaluated: plan.scenarios.length, scenariosStored: stored.length,
    audienceSize: audience.members.length, audienceMessage: audience.audience.message,
  } as never;
};
