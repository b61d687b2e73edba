// Offline evaluation of `recommendations` on a temporal split at (data clock − testDays):
//  - a throwaway conversion model is trained by the production pipeline on the data before the split
//    only (exposures before it, purchases before it — nothing later reaches its history snapshot).
//    It is never written as a ModelVersion: the thread returns its artifact in memory, so the
//    merchant's model list, the active model and the promotion rule are untouched;
//  - for a seeded sample of customers who bought after the split, the lists are rebuilt as of the
//    split with the code `recommendations` runs (mode filter, scoring at the data clock, long-tail
//    re-ranking), with long-tail flags and past purchases as of the split, beside a popularity baseline;
//  - one RecommendationEvaluation row is written at the end (a retry returns the row already written).
import path from 'node:path';
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import { runInThread, siblingModule } from '../../src/infra/thread';
import { transferList } from '../../src/ml/conversion/types';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import { ConversionDataRepository } from '../../src/modules/conversion/conversion-data.repository';
import { buildConversionDataset } from '../../src/modules/conversion/conversion-dataset.builder';
import { evaluationSample } from '../../src/modules/evaluation/evaluation-sample';
import type { JobHandler } from '../job-handler';
import type {
  EvaluateRecommendationsInput, EvaluateRecommendationsMessage, EvaluateRecommendationsOutput,
} from '../threads/evaluate-recommendations.thread';
import { MIN_EXPOSURES, MIN_POSITIVES } from './train-conversion.handler';

const DAY_MS = 86_400_000;
/** The training defaults of trainConversionModel, so the evaluated model is the one a merchant would get. */
const HISTORY_DAYS = 365;
const LABEL_WINDOW_DAYS = 7;
/** MIXED is what `recommendations` serves by default; DISCOVERY and REPURCHASE show which half it gets right. */
const MODES = ['MIXED', 'DISCOVERY', 'REPURCHASE'] as const;

