// Customer value end to end on a generated shop: fit, backtest, value and segment every customer.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { generateShop } from '../../src/generator';
import { toGlobalId } from '../../src/graphql/global-id';
import { importFile } from '../../src/modules/imports/import.service';
import { startTestApp, TestApp, waitForJob as waitFor } from '../helpers/app';

const waitForJob = (app: TestApp, key: string, id: string) => waitFor(app, key, id, '__typename ... on ModelVersion { id status metrics params }');

describe('customer value', () => {
  let app: TestApp;
  let dir: string;
  let a: { id: number; key: string };
  let b: { id: number; key: string };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'shelfwise-clv-'));
    await generateShop({ size: 'small', seed: 5, outDir: dir });
    app = await startTestApp({ workers: true });
    a = await app.createMerchant('Valued shop');
    b = await app.createMerchant('Another shop');
    for (const kind of ['customers', 'products', 'orders'] as const) {
      await importFile({ db: app.db, merchantId: a.id, kind, source: createReadStream(path.join(dir, `${kind}.csv`)) });
    }
  }, 180_000);
  afterAll(async () => { await app?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('fits BG/NBD and Gamma-Gamma through a job, backtests them and promotes the version', async () => {
    const r = await app.gql(a.key, `mutation { trainCustomerValueModel(input: { horizonDays: 180 }) { job { id } userErrors { message } } }`);
    expect(r.body.data.trainCustomerValueModel.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.body.data.trainCustomerValueModel.job.id);
    expect(job.error).toBeNull();
    const v = job.result;
    expect(v.status).toBe('ACTIVE');
    expect(v.params.bgnbd.r).toBeGreaterThan(0);
    expect(v.params.bgnbd.alpha).toBeGreaterThan(0);
    const bt = v.metrics.backtest;
    expect(bt.actual).toBeGreaterThan(0);
    console.log(`customer-value holdout (${bt.holdoutDays} days, ${bt.customers} customers): actual ${bt.actual}, BG/NBD ${bt.bgnbd.predicted.toFixed(0)} (ratio ${bt.bgnbd.ratio.toFixed(3)}, r ${bt.bgnbd.correlation.toFixed(3)}), calendar ${bt.calendar.predicted.toFixed(0)} (ratio ${bt.calendar.ratio.toFixed(3)}, r ${bt.calendar.correlation.toFixed(3)}); served ${bt.served}`);
    // The served model is the one with the smaller aggregate error, and its error is the version's metric.
    expect(v.metrics.primary.value).toBeCloseTo(bt.servedError, 9);
    expect(Math.min(Math.abs(bt.bgnbd.ratio - 1), Math.abs(bt.calendar.ratio - 1))).toBeLessThan(0.5);
    expect(Math.max(bt.bgnbd.correlation, bt.calendar.correlation)).toBeGreaterThan(0.2);
  }, 180_000);

  it('lists customers by CLV and segments them, with a summary that adds up', async () => {
    const list = await app.gql(a.key, `{ customerValues(first: 20, sortBy: CLV) { nodes { clv pAlive churnRisk purchaseProbability7d segment expectedPurchases(horizonDays: 30) customer { externalId } } pageInfo { hasNextPage } } }`);
    expect(list.body.errors).toBeUndefined();
    const nodes = list.body.data.customerValues.nodes;
    expect(nodes).toHaveLength(20);
    const clvs = nodes.map((n: { clv: number }) => n.clv);
    expect([...clvs].sort((x, y) => y - x)).toEqual(clvs);
    for (const n of nodes) {
      expect(n.pAlive).toBeGreaterThanOrEqual(0); expect(n.pAlive).toBeLessThanOrEqual(1);
      expect(n.purchaseProbability7d).toBeLessThanOrEqual(1 - n.churnRisk + 1e-9);
      expect(n.expectedPurchases).toBeGreaterThanOrEqual(0);
    }
    const summary = (await app.gql(a.key, `{ customerValueSummary { segments { segment customers expectedValue } totalExpectedValue } }`)).body.data.customerValueSummary;
    const total = summary.segments.reduce((s: number, x: { customers: number }) => s + x.customers, 0);
    expect(total).toBe(await app.db.prisma.customer.count({ where: { merchantId: a.id } }));
    expect(summary.segments.map((s: { segment: string }) => s.segment)).toEqual(expect.arrayContaining(['active', 'lapsed']));
  });

  it('answers a customer\'s value for any horizon, more purchases over longer horizons', async () => {
    const top = await app.db.sql.query<{ customerId: number }>(`SELECT "customerId" FROM "CustomerValue" WHERE "merchantId" = $1 ORDER BY "expectedPurchases" DESC LIMIT 1`, [a.id]);
    const r = await app.gql(a.key, `query($id: ID!) { customer(id: $id) { value { segment short: expectedPurchases(horizonDays: 30) long: expectedPurchases(horizonDays: 365) } } }`,
      { id: toGlobalId('Customer', top[0].customerId) });
    const v = r.body.data.customer.value;
    expect(v.long).toBeGreaterThan(v.short);
    expect(v.short).toBeGreaterThan(0);
  });

  it('shows nothing of one merchant\'s values to another', async () => {
    const top = await app.db.sql.query<{ customerId: number }>(`SELECT "customerId" FROM "CustomerValue" WHERE "merchantId" = $1 LIMIT 1`, [a.id]);
    const r = await app.gql(b.key, `query($id: ID!) { customer(id: $id) { value { clv } } }`, { id: toGlobalId('Customer', top[0].customerId) });
    expect(r.body.data.customer).toBeNull();
    const l = await app.gql(b.key, `{ customerValues(first: 5) { nodes { clv } } }`);
    expect(l.body.errors?.[0].message).toMatch(/No active customer-value model/);
  });

  it('flags the planted order brushing, and confirmed flags leave the training data', async () => {
    const r = await app.gql(a.key, `mutation { detectRiskFlags { job { id } } }`);
    const jobId = r.body.data.detectRiskFlags.job.id;
    const end = Date.now() + 60_000;
    let job;
    do {
      await new Promise((res) => setTimeout(res, 300));
      job = (await app.gql(a.key, `query($id: ID!) { job(id: $id) { state error result { ... on RiskDetectionResult { flags created byKind } } } }`, { id: jobId })).body.data.job;
    } while (!['COMPLETED', 'FAILED'].includes(job.state) && Date.now() < end);
    expect(job.state).toBe('COMPLETED');
    // Precision and recall of the flagged orders against the generator's planted episodes.
    const planted = new Set(readFileSync(path.join(dir, 'truth', 'anomalies.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2]));
    const flagged = await app.db.sql.query<{ externalId: string; kind: string }>(`
      SELECT DISTINCT o."externalId", f.kind FROM "RiskFlag" f JOIN "Order" o ON o.id = ANY(f."orderIds") WHERE f."merchantId" = $1`, [a.id]);
    const brushing = new Set(flagged.filter((f) => f.kind === 'brushing_burst' || f.kind === 'repeat_orders').map((f) => f.externalId));
    const hit = [...planted].filter((id) => brushing.has(id)).length;
    const precision = brushing.size ? [...brushing].filter((id) => planted.has(id)).length / brushing.size : 0;
    const recall = planted.size ? hit / planted.size : 0;
    console.log(`risk flags on the small shop: ${JSON.stringify(job.result.byKind)}; brushing rules (burst + repeat orders) precision ${precision.toFixed(2)}, recall ${recall.toFixed(2)} over ${planted.size} planted orders`);
    expect(planted.size).toBeGreaterThan(0);
    expect(recall).toBeGreaterThan(0.5);
    expect(precision).toBeGreaterThan(0.5);
    // Re-running detection adds nothing new.
    expect((await app.services.risk.detect(a.id)).created).toBe(0);

    const list = await app.gql(a.key, `{ riskFlags(first: 50, status: "OPEN") { nodes { id kind reason score orders { externalId } } } }`);
    const flags = list.body.data.riskFlags.nodes;
    expect(flags.length).toBeGreaterThan(0);
    const flag = flags[0];
    expect(flag.reason.length).toBeGreaterThan(10);
    const before = (await app.services.customerValues['repo' as never] as unknown as { purchaseLog: (m: number, t: Date) => Promise<{ log: { customer: Int32Array } }> })
      .purchaseLog(a.id, new Date('2100-01-01')).then((x) => x.log.customer.length);
    const confirmed = await app.gql(a.key, `mutation($id: ID!) { resolveRiskFlag(id: $id, status: "CONFIRMED") { riskFlag { status resolvedAt } userErrors { code } } }`, { id: flag.id });
    expect(confirmed.body.data.resolveRiskFlag.riskFlag.status).toBe('CONFIRMED');
    const after = await (app.services.customerValues['repo' as never] as unknown as { purchaseLog: (m: number, t: Date) => Promise<{ log: { customer: Int32Array } }> })
      .purchaseLog(a.id, new Date('2100-01-01')).then((x) => x.log.customer.length);
    expect(after).toBeLessThan(await before);
    const other = await app.gql(b.key, `mutation($id: ID!) { resolveRiskFlag(id: $id, status: "DISMISSED") { userErrors { code } } }`, { id: flags[1]?.id ?? flag.id });
    expect(other.body.data.resolveRiskFlag.userErrors[0].code).toBe('NOT_FOUND');
    expect((await app.gql(b.key, `{ riskFlags(first: 5) { nodes { id } } }`)).body.data.riskFlags.nodes).toEqual([]);
  });
});
