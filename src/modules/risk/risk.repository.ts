// Order data for the risk rules, and the flags they raise.
import type { Database } from '../../db/database';
import type { OrderLines, Orders, RiskFlag as RuleFlag } from '../../ml/risk';

export interface RiskData {
  lines: OrderLines;
  orders: Orders;
  orderIds: number[];
  customerIds: number[];
  customerCreatedMs: Float64Array;
  /** Customers sharing an address/email attribute get the same key (-1 = none). */
  attributeKey: Int32Array;
}

export class RiskRepository {
  constructor(private readonly db: Database) {}

  async load(merchantId: number): Promise<RiskData> {
    const customers = await this.db.sql.query<{ id: number; createdAt: Date; key: string | null }>(`
      SELECT id, "createdAt", COALESCE(attributes->>'email_hash', attributes->>'address', attributes->>'email') AS key
      FROM "Customer" WHERE "merchantId" = $1 ORDER BY id`, [merchantId]);
    const cIndex = new Map(customers.map((c, i) => [c.id, i]));
    const keys = new Map<string, number>();
    const attributeKey = Int32Array.from(customers, (c) => {
      if (!c.key) return -1;
      let k = keys.get(c.key);
      if (k === undefined) { k = keys.size; keys.set(c.key, k); }
      return k;
    });
    const orders = await this.db.sql.query<{ id: number; c: number | null; t: Date; cancelled: boolean; u: Date }>(`
      SELECT id, "customerId" AS c, "orderedAt" AS t, status = 'CANCELLED' AS cancelled, "updatedAt" AS u
      FROM "Order" WHERE "merchantId" = $1 ORDER BY id`, [merchantId]);
    const oIndex = new Map(orders.map((o, i) => [o.id, i]));
    // Lines of orders imported after the order read above are left out (they would have no order).
    const lines = (await this.db.sql.query<{ o: number; p: number; q: number; price: number }>(`
      SELECT ol."orderId" AS o, ol."productId" AS p, ol.quantity AS q, ol."unitPrice"::float8 AS price
      FROM "OrderLine" ol WHERE ol."merchantId" = $1 AND ol.quantity > 0`, [merchantId])).filter((l) => oIndex.has(l.o));
    const customerOf = Int32Array.from(orders, (o) => (o.c === null ? -1 : cIndex.get(o.c) ?? -1));
    const placed = Float64Array.from(orders, (o) => new Date(o.t).getTime());
    return {
      lines: {
        order: Int32Array.from(lines, (l) => oIndex.get(l.o)!),
        customer: Int32Array.from(lines, (l) => customerOf[oIndex.get(l.o)!]),
        product: Int32Array.from(lines, (l) => l.p),
        timeMs: Float64Array.from(lines, (l) => placed[oIndex.get(l.o)!]),
        quantity: Float64Array.from(lines, (l) => l.q),
        unitPrice: Float64Array.from(lines, (l) => l.price),
      },
      // The cancellation time is not recorded separately: the order's last update stands in.
      orders: { customer: customerOf, placedMs: placed, cancelledMs: Float64Array.from(orders, (o) => (o.cancelled ? new Date(o.u).getTime() : NaN)) },
      orderIds: orders.map((o) => o.id),
      customerIds: customers.map((c) => c.id),
      customerCreatedMs: Float64Array.from(customers, (c) => new Date(c.createdAt).getTime()),
      attributeKey,
    };
  }

  /** Inserts new flags; a flag already raised for the same pattern keeps its status. Returns how many were new. */
  async upsertFlags(merchantId: number, flags: Array<RuleFlag & { orderIds: number[]; customerIds: number[]; fingerprint: string }>): Promise<number> {
    let created = 0;
    for (const f of flags) {
      const rows = await this.db.sql.query(`
        INSERT INTO "RiskFlag" ("merchantId", kind, score, status, reason, "orderIds", "customerIds", fingerprint, details, "orderId", "customerId")
        SELECT $1, $2, $3, 'OPEN', $4, $5::int[], $6::int[], $7, $8::jsonb, $9, $10
        WHERE NOT EXISTS (SELECT 1 FROM "RiskFlag" WHERE "merchantId" = $1 AND fingerprint = $7)
        RETURNING id`,
      [merchantId, f.kind, f.score, f.reason, f.orderIds, f.customerIds, f.fingerprint, JSON.stringify(f.evidence), f.orderIds[0] ?? null, f.customerIds[0] ?? null]);
      created += rows.length;
    }
    return created;
  }

  list(merchantId: number, status: string | undefined, take: number, beforeId: number | null) {
    return this.db.prisma.riskFlag.findMany({
      where: { merchantId, ...(status ? { status } : {}), ...(beforeId ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' }, take,
    });
  }

  async resolve(merchantId: number, id: number, status: 'CONFIRMED' | 'DISMISSED') {
    const { count } = await this.db.prisma.riskFlag.updateMany({ where: { id, merchantId }, data: { status, resolvedAt: new Date() } });
    return count > 0 ? this.db.prisma.riskFlag.findUnique({ where: { id } }) : null;
  }
}
