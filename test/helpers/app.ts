// A running Shelfwise for e2e tests: real database (fresh), real Redis with a private key/queue
// prefix, API on a free port, and optionally workers in the same process.
import { randomBytes } from 'node:crypto';
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { RunningApi, startApi } from '../../src/app';
import { Config, parseConfig } from '../../src/config/config';
import type { DatabaseKind } from '../../src/db/database';
import { connectRedis, RedisHandle } from '../../src/infra/redis';
import { logger } from '../../src/logger';
import { createServices, Services } from '../../src/services';
import { handlers } from '../../workers/handlers';
import { RunningWorkers, startWorkers } from '../../workers/worker-runtime';
import { createTestDatabase, TestDatabase } from './database';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  db: TestDatabase;
  redis: RedisHandle;
  config: Config;
  services: Services;
  api: RunningApi;
  workers?: RunningWorkers;
  createMerchant(name?: string): Promise<{ id: number; key: string }>;
  gql<T = any>(key: string | null, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; extensions?: Record<string, any> } }>;
  wsClient(key: string): Client;
  close(): Promise<void>;
}

export async function startTestApp(opts: { kind?: DatabaseKind; workers?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const db = await createTestDatabase(opts.kind ?? 'postgres');
  const redis = await connectRedis(TEST_REDIS_URL);
  const prefix = `swtest-${randomBytes(4).toString('hex')}`;
  const config: Config = { ...parseConfig({ LOG_LEVEL: 'silent' }), queuePrefix: prefix, port: 0, ...opts.config };
  const services = createServices({ db, redis, config });
  const log = logger.child({ test: prefix });
  log.level = 'silent';
  const workers = opts.workers ? await startWorkers({ db, redis, config, services, handlers, log }) : undefined;
  const api = await startApi({ config, db, redis, services, log }, { host: '127.0.0.1', port: 0 });
  const clients: Client[] = [];
  return {
    db, redis, config, services, api, workers,
    async createMerchant(name = `m-${randomBytes(3).toString('hex')}`) {
      const { merchant, key } = await services.merchants.create({ name });
      return { id: merchant.id, key };
    },
    async gql(key, query, variables) {
      const res = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: await res.json() as never };
    },
    wsClient(key) {
      const c = createClient({ url: api.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0, lazy: true });
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await api.stop();
      await workers?.close();
      await services.close();
      for (const q of ['import', 'train', 'score', 'plan'] as const) await services.queues.queue(q).obliterate({ force: true }).catch(() => undefined);
      await redis.close();
      await db.drop();
    },
  };
}

/** Collects a subscription's events until `until` returns true (or the timeout passes). */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>, until: (v: T) => boolean, timeoutMs = 60_000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const timer = setTimeout(() => { unsubscribe(); reject(new Error(`subscription timed out after ${got.length} events`)); }, timeoutMs);
    const unsubscribe = client.subscribe<T>({ query, variables }, {
      next: (v) => {
        if (v.errors) { clearTimeout(timer); unsubscribe(); reject(new Error(JSON.stringify(v.errors))); return; }
        got.push(v.data as T);
        if (until(v.data as T)) { clearTimeout(timer); unsubscribe(); resolve(got); }
      },
      error: (e) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(JSON.stringify(e))); },
      complete: () => { clearTimeout(timer); resolve(got); },
    });
  });
}

/** Polls `job(id)` until it reaches a final state; `result` is the GraphQL selection of Job.result. */
export async function waitForJob(app: TestApp, key: string, id: string, result = '__typename', timeoutMs = 240_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await app.gql(key, `query($id: ID!) { job(id: $id) { state progress message error result { ${result} } } }`, { id });
    const job = r.body.data.job;
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.state)) return job;
    if (Date.now() > end) throw new Error(`job ${id} still ${job.state}: ${job.message}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}
