// Placements (a merchant's surfaces: home page, category page, recommendation slot) and the
// impressions observed at them.
import type { Database } from '../../db/database';

export interface PlacementRow {
  id: number; merchantId: number; handle: string; name: string | null; slots: number; expectedDailyImpressions: number; createdAt: Date;
}

export class PlacementRepository {
  constructor(private readonly db: Database) {}

  find(merchantId: number, id: number): Promise<PlacementRow | null> {
    return this.db.prisma.placement.findFirst({ where: { id, merchantId } });
  }

  findByHandle(merchantId: number, handle: string): Promise<PlacementRow | null> {
    return this.db.prisma.placement.findUnique({ where: { merchantId_handle: { merchantId, handle } } });
  }

  list(merchantId: number, take: number, afterId: number | null): Promise<PlacementRow[]> {
    return this.db.prisma.placement.findMany({ where: { merchantId, ...(afterId ? { id: { gt: afterId } } : {}) }, orderBy: { id: 'asc' }, take });
  }

  /** Creates the placement; null when the handle is taken. */
  async create(merchantId: number, data: { handle: string; name: string | null; slots: number; expectedDailyImpressions: number }): Promise<PlacementRow | null> {
    const rows = await this.db.sql.query<{ id: number }>(`
      INSERT INTO "Placement" ("merchantId", handle, name, slots, "expectedDailyImpressions") VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT ("merchantId", handle) DO NOTHING RETURNING id`, [merchantId, data.handle, data.name, data.slots, data.expectedDailyImpressions]);
    return rows.length ? this.find(merchantId, rows[0].id) : null;
  }

  /** Updates the given fields; 'TAKEN' when the new handle belongs to another placement, null when not found. */
  async update(merchantId: number, id: number, data: Partial<{ handle: string; name: string | null; slots: number; expectedDailyImpressions: number }>): Promise<PlacementRow | null | 'TAKEN'> {
    if (data.handle !== undefined) {
      const other = await this.findByHandle(merchantId, data.handle);
      if (other && other.id !== id) return 'TAKEN';
    }
    try {
      const { count } = await this.db.prisma.placement.updateMany({ where: { id, merchantId }, data });
      return count ? this.find(merchantId, id) : null;
    } catch (err) {
      // Another request took the handle between the check above and this write (unique index).
      if ((err as { code?: string }).code === 'P2002') return 'TAKEN';
      throw err;
    }
  }

  /** Impressions logged at each placement in (from, to]. */
  async impressionCounts(merchantId: number, ids: number[], from: Date, to: Date): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.sql.query<{ pl: number; n: number }>(`
      SELECT "placementId" AS pl, count(*)::int AS n FROM "Event"
      WHERE "merchantId" = $1 AND type = 'IMPRESSION' AND "placementId" = ANY($2::int[]) AND "occurredAt" > $3 AND "occurredAt" <= $4
      GROUP BY "placementId"`, [merchantId, ids, from.toISOString(), to.toISOString()]);
    return new Map(rows.map((r) => [r.pl, r.n]));
  }
}
