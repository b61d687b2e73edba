// Driver adapter for the Prisma CLI's WASM schema engine (migrate dev/deploy/status).
// Works around three problems of @prisma/adapter-pg 6.19.3 when used by the CLI
// (recorded in ../shared/STACK-NOTES.md):
//  1. introspection returns `name`/`char` columns (type OIDs 19/18) it cannot deserialise
//     (prisma/orm#27403) — reported as text here, in the CLI process only;
//  2. the shadow database name is lost when the config is a connection string — we pass
//     discrete fields;
//  3. the shadow pool must be closed before its database is dropped.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Result = require('pg/lib/result');
const originalAddFields = Result.prototype.addFields;
Result.prototype.addFields = function addFields(fields: Array<{ dataTypeID: number }>) {
  for (const f of fields) if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25;
  return originalAddFields.call(this, fields);
};

function discreteConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
  };
}

class CliPrismaPg extends PrismaPg {
  constructor(private readonly discrete: pg.PoolConfig) {
    super(discrete);
  }

  override async connectToShadowDb() {
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replace(/-/g, '')}`;
    const admin = new pg.Client(this.discrete);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const shadow = new PrismaPg({ ...this.discrete, database });
    const conn = await shadow.connect();
    const originalDispose = conn.dispose.bind(conn);
    conn.dispose = async () => {
      await originalDispose();
      const dropper = new pg.Client(this.discrete);
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${database}"`);
      await dropper.end();
    };
    return conn;
  }
}

export async function migrationAdapter() {
  const url = process.env.DATABASE_URL;
  if (!url || url.includes('placeholder')) {
    throw new Error('Set DATABASE_URL to a PostgreSQL server to run Prisma Migrate from the CLI. ' +
      'Embedded (PGlite) databases are migrated by the app itself at start.');
  }
  return new CliPrismaPg(discreteConfig(url));
}
