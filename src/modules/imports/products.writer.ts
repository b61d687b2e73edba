// Upserts a batch of products keyed by (merchant, external id), one statement per shape.
// A re-import that changes nothing writes nothing (updatedAt included): the DO UPDATE only
// fires when a value differs.
import type { Database } from '../../db/database';
import { BatchOutcome, lastPerKey } from './batch-outcome';
import type { ProductRow } from './products.validator';

/**
 * created_at is optional: a row without it keeps the existing product's createdAt (a new
 * product gets the import time), so such rows go in a statement that never sets createdAt.
 * launched_at likewise never erases a known launch time.
 */
function upsertSql(setCreatedAt: boolean): string {
  return `
INSERT INTO "Product" ("merchantId", "externalId", "title", "description", "category", "brand", "price", "cost",
  "stock", "attributes", "tags", "status", "createdAt", "launchedAt", "updatedAt")
SELECT $1, s.ext, s.title, s.descr, s.category, s.brand, s.price::numeric, s.cost::numeric, s.stock,
  s.attrs::jsonb, ARRAY(SELECT jsonb_array_elements_text(s.tags::jsonb)), s.status::"ProductStatus",
  COALESCE(s.created, now()), s.launched, now()
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[],
  $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])
  AS s(ext, title, descr, category, brand, price, cost, stock, attrs, tags, status, created, launched)
ON CONFLICT ("merchantId", "externalId") DO UPDATE SET
  "title" = EXCLUDED."title", "description" = EXCLUDED."description", "category" = EXCLUDED."category",
  "brand" = EXCLUDED."brand", "price" = EXCLUDED."price", "cost" = EXCLUDED."cost", "stock" = EXCLUDED."stock",
  "attributes" = EXCLUDED."attributes", "tags" = EXCLUDED."tags", "status" = EXCLUDED."status",
  ${setCreatedAt ? '"createdAt" = EXCLUDED."createdAt",' : ''}
  "launchedAt" = COALESCE(EXCLUDED."launchedAt", "Product"."launchedAt"),
  "updatedAt" = EXCLUDED."updatedAt"
WHERE ("Product"."title", "Product"."description", "Product"."category", "Product"."brand", "Product"."price",
       "Product"."cost", "Product"."stock", "Product"."attributes", "Product"."tags", "Product"."status",
       ${setCreatedAt ? '"Product"."createdAt",' : ''} "Product"."launchedAt")
  IS DISTINCT FROM
      (EXCLUDED."title", EXCLUDED."description", EXCLUDED."category", EXCLUDED."brand", EXCLUDED."price",
       EXCLUDED."cost", EXCLUDED."stock", EXCLUDED."attributes", EXCLUDED."tags", EXCLUDED."status",
       ${setCreatedAt ? 'EXCLUDED."createdAt",' : ''} COALESCE(EXCLUDED."launchedAt", "Product"."launchedAt"))`;
}

const WITH_CREATED = upsertSql(true);
const WITHOUT_CREATED = upsertSql(false);

export async function writeProducts(db: Database, merchantId: number, batch: ProductRow[]): Promise<BatchOutcome> {
  const rows = lastPerKey(batch, (r) => r.externalId);
  const dated = rows.filter((r) => r.createdAt !== null);
  const undated = rows.filter((r) => r.createdAt === null);
  if (dated.length) await db.sql.query(WITH_CREATED, params(merchantId, dated));
  if (undated.length) await db.sql.query(WITHOUT_CREATED, params(merchantId, undated));
  return { written: batch.reduce((n, r) => n + r.rows, 0), errors: [] };
}

function params(merchantId: number, rows: ProductRow[]): unknown[] {
  return [
    merchantId,
    rows.map((r) => r.externalId), rows.map((r) => r.title), rows.map((r) => r.description),
    rows.map((r) => r.category), rows.map((r) => r.brand), rows.map((r) => r.price), rows.map((r) => r.cost),
    rows.map((r) => r.stock), rows.map((r) => r.attributes), rows.map((r) => r.tags), rows.map((r) => r.status),
    rows.map((r) => r.createdAt), rows.map((r) => r.launchedAt),
  ];
}
