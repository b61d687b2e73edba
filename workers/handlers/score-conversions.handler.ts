// Batch scoring as a BullMQ flow: each shard scores its slice of customers against every active
// product and stores the top K; the parent runs after all shards and records the totals.
// Shards yield to the event loop between customer batches so lock renewal keeps going.
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { toGlobalId } from '../../src/graphql/global-id';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import type { JobHandler } from '../job-handler';

const CUSTOMERS_PER_BATCH = 50;

export const scoreConversionsShardHandler: JobHandler<'score-conversions-shard'> = async (p, ctx) => {
  const { conversionModels, conversionPredictions } = ctx.services;
  let m = await conversionModels.version(p.merchantId, p.modelVersionId);
  const customers = (await conversionPredictions.customerIds(p.merchantId)).filter((_, i) => i % p.shards === p.shard);
  let products = (await conversionPredictions.activeProducts(p.merchantId)).map((r) => r.id).filter((id) => m.productIndex.has(id));
  let productIdx = products.map((id) => m.productIndex.get(id)!);
  const now = (await merchantNow(ctx.db, p.merchantId)).getTime();
  const k = Math.min(p.topK, products.length);
  for (let start = 0; start < customers.length; start += CUSTOMERS_PER_BATCH) {
    // The cache may have let go of (and later disposed) the model during a long shard: take the
    // one it holds now, and the products' indices in it.
    const current = await conversionModels.version(p.merchantId, p.modelVersionId);
    if (current !== m) {
      m = current;
      products = products.filter((id) => m.productIndex.has(id));
      productIdx = products.map((id) => m.productIndex.get(id)!);
    }
    const rows: { customerId: number; productId: number; p: number }[] = [];
    for (const customerId of customers.slice(start, start + CUSTOMERS_PER_BATCH)) {
      const idx = m.customerIndex.get(customerId) ?? m.model.customers.count;
      const scores = m.model.scoreCustomer(idx, productIdx, { time: now });
      const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, k);
      for (const j of order) rows.push({ customerId, productId: products[j], p: scores[j] });
    }
    await conversionPredictions.writeTopK(p.merchantId, p.modelVersionId, rows);
    await yieldLoop();
  }
  return { __typename: 'ShardDone', customers: customers.length } as never;
};

export const scoreConversionsHandler: JobHandler<'score-conversions'> = async (p, ctx) => {
  const totals = await ctx.services.conversionPredictions.countForVersion(p.merchantId, p.modelVersionId);
  return {
    __typename: 'ConversionScoringResult', modelVersionId: toGlobalId('ModelVersion', p.modelVersionId),
    customers: totals.customers, predictions: totals.predictions, shards: p.shards,
  } as never;
};
