// Opens the infrastructure a process needs — configuration, database, Redis, services — and
// closes it in reverse order. Shared by the API, the workers and the CLI.
import { Config, config as loadConfig } from './config/config';
import { Database, openDatabase } from './db/database';
import { connectRedis, RedisHandle } from './infra/redis';
import { logger, Logger } from './logger';
import { createServices, Services } from './services';

export interface Runtime {
  config: Config;
  db: Database;
  redis: RedisHandle;
  services: Services;
  log: Logger;
  close(): Promise<void>;
}

export async function openRuntime(overrides: Partial<Config> = {}): Promise<Runtime> {
  const config = { ...loadConfig(), ...overrides };
  const log = logger;
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let redis: RedisHandle;
  try {
    redis = await connectRedis(config.redisUrl, config.redisServerBin);
  } catch (err) {
    await db.close();
    throw err;
  }
  if (redis.private) log.info({ url: redis.url }, 'started a private redis-server');
  const services = createServices({ db, redis, config });
  return {
    config, db, redis, services, log,
    async close() {
      await services.close().catch(() => undefined);
      await redis.close().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}
