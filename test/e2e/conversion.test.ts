// The conversion capability end to end: import a generated shop, train through the job system,
// serve predictions and recommendations, batch-score as a flow, and keep models per merchant.
import { intFromGlobalId, toGlobalId } from '../../src/graphql/global-id';
import { ConversionDataRepository } from '../../src/modules/conversion/conversion-data.repository';
import { ConversionModelCache } from '../../src/modules/conversion/conversion-model.cache';
import { startTestApp, TestApp, waitForJob as waitFor } from '../helpers/app';
import { generateTestShop, importTestShop, removeTestShop } from '../helpers/shop';

const RESULT = '__typename ... on ModelVersion { id version status metrics } ... on ConversionScoringResult { customers predictions shards }';
const waitForJob = (app: TestApp, key: string, id: string) => waitFor(app, key, id, RESULT);

describe('conversion predictions', () => {
  let app: TestApp;
  let dir: string;
  let a: { id: number; key: string };
  let b: { id: number; key: string };
  let versionId: string;

  beforeAll(async () => {
    dir = await generateTestShop('tiny', 3);
    app = await startTestApp({ workers: true });
    a = await app.createMerchant('Converting shop');
    b = await app.createMerchant('Other shop');
    await importTestShop(app, a.id, dir);
  }, 240_000);
  afterAll(async () => { await app?.close(); removeTestShop(dir); });

  it('refuses to train without enough data, with a clear job error', async () => {
    const r = await app.gql(b.key, `mutation { trainConversionModel { job { id } userErrors { message } } }`);
    const job = await waitForJob(app, b.key, r.body.data.trainConversionModel.job.id);
    expect(job.state).toBe('FAILED');
    expect(job.error).toMatch(/Not enough data to train/);
  });

  it('trains through a job that reports epochs, stores an evaluated version and promotes it', async () => {
    const r = await app.gql(a.key, `mutation { trainConversionModel(input: { maxEpochs: 4 }) { job { id state kind } userErrors { message } } }`);
    expect(r.body.data.trainConversionModel.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.body.data.trainConversionModel.job.id);
    expect(job.error).toBeNull();
    expect(job.state).toBe('COMPLETED');
    const v = job.result;
    expect(v.__typename).toBe('ModelVersion');
    expect(v.status).toBe('ACTIVE');
    expect(v.metrics.primary.name).toBe('auc');
    expect(v.metrics.primary.value).toBeGreaterThan(0.6);
    expect(v.metrics.evaluation.popularity.auc).toBeGreaterThan(0);
    expect(v.metrics.evaluation.logistic.auc).toBeGreaterThan(0);
    expect(v.metrics.training.epochs.length).toBeGreaterThanOrEqual(1);
    versionId = v.id;
    const listed = await app.gql(a.key, `{ models(first: 5, kind: CONVERSION) { nodes { id status backend } } }`);
    expect(listed.body.data.models.nodes[0]).toMatchObject({ id: versionId, status: 'ACTIVE', backend: 'wasm' });
  }, 300_000);

  it('predicts calibrated probabilities for a customer, also for a product created after training', async () => {
    const customer = await app.db.prisma.customer.findFirstOrThrow({ where: { merchantId: a.id }, orderBy: { id: 'asc' } });
    const products = await app.db.prisma.product.findMany({ where: { merchantId: a.id }, orderBy: { id: 'asc' }, take: 5 });
    const fresh = await app.gql(a.key, `mutation { productUpsert(input: { externalId: "brand-new", title: "Brand new lantern", category: "${products[0].category}", price: 19 }) { product { id } } }`);
    const ids = [...products.map((p) => toGlobalId('Product', p.id)), fresh.body.data.productUpsert.product.id];
    // Predicting for it right after it was written needs no cache refresh.
    const r = await app.gql(a.key, `query($c: ID!, $p: [ID!]!) { conversionPredictions(customerId: $c, productIds: $p, placement: "home") {
      modelVersionId coldStartCustomer predictions { probability fromContentOnly product { externalId } } } }`, { c: toGlobalId('Customer', customer.id), p: ids });
    expect(r.body.errors).toBeUndefined();
    const preds = r.body.data.conversionPredictions.predictions;
    expect(preds).toHaveLength(6);
    for (const p of preds) { expect(p.probability).toBeGreaterThan(0); expect(p.probability).toBeLessThan(1); }
    expect(preds[5]).toMatchObject({ fromContentOnly: true, product: { externalId: 'brand-new' } });
    expect(preds.slice(0, 5).every((p: { fromContentOnly: boolean }) => !p.fromContentOnly)).toBe(true);
  });

  it('keeps a loaded model usable while it is being replaced, and never hands one merchant another\'s', async () => {
    const rejections: unknown[] = [];
    const record = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', record);
    try {
      // A cache that finds every model stale: concurrent callers meet the reload each time.
      const cache = new ConversionModelCache(app.services.models, new ConversionDataRepository(app.db), { reloadMs: 0 });
      const vid = Number(intFromGlobalId(versionId, 'ModelVersion'));
      const first = await cache.version(a.id, vid);
      for (let round = 0; round < 3; round++) {
        const got = await Promise.all([cache.version(a.id, vid), cache.version(a.id, vid), cache.version(a.id, vid)]);
        for (const m of got) expect(m.versionId).toBe(vid);
      }
      // The model handed out before the reloads (and then let go of) still scores.
      const held = first.model.scoreCustomer(0, [0, 1, 2], { time: Date.now() });
      expect(Array.from(held).every((p) => p > 0 && p < 1)).toBe(true);
      cache.clear();
      expect(first.model.scoreCustomer(0, [0], { time: Date.now() })[0]).toBeGreaterThan(0);
      await expect(cache.version(b.id, vid)).rejects.toThrow(/has no artifact/);
      await cache.version(a.id, vid);
      await expect(cache.version(b.id, vid)).rejects.toThrow(/has no artifact/);
      await new Promise((r) => setImmediate(r));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('recommends with a long-tail knob and says what the share cost', async () => {
    const customer = await app.db.prisma.customer.findFirstOrThrow({ where: { merchantId: a.id }, orderBy: { id: 'asc' } });
    const q = `query($c: ID!, $s: Float!, $m: RecommendationMode!) { recommendations(customerId: $c, first: 10, longTailShare: $s, mode: $m) {
      items { probability isLongTail purchasedBefore } longTailShare expectedConversions greedyExpectedConversions conversionCost mode } }`;
    const c = toGlobalId('Customer', customer.id);
    const greedy = (await app.gql(a.key, q, { c, s: 0, m: 'MIXED' })).body.data.recommendations;
    const tail = (await app.gql(a.key, q, { c, s: 0.8, m: 'MIXED' })).body.data.recommendations;
    expect(greedy.items).toHaveLength(10);
    expect(greedy.conversionCost).toBeCloseTo(0, 9);
    expect(tail.longTailShare).toBeGreaterThanOrEqual(0.8);
    expect(tail.greedyExpectedConversions).toBeCloseTo(greedy.expectedConversions, 6);
    expect(tail.conversionCost).toBeGreaterThanOrEqual(0);
    const probs = tail.items.map((i: { probability: number }) => i.probability);
    expect([...probs].sort((x, y) => y - x)).toEqual(probs);
    const discovery = (await app.gql(a.key, q, { c, s: 0, m: 'DISCOVERY' })).body.data.recommendations;
    expect(discovery.items.every((i: { purchasedBefore: boolean }) => !i.purchasedBefore)).toBe(true);
  });

  it('leaves out excluded and out-of-stock products, keeps to the asked categories and names a misspelt one', async () => {
    const customer = await app.db.prisma.customer.findFirstOrThrow({ where: { merchantId: a.id }, orderBy: { id: 'asc' } });
    const q = `query($c: ID!, $x: [ID!], $cat: [String!], $o: Boolean) {
      recommendations(customerId: $c, first: 5, excludeProductIds: $x, categories: $cat, includeOutOfStock: $o) {
        items { product { id externalId title description category brand price } } } }`;
    const c = toGlobalId('Customer', customer.id);
    type Item = { product: { id: string; externalId: string; title: string; description: string; category: string; brand: string | null; price: number } };
    const ids = async (vars: Record<string, unknown>) => {
      const r = await app.gql(a.key, q, { c, ...vars });
      expect(r.body.errors).toBeUndefined();
      return (r.body.data.recommendations.items as Item[]).map((i) => i.product.id);
    };
    const base = (await app.gql(a.key, q, { c })).body.data.recommendations.items as Item[];
    expect(base).toHaveLength(5);
    const top = base[0].product;

    const without = await ids({ x: [top.id] });
    expect(without).toHaveLength(5);
    expect(without).not.toContain(top.id);
    expect(without.slice(0, 4)).toEqual(base.slice(1).map((i) => i.product.id));

    // Out of stock through the API: recommendations see it at once (the catalogue cache is dropped).
    const setStock = (stock: number | null) => app.gql(a.key, `mutation($i: ProductInput!) { productUpsert(input: $i) { userErrors { message } } }`, {
      i: { externalId: top.externalId, title: top.title, description: top.description, category: top.category, brand: top.brand, price: top.price, stock },
    });
    expect((await setStock(0)).body.data.productUpsert.userErrors).toEqual([]);
    expect(await ids({})).not.toContain(top.id);
    expect((await ids({ o: true }))[0]).toBe(top.id);
    expect((await setStock(null)).body.data.productUpsert.userErrors).toEqual([]);
    expect((await ids({}))[0]).toBe(top.id);

    const inCategory = (await app.gql(a.key, q, { c, cat: [top.category] })).body.data.recommendations.items as Item[];
    expect(inCategory.length).toBeGreaterThan(0);
    expect(inCategory.every((i) => i.product.category === top.category)).toBe(true);
    const misspelt = await app.gql(a.key, q, { c, cat: ['No such category'] });
    expect(misspelt.body.errors?.[0].message).toMatch(/No active product in categories No such category/);
    const blank = await app.gql(a.key, q, { c, cat: [''] });
    expect(blank.body.errors?.[0].message).toMatch(/categories must name 1–100 categories of 1–500 characters/);
    const malformed = await app.gql(a.key, q, { c, x: ['not-an-id'] });
    expect(malformed.body.errors?.[0].message).toMatch(/Malformed product id/);
  });

  it('batch-scores every customer as a flow of shards and stores the top K', async () => {
    const r = await app.gql(a.key, `mutation { scoreConversions(topK: 5) { job { id kind } userErrors { message } } }`);
    expect(r.body.data.scoreConversions.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.body.data.scoreConversions.job.id);
    expect(job.state).toBe('COMPLETED');
    const customers = await app.db.prisma.customer.count({ where: { merchantId: a.id } });
    expect(job.result).toMatchObject({ customers, predictions: customers * 5 });
  }, 120_000);

  it('refuses to promote a version that does not beat the active one, unless forced, and rolls back', async () => {
    const active = await app.db.prisma.modelVersion.findFirstOrThrow({ where: { merchantId: a.id, status: 'ACTIVE' } });
    const worse = await app.db.prisma.modelVersion.create({ data: {
      merchantId: a.id, kind: 'CONVERSION', version: active.version + 1, status: 'CANDIDATE', artifact: null,
      metrics: { primary: { name: 'auc', value: 0.5, higherIsBetter: true } } } });
    const gid = toGlobalId('ModelVersion', worse.id);
    const m = `mutation($id: ID!, $f: Boolean!) { promoteModelVersion(id: $id, force: $f) { modelVersion { status } userErrors { code message } } }`;
    const refused = await app.gql(a.key, m, { id: gid, f: false });
    expect(refused.body.data.promoteModelVersion.userErrors[0].code).toBe('NOT_BETTER');
    expect((await app.db.prisma.modelVersion.findUniqueOrThrow({ where: { id: active.id } })).status).toBe('ACTIVE');
    const forced = await app.gql(a.key, m, { id: gid, f: true });
    expect(forced.body.data.promoteModelVersion.modelVersion.status).toBe('ACTIVE');
    const back = await app.gql(a.key, `mutation { rollbackModel(kind: CONVERSION) { modelVersion { id status } userErrors { message } } }`);
    expect(back.body.data.rollbackModel.modelVersion).toEqual({ id: versionId, status: 'ACTIVE' });
  });

  it('learns from orders alone, with sampled negatives, when a merchant has no events, and says so', async () => {
    const c = await app.createMerchant('Orders-only shop');
    await importTestShop(app, c.id, dir, ['products', 'customers', 'orders']);
    const r = await app.gql(c.key, `mutation { trainConversionModel(input: { maxEpochs: 3 }) { job { id } userErrors { message } } }`);
    const job = await waitForJob(app, c.key, r.body.data.trainConversionModel.job.id);
    expect(job.error).toBeNull();
    expect(job.result.metrics.trainingData.source).toBe('orders');
    expect(job.result.metrics.trainingData.note).toMatch(/Implicit feedback/);
    expect(job.result.metrics.primary.value).toBeGreaterThan(0.55);
  }, 300_000);

  it('retrains on a schedule: each tick starts a normal training job', async () => {
    const m = `mutation($d: Int!) { scheduleConversionRetraining(everyDays: $d) { everyDays nextRunAt userErrors { code } } }`;
    const on = (await app.gql(a.key, m, { d: 7 })).body.data.scheduleConversionRetraining;
    expect(on.userErrors).toEqual([]);
    expect(new Date(on.nextRunAt).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await app.services.queues.scheduleOf('retrain-conversion-tick', `retrain-conversion-${a.id}`)).toMatchObject({ every: 7 * 86_400_000 });
    expect((await app.gql(a.key, m, { d: -1 })).body.data.scheduleConversionRetraining.userErrors[0].code).toBe('INVALID');
    await app.gql(a.key, m, { d: 0 });
    expect(await app.services.queues.scheduleOf('retrain-conversion-tick', `retrain-conversion-${a.id}`)).toBeNull();
    // What the scheduler fires: a tick that starts a tracked training job (once no training runs).
    const active = () => app.db.prisma.job.count({ where: { merchantId: a.id, kind: 'train-conversion', state: { in: ['PENDING', 'RUNNING', 'RETRYING'] } } });
    for (const end = Date.now() + 120_000; await active() > 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 300));
    const before = await app.db.prisma.job.count({ where: { merchantId: a.id, kind: 'train-conversion' } });
    await app.services.queues.queue('train').add('retrain-conversion-tick', { merchantId: a.id });
    const end = Date.now() + 30_000;
    while (await app.db.prisma.job.count({ where: { merchantId: a.id, kind: 'train-conversion' } }) === before) {
      if (Date.now() > end) throw new Error('no training job started');
      await new Promise((r) => setTimeout(r, 200));
    }
    const started = await app.db.prisma.job.findFirstOrThrow({ where: { merchantId: a.id, kind: 'train-conversion' }, orderBy: { createdAt: 'desc' } });
    await waitForJob(app, a.key, toGlobalId('Job', started.id));
  }, 300_000);

  it('erases a customer: no identifier left in the database, the stored model forgets them, serving goes on', async () => {
    const [victim] = await app.db.sql.query<{ id: number; externalId: string }>(`
      SELECT c.id, c."externalId" FROM "Customer" c JOIN "Event" e ON e."customerId" = c.id
      WHERE c."merchantId" = $1 GROUP BY c.id ORDER BY count(*) DESC LIMIT 1`, [a.id]);
    const ordersBefore = await app.db.prisma.order.count({ where: { merchantId: a.id } });
    const r = await app.gql(a.key, `mutation($id: ID!) { eraseCustomer(id: $id) { job { id } userErrors { code } } }`, { id: toGlobalId('Customer', victim.id) });
    const job = (await app.gql(a.key, `query($id: ID!) { job(id: $id) { id } }`, { id: r.body.data.eraseCustomer.job.id })).body.data.job;
    let done;
    for (const end = Date.now() + 120_000; Date.now() < end;) {
      done = (await app.gql(a.key, `query($id: ID!) { job(id: $id) { state error result { ... on ErasureResult { removed mode modelVersionsScrubbed } } } }`, { id: job.id })).body.data.job;
      if (['COMPLETED', 'FAILED'].includes(done.state)) break;
      await new Promise((res) => setTimeout(res, 300));
    }
    expect(done.state).toBe('COMPLETED');
    expect(done.result).toMatchObject({ removed: true, mode: 'anonymize' });
    expect(done.result.modelVersionsScrubbed).toBeGreaterThanOrEqual(1);
    // No text, JSON or array column of any table still holds the external id.
    const cols = await app.db.sql.query<{ table_name: string; column_name: string }>(`
      SELECT table_name, column_name,
        EXISTS (SELECT 1 FROM information_schema.columns m WHERE m.table_name = c.table_name AND m.column_name = 'merchantId') AS scoped
      FROM information_schema.columns c
      WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'ARRAY', 'character varying') AND table_name <> '_prisma_migrations'`);
    for (const c of cols as Array<{ table_name: string; column_name: string; scoped: boolean }>) {
      // Other merchants imported the same generated shop: look at this merchant's rows.
      const where = c.scoped ? `"merchantId" = ${a.id} AND ` : '';
      const hits = await app.db.sql.query<{ v: string }>(`SELECT "${c.column_name}"::text AS v FROM "${c.table_name}" WHERE ${where}strpos("${c.column_name}"::text, $1) > 0 LIMIT 1`, [victim.externalId]);
      expect(`${c.table_name}.${c.column_name}: ${hits.map((h) => h.v).join(',')}`).toBe(`${c.table_name}.${c.column_name}: `);
    }
    expect(await app.db.prisma.order.count({ where: { merchantId: a.id } })).toBe(ordersBefore);
    expect((await app.gql(a.key, `query($id: ID!) { customer(id: $id) { id } }`, { id: toGlobalId('Customer', victim.id) })).body.data.customer).toBeNull();
    // Stored versions no longer map or embed the customer.
    const { unwrapConversionArtifact } = await import('../../src/modules/conversion/conversion-artifact');
    for (const v of await app.db.sql.query<{ artifact: Uint8Array }>(`SELECT artifact FROM "ModelVersion" WHERE "merchantId" = $1 AND kind = 'CONVERSION' AND artifact IS NOT NULL`, [a.id])) {
      expect(Array.from(unwrapConversionArtifact(new Uint8Array(v.artifact)).customerIds)).not.toContain(victim.id);
    }
    const other = await app.db.prisma.customer.findFirstOrThrow({ where: { merchantId: a.id }, orderBy: { id: 'asc' } });
    const p = await app.db.prisma.product.findFirstOrThrow({ where: { merchantId: a.id } });
    app.services.conversionModels.clear();
    const pred = await app.gql(a.key, `query($c: ID!, $p: [ID!]!) { conversionPredictions(customerId: $c, productIds: $p) { predictions { probability } } }`,
      { c: toGlobalId('Customer', other.id), p: [toGlobalId('Product', p.id)] });
    expect(pred.body.data.conversionPredictions.predictions[0].probability).toBeGreaterThan(0);
    // The next model version never learns about them either.
    const next = await app.gql(a.key, `mutation { trainConversionModel(input: { maxEpochs: 1, force: true }) { job { id } } }`);
    const trained = await waitForJob(app, a.key, next.body.data.trainConversionModel.job.id);
    expect(trained.state).toBe('COMPLETED');
    const [latest] = await app.db.sql.query<{ artifact: Uint8Array }>(
      `SELECT artifact FROM "ModelVersion" WHERE "merchantId" = $1 AND kind = 'CONVERSION' AND artifact IS NOT NULL ORDER BY id DESC LIMIT 1`, [a.id]);
    expect(Array.from(unwrapConversionArtifact(new Uint8Array(latest.artifact)).customerIds)).not.toContain(victim.id);
    expect(Buffer.from(latest.artifact).includes(Buffer.from(victim.externalId))).toBe(false);
  }, 240_000);

  it('keeps models and predictions to their merchant', async () => {
    const customer = await app.db.prisma.customer.findFirstOrThrow({ where: { merchantId: a.id } });
    const product = await app.db.prisma.product.findFirstOrThrow({ where: { merchantId: a.id } });
    const r = await app.gql(b.key, `query($v: ID!) { modelVersion(id: $v) { id } models(first: 10) { nodes { id status } } }`, { v: versionId });
    expect(r.body.data.modelVersion).toBeNull();
    expect(r.body.data.models.nodes.every((n: { status: string }) => n.status === 'FAILED')).toBe(true);
    const p = await app.gql(b.key, `query($c: ID!, $p: [ID!]!) { conversionPredictions(customerId: $c, productIds: $p) { predictions { probability } } }`,
      { c: toGlobalId('Customer', customer.id), p: [toGlobalId('Product', product.id)] });
    expect(p.body.data).toBeNull();
    expect(p.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const promote = await app.gql(b.key, `mutation($id: ID!) { promoteModelVersion(id: $id, force: true) { userErrors { code } } }`, { id: versionId });
    expect(promote.body.data.promoteModelVersion.userErrors[0].code).toBe('NOT_FOUND');
  });
});
