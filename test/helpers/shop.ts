// A generated shop for end-to-end tests: written to a temporary folder by the synthetic generator and
// imported for a merchant through the importers directly (the job path is covered by
// import-job.test.ts), then the trailing-sales stats refreshed as an import job would.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateShop, type ShopSize } from '../../src/generator';
import { importDirectory } from '../../src/modules/imports/import-directory';
import type { ImportKind } from '../../src/modules/imports/import.types';
import type { TestApp } from './app';

export { SHOP_FILE_KINDS as ALL_KINDS } from '../../src/modules/imports/import-directory';

export async function generateTestShop(size: ShopSize, seed: number): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `shelfwise-${size}-${seed}-`));
  await generateShop({ size, seed, outDir: dir });
  return dir;
}

export async function importTestShop(app: TestApp, merchantId: number, dir: string, kinds?: readonly ImportKind[]): Promise<void> {
  await importDirectory(app.db, merchantId, dir, kinds);
  await app.services.catalog.refreshProductStats(merchantId);
}

export function removeTestShop(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}
