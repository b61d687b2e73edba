// Erases a customer. Idempotent: the database part is one transaction, and a retry after it finds
// the customer gone and goes on scrubbing model artifacts that still know the id.
import { eraseCustomerRows, scrubConversionArtifacts } from '../../src/modules/customers/erasure';
import type { JobHandler } from '../job-handler';

export const eraseCustomerHandler: JobHandler<'erase-customer'> = async (p, ctx) => {
  await ctx.progress(0.1, 'Removing the customer\'s rows');
  const removed = await eraseCustomerRows(ctx.db, p.merchantId, p.customerId, ctx.config.erasureMode);
  await ctx.progress(0.5, 'Scrubbing stored model versions');
  const artifacts = await scrubConversionArtifacts(ctx.db, p.merchantId, p.customerId);
  ctx.services.conversionModels.clear();
  return { __typename: 'ErasureResult', removed, mode: ctx.config.erasureMode, modelVersionsScrubbed: artifacts } as never;
};
