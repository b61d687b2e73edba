// Exposure plans and their allocations. A plan is written with all its allocations in one
// transaction (a failed job leaves nothing); lifecycle moves are conditional updates, so a plan
// that is not in the expected state (or not the merchant's) changes nothing. Lifecycle instants are
// on the merchant's data clock, like the events that performance measures between them.
import type { Database } from '../../db/database';
import type { ExposurePlanStatus, Prisma } from '../../db/generated/client';
import type { AllocationRow, OffPolicyJson, PlanSettings, PlanTotals, StoredCurvePoint } from './exposure-planner';

export interface PlanRow {
  id: number; merchantId: number; placementId: number; version: number; status: ExposurePlanStatus; input: unknown; totals: unknown;
  curve: unknown; jobId: string | null; parentPlanId: number | null; seed: number; offPolicy: unknown; createdAt: Date;
  approvedAt: Date | null; activatedAt: Date | null; archivedAt: Date | null;
}

export interface AllocationDbRow {
  id: number; productId: number; impressions: number; expectedClicks: number; expectedConversions: number; conversionsLow: number;
  conversionsHigh: number; reason: string; isLongTail: boolean; posteriorAlpha: number; posteriorBeta: number;
  observedImpressions: number; observedPurchases: number;
}

export type AllocationSort = 'IMPRESSIONS' | 'EXPECTED_CONVERSIONS' | 'PRODUCT_ID';
const SORT_COLUMN: Record<AllocationSort, 'impressions' | 'expectedConversions' | 'productId'> = {
  IMPRESSIONS: 'impressions', EXPECTED_CONVERSIONS: 'expectedConversions', PRODUCT_ID: 'productId',
};

export class ExposurePlanRepository {
  constructor(private readonly db: Database) {}

  find(merchantId: number, id: number): Promise<PlanRow | null> {
    return this.db.prisma.exposurePlan.findFirst({ where: { id, merchantId } });
  }

  findByJob(merchantId: number, jobId: string): Promise<PlanRow | null> {
    return this.db.prisma.exposurePlan.findFirst({ where: { merchantId, jobId } });
  }

  active(merchantId: number, placementId: number): Promise<PlanRow | null> {
    return this.db.prisma.exposurePlan.findFirst({ where: { merchantId, placementId, status: 'ACTIVE' }, orderBy: { id: 'desc' } });
  }

