// Plan generation at scale: one placement with `products` candidates (synthetic posteriors: a Zipf-like
// head with long histories, a long tail with few impressions), a budget of 200 impressions per product,
// caps, a 30% long-tail floor, 10% exploration and ε = 0.05. Each run is a child process (its own peak
// RSS, a cold JIT); the parent prints medians.
import { allocateExposure, reasonText, tradeoffCurve, type AllocationInput } from '../src/ml/exposure/allocate';
import { SeededRng } from '../src/ml/random';
import { markdownTable } from './lib/stats';

interface ScaleRun {
  products: number;
  inputSeconds: number;
  planSeconds: number;
  curveSeconds: number;
  reasonsSeconds: number;
  totalSeconds: number;
  feasible: boolean;
  explorationImpressions: number;
  coverage: number;
  longTailShare: number;
  maxRssMiB: number;
  baselineRssMiB: number;
  heapUsedBeforeMiB: number;
  heapUsedAfterMiB: number;
  /** Typed-array memory (outside the V8 heap) before and after, plan and inputs alive. */
  arrayBuffersBeforeMiB: number;
  arrayBuffersAfterMiB: number;
}

export function syntheticInput(n: number, seed: number): AllocationInput {
  const rng = new SeededRng(seed);
  const alpha = new Float64Array(n);
  const beta = new Float64Array(n);
  const isLongTail = new Uint8Array(n);
  const seen = new Float64Array(n);
  const max = new Float64Array(n);
  const min = new Float64Array(n);
  const budget = 200 * n;
  for (let i = 0; i < n; i++) {
    const head = i < n * 0.05;
    isLongTail[i] = head ? 0 : 1;
    const rate = Math.exp(Math.log(0.01) + 0.6 * rng.normal());
    const predicted = rate * Math.exp(0.5 * rng.normal());
    const impressions = head ? Math.round(2e6 / Math.pow(i + 1, 1.1)) : rng.int(150);
    let k = 0;
    const expect = impressions * rate;
    k = Math.max(0, Math.min(impressions, Math.round(expect + Math.sqrt(expect) * rng.normal())));
    alpha[i] = predicted * 100 + k;
    beta[i] = (1 - predicted) * 100 + impressions - k;
    seen[i] = impressions;
    max[i] = Math.floor(budget / 500);
    min[i] = rng.next() < 0.01 ? 50 : 0;
  }
  return {
    products: { alpha, beta, isLongTail, impressionsSoFar: seen, maxImpressions: max, minImpressions: min },
    budget,
    longTailMinShare: 0.3,
    explorationShare: 0.1,
    maxConversionLoss: 0.05,
    seed,
  };
}

const MiB = 2 ** 20;

/** In the child: one timed plan generation, printed as JSON on stdout. */
export function runScaleChild(): void {
  const n = Number(process.argv[2]);
  const seed = Number(process.argv[3] ?? 1);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baselineRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const input = syntheticInput(n, seed);
  const t1 = performance.now();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const abBefore = process.memoryUsage().arrayBuffers;
  const plan = allocateExposure(input);
  const t2 = performance.now();
  const curve = tradeoffCurve(input, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  const t3 = performance.now();
  let chars = 0;
  if (plan.feasible) for (let i = 0; i < n; i++) chars += reasonText(plan, i, input.products.impressionsSoFar![i]).length;
  const t4 = performance.now();
  const heapAfter = process.memoryUsage().heapUsed;
  const abAfter = process.memoryUsage().arrayBuffers;
  const out: ScaleRun = {
    products: n,
    inputSeconds: (t1 - t0) / 1000,
    planSeconds: (t2 - t1) / 1000,
    curveSeconds: (t3 - t2) / 1000,
    reasonsSeconds: (t4 - t3) / 1000,
    totalSeconds: (t4 - t1) / 1000,
    feasible: plan.feasible,
    explorationImpressions: plan.feasible ? plan.totals.explorationImpressions : 0,
    coverage: plan.feasible ? plan.totals.coverage : 0,
    longTailShare: plan.feasible ? plan.totals.longTailShare : 0,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    baselineRssMiB: baselineRss / MiB,
    heapUsedBeforeMiB: heapBefore / MiB,
    heapUsedAfterMiB: heapAfter / MiB,
    arrayBuffersBeforeMiB: abBefore / MiB,
    arrayBuffersAfterMiB: abAfter / MiB,
  };
  if (curve.length === 0 || chars < 0) throw new Error('unreachable');
  process.stdout.write(JSON.stringify(out));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** In the parent: `runs` child runs, medians printed; returns the figures. */
export function scaleBench(products: number, runs: number, spawn: (args: string[]) => string): Record<string, unknown> {
  const results: ScaleRun[] = [];
  for (let r = 0; r < runs; r++) results.push(JSON.parse(spawn([String(products), String(r + 1)])) as ScaleRun);
  const keys = ['planSeconds', 'curveSeconds', 'reasonsSeconds', 'totalSeconds', 'maxRssMiB', 'baselineRssMiB', 'heapUsedBeforeMiB', 'heapUsedAfterMiB', 'arrayBuffersBeforeMiB', 'arrayBuffersAfterMiB'] as const;
  const med = Object.fromEntries(keys.map((k) => [k, median(results.map((x) => x[k]))])) as Record<(typeof keys)[number], number>;
  console.log(`\nPlan generation, ${products.toLocaleString('en')} candidates, budget ${(200 * products).toLocaleString('en')}, ${runs} runs (child processes), median:\n`);
  console.log(
    markdownTable(
      ['allocateExposure', 'tradeoffCurve (11 pts)', 'reason texts', 'total', 'peak RSS', 'RSS before', 'heap before', 'heap after', 'typed arrays before', 'typed arrays after'],
      [[
        `${med.planSeconds.toFixed(3)} s`, `${med.curveSeconds.toFixed(3)} s`, `${med.reasonsSeconds.toFixed(3)} s`, `${med.totalSeconds.toFixed(3)} s`,
        `${med.maxRssMiB.toFixed(0)} MiB`, `${med.baselineRssMiB.toFixed(0)} MiB`, `${med.heapUsedBeforeMiB.toFixed(1)} MiB`, `${med.heapUsedAfterMiB.toFixed(1)} MiB`,
        `${med.arrayBuffersBeforeMiB.toFixed(1)} MiB`, `${med.arrayBuffersAfterMiB.toFixed(1)} MiB`,
      ]],
    ),
  );
  console.log(`runs (plan s): ${results.map((x) => x.planSeconds.toFixed(3)).join(', ')}; exploration ${results[0].explorationImpressions}, coverage ${(100 * results[0].coverage).toFixed(1)}%, long-tail share ${(100 * results[0].longTailShare).toFixed(1)}%`);
  return { products, runs: results, median: med };
}
