// Reads a merchant's training material for the conversion model straight into typed arrays:
// exposures (impressions and product-page views of known customers), the purchase log that labels
// them, and the catalogue's and customers' content. Paged by key so memory is the arrays alone.
import type { Database } from '../../db/database';
import { Growable } from '../../ml/conversion/growable';
import { NOT_CONFIRMED_SUSPICIOUS } from '../risk/risk-exclusion';
import { ERASED_STAND_IN, NOT_ERASED_STAND_IN } from '../customers/erased-stand-in';

export interface RawExposures {
  n: number;
  customerId: Int32Array;
  productId: Int32Array;
  /** Placement row id, or -1. */
  placementId: Int32Array;
  /** Slot within the placement, or -1 (product-page views). */
  position: Int32Array;
  /** 1 for a direct product-page view, 0 for a list impression. */
  isView: Uint8Array;
  /** 1 when the shopper engaged with the product after the exposure (click, or view from the list). */
  engaged: Uint8Array;
  occurredAt: Float64Array;
}

export interface RawPurchases { n: number; customerId: Int32Array; productId: Int32Array; orderedAt: Float64Array }

export interface RawCustomer { id: number; segment: string | null; country: string | null; createdAt: Date }

export interface RawProduct {
  id: number; externalId: string; title: string; description: string; category: string | null; brand: string | null;
  price: number; tags: string[]; createdAt: Date; launchedAt: Date | null;
}

const PAGE = 100_000;

export class ConversionDataRepository {
  constructor(private readonly db: Database) {}

  /**
   * Exposures of known customers in [from, to): list impressions and direct product-page views
   * (a view without a placement). A later view from a list or a click on the same product marks
   * the exposure `engaged` (an auxiliary, more frequent signal). Read in (customer, time) order.
   */
  async exposures(merchantId: number, from: Date, to: Date, onPage?: (rows: number) => void): Promise<RawExposures> {
    const col = {
      customerId: new Growable(Int32Array), productId: new Growable(Int32Array), placementId: new Growable(Int32Array),
      position: new Growable(Int32Array), occurredAt: new Growable(Float64Array), isView: new Growable(Uint8Array), engaged: new Growable(Uint8Array),
    };
    const lastRow = new Map<number, number>(); // product → row, for the current customer
    let current = -1;
    let after: [number, string, string] = [0, new Date(0).toISOString(), '0'];
    for (;;) {
      const rows = await this.db.sql.query<{ id: string; c: number; p: number; pl: number | null; pos: number | null; ty: string; t: Date }>(`
        SELECT e.id::text AS id, e."customerId" AS c, e."productId" AS p, e."placementId" AS pl, e.position AS pos, e.type::text AS ty, e."occurredAt" AS t
        FROM "Event" e
        WHERE e."merchantId" = $1 AND e.type IN ('IMPRESSION', 'VIEW', 'CLICK') AND e."customerId" IS NOT NULL
          AND e."occurredAt" >= $2 AND e."occurredAt" < $3
          AND (e."customerId", e."occurredAt", e.id) > ($4::int, $5::timestamptz, $6::bigint)
        ORDER BY e."customerId", e."occurredAt", e.id LIMIT ${PAGE}`,
      [merchantId, from.toISOString(), to.toISOString(), after[0], after[1], after[2]]);
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.c !== current) { current = r.c; lastRow.clear(); }
        const direct = r.ty === 'VIEW' && r.pl === null;
        if (r.ty === 'IMPRESSION' || direct) {
          lastRow.set(r.p, col.customerId.length);
          col.customerId.push(r.c);
          col.productId.push(r.p);
          col.placementId.push(r.pl ?? -1);
          col.position.push(direct ? 0 : r.pos ?? 0);
          col.isView.push(direct ? 1 : 0);
          col.engaged.push(0);
          col.occurredAt.push(new Date(r.t).getTime());
        } else {
          const i = lastRow.get(r.p);
          // A click after a direct view, or a view reached from a list after an impression.
          if (i !== undefined && (r.ty === 'CLICK') === (col.isView.get(i) === 1)) col.engaged.set(i, 1);
        }
      }
      const last = rows[rows.length - 1];
      after = [last.c, new Date(last.t).toISOString(), last.id];
      onPage?.(col.customerId.length);
      if (rows.length < PAGE) break;
    }
    return {
      n: col.customerId.length, customerId: col.customerId.toArray(), productId: col.productId.toArray(), placementId: col.placementId.toArray(),
      position: col.position.toArray(), isView: col.isView.toArray(), engaged: col.engaged.toArray(), occurredAt: col.occurredAt.toArray(),
    };
  }

  /** Purchased lines of known customers up to `to`, ascending in time (cancellations and returns excluded). */
  async purchases(merchantId: number, to: Date): Promise<RawPurchases> {
    const rows = await this.db.sql.query<{ c: number; p: number; t: Date }>(`
      SELECT o."customerId" AS c, ol."productId" AS p, o."orderedAt" AS t
      FROM "Order" o JOIN "OrderLine" ol ON ol."orderId" = o.id
      WHERE o."merchantId" = $1 AND o."customerId" IS NOT NULL AND o.status <> 'CANCELLED' AND ol.quantity > 0 AND o."orderedAt" < $2
        AND ${NOT_CONFIRMED_SUSPICIOUS} AND ${NOT_ERASED_STAND_IN}
      ORDER BY o."orderedAt", o.id, ol.id`, [merchantId, to.toISOString()]);
    return {
      n: rows.length,
      customerId: Int32Array.from(rows, (r) => r.c), productId: Int32Array.from(rows, (r) => r.p),
      orderedAt: Float64Array.from(rows, (r) => new Date(r.t).getTime()),
    };
  }

  customers(merchantId: number): Promise<RawCustomer[]> {
    return this.db.sql.query<RawCustomer>(`
      SELECT id, attributes->>'segment' AS segment, attributes->>'country' AS country, "createdAt"
      FROM "Customer" WHERE "merchantId" = $1 AND NOT attributes @> ${ERASED_STAND_IN} ORDER BY id`, [merchantId]);
  }

  products(merchantId: number, ids?: number[]): Promise<RawProduct[]> {
    return this.db.sql.query<RawProduct>(`
      SELECT id, "externalId", title, description, category, brand, price::float8 AS price, tags, "createdAt", "launchedAt"
      FROM "Product" WHERE "merchantId" = $1 ${ids ? 'AND id = ANY($2::int[])' : ''} ORDER BY id`, ids ? [merchantId, ids] : [merchantId]);
  }

  async placements(merchantId: number): Promise<Array<{ id: number; handle: string }>> {
    return this.db.sql.query(`SELECT id, handle FROM "Placement" WHERE "merchantId" = $1 ORDER BY id`, [merchantId]);
  }

  /** Products each customer bought (for repurchase/discovery modes). */
  async purchasedProducts(merchantId: number, customerId: number): Promise<Set<number>> {
    const rows = await this.db.sql.query<{ p: number }>(`
      SELECT DISTINCT ol."productId" AS p FROM "Order" o JOIN "OrderLine" ol ON ol."orderId" = o.id
      WHERE o."merchantId" = $1 AND o."customerId" = $2 AND o.status <> 'CANCELLED' AND ol.quantity > 0`, [merchantId, customerId]);
    return new Set(rows.map((r) => r.p));
  }
}
