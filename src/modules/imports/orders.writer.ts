// Writes a batch of order lines: groups them into orders (customer, time and status belong to
// the order), upserts the orders, then the lines keyed by (order, line_no), then links each
// return line (negative quantity) to the first sale line of the same order and product.
// Linking reads the stored lines, so it holds whatever order or batch the sale arrived in.
import type { Database } from '../../db/database';
import { BatchOutcome, lastPerKey } from './batch-outcome';
import type { OrderLineRow, OrderStatus } from './orders.validator';
import { ensureCustomers, noteEarliest, pick, ReferenceCache, resolveProducts } from './references';

interface OrderGroup { ext: string; customerExt: string | null; orderedAt: string; status: OrderStatus | null; lines: OrderLineRow[] }

const UPSERT_ORDERS = `
INSERT INTO "Order" ("merchantId", "externalId", "customerId", "status", "orderedAt", "updatedAt")
SELECT $1, s.ext, s.customer, s.status::"OrderStatus", s.at, now()
FROM unnest($2::text[], $3::int[], $4::text[], $5::timestamptz[]) AS s(ext, customer, status, at)
ON CONFLICT ("merchantId", "externalId") DO UPDATE SET
  "customerId" = EXCLUDED."customerId", "status" = EXCLUDED."status", "orderedAt" = EXCLUDED."orderedAt",
  "updatedAt" = EXCLUDED."updatedAt"
WHERE ("Order"."customerId", "Order"."status", "Order"."orderedAt")
  IS DISTINCT FROM (EXCLUDED."customerId", EXCLUDED."status", EXCLUDED."orderedAt")`;

const ORDER_IDS = `SELECT "id", "externalId" FROM "Order" WHERE "merchantId" = $1 AND "externalId" = ANY($2::text[])`;

const UPSERT_LINES = `
INSERT INTO "OrderLine" ("merchantId", "orderId", "lineNo", "productId", "quantity", "unitPrice", "orderedAt")
SELECT $1, s.ord, s.no, s.product, s.qty, s.price::numeric, s.at
FROM unnest($2::int[], $3::int[], $4::int[], $5::int[], $6::text[], $7::timestamptz[]) AS s(ord, no, product, qty, price, at)
ON CONFLICT ("merchantId", "orderId", "lineNo") DO UPDATE SET
  "productId" = EXCLUDED."productId", "quantity" = EXCLUDED."quantity", "unitPrice" = EXCLUDED."unitPrice",
  "orderedAt" = EXCLUDED."orderedAt",
  "returnOfId" = CASE WHEN EXCLUDED."quantity" > 0 THEN NULL ELSE "OrderLine"."returnOfId" END
WHERE ("OrderLine"."productId", "OrderLine"."quantity", "OrderLine"."unitPrice", "OrderLine"."orderedAt")
  IS DISTINCT FROM (EXCLUDED."productId", EXCLUDED."quantity", EXCLUDED."unitPrice", EXCLUDED."orderedAt")`;

/**
 * Lines of these orders written by earlier batches or imports take the order's (possibly new)
 * time. Driven from the batch's order ids (LATERAL) so it costs index lookups per order.
 */
const SYNC_LINE_TIMES = `
UPDATE "OrderLine" l SET "orderedAt" = o."orderedAt"
FROM unnest($2::int[]) AS b(id)
CROSS JOIN LATERAL (SELECT "id", "orderedAt" FROM "Order" WHERE "id" = b.id) o
WHERE l."orderId" = o."id" AND l."merchantId" = $1 AND l."orderedAt" <> o."orderedAt"`;

