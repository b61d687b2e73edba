// What the exposure planner reads: candidate products with their long-tail flag, and per product
// the impressions, clicks and attributed purchases logged at one placement. A purchase is
// attributed to an impression when the same customer (or, for anonymous shoppers, the same
// session) bought the same product within the label window after it — from PURCHASE events or
// order lines, those of confirmed risk flags left out — which is how the conversion model labels its
// training exposures.
import type { Database } from '../../db/database';
import { pairKey, purchaseTimesByPair } from '../../ml/conversion/labels';
import { upperBound } from '../../ml/sorted';
import type { PurchaseLog } from '../../ml/conversion/types';
import { NOT_CONFIRMED_SUSPICIOUS } from '../risk/risk-exclusion';

export interface Candidate { id: number; isLongTail: boolean }

export interface PlacementObservations {
  /** Per product: impressions, attributed purchases (converted impressions) and clicks at the placement. */
  byProduct: Map<number, { impressions: number; purchases: number; clicks: number }>;
  impressions: number;
  purchases: number;
  clicks: number;
}

/** Instants come back as epoch milliseconds: parsing half a million timestamps into Dates cost ~1 s. */
const MS = (col: string) => `(extract(epoch from ${col}) * 1000)::float8`;

function timesBySession(rows: Array<{ s: string | null; p: number; t: number }>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of rows) {
    if (r.s === null) continue;
    const k = `${r.s}\u0000${r.p}`;
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(r.t);
  }
  for (const l of out.values()) l.sort((a, b) => a - b);
  return out;
}

function boughtWithin(times: number[] | undefined, t: number, windowMs: number): boolean {
  if (!times) return false;
  const k = upperBound(times, t);
  return k < times.length && times[k] <= t + windowMs;
}

export class ExposureDataRepository {
  constructor(private readonly db: Database) {}

  /** Active products passing the filter (category or a sub-category of it; exclusions), long-tail flag from ProductStat. */
  async candidates(merchantId: number, categories: string[], exclude: number[]): Promise<Candidate[]> {
    const rows = await this.db.sql.query<{ id: number; lt: boolean }>(`
      SELECT p.id, COALESCE(s."isLongTail", true) AS lt
      FROM "Product" p LEFT JOIN "ProductStat" s ON s."productId" = p.id
      WHERE p."merchantId" = $1 AND p.status = 'ACTIVE' AND NOT (p.id = ANY($2::int[]))
        AND (cardinality($3::text[]) = 0 OR p.category = ANY($3::text[])
             OR EXISTS (SELECT 1 FROM unnest($3::text[]) c WHERE p.category LIKE replace(replace(c, '%', '\\%'), '_', '\\_') || ' > %'))
      ORDER BY p.id`, [merchantId, exclude, categories]);
    return rows.map((r) => ({ id: r.id, isLongTail: r.lt }));
  }

