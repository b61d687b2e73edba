// BullMQ is transport only: the Job table is the source of truth for state.
import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_CATALOGUE, JobName, JobPayload, QUEUE_NAMES, QueueName } from './job-catalogue';

export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly flows: FlowProducer;

  constructor(connection: Redis, readonly prefix: string) {
    for (const name of QUEUE_NAMES) {
      // The braces make the prefix a Redis Cluster hash tag: a queue's keys share one slot.
      this.queues.set(name, new Queue(name, { connection, prefix: `{${prefix}}` }));
    }
    this.flows = new FlowProducer({ connection, prefix: `{${prefix}}` });
  }

  private static opts(name: JobName, jobId: string) {
    const def = JOB_CATALOGUE[name];
    return {
      jobId, attempts: def.attempts, backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 24 * 3600, count: 1000 }, removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  /**
   * Enqueues a parent job that runs after all its children (the shards) have completed; shards
   * run in parallel on any worker consuming the queue.
   */
  async enqueueFlow<P extends JobName, C extends JobName>(parent: P, payload: JobPayload<P> & { jobId: string }, children: Array<{ name: C; payload: JobPayload<C>; id: string }>): Promise<void> {
    await this.flows.add({
      name: parent, queueName: JOB_CATALOGUE[parent].queue, data: payload, opts: JobQueues.opts(parent, payload.jobId),
      children: children.map((c) => ({ name: c.name, queueName: JOB_CATALOGUE[c.name].queue, data: c.payload, opts: { ...JobQueues.opts(c.name, c.id), failParentOnFailure: true } })),
    });
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayload<K> & { jobId: string }): Promise<void> {
    const def = JOB_CATALOGUE[name];
    await this.queue(def.queue).add(name, payload, JobQueues.opts(name, payload.jobId));
  }

  /**
   * Runs `name` with `payload` every `everyMs` (a BullMQ job scheduler, one per `schedulerId`);
   * everyMs 0 removes the schedule. Returns the next run time, if scheduled.
   */
  async schedule<K extends JobName>(schedulerId: string, name: K, payload: JobPayload<K>, everyMs: number): Promise<Date | null> {
    const q = this.queue(JOB_CATALOGUE[name].queue);
    if (everyMs <= 0) { await q.removeJobScheduler(schedulerId); return null; }
    // The first run is one period from now, not at once: scheduling is not a request to run now.
    const job = await q.upsertJobScheduler(schedulerId, { every: everyMs, startDate: new Date(Date.now() + everyMs) }, { name, data: payload, opts: { attempts: 1 } });
    return job ? new Date(job.timestamp + (job.opts.delay ?? 0)) : null;
  }

  async scheduleOf(name: JobName, schedulerId: string): Promise<{ every: number; next: Date | null } | null> {
    const s = await this.queue(JOB_CATALOGUE[name].queue).getJobScheduler(schedulerId);
    return s ? { every: Number(s.every ?? 0), next: s.next ? new Date(s.next) : null } : null;
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
    await this.flows.close();
  }
}
