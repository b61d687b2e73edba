// The app's services against a throw-away database and Redis prefix, for benchmarks that run jobs or
// the API: open them at the start, close() at the end. close() shuts the services, empties their
// queues, drops the prefix's keys and the database — best effort, so a teardown failure does not
// hide the benchmark's own error.
import { parseConfig } from '../../src/config/config';
import { connectRedis } from '../../src/infra/redis';
import { QUEUE_NAMES } from '../../src/jobs/job-catalogue';
import { createServices } from '../../src/services';
import { BENCH_REDIS_URL, createBenchDatabase, randomPrefix, type BenchDatabase } from './bench-db';
import { dropKeys } from './redis-keys';

export interface BenchServices {
  bench: BenchDatabase;
  redis: Awaited<ReturnType<typeof connectRedis>>;
  /** Redis key and queue prefix of this run. */
  prefix: string;
  config: ReturnType<typeof parseConfig>;
  services: ReturnType<typeof createServices>;
  close(): Promise<void>;
}

export async function openBenchServices(kind: string, poolSize?: number): Promise<BenchServices> {
  const bench = await createBenchDatabase(poolSize);
  const prefix = randomPrefix(kind);
  const redis = await connectRedis(BENCH_REDIS_URL);
  const config = { ...parseConfig({ LOG_LEVEL: 'silent' }), databaseUrl: bench.url, redisUrl: BENCH_REDIS_URL, queuePrefix: prefix };
  const services = createServices({ db: bench.db, redis, config });
  return {
    bench, redis, prefix, config, services,
    async close() {
      await services.close().catch(() => undefined);
      for (const q of QUEUE_NAMES) await services.queues.queue(q).obliterate({ force: true }).catch(() => undefined);
      await dropKeys(redis.connection, prefix).catch(() => undefined);
      await redis.close().catch(() => undefined);
      await bench.drop();
    },
  };
}
