// Offline recommendation evaluation on a generated shop (npm run bench:receval [-- --size small]).
// Prints figures; not a test.
//
// For each size (default: small; `--size small,medium`): generates the shop into
// .data/bench-shops/<size>-<seed>/ (reused when complete), imports it into a throw-away PostgreSQL
// database, refreshes the product stats, then runs the evaluate-recommendations job handler inline
// (the same code the worker runs, without the queue) and prints the stored table: policy × mode ×
// long-tail share → Recall, NDCG, hit rate, coverage, long-tail share, novelty, expected conversions.
// Flags: --seed N (shop seed, default 1), --max-customers N (default 2000), --max-epochs N,
// --test-days N (default 28).
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { logger } from '../src/logger';
import { importDirectory } from '../src/modules/imports/import-directory';
import { evaluateRecommendationsHandler } from '../workers/handlers/evaluate-recommendations.handler';
import { flag } from './lib/args';
import { openBenchServices } from './lib/bench-services';
import { ensureShop } from './lib/ensure-shop';

interface StoredRow {
  policy: string; mode: string; longTailShare: number; customers: number;
  metrics: Array<{ k: number; recall: number; ndcg: number; hitRate: number; coverage: number; longTailShare: number; novelty: number; expectedConversions: number | null; conversionCost: number | null }>;
}

const num = (name: string, def: number) => { const v = flag(name); return v === undefined ? def : Number(v); };

async function runSize(size: string): Promise<void> {
  const seed = num('seed', 1);
  const { dir } = await ensureShop(size, seed);
  const run = await openBenchServices('receval');
  const { bench, config, services } = run;
  try {
    const merchant = await bench.db.prisma.merchant.create({ data: { name: `bench-${size}` } });
    let t = performance.now();
    await importDirectory(bench.db, merchant.id, dir);
    await services.catalog.refreshProductStats(merchant.id);
    console.log(`\n${size} shop (seed ${seed}): imported in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const maxEpochs = flag('max-epochs');
    const payload = {
      jobId: `bench-${Date.now()}`, merchantId: merchant.id, testDays: num('test-days', 28), ks: [10, 20], shares: [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9],
      maxCustomers: num('max-customers', 2000), seed: 1, ...(maxEpochs ? { maxEpochs: Number(maxEpochs) } : {}),
    };
    t = performance.now();
    let last = 0;
    const result = await evaluateRecommendationsHandler(payload, {
      db: bench.db, services, config, log: logger, attempt: 1, shouldStop: () => false,
      async progress(f, m) { if (Date.now() - last > 5000) { last = Date.now(); console.log(`  ${(f * 100).toFixed(0)}% ${m ?? ''}`); } },
    });
    const seconds = (performance.now() - t) / 1000;
    const row = await bench.db.prisma.recommendationEvaluation.findFirstOrThrow({ where: { id: Number(result.id) } });
    const params = row.params as Record<string, unknown> & { model: Record<string, unknown> };
    console.log(`evaluation job: ${seconds.toFixed(1)} s; split ${row.splitAt.toISOString().slice(0, 10)}, ` +
      `${params.customersEvaluated} customers evaluated of ${params.customersEligible} eligible (${params.coldStartCustomers} cold-start), ` +
      `${params.candidates} candidate products (${params.longTailCandidates} long-tail), ${params.testPurchases} test purchases ` +
      `(${params.testPurchasesOfNonCandidates} of non-candidates)`);
    console.log(`evaluation model: ${params.model.examples} examples (${params.model.source}), held-out AUC ${Number(params.model.heldOutAuc).toFixed(3)} ` +
      `(popularity ${Number(params.model.popularityAuc).toFixed(3)}), ${params.model.epochs} epochs`);
    for (const k of payload.ks) {
      console.log(`\nK = ${k}`);
      console.log('| policy | mode | share | customers | Recall | NDCG | HitRate | coverage | long-tail share | novelty | E[conv]/list | cost/list |');
      console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
      for (const r of row.results as unknown as StoredRow[]) {
        const m = r.metrics.find((x) => x.k === k)!;
        const f = (x: number | null, d = 4) => (x === null ? '–' : x.toFixed(d));
        console.log(`| ${r.policy} | ${r.mode} | ${r.longTailShare} | ${r.customers} | ${f(m.recall)} | ${f(m.ndcg)} | ${f(m.hitRate, 3)} | ${f(m.coverage, 3)} | ` +
          `${f(m.longTailShare, 3)} | ${f(m.novelty, 2)} | ${f(m.expectedConversions, 3)} | ${f(m.conversionCost, 3)} |`);
      }
    }
  } finally {
    await run.close();
  }
}

async function main(): Promise<number> {
  for (const size of (flag('size') ?? 'small').split(',')) await runSize(size);
  return 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
