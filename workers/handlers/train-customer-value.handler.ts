// Fits the customer-value models on the merchant's orders up to the data clock, backtests them on
// the last 90 days, values every customer and stores the values under a new model version, which
// is promoted when its backtest error beats the active version's (or when forced).
import { JobInputError } from '../../src/jobs/job-errors';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import { CustomerValueRepository } from '../../src/modules/customers/customer-value-data.repository';
import { computeCustomerValues } from '../../src/modules/customers/customer-value.compute';
import type { JobHandler } from '../job-handler';

export const trainCustomerValueHandler: JobHandler<'train-customer-value'> = async (p, ctx) => {
  const { models } = ctx.services;
  const repo = new CustomerValueRepository(ctx.db);
  const clock = await merchantNow(ctx.db, p.merchantId);
  const version = (await models.findByJob(p.merchantId, p.jobId))
    ?? await models.createTraining(p.merchantId, 'CUSTOMER_VALUE', { jobId: p.jobId, params: { horizonDays: p.horizonDays, margin: p.margin, monthlyDiscountRate: p.monthlyDiscountRate }, dataTo: clock });
  try {
    await ctx.progress(0.05, 'Reading orders');
    const { customerIds, log } = await repo.purchaseLog(p.merchantId, clock);
    await ctx.progress(0.2, `Fitting BG/NBD and Gamma-Gamma on ${log.customer.length.toLocaleString('en')} orders of ${customerIds.length.toLocaleString('en')} customers`);
    let result;
    try {
      result = computeCustomerValues(log, customerIds, clock.getTime(), { horizonDays: p.horizonDays, margin: p.margin, monthlyDiscountRate: p.monthlyDiscountRate, holdoutDays: p.holdoutDays });
    } catch (err) {
      throw new JobInputError((err as Error).message);
    }
    await ctx.progress(0.6, `Writing ${result.rows.length.toLocaleString('en')} customer values`);
    await repo.writeValues(p.merchantId, version.id, p.horizonDays, result.rows);
    const bt = result.backtest;
    const error = bt ? bt.servedError : null;
    const segments: Record<string, number> = {};
    for (const r of result.rows) segments[r.segment] = (segments[r.segment] ?? 0) + 1;
    await models.finish(version.id, {
      status: 'CANDIDATE', backend: 'js',
      params: { horizonDays: p.horizonDays, margin: p.margin, monthlyDiscountRate: p.monthlyDiscountRate, bgnbd: result.bgnbd, gammaGamma: result.gammaGamma },
      metrics: {
        ...(error !== null ? { primary: { name: 'holdoutAggregateError', value: error, higherIsBetter: false } } : {}),
        model: bt?.served === 'calendar' ? 'calendar-aware Poisson counts + BG/NBD survival + Gamma-Gamma spend' : 'BG/NBD + Gamma-Gamma',
        backtest: bt, segments, customers: customerIds.length,
      },
      artifact: new TextEncoder().encode(JSON.stringify({ bgnbd: result.bgnbd, gammaGamma: result.gammaGamma })),
      dataTo: clock,
    });
    const outcome = await models.promoteIfBetter(p.merchantId, version.id, p.force);
    await ctx.progress(0.99, outcome.promoted ? `Promoted: ${outcome.reason}` : `Kept as candidate: ${outcome.reason}`);
    return { __typename: 'ModelVersion', id: version.id } as never;
  } catch (err) {
    if (err instanceof JobInputError || ctx.attempt >= 2) await models.markFailed(version.id, (err as Error).message);
    throw err;
  }
};
