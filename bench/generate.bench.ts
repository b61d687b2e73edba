// Generates one synthetic shop into a temporary directory and reports throughput and peak memory.
// Usage: node dist/bench/generate.bench.js [size=demo] [seed=1] [--keep]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateShop, isShopSize } from '../src/generator';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const keep = process.argv.includes('--keep');
  const size = args[0] ?? 'demo';
  const seed = Number(args[1] ?? 1);
  if (!isShopSize(size)) throw new Error(`unknown size "${size}" (tiny | small | demo | medium | large)`);
  const outDir = mkdtempSync(path.join(os.tmpdir(), `shelfwise-gen-${size}-`));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  let lastPhase = '';
  try {
    const summary = await generateShop({
      size,
      seed,
      outDir,
      onProgress: (p) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (p.phase !== lastPhase) {
          lastPhase = p.phase;
          process.stderr.write(`[${((performance.now()) / 1000).toFixed(1)}s] ${p.phase}\n`);
        }
      },
    });
    const c = summary.counts;
    const rows = c.products + c.customers + c.events + c.orderRows;
    const seconds = summary.elapsedMs / 1000;
    console.log(JSON.stringify(summary.counts));
    console.log(
      `${size} seed=${seed}: ${rows.toLocaleString('en')} rows (${c.events.toLocaleString('en')} events) in ${seconds.toFixed(2)} s` +
        ` = ${Math.round(rows / seconds).toLocaleString('en')} rows/s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB` +
        (keep ? `; kept in ${outDir}` : ''),
    );
  } finally {
    clearInterval(sampler);
    if (!keep) rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
