// A throw-away PostgreSQL database for one benchmark run: created under a random name next to
// BENCH_PG_URL's database, migrated with the app's own migrator, dropped (FORCE) at the end.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Database, openDatabase } from '../../src/db/database';

export const BENCH_PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchDatabase {
  name: string;
  url: string;
  db: Database;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BENCH_PG_URL });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

/** A query on BENCH_PG_URL's own database (server settings, version). */
export function adminQuery<T>(text: string): Promise<T[]> {
  return admin(async (c) => (await c.query(text)).rows as T[]);
}

export async function createBenchDatabase(poolSize = 10): Promise<BenchDatabase> {
  const name = `shelfwise_bench_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(BENCH_PG_URL, name);
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: url, poolSize });
  } catch (err) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
    throw err;
  }
  let dropped = false;
  return {
    name, url, db,
    async drop() {
      if (dropped) return;
      dropped = true;
      await db.close().catch(() => undefined);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function randomPrefix(kind: string): string {
  return `swbench-${kind}-${randomBytes(4).toString('hex')}`;
}
