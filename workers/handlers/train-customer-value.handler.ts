// Fits the customer-value models on the merchant's orders (and views/add-to-cart events, where there
// are any) up to the data clock, in a worker thread, and records TWO model versions of kind
// CUSTOMER_VALUE, told apart by `params.model`:
//   'bgnbd'    — BG/NBD + Gamma-Gamma (artifact: their parameters as JSON);
//   'calendar' — the calendar-aware tfjs count model (artifact: the tfjs model container), with
//                BG/NBD's P(alive) and Gamma-Gamma's spend as companions (in its params).
// Each version holds its own per-customer values and its own rolling-backtest error as the primary
// metric; the backtest winner is promoted when it beats the active version (or when forced), the
// other stays a CANDIDATE that promoteModelVersion can still serve. A retry reuses the rows this job
// created.
import path from 'node:path';
import { JobCancelledError, JobInputError } from '../../src/jobs/job-errors';
import { runInThread, siblingModule } from '../../src/infra/thread';
import { merchantNow } from '../../src/modules/catalog/data-clock';
import { CustomerValueRepository } from '../../src/modules/customers/customer-value-data.repository';
import type { JobHandler } from '../job-handler';
import type { TrainCustomerValueInput, TrainCustomerValueOutput } from '../threads/train-customer-value.thread';

export const trainCustomerValueHandler: JobHandler<'train-customer-value'> = async (p, ctx) => {
  const { models } = ctx.services;
  const repo = new CustomerValueRepository(ctx.db);
  const clock = await merchantNow(ctx.db, p.merchantId);
  const base = { horizonDays: p.horizonDays, margin: p.margin, monthlyDiscountRate: p.monthlyDiscountRate };
  const existing = await models.findAllByJob(p.merchantId, p.jobId);
  const byModel = (m: string) => existing.find((v) => (v.params as { model?: string }).model === m);
  const bgVersion = byModel('bgnbd') ?? await models.createTraining(p.merchantId, 'CUSTOMER_VALUE', { jobId: p.jobId, params: { ...base, model: 'bgnbd' }, dataTo: clock });
  const calVersion = byModel('calendar') ?? await models.createTraining(p.merchantId, 'CUSTOMER_VALUE', { jobId: p.jobId, params: { ...base, model: 'calendar' }, dataTo: clock });
  try {
    await ctx.progress(0.05, 'Reading orders and events');
    const { customerIds, standIns, log } = await repo.purchaseLog(p.merchantId, clock);
    const events = await repo.eventLog(p.merchantId, clock, customerIds);
    const buyers = new Set(log.customer).size;
    if (buyers < 20) throw new JobInputError(`Only ${buyers} customers have purchases: too few to fit a customer-value model (need 20)`);
    await ctx.progress(0.15, `Fitting BG/NBD, Gamma-Gamma and the calendar model on ${log.customer.length.toLocaleString('en')} orders of ${customerIds.length.toLocaleString('en')} customers; backtesting both`);
    const input: TrainCustomerValueInput = { log, events, customerIds, clockMs: clock.getTime(), options: { ...base, holdoutDays: p.holdoutDays } };
    const r = await runInThread<TrainCustomerValueInput, TrainCustomerValueOutput>(
      siblingModule(path.join(__dirname, '../threads'), 'train-customer-value.thread'), 'trainCustomerValueThread', input);

    await ctx.progress(0.7, `Writing ${customerIds.length.toLocaleString('en')} customer values per model`);
    await repo.writeValues(p.merchantId, bgVersion.id, p.horizonDays, r.rows.bgnbd);
    if (r.rows.calendar) await repo.writeValues(p.merchantId, calVersion.id, p.horizonDays, r.rows.calendar);
    const bt = r.backtest;
    const segments = (rows: { segment: string }[]) => rows.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x.segment]: (acc[x.segment] ?? 0) + 1 }), {});
    const primary = (model: 'bgnbd' | 'calendar') => {
      const v = bt?.[model].meanAbsAggregateError;
      return v !== undefined && Number.isFinite(v) ? { primary: { name: 'backtestMeanAbsAggregateError', value: v, higherIsBetter: false } } : {};
    };
    const shared = { backtest: bt, served: r.served, customers: customerIds.length, erasedStandIns: standIns.size, events: events ? events.customer.length : 0 };
    await models.finish(bgVersion.id, {
      status: 'CANDIDATE', backend: 'js',
      params: { ...base, model: 'bgnbd', bgnbd: r.bgnbd, gammaGamma: r.gammaGamma },
      metrics: { ...primary('bgnbd'), model: 'bgnbd', description: 'BG/NBD purchase counts and survival + Gamma-Gamma spend', ...shared, segments: segments(r.rows.bgnbd) },
      artifact: new TextEncoder().encode(JSON.stringify({ bgnbd: r.bgnbd, gammaGamma: r.gammaGamma })),
      dataTo: clock,
    });
    if (r.calendar && r.rows.calendar) {
      await models.finish(calVersion.id, {
        status: 'CANDIDATE', backend: r.backend,
        params: { ...base, model: 'calendar', calendar: r.calendar.description, bgnbd: r.bgnbd, gammaGamma: r.gammaGamma, companionVersionId: bgVersion.id },
        featureSchema: { features: Object.keys((r.calendar.description.coefficients as object) ?? {}), seasonalPeriods: Object.keys((r.calendar.description.seasonalIndex as object) ?? {}) },
        metrics: {
          ...primary('calendar'), model: 'calendar', description: 'calendar-aware tfjs Poisson counts (seasonal index, lead time, recent events) + BG/NBD survival + Gamma-Gamma spend',
          training: r.calendar.training, ...shared, segments: segments(r.rows.calendar),
        },
        artifact: r.calendar.artifact,
        dataTo: clock,
      });
    } else {
      await models.markFailed(calVersion.id, r.calendarError ?? 'the calendar model could not be trained');
    }
    // Last point to honour a cancellation: the catch below removes what this run wrote.
    if (ctx.shouldStop()) throw new JobCancelledError();
    const winner = r.served === 'calendar' && r.calendar ? calVersion : bgVersion;
    // Too little history for any backtest window: there is no metric to compare, so the first version
    // serves (a merchant with a short history still gets values), and later ones only when forced.
    const firstWithoutBacktest = !bt && !(await models.active(p.merchantId, 'CUSTOMER_VALUE'));
    const outcome = await models.promoteIfBetter(p.merchantId, winner.id, p.force || firstWithoutBacktest);
    await ctx.progress(0.99, `${r.served === 'calendar' ? 'Calendar model' : 'BG/NBD'} won the backtest; ${outcome.promoted ? `promoted: ${outcome.reason}` : `kept as candidate: ${outcome.reason}`}`);
    return { __typename: 'ModelVersion', id: winner.id } as never;
  } catch (err) {
    const input = err instanceof JobInputError || /too few to fit/.test((err as Error).message);
    if (input || err instanceof JobCancelledError || ctx.attempt >= 2) {
      await repo.deleteValues(p.merchantId, [bgVersion.id, calVersion.id]);
      await models.markFailed(bgVersion.id, (err as Error).message);
      await models.markFailed(calVersion.id, (err as Error).message);
    }
    throw input && !(err instanceof JobInputError) ? new JobInputError((err as Error).message) : err;
  }
};
