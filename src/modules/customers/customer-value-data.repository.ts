// Reads and writes for customer value: the purchase log (orders of known customers, cancellations
// and orders in confirmed risk flags excluded) and the per-customer values of a model version.
import { ERASED_STAND_IN } from './erased-stand-in';
import type { Database } from '../../db/database';
import type { EventLog } from '../../ml/clv/calendar';
import type { PurchaseLog } from '../../ml/clv/rfm';
import { NOT_CONFIRMED_SUSPICIOUS } from '../risk/risk-exclusion';


export interface ValueRow {
  customerId: number; frequency: number; recency: number; age: number; meanSpend: number;
  expectedPurchases: number; expectedSpend: number; clv: number; pAlive: number; churnRisk: number; propensity: number; segment: string;
}

export class CustomerValueRepository {
  constructor(private readonly db: Database) {}

  /**
   * One row per order (its net amount), customers numbered 0..n-1 in id order. Erased customers'
   * anonymous stand-ins (see erasure.ts) and their orders are left out — erasure keeps a person out
   * of later training — and returned in `standIns` only to be counted.
   */
  async purchaseLog(merchantId: number, to: Date): Promise<{ customerIds: number[]; standIns: Set<number>; log: PurchaseLog }> {
    const customers = await this.db.sql.query<{ id: number; erased: boolean }>(
      `SELECT id, attributes @> ${ERASED_STAND_IN} AS erased FROM "Customer" WHERE "merchantId" = $1 ORDER BY id`, [merchantId]);
    const people = customers.filter((c) => !c.erased);
    const index = new Map(people.map((c, i) => [c.id, i]));
    const rows = await this.db.sql.query<{ c: number; t: Date; amount: number }>(`
      SELECT o."customerId" AS c, o."orderedAt" AS t, SUM(ol.quantity * ol."unitPrice")::float8 AS amount
      FROM "Order" o JOIN "OrderLine" ol ON ol."orderId" = o.id
      WHERE o."merchantId" = $1 AND o."customerId" IS NOT NULL AND o.status <> 'CANCELLED' AND o."orderedAt" <= $2
        AND ${NOT_CONFIRMED_SUSPICIOUS}
      GROUP BY o.id HAVING SUM(ol.quantity) > 0`, [merchantId, to.toISOString()]);
    const kept = rows.filter((r) => index.has(r.c));
    return {
      customerIds: people.map((c) => c.id),
      standIns: new Set(customers.filter((c) => c.erased).map((c) => c.id)),
      log: {
        customer: Int32Array.from(kept, (r) => index.get(r.c)!),
        timeMs: Float64Array.from(kept, (r) => new Date(r.t).getTime()),
        amount: Float64Array.from(kept, (r) => Math.max(0, r.amount)),
      },
    };
  }

  /**
   * Views and add-to-cart events of known customers up to `to`, one row per (customer, day, type) —
   * the calendar model counts event days, so the aggregation loses nothing it uses. Null when the
   * merchant has none.
   */
  async eventLog(merchantId: number, to: Date, customerIds: number[]): Promise<EventLog | null> {
    const index = new Map(customerIds.map((id, i) => [id, i]));
    const rows = await this.db.sql.query<{ c: number; d: Date; t: string }>(`
      SELECT "customerId" AS c, date_trunc('day', "occurredAt") AS d, type::text AS t
      FROM "Event" WHERE "merchantId" = $1 AND "customerId" IS NOT NULL AND type IN ('VIEW', 'ADD_TO_CART') AND "occurredAt" <= $2
      GROUP BY 1, 2, 3`, [merchantId, to.toISOString()]);
    if (rows.length === 0) return null;
    return {
      customer: Int32Array.from(rows, (r) => index.get(r.c) ?? -1),
      timeMs: Float64Array.from(rows, (r) => new Date(r.d).getTime()),
      type: Uint8Array.from(rows, (r) => (r.t === 'VIEW' ? 0 : 1)),
    };
  }

