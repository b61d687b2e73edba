// Customer value: training jobs, the per-customer values of the active version, forecasts for any
// horizon from the stored BG/NBD inputs, and the segment summary.
import { bgnbdConditionalExpectedPurchases, type BgNbdParams } from '../../ml/clv';
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { decodeCursor, toConnection } from '../../graphql/relay';
import { userError, type UserError } from '../../graphql/user-error';
import type { JobService } from '../jobs/job.service';
import type { JobRow } from '../jobs/job.repository';
import type { ModelService } from '../models/model.service';
import { BadInputError } from '../shared/errors';
import type { CustomerValueRepository, ValueRow } from './customer-value-data.repository';
import { SEGMENTS, type StoredBacktest } from './customer-value.compute';
import { modelOf } from '../models/model.mapper';
import type { CustomerValue } from './customer-value.types';

export type ValueSort = 'clv' | 'churnRisk' | 'expectedPurchases';

export class CustomerValueService {
  constructor(private readonly repo: CustomerValueRepository, private readonly models: ModelService, private readonly jobs: JobService) {}

  async startTraining(merchantId: number, input: { horizonDays: number; margin: number; monthlyDiscountRate: number; force: boolean }): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    const errors: UserError[] = [];
    if (input.horizonDays < 7 || input.horizonDays > 3650) errors.push(userError('horizonDays must be 7–3650', 'INVALID', ['input', 'horizonDays']));
    if (!(input.margin > 0 && input.margin <= 1)) errors.push(userError('margin must be in (0, 1]', 'INVALID', ['input', 'margin']));
    if (!(input.monthlyDiscountRate >= 0 && input.monthlyDiscountRate < 0.5)) errors.push(userError('monthlyDiscountRate must be in [0, 0.5)', 'INVALID', ['input', 'monthlyDiscountRate']));
    if (errors.length) return { job: null, userErrors: errors };
    return { job: await this.jobs.start(merchantId, 'train-customer-value', { ...input, holdoutDays: 90 }), userErrors: [] };
  }

  private async activeVersion(merchantId: number) {
    const v = await this.models.active(merchantId, 'CUSTOMER_VALUE');
    if (!v) throw new BadInputError('No active customer-value model yet: run trainCustomerValueModel first');
    return v;
  }

  private toValue(r: ValueRow & { horizonDays: number }, versionId: number): CustomerValue {
    return {
      customerId: r.customerId, frequency: r.frequency, recency: r.recency, age: r.age, modelVersionId: versionId, storedExpectedPurchases: r.expectedPurchases,
      horizonDays: r.horizonDays, expectedSpend: r.expectedSpend, clv: r.clv, pAlive: r.pAlive, churnRisk: r.churnRisk,
      purchaseProbability7d: r.propensity ?? 0, segment: r.segment, meanSpend: r.meanSpend,
    };
  }

  async list(merchantId: number, a: { first: number; after?: string; segment?: string; sort: ValueSort }) {
    if (a.segment && !(SEGMENTS as readonly string[]).includes(a.segment)) throw new BadInputError(`segment must be one of ${SEGMENTS.join(', ')}`, 'segment');
    const after = decodeCursor(a.after, ['number', 'int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const v = await this.activeVersion(merchantId);
    const rows = await this.repo.list(merchantId, v.id, { segment: a.segment, sort: a.sort, take: a.first + 1, after: after ? [Number(after[0]), Number(after[1])] : null });
    return toConnection(rows, a.first, Boolean(after), (r) => [r[a.sort], r.customerId], (r) => this.toValue(r, v.id));
  }

  /** The customer's value, or null before a model exists or for a customer of another merchant. */
  async forCustomer(merchantId: number, customerId: number): Promise<CustomerValue | null> {
    const v = await this.models.active(merchantId, 'CUSTOMER_VALUE');
    if (!v) return null;
    const r = await this.repo.forCustomer(merchantId, v.id, customerId);
    return r ? this.toValue(r, v.id) : null;
  }

  /**
   * Expected purchases over any horizon. BG/NBD versions: from the stored parameters and the customer's
   * history. Calendar versions: BG/NBD's curve over horizons, rescaled so that at the trained horizon
   * it equals the calendar model's stored forecast (the calendar model sets the level, BG/NBD the
   * shape of decay with the horizon).
   */
  async expectedPurchases(merchantId: number, value: CustomerValue, horizonDays: number): Promise<number> {
    if (!(horizonDays >= 1 && horizonDays <= 3650)) throw new BadInputError('horizonDays must be 1–3650', 'horizonDays');
    if (value.segment === 'prospect') return 0;
    const v = await this.models.get(merchantId, value.modelVersionId);
    const params = v?.params as { bgnbd?: BgNbdParams; model?: string } | undefined;
    const bg = params?.bgnbd;
    if (!bg) return 0;
    const history = { x: [value.frequency], tx: [value.recency], T: [value.age] };
    const e = bgnbdConditionalExpectedPurchases(bg, history, horizonDays)[0];
    if (params?.model !== 'calendar') return e;
    if (horizonDays === value.horizonDays) return value.storedExpectedPurchases;
    const atTrained = bgnbdConditionalExpectedPurchases(bg, history, value.horizonDays)[0];
    return atTrained > 0 ? (e * value.storedExpectedPurchases) / atTrained : e;
  }

  async summary(merchantId: number) {
    const v = await this.activeVersion(merchantId);
    const segments = await this.repo.summary(merchantId, v.id);
    const bt = (v.metrics as { backtest?: StoredBacktest | null }).backtest ?? null;
    return {
      modelVersionId: toGlobalId('ModelVersion', v.id), servedModel: modelOf(v.params) ?? 'bgnbd', segments,
      totalExpectedValue: segments.reduce((s, x) => s + x.expectedValue, 0),
      backtest: bt ? { ...bt, winner: bt.served } : null,
    };
  }

  customerIdFromGlobal(gid: string) { return intFromGlobalId(gid, 'Customer'); }

  /** Starts erasing a customer of this merchant. */
  async erase(merchantId: number, gid: string, lookup: (id: number) => Promise<unknown>): Promise<{ job: JobRow | null; userErrors: UserError[] }> {
    const id = intFromGlobalId(gid, 'Customer');
    const c = id === null ? null : await lookup(id);
    if (id === null || !c) return { job: null, userErrors: [userError('No customer with this id', 'NOT_FOUND', ['id'])] };
    // The job input holds the internal id only: the external identifier must not outlive the erasure.
    return { job: await this.jobs.start(merchantId, 'erase-customer', { customerId: id }), userErrors: [] };
  }
}
