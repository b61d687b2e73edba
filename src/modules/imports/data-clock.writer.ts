// Advances the merchant's data clock (its "now") to the latest order or event time imported.
import type { Database } from '../../db/database';

export async function advanceDataClock(db: Database, merchantId: number, latest: string | undefined): Promise<void> {
  if (latest === undefined) return;
  await db.sql.query(
    `UPDATE "Merchant" SET "dataNow" = GREATEST(COALESCE("dataNow", $2::timestamptz), $2::timestamptz) WHERE "id" = $1`,
    [merchantId, latest]);
}
