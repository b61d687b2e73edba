// The one place that reads process.env: parsed and validated once, every problem reported together.
import path from 'node:path';
import { z } from 'zod';

const intFrom = (def: number) => z.coerce.number().int().nonnegative().default(def);

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  SHELFWISE_DATA_DIR: z.string().default('.data'),
  REDIS_URL: z.string().url().optional(),
  SHELFWISE_REDIS_SERVER: z.string().default('redis-server'),
  HOST: z.string().default('127.0.0.1'),
  PORT: intFrom(4000),
  SHELFWISE_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHELFWISE_QUEUE_PREFIX: z.string().default('shelfwise'),
  SHELFWISE_WORKER_CONCURRENCY: intFrom(2),
  SHELFWISE_MAX_UPLOAD_BYTES: intFrom(2 * 1024 * 1024 * 1024),
  SHELFWISE_MAX_QUERY_COST: intFrom(1000),
  SHELFWISE_MAX_QUERY_DEPTH: intFrom(12),
  SHELFWISE_THROTTLE_BUCKET: intFrom(1000),
  SHELFWISE_THROTTLE_RESTORE_RATE: intFrom(50),
  SHELFWISE_LONG_TAIL_HEAD_SHARE: z.coerce.number().gt(0).lt(1).default(0.8),
  SHELFWISE_NEW_PRODUCT_DAYS: intFrom(30),
  SHELFWISE_IMPORT_BATCH_SIZE: intFrom(5000),
  SHELFWISE_EMBEDDED_WORKER: z.enum(['auto', 'true', 'false']).default('auto'),
  SHELFWISE_ERASURE_MODE: z.enum(['anonymize', 'delete']).default('anonymize'),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** redis-server executable started when REDIS_URL is unset. */
  redisServerBin: string;
  host: string;
  port: number;
  /** Base URL clients reach this API at (staged-upload URLs are built on it). */
  publicUrl: string;
  /** False when publicUrl was derived from HOST/PORT, so the API may correct it once it listens. */
  publicUrlExplicit: boolean;
  logLevel: RawConfig['LOG_LEVEL'];
  queuePrefix: string;
  workerConcurrency: number;
  maxUploadBytes: number;
  maxQueryCost: number;
  maxQueryDepth: number;
  throttleBucket: number;
  throttleRestoreRate: number;
  longTailHeadShare: number;
  newProductDays: number;
  importBatchSize: number;
  /** What erasure does with a customer's orders and events: keep them anonymous, or delete them. */
  erasureMode: 'anonymize' | 'delete';
  /** Run the workers inside the API process (always so for the embedded database). */
  embeddedWorker: boolean;
}

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    dataDir: path.resolve(c.SHELFWISE_DATA_DIR),
    redisUrl: c.REDIS_URL,
    redisServerBin: c.SHELFWISE_REDIS_SERVER,
    host: c.HOST,
    port: c.PORT,
    publicUrl: c.SHELFWISE_PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`,
    publicUrlExplicit: Boolean(c.SHELFWISE_PUBLIC_URL),
    logLevel: c.LOG_LEVEL,
    queuePrefix: c.SHELFWISE_QUEUE_PREFIX,
    workerConcurrency: Math.max(1, c.SHELFWISE_WORKER_CONCURRENCY),
    maxUploadBytes: c.SHELFWISE_MAX_UPLOAD_BYTES,
    maxQueryCost: c.SHELFWISE_MAX_QUERY_COST,
    maxQueryDepth: c.SHELFWISE_MAX_QUERY_DEPTH,
    throttleBucket: c.SHELFWISE_THROTTLE_BUCKET,
    throttleRestoreRate: c.SHELFWISE_THROTTLE_RESTORE_RATE,
    longTailHeadShare: c.SHELFWISE_LONG_TAIL_HEAD_SHARE,
    newProductDays: c.SHELFWISE_NEW_PRODUCT_DAYS,
    importBatchSize: Math.max(1, c.SHELFWISE_IMPORT_BATCH_SIZE),
    erasureMode: c.SHELFWISE_ERASURE_MODE,
    embeddedWorker: c.SHELFWISE_EMBEDDED_WORKER === 'true' ||
      (c.SHELFWISE_EMBEDDED_WORKER === 'auto' && !c.DATABASE_URL),
  };
}

let cached: Config | undefined;
/** The process-wide configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}
