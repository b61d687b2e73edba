// Stored recommendation evaluations, and the catalogue facts the evaluation job replays as of its split.
import type { Database } from '../../db/database';
import type { Prisma } from '../../db/generated/client';

export interface RecommendationEvaluationRecord {
  id: number;
  merchantId: number;
  jobId: string | null;
  splitAt: Date;
  params: unknown;
  results: unknown;
  createdAt: Date;
}

export class RecommendationEvaluationRepository {
  constructor(private readonly db: Database) {}

  /** One row, written in one statement at the end of a job (nothing half-written on failure). */
  async create(merchantId: number, data: { jobId: string; splitAt: Date; params: Prisma.InputJsonObject; results: Prisma.InputJsonArray }): Promise<number> {
    const row = await this.db.prisma.recommendationEvaluation.create({ data: { merchantId, ...data }, select: { id: true } });
    return row.id;
  }

  /** The evaluation a job already stored (a retried job reuses it). */
  findByJob(merchantId: number, jobId: string): Promise<RecommendationEvaluationRecord | null> {
    return this.db.prisma.recommendationEvaluation.findFirst({ where: { merchantId, jobId } });
  }

  get(merchantId: number, id: number): Promise<RecommendationEvaluationRecord | null> {
    return this.db.prisma.recommendationEvaluation.findFirst({ where: { id, merchantId } });
  }

  /** Newest first (ids grow with creation), `take` rows below `beforeId`. */
  list(merchantId: number, take: number, beforeId: number | null): Promise<RecommendationEvaluationRecord[]> {
    return this.db.prisma.recommendationEvaluation.findMany({
      where: { merchantId, ...(beforeId ? { id: { lt: beforeId } } : {}) }, orderBy: { id: 'desc' }, take,
    });
  }

  /**
   * Products `recommendations` could have offered at `splitAt`: active ones (as `recommendations`
   * filters today; status has no history) that were launched, created or sold before it. Ascending id.
   */
  async candidateProductIds(merchantId: number, splitAt: Date): Promise<number[]> {
    const rows = await this.db.sql.query<{ id: number }>(`
      SELECT p.id FROM "Product" p
      WHERE p."merchantId" = $1 AND p.status = 'ACTIVE'
        AND (COALESCE(p."launchedAt", p."createdAt") < $2::timestamptz
          OR EXISTS (SELECT 1 FROM "OrderLine" ol WHERE ol."merchantId" = $1 AND ol."productId" = p.id AND ol."orderedAt" < $2::timestamptz))
      ORDER BY p.id`, [merchantId, splitAt.toISOString()]);
    return rows.map((r) => r.id);
  }
}
