// A generated benchmark shop in .data/bench-shops/<size>-<seed>/, generated on first use and reused
// while complete (its marker file, with the generator's summary, written last). `childProcess`
// generates it in its own process (bench/generate-shop.ts), so the generator's world never inflates
// the heap or the peak RSS of the benchmark that asked.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateShop, isShopSize } from '../../src/generator';
import { completeShop, MARKER_FILE, shopDir } from './shop-files';

export async function ensureShop(size: string, seed: number, opts: { childProcess?: boolean } = {}):
  Promise<{ dir: string; generated: boolean; generateSeconds: number | null }> {
  const dir = shopDir(process.cwd(), size, seed);
  if (completeShop(dir)) return { dir, generated: false, generateSeconds: null };
  if (!isShopSize(size)) throw new Error(`unknown shop size ${size}`);
  mkdirSync(dir, { recursive: true });
  console.log(`generating the ${size} shop (seed ${seed}) into ${dir}`);
  const t0 = performance.now();
  if (opts.childProcess) {
    const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'generate-shop.js'), size, String(seed), dir], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`generating the ${size} shop failed (exit ${r.status})`);
  } else {
    const summary = await generateShop({ size, seed, outDir: dir });
    writeFileSync(path.join(dir, MARKER_FILE), JSON.stringify({ ...summary, elapsedMs: Math.round(performance.now() - t0) }, null, 2) + '\n');
  }
  return { dir, generated: true, generateSeconds: (performance.now() - t0) / 1000 };
}
