// Creating, reading and cancelling jobs (API side) and recording their lifecycle (worker side).
// Every state change is written to the Job table first, then published to subscribers.
import type { Prisma } from '../../db/generated/client';
import { JOB_CATALOGUE, JobName, JobPayload } from '../../jobs/job-catalogue';
import type { JobQueues } from '../../jobs/job-queues';
import { JobSnapshot, JobUpdatePublisher } from '../../jobs/job-updates';
import { JobFilter, JobRepository, JobRow } from './job.repository';

export const ACTIVE_STATES = ['PENDING', 'RUNNING', 'RETRYING'] as const;

export function toSnapshot(j: JobRow): Omit<JobSnapshot, 'publishedAt'> {
  return {
    id: j.id, merchantId: j.merchantId, kind: j.kind, state: j.state, progress: j.progress,
    message: j.message, attempts: j.attempts, maxAttempts: j.maxAttempts, error: j.error,
    result: j.result, createdAt: j.createdAt.toISOString(), startedAt: j.startedAt?.toISOString() ?? null,
    finishedAt: j.finishedAt?.toISOString() ?? null, updatedAt: j.updatedAt.toISOString(),
  };
}

export type JobInput<K extends JobName> = Omit<JobPayload<K>, 'jobId' | 'merchantId'>;

export class JobService {
  constructor(
    private readonly repo: JobRepository,
    private readonly queues: JobQueues,
    private readonly publisher: JobUpdatePublisher,
  ) {}

  /** Records the job, then enqueues it. If the queue refuses, the job is FAILED, not left PENDING. */
  async start<K extends JobName>(merchantId: number, name: K, input: JobInput<K>): Promise<JobRow> {
    const def = JOB_CATALOGUE[name];
    const row = await this.repo.create(merchantId, name, input as Prisma.InputJsonValue, def.attempts);
    const payload = { ...input, jobId: row.id, merchantId } as JobPayload<K> & { jobId: string };
    try {
      await this.queues.enqueue(name, payload);
    } catch (err) {
      await this.fail(row.id, `Could not enqueue: ${(err as Error).message}`);
      throw err;
    }
    await this.publish(row);
    return row;
  }

  /**
   * Records a job that runs as a flow: `shards` children share the work, then the parent job
   * (`name`) runs once to finish it. The Job row belongs to the parent.
   */
  async startFlow<P extends JobName, C extends JobName>(merchantId: number, name: P, input: JobInput<P>,
    child: C, shardInputs: Array<Omit<JobPayload<C>, 'jobId' | 'merchantId'>>): Promise<JobRow> {
    const def = JOB_CATALOGUE[name];
    const row = await this.repo.create(merchantId, name, input as Prisma.InputJsonValue, def.attempts);
    const payload = { ...input, jobId: row.id, merchantId } as JobPayload<P> & { jobId: string };
    const children = shardInputs.map((s, i) => ({
      name: child, id: `${row.id}-shard-${i}`, payload: { ...s, jobId: row.id, merchantId } as JobPayload<C>,
    }));
    try {
      await this.queues.enqueueFlow(name, payload, children);
    } catch (err) {
      await this.fail(row.id, `Could not enqueue: ${(err as Error).message}`);
      throw err;
    }
    await this.publish(row);
    return row;
  }

  /** A shard of the job finished: progress moves by `delta` (the job is RUNNING from its first shard on). */
  async advance(id: string, delta: number, message: string): Promise<void> {
    const row = await this.repo.advance(id, delta, message);
    if (row) await this.publish(row);
  }

  /** A recurring job without a Job row of its own (it starts tracked jobs when it fires). */
  schedule<K extends JobName>(schedulerId: string, name: K, payload: JobPayload<K>, everyMs: number) {
    return this.queues.schedule(schedulerId, name, payload, everyMs);
  }

  get(merchantId: number, id: string) { return this.repo.find(merchantId, id); }

  list(merchantId: number, filter: JobFilter, take: number, after?: { createdAt: Date; id: string }) {
    return this.repo.list(merchantId, filter, take, after);
  }

  /**
   * Cancels a job: a queued job is removed at once; a running one is asked to stop (its handler
   * checks between steps) and becomes CANCELLED when it does. Finished jobs are left as they are.
   */
  async cancel(merchantId: number, id: string): Promise<{ job: JobRow | null; error?: string }> {
    const job = await this.repo.find(merchantId, id);
    if (!job) return { job: null, error: 'No job with this id' };
    if (!(ACTIVE_STATES as readonly string[]).includes(job.state)) {
      return { job, error: `Job is already ${job.state.toLowerCase()}` };
    }
    const removed = job.state !== 'RUNNING' && await this.queues.removeIfWaiting(job.kind as JobName, id);
    const updated = removed
      ? await this.repo.transition(id, ['PENDING', 'RETRYING'], { state: 'CANCELLED', cancelRequested: true, finishedAt: new Date(), message: 'Cancelled' })
      : await this.repo.transition(id, ['PENDING', 'RUNNING', 'RETRYING'], { cancelRequested: true, message: 'Cancellation requested' });
    const latest = updated ?? await this.repo.findById(id);
    if (latest) await this.publish(latest);
    return { job: latest };
  }

  // ---- lifecycle, called by workers ----

  /** Marks the job RUNNING for this attempt; returns null if it was cancelled or already finished. */
  async markRunning(id: string, attempt: number): Promise<JobRow | null> {
    const row = await this.repo.transition(id, ['PENDING', 'RETRYING', 'RUNNING'], {
      state: 'RUNNING', attempts: attempt, startedAt: new Date(), error: null, message: null,
    });
    if (row?.cancelRequested) return this.markCancelled(id);
    if (row) await this.publish(row);
    return row?.state === 'RUNNING' ? row : null;
  }

  async progress(id: string, progress: number, message?: string): Promise<void> {
    const row = await this.repo.transition(id, ['RUNNING'], { progress: Math.max(0, Math.min(1, progress)), message: message ?? null });
    if (row) await this.publish(row);
  }

  async isCancelRequested(id: string): Promise<boolean> {
    return (await this.repo.findById(id))?.cancelRequested ?? true;
  }

  async complete(id: string, result: Prisma.InputJsonValue, message?: string): Promise<JobRow | null> {
    const row = await this.repo.transition(id, ['RUNNING'], {
      state: 'COMPLETED', progress: 1, result, finishedAt: new Date(), message: message ?? 'Completed',
    });
    if (row) await this.publish(row);
    return row;
  }

  async retrying(id: string, error: string): Promise<void> {
    const row = await this.repo.transition(id, ['RUNNING'], { state: 'RETRYING', error, message: 'Will retry' });
    if (row) await this.publish(row);
  }

  async fail(id: string, error: string): Promise<void> {
    const row = await this.repo.transition(id, ['PENDING', 'RUNNING', 'RETRYING'], {
      state: 'FAILED', error, finishedAt: new Date(), message: 'Failed',
    });
    if (row) await this.publish(row);
  }

  async markCancelled(id: string): Promise<null> {
    const row = await this.repo.transition(id, ['PENDING', 'RUNNING', 'RETRYING'], {
      state: 'CANCELLED', finishedAt: new Date(), message: 'Cancelled',
    });
    if (row) await this.publish(row);
    return null;
  }

  private publish(row: JobRow) { return this.publisher.publish(toSnapshot(row)); }
}
