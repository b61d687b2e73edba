// Job updates fan out through Redis pub/sub so any API replica can serve any subscriber.
// Publishers await each publish, so one job's updates arrive in the order they were made.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export interface JobSnapshot {
  id: string;
  merchantId: number;
  kind: string;
  state: string;
  progress: number;
  message: string | null;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  result: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When the Job row was last written (the update this snapshot carries). */
  updatedAt: string;
  /** When the update was published (ms since epoch), for delivery-latency measurement. */
  publishedAt: number;
}

export const channelFor = (prefix: string) => `${prefix}:job-updates`;

export class JobUpdatePublisher {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async publish(snapshot: Omit<JobSnapshot, 'publishedAt'>): Promise<void> {
    await this.redis.publish(channelFor(this.prefix), JSON.stringify({ ...snapshot, publishedAt: Date.now() }));
  }
}

/** One Redis subscription per process, fanned out in memory to GraphQL subscribers. */
export class JobUpdateSubscriber {
  private readonly emitter = new EventEmitter();
  private started?: Promise<void>;

  constructor(private readonly redis: Redis, private readonly prefix: string) {
    this.emitter.setMaxListeners(0);
  }

  private start(): Promise<void> {
    this.started ??= (async () => {
      this.redis.on('message', (_channel: string, message: string) => {
        const snap = JSON.parse(message) as JobSnapshot;
        this.emitter.emit('update', snap);
      });
      await this.redis.subscribe(channelFor(this.prefix));
    })();
    return this.started;
  }

  /**
   * Updates for one merchant (and optionally one job). The listener is attached before this
   * resolves, so a caller may read the current state afterwards without missing an update.
   */
  async subscribe(merchantId: number, jobId?: string): Promise<AsyncIterableIterator<JobSnapshot>> {
    await this.start();
    const queue: JobSnapshot[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const onUpdate = (s: JobSnapshot) => {
      if (s.merchantId !== merchantId || (jobId && s.id !== jobId)) return;
      queue.push(s);
      wake?.();
    };
    this.emitter.on('update', onUpdate);
    const finish = () => { done = true; this.emitter.off('update', onUpdate); wake?.(); };
    const it: AsyncIterableIterator<JobSnapshot> = {
      async next() {
        while (!done && queue.length === 0) await new Promise<void>((r) => { wake = r; });
        wake = undefined;
        if (queue.length) return { value: queue.shift()!, done: false };
        return { value: undefined, done: true };
      },
      async return() { finish(); return { value: undefined, done: true }; },
      [Symbol.asyncIterator]() { return it; },
    };
    return it;
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    if (this.started) await this.redis.quit().catch(() => undefined);
  }
}
