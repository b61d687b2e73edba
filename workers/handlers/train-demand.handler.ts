// Trains a launch demand model version: reads every product's launch, its first weeks of sales and
// the impressions it got (src/modules/launch/launch-data.repository.ts) up to the data clock, trains
// and backtests in a worker thread, stores the version with its artifact, metrics (backtest beside
// the category-average and analog-kNN baselines) and feature schema, then promotes it when its
// backtest mean wQL beats the active version's (or when forced). A retry reuses this job's version row.
import path from 'node:path';
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import { runInThread, siblingModule } from '../../src/infra/thread';
import { launchHistoryFromRecords, MIN_LAUNCHES } from '../../src/ml/launch';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import { LaunchDataRepository } from '../../src/modules/launch/launch-data.repository';
import type { JobHandler } from '../job-handler';
import type { TrainDemandInput, TrainDemandOutput } from '../threads/train-demand.thread';

export const trainDemandHandler: JobHandler<'train-demand'> = async (p, ctx) => {
  const { models } = ctx.services;
  const asOf = await merchantNow(ctx.db, p.merchantId);
  const version = (await models.findByJob(p.merchantId, p.jobId))
    ?? await models.createTraining(p.merchantId, 'DEMAND', { jobId: p.jobId, params: { weeks: p.weeks, epochs: p.epochs ?? null }, dataTo: asOf });
  try {
    await ctx.progress(0.02, 'Reading launches, their sales and impressions');
    const repo = new LaunchDataRepository(ctx.db);
    const [products, sales, impressions] = await Promise.all([repo.products(p.merchantId), repo.sales(p.merchantId, asOf, p.weeks), repo.impressions(p.merchantId, asOf, p.weeks)]);
    const rows = launchHistoryFromRecords(products, sales, impressions, { weeks: p.weeks, asOf });
    if (rows.length < MIN_LAUNCHES) {
      throw new JobInputError(`Not enough past launches to train: ${rows.length} products launched with ${p.weeks} complete weeks of history (need ${MIN_LAUNCHES}). ` +
        'Import products with launched_at dates and their orders.');
    }
    const firstLaunch = rows.reduce((t, r) => Math.min(t, r.launchDate.getTime()), Infinity);
    // The exposure past launches got: planning warns when a budget goes beyond it (extrapolation).
    const exposure = rows.map((r) => r.weeklyImpressions).sort((x, y) => x - y);
    const at = (q: number) => exposure[Math.min(exposure.length - 1, Math.floor(q * exposure.length))];
    await ctx.progress(0.08, `Training on ${rows.length} past launches`);
    const out = await runInThread<TrainDemandInput, TrainDemandOutput, { fraction: number; message: string }>(
      siblingModule(path.join(__dirname, '../threads'), 'train-demand.thread'), 'trainDemandThread',
      { rows, weeks: p.weeks, seed: 1, ...(p.epochs ? { epochs: p.epochs } : {}) },
      { onMessage: (m) => void ctx.progress(0.08 + 0.85 * Math.min(1, m.fraction), m.message) })
      .catch((err: Error) => {
        // Too few usable launches is the data's fault, not a transient one: fail without retrying.
        if (/past launches/.test(err.message)) throw new JobInputError(`Not enough past launches to train: ${err.message}`);
        throw err;
      });
    const bt = out.backtest;
    const metrics = {
      // Promotion compares the average weighted quantile loss (0.1/0.5/0.9), which scores the whole
      // band: weekly WAPE of the P50 rewards forecasting zero when most launch-weeks sell nothing.
      primary: { name: 'wqlMean', value: bt.model.wqlMean, higherIsBetter: false },
      backtest: bt,
      goals: {
        wapeVsAnalogKnn: bt.analogKnn.wape > 0 ? bt.model.wape / bt.analogKnn.wape : null,
        coverage80: bt.model.coverage80,
        // What the band is calibrated to (count-data PIT; see src/ml/launch/metrics.ts).
        coverage80Counts: bt.model.coverage80Counts,
      },
      trainingData: {
        launches: rows.length, weeks: p.weeks, heldOut: bt.heldOutProductIds.length,
        weeklyImpressions: { median: at(0.5), p90: at(0.9), max: exposure[exposure.length - 1] },
        note: 'A launch is a product\'s launched_at (else its first sale) with its gross units in each of its first weeks; cancelled orders and confirmed risk flags are excluded. The backtest holds out the most recent launches; promotion compares the backtest\'s mean wQL with the active version\'s own backtest.',
      },
    };
    await ctx.progress(0.95, 'Saving the model version');
    // Last point to honour a cancellation: after it the version is stored and may be promoted.
    if (ctx.shouldStop()) throw new JobCancelledError();
    await models.finish(version.id, {
      status: 'CANDIDATE', metrics, backend: out.backend, featureSchema: out.featureSchema, params: { weeks: p.weeks, epochs: p.epochs ?? null, ...out.params },
      artifact: out.artifact, dataFrom: Number.isFinite(firstLaunch) ? new Date(firstLaunch) : undefined, dataTo: asOf,
    });
    const outcome = await models.promoteIfBetter(p.merchantId, version.id, p.force);
    await ctx.progress(0.99, outcome.promoted ? `Promoted: ${outcome.reason}` : `Kept as candidate: ${outcome.reason}`);
    return { __typename: 'ModelVersion', id: version.id } as never;
  } catch (err) {
    if (err instanceof JobInputError || err instanceof JobCancelledError || ctx.attempt >= 2) await models.markFailed(version.id, (err as Error).message);
    throw err;
  }
};
