import { clockFrom } from '../catalog/data-clock';
import type { Database } from '../../db/database';

export class ConversionPredictionRepository {
  constructor(private readonly db: Database) {}

  /** Replaces a customer shard's stored top-K for a model version (idempotent per version). */
  async writeTopK(merchantId: number, modelVersionId: number, rows: { customerId: number; productId: number; p: number }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.sql.query(`
      INSERT INTO "ConversionPrediction" ("merchantId", "modelVersionId", "customerId", "productId", probability, "scoredAt")
      SELECT $1, $2, c, p, prob, now() FROM unnest($3::int[], $4::int[], $5::float8[]) AS t(c, p, prob)
      ON CONFLICT ("merchantId", "modelVersionId", "customerId", "productId") DO UPDATE SET probability = EXCLUDED.probability, "scoredAt" = now()`,
    [merchantId, modelVersionId, rows.map((r) => r.customerId), rows.map((r) => r.productId), rows.map((r) => r.p)]);
  }

  async countForVersion(merchantId: number, modelVersionId: number): Promise<{ customers: number; predictions: number }> {
    const [r] = await this.db.sql.query<{ customers: number; predictions: number }>(`
      SELECT count(DISTINCT "customerId")::int AS customers, count(*)::int AS predictions
      FROM "ConversionPrediction" WHERE "merchantId" = $1 AND "modelVersionId" = $2`, [merchantId, modelVersionId]);
    return r;
  }

  /**
   * Whether the customer is the merchant's, and the merchant's data clock: one round trip instead of
   * two for every online prediction (each round trip is a scheduling wait on a busy machine, and
   * those waits make the latency tail).
   */
  async customerAndClock(merchantId: number, customerId: number): Promise<{ exists: boolean; now: Date }> {
    const [r] = await this.db.sql.query<{ dataNow: Date | null; exists: boolean }>(`
      SELECT m."dataNow", EXISTS (SELECT 1 FROM "Customer" c WHERE c.id = $2 AND c."merchantId" = m.id) AS exists
      FROM "Merchant" m WHERE m.id = $1`, [merchantId, customerId]);
    return { exists: Boolean(r?.exists), now: clockFrom(r?.dataNow) };
  }

  async customerIds(merchantId: number): Promise<number[]> {
    const rows = await this.db.sql.query<{ id: number }>(`SELECT id FROM "Customer" WHERE "merchantId" = $1 ORDER BY id`, [merchantId]);
    return rows.map((r) => r.id);
  }

  /** Active products with what recommendation filters read: category and tracked stock (null when untracked). */
  async activeProducts(merchantId: number): Promise<{ id: number; category: string | null; stock: number | null }[]> {
    return this.db.sql.query<{ id: number; category: string | null; stock: number | null }>(
      `SELECT id, category, stock FROM "Product" WHERE "merchantId" = $1 AND status = 'ACTIVE' ORDER BY id`, [merchantId]);
  }

  async longTailIds(merchantId: number): Promise<Set<number>> {
    // Products without a stats row sold nothing in the window: long tail too.
    const rows = await this.db.sql.query<{ id: number }>(`
      SELECT p.id FROM "Product" p LEFT JOIN "ProductStat" s ON s."productId" = p.id
      WHERE p."merchantId" = $1 AND COALESCE(s."isLongTail", true)`, [merchantId]);
    return new Set(rows.map((r) => r.id));
  }
}
