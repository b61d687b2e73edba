// The exposure-plan lifecycle on the embedded database (PGlite, the demo's default): the plan and its
// allocations are stored in one interactive transaction with a row lock, and activation archives the
// previous plan in another — both must work on PGlite as on PostgreSQL.
import { Readable } from 'node:stream';
import { importFile } from '../../src/modules/imports/import.service';
import { startTestApp, TestApp, waitForJob } from '../helpers/app';
import { eventsCsv, ordersCsv, productsCsv } from '../helpers/fixtures';

describe('exposure plans on PGlite', () => {
  let app: TestApp;
  let m: { id: number; key: string };
  const gql = async (q: string, v?: Record<string, unknown>) => {
    const r = await app.gql(m.key, q, v);
    expect(r.body.errors).toBeUndefined();
    return r.body.data;
  };

  beforeAll(async () => {
    app = await startTestApp({ kind: 'pglite', workers: true });
    m = await app.createMerchant('Embedded shop');
    const src = (s: string) => Readable.from([s]);
    await importFile({ db: app.db, merchantId: m.id, kind: 'products', source: src(productsCsv(30)) });
    await importFile({ db: app.db, merchantId: m.id, kind: 'orders', source: src(ordersCsv(200, 30)) });
    await importFile({ db: app.db, merchantId: m.id, kind: 'events', source: src(eventsCsv(3000, 30)) });
    await app.services.catalog.refreshProductStats(m.id);
  }, 120_000);
  afterAll(async () => { await app?.close(); });

  it('generates, approves and activates versions, archiving the previous active plan, and measures served impressions', async () => {
    const home = (await gql(`{ placements(first: 10) { nodes { id handle } } }`)).placements.nodes.find((p: { handle: string }) => p.handle === 'home').id;
    const ids: string[] = [];
    for (let v = 1; v <= 2; v++) {
      const r = (await gql(`mutation($i: GenerateExposurePlanInput!) { generateExposurePlan(input: $i) { job { id } userErrors { message } } }`,
        { i: { placementId: home, impressionBudget: 3000, maxImpressionsPerProduct: 400, seed: 3 } })).generateExposurePlan;
      expect(r.userErrors).toEqual([]);
      const job = await waitForJob(app, m.key, r.job.id, '__typename ... on ExposurePlan { id version totals { impressions candidates } }');
      expect(job.state).toBe('COMPLETED');
      expect(job.result).toMatchObject({ version: v, totals: { impressions: 3000, candidates: 30 } });
      ids.push(job.result.id);
      await gql(`mutation($id: ID!) { approveExposurePlan(id: $id) { userErrors { code } } }`, { id: job.result.id });
      const act = (await gql(`mutation($id: ID!) { activateExposurePlan(id: $id) { exposurePlan { status } userErrors { code } } }`, { id: job.result.id })).activateExposurePlan;
      expect(act).toEqual({ exposurePlan: { status: 'ACTIVE' }, userErrors: [] });
    }
    const statuses = await gql(`query($a: ID!, $b: ID!) { a: exposurePlan(id: $a) { status } b: exposurePlan(id: $b) { status } }`, { a: ids[0], b: ids[1] });
    expect(statuses).toEqual({ a: { status: 'ARCHIVED' }, b: { status: 'ACTIVE' } });
    const stored = await app.db.sql.query<{ n: number; s: number }>(`SELECT count(*)::int AS n, sum(impressions)::int AS s FROM "ExposureAllocation" WHERE "merchantId" = $1`, [m.id]);
    expect(stored[0]).toEqual({ n: 60, s: 6000 });
    const ev = await gql(`mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted } }`, {
      e: Array.from({ length: 12 }, (_, i) => ({ sessionId: `s${i}`, productId: `p${i % 3}`, type: 'IMPRESSION', placement: 'home', position: i % 4 })),
    });
    expect(ev.trackEvents.accepted).toBe(12);
    const perf = (await gql(`query($id: ID!) { exposurePlanPerformance(planId: $id) { servedImpressions plannedImpressions realisedCoverage } }`, { id: ids[1] })).exposurePlanPerformance;
    expect(perf).toMatchObject({ servedImpressions: 12, plannedImpressions: 3000 });
    expect(perf.realisedCoverage).toBeCloseTo(3 / 30, 9);
  }, 120_000);
});
