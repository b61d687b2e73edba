// One merchant never sees another's data: every query, mutation and subscription of the schema is
// tried with merchant A's key against merchant B's ids. A new root field without a case here fails
// the first test, so isolation is checked for every capability as it is added.
import { Readable } from 'node:stream';
import { buildAppSchema } from '../../src/graphql/schema';
import { toGlobalId } from '../../src/graphql/global-id';
import { importFile } from '../../src/modules/imports/import.service';
import { collect, startTestApp, TestApp } from '../helpers/app';
import { ordersCsv, productsCsv } from '../helpers/fixtures';

// Model fields are tried with another merchant's ids in conversion.test.ts ("keeps models and
// predictions to their merchant") and customer-value.test.ts, where trained models exist; stored
// recommendation evaluations in recommendation-evaluation.test.ts; launches in launch.test.ts
// ("keeps launches to their merchant").
const CASES = {
  query: ['shop', 'products', 'product', 'productByExternalId', 'customers', 'customer', 'customerByExternalId',
    'orders', 'order', 'orderByExternalId', 'job', 'jobs', 'models', 'modelVersion', 'conversionPredictions', 'recommendations', 'customerValues', 'customerValueSummary', 'riskFlags',
    'recommendationEvaluations', 'recommendationEvaluation',
    'placements', 'placement', 'exposurePlan', 'exposurePlans', 'exposurePlanPerformance', 'activeExposurePlan',
    'launch', 'launches', 'launchPerformance'],
  mutation: ['productUpsert', 'productArchive', 'cancelJob', 'stagedUploadCreate', 'startImport', 'trackEvents',
    'promoteModelVersion', 'rollbackModel', 'trainConversionModel', 'scoreConversions', 'scheduleConversionRetraining', 'trainCustomerValueModel', 'detectRiskFlags', 'resolveRiskFlag', 'eraseCustomer',
    'evaluateRecommendations',
    'createPlacement', 'updatePlacement', 'generateExposurePlan', 'replanExposure', 'approveExposurePlan', 'activateExposurePlan', 'archiveExposurePlan',
    'createLaunch', 'updateLaunch', 'deleteLaunch', 'chooseLaunchScenario', 'markLaunchLaunched', 'reviewLaunch', 'trainDemandModel', 'planLaunch'],
  subscription: ['jobUpdated'],
};