  /** Which of `ids` are the merchant's products. */
  async ownProducts(merchantId: number, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.sql.query<{ id: number }>(`SELECT id FROM "Product" WHERE "merchantId" = $1 AND id = ANY($2::int[])`, [merchantId, ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Impressions, clicks and attributed purchases at the placement for impressions in (from, to]. */
  async observations(merchantId: number, placementId: number, from: Date, to: Date, labelWindowMs: number): Promise<PlacementObservations> {
    const args = [merchantId, placementId, from.toISOString(), to.toISOString()];
    const [imps, clicks] = await Promise.all([
      this.db.sql.query<{ p: number; c: number | null; s: string | null; t: number }>(`
        SELECT "productId" AS p, "customerId" AS c, "sessionId" AS s, ${MS('"occurredAt"')} AS t FROM "Event"
        WHERE "merchantId" = $1 AND "placementId" = $2 AND type = 'IMPRESSION' AND "occurredAt" > $3 AND "occurredAt" <= $4`, args),
      this.db.sql.query<{ p: number; n: number }>(`
        SELECT "productId" AS p, count(*)::int AS n FROM "Event"
        WHERE "merchantId" = $1 AND "placementId" = $2 AND type = 'CLICK' AND "occurredAt" > $3 AND "occurredAt" <= $4
        GROUP BY "productId"`, args),
    ]);
    const byProduct = new Map<number, { impressions: number; purchases: number; clicks: number }>();
    const out: PlacementObservations = { byProduct, impressions: 0, purchases: 0, clicks: 0 };
    const cell = (p: number) => {
      let c = byProduct.get(p);
      if (!c) byProduct.set(p, (c = { impressions: 0, purchases: 0, clicks: 0 }));
      return c;
    };
    for (const r of clicks) { cell(r.p).clicks += r.n; out.clicks += r.n; }
    if (imps.length === 0) return out;
    const until = new Date(to.getTime() + labelWindowMs).toISOString();
    const [events, lines] = await Promise.all([
      this.db.sql.query<{ c: number | null; s: string | null; p: number; t: number }>(`
        SELECT "customerId" AS c, "sessionId" AS s, "productId" AS p, ${MS('"occurredAt"')} AS t FROM "Event"
        WHERE "merchantId" = $1 AND type = 'PURCHASE' AND "occurredAt" > $2 AND "occurredAt" <= $3`, [merchantId, from.toISOString(), until]),
      this.db.sql.query<{ c: number; p: number; t: number }>(`
        SELECT o."customerId" AS c, ol."productId" AS p, ${MS('o."orderedAt"')} AS t
        FROM "Order" o JOIN "OrderLine" ol ON ol."orderId" = o.id
        WHERE o."merchantId" = $1 AND o."customerId" IS NOT NULL AND o.status <> 'CANCELLED' AND ol.quantity > 0
          AND o."orderedAt" > $2 AND o."orderedAt" <= $3 AND ${NOT_CONFIRMED_SUSPICIOUS}`, [merchantId, from.toISOString(), until]),
    ]);
    const known = [...events.filter((e) => e.c !== null), ...lines] as Array<{ c: number; p: number; t: number }>;
    const byCustomer = purchaseTimesByPair({
      count: known.length,
      customer: Int32Array.from(known, (r) => r.c), product: Int32Array.from(known, (r) => r.p),
      time: Float64Array.from(known, (r) => Number(r.t)),
    } satisfies PurchaseLog);
    const bySession = timesBySession(events);
    for (const r of imps) {
      const t = Number(r.t);
      const bought = r.c !== null
        ? boughtWithin(byCustomer.get(pairKey(r.c, r.p)), t, labelWindowMs)
        : r.s !== null && boughtWithin(bySession.get(`${r.s}\u0000${r.p}`), t, labelWindowMs);
      const c = cell(r.p);
      c.impressions++;
      out.impressions++;
      if (bought) { c.purchases++; out.purchases++; }
    }
    return out;
  }

  /** Impressions of `products` at the placement in (from, to]. */
  async servedCounts(merchantId: number, placementId: number, from: Date, to: Date, products: number[]): Promise<Map<number, number>> {
    if (products.length === 0) return new Map();
    const rows = await this.db.sql.query<{ p: number; n: number }>(`
      SELECT "productId" AS p, count(*)::int AS n FROM "Event"
      WHERE "merchantId" = $1 AND "placementId" = $2 AND type = 'IMPRESSION' AND "occurredAt" > $3 AND "occurredAt" <= $4 AND "productId" = ANY($5::int[])
      GROUP BY "productId"`, [merchantId, placementId, from.toISOString(), to.toISOString(), products]);
    return new Map(rows.map((r) => [r.p, r.n]));
  }

  /** The placement's recent audience: customers with impressions there in (from, to], most recent first. */
  async audience(merchantId: number, placementId: number, from: Date, to: Date, limit: number): Promise<number[]> {
    const rows = await this.db.sql.query<{ c: number }>(`
      SELECT "customerId" AS c FROM "Event"
      WHERE "merchantId" = $1 AND "placementId" = $2 AND type = 'IMPRESSION' AND "customerId" IS NOT NULL AND "occurredAt" > $3 AND "occurredAt" <= $4
      GROUP BY "customerId" ORDER BY max("occurredAt") DESC, "customerId" LIMIT $5`,
    [merchantId, placementId, from.toISOString(), to.toISOString(), limit]);
    return rows.map((r) => r.c);
  }
}
