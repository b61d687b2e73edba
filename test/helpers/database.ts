// Real databases for tests: a fresh PostgreSQL database (random name, dropped afterwards) or a
// fresh in-memory-backed PGlite directory, both migrated with the app's own migrator.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Database, DatabaseKind, openDatabase } from '../../src/db/database';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database { url?: string; drop(): Promise<void> }

export async function createTestDatabase(kind: DatabaseKind = 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shelfwise-pglite-'));
    const db = await openDatabase({ dataDir: path.join(dir, 'db') });
    return { ...db, async drop() { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `shelfwise_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ databaseUrl: url, poolSize: 5 });
  return {
    ...db, url,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Both storage modes, for repository tests that must hold on each: `describe.each(STORAGE_KINDS)`. */
export const STORAGE_KINDS: DatabaseKind[] = ['postgres', 'pglite'];