describe('tenant isolation', () => {
  let app: TestApp;
  let a: { id: number; key: string };
  let b: { id: number; key: string };
  const bIds: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    a = await app.createMerchant('Merchant A');
    b = await app.createMerchant('Merchant B');
    const src = (s: string) => Readable.from([s]);
    // B has products, customers and orders; A has only a differently-named catalogue.
    await importFile({ db: app.db, merchantId: b.id, kind: 'products', source: src(productsCsv(5, 'bsku')) });
    await importFile({ db: app.db, merchantId: b.id, kind: 'orders', source: src(ordersCsv(6, 5, 'bsku')) });
    await importFile({ db: app.db, merchantId: a.id, kind: 'products', source: src(productsCsv(3, 'asku')) });
    const p = await app.db.prisma.product.findFirstOrThrow({ where: { merchantId: b.id } });
    const c = await app.db.prisma.customer.findFirstOrThrow({ where: { merchantId: b.id } });
    const o = await app.db.prisma.order.findFirstOrThrow({ where: { merchantId: b.id } });
    const job = await app.services.jobs.start(b.id, 'import', { uploadId: 'none', kind: 'events' });
    const upload = await app.services.uploads.createStaged(b.id, 'b.csv');
    await app.services.uploads.store(upload.id, src(productsCsv(1, 'zz')));
    Object.assign(bIds, {
      product: toGlobalId('Product', p.id), productExt: p.externalId,
      customer: toGlobalId('Customer', c.id), customerExt: c.externalId,
      order: toGlobalId('Order', o.id), orderExt: o.externalId,
      job: toGlobalId('Job', job.id), upload: toGlobalId('StagedUpload', upload.id),
    });
  });
  afterAll(async () => { await app?.close(); });

  it('has an isolation case for every root field of the schema', async () => {
    const schema = await buildAppSchema();
    const names = (t: { getFields(): Record<string, unknown> } | null | undefined) => Object.keys(t?.getFields() ?? {}).sort();
    expect(names(schema.getQueryType())).toEqual([...CASES.query].sort());
    expect(names(schema.getMutationType())).toEqual([...CASES.mutation].sort());
    expect(names(schema.getSubscriptionType())).toEqual([...CASES.subscription].sort());
  });

  it('reads nothing of B through single-item queries', async () => {
    const q = `query($p: ID!, $c: ID!, $o: ID!, $j: ID!, $pe: String!, $ce: String!, $oe: String!) {
      product(id: $p) { id } customer(id: $c) { id } order(id: $o) { id } job(id: $j) { id }
      productByExternalId(externalId: $pe) { id } customerByExternalId(externalId: $ce) { id } orderByExternalId(externalId: $oe) { id } }`;
    const res = await app.gql(a.key, q, { p: bIds.product, c: bIds.customer, o: bIds.order, j: bIds.job, pe: bIds.productExt, ce: bIds.customerExt, oe: bIds.orderExt });
    expect(res.body.errors).toBeUndefined();
    expect(Object.values(res.body.data)).toEqual([null, null, null, null, null, null, null]);
    // The same query with B's key finds them all: the ids are real.
    const own = await app.gql(b.key, q, { p: bIds.product, c: bIds.customer, o: bIds.order, j: bIds.job, pe: bIds.productExt, ce: bIds.customerExt, oe: bIds.orderExt });
    expect(Object.values(own.body.data).every((v) => v !== null)).toBe(true);
  });

  it('lists only A\'s own rows, and a filter naming B\'s customer finds nothing', async () => {
    const res = await app.gql(a.key, `query($c: String) { shop { name } products(first: 50) { nodes { externalId } } customers(first: 50) { nodes { id } }
      orders(first: 50) { nodes { id } } jobs(first: 50) { nodes { id } } byB: orders(first: 50, customerId: $c) { nodes { id } } }`, { c: bIds.customer });
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data;
    expect(d.shop.name).toBe('Merchant A');
    expect(d.products.nodes.map((n: { externalId: string }) => n.externalId).sort()).toEqual(['asku0', 'asku1', 'asku2']);
    expect(d.customers.nodes).toEqual([]);
    expect(d.orders.nodes).toEqual([]);
    expect(d.jobs.nodes).toEqual([]);
    expect(d.byB.nodes).toEqual([]);
  });

  it('changes nothing of B through mutations given B\'s ids', async () => {
    const before = await app.db.sql.query(`SELECT id, title, status, price FROM "Product" WHERE "merchantId" = $1 ORDER BY id`, [b.id]);
    const archive = await app.gql(a.key, `mutation($id: ID!) { productArchive(id: $id) { product { id } userErrors { code } } }`, { id: bIds.product });
    expect(archive.body.data.productArchive).toEqual({ product: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const cancel = await app.gql(a.key, `mutation($id: ID!) { cancelJob(id: $id) { job { id } userErrors { code } } }`, { id: bIds.job });
    expect(cancel.body.data.cancelJob).toEqual({ job: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const start = await app.gql(a.key, `mutation($id: ID!) { startImport(stagedUploadId: $id, kind: PRODUCTS) { job { id } userErrors { code } } }`, { id: bIds.upload });
    expect(start.body.data.startImport).toEqual({ job: null, userErrors: [{ code: 'NOT_FOUND' }] });
    // Upserting B's external id creates A's own product; B's stays as it was.
    const upsert = await app.gql(a.key, `mutation($i: ProductInput!) { productUpsert(input: $i) { product { id } userErrors { code } } }`,
      { i: { externalId: bIds.productExt, title: 'A\'s own', price: 1 } });
    expect(upsert.body.data.productUpsert.product.id).not.toBe(bIds.product);
    // Events naming B's products are rejected for A (A has no such product).
    const ev = await app.gql(a.key, `mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted userErrors { message } } }`,
      { e: [{ productId: 'bsku4', sessionId: 's', type: 'VIEW' }] });
    expect(ev.body.data.trackEvents.accepted).toBe(0);
    const erase = await app.gql(a.key, `mutation($id: ID!) { eraseCustomer(id: $id) { job { id } userErrors { code } } }`, { id: bIds.customer });
    expect(erase.body.data.eraseCustomer).toEqual({ job: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const staged = await app.gql(a.key, `mutation { stagedUploadCreate(input: { filename: "x.csv" }) { stagedUpload { id } userErrors { code } } }`);
    expect(staged.body.data.stagedUploadCreate.stagedUpload.id).not.toBe(bIds.upload);
    const after = await app.db.sql.query(`SELECT id, title, status, price FROM "Product" WHERE "merchantId" = $1 ORDER BY id`, [b.id]);
    expect(after).toEqual(before);
    expect(await app.db.prisma.event.count({ where: { merchantId: b.id } })).toBe(0);
    expect((await app.db.prisma.job.findFirstOrThrow({ where: { merchantId: b.id } })).cancelRequested).toBe(false);
  });

  it('keeps B\'s placements and exposure plans out of A\'s reads and lifecycle mutations', async () => {
    const placement = (await app.services.placements.create(b.id, { handle: 'b-home', slots: 4, expectedDailyImpressions: 10 })).placement!;
    const plan = await app.db.prisma.exposurePlan.create({ data: { merchantId: b.id, placementId: placement.internalId, version: 1, status: 'DRAFT', input: {} } });
    const pid = toGlobalId('ExposurePlan', plan.id);
    const reads = await app.gql(a.key, `query($pl: ID!, $p: ID!) { placement(id: $pl) { id } placements(first: 10) { nodes { id } }
      exposurePlan(id: $p) { id } exposurePlans(first: 10) { nodes { id } } byPlacement: exposurePlans(first: 10, placementId: $pl) { nodes { id } }
      exposurePlanPerformance(planId: $p) { servedImpressions } activeExposurePlan(placementHandle: "b-home") { planId } }`, { pl: placement.id, p: pid });
    expect(reads.body.errors).toBeUndefined();
    expect(reads.body.data).toEqual({ placement: null, placements: { nodes: [] }, exposurePlan: null, exposurePlans: { nodes: [] }, byPlacement: { nodes: [] },
      exposurePlanPerformance: null, activeExposurePlan: null });
    for (const m of ['approveExposurePlan', 'activateExposurePlan', 'archiveExposurePlan']) {
      const r = await app.gql(a.key, `mutation($id: ID!) { ${m}(id: $id) { exposurePlan { id } userErrors { code } } }`, { id: pid });
      expect(r.body.data[m]).toEqual({ exposurePlan: null, userErrors: [{ code: 'NOT_FOUND' }] });
    }
    const replan = await app.gql(a.key, `mutation($id: ID!) { replanExposure(planId: $id) { job { id } userErrors { code } } }`, { id: pid });
    expect(replan.body.data.replanExposure).toEqual({ job: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const gen = await app.gql(a.key, `mutation($pl: ID!) { generateExposurePlan(input: { placementId: $pl, impressionBudget: 10 }) { job { id } userErrors { code } } }`, { pl: placement.id });
    expect(gen.body.data.generateExposurePlan).toEqual({ job: null, userErrors: [{ code: 'NOT_FOUND' }] });
    const upd = await app.gql(a.key, `mutation($pl: ID!) { updatePlacement(id: $pl, input: { slots: 9 }) { placement { id } userErrors { code } } }`, { pl: placement.id });
    expect(upd.body.data.updatePlacement).toEqual({ placement: null, userErrors: [{ code: 'NOT_FOUND' }] });
    // A may use the same handle for its own placement.
    const own = await app.gql(a.key, `mutation { createPlacement(input: { handle: "b-home" }) { placement { id } userErrors { code } } }`);
    expect(own.body.data.createPlacement.userErrors).toEqual([]);
    expect((await app.db.prisma.exposurePlan.findUniqueOrThrow({ where: { id: plan.id } })).status).toBe('DRAFT');
    expect((await app.db.prisma.placement.findUniqueOrThrow({ where: { id: placement.internalId } })).slots).toBe(4);
  });

  it('refuses a subscription to B\'s job and never relays B\'s updates to A', async () => {
    const client = app.wsClient(a.key);
    await expect(collect(client, `subscription($id: ID) { jobUpdated(id: $id) { id } }`, { id: bIds.job }, () => true, 5000))
      .rejects.toThrow(/No job with this id/);
    // Subscribed to all of A's jobs: B's job moving must not arrive; A's own job must.
    const seen: string[] = [];
    const done = collect<{ jobUpdated: { id: string } }>(app.wsClient(a.key), `subscription { jobUpdated { id } }`, {},
      (u) => { seen.push(u.jobUpdated.id); return u.jobUpdated.id !== bIds.job; }, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const bJobId = (await app.db.prisma.job.findFirstOrThrow({ where: { merchantId: b.id } })).id;
    await app.services.jobs.progress(bJobId, 0.5, 'B moves');
    await app.services.jobs.cancel(b.id, bJobId);
    const aJob = await app.services.jobs.start(a.id, 'import', { uploadId: 'none', kind: 'events' });
    await done;
    expect(seen).toEqual([toGlobalId('Job', aJob.id)]);
  });
});
