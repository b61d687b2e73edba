// Trains a conversion model version: reads the merchant's exposures and purchases up to the data
// clock, trains and evaluates in a worker thread (so lock renewal never stalls), stores the
// version with its artifact and metrics, then promotes it if it beats the active version on the
// same held-out split (or when forced). A retry reuses the version row this job created.
import path from 'node:path';
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import { runInThread, siblingModule } from '../../src/infra/thread';
import { transferList } from '../../src/ml/conversion/types';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import { isPrefix, unwrapConversionArtifact, wrapConversionArtifact } from '../../src/modules/conversion/conversion-artifact';
import { ConversionDataRepository } from '../../src/modules/conversion/conversion-data.repository';
import { buildConversionDataset } from '../../src/modules/conversion/conversion-dataset.builder';
import { scrubConversionArtifacts } from '../../src/modules/customers/erasure';
import type { JobHandler } from '../job-handler';
import type { TrainConversionInput, TrainConversionOutput } from '../threads/train-conversion.thread';
import type { EpochReport } from '../../src/ml/conversion/train';

const DAY_MS = 86_400_000;
export const MIN_EXPOSURES = 500;
export const MIN_POSITIVES = 20;

export const trainConversionHandler: JobHandler<'train-conversion'> = async (p, ctx) => {
  const { models } = ctx.services;
  const to = await merchantNow(ctx.db, p.merchantId);
  const from = new Date(to.getTime() - p.historyDays * DAY_MS);
  const version = (await models.findByJob(p.merchantId, p.jobId))
    ?? await models.createTraining(p.merchantId, 'CONVERSION', { jobId: p.jobId, params: { labelWindowDays: p.labelWindowDays, historyDays: p.historyDays, maxEpochs: p.maxEpochs ?? null }, dataFrom: from, dataTo: to });
  try {
    await ctx.progress(0.02, 'Reading exposures and purchases');
    const { dataset, index, source } = await buildConversionDataset(new ConversionDataRepository(ctx.db), p.merchantId, {
      from, to, labelWindowDays: p.labelWindowDays, onProgress: (m) => ctx.progress(0.05, m),
    });
    const positives = dataset.exposures.label.reduce((s, y) => s + y, 0);
    if (dataset.exposures.count < MIN_EXPOSURES || positives < MIN_POSITIVES) {
      throw new JobInputError(`Not enough data to train: ${dataset.exposures.count} ${source.kind === 'orders' ? 'examples from orders' : 'labelled exposures'} with ${positives} purchases ` +
        `(need ${MIN_EXPOSURES} and ${MIN_POSITIVES}). Import orders, and impression/view events where you have them.`);
    }
    const active = await models.active(p.merchantId, 'CONVERSION');
    let champion: Uint8Array | undefined;
    if (active && active.id !== version.id) {
      const bytes = await models.artifact(p.merchantId, active.id);
      const prior = bytes ? unwrapConversionArtifact(bytes) : null;
      if (prior && isPrefix(prior.productIds, index.productIds) && isPrefix(prior.customerIds, index.customerIds)) champion = prior.ml;
    }
    await ctx.progress(0.1, `Training on ${dataset.exposures.count.toLocaleString('en')} exposures (${positives.toLocaleString('en')} purchases)`);
    const input: TrainConversionInput = { dataset, options: { seed: 1, ...(p.maxEpochs ? { maxEpochs: p.maxEpochs } : {}) }, champion };
    const out = await runInThread<TrainConversionInput, TrainConversionOutput, { epoch: EpochReport; maxEpochs: number }>(
      siblingModule(path.join(__dirname, '../threads'), 'train-conversion.thread'), 'trainConversionThread', input, {
        transfer: transferList(dataset),
        onMessage: ({ epoch, maxEpochs }) => void ctx.progress(0.1 + 0.8 * Math.min(1, epoch.epoch / maxEpochs),
          `Epoch ${epoch.epoch}: loss ${epoch.loss.toFixed(4)}, validation AUC ${epoch.valAuc.toFixed(4)}`),
      });
    const ev = out.evaluation;
    const metrics = {
      primary: { name: 'auc', value: ev.model.calibrated.auc, higherIsBetter: true },
      ...(active && out.championAuc !== undefined ? { champion: { versionId: active.id, primary: { name: 'auc', value: out.championAuc, higherIsBetter: true } } } : {}),
      evaluation: ev,
      training: out.training,
      trainingData: {
        exposures: dataset.exposures.count, purchases: positives, products: dataset.products.count, customers: dataset.customers.count,
        source: source.kind,
        note: source.kind === 'events'
          ? 'Exposures are list impressions and direct product-page views of known customers; the label is a purchase of the product within the label window.'
          : `Implicit feedback: no usable events (${source.reason}), so each purchase is a positive and ${source.negativesPerPurchase} popularity-sampled products are negatives. Scores rank well but are calibrated to that sampling ratio, not to real exposures.`,
      },
    };
    await ctx.progress(0.95, 'Saving the model version');
    // Last point to honour a cancellation: after it the version is stored and may be promoted.
    if (ctx.shouldStop()) throw new JobCancelledError();
    await models.finish(version.id, {
      status: 'CANDIDATE', metrics, backend: out.backend, featureSchema: out.featureSchema as object,
      params: { labelWindowDays: p.labelWindowDays, historyDays: p.historyDays, metadata: out.metadata },
      artifact: wrapConversionArtifact({ ml: out.artifact, productIds: index.productIds, customerIds: index.customerIds }),
    });
    // A customer erased while this model trained was scrubbed only from versions stored before:
    // forget them in this one too, before it can serve.
    const erased = await ctx.db.sql.query<{ id: number }>(`
      SELECT c.id FROM unnest($2::int[]) AS c(id)
      WHERE c.id >= 0 AND NOT EXISTS (SELECT 1 FROM "Customer" x WHERE x.id = c.id AND x."merchantId" = $1)`, [p.merchantId, Array.from(index.customerIds)]);
    for (const { id } of erased) await scrubConversionArtifacts(ctx.db, p.merchantId, id);
    const outcome = await models.promoteIfBetter(p.merchantId, version.id, p.force);
    await ctx.progress(0.99, outcome.promoted ? `Promoted: ${outcome.reason}` : `Kept as candidate: ${outcome.reason}`);
    return { __typename: 'ModelVersion', id: version.id } as never;
  } catch (err) {
    if (err instanceof JobInputError || err instanceof JobCancelledError || ctx.attempt >= 2) await models.markFailed(version.id, (err as Error).message);
    throw err;
  }
};

/** Fired by the merchant's retraining schedule: starts a tracked training job unless one is running. */
export const retrainConversionTickHandler: JobHandler<'retrain-conversion-tick'> = async (p, ctx) => {
  const running = await ctx.services.jobs.list(p.merchantId, { kind: 'train-conversion' }, 5);
  if (running.some((j) => ['PENDING', 'RUNNING', 'RETRYING'].includes(j.state))) {
    ctx.log.info({ merchantId: p.merchantId }, 'scheduled retraining skipped: a training job is already active');
    return { __typename: 'Skipped' } as never;
  }
  await ctx.services.conversion.startTraining(p.merchantId, { force: false, labelWindowDays: 7, historyDays: 365 });
  return { __typename: 'Started' } as never;
};
