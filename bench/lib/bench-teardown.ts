// The end of a benchmark that ran the services against a throwaway database and Redis prefix:
// close the services, empty their queues, drop the prefix's keys and the database. Best effort —
// a teardown failure must not hide the benchmark's own error.
import type { createServices } from '../../src/services';
import type { connectRedis } from '../../src/infra/redis';
import type { createBenchDatabase } from './bench-db';
import { dropKeys } from './redis-keys';
import { QUEUE_NAMES } from '../../src/jobs/job-catalogue';

export async function teardownBench(o: {
  services: ReturnType<typeof createServices>; redis: Awaited<ReturnType<typeof connectRedis>>; prefix: string;
  bench: Awaited<ReturnType<typeof createBenchDatabase>>;
}): Promise<void> {
  await o.services.close().catch(() => undefined);
  for (const q of QUEUE_NAMES) await o.services.queues.queue(q).obliterate({ force: true }).catch(() => undefined);
  await dropKeys(o.redis.connection, o.prefix).catch(() => undefined);
  await o.redis.close().catch(() => undefined);
  await o.bench.drop();
}