/** Each return line of these orders points at the first sale line of its order and product. */
const LINK_RETURNS = `
UPDATE "OrderLine" r SET "returnOfId" = m.sale
FROM (
  SELECT ret."id", sale."id" AS sale
  FROM unnest($2::int[]) AS b(id)
  CROSS JOIN LATERAL (
    SELECT l."id", l."productId" FROM "OrderLine" l
    WHERE l."orderId" = b.id AND l."merchantId" = $1 AND l."quantity" < 0) ret
  LEFT JOIN LATERAL (
    SELECT s."id" FROM "OrderLine" s
    WHERE s."orderId" = b.id AND s."productId" = ret."productId" AND s."quantity" > 0
    ORDER BY s."lineNo" LIMIT 1) sale ON true
) m
WHERE r."id" = m."id" AND r."returnOfId" IS DISTINCT FROM m.sale`;

export async function writeOrderLines(db: Database, merchantId: number, batch: OrderLineRow[], refs = new ReferenceCache()): Promise<BatchOutcome> {
  const productIds = await refs.resolve(refs.products, batch.map((r) => r.productExt), (keys) => resolveProducts(db, merchantId, keys));
  const errors: BatchOutcome['errors'] = [];
  // Order-level values come from the order's rows as a whole, even those refused below.
  const groups = new Map<string, OrderGroup>();
  for (const r of batch) {
    const g = groups.get(r.orderExt);
    if (!g) {
      groups.set(r.orderExt, { ext: r.orderExt, customerExt: r.customerExt, orderedAt: r.orderedAt, status: r.status, lines: [] });
    } else {
      g.customerExt ??= r.customerExt;
      g.status ??= r.status;
    }
    if (productIds.has(r.productExt)) groups.get(r.orderExt)!.lines.push(r);
    else errors.push({ line: r.line, field: 'product_id', message: `unknown product ${r.productExt}`, rows: r.rows });
  }
  for (const [ext, g] of groups) if (!g.lines.length) groups.delete(ext);
  if (!groups.size) return { written: 0, errors };

  const orders = lastPerKey([...groups.values()], (o) => o.ext);
  const customersSeen = new Map<string, string>();
  for (const o of orders) if (o.customerExt !== null) noteEarliest(customersSeen, o.customerExt, o.orderedAt);
  const customerIds = await refs.resolve(refs.customers, customersSeen.keys(), (keys) => ensureCustomers(db, merchantId, pick(customersSeen, keys)));
  const exts = orders.map((o) => o.ext);
  await db.sql.query(UPSERT_ORDERS, [merchantId, exts,
    orders.map((o) => (o.customerExt === null ? null : customerIds.get(o.customerExt)!)),
    orders.map((o) => o.status ?? 'PLACED'), orders.map((o) => o.orderedAt)]);
  const orderIds = new Map<string, number>();
  for (const r of await db.sql.query<{ id: number; externalId: string }>(ORDER_IDS, [merchantId, exts])) {
    orderIds.set(r.externalId, Number(r.id));
  }

  const lines: Array<{ order: number; no: number; product: number; qty: number; price: string; at: string }> = [];
  let latest: string | undefined;
  let written = 0;
  for (const o of orders) {
    const order = orderIds.get(o.ext)!;
    if (latest === undefined || o.orderedAt > latest) latest = o.orderedAt;
    for (const l of o.lines) {
      lines.push({ order, no: l.lineNo, product: productIds.get(l.productExt)!, qty: l.quantity, price: l.unitPrice, at: o.orderedAt });
      written += l.rows;
    }
  }
  const unique = lastPerKey(lines, (l) => `${String(l.order).padStart(10, '0')}:${String(l.no).padStart(10, '0')}`);
  await db.sql.query(UPSERT_LINES, [merchantId, unique.map((l) => l.order), unique.map((l) => l.no),
    unique.map((l) => l.product), unique.map((l) => l.qty), unique.map((l) => l.price), unique.map((l) => l.at)]);
  const ids = [...new Set(orderIds.values())];
  await db.sql.query(SYNC_LINE_TIMES, [merchantId, ids]);
  await db.sql.query(LINK_RETURNS, [merchantId, ids]);
  return { written, errors, latest };
}