  list(merchantId: number, f: { placementId?: number; status?: ExposurePlanStatus }, take: number, beforeId: number | null): Promise<PlanRow[]> {
    return this.db.prisma.exposurePlan.findMany({
      where: { merchantId, ...(f.placementId ? { placementId: f.placementId } : {}), ...(f.status ? { status: f.status } : {}), ...(beforeId ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' }, take,
    });
  }

  /**
   * Stores a plan and its allocations in one transaction, as the placement's next version. Once per
   * job: a second run of the same job (a stalled job BullMQ re-ran while the first was alive) that
   * gets here finds the first one's plan under the same lock and returns it.
   */
  async store(merchantId: number, p: { placementId: number; jobId: string; parentPlanId: number | null; settings: PlanSettings; rows: AllocationRow[];
    totals: PlanTotals; curve: StoredCurvePoint[]; offPolicy: OffPolicyJson | null }): Promise<PlanRow> {
    return this.db.prisma.$transaction(async (tx) => {
      // Serialises version numbers per placement.
      await tx.$queryRawUnsafe(`SELECT id FROM "Placement" WHERE id = $1 AND "merchantId" = $2 FOR UPDATE`, p.placementId, merchantId);
      const stored = await tx.exposurePlan.findFirst({ where: { merchantId, placementId: p.placementId, jobId: p.jobId } });
      if (stored) return stored;
      const last = await tx.exposurePlan.aggregate({ where: { merchantId, placementId: p.placementId }, _max: { version: true } });
      const plan = await tx.exposurePlan.create({ data: {
        merchantId, placementId: p.placementId, version: (last._max.version ?? 0) + 1, status: 'DRAFT', jobId: p.jobId,
        parentPlanId: p.parentPlanId, seed: p.settings.seed, input: p.settings as unknown as Prisma.InputJsonValue,
        totals: p.totals as unknown as Prisma.InputJsonValue, curve: p.curve as unknown as Prisma.InputJsonValue,
        ...(p.offPolicy ? { offPolicy: p.offPolicy as unknown as Prisma.InputJsonValue } : {}),
      } });
      const CHUNK = 5000;
      for (let i = 0; i < p.rows.length; i += CHUNK) {
        await tx.exposureAllocation.createMany({ data: p.rows.slice(i, i + CHUNK).map((r) => ({
          merchantId, planId: plan.id, productId: r.productId, impressions: r.impressions, expectedClicks: r.expectedClicks,
          expectedConversions: r.expectedConversions, conversionsLow: r.conversionsLow, conversionsHigh: r.conversionsHigh, reason: r.reason,
          isLongTail: r.isLongTail, posteriorAlpha: r.posteriorAlpha, posteriorBeta: r.posteriorBeta,
          observedImpressions: r.observedImpressions, observedPurchases: r.observedPurchases,
        })) });
      }
      return plan;
    }, { timeout: 120_000, maxWait: 30_000 });
  }

  /** DRAFT → APPROVED at `at`; null when the plan is not the merchant's DRAFT. */
  async approve(merchantId: number, id: number, at: Date): Promise<PlanRow | null> {
    const { count } = await this.db.prisma.exposurePlan.updateMany({ where: { id, merchantId, status: 'DRAFT' }, data: { status: 'APPROVED', approvedAt: at } });
    return count ? this.find(merchantId, id) : null;
  }

  /**
   * APPROVED → ACTIVE at `at` (the data clock), archiving the placement's previously active plan in
   * the same transaction; null when the plan is not the merchant's APPROVED plan (nothing changes).
   */
  async activate(merchantId: number, id: number, at: Date): Promise<{ plan: PlanRow; archived: number[] } | null> {
    const plan = await this.find(merchantId, id);
    if (!plan || plan.status !== 'APPROVED') return null;
    return this.db.prisma.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM "Placement" WHERE id = $1 AND "merchantId" = $2 FOR UPDATE`, plan.placementId, merchantId);
      const previous = await tx.exposurePlan.findMany({ where: { merchantId, placementId: plan.placementId, status: 'ACTIVE' }, select: { id: true } });
      const moved = await tx.exposurePlan.updateMany({ where: { id, merchantId, status: 'APPROVED' }, data: { status: 'ACTIVE', activatedAt: at } });
      if (moved.count === 0) return null;
      await tx.exposurePlan.updateMany({ where: { id: { in: previous.map((p) => p.id) }, merchantId }, data: { status: 'ARCHIVED', archivedAt: at } });
      const updated = await tx.exposurePlan.findFirstOrThrow({ where: { id } });
      return { plan: updated, archived: previous.map((p) => p.id) };
    });
  }

  /** Any state but ARCHIVED → ARCHIVED at `at`; null when not the merchant's plan or archived already. */
  async archive(merchantId: number, id: number, at: Date): Promise<PlanRow | null> {
    const { count } = await this.db.prisma.exposurePlan.updateMany({ where: { id, merchantId, status: { not: 'ARCHIVED' } }, data: { status: 'ARCHIVED', archivedAt: at } });
    return count ? this.find(merchantId, id) : null;
  }

  /** A page of a plan's allocations; keyset on (sort value, id). */
  async allocations(merchantId: number, planId: number, a: { sort: AllocationSort; reverse: boolean; exposedOnly: boolean; take: number; after: [number, number] | null }): Promise<AllocationDbRow[]> {
    const col = SORT_COLUMN[a.sort];
    const dir = a.reverse ? 'desc' : 'asc';
    const cmp = a.reverse ? 'lt' : 'gt';
    const where: Prisma.ExposureAllocationWhereInput = { merchantId, planId, ...(a.exposedOnly ? { impressions: { gt: 0 } } : {}) };
    if (a.after) where.OR = [{ [col]: { [cmp]: a.after[0] } }, { [col]: a.after[0], id: { [cmp]: a.after[1] } }];
    return this.db.prisma.exposureAllocation.findMany({ where, orderBy: [{ [col]: dir }, { id: dir }], take: a.take });
  }

  /** Every allocation of a plan (performance, serving). */
  allAllocations(merchantId: number, planId: number): Promise<AllocationDbRow[]> {
    return this.db.prisma.exposureAllocation.findMany({ where: { merchantId, planId }, orderBy: { id: 'asc' } });
  }
}
