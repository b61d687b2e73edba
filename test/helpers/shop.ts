// A generated shop for end-to-end tests: written to a temporary folder by the synthetic generator and
// imported for a merchant through the importers directly (the job path is covered by
// import-job.test.ts), then the trailing-sales stats refreshed as an import job would.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateShop, type ShopSize } from '../../src/generator';
import { importFile } from '../../src/modules/imports/import.service';
import type { ImportKind } from '../../src/modules/imports/import.types';
import type { TestApp } from './app';

export const ALL_KINDS = ['products', 'customers', 'orders', 'events'] as const;

export async function generateTestShop(size: ShopSize, seed: number): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `shelfwise-${size}-${seed}-`));
  await generateShop({ size, seed, outDir: dir });
  return dir;
}

export async function importTestShop(app: TestApp, merchantId: number, dir: string, kinds: readonly ImportKind[] = ALL_KINDS): Promise<void> {
  for (const kind of kinds) {
    await importFile({ db: app.db, merchantId, kind, source: createReadStream(path.join(dir, `${kind}.csv`)) });
  }
  await app.services.catalog.refreshProductStats(merchantId);
}

export function removeTestShop(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
