// CLV benchmark: simulate purchase logs from BG/NBD + Gamma-Gamma with known parameters, then time the
// production path (day-level RFM summary → BG/NBD fit → Gamma-Gamma fit → scoring: expected purchases,
// P(alive), 7-day purchase probability, 12-month CLV) and check parameter recovery.
// Each size runs in its own child process so its peak RSS (getrusage maxRSS) is its own.
// Usage: node dist/bench/clv.bench.js [customers...]   (default: 100000 1000000)
import { execFileSync } from 'node:child_process';
import { fitBgNbd, type BgNbdFit, type BgNbdParams } from '../src/ml/clv/bgnbd';
import {
  bgnbdConditionalExpectedPurchases,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchase,
} from '../src/ml/clv/bgnbd-predict';
import { customerLifetimeValue } from '../src/ml/clv/clv';
import { fitGammaGamma } from '../src/ml/clv/gamma-gamma';
import { rfmSummary } from '../src/ml/clv/rfm';
import { exactHistories, simulatePurchaseLog } from '../src/ml/clv/simulate';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);
// Days. One purchase per 250 days on average; half the customers gone after ~3 repeat purchases.
const TRUE: BgNbdParams = { r: 0.6, alpha: 150, a: 0.8, b: 2.5 };
const SPEND = { p: 4, q: 3.5, gamma: 60 };
const CAL_END = START + 730 * DAY;
const HOLDOUT_END = CAL_END + 180 * DAY;

function timed<T>(label: string, times: Record<string, number>, f: () => T): T {
  const t0 = performance.now();
  const out = f();
  times[label] = (performance.now() - t0) / 1000;
  return out;
}

function recovery(fit: BgNbdFit): string {
  return (['r', 'alpha', 'a', 'b'] as const)
    .map((k) => {
      const v = fit.params[k];
      const z = (v - TRUE[k]) / fit.standardErrors[k];
      return `${k}=${v.toPrecision(4)} (${(((v - TRUE[k]) / TRUE[k]) * 100).toFixed(1)}%, ${z >= 0 ? '+' : ''}${z.toFixed(1)}σ)`;
    })
    .join(' ');
}

function runOne(n: number): void {
  const times: Record<string, number> = {};
  const log = timed('simulate', times, () =>
    simulatePurchaseLog({ customers: n, bgnbd: TRUE, gammaGamma: SPEND, unit: 'days', startMs: START, acquisitionUnits: 365, untilUnits: 910, seed: 42 }),
  );
  const rfm = timed('rfm', times, () =>
    rfmSummary(log, { calibrationEndMs: CAL_END - DAY, holdoutEndMs: HOLDOUT_END - DAY, unit: 'days', nCustomers: n }),
  );
  const fit = timed('fit BG/NBD', times, () => fitBgNbd(rfm));
  const gg = timed('fit Gamma-Gamma', times, () => fitGammaGamma({ x: rfm.x, meanSpend: rfm.meanRepeatSpend }));
  const expected = timed('score E[Y(180d)]', times, () => bgnbdConditionalExpectedPurchases(fit.params, rfm, 180));
  timed('score P(alive)', times, () => bgnbdProbabilityAlive(fit.params, rfm));
  timed('score P(buy in 7d)', times, () => bgnbdProbabilityOfPurchase(fit.params, rfm, 7));
  timed('score CLV 12 months', times, () =>
    customerLifetimeValue(fit.params, gg.params, { ...rfm, meanSpend: rfm.meanRepeatSpend }, { horizonMonths: 12, monthlyDiscountRate: 0.01, margin: 0.3, unit: 'days' }),
  );
  const exact = exactHistories(log, n, CAL_END, HOLDOUT_END, 'days');
  const exactFit = timed('fit BG/NBD (exact times)', times, () => fitBgNbd(exact));

  let predicted = 0;
  let actual = 0;
  for (let i = 0; i < n; i++) {
    if (!rfm.observed[i]) continue;
    predicted += expected[i];
    actual += rfm.holdoutPurchases[i];
  }
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const lines = log.customer.length;
  console.log(`\n${n.toLocaleString('en')} customers, ${lines.toLocaleString('en')} purchase lines (2-year calibration, days)`);
  for (const [k, v] of Object.entries(times)) console.log(`  ${k.padEnd(26)} ${v.toFixed(3).padStart(8)} s`);
  console.log(`  BG/NBD groups (x, t_x, T): ${fit.groups.toLocaleString('en')}; ${fit.evaluations} likelihood evaluations; LL ${fit.logLikelihood.toFixed(1)}`);
  console.log(`  recovery, day-level RFM:   ${recovery(fit)}`);
  console.log(`  recovery, exact times:     ${recovery(exactFit)}`);
  console.log(
    `  Gamma-Gamma: p=${gg.params.p.toPrecision(4)} q=${gg.params.q.toPrecision(4)} γ=${gg.params.gamma.toPrecision(4)} ` +
      `(true 4, 3.5, 60; population mean ${gg.populationMeanSpend.toFixed(2)} vs ${((SPEND.p * SPEND.gamma) / (SPEND.q - 1)).toFixed(2)})`,
  );
  console.log(`  holdout 180 days: predicted ${predicted.toFixed(0)} vs actual ${actual} distinct purchase days (${(((predicted - actual) / actual) * 100).toFixed(1)}%)`);
  console.log(`  peak RSS ${maxRssMiB.toFixed(0)} MiB`);
}

function main(): void {
  const args = process.argv.slice(2).map(Number).filter((v) => v > 0);
  if (process.env.CLV_BENCH_CHILD === '1') {
    runOne(args[0]);
    return;
  }
  const sizes = args.length > 0 ? args : [100_000, 1_000_000];
  for (const n of sizes) {
    const out = execFileSync(process.execPath, [__filename, String(n)], { env: { ...process.env, CLV_BENCH_CHILD: '1' }, encoding: 'utf8' });
    process.stdout.write(out);
  }
}

main();
