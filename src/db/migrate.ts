// Applies the Prisma Migrate folder (prisma/migrations) at start-up, to PostgreSQL or to an
// embedded PGlite directory, recording each in `_prisma_migrations` exactly as Prisma does, so
// `prisma migrate status/deploy` agree with what the app applied. Running the Prisma CLI at
// start would cost ~13 s per process and cannot run inside the PGlite-owning process.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The minimal SQL surface both drivers give us. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script (simple query protocol). */
  exec(sql: string): Promise<void>;
}

export function migrationsDir(): string {
  // Works from src/ (ts-jest) and dist/src/ (compiled).
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(__dirname, up, 'prisma', 'migrations');
    if (existsSync(dir)) return dir;
  }
  throw new Error('prisma/migrations not found next to the application');
}

export interface Migration { name: string; sql: string; checksum: string }

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const LOCK_KEY = 72_615_031; // arbitrary advisory-lock key for "shelfwise migrations"

/** Applies pending migrations; returns the names it applied. Safe to run from several processes. */
export async function applyMigrations(db: SqlRunner, migrations = loadMigrations()): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
  await db.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
  try {
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: unknown }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`);
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const prior = done.get(m.name);
      if (prior?.finished_at) {
        if (prior.checksum !== m.checksum) {
          throw new Error(`Migration ${m.name} was modified after it was applied (checksum mismatch)`);
        }
        continue;
      }
      if (prior) throw new Error(`Migration ${m.name} failed earlier and needs manual attention`);
      const id = randomUUID();
      await db.exec(`BEGIN;\n${m.sql}\n;
        INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
        VALUES ('${id}', '${m.checksum}', now(), '${m.name.replace(/'/g, "''")}', 1);\nCOMMIT;`);
      applied.push(m.name);
    }
    return applied;
  } finally {
    await db.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
  }
}
