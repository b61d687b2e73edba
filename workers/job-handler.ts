// The contract between the worker runtime and one job's handler.
import type { Config } from '../src/config/config';
import type { Database } from '../src/db/database';
import type { Prisma } from '../src/db/generated/client';
import type { JobName, JobPayload } from '../src/jobs/job-catalogue';
import type { Logger } from '../src/logger';
import type { Services } from '../src/services';

export interface JobContext {
  db: Database;
  services: Services;
  config: Config;
  log: Logger;
  /** 1-based attempt number (a stalled job re-run after a crash counts as a new attempt). */
  attempt: number;
  /** Records progress (0–1) with a message; published to subscribers in order. */
  progress(fraction: number, message?: string): Promise<void>;
  /** True once cancellation was requested; handlers check it between steps. Refreshed by progress(). */
  shouldStop(): boolean;
}

/** What a handler returns: the job's result, stored on the Job row (inline or as a reference). */
export type JobResultValue = Prisma.InputJsonObject & { __typename: string };

export type JobHandler<K extends JobName> = (payload: JobPayload<K>, ctx: JobContext) => Promise<JobResultValue>;

export type JobHandlers = { [K in JobName]: JobHandler<K> };
