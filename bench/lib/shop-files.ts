// Where benchmark shops live and how a complete one is recognised.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHOP_FILE_KINDS } from '../../src/modules/imports/import-directory';

export const MARKER_FILE = 'bench-generated.json';
export { SHOP_FILE_KINDS as SHOP_FILES };
export type ShopFile = typeof SHOP_FILE_KINDS[number];

export function shopDir(root: string, size: string, seed: number): string {
  return path.resolve(root, '.data', 'bench-shops', `${size}-${seed}`);
}

/** The generator's summary if the directory holds a complete shop, else undefined. */
export function completeShop(dir: string): { elapsedMs?: number; counts?: Record<string, number> } | undefined {
  const marker = path.join(dir, MARKER_FILE);
  if (!existsSync(marker) || !SHOP_FILE_KINDS.every((f) => existsSync(path.join(dir, `${f}.csv`)))) return undefined;
  try { return JSON.parse(readFileSync(marker, 'utf8')); } catch { return undefined; }
}
