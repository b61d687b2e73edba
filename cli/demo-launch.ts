// The demo's launch part: a DRAFT product modelled on a recent launch, a launch plan over prices,
// promotions, launch weeks and exposure budgets, the demand model trained on the shop's past
// launches, and the recommendation with its weekly P10/P50/P90 band, alternatives, drivers, analogs
// and audience.
import type { ProductInput } from '../src/modules/catalog/catalog.inputs';
import { LaunchObjective } from '../src/modules/launch/launch.inputs';
import type { Runtime } from '../src/runtime';
import { merchantNow } from '../src/modules/catalog/data-clock';
import { followJob } from './follow-job';
import { progressPrinter } from './progress';

const DAY_MS = 86_400_000;

export async function demoLaunch(rt: Runtime, merchantId: number): Promise<void> {
  const { launches, catalog, models } = rt.services;
  console.log('\nPlanning a product launch (demand model from past launches, scenarios, audience)');
  // A new product in the category that launched most, written like its latest launch.
  const [ref] = await rt.db.sql.query<{ title: string; description: string; category: string; brand: string | null; price: number; cost: number | null }>(`
    WITH c AS (SELECT category FROM "Product" WHERE "merchantId" = $1 AND "launchedAt" IS NOT NULL AND category IS NOT NULL
               GROUP BY category ORDER BY count(*) DESC, category LIMIT 1)
    SELECT p.title, p.description, p.category, p.brand, p.price::float8 AS price, p.cost::float8 AS cost
    FROM "Product" p JOIN c ON c.category = p.category WHERE p."merchantId" = $1 AND p."launchedAt" IS NOT NULL
    ORDER BY p."launchedAt" DESC LIMIT 1`, [merchantId]);
  if (!ref) { console.log('  (no past launches in this shop: skipped)'); return; }
  const draft = await catalog.upsertProduct(merchantId, {
    externalId: 'DEMO-LAUNCH-1', title: `New ${ref.title}`, description: ref.description, category: ref.category, brand: ref.brand ?? undefined,
    price: ref.price, cost: ref.cost ?? undefined, status: 'DRAFT',
  } as ProductInput);
  const product = draft.product!;
  console.log(`  draft product "${product.title}" (${product.category}, list price ${product.price.toFixed(2)}, cost ${product.cost?.toFixed(2) ?? '—'})`);

  let t = Date.now();
  const trained = await followJob(rt, merchantId, async () => {
    const r = await launches.startTraining(merchantId, { weeks: 8, force: false });
    if (!r.job) throw new Error(r.userErrors.map((e) => e.message).join('; '));
    return r.job;
  }, progressPrinter('demand', process.stdout));
  if (trained.state !== 'COMPLETED') throw new Error(`Demand training ended ${trained.state}: ${trained.error}`);
  const trainSeconds = (Date.now() - t) / 1000;
  const trainedId = (trained.result as { id?: number } | null)?.id;
  const v = trainedId !== undefined ? await models.get(merchantId, trainedId) : await models.active(merchantId, 'DEMAND');
  const bt = (v?.metrics as { backtest?: { model: Metric; categoryAverage: Metric; analogKnn: Metric; heldOutProductIds: number[] }; trainingData?: { launches: number } } | undefined);
  if (v && bt?.backtest) {
    const b = bt.backtest;
    console.log(`  version ${v.version} ${v.status} in ${trainSeconds.toFixed(1)} s, from ${bt.trainingData?.launches} past launches; backtest on the ${b.heldOutProductIds.length} most recent:`);
    for (const [name, m] of [['model', b.model], ['category average', b.categoryAverage], ['analog kNN', b.analogKnn]] as const) {
      console.log(`    ${name.padEnd(17)} WAPE ${m.wape.toFixed(3)}  wQL ${m.wqlMean.toFixed(3)}  P10–P90 coverage ${(m.coverage80Counts * 100).toFixed(0)}% for counts (${(m.coverage80 * 100).toFixed(0)}% of weeks inside)`);
    }
  }

  const clock = await merchantNow(rt.db, merchantId);
  const start = new Date(Math.ceil((clock.getTime() + 7 * DAY_MS) / DAY_MS) * DAY_MS);
  const created = await launches.create(merchantId, {
    name: 'Demo launch', products: [{ productId: product.id, inventory: 120, unitCost: product.cost ?? undefined }], startDate: start, endDate: new Date(start.getTime() + 21 * DAY_MS),
    priceMultipliers: [0.9, 1, 1.1], promotions: [{ discount: 0, weeks: 0 }, { discount: 0.15, weeks: 2 }],
    // Budgets within what past launches got here (a few to ~60 impressions a week), and not free:
    // each 1,000 impressions in new_arrivals could have shown another product (opportunity cost 100).
    exposureBudgets: [10, 25, 60].map((w) => ({ placement: 'new_arrivals', weeklyImpressions: w, costPerThousand: 100 })),
    objective: LaunchObjective.GROSS_MARGIN,
  });
  if (!created.launch) throw new Error(created.userErrors.map((e) => e.message).join('; '));
  const launchGid = created.launch.id;
  t = Date.now();
  const planned = await followJob(rt, merchantId, async () => {
    const r = await launches.startPlanning(merchantId, launchGid);
    if (!r.job) throw new Error(r.userErrors.map((e) => e.message).join('; '));
    return r.job;
  }, progressPrinter('plan', process.stdout));
  if (planned.state !== 'COMPLETED') throw new Error(`Planning ended ${planned.state}: ${planned.error}`);

  const launch = (await launches.get(merchantId, launchGid))!;
  const rec = launch.stored!;
  const [best, ...alternatives] = await launches.topScenarios(merchantId, launch, 4);
  const money = (x: number) => x.toFixed(0).padStart(7);
  const describe = (s: typeof best) => `price ×${s.priceMultiplier}, ${s.discount > 0 ? `${Math.round(s.discount * 100)}% off for ${s.promoWeeks} weeks` : 'no promotion'}, ` +
    `launch ${s.launchDate.toISOString().slice(0, 10)}, ${s.weeklyImpressions} impressions/week (exposure cost ${s.exposureCost.toFixed(0)})`;
  console.log(`  ${rec.scenariosEvaluated} scenarios evaluated in ${((Date.now() - t) / 1000).toFixed(1)} s (objective ${rec.objective}, inventory 120). Recommended:`);
  console.log(`    ${describe(best)}`);
  console.log(`    expected units ${best.expectedUnits.toFixed(1)}, revenue ${best.expectedRevenue.toFixed(0)}, margin ${best.expectedMargin.toFixed(0)}, P(sell-out) ${(best.sellOutProbability * 100).toFixed(0)}%` +
    `${rec.products[0].fallback !== 'NONE' ? ` — no close analogs: ${rec.products[0].fallback.toLowerCase()} fallback` : ''}`);
  for (const n of rec.notes ?? []) console.log(`    note: ${n}`);
  const [f] = await launches.forecasts(merchantId, best);
  console.log('    week  starting      P10    P50    P90   mean');
  f.points.forEach((p, w) => console.log(`    ${String(w + 1).padStart(4)}  ${p.periodStart.toISOString().slice(0, 10)}  ${p.p10.toFixed(1).padStart(5)}  ${p.p50.toFixed(1).padStart(5)}  ${p.p90.toFixed(1).padStart(5)}  ${p.mean.toFixed(1).padStart(5)}`));
  console.log('  Alternatives (margin, and what makes the difference):');
  for (const s of alternatives) {
    console.log(`    #${s.rank} ${money(s.expectedMargin)}  ${describe(s)}`);
    for (const d of s.drivers) console.log(`         ${d.factor}: ${d.from} → ${d.to}: ${d.effect >= 0 ? '+' : ''}${d.effect.toFixed(1)}`);
  }
  const titles = new Map((await rt.db.sql.query<{ id: number; title: string }>(`SELECT id, title FROM "Product" WHERE id = ANY($1::int[])`,
    [rec.products.flatMap((p) => p.analogs.map((a) => a.productId))])).map((r) => [r.id, r.title]));
  console.log('  Closest past launches (similarity, units in weeks 1–8):');
  for (const a of rec.products[0].analogs.slice(0, 3)) console.log(`    ${a.similarity.toFixed(2)}  ${a.weeklyUnits.map((u) => u.toFixed(0)).join(' ')}  ${titles.get(a.productId) ?? a.productId}`);
  const aud = rec.audience;
  console.log(`  Audience: ${aud.message}`);
  for (const s of aud.segments.slice(0, 6)) console.log(`    ${s.segment.padEnd(14)} ${String(s.customers).padStart(6)} customers, ${s.expectedBuyers.toFixed(1).padStart(7)} expected buyers if shown`);
  console.log(`  launch id ${launchGid} (query it: { launch(id: "${launchGid}") { recommendation { recommended { expectedUnits } } forecast { points { p10 p50 p90 } } } })`);
}

interface Metric { wape: number; wqlMean: number; coverage80: number; coverage80Counts: number }
