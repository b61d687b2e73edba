// The data clock: "now" for a merchant is the time of its latest imported order or event, so a
// historical shop behaves as if live. Queries may override it with `asOf`.
import type { Database } from '../../db/database';

export async function merchantNow(db: Database, merchantId: number, asOf?: Date | null): Promise<Date> {
  if (asOf) return asOf;
  // Raw SQL: this runs on every catalogue request, and Prisma's query compilation was ~20% of the
  // API's CPU for it (bench:api profile).
  const [m] = await db.sql.query<{ dataNow: Date | null }>(`SELECT "dataNow" FROM "Merchant" WHERE id = $1`, [merchantId]);
  return clockFrom(m?.dataNow);
}

/** The clock from a merchant's stored `dataNow` (for reads that fetch it with other columns): without imported data, the wall clock. */
export function clockFrom(dataNow: Date | string | null | undefined): Date {
  return dataNow ? new Date(dataNow) : new Date();
}

export const DAY_MS = 86_400_000;
