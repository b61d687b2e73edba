// Exposure-plan benchmark (issue 4).
//  sim:   closed-loop simulation on a generated shop whose true purchase probabilities are known (see
//         bench/exposure-world.ts): T rounds of plan → shopper responses → posterior update → re-plan for
//         the oracle, the conversion-greedy plan, a uniform plan and Shelfwise's plan at several ε.
//  scale: plan generation time and peak memory for a large candidate set (default 50k products), each
//         run in its own child process so peak RSS is its own; median of several runs.
// Usage: node dist/bench/exposure.bench.js [--only=sim|scale] [--size=demo] [--seeds=3] [--rounds=10]
//        [--products=50000] [--runs=5]
// Figures are printed and written to bench-out/exposure-*.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flag } from './lib/args';
import { fmt, markdownTable } from './lib/stats';
import { buildExposureWorld } from './exposure-world';
import { runScaleChild, scaleBench } from './exposure-scale';
import { simulateExposurePolicy, type PolicyRun, type SimulatedPolicy } from '../src/ml/exposure/simulate';
import { isShopSize, type ShopSize } from '../src/generator/sizes';

const OUT_DIR = path.resolve('bench-out');

interface NamedPolicy {
  name: string;
  policy: SimulatedPolicy;
}

const LONG_TAIL_FLOOR = 0.3;
const HIGH_FLOOR = 0.9;
/** Positions per view of the simulated home page. */
const SLOTS = 6;
const EXPLORATION_SHARE = Number(flag('exploration-share') ?? 0.05);

function policies(popularity: ArrayLike<number>): NamedPolicy[] {
  const shelfwise = (eps: number): NamedPolicy => ({
    name: `shelfwise ε=${eps.toFixed(2)}`,
    policy: { kind: 'shelfwise', maxConversionLoss: eps, longTailMinShare: LONG_TAIL_FLOOR, explorationShare: EXPLORATION_SHARE },
  });
  return [
    { name: 'oracle', policy: { kind: 'oracle' } },
    { name: 'greedy', policy: { kind: 'greedy' } },
    { name: 'uniform', policy: { kind: 'uniform' } },
    { name: 'popularity', policy: { kind: 'proportional', weights: popularity } },
    shelfwise(0.01),
    shelfwise(0.05),
    shelfwise(0.1),
    // A floor that binds (greedy's own long-tail share is ~50–75% here): what the guardrail lets through.
    {
      name: `shelfwise ε=0.05 floor ${pct(HIGH_FLOOR, 0)}`,
      policy: { kind: 'shelfwise', maxConversionLoss: 0.05, longTailMinShare: HIGH_FLOOR, explorationShare: EXPLORATION_SHARE },
    },
  ];
}

