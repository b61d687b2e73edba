import { fromGlobalId, toGlobalId } from '../../graphql/global-id';
import type { JobSnapshot } from '../../jobs/job-updates';
import type { JobRow } from './job.repository';
import type { Job } from './job.types';

export function jobFromRow(r: JobRow): Job {
  return {
    id: toGlobalId('Job', r.id), kind: r.kind, state: r.state, progress: r.progress, message: r.message,
    attempts: r.attempts, maxAttempts: r.maxAttempts, error: r.error, input: r.input, result: r.result,
    createdAt: r.createdAt, startedAt: r.startedAt, finishedAt: r.finishedAt, updatedAt: r.updatedAt,
  };
}

export function jobFromSnapshot(s: JobSnapshot): Job {
  return {
    id: toGlobalId('Job', s.id), kind: s.kind, state: s.state as Job['state'], progress: s.progress, message: s.message,
    attempts: s.attempts, maxAttempts: s.maxAttempts, error: s.error, input: {}, result: s.result,
    createdAt: new Date(s.createdAt), startedAt: s.startedAt ? new Date(s.startedAt) : null,
    finishedAt: s.finishedAt ? new Date(s.finishedAt) : null, updatedAt: new Date(s.updatedAt),
  };
}

export const jobIdFromGlobal = (gid: string) => fromGlobalId(gid, 'Job');
