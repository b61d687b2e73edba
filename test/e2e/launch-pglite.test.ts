// The launch flow on the embedded database (PGlite): the demand model's artifact (Bytes, written and
// read with raw SQL), the one-transaction plan write and the launch transition hold there too.
import { startTestApp, TestApp, waitForJob } from '../helpers/app';
import { generateTestShop, importTestShop, removeTestShop } from '../helpers/shop';

describe('launch planning on PGlite', () => {
  let app: TestApp;
  let dir: string;
  let m: { id: number; key: string };

  beforeAll(async () => {
    dir = await generateTestShop('tiny', 4);
    app = await startTestApp({ kind: 'pglite', workers: true });
    m = await app.createMerchant('Embedded shop');
    // Products and orders are all the demand model needs (impressions are optional); events would only slow PGlite down.
    await importTestShop(app, m.id, dir, ['products', 'orders']);
  }, 240_000);
  afterAll(async () => { await app?.close(); removeTestShop(dir); });

  it('trains, plans and launches with the artifact and forecasts stored in PGlite', async () => {
    const t = await app.gql(m.key, `mutation { trainDemandModel(input: { epochs: 10 }) { job { id } userErrors { message } } }`);
    const trained = await waitForJob(app, m.key, t.body.data.trainDemandModel.job.id, '... on ModelVersion { status }');
    expect(trained.error).toBeNull();
    expect(trained.result.status).toBe('ACTIVE');
    const product = await app.db.prisma.product.findFirstOrThrow({ where: { merchantId: m.id, launchedAt: { not: null } } });
    const created = await app.gql(m.key, `mutation($i: CreateLaunchInput!) { createLaunch(input: $i) { launch { id } userErrors { message } } }`, {
      i: { name: 'Lite', products: [{ productId: Buffer.from(`gid://shelfwise/Product/${product.id}`).toString('base64url'), inventory: 50 }],
        startDate: '2026-11-10T00:00:00Z', endDate: '2026-11-17T00:00:00Z', priceMultipliers: [1, 1.2], exposureBudgets: [{ weeklyImpressions: 100 }] },
    });
    expect(created.body.data.createLaunch.userErrors).toEqual([]);
    const id = created.body.data.createLaunch.launch.id;
    const plan = await app.gql(m.key, `mutation($id: ID!) { planLaunch(launchId: $id) { job { id } userErrors { message } } }`, { id });
    const job = await waitForJob(app, m.key, plan.body.data.planLaunch.job.id, '... on LaunchPlanResult { scenariosEvaluated scenariosStored }');
    expect(job.error).toBeNull();
    expect(job.result).toEqual({ scenariosEvaluated: 4, scenariosStored: 4 });
    const v = await app.gql(m.key, `query($id: ID!) { launch(id: $id) { status forecast { points { p10 p50 p90 } } recommendation { recommended { id } } } }`, { id });
    expect(v.body.data.launch.status).toBe('PLANNED');
    const pts = v.body.data.launch.forecast[0].points;
    expect(pts.length).toBeGreaterThan(0);
    for (const p of pts) { expect(p.p10).toBeLessThanOrEqual(p.p50); expect(p.p50).toBeLessThanOrEqual(p.p90); }
    const launched = await app.gql(m.key, `mutation($id: ID!) { markLaunchLaunched(id: $id) { launch { status } userErrors { code } } }`, { id });
    expect(launched.body.data.markLaunchLaunched).toEqual({ launch: { status: 'LAUNCHED' }, userErrors: [] });
  }, 240_000);
});
