import type { Database } from '../../db/database';
import type { Job, JobState, Prisma } from '../../db/generated/client';

export type JobRow = Job;

export interface JobFilter { kind?: string; state?: JobState }

export class JobRepository {
  constructor(private readonly db: Database) {}

  create(merchantId: number, kind: string, input: Prisma.InputJsonValue, maxAttempts: number): Promise<JobRow> {
    return this.db.prisma.job.create({ data: { merchantId, kind, input, maxAttempts } });
  }

  find(merchantId: number, id: string): Promise<JobRow | null> {
    return this.db.prisma.job.findFirst({ where: { id, merchantId } });
  }

  /** Newest first; keyset pagination on (createdAt, id). */
  list(merchantId: number, filter: JobFilter, take: number, after?: { createdAt: Date; id: string }): Promise<JobRow[]> {
    return this.db.prisma.job.findMany({
      where: {
        merchantId, kind: filter.kind, state: filter.state,
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
  }

  /** Updates only while the job is in one of `from` states; returns null when it was not. */
  async transition(id: string, from: JobState[], data: Prisma.JobUpdateInput): Promise<JobRow | null> {
    const { count } = await this.db.prisma.job.updateMany({ where: { id, state: { in: from } }, data });
    if (count === 0) return null;
    return this.db.prisma.job.findUnique({ where: { id } });
  }

  /** Atomic progress increment (several shards finish concurrently); never reaches 1 on its own. */
  async advance(id: string, delta: number, message: string): Promise<JobRow | null> {
    const rows = await this.db.sql.query<{ id: string }>(
      `UPDATE "Job" SET progress = LEAST(0.99, progress + $2), message = $3, state = 'RUNNING',
         "startedAt" = COALESCE("startedAt", now()), "updatedAt" = now()
       WHERE id = $1 AND state IN ('PENDING', 'RUNNING', 'RETRYING') RETURNING id`, [id, delta, message]);
    return rows.length ? this.findById(id) : null;
  }

  update(id: string, data: Prisma.JobUpdateInput): Promise<JobRow> {
    return this.db.prisma.job.update({ where: { id }, data });
  }

  findById(id: string): Promise<JobRow | null> {
    return this.db.prisma.job.findUnique({ where: { id } });
  }
}
