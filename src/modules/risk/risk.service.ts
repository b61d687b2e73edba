// Risk flags: the rules of src/ml/risk run as a job over the merchant's orders; the merchant
// confirms or dismisses each flag, and confirmed orders are kept out of every model's training.
import { detectBrushingBursts, detectOrderCancelCycles, detectQuantityOutliers, detectRepeatOrders, detectSharedAttributes, type RiskFlag as RuleFlag } from '../../ml/risk';
import { intFromGlobalId, toGlobalId } from '../../graphql/global-id';
import { decodeCursor, toConnection } from '../../graphql/relay';
import { userError, type UserError } from '../../graphql/user-error';
import type { JobService } from '../jobs/job.service';
import { BadInputError } from '../shared/errors';
import type { RiskRepository } from './risk.repository';

export const FLAG_STATUSES = ['OPEN', 'CONFIRMED', 'DISMISSED'] as const;

export class RiskService {
  constructor(private readonly repo: RiskRepository, private readonly jobs: JobService) {}

  startDetection(merchantId: number) { return this.jobs.start(merchantId, 'detect-risk', {}); }

  /** Runs every rule and stores new flags (idempotent: a pattern already flagged is not flagged again). */
  async detect(merchantId: number): Promise<{ flags: number; created: number; byKind: Record<string, number> }> {
    const d = await this.repo.load(merchantId);
    const found: RuleFlag[] = [
      // Brushing rings spread their orders over a day: look at day-long windows, from 3 new accounts.
      ...detectBrushingBursts(d.lines, d.customerCreatedMs, { windowMs: 24 * 3_600_000, minAccounts: 3 }),
      ...detectRepeatOrders(d.lines),
      ...detectQuantityOutliers(d.lines),
      ...detectOrderCancelCycles(d.orders),
      ...detectSharedAttributes(d.attributeKey, { customerCreatedMs: d.customerCreatedMs, orderCustomer: d.orders.customer }),
    ];
    const byKind: Record<string, number> = {};
    const flags = found.map((f) => {
      byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
      const orderIds = Array.from(f.orders, (i) => d.orderIds[i]).sort((a, b) => a - b);
      const customerIds = Array.from(f.customers, (i) => d.customerIds[i]).filter((x) => x !== undefined).sort((a, b) => a - b);
      return { ...f, orderIds, customerIds, fingerprint: `${f.kind}:${orderIds.join(',')}:${orderIds.length ? '' : customerIds.join(',')}` };
    });
    return { flags: flags.length, created: await this.repo.upsertFlags(merchantId, flags), byKind };
  }

  async list(merchantId: number, a: { first: number; after?: string; status?: string }) {
    if (a.status && !(FLAG_STATUSES as readonly string[]).includes(a.status)) throw new BadInputError(`status must be one of ${FLAG_STATUSES.join(', ')}`, 'status');
    const after = decodeCursor(a.after, ['int']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.repo.list(merchantId, a.status, a.first + 1, after ? Number(after[0]) : null);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.id], (r) => ({
      id: toGlobalId('RiskFlag', r.id), kind: r.kind, score: r.score, status: r.status, reason: r.reason, evidence: r.details,
      orderIds: r.orderIds, customerIds: r.customerIds, createdAt: r.createdAt, resolvedAt: r.resolvedAt,
    }));
  }

  async resolve(merchantId: number, gid: string, status: string): Promise<{ flag: unknown; userErrors: UserError[] }> {
    if (status !== 'CONFIRMED' && status !== 'DISMISSED') return { flag: null, userErrors: [userError('status must be CONFIRMED or DISMISSED', 'INVALID', ['status'])] };
    const id = intFromGlobalId(gid, 'RiskFlag');
    const r = id === null ? null : await this.repo.resolve(merchantId, id, status);
    if (!r) return { flag: null, userErrors: [userError('No risk flag with this id', 'NOT_FOUND', ['id'])] };
    return {
      flag: { id: gid, kind: r.kind, score: r.score, status: r.status, reason: r.reason, evidence: r.details, orderIds: r.orderIds, customerIds: r.customerIds, createdAt: r.createdAt, resolvedAt: r.resolvedAt },
      userErrors: [],
    };
  }
}
