// The data clock: "now" for a merchant is the time of its latest imported order or event, so a
// historical shop behaves as if live. Queries may override it with `asOf`.
import type { Database } from '../../db/database';

export async function merchantNow(db: Database, merchantId: number, asOf?: Date | null): Promise<Date> {
  if (asOf) return asOf;
  const m = await db.prisma.merchant.findUnique({ where: { id: merchantId }, select: { dataNow: true } });
  return m?.dataNow ?? new Date();
}

export const DAY_MS = 86_400_000;
