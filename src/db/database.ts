// Opens the store of record: PostgreSQL through @prisma/adapter-pg when a URL is given,
// otherwise an embedded PGlite directory. One schema and one set of migrations for both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import { applyMigrations, SqlRunner } from './migrate';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Raw SQL for bulk paths (imports, aggregates) that Prisma's query API would make slow. */
  sql: SqlRunner;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  migrate?: boolean;
  poolSize?: number;
}

// Postgres `bigint` (count(*), sums) as JS numbers: our counts fit comfortably.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : await openPglite(opts.dataDir ?? '.data');
  if (opts.migrate !== false) await applyMigrations(db.sql);
  return db;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => undefined); // idle-client errors surface on the next query
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql: SqlRunner = {
    async query(text, params) { return (await pool.query(text, params as unknown[])).rows; },
    async exec(text) { await pool.query(text); },
  };
  return {
    kind: 'postgres', prisma, sql,
    async close() { await prisma.$disconnect(); await pool.end().catch(() => undefined); },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const dir = path.resolve(dataDir);
  mkdirSync(path.dirname(dir), { recursive: true });
  const lite = await PGlite.create(dir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  const sql: SqlRunner = {
    async query(text, params) { return (await lite.query(text, params as unknown[])).rows as never[]; },
    async exec(text) { await lite.exec(text); },
  };
  return {
    kind: 'pglite', prisma, sql,
    async close() { await prisma.$disconnect(); await lite.close(); },
  };
}
