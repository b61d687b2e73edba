// The demo's conversion part: train (and promote), batch-score, then show a customer's predictions
// and recommendations with and without a long-tail share.
import { toGlobalId } from '../src/graphql/global-id';
import { RecommendationMode } from '../src/modules/conversion/conversion.types';
import type { Runtime } from '../src/runtime';
import { followJob } from './follow-job';
import { progressPrinter } from './progress';

export async function demoConversion(rt: Runtime, merchantId: number): Promise<void> {
  const { conversion, models } = rt.services;
  console.log('\nTraining a conversion model (P(buy | shown)) through the job system');
  const trained = await followJob(rt, merchantId, async () => {
    const r = await conversion.startTraining(merchantId, { force: false, labelWindowDays: 7, historyDays: 365, maxEpochs: 6 });
    if (!r.job) throw new Error(r.userErrors.map((e) => e.message).join('; '));
    return r.job;
  }, progressPrinter('train', process.stdout));
  if (trained.state !== 'COMPLETED') throw new Error(`Training ended ${trained.state}: ${trained.error}`);
  const active = await models.active(merchantId, 'CONVERSION');
  const m = active?.metrics as { evaluation?: { model: { calibrated: { auc: number; ece: number }; raw: { ece: number } }; popularity: { auc: number }; logistic: { auc: number } } } | undefined;
  if (active && m?.evaluation) {
    const e = m.evaluation;
    console.log(`  version ${active.version} ${active.status} on ${active.backend}: held-out AUC ${e.model.calibrated.auc.toFixed(3)} ` +
      `(popularity ${e.popularity.auc.toFixed(3)}, logistic regression ${e.logistic.auc.toFixed(3)}); ECE ${e.model.raw.ece.toFixed(4)} → ${e.model.calibrated.ece.toFixed(4)} after calibration`);
  }
  const scored = await followJob(rt, merchantId, async () => {
    const r = await conversion.startScoring(merchantId, 20);
    if (!r.job) throw new Error(r.userErrors.map((e) => e.message).join('; '));
    return r.job;
  }, progressPrinter('score', process.stdout));
  const res = scored.result as { customers?: number; predictions?: number; shards?: number } | null;
  console.log(`  scored ${res?.customers} customers in ${res?.shards} shards: ${res?.predictions} stored predictions`);

  const [customer] = await rt.db.sql.query<{ id: number; externalId: string }>(`
    SELECT c.id, c."externalId" FROM "Customer" c JOIN "Order" o ON o."customerId" = c.id
    WHERE c."merchantId" = $1 GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`, [merchantId]);
  if (!customer) return;
  const title = new Map((await rt.db.sql.query<{ id: number; title: string }>(`SELECT id, title FROM "Product" WHERE "merchantId" = $1`, [merchantId])).map((p) => [p.id, p.title]));
  for (const share of [0, 0.5]) {
    const rec = await conversion.recommend(merchantId, toGlobalId('Customer', customer.id), 5, share, RecommendationMode.MIXED);
    console.log(`\n  Recommendations for customer ${customer.externalId}, long-tail share ≥ ${share}: expected conversions ${rec.expectedConversions.toFixed(3)}` +
      ` (cost of the share: ${rec.conversionCost.toFixed(3)})`);
    for (const it of rec.items) {
      console.log(`    ${(it.probability * 100).toFixed(1).padStart(5)}%  ${it.isLongTail ? 'tail' : 'head'}  ${it.purchasedBefore ? 'again' : 'new  '}  ${title.get(it.productId)}`);
    }
  }
}
