// BullMQ is transport only: the Job table is the source of truth for state.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_CATALOGUE, JobName, JobPayload, QUEUE_NAMES, QueueName } from './job-catalogue';

export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(connection: Redis, readonly prefix: string) {
    for (const name of QUEUE_NAMES) {
      // The braces make the prefix a Redis Cluster hash tag: a queue's keys share one slot.
      this.queues.set(name, new Queue(name, { connection, prefix: `{${prefix}}` }));
    }
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayload<K>): Promise<void> {
    const def = JOB_CATALOGUE[name];
    await this.queue(def.queue).add(name, payload, {
      jobId: payload.jobId,
      attempts: def.attempts,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Removes a job that has not started; false when a worker already holds it. */
  async removeIfWaiting(name: JobName, jobId: string): Promise<boolean> {
    const job = await this.queue(JOB_CATALOGUE[name].queue).getJob(jobId);
    if (!job) return true;
    const state = await job.getState();
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
      await job.remove();
      return true;
    }
    return false;
  }

  async depths(): Promise<Record<QueueName, Record<string, number>>> {
    const out = {} as Record<QueueName, Record<string, number>>;
    for (const [name, q] of this.queues) out[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed');
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
