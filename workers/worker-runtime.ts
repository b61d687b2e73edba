// Runs BullMQ workers for the job catalogue. One dispatch table, checked at boot: a job name
// without a handler stops the worker from starting. The Job table is kept the source of truth.
import { Job as QueueJob, UnrecoverableError, Worker } from 'bullmq';
import type { Config } from '../src/config/config';
import type { Database } from '../src/db/database';
import { JOB_CATALOGUE, JOB_NAMES, JobName, QUEUE_NAMES, QueueName } from '../src/jobs/job-catalogue';
import { JobCancelledError, JobInputError } from '../src/jobs/job-errors';
import type { Logger } from '../src/logger';
import { jobDurationSeconds } from '../src/infra/metrics';
import type { RedisHandle } from '../src/infra/redis';
import type { Services } from '../src/services';
import type { JobContext, JobHandlers } from './job-handler';

export interface WorkerDeps {
  db: Database;
  redis: RedisHandle;
  config: Config;
  services: Services;
  handlers: JobHandlers;
  log: Logger;
  queues?: readonly QueueName[];
  /** Shorter values make crash recovery faster (tests); defaults are BullMQ's. */
  lockDuration?: number;
  stalledInterval?: number;
}

export interface RunningWorkers { close(): Promise<void> }

export function checkHandlers(handlers: Partial<JobHandlers>): void {
  const missing = JOB_NAMES.filter((n) => typeof handlers[n] !== 'function');
  if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
}

export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  checkHandlers(deps.handlers);
  const workers = (deps.queues ?? QUEUE_NAMES).map((queue) => new Worker(queue, (job) => runJob(deps, job), {
    connection: deps.redis.duplicate(),
    prefix: `{${deps.config.queuePrefix}}`,
    concurrency: deps.config.workerConcurrency,
    ...(deps.lockDuration ? { lockDuration: deps.lockDuration } : {}),
    ...(deps.stalledInterval ? { stalledInterval: deps.stalledInterval } : {}),
    maxStalledCount: 2,
  }));
  for (const w of workers) w.on('error', (err) => deps.log.error({ err }, 'worker error'));
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  deps.log.info({ queues: deps.queues ?? QUEUE_NAMES }, 'workers started');
  return {
    async close() { await Promise.all(workers.map((w) => w.close())); },
  };
}

async function runJob(deps: WorkerDeps, qjob: QueueJob): Promise<void> {
  const name = qjob.name as JobName;
  const def = JOB_CATALOGUE[name];
  if (!def) throw new UnrecoverableError(`Unknown job ${qjob.name}`);
  if (def.internal === 'shard') return runShard(deps, qjob);
  if (def.internal === 'scheduled') {
    const handler = deps.handlers[name] as (p: unknown, c: JobContext) => ReturnType<JobHandlers[JobName]>;
    await handler(qjob.data, { db: deps.db, services: deps.services, config: deps.config, log: deps.log, attempt: 1, progress: async () => undefined, shouldStop: () => false });
    return;
  }
  const payload = qjob.data as { jobId: string; merchantId: number };
  const jobs = deps.services.jobs;
  const attempt = (qjob.attemptsStarted ?? qjob.attemptsMade + 1);
  const row = await jobs.markRunning(payload.jobId, attempt);
  if (!row) return; // cancelled or already finished: nothing to do
  const log = deps.log.child({ job: payload.jobId, kind: name, merchantId: payload.merchantId, attempt });
  let stop = false;
  const ctx: JobContext = {
    db: deps.db, services: deps.services, config: deps.config, log, attempt,
    // Never rejects: a progress report lost to a database blip must not fail the job, nor (from
    // the fire-and-forget reports of training threads) become an unhandled rejection.
    async progress(fraction, message) {
      try {
        await jobs.progress(payload.jobId, fraction, message);
        await qjob.updateProgress(Math.round(fraction * 1000) / 10).catch(() => undefined);
        stop = stop || await jobs.isCancelRequested(payload.jobId);
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'progress not recorded');
      }
    },
    shouldStop: () => stop,
  };
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const handler = deps.handlers[name] as (p: unknown, c: JobContext) => ReturnType<JobHandlers[JobName]>;
    const result = await handler(payload, ctx);
    // A handler that returned has done (and committed) its work: a cancellation it did not act on
    // came too late to stop anything, so the job is COMPLETED with that result, never CANCELLED
    // with a plan or a promoted model left behind.
    await jobs.complete(payload.jobId, result);
    jobDurationSeconds.observe({ kind: name, outcome: 'completed' }, seconds());
    log.info({ seconds: seconds() }, 'job completed');
  } catch (err) {
    const e = err as Error;
    if (err instanceof JobCancelledError) { await jobs.markCancelled(payload.jobId); return; }
    const finalAttempt = err instanceof JobInputError || qjob.attemptsMade + 1 >= (qjob.opts.attempts ?? def.attempts);
    if (finalAttempt) {
      await jobs.fail(payload.jobId, e.message);
      jobDurationSeconds.observe({ kind: name, outcome: 'failed' }, seconds());
      log.warn({ err: e.message }, 'job failed');
    } else {
      await jobs.retrying(payload.jobId, e.message);
      log.warn({ err: e.message }, 'job attempt failed; will retry');
    }
    throw err instanceof JobInputError ? new UnrecoverableError(e.message) : err;
  }
}

/**
 * A shard of a flow works for its parent's Job row: it is skipped once the job is cancelled or
 * failed, advances the job's progress when it finishes, and fails the job when it runs out of
 * attempts (BullMQ then fails the parent too).
 */
async function runShard(deps: WorkerDeps, qjob: QueueJob): Promise<void> {
  const name = qjob.name as JobName;
  const payload = qjob.data as { jobId: string; merchantId: number; shard: number; shards: number };
  const jobs = deps.services.jobs;
  const parent = await jobs.get(payload.merchantId, payload.jobId);
  if (!parent || !['PENDING', 'RUNNING', 'RETRYING'].includes(parent.state) || parent.cancelRequested) return;
  const log = deps.log.child({ job: payload.jobId, kind: name, shard: payload.shard });
  const ctx: JobContext = {
    db: deps.db, services: deps.services, config: deps.config, log, attempt: qjob.attemptsMade + 1,
    async progress() { /* shards report only on completion */ },
    shouldStop: () => false,
  };
  try {
    const handler = deps.handlers[name] as (p: unknown, c: JobContext) => ReturnType<JobHandlers[JobName]>;
    await handler(payload, ctx);
    await jobs.advance(payload.jobId, 1 / (payload.shards + 1), `Shard ${payload.shard + 1} of ${payload.shards} done`);
  } catch (err) {
    const e = err as Error;
    const finalAttempt = err instanceof JobInputError || qjob.attemptsMade + 1 >= (qjob.opts.attempts ?? JOB_CATALOGUE[name].attempts);
    if (finalAttempt) await jobs.fail(payload.jobId, `Shard ${payload.shard + 1} of ${payload.shards}: ${e.message}`);
    throw err instanceof JobInputError ? new UnrecoverableError(e.message) : err;
  }
}
