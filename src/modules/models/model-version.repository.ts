import type { Database } from '../../db/database';
import type { ModelKind, ModelStatus, Prisma } from '../../db/generated/client';

/** Columns for listing and reading versions without their (possibly large) artifact. */
export const VERSION_SUMMARY = {
  id: true, merchantId: true, kind: true, version: true, status: true, dataFrom: true, dataTo: true, params: true,
  featureSchema: true, metrics: true, backend: true, jobId: true, createdAt: true, promotedAt: true,
} as const;

export type ModelVersionSummary = Prisma.ModelVersionGetPayload<{ select: typeof VERSION_SUMMARY }>;

export class ModelVersionRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates the next version number for (merchant, kind). Concurrent trainings may race for a
   * number; the unique key makes the loser retry.
   */
  async createNext(merchantId: number, kind: ModelKind, data: Omit<Prisma.ModelVersionUncheckedCreateInput, 'merchantId' | 'kind' | 'version'>): Promise<ModelVersionSummary> {
    for (let attempt = 0; ; attempt++) {
      const last = await this.db.prisma.modelVersion.findFirst({ where: { merchantId, kind }, orderBy: { version: 'desc' }, select: { version: true } });
      try {
        return await this.db.prisma.modelVersion.create({ data: { ...data, merchantId, kind, version: (last?.version ?? 0) + 1 }, select: VERSION_SUMMARY });
      } catch (err) {
        if (attempt >= 5 || (err as { code?: string }).code !== 'P2002') throw err;
      }
    }
  }

  find(merchantId: number, id: number) {
    return this.db.prisma.modelVersion.findFirst({ where: { id, merchantId }, select: VERSION_SUMMARY });
  }

  findByJob(merchantId: number, jobId: string) {
    return this.db.prisma.modelVersion.findFirst({ where: { merchantId, jobId }, select: VERSION_SUMMARY });
  }

  /** Every version a training job created (a job may record several models), oldest first. */
  findAllByJob(merchantId: number, jobId: string) {
    return this.db.prisma.modelVersion.findMany({ where: { merchantId, jobId }, orderBy: { id: 'asc' }, select: VERSION_SUMMARY });
  }

  active(merchantId: number, kind: ModelKind) {
    return this.db.prisma.modelVersion.findFirst({ where: { merchantId, kind, status: 'ACTIVE' }, select: VERSION_SUMMARY });
  }

  async artifact(merchantId: number, id: number): Promise<Uint8Array | null> {
    const [row] = await this.db.sql.query<{ artifact: Uint8Array | null }>(
      `SELECT artifact FROM "ModelVersion" WHERE id = $1 AND "merchantId" = $2`, [id, merchantId]);
    return row?.artifact ?? null;
  }

  list(merchantId: number, kind: ModelKind | undefined, take: number, beforeId: number | null) {
    return this.db.prisma.modelVersion.findMany({
      where: { merchantId, kind, ...(beforeId ? { id: { lt: beforeId } } : {}) },
      orderBy: { id: 'desc' }, take, select: VERSION_SUMMARY,
    });
  }

  /** Writes the finished version: artifact first, then its status, in one statement. */
  async finish(id: number, data: { status: ModelStatus; metrics: object; params?: object; featureSchema?: object; backend?: string; artifact?: Uint8Array; dataFrom?: Date; dataTo?: Date }) {
    await this.db.sql.query(
      `UPDATE "ModelVersion" SET status = $2::"ModelStatus", metrics = $3::jsonb, params = COALESCE($4::jsonb, params),
         "featureSchema" = COALESCE($5::jsonb, "featureSchema"), backend = COALESCE($6, backend), artifact = COALESCE($7, artifact),
         "dataFrom" = COALESCE($8::timestamptz, "dataFrom"), "dataTo" = COALESCE($9::timestamptz, "dataTo")
       WHERE id = $1`,
      [id, data.status, JSON.stringify(data.metrics), data.params ? JSON.stringify(data.params) : null,
        data.featureSchema ? JSON.stringify(data.featureSchema) : null, data.backend ?? null, data.artifact ?? null,
        data.dataFrom?.toISOString() ?? null, data.dataTo?.toISOString() ?? null]);
  }

  /** Makes `id` the one ACTIVE version of its kind, retiring the previous one, atomically. */
  async activate(merchantId: number, kind: ModelKind, id: number): Promise<void> {
    await this.db.prisma.$transaction([
      this.db.prisma.modelVersion.updateMany({ where: { merchantId, kind, status: 'ACTIVE', id: { not: id } }, data: { status: 'RETIRED' } }),
      this.db.prisma.modelVersion.updateMany({ where: { merchantId, id }, data: { status: 'ACTIVE', promotedAt: new Date() } }),
    ]);
  }

  /** The version that was active before the current one: the latest retired one promoted earlier. */
  previousActive(merchantId: number, kind: ModelKind, currentId: number) {
    return this.db.prisma.modelVersion.findFirst({
      where: { merchantId, kind, status: 'RETIRED', promotedAt: { not: null }, id: { not: currentId } },
      orderBy: { promotedAt: 'desc' }, select: VERSION_SUMMARY,
    });
  }

  async markFailed(id: number, error: string) {
    await this.db.prisma.modelVersion.updateMany({ where: { id, status: 'TRAINING' }, data: { status: 'FAILED', metrics: { error } } });
  }
}
