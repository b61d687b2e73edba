// Product reads and writes. Listing is one SQL statement: filters, trailing-sales stats (stored
// ProductStat rows, or computed on the fly for an `asOf` other than the data clock), keyset paging.
import type { Database } from '../../db/database';
import type { Prisma, ProductStatus } from '../../db/generated/client';
import type { CursorKind } from '../../graphql/relay';

export type ProductSort = 'CREATED_AT' | 'SALES' | 'TITLE' | 'ID';

export interface ProductFilter {
  category?: string;
  brand?: string;
  status?: ProductStatus;
  query?: string;
  longTail?: boolean;
  isNew?: boolean;
}

export interface ProductListRow {
  id: number; merchantId: number; externalId: string; title: string; description: string;
  category: string | null; brand: string | null; price: number; cost: number | null; stock: number | null;
  attributes: unknown; tags: string[]; status: ProductStatus; createdAt: Date; launchedAt: Date | null;
  updatedAt: Date; units90d: number; revenue90d: number; isLongTail: boolean; effectiveLaunchedAt: Date;
}

export interface ListParams {
  merchantId: number;
  filter: ProductFilter;
  sort: ProductSort;
  take: number;
  after: unknown[] | null;
  now: Date;
  newDays: number;
  headShare: number;
  /** Compute stats at `now` instead of reading the stored ones. */
  liveStats: boolean;
}

const STATS_SQL = (m: string, now: string, share: string) => `
  sales AS (
    SELECT ol."productId" AS pid, SUM(ol.quantity)::int AS units, SUM(ol.quantity * ol."unitPrice")::float8 AS revenue
    FROM "OrderLine" ol JOIN "Order" o ON o.id = ol."orderId"
    WHERE ol."merchantId" = ${m} AND o.status <> 'CANCELLED'
      AND ol."orderedAt" > ${now} - interval '90 days' AND ol."orderedAt" <= ${now}
    GROUP BY ol."productId"),
  ranked AS (
    SELECT pid, units, revenue,
      SUM(units) OVER (ORDER BY units DESC, pid ROWS UNBOUNDED PRECEDING)::float8 AS cum,
      SUM(units) OVER ()::float8 AS total
    FROM sales WHERE units > 0),
  stats AS (
    SELECT pid, units, revenue, cum / total AS cum_share, ((cum - units) / total) >= ${share} AS long_tail FROM ranked)`;

export class ProductRepository {
  constructor(private readonly db: Database) {}

  async list(p: ListParams): Promise<ProductListRow[]> {
    const params: unknown[] = [p.merchantId, p.now.toISOString(), p.headShare];
    const arg = (v: unknown) => { params.push(v); return `$${params.length}`; };
    const statsCte = p.liveStats
      ? `WITH ${STATS_SQL('$1', '$2::timestamptz', '$3::float8')}`
      : `WITH stats AS (SELECT "productId" AS pid, "units90d" AS units, "revenue90d"::float8 AS revenue, "isLongTail" AS long_tail
           FROM "ProductStat" WHERE "merchantId" = $1 AND $2::timestamptz IS NOT NULL AND $3::float8 IS NOT NULL)`;
    const where = ['p."merchantId" = $1'];
    const f = p.filter;
    if (f.category !== undefined) where.push(`p.category = ${arg(f.category)}`);
    if (f.brand !== undefined) where.push(`p.brand = ${arg(f.brand)}`);
    if (f.status !== undefined) where.push(`p.status = ${arg(f.status)}::"ProductStatus"`);
    if (f.query) {
      const q = arg(`%${f.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(p.title ILIKE ${q} OR p.description ILIKE ${q} OR p."externalId" ILIKE ${q})`);
    }
    if (f.longTail !== undefined) where.push(`COALESCE(s.long_tail, true) = ${arg(f.longTail)}`);
    const launched = `COALESCE(p."launchedAt", p."createdAt")`;
    if (f.isNew !== undefined) {
      const cond = `(${launched} > $2::timestamptz - make_interval(days => ${arg(p.newDays)}) AND ${launched} <= $2::timestamptz)`;
      where.push(f.isNew ? cond : `NOT ${cond}`);
    }
    const { order, keyset } = this.sortSql(p.sort, p.after, arg);
    if (keyset) where.push(keyset);
    const sql = `${statsCte}
      SELECT p.*, p.price::float8 AS price, p.cost::float8 AS cost,
        COALESCE(s.units, 0)::int AS "units90d", COALESCE(s.revenue, 0)::float8 AS "revenue90d",
        COALESCE(s.long_tail, true) AS "isLongTail", ${launched} AS "effectiveLaunchedAt"
      FROM "Product" p LEFT JOIN stats s ON s.pid = p.id
      WHERE ${where.join(' AND ')}
      ORDER BY ${order}
      LIMIT ${arg(p.take)}`;
    return this.db.sql.query<ProductListRow>(sql, params);
  }

