// The demo's customer-value part: fit and value customers, print the segments; run the risk rules
// and print a few flags.
import type { Runtime } from '../src/runtime';
import { followJob } from './follow-job';
import { progressPrinter } from './progress';

export async function demoCustomers(rt: Runtime, merchantId: number): Promise<void> {
  const { customerValues, risk } = rt.services;
  console.log('\nValuing customers (BG/NBD + Gamma-Gamma and a calendar-aware TensorFlow.js model, backtested on rolling windows)');
  const trained = await followJob(rt, merchantId, async () => {
    const r = await customerValues.startTraining(merchantId, { horizonDays: 365, margin: 0.3, monthlyDiscountRate: 0.01, force: false });
    if (!r.job) throw new Error(r.userErrors.map((e) => e.message).join('; '));
    return r.job;
  }, progressPrinter('value', process.stdout));
  if (trained.state !== 'COMPLETED') throw new Error(`Customer valuation ended ${trained.state}: ${trained.error}`);
  const summary = await customerValues.summary(merchantId);
  const bt = summary.backtest;
  if (bt) {
    for (const w of bt.windows) {
      console.log(`  backtest ${w.cutoffDate} +${w.horizonDays}d: actual ${w.actual}, BG/NBD ${w.bgnbd.predicted.toFixed(0)}, calendar ${w.calendar.predicted.toFixed(0)}`);
    }
  }
  console.log(`  serving: ${summary.servedModel}${bt ? ` — ${bt.reason}` : ''}`);
  console.log('  segment       customers   12-month value   mean churn risk');
  for (const s of summary.segments) {
    console.log(`  ${s.segment.padEnd(12)} ${String(s.customers).padStart(10)}   ${s.expectedValue.toFixed(0).padStart(14)}   ${(s.meanChurnRisk * 100).toFixed(0).padStart(14)}%`);
  }
  const detected = await followJob(rt, merchantId, () => risk.startDetection(merchantId), progressPrinter('risk', process.stdout));
  console.log(`  risk rules: ${JSON.stringify((detected.result as { byKind?: unknown } | null)?.byKind ?? {})}`);
  const flags = await risk.list(merchantId, { first: 3, status: 'OPEN' });
  for (const f of flags.nodes) console.log(`    [${f.kind}] score ${f.score.toFixed(2)}: ${f.reason}`);
}
