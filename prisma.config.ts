// Prisma CLI configuration. The CLI runs offline: the schema engine is the WASM build
// driven through a driver adapter (see prisma/cli-adapter.ts and ../shared/STACK-NOTES.md).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { migrationAdapter } from './prisma/cli-adapter';

process.env.DATABASE_URL ??= 'postgresql://placeholder@127.0.0.1:5432/placeholder';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: migrationAdapter,
});
