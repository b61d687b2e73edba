// The GraphQL-facing view of jobs: global ids, pages and the live update stream.
import { GraphQLError } from 'graphql';
import type { JobState } from '../../db/generated/enums';
import { decodeCursor, toConnection } from '../../graphql/relay';
import { userError } from '../../graphql/user-error';
import type { JobUpdateSubscriber } from '../../jobs/job-updates';
import { BadInputError } from '../shared/errors';
import { jobFromRow, jobFromSnapshot, jobIdFromGlobal } from './job.mapper';
import type { JobService } from './job.service';
import type { Job } from './job.types';

export class JobViewService {
  constructor(private readonly jobs: JobService, private readonly subscriber: JobUpdateSubscriber) {}

  async get(merchantId: number, gid: string): Promise<Job | null> {
    const id = jobIdFromGlobal(gid);
    if (!id) return null;
    const row = await this.jobs.get(merchantId, id);
    return row ? jobFromRow(row) : null;
  }

  async list(merchantId: number, a: { first: number; after?: string; kind?: string; state?: JobState }) {
    const after = decodeCursor(a.after, ['date', 'string']);
    if (a.after && !after) throw new BadInputError('Malformed cursor', 'after');
    const rows = await this.jobs.list(merchantId, { kind: a.kind, state: a.state }, a.first + 1,
      after ? { createdAt: new Date(String(after[0])), id: String(after[1]) } : undefined);
    return toConnection(rows, a.first, Boolean(after), (r) => [r.createdAt.toISOString(), r.id], jobFromRow);
  }

  async cancel(merchantId: number, gid: string) {
    const id = jobIdFromGlobal(gid);
    if (!id) return { job: null, userErrors: [userError('No job with this id', 'NOT_FOUND', ['id'])] };
    const { job, error } = await this.jobs.cancel(merchantId, id);
    if (!job) return { job: null, userErrors: [userError(error ?? 'No job with this id', 'NOT_FOUND', ['id'])] };
    return { job: jobFromRow(job), userErrors: error ? [userError(error, 'NOT_CANCELLABLE', ['id'])] : [] };
  }

  /** The job's current state first (when one job is named), then every update, in order. */
  async updates(merchantId: number, jobId?: string): Promise<AsyncIterableIterator<Job>> {
    const source = await this.subscriber.subscribe(merchantId, jobId);
    let initial: Job | null = null;
    const readStart = Date.now();
    if (jobId) {
      const row = await this.jobs.get(merchantId, jobId);
      if (!row) {
        await source.return?.();
        throw new GraphQLError('No job with this id', { extensions: { code: 'NOT_FOUND' } });
      }
      initial = jobFromRow(row);
    }
    let sentInitial = false;
    const it: AsyncIterableIterator<Job> = {
      async next() {
        if (initial && !sentInitial) { sentInitial = true; return { value: initial, done: false }; }
        for (;;) {
          const n = await source.next();
          if (n.done) return { value: undefined, done: true };
          // Updates published before the initial read are already reflected in it.
          if (initial && n.value.publishedAt < readStart) continue;
          return { value: jobFromSnapshot(n.value), done: false };
        }
      },
      async return() { await source.return?.(); return { value: undefined, done: true }; },
      [Symbol.asyncIterator]() { return it; },
    };
    return it;
  }
}
