// Training material for the demand model, read with SQL into the plain records of src/ml/launch:
// every product with its launch and creation dates; gross units sold per product, day and unit price
// in the first W weeks after launch; impressions per product and week since launch (from events).
// A product's launch is its launchedAt, else its first sale — the same rule launchHistoryFromRecords
// applies, so week indices agree. Cancelled orders, orders of confirmed risk flags and orders of
// erased customers' anonymous stand-ins are left out of the units, as in every other training (a
// first sale still dates a launch, whoever made it). Past launches planned here are ordinary products with sales, so their actuals feed
// the next training with no extra step.
import type { Database } from '../../db/database';
import type { LaunchRecordImpressions, LaunchRecordProduct, LaunchRecordSale } from '../../ml/launch';
import { NOT_CONFIRMED_SUSPICIOUS } from '../risk/risk-exclusion';
import { NOT_ERASED_STAND_IN } from '../customers/erased-stand-in';

export interface CatalogueProduct {
  id: number; title: string; description: string; category: string | null; brand: string | null; price: number; cost: number | null;
  status: string;
}

const LAUNCH_CTE = `
  first_sale AS (
    SELECT ol."productId" AS p, MIN(o."orderedAt") AS t
    FROM "OrderLine" ol JOIN "Order" o ON o.id = ol."orderId"
    WHERE ol."merchantId" = $1 AND ol.quantity > 0 AND o.status <> 'CANCELLED' AND o."orderedAt" < $2 AND ${NOT_CONFIRMED_SUSPICIOUS}
    GROUP BY ol."productId"),
  launch AS (
    SELECT p.id, COALESCE(p."launchedAt", date_trunc('day', fs.t)) AS t FROM "Product" p LEFT JOIN first_sale fs ON fs.p = p.id
    WHERE p."merchantId" = $1 AND COALESCE(p."launchedAt", fs.t) IS NOT NULL)`;

export class LaunchDataRepository {
  constructor(private readonly db: Database) {}

  /** Every product, with the promotion it launched with when it was launched through a launch here. */
  async products(merchantId: number): Promise<LaunchRecordProduct[]> {
    const rows = await this.db.sql.query<LaunchRecordProduct>(`
      SELECT id AS "productId", category, brand, title, description, price::float8 AS price, "launchedAt", "createdAt"
      FROM "Product" WHERE "merchantId" = $1 ORDER BY id`, [merchantId]);
    const known = new Map((await this.launchedPromotions(merchantId)).map((r) => [r.productId, { discount: r.discount, promoWeeks: r.promoWeeks }]));
    return rows.map((r) => ({
      ...r, launchedAt: r.launchedAt ? new Date(r.launchedAt) : null, createdAt: new Date(r.createdAt), knownPromotion: known.get(r.productId) ?? null,
    }));
  }

  /**
   * The promotion of each product launched through a LAUNCHED or REVIEWED launch: its chosen
   * scenario's, else the recommended one's (what markLaunchLaunched dates the launch by). Known
   * whether or not it sold — unlike a promotion read off discounted sales.
   */
  launchedPromotions(merchantId: number): Promise<{ productId: number; discount: number; promoWeeks: number }[]> {
    return this.db.sql.query(`
      SELECT DISTINCT ON (p."productId") p."productId", (s.params->>'discount')::float8 AS discount, (s.params->>'promoWeeks')::int AS "promoWeeks"
      FROM "Launch" l
      CROSS JOIN LATERAL unnest(l."productIds") AS p("productId")
      JOIN LATERAL (
        SELECT params FROM "LaunchScenario" s WHERE s."launchId" = l.id AND s."merchantId" = $1
        ORDER BY COALESCE(s.id = l."chosenScenarioId", false) DESC, s.rank LIMIT 1) s ON true
      WHERE l."merchantId" = $1 AND l.status IN ('LAUNCHED', 'REVIEWED')
      ORDER BY p."productId", l."launchedAt" DESC NULLS LAST, l.id DESC`, [merchantId]);
  }

  /**
   * Gross units per product, day and unit price up to `weeks` after each product's launch, before
   * `asOf` — every product's first sale included, so "the shop's first sale" is right for the history.
   * Days are UTC days, and a launch known only by its first sale starts at that day's midnight, so
   * impressions' week indices agree with the weeks the history counts.
   */
  async sales(merchantId: number, asOf: Date, weeks: number): Promise<LaunchRecordSale[]> {
    const rows = await this.db.sql.query<{ productId: number; orderedAt: Date; quantity: number; unitPrice: number }>(`
      WITH ${LAUNCH_CTE}
      SELECT ol."productId", date_trunc('day', o."orderedAt") AS "orderedAt", SUM(ol.quantity)::int AS quantity, ol."unitPrice"::float8 AS "unitPrice"
      FROM "OrderLine" ol JOIN "Order" o ON o.id = ol."orderId" JOIN launch l ON l.id = ol."productId"
      WHERE ol."merchantId" = $1 AND ol.quantity > 0 AND o.status <> 'CANCELLED' AND o."orderedAt" < $2
        AND o."orderedAt" < l.t + $3::int * interval '7 days'
        AND ${NOT_CONFIRMED_SUSPICIOUS} AND ${NOT_ERASED_STAND_IN}
      GROUP BY ol."productId", date_trunc('day', o."orderedAt"), ol."unitPrice"
      ORDER BY 1, 2`, [merchantId, asOf.toISOString(), weeks]);
    return rows.map((r) => ({ ...r, orderedAt: new Date(r.orderedAt) }));
  }

  /** Impressions per product and 0-based week since its launch, for the first `weeks` weeks. */
  impressions(merchantId: number, asOf: Date, weeks: number): Promise<LaunchRecordImpressions[]> {
    return this.db.sql.query<LaunchRecordImpressions>(`
      WITH ${LAUNCH_CTE}
      SELECT e."productId", floor(extract(epoch FROM (e."occurredAt" - l.t)) / 604800)::int AS "weekIndex", count(*)::int AS impressions
      FROM "Event" e JOIN launch l ON l.id = e."productId"
      WHERE e."merchantId" = $1 AND e.type = 'IMPRESSION' AND e."occurredAt" < $2
        AND e."occurredAt" >= l.t AND e."occurredAt" < l.t + $3::int * interval '7 days'
      GROUP BY 1, 2 ORDER BY 1, 2`, [merchantId, asOf.toISOString(), weeks]);
  }

  /** The launch's products as they are now. */
  catalogueProducts(merchantId: number, ids: number[]): Promise<CatalogueProduct[]> {
    return this.db.sql.query<CatalogueProduct>(`
      SELECT id, title, description, category, brand, price::float8 AS price, cost::float8 AS cost, status::text AS status
      FROM "Product" WHERE "merchantId" = $1 AND id = ANY($2::int[]) ORDER BY id`, [merchantId, ids]);
  }

  /** Median list price per category (key '' = the whole catalogue). */
  async categoryMedianPrices(merchantId: number): Promise<Map<string, number>> {
    const rows = await this.db.sql.query<{ category: string | null; total: number; median: number }>(`
      SELECT category, GROUPING(category)::int AS total, percentile_cont(0.5) WITHIN GROUP (ORDER BY price::float8) AS median
      FROM "Product" WHERE "merchantId" = $1 GROUP BY ROLLUP (category)`, [merchantId]);
    const out = new Map<string, number>();
    for (const r of rows) {
      if (r.median === null) continue;
      if (Number(r.total) === 1) out.set('', Number(r.median));
      else if (r.category !== null) out.set(r.category, Number(r.median));
    }
    return out;
  }
}