export const evaluateRecommendationsHandler: JobHandler<'evaluate-recommendations'> = async (p, ctx) => {
  const store = ctx.services.recommendationEvaluationData;
  const done = await store.findByJob(p.merchantId, p.jobId);
  if (done) return { __typename: 'RecommendationEvaluation', id: done.id };

  const clock = await merchantNow(ctx.db, p.merchantId);
  const splitAt = new Date(clock.getTime() - p.testDays * DAY_MS);
  const data = new ConversionDataRepository(ctx.db);
  await ctx.progress(0.02, `Reading purchases around the split at ${splitAt.toISOString().slice(0, 10)}`);
  const candidateIds = await store.candidateProductIds(p.merchantId, splitAt);
  const sample = evaluationSample({
    purchases: await data.purchases(p.merchantId, new Date(clock.getTime() + 1)), candidateIds,
    splitAt: splitAt.getTime(), until: clock.getTime(), maxCustomers: p.maxCustomers, seed: p.seed,
  });
  if (sample.customers.length === 0) {
    throw new JobInputError(`No customer bought a product in the ${p.testDays} test days before the data clock: nothing to evaluate against. Import more recent orders or choose more testDays.`);
  }

  await ctx.progress(0.05, 'Reading exposures before the split');
  const { dataset, index, source } = await buildConversionDataset(data, p.merchantId, {
    from: new Date(splitAt.getTime() - HISTORY_DAYS * DAY_MS), to: splitAt, purchasesUntil: splitAt,
    labelWindowDays: LABEL_WINDOW_DAYS, onProgress: (m) => ctx.progress(0.06, m),
  });
  const positives = dataset.exposures.label.reduce((s, y) => s + y, 0);
  if (dataset.exposures.count < MIN_EXPOSURES || positives < MIN_POSITIVES) {
    throw new JobInputError(`Not enough data before the split to train an evaluation model: ${dataset.exposures.count} examples with ${positives} purchases ` +
      `(need ${MIN_EXPOSURES} and ${MIN_POSITIVES}). Choose fewer testDays or import more history.`);
  }
  const longTail = await ctx.services.catalog.longTailIdsAsOf(p.merchantId, splitAt);
  const createdAt = new Map((await data.customers(p.merchantId)).map((c) => [c.id, new Date(c.createdAt).getTime()]));
  // A customer who signed up after the split was unknown at the split: the cold-start vector, as served.
  const customerIdx = Int32Array.from(sample.customers, (id) => ((createdAt.get(id) ?? Infinity) >= splitAt.getTime() ? -1 : index.customerIndex.get(id) ?? -1));

  const input: EvaluateRecommendationsInput = {
    train: { dataset, options: { seed: p.seed, ...(p.maxEpochs ? { maxEpochs: p.maxEpochs } : {}) } },
    splitAt: splitAt.getTime(), ks: p.ks, shares: p.shares, modes: [...MODES],
    candidateIds: Int32Array.from(candidateIds), candidateIdx: Int32Array.from(candidateIds, (id) => index.productIndex.get(id) ?? -1),
    longTail: Uint8Array.from(candidateIds, (id) => (longTail.has(id) ? 1 : 0)), popularity: sample.popularity,
    customerIdx, boughtBefore: sample.boughtBefore, relevant: sample.relevant,
  };
  if (input.candidateIdx.some((i) => i < 0)) throw new Error('A candidate product is missing from the training catalogue (created during the job?); retry');
  await ctx.progress(0.1, `Training an evaluation model on ${dataset.exposures.count.toLocaleString('en')} examples before the split`);
  const out = await runInThread<EvaluateRecommendationsInput, EvaluateRecommendationsOutput, EvaluateRecommendationsMessage>(
    siblingModule(path.join(__dirname, '../threads'), 'evaluate-recommendations.thread'), 'evaluateRecommendationsThread', input, {
      transfer: transferList(dataset),
      onMessage: (m) => void (m.kind === 'epoch'
        ? ctx.progress(0.1 + 0.5 * Math.min(1, m.epoch.epoch / m.maxEpochs), `Epoch ${m.epoch.epoch}: validation AUC ${m.epoch.valAuc.toFixed(4)}`)
        : ctx.progress(0.6 + 0.35 * (m.done / m.total), `Replayed recommendations for ${m.done} of ${m.total} customers`)),
    });

  const ev = out.training.evaluation;
  const params = {
    testDays: p.testDays, ks: p.ks, shares: p.shares, modes: [...MODES], maxCustomers: p.maxCustomers, seed: p.seed,
    dataClock: clock.toISOString(), historyDays: HISTORY_DAYS, labelWindowDays: LABEL_WINDOW_DAYS,
    customersEvaluated: sample.customers.length, customersEligible: sample.eligibleCustomers, coldStartCustomers: out.coldCustomers,
    candidates: candidateIds.length, longTailCandidates: input.longTail.reduce((s, x) => s + x, 0),
    testPurchases: sample.testPurchases, testPurchasesOfNonCandidates: sample.testPurchasesOfNonCandidates,
    model: {
      note: 'Trained for this evaluation on data before the split only; not stored as a model version.',
      source: source.kind, examples: dataset.exposures.count, purchases: positives, backend: out.training.backend,
      heldOutAuc: finite(ev.model.calibrated.auc), popularityAuc: finite(ev.popularity.auc),
      epochs: out.training.training.epochs.length, bestEpoch: out.training.training.bestEpoch,
    },
  };
  const results = out.rows.map((r) => ({
    policy: r.policy, mode: r.mode, longTailShare: r.longTailShare, customers: r.customers,
    metrics: r.atK.map((m) => ({
      k: m.k, recall: m.recall, ndcg: m.ndcg, hitRate: m.hitRate, coverage: m.coverage, longTailShare: m.longTailShare,
      novelty: m.novelty, expectedConversions: m.expectedConversions, conversionCost: m.conversionCost,
    })),
  }));
  await ctx.progress(0.97, 'Storing the evaluation');
  if (ctx.shouldStop()) throw new JobCancelledError();
  const id = await store.create(p.merchantId, { jobId: p.jobId, splitAt, params, results });
  return { __typename: 'RecommendationEvaluation', id };
};

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
