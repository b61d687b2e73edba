// Upserts a batch of customers keyed by (merchant, external id). The file's attributes replace
// the stored ones; createdAt changes only when the row gives created_at. No-op re-imports write nothing.
import type { Database } from '../../db/database';
import { BatchOutcome, lastPerKey } from './batch-outcome';
import type { CustomerRow } from './customers.validator';

function upsertSql(setCreatedAt: boolean): string {
  return `
INSERT INTO "Customer" ("merchantId", "externalId", "attributes", "createdAt", "updatedAt")
SELECT $1, s.ext, s.attrs::jsonb, COALESCE(s.created, now()), now()
FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS s(ext, attrs, created)
ON CONFLICT ("merchantId", "externalId") DO UPDATE SET
  "attributes" = EXCLUDED."attributes",
  ${setCreatedAt ? '"createdAt" = EXCLUDED."createdAt",' : ''}
  "updatedAt" = EXCLUDED."updatedAt"
WHERE ("Customer"."attributes" ${setCreatedAt ? ', "Customer"."createdAt"' : ''})
  IS DISTINCT FROM (EXCLUDED."attributes" ${setCreatedAt ? ', EXCLUDED."createdAt"' : ''})`;
}

const WITH_CREATED = upsertSql(true);
const WITHOUT_CREATED = upsertSql(false);

export async function writeCustomers(db: Database, merchantId: number, batch: CustomerRow[]): Promise<BatchOutcome> {
  const rows = lastPerKey(batch, (r) => r.externalId);
  const dated = rows.filter((r) => r.createdAt !== null);
  const undated = rows.filter((r) => r.createdAt === null);
  const params = (rs: CustomerRow[]) => [merchantId, rs.map((r) => r.externalId), rs.map((r) => r.attributes), rs.map((r) => r.createdAt)];
  if (dated.length) await db.sql.query(WITH_CREATED, params(dated));
  if (undated.length) await db.sql.query(WITHOUT_CREATED, params(undated));
  return { written: batch.length, errors: [] };
}
