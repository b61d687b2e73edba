// The demo's exposure part: set up the home-page placement, plan its next week of impressions with a
// long-tail share and the conversion guardrail (through the job system), approve the plan and print
// its summary and trade-off curve.
import type { Runtime } from '../src/runtime';
import type { PlanTotals, StoredCurvePoint, OffPolicyJson } from '../src/modules/exposure/exposure-planner';
import { followJob } from './follow-job';
import { progressPrinter } from './progress';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export async function demoExposure(rt: Runtime, merchantId: number): Promise<void> {
  const { placements, exposure } = rt.services;
  console.log('\nPlanning the home page\'s impressions for the next 7 days (exposure plan)');
  const settings = { handle: 'home', name: 'Home page', slots: 8, expectedDailyImpressions: 1500 };
  let made = await placements.create(merchantId, settings);
  if (made.userErrors[0]?.code === 'TAKEN') {
    const existing = (await placements.list(merchantId, { first: 250 })).nodes.find((p) => p.handle === 'home')!;
    made = await placements.update(merchantId, existing.id, settings);
    console.log('  placement "home" (first seen in the imported events) set to 8 slots × 1,500 views a day');
  } else {
    console.log('  created placement "home": 8 slots × 1,500 views a day');
  }
  if (!made.placement) throw new Error(made.userErrors.map((e) => e.message).join('; '));
  console.log(`  ${made.placement.observedImpressions30d.toLocaleString('en')} impressions logged there in the last 30 days`);

  const input = {
    placementId: made.placement.id, horizonDays: 7, impressionBudget: null, categories: null, excludeProductIds: null,
    longTailMinShare: 0.85, explorationShare: 0.1, maxConversionLoss: 0.05, minImpressionsPerProduct: 0, maxImpressionsPerProduct: 3000,
    productBounds: null, seed: 7,
  };
  // Every impression on the long tail with ε = 1%: the preflight says what the guardrail allows (nothing is queued).
  const all = await exposure.preflight(merchantId, { ...input, longTailMinShare: 1, maxConversionLoss: 0.01 });
  console.log(all.userErrors.length ? `  100% long tail at ε = 1%? ${all.userErrors[0].code}: ${all.userErrors[0].message}` : '  100% long tail at ε = 1% would be feasible');
  console.log(`  planning with at least ${pct(input.longTailMinShare)} of impressions on long-tail products, ε = ${pct(input.maxConversionLoss)}`);
  const done = await followJob(rt, merchantId, async () => {
    const r = await exposure.generate(merchantId, input);
    if (!r.job) throw new Error(r.userErrors.map((e) => e.message).join('; '));
    return r.job;
  }, progressPrinter('plan', process.stdout));
  if (done.state !== 'COMPLETED') throw new Error(`Planning ended ${done.state}: ${done.error}`);
  const planId = (done.result as { id: number }).id;
  const gid = (await exposure.byId(merchantId, planId))!.id;
  const approved = await exposure.approve(merchantId, gid);
  if (!approved.exposurePlan) throw new Error(approved.userErrors.map((e) => e.message).join('; '));
  const row = await rt.db.prisma.exposurePlan.findUniqueOrThrow({ where: { id: planId } });
  const t = row.totals as unknown as PlanTotals;
  console.log(`  plan version ${row.version}, ${approved.exposurePlan.status}: ${t.impressions.toLocaleString('en')} impressions over ${t.candidates} products (prior: ${t.priorSource})`);
  console.log(`    expected conversions ${t.expectedConversions.toFixed(1)} (90% ${t.expectedConversionsLow.toFixed(1)}–${t.expectedConversionsHigh.toFixed(1)}), ` +
    `greedy ${t.greedyExpectedConversions.toFixed(1)}: costs ${pct(t.conversionCost)} (guardrail ε = ${pct(t.maxConversionLoss)} ${t.guardrailHolds ? 'holds' : 'BROKEN'})`);
  console.log(`    long-tail share ${pct(t.longTailShare)}, coverage ${pct(t.coverage)}, Gini ${t.gini.toFixed(3)}, exploration ${t.explorationImpressions.toLocaleString('en')} impressions`);
  const ope = row.offPolicy as unknown as OffPolicyJson | null;
  if (ope) console.log(`    off-policy estimate from ${ope.loggedImpressions.toLocaleString('en')} logged impressions: SNIPS ${ope.snips.conversions.toFixed(1)} (95% ${ope.snips.low.toFixed(1)}–${ope.snips.high.toFixed(1)}), IPS ${ope.ips.conversions.toFixed(1)}`);
  const top = await exposure.allocations(merchantId, planId, { first: 8, sortKey: 'IMPRESSIONS', reverse: true, exposedOnly: true });
  const title = new Map((await rt.db.sql.query<{ id: number; title: string }>(`SELECT id, title FROM "Product" WHERE "merchantId" = $1`, [merchantId])).map((p) => [p.id, p.title]));
  console.log('    impressions  exp. conv.  tail  reason                                   product');
  for (const a of top.nodes) {
    console.log(`    ${String(a.impressions).padStart(11)}  ${a.expectedConversions.toFixed(1).padStart(10)}  ${a.isLongTail ? 'yes ' : 'no  '}  ${a.reason.padEnd(40).slice(0, 40)} ${title.get(a.productId) ?? a.productId}`);
  }
  console.log('  trade-off curve (long-tail share → expected conversions, vs greedy):');
  for (const p of row.curve as unknown as StoredCurvePoint[]) {
    const v = p.feasible && p.expectedConversions !== null ? `${p.expectedConversions.toFixed(1).padStart(8)}  ${pct(p.relativeToGreedy ?? 0).padStart(6)}${p.meetsGuardrail ? '' : '  (breaks the guardrail)'}` : '  not reachable within the caps';
    console.log(`    ${pct(p.longTailShare).padStart(6)}  ${v}`);
  }
}
