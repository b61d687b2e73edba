// Seeds one merchant's catalogue directly in SQL for the API benchmark: products, customers and
// orders over the last 180 days with a skewed (cubic) product popularity, so trailing-90-day
// units and long-tail flags are non-trivial. Not the import path: that is bench/import.bench.ts.
import type { Database } from '../../src/db/database';

export interface SeedCounts { products: number; customers: number; orders: number; orderLines: number }

export async function seedCatalog(db: Database, merchantId: number, n: { products: number; customers: number; orders: number }): Promise<SeedCounts> {
  const q = db.sql.query.bind(db.sql);
  await q(`
    INSERT INTO "Product" ("merchantId", "externalId", title, description, category, brand, price, cost, stock, tags, status, "createdAt", "launchedAt")
    SELECT $1, 'SKU-' || lpad(g::text, 6, '0'), 'Bench product ' || g, 'A product seeded for the API benchmark, number ' || g || '.',
      'Dept ' || (g % 6) || ' > Leaf ' || (g % 36), 'Brand ' || (g % 40),
      round((5 + random() * 195)::numeric, 2), round((2 + random() * 60)::numeric, 2), (random() * 500)::int,
      ARRAY['bench', 'tag' || (g % 10)], 'ACTIVE',
      now() - make_interval(hours => g * 3), now() - make_interval(hours => g * 3)
    FROM generate_series(1, $2::int) g`, [merchantId, n.products]);
  await q(`
    INSERT INTO "Customer" ("merchantId", "externalId", attributes, "createdAt")
    SELECT $1, 'C-' || lpad(g::text, 7, '0'), jsonb_build_object('segment', 'seg' || (g % 5)), now() - make_interval(days => g % 400)
    FROM generate_series(1, $2::int) g`, [merchantId, n.customers]);
  await q(`
    WITH c AS (SELECT min(id) AS lo, count(*) AS n FROM "Customer" WHERE "merchantId" = $1)
    INSERT INTO "Order" ("merchantId", "externalId", "customerId", status, "orderedAt")
    SELECT $1, 'O-' || lpad(g::text, 8, '0'), c.lo + floor(random() * c.n)::int,
      (CASE WHEN random() < 0.03 THEN 'CANCELLED' ELSE 'PLACED' END)::"OrderStatus",
      now() - random() * interval '180 days'
    FROM generate_series(1, $2::int) g, c`, [merchantId, n.orders]);
  await q(`
    INSERT INTO "OrderLine" ("merchantId", "orderId", "lineNo", "productId", quantity, "unitPrice", "orderedAt")
    SELECT l.m, l.oid, l.line_no, p.id, l.qty, p.price, l.at
    FROM (SELECT o."merchantId" AS m, o.id AS oid, g AS line_no, o."orderedAt" AS at,
            1 + floor($2::int * power(random(), 3))::int AS rn, 1 + floor(random() * 3)::int AS qty
          FROM "Order" o, generate_series(1, 1 + o.id % 3) g WHERE o."merchantId" = $1) l
    JOIN (SELECT id, price, row_number() OVER (ORDER BY id) AS rn FROM "Product" WHERE "merchantId" = $1) p ON p.rn = l.rn`,
  [merchantId, n.products]);
  await q(`UPDATE "Merchant" SET "dataNow" = (SELECT max("orderedAt") FROM "Order" WHERE "merchantId" = $1) WHERE id = $1`, [merchantId]);
  await q(`ANALYZE`);
  const [c] = await q<SeedCounts>(`
    SELECT (SELECT count(*) FROM "Product" WHERE "merchantId" = $1)::int AS products,
           (SELECT count(*) FROM "Customer" WHERE "merchantId" = $1)::int AS customers,
           (SELECT count(*) FROM "Order" WHERE "merchantId" = $1)::int AS orders,
           (SELECT count(*) FROM "OrderLine" WHERE "merchantId" = $1)::int AS "orderLines"`, [merchantId]);
  return c;
}
