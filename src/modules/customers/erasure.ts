// Customer erasure (a data-subject request): the customer's row and personal attributes go, their
// orders and events stay as anonymous history (or are deleted: SHELFWISE_ERASURE_MODE), and stored
// model versions forget them (embedding row, features, history, id map).
//
// What "anonymous" means here: in anonymize mode the erased person's orders and events are re-keyed
// to ONE anonymous key, drawn at random at erasure time and kept nowhere else — not derived from the
// customer id, the external id or any secret we store, so nobody (including us) can recompute it from
// the person's identifiers. Their orders move to a stand-in customer whose external id is that key
// (attributes {"erased": true}, no personal attributes, created on the day the person's account was),
// and their events keep the key as their session id with no customer. So the history stays linkable
// to itself — aggregate models (BG/NBD's repeat-purchase rates, seasonality, product demand) still see
// one buyer with N purchases rather than N one-off buyers — but never to the person. Customer-value
// training fits on stand-ins' history but writes no per-customer value for them.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database';
import { deserializeConversionModel, serializeConversionModel } from '../../ml/conversion/serialize';
import { initBackend } from '../../ml/backend';
import { unwrapConversionArtifact, wrapConversionArtifact } from '../conversion/conversion-artifact';
import { ERASED_STAND_IN } from './erased-stand-in';

export type ErasureMode = 'anonymize' | 'delete';

/** A fresh anonymous key: 128 random bits, never derived from anything stored. */
export function anonymousKey(): string {
  return `erased-${randomBytes(16).toString('hex')}`;
}

/** Removes the customer from the database in one transaction; returns false when already gone. */
export async function eraseCustomerRows(db: Database, merchantId: number, customerId: number, mode: ErasureMode): Promise<boolean> {
  const [row] = await db.sql.query<{ externalId: string }>(`SELECT "externalId" FROM "Customer" WHERE id = $1 AND "merchantId" = $2`, [customerId, merchantId]);
  if (!row) return false; // already erased (a retry): the transaction below ran in full
  const externalId = row.externalId;
  const anonymous = anonymousKey();
  const m = merchantId;
  const c = customerId;
  const standIn = `(SELECT id FROM "Customer" WHERE "merchantId" = $1 AND "externalId" = $3)`;
  const q = (sql: string, ...args: unknown[]): [string, unknown[]] => [sql, args];
  const steps: [string, unknown[]][] = [
    ...(mode === 'delete'
      ? [
        q(`DELETE FROM "Event" WHERE "merchantId" = $1 AND "customerId" = $2`, m, c),
        q(`DELETE FROM "Order" WHERE "merchantId" = $1 AND "customerId" = $2`, m, c),
      ]
      : [
        q(`INSERT INTO "Customer" ("merchantId", "externalId", attributes, "createdAt", "updatedAt")
          SELECT "merchantId", $3, ${ERASED_STAND_IN}, date_trunc('day', "createdAt"), now() FROM "Customer" WHERE "merchantId" = $1 AND id = $2`, m, c, anonymous),
        q(`UPDATE "Event" SET "customerId" = NULL, "sessionId" = $3 WHERE "merchantId" = $1 AND "customerId" = $2`, m, c, anonymous),
        q(`UPDATE "Order" SET "customerId" = ${standIn} WHERE "merchantId" = $1 AND "customerId" = $2`, m, c, anonymous),
      ]),
    q(`DELETE FROM "CustomerValue" WHERE "merchantId" = $1 AND "customerId" = $2`, m, c),
    q(`DELETE FROM "ConversionPrediction" WHERE "merchantId" = $1 AND "customerId" = $2`, m, c),
    q(`UPDATE "RiskFlag" SET "customerIds" = array_remove("customerIds", $2::int),
      "customerId" = CASE WHEN "customerId" = $2 THEN NULL ELSE "customerId" END WHERE "merchantId" = $1 AND $2 = ANY("customerIds")`, m, c),
    // Consumed upload files still hold the raw rows.
    q(`DELETE FROM "StagedUpload" WHERE "merchantId" = $1 AND "completedAt" IS NOT NULL`, m),
    q(`DELETE FROM "Customer" WHERE "merchantId" = $1 AND id = $2`, m, c),
  ];
  await db.prisma.$transaction(async (tx) => {
    for (const [sql, args] of steps) await tx.$executeRawUnsafe(sql, ...args);
    // Import error reports quote rows: scrub the identifier from the strings of stored job results,
    // in the same transaction (after it commits, nothing stored knows the id to look for).
    const rows = await tx.$queryRawUnsafe<{ id: string; result: unknown }[]>(
      `SELECT id, result FROM "Job" WHERE "merchantId" = $1 AND result IS NOT NULL AND strpos(result::text, $2) > 0 FOR UPDATE`, m, externalId);
    for (const r of rows) {
      const before = typeof r.result === 'string' ? JSON.parse(r.result) as unknown : r.result;
      const after = JSON.stringify(scrubIdentifier(before, externalId));
      if (after !== JSON.stringify(before)) await tx.$executeRawUnsafe(`UPDATE "Job" SET result = $3::jsonb WHERE id = $1 AND "merchantId" = $2`, r.id, m, after);
    }
  }, { timeout: 120_000 });
  return true;
}

/** `value` with every whole-token occurrence of `id` in its strings replaced by "[erased]". */
export function scrubIdentifier(value: unknown, id: string): unknown {
  const token = new RegExp(`(?<![\\p{L}\\p{N}_-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_-])`, 'gu');
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key === '__typename' ? v : v.replace(token, '[erased]');
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value);
}

/** Rewrites every stored conversion artifact of the merchant that knows the customer. Returns how many. */
export async function scrubConversionArtifacts(db: Database, merchantId: number, customerId: number): Promise<number> {
  const versions = await db.sql.query<{ id: number; artifact: Uint8Array }>(
    `SELECT id, artifact FROM "ModelVersion" WHERE "merchantId" = $1 AND kind = 'CONVERSION' AND artifact IS NOT NULL`, [merchantId]);
  let scrubbed = 0;
  for (const v of versions) {
    const a = unwrapConversionArtifact(new Uint8Array(v.artifact));
    const idx = a.customerIds.indexOf(customerId);
    if (idx < 0) continue;
    await initBackend();
    const model = await deserializeConversionModel(a.ml);
    try {
      model.forgetCustomer(idx);
      a.customerIds[idx] = -1;
      const bytes = wrapConversionArtifact({ ml: await serializeConversionModel(model), productIds: a.productIds, customerIds: a.customerIds });
      await db.sql.query(`UPDATE "ModelVersion" SET artifact = $2 WHERE id = $1`, [v.id, bytes]);
      scrubbed++;
    } finally {
      model.dispose();
    }
  }
  return scrubbed;
}