  async writeValues(merchantId: number, modelVersionId: number, horizonDays: number, rows: ValueRow[]): Promise<void> {
    const CHUNK = 5000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const col = <K extends keyof ValueRow>(k: K) => part.map((r) => r[k]);
      await this.db.sql.query(`
        INSERT INTO "CustomerValue" ("merchantId", "modelVersionId", "customerId", "horizonDays", frequency, recency, age, "meanSpend",
          "expectedPurchases", "expectedSpend", clv, "pAlive", "churnRisk", propensity, segment, "computedAt")
        SELECT $1, $2, c, $3, f, r, a, ms, ep, es, clv, pa, cr, pr, seg, now()
        FROM unnest($4::int[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::text[])
          AS t(c, f, r, a, ms, ep, es, clv, pa, cr, pr, seg)
        -- A customer erased while the model trained gets no value row (the table has no foreign key).
        WHERE EXISTS (SELECT 1 FROM "Customer" cu WHERE cu.id = t.c AND cu."merchantId" = $1)
        ON CONFLICT ("merchantId", "modelVersionId", "customerId") DO UPDATE SET frequency = EXCLUDED.frequency, recency = EXCLUDED.recency,
          age = EXCLUDED.age, "meanSpend" = EXCLUDED."meanSpend", "expectedPurchases" = EXCLUDED."expectedPurchases",
          "expectedSpend" = EXCLUDED."expectedSpend", clv = EXCLUDED.clv, "pAlive" = EXCLUDED."pAlive", "churnRisk" = EXCLUDED."churnRisk",
          propensity = EXCLUDED.propensity, segment = EXCLUDED.segment, "computedAt" = now()`,
      [merchantId, modelVersionId, horizonDays, col('customerId'), col('frequency'), col('recency'), col('age'), col('meanSpend'),
        col('expectedPurchases'), col('expectedSpend'), col('clv'), col('pAlive'), col('churnRisk'), col('propensity'), col('segment')]);
    }
  }

  /** Drops the values of versions that failed, so a failed training leaves nothing half-written. */
  async deleteValues(merchantId: number, modelVersionIds: number[]): Promise<void> {
    await this.db.sql.query(`DELETE FROM "CustomerValue" WHERE "merchantId" = $1 AND "modelVersionId" = ANY($2::int[])`, [merchantId, modelVersionIds]);
  }

  async list(merchantId: number, modelVersionId: number, opts: { segment?: string; sort: 'clv' | 'churnRisk' | 'expectedPurchases'; take: number; after: [number, number] | null }) {
    const sortCol = { clv: 'clv', churnRisk: '"churnRisk"', expectedPurchases: '"expectedPurchases"' }[opts.sort];
    const params: unknown[] = [merchantId, modelVersionId, opts.take];
    let where = `"merchantId" = $1 AND "modelVersionId" = $2`;
    if (opts.segment) { params.push(opts.segment); where += ` AND segment = $${params.length}`; }
    if (opts.after) { params.push(opts.after[0], opts.after[1]); where += ` AND (${sortCol}, "customerId") < ($${params.length - 1}::float8, $${params.length}::int)`; }
    return this.db.sql.query<ValueRow & { horizonDays: number }>(`SELECT * FROM "CustomerValue" WHERE ${where} ORDER BY ${sortCol} DESC, "customerId" DESC LIMIT $3`, params);
  }

  async forCustomer(merchantId: number, modelVersionId: number, customerId: number) {
    const [row] = await this.db.sql.query<ValueRow & { horizonDays: number }>(`SELECT * FROM "CustomerValue" WHERE "merchantId" = $1 AND "modelVersionId" = $2 AND "customerId" = $3`, [merchantId, modelVersionId, customerId]);
    return row ?? null;
  }

  async summary(merchantId: number, modelVersionId: number) {
    return this.db.sql.query<{ segment: string; customers: number; expectedValue: number; expectedPurchases: number; meanChurnRisk: number }>(`
      SELECT segment, count(*)::int AS customers, SUM(clv)::float8 AS "expectedValue", SUM("expectedPurchases")::float8 AS "expectedPurchases",
        AVG("churnRisk")::float8 AS "meanChurnRisk"
      FROM "CustomerValue" WHERE "merchantId" = $1 AND "modelVersionId" = $2 GROUP BY segment ORDER BY segment`, [merchantId, modelVersionId]);
  }
}