  /** ORDER BY and the keyset condition for a cursor made of the same sort key. */
  private sortSql(sort: ProductSort, after: unknown[] | null, arg: (v: unknown) => string) {
    switch (sort) {
      case 'SALES': return {
        order: 'COALESCE(s.units, 0) DESC, p.id DESC',
        keyset: after ? `(COALESCE(s.units, 0), p.id) < (${arg(Number(after[0]))}::int, ${arg(Number(after[1]))}::int)` : null,
      };
      case 'TITLE': return {
        order: 'p.title ASC, p.id ASC',
        keyset: after ? `(p.title, p.id) > (${arg(String(after[0]))}::text, ${arg(Number(after[1]))}::int)` : null,
      };
      case 'ID': return { order: 'p.id ASC', keyset: after ? `p.id > ${arg(Number(after[0]))}::int` : null };
      case 'CREATED_AT': default: return {
        order: 'p."createdAt" DESC, p.id DESC',
        keyset: after ? `(p."createdAt", p.id) < (${arg(String(after[0]))}::timestamptz, ${arg(Number(after[1]))}::int)` : null,
      };
    }
  }

  /** What cursorKey's values are for each sort, to refuse a forged cursor. */
  static cursorKinds(sort: ProductSort): CursorKind[] {
    switch (sort) {
      case 'SALES': return ['int', 'int'];
      case 'TITLE': return ['string', 'int'];
      case 'ID': return ['int'];
      default: return ['date', 'int'];
    }
  }

  static cursorKey(sort: ProductSort, r: ProductListRow): unknown[] {
    switch (sort) {
      case 'SALES': return [r.units90d, r.id];
      case 'TITLE': return [r.title, r.id];
      case 'ID': return [r.id];
      default: return [new Date(r.createdAt).toISOString(), r.id];
    }
  }

  async findByIds(merchantId: number, ids: number[], now: Date, headShare: number): Promise<ProductListRow[]> {
    if (ids.length === 0) return [];
    return this.db.sql.query<ProductListRow>(`
      WITH stats AS (SELECT "productId" AS pid, "units90d" AS units, "revenue90d"::float8 AS revenue, "isLongTail" AS long_tail
        FROM "ProductStat" WHERE "merchantId" = $1 AND "productId" = ANY($2::int[]))
      SELECT p.*, p.price::float8 AS price, p.cost::float8 AS cost,
        COALESCE(s.units, 0)::int AS "units90d", COALESCE(s.revenue, 0)::float8 AS "revenue90d",
        COALESCE(s.long_tail, true) AS "isLongTail", COALESCE(p."launchedAt", p."createdAt") AS "effectiveLaunchedAt"
      FROM "Product" p LEFT JOIN stats s ON s.pid = p.id
      WHERE p."merchantId" = $1 AND p.id = ANY($2::int[]) AND $3::timestamptz IS NOT NULL AND $4::float8 IS NOT NULL`,
    [merchantId, ids, now.toISOString(), headShare]);
  }

  async idByExternalId(merchantId: number, externalId: string): Promise<number | null> {
    const p = await this.db.prisma.product.findUnique({ where: { merchantId_externalId: { merchantId, externalId } }, select: { id: true } });
    return p?.id ?? null;
  }

  upsert(merchantId: number, externalId: string, data: Omit<Prisma.ProductUncheckedCreateInput, 'merchantId' | 'externalId'>) {
    return this.db.prisma.product.upsert({
      where: { merchantId_externalId: { merchantId, externalId } },
      create: { ...data, merchantId, externalId },
      update: data,
      select: { id: true },
    });
  }

  async setStatus(merchantId: number, id: number, status: ProductStatus): Promise<boolean> {
    const { count } = await this.db.prisma.product.updateMany({ where: { id, merchantId }, data: { status } });
    return count > 0;
  }

  /**
   * Long-tail product ids as the stored stats would have flagged them at `at`: the same rule as
   * refreshStats (outside the best sellers making the first `headShare` of trailing-90-day units;
   * products without sales included), computed from the orders before `at`.
   */
  async longTailIdsAsOf(merchantId: number, at: Date, headShare: number): Promise<Set<number>> {
    const rows = await this.db.sql.query<{ id: number }>(`
      WITH ${STATS_SQL('$1', '$2::timestamptz', '$3::float8')}
      SELECT p.id FROM "Product" p LEFT JOIN stats s ON s.pid = p.id
      WHERE p."merchantId" = $1 AND COALESCE(s.long_tail, true)`, [merchantId, at.toISOString(), headShare]);
    return new Set(rows.map((r) => r.id));
  }

  /** Recomputes the stored trailing-90-day stats at `now` (after imports move the data clock). */
  async refreshStats(merchantId: number, now: Date, headShare: number): Promise<number> {
    const params = [merchantId, now.toISOString(), headShare];
    await this.db.sql.query(`DELETE FROM "ProductStat" WHERE "merchantId" = $1 AND $2::timestamptz IS NOT NULL AND $3::float8 IS NOT NULL`, params);
    const rows = await this.db.sql.query<{ n: number }>(`
      WITH ${STATS_SQL('$1', '$2::timestamptz', '$3::float8')},
      ins AS (
        INSERT INTO "ProductStat" ("productId", "merchantId", "units90d", "revenue90d", "cumShare", "isLongTail", "asOf")
        SELECT pid, $1, units, revenue, cum_share, long_tail, $2::timestamptz FROM stats
        RETURNING 1)
      SELECT count(*)::int AS n FROM ins`, params);
    return rows[0]?.n ?? 0;
  }
}