function intFlag(name: string, def: number): number {
  const raw = flag(name);
  if (raw === undefined) return def;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const pct = (x: number, d = 1): string => `${(100 * x).toFixed(d)}%`;

interface World {
  w: ReturnType<typeof buildExposureWorld>;
  info: Record<string, unknown>;
}

function buildWorlds(size: ShopSize, seeds: number, perProduct: number): World[] {
  const out: World[] = [];
  for (let s = 0; s < seeds; s++) {
    const seed = 101 + s;
    const tw = performance.now();
    const w = buildExposureWorld({ size, seed, slots: SLOTS, historyImpressions: 2 * perProduct * 1000 });
    const n = w.trueRate.length;
    let lt = 0;
    for (let a = 0; a < n; a++) lt += w.isLongTail[a];
    const info = {
      seed, products: n, longTailProducts: lt, audience: w.audience, day: w.day,
      historyImpressions: w.historyImpressions.reduce((x, y) => x + y, 0), historyPurchases: w.historyPurchases.reduce((x, y) => x + y, 0),
      meanTrueRate: w.trueRate.reduce((x, y) => x + y, 0) / n, priorQuality: w.priorQuality, buildSeconds: (performance.now() - tw) / 1000,
    };
    console.log(
      `world seed ${seed}: ${n} candidates (${lt} long-tail), audience ${w.audience}, ` +
        `history ${fmt(info.historyImpressions)} impressions / ${fmt(info.historyPurchases)} purchases, mean true rate ${pct(info.meanTrueRate, 2)}; ` +
        `prior r(log pred, log true) all ${w.priorQuality.rAll.toFixed(2)} head ${w.priorQuality.rHead.toFixed(2)} tail ${w.priorQuality.rTail.toFixed(2)}, ` +
        `bias mean log(pred/true) head ${w.priorQuality.meanLogRatioHead.toFixed(2)} tail ${w.priorQuality.meanLogRatioTail.toFixed(2)} [${info.buildSeconds.toFixed(1)} s]`,
    );
    out.push({ w, info });
  }
  return out;
}

function simConfig(worlds: World[], T: number, perProduct: number, capShare: number, priorStrength: number, label: string): Record<string, unknown> {
  const names = policies([]).map((p) => p.name);
  const runs = new Map<string, PolicyRun[]>(names.map((p) => [p, []]));
  for (const { w } of worlds) {
    const n = w.trueRate.length;
    const budget = perProduct * n;
    const cap = Math.max(1, Math.floor(capShare * budget));
    for (const p of policies(w.popularity)) {
      const tp = performance.now();
      const run = simulateExposurePolicy(w, p.policy, {
        rounds: T, budget, maxImpressions: cap, priorStrength, seed: w.world.seed * 7 + 1, drawPurchases: w.drawPurchases,
      });
      runs.get(p.name)!.push(run);
      if (flag('verbose')) console.log(`  ${p.name}: ${((performance.now() - tp) / 1000).toFixed(1)} s`);
    }
  }
  const greedy = runs.get('greedy')!;
  const tail = Math.max(1, Math.floor(T / 3));
  const rows: string[][] = [];
  const summary: Record<string, unknown>[] = [];
  for (const name of names) {
    const rs = runs.get(name)!;
    const conv = mean(rs.map((r) => r.totals.conversions));
    const exp = mean(rs.map((r) => r.totals.trueExpectedConversions));
    const ratio = mean(rs.map((r, s) => r.totals.conversions / greedy[s].totals.conversions));
    const expRatio = mean(rs.map((r, s) => r.totals.trueExpectedConversions / greedy[s].totals.trueExpectedConversions));
    const lastRatio = mean(
      rs.map((r, s) => {
        const mine = r.rounds.slice(-tail).reduce((x, q) => x + q.trueExpectedConversions, 0);
        const theirs = greedy[s].rounds.slice(-tail).reduce((x, q) => x + q.trueExpectedConversions, 0);
        return mine / theirs;
      }),
    );
    const regret = mean(rs.map((r) => r.totals.regret));
    const oracle = mean(rs.map((r) => r.totals.oracleExpectedConversions));
    const firstRegret = mean(rs.map((r) => r.rounds[0].regret));
    const lastRegret = mean(rs.map((r) => r.rounds[T - 1].regret));
    const ltShare = mean(rs.map((r) => r.totals.longTailShare));
    const coverage = mean(rs.map((r) => r.totals.coverage));
    const gini = mean(rs.map((r) => r.totals.gini));
    const roundCoverage = mean(rs.map((r) => mean(r.rounds.map((q) => q.coverage))));
    const roundGini = mean(rs.map((r) => mean(r.rounds.map((q) => q.gini))));
    rows.push([
      name, fmt(conv), fmt(exp), ratio.toFixed(3), expRatio.toFixed(3), lastRatio.toFixed(3), fmt(regret), pct(regret / oracle),
      fmt(firstRegret), fmt(lastRegret), pct(ltShare), pct(roundCoverage), pct(coverage), roundGini.toFixed(3), gini.toFixed(3),
    ]);
    summary.push({
      policy: name, conversions: conv, trueExpectedConversions: exp, conversionsVsGreedy: ratio,
      expectedVsGreedy: expRatio, lastRoundsExpectedVsGreedy: lastRatio, regret, regretShareOfOracle: regret / oracle,
      firstRoundRegret: firstRegret, lastRoundRegret: lastRegret, longTailShare: ltShare, coveragePerRound: roundCoverage,
      coverageCumulative: coverage, giniPerRound: roundGini, giniCumulative: gini,
      perSeed: rs.map((r, s) => ({ conversions: r.totals.conversions, vsGreedy: r.totals.conversions / greedy[s].totals.conversions, regret: r.totals.regret, longTailShare: r.totals.longTailShare })),
      perRound: Array.from({ length: T }, (_, t) => ({
        round: t + 1,
        conversions: mean(rs.map((r) => r.rounds[t].conversions)),
        trueExpectedConversions: mean(rs.map((r) => r.rounds[t].trueExpectedConversions)),
        regret: mean(rs.map((r) => r.rounds[t].regret)),
        vsGreedy: mean(rs.map((r, s) => r.rounds[t].trueExpectedConversions / greedy[s].rounds[t].trueExpectedConversions)),
        longTailShare: mean(rs.map((r) => r.rounds[t].longTailShare)),
        coverage: mean(rs.map((r) => r.rounds[t].coverage)),
        gini: mean(rs.map((r) => r.rounds[t].gini)),
        explorationImpressions: mean(rs.map((r) => r.rounds[t].explorationImpressions)),
        longTailShareRequested: mean(rs.map((r) => r.rounds[t].longTailShareRequested)),
      })),
    });
  }
  console.log(`\n### ${label}: ${worlds.length} world seeds, ${T} rounds, ${perProduct} impressions/product/round, cap ${pct(capShare)} of the budget per product, prior strength ${priorStrength}, long-tail floor ${pct(LONG_TAIL_FLOOR, 0)}, exploration share ${pct(EXPLORATION_SHARE, 0)} (means over seeds; E[conv] = Σ impressions × true rate)\n`);
  console.log(
    markdownTable(
      ['policy', 'conversions', 'E[conv]', 'conv/greedy', 'E/greedy', `E/greedy last ${tail}`, 'regret', 'regret/oracle', 'regret r1', `regret r${T}`, 'long-tail share', 'coverage/round', 'coverage cum.', 'Gini/round', 'Gini cum.'],
      rows,
    ),
  );
  const head = ['policy', ...Array.from({ length: T }, (_, t) => `r${t + 1}`)];
  const perRound = (title: string, cell: (q: Record<string, number>) => string) => {
    console.log(`\n${title}:\n`);
    console.log(markdownTable(head, summary.map((s) => [String(s.policy), ...(s.perRound as Record<string, number>[]).map(cell)])));
  };
  perRound('Per-round regret (oracle − plan, true expected conversions)', (q) => fmt(q.regret));
  perRound('Per-round true expected conversions relative to greedy', (q) => q.vsGreedy.toFixed(3));
  perRound('Per-round long-tail share of impressions', (q) => pct(q.longTailShare, 0));
  perRound('Per-round long-tail share asked of the allocator (lowered to the largest the guardrail allows when the floor conflicts)', (q) => pct(q.longTailShareRequested, 0));
  return { label, capShare, policies: summary };
}

function simBench(): void {
  const size = flag('size') ?? 'demo';
  if (!isShopSize(size)) throw new Error(`unknown --size ${size}`);
  const seeds = intFlag('seeds', 3);
  const T = intFlag('rounds', 10);
  const perProduct = intFlag('impressions-per-product', 200);
  const caps = (flag('cap-share') ?? `${1 / SLOTS},0.02`).split(',').map(Number);
  const priorStrength = Number(flag('prior-strength') ?? 100);
  const t0 = performance.now();
  const worlds = buildWorlds(size, seeds, perProduct);
  const configs = caps.map((capShare) =>
    simConfig(worlds, T, perProduct, capShare, priorStrength,
      Math.abs(capShare - 1 / SLOTS) < 1e-9 ? `cap = one impression per view (1/${SLOTS} of the budget)` : `cap ${pct(capShare)} of the budget per product`),
  );
  console.log(`\n[sim ${((performance.now() - t0) / 1000).toFixed(1)} s]`);
  mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, 'exposure-sim.json');
  writeFileSync(file, JSON.stringify({
    size, seeds, rounds: T, perProduct, priorStrength, slots: SLOTS, longTailFloor: LONG_TAIL_FLOOR, explorationShare: EXPLORATION_SHARE,
    worlds: worlds.map((w) => w.info), configs, machine: machine(),
  }, null, 2));
  console.log(`written ${file}`);
}

function machine(): Record<string, unknown> {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg(), node: process.version, at: new Date().toISOString() };
}

function main(): void {
  if (process.env.EXPOSURE_BENCH_CHILD === '1') {
    runScaleChild();
    return;
  }
  const only = flag('only');
  console.log(`machine: ${os.cpus().length} cpus, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
  if (only === undefined || only === 'sim') simBench();
  if (only === undefined || only === 'scale') {
    const products = intFlag('products', 50_000);
    const runsN = intFlag('runs', 5);
    const result = scaleBench(products, runsN, (args) =>
      execFileSync(process.execPath, ['--expose-gc', __filename, ...args], { env: { ...process.env, EXPOSURE_BENCH_CHILD: '1' }, encoding: 'utf8' }),
    );
    mkdirSync(OUT_DIR, { recursive: true });
    const file = path.join(OUT_DIR, 'exposure-scale.json');
    writeFileSync(file, JSON.stringify({ ...result, machine: machine() }, null, 2));
    console.log(`written ${file}`);
  }
}

main();
