// A worker process for crash tests: started by a test, killed with SIGKILL mid-job.
import 'reflect-metadata';
import { parseConfig } from '../../src/config/config';
import { openDatabase } from '../../src/db/database';
import { connectRedis } from '../../src/infra/redis';
import { logger } from '../../src/logger';
import { createServices } from '../../src/services';
import { handlers } from '../../workers/handlers';
import { startWorkers } from '../../workers/worker-runtime';

(async () => {
  const config = parseConfig(process.env);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, migrate: false });
  const redis = await connectRedis(config.redisUrl);
  const services = createServices({ db, redis, config });
  await startWorkers({ db, redis, config, services, handlers, log: logger, lockDuration: 2000, stalledInterval: 1000 });
  process.send?.('ready');
})().catch((err) => { console.error(err); process.exit(1); });
