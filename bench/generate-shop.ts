// Generates a benchmark shop in its own process (so the generator's world never inflates the import
// benchmark's RSS): node dist/bench/generate-shop.js <size> <seed> <outDir>. Writes MARKER_FILE
// with the summary when the shop is complete; a directory without it is regenerated.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateShop, isShopSize } from '../src/generator';
import { MARKER_FILE } from './lib/shop-files';

async function main(): Promise<number> {
  const [size, seedText, outDir] = process.argv.slice(2);
  if (!size || !isShopSize(size) || !outDir) throw new Error('usage: generate-shop.js <size> <seed> <outDir>');
  let last = 0;
  const summary = await generateShop({
    size, seed: Number(seedText ?? 1), outDir,
    onProgress: (p) => {
      if (Date.now() - last < 5000 && p.phase !== 'done') return;
      last = Date.now();
      console.log(`  generating ${size}: ${p.phase} ${Math.round(p.fraction * 100)}%, ${p.events.toLocaleString('en-US')} events`);
    },
  });
  writeFileSync(path.join(outDir, MARKER_FILE), JSON.stringify(summary, null, 2) + '\n');
  return 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
