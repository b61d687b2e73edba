// A generated benchmark shop in .data/bench-shops/<size>-<seed>/, generated on first use and reused
// while complete (its marker file written last).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateShop, isShopSize } from '../../src/generator';
import { completeShop, MARKER_FILE, shopDir } from './shop-files';

export async function ensureShop(size: string, seed: number): Promise<{ dir: string; generated: boolean }> {
  const dir = shopDir(process.cwd(), size, seed);
  if (completeShop(dir)) return { dir, generated: false };
  if (!isShopSize(size)) throw new Error(`unknown shop size ${size}`);
  mkdirSync(dir, { recursive: true });
  console.log(`generating the ${size} shop (seed ${seed}) into ${dir}`);
  const summary = await generateShop({ size, seed, outDir: dir });
  writeFileSync(path.join(dir, MARKER_FILE), JSON.stringify(summary, null, 2) + '\n');
  return { dir, generated: true };
}
