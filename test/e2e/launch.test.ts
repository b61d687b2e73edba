// Launch planning end to end on a generated shop: create/validate launches, train the demand model
// through a job, plan a launch of a DRAFT product (scenarios, weekly bands, inventory, fallback,
// audience), keep launches per merchant, and track actuals after launch.
import { Readable } from 'node:stream';
import { intFromGlobalId, toGlobalId } from '../../src/graphql/global-id';
import { importFile } from '../../src/modules/imports/import.service';
import { LaunchRepository, LaunchStateChanged } from '../../src/modules/launch/launch.repository';
import { startTestApp, TestApp, waitForJob as waitFor } from '../helpers/app';
import { generateTestShop, importTestShop, removeTestShop } from '../helpers/shop';

const RESULT = `__typename ... on ModelVersion { id status metrics }
  ... on LaunchPlanResult { launchId scenariosEvaluated scenariosStored audienceSize audienceMessage }`;
const waitForJob = (app: TestApp, key: string, id: string) => waitFor(app, key, id, RESULT);

const CREATE = `mutation($i: CreateLaunchInput!) { createLaunch(input: $i) { launch { id status name settings { gridSize launchDates } } userErrors { field message code } } }`;
const PLAN = `mutation($id: ID!) { planLaunch(launchId: $id) { job { id } userErrors { code message } } }`;
const LAUNCH_VIEW = `query($id: ID!) { launch(id: $id) { id status
  recommendation { notes usedFallback scenariosEvaluated horizonWeeks sellOutProbability objective
    recommended { id rank recommended priceMultiplier discount promoWeeks launchDate weeklyImpressions exposureCost expectedUnits expectedRevenue expectedMargin sellOutProbability
      forecasts { product { externalId } price expectedUnits fallback points { periodStart p10 p50 p90 mean } } }
    alternatives { id rank objectiveValue drivers { factor from to effect } }
    analogs { product { externalId } forProduct { externalId } similarity weeklyUnits }
    drivers { factor from to effect } fallbacks { product { externalId } fallback analogs } modelVersion { id kind } }
  scenarios(first: 100) { nodes { id rank expectedUnits } }
  forecast { product { externalId } points { p10 p50 p90 } }
  audienceStatus { available message customersScored customerValueSegments }
  audienceSegments { segment customers expectedBuyers inAudience }
  audience(first: 5) { nodes { rank probability segment customer { id } } } } }`;

describe('launch planning', () => {
  let app: TestApp;
  let dir: string;
  let a: { id: number; key: string };
  let b: { id: number; key: string };
  let draftId: string;
  let oddId: string;
  let otherCategory: string;

  const baseInput = (over: Record<string, unknown> = {}) => ({
    name: 'Autumn launch', products: [{ productId: draftId, inventory: 400 }], startDate: '2026-11-09T00:00:00Z', endDate: '2026-11-30T00:00:00Z',
    priceMultipliers: [0.9, 1, 1.15], promotions: [{ discount: 0, weeks: 0 }, { discount: 0.2, weeks: 2 }],
    exposureBudgets: [{ placement: 'new_arrivals', weeklyImpressions: 50 }, { placement: 'new_arrivals', weeklyImpressions: 200 }], objective: 'GROSS_MARGIN', ...over,
  });
  const launches = async () => app.db.prisma.launch.count({ where: { merchantId: a.id } });

  beforeAll(async () => {
    dir = await generateTestShop('tiny', 3);
    app = await startTestApp({ workers: true });
    a = await app.createMerchant('Launching shop');
    b = await app.createMerchant('Other shop');
    await importTestShop(app, a.id, dir);
    const ref = await app.db.prisma.product.findFirstOrThrow({ where: { merchantId: a.id, launchedAt: { not: null } }, orderBy: { id: 'asc' } });
    otherCategory = ref.category ?? 'Misc';
    const draft = await app.gql(a.key, `mutation($i: ProductInput!) { productUpsert(input: $i) { product { id status } userErrors { message } } }`, {
      i: { externalId: 'NEW-1', title: ref.title.replace(/^\w+/, 'Newbrand'), description: ref.description, category: ref.category, brand: 'Newbrand', price: Number(ref.price), cost: Number(ref.cost ?? 1), status: 'DRAFT' },
    });
    draftId = draft.body.data.productUpsert.product.id;
    const odd = await app.gql(a.key, `mutation($i: ProductInput!) { productUpsert(input: $i) { product { id } } }`, {
      i: { externalId: 'ODD-1', title: 'Zqx vortl plimb', category: 'Uncharted > Nothing', brand: 'Qwyx', price: 33, cost: 10, status: 'DRAFT' },
    });
    oddId = odd.body.data.productUpsert.product.id;
  }, 240_000);
  afterAll(async () => { await app?.close(); removeTestShop(dir); });

  it('refuses bad input with userErrors and writes nothing', async () => {
    const bProduct = await app.db.sql.query<{ id: number }>(`INSERT INTO "Product" ("merchantId", "externalId", title, price) VALUES ($1, 'B-1', 'B product', 10) RETURNING id`, [b.id]);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ priceMultipliers: [-1, 1] }, 'NEGATIVE_VALUE'],
      [{ priceMultipliers: [] }, 'EMPTY_GRID'],
      [{ exposureBudgets: [] }, 'EMPTY_GRID'],
      [{ startDate: '2026-10-01T00:00:00Z' }, 'DATE_IN_PAST'],
      [{ endDate: '2026-11-01T00:00:00Z' }, 'INVALID'],
      [{ products: [{ productId: draftId, inventory: -5 }] }, 'NEGATIVE_VALUE'],
      [{ products: [{ productId: draftId, unitCost: -2 }] }, 'NEGATIVE_VALUE'],
      [{ promotions: [{ discount: -0.1, weeks: 2 }] }, 'NEGATIVE_VALUE'],
      [{ exposureBudgets: [{ placement: 'home', weeklyImpressions: -10 }] }, 'NEGATIVE_VALUE'],
      [{ products: [{ productId: toGlobalId('Product', bProduct[0].id) }] }, 'NOT_FOUND'],
      [{ products: [] }, 'EMPTY_GRID'],
      // Finite but absurd: the margin would overflow to -Infinity and break the plan's storage.
      [{ products: [{ productId: draftId, unitCost: 1e308 }] }, 'INVALID'],
      [{ exposureBudgets: [{ placement: 'home', weeklyImpressions: 10, costPerThousand: 1e300 }] }, 'INVALID'],
    ];
    for (const [over, code] of cases) {
      const r = await app.gql(a.key, CREATE, { i: baseInput(over) });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.createLaunch.launch).toBeNull();
      expect(r.body.data.createLaunch.userErrors.map((e: { code: string }) => e.code)).toContain(code);
    }
    expect(await launches()).toBe(0);
  });

  it('creates, updates and deletes only DRAFT launches, and lists them by status', async () => {
    const r = await app.gql(a.key, CREATE, { i: baseInput({ name: 'To delete' }) });
    expect(r.body.data.createLaunch.userErrors).toEqual([]);
    const l = r.body.data.createLaunch.launch;
    expect(l).toMatchObject({ status: 'DRAFT', name: 'To delete', settings: { gridSize: 3 * 2 * 2 * 4 } });
    expect(l.settings.launchDates).toHaveLength(4);
    const bad = await app.gql(a.key, `mutation($id: ID!) { updateLaunch(id: $id, input: { priceMultipliers: [0] }) { launch { id } userErrors { code } } }`, { id: l.id });
    expect(bad.body.data.updateLaunch).toEqual({ launch: null, userErrors: [{ code: 'NEGATIVE_VALUE' }] });
    const up = await app.gql(a.key, `mutation($id: ID!) { updateLaunch(id: $id, input: { name: "Renamed", objective: UNITS }) { launch { name objective } userErrors { code } } }`, { id: l.id });
    expect(up.body.data.updateLaunch).toEqual({ launch: { name: 'Renamed', objective: 'UNITS' }, userErrors: [] });
    const list = await app.gql(a.key, `{ drafts: launches(status: DRAFT) { nodes { id } } planned: launches(status: PLANNED) { nodes { id } } }`);
    expect(list.body.data.drafts.nodes).toEqual([{ id: l.id }]);
    expect(list.body.data.planned.nodes).toEqual([]);
    const del = await app.gql(a.key, `mutation($id: ID!) { deleteLaunch(id: $id) { deletedLaunchId userErrors { code } } }`, { id: l.id });
    expect(del.body.data.deleteLaunch).toEqual({ deletedLaunchId: l.id, userErrors: [] });
    expect(await launches()).toBe(0);
  });

  it('asks for a demand model before planning', async () => {
    const l = (await app.gql(a.key, CREATE, { i: baseInput({ name: 'Early' }) })).body.data.createLaunch.launch;
    const r = await app.gql(a.key, PLAN, { id: l.id });
    expect(r.body.data.planLaunch).toMatchObject({ job: null, userErrors: [{ code: 'NO_MODEL' }] });
    await app.gql(a.key, `mutation($id: ID!) { deleteLaunch(id: $id) { deletedLaunchId } }`, { id: l.id });
  });

  it('refuses to train without past launches, with a clear job error', async () => {
    const r = await app.gql(b.key, `mutation { trainDemandModel { job { id } userErrors { message } } }`);
    const job = await waitForJob(app, b.key, r.body.data.trainDemandModel.job.id);
    expect(job.state).toBe('FAILED');
    expect(job.error).toMatch(/Not enough past launches/);
    const bad = await app.gql(a.key, `mutation { trainDemandModel(input: { weeks: 0 }) { job { id } userErrors { field code } } }`);
    expect(bad.body.data.trainDemandModel).toEqual({ job: null, userErrors: [{ field: ['input', 'weeks'], code: 'INVALID' }] });
  });

  it('trains a demand model through a job, backtested beside its baselines, and promotes it', async () => {
    const r = await app.gql(a.key, `mutation { trainDemandModel(input: { epochs: 25 }) { job { id } userErrors { message } } }`);
    expect(r.body.data.trainDemandModel.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.body.data.trainDemandModel.job.id);
    expect(job.error).toBeNull();
    const v = job.result;
    expect(v).toMatchObject({ __typename: 'ModelVersion', status: 'ACTIVE' });
    expect(v.metrics.primary.name).toBe('wqlMean');
    for (const m of ['model', 'categoryAverage', 'analogKnn']) {
      expect(v.metrics.backtest[m].wape).toBeGreaterThan(0);
      expect(v.metrics.backtest[m].coverage80).toBeGreaterThanOrEqual(0);
    }
    expect(v.metrics.backtest.heldOutProductIds.length).toBeGreaterThan(0);
    const listed = await app.gql(a.key, `{ models(first: 5, kind: DEMAND) { nodes { id status backend } } }`);
    expect(listed.body.data.models.nodes[0]).toMatchObject({ id: v.id, status: 'ACTIVE' });
    const bytes = await app.db.sql.query<{ n: number }>(`SELECT octet_length(artifact) AS n FROM "ModelVersion" WHERE "merchantId" = $1 AND kind = 'DEMAND'`, [a.id]);
    expect(bytes[0].n).toBeGreaterThan(100);
  }, 240_000);

  it('versions demand models like every model: a forced retraining becomes active, rollback restores the previous one', async () => {
    const r = await app.gql(a.key, `mutation { trainDemandModel(input: { epochs: 10, force: true }) { job { id } userErrors { message } } }`);
    const job = await waitForJob(app, a.key, r.body.data.trainDemandModel.job.id);
    expect(job.result.status).toBe('ACTIVE');
    const before = (await app.gql(a.key, `{ models(first: 5, kind: DEMAND) { nodes { id status } } }`)).body.data.models.nodes;
    expect(before.map((n: { status: string }) => n.status)).toEqual(['ACTIVE', 'RETIRED']);
    const back = await app.gql(a.key, `mutation { rollbackModel(kind: DEMAND) { modelVersion { id status } userErrors { code } } }`);
    expect(back.body.data.rollbackModel).toEqual({ modelVersion: { id: before[1].id, status: 'ACTIVE' }, userErrors: [] });
  }, 240_000);

  let plannedId: string;

  it('plans a launch of a DRAFT product: ranked scenarios with uncrossed weekly bands, analogs, drivers, within inventory', async () => {
    const l = (await app.gql(a.key, CREATE, { i: baseInput({ products: [{ productId: draftId, inventory: 6 }] }) })).body.data.createLaunch.launch;
    plannedId = l.id;
    const r = await app.gql(a.key, PLAN, { id: l.id });
    expect(r.body.data.planLaunch.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.body.data.planLaunch.job.id);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ __typename: 'LaunchPlanResult', launchId: l.id, scenariosEvaluated: 48 });
    const v = (await app.gql(a.key, LAUNCH_VIEW, { id: l.id })).body;
    expect(v.errors).toBeUndefined();
    const launch = v.data.launch;
    expect(launch.status).toBe('PLANNED');
    const rec = launch.recommendation;
    expect(rec.scenariosEvaluated).toBe(48);
    expect(rec.recommended).toMatchObject({ rank: 1, recommended: true });
    expect(rec.alternatives.length).toBeGreaterThan(0);
    for (const alt of rec.alternatives) expect(alt.drivers.length).toBeGreaterThan(0);
    expect(rec.drivers.map((d: { factor: string }) => d.factor).sort()).toEqual(['exposure', 'launchDate', 'price', 'promotion']);
    expect(rec.modelVersion.kind).toBe('DEMAND');
    expect(rec.fallbacks).toEqual([expect.objectContaining({ product: { externalId: 'NEW-1' } })]);
    if (rec.fallbacks[0].fallback === 'NONE') expect(rec.analogs.length).toBeGreaterThan(0);
    for (const an of rec.analogs) expect(an.forProduct.externalId).toBe('NEW-1');
    // The stored bands never cross, and no scenario sells more than the 6 units in stock.
    const points = await app.db.sql.query<{ p10: number; p50: number; p90: number; mean: number }>(`
      SELECT fp.p10, fp.p50, fp.p90, fp.mean FROM "ForecastPoint" fp JOIN "Forecast" f ON f.id = fp."forecastId" WHERE f."merchantId" = $1`, [a.id]);
    expect(points.length).toBe(launch.scenarios.nodes.length * rec.horizonWeeks);
    for (const p of points) {
      expect(p.p10).toBeGreaterThanOrEqual(0);
      expect(p.p10).toBeLessThanOrEqual(p.p50 + 1e-9);
      expect(p.p50).toBeLessThanOrEqual(p.p90 + 1e-9);
      expect(p.p90).toBeLessThanOrEqual(6 + 1e-6);
    }
    for (const s of launch.scenarios.nodes) expect(s.expectedUnits).toBeLessThanOrEqual(6 + 1e-6);
    expect(launch.scenarios.nodes.map((s: { rank: number }) => s.rank)).toEqual(launch.scenarios.nodes.map((_: unknown, i: number) => i + 1));
    expect(launch.forecast[0].points).toHaveLength(rec.horizonWeeks);
    // No conversion model yet: the plan says so instead of failing.
    expect(launch.audienceStatus).toMatchObject({ available: false, customersScored: 0 });
    expect(launch.audienceStatus.message).toMatch(/conversion model/);
    expect(launch.audience.nodes).toEqual([]);
  }, 120_000);

  it('writes a plan only onto the launch as its job read it: a launch changed meanwhile keeps its own plan', async () => {
    const repo = new LaunchRepository(app.db);
    const launchId = Number(intFromGlobalId(plannedId, 'Launch'));
    const before = await app.db.sql.query<{ id: number }>(`SELECT id FROM "LaunchScenario" WHERE "launchId" = $1 ORDER BY id`, [launchId]);
    const row = (await repo.find(a.id, launchId))!;
    const plan = {
      jobId: 'stale-job', modelVersionId: null as unknown as number, audience: [],
      recommendation: row.recommendation as never,
      scenarios: [{ params: {}, expectedUnits: 1, expectedRevenue: 1, expectedMargin: 1, sellOutProbability: 0, rank: 1, recommended: true, forecasts: [] }],
    };
    // Read before the launch last changed: refused, and nothing of the plan is written.
    await expect(repo.writePlan(a.id, launchId, plan as never, new Date(row.updatedAt.getTime() - 1))).rejects.toThrow(LaunchStateChanged);
    const after = await app.db.sql.query<{ id: number }>(`SELECT id FROM "LaunchScenario" WHERE "launchId" = $1 ORDER BY id`, [launchId]);
    expect(after).toEqual(before);
    expect((await repo.find(a.id, launchId))!.updatedAt.getTime()).toBe(row.updatedAt.getTime());
  });

  it('gives a product without analogs a fallback forecast, flagged', async () => {
    // A budget that costs more than any launch can earn is never the recommendation.
    const l = (await app.gql(a.key, CREATE, { i: baseInput({ name: 'Odd one', products: [{ productId: oddId }], priceMultipliers: [1], promotions: [{ discount: 0, weeks: 0 }],
      exposureBudgets: [{ weeklyImpressions: 100 }, { weeklyImpressions: 5_000, costPerThousand: 1_000 }] }) })).body.data.createLaunch.launch;
    const job = await waitForJob(app, a.key, (await app.gql(a.key, PLAN, { id: l.id })).body.data.planLaunch.job.id);
    expect(job.error).toBeNull();
    const rec = (await app.gql(a.key, LAUNCH_VIEW, { id: l.id })).body.data.launch.recommendation;
    expect(rec.usedFallback).toBe(true);
    expect(rec.recommended).toMatchObject({ weeklyImpressions: 100, exposureCost: 0 });
    expect(rec.notes.some((n: string) => /5000 impressions\/week exceed|, 5000 impressions/.test(n))).toBe(true);
    expect(rec.notes.some((n: string) => /no similar past launch/.test(n))).toBe(true);
    const costly = (await app.gql(a.key, `query($id: ID!) { launch(id: $id) { scenarios(first: 10) { nodes { weeklyImpressions exposureCost expectedMargin } } } }`, { id: l.id })).body.data.launch.scenarios.nodes
      .filter((s: { weeklyImpressions: number }) => s.weeklyImpressions === 5_000);
    expect(costly.length).toBeGreaterThan(0);
    for (const s of costly) expect(s.exposureCost).toBeCloseTo(5 * 1_000 * rec.horizonWeeks, 6);
    // Editing a planned launch discards its plan: back to DRAFT, scenarios gone.
    const up = await app.gql(a.key, `mutation($id: ID!) { updateLaunch(id: $id, input: { priceMultipliers: [1, 1.1] }) { launch { status recommendation { scenariosEvaluated } scenarios(first: 5) { nodes { id } } } userErrors { code } } }`, { id: l.id });
    expect(up.body.data.updateLaunch).toEqual({ launch: { status: 'DRAFT', recommendation: null, scenarios: { nodes: [] } }, userErrors: [] });
    expect(['CATEGORY', 'GLOBAL']).toContain(rec.fallbacks[0].fallback);
    const f = rec.recommended.forecasts[0];
    expect(f.fallback).toBe(rec.fallbacks[0].fallback);
    expect(f.points).toHaveLength(rec.horizonWeeks);
    expect(f.points.reduce((s: number, p: { mean: number }) => s + p.mean, 0)).toBeGreaterThan(0);
  }, 120_000);

  it('plans several products together: a scenario sums its products, and sells out when any of them does', async () => {
    const l = (await app.gql(a.key, CREATE, { i: baseInput({ name: 'Pair', products: [{ productId: draftId, inventory: 4 }, { productId: oddId }], priceMultipliers: [1, 1.2],
      promotions: [{ discount: 0, weeks: 0 }], exposureBudgets: [{ weeklyImpressions: 150 }] }) })).body.data.createLaunch.launch;
    const job = await waitForJob(app, a.key, (await app.gql(a.key, PLAN, { id: l.id })).body.data.planLaunch.job.id);
    expect(job.result).toMatchObject({ scenariosEvaluated: 2 * 4, scenariosStored: 8 });
    const v = (await app.gql(a.key, `query($id: ID!) { launch(id: $id) { scenarios(first: 10) { nodes { expectedUnits expectedRevenue expectedMargin sellOutProbability
      forecasts { product { externalId } price expectedUnits expectedRevenue expectedMargin sellOutProbability points { p90 } } } } } }`, { id: l.id })).body.data.launch;
    const [draft, odd] = await Promise.all(['NEW-1', 'ODD-1'].map((e) => app.db.prisma.product.findFirstOrThrow({ where: { merchantId: a.id, externalId: e } })));
    for (const s of v.scenarios.nodes) {
      expect(s.forecasts.map((f: { product: { externalId: string } }) => f.product.externalId).sort()).toEqual(['NEW-1', 'ODD-1']);
      const sum = (k: string) => s.forecasts.reduce((t: number, f: Record<string, number>) => t + f[k], 0);
      expect(s.expectedUnits).toBeCloseTo(sum('expectedUnits'), 6);
      expect(s.expectedRevenue).toBeCloseTo(sum('expectedRevenue'), 6);
      expect(s.expectedMargin).toBeCloseTo(sum('expectedMargin'), 6);
      expect(s.sellOutProbability).toBeCloseTo(1 - s.forecasts.reduce((t: number, f: { sellOutProbability: number }) => t * (1 - f.sellOutProbability), 1), 9);
      const newOne = s.forecasts.find((f: { product: { externalId: string } }) => f.product.externalId === 'NEW-1');
      expect(newOne.expectedUnits).toBeLessThanOrEqual(4 + 1e-6);
      // Candidate prices are multipliers of each product's own list price.
      const mult = newOne.price / Number(draft.price);
      expect([1, 1.2].some((m) => Math.abs(m - mult) < 0.01)).toBe(true);
      const oddF = s.forecasts.find((f: { product: { externalId: string } }) => f.product.externalId === 'ODD-1');
      expect(oddF.price / Number(odd.price)).toBeCloseTo(mult, 2);
    }
  }, 120_000);

  it('scores the audience with the active conversion model from the new product\'s content', async () => {
    const t = await app.gql(a.key, `mutation { trainConversionModel(input: { maxEpochs: 1, force: true }) { job { id } userErrors { message } } }`);
    const trained = await waitForJob(app, a.key, t.body.data.trainConversionModel.job.id);
    expect(trained.state).toBe('COMPLETED');
    const job = await waitForJob(app, a.key, (await app.gql(a.key, PLAN, { id: plannedId })).body.data.planLaunch.job.id);
    expect(job.error).toBeNull();
    const customers = await app.db.prisma.customer.count({ where: { merchantId: a.id } });
    expect(job.result.audienceSize).toBe(Math.min(1000, customers));
    const launch = (await app.gql(a.key, LAUNCH_VIEW, { id: plannedId })).body.data.launch;
    expect(launch.audienceStatus).toMatchObject({ available: true, customersScored: customers, customerValueSegments: false });
    const probs = launch.audience.nodes.map((n: { probability: number }) => n.probability);
    expect(probs).toEqual([...probs].sort((x, y) => y - x));
    for (const p of probs) { expect(p).toBeGreaterThan(0); expect(p).toBeLessThan(1); }
    expect(launch.audience.nodes.map((n: { rank: number }) => n.rank)).toEqual([1, 2, 3, 4, 5]);
    const segs = launch.audienceSegments;
    expect(segs.reduce((s: number, x: { customers: number }) => s + x.customers, 0)).toBe(customers);
    for (const x of segs) {
      expect(['ordered_30d', 'ordered_90d', 'ordered_365d', 'lapsed', 'never_ordered']).toContain(x.segment);
      expect(x.expectedBuyers).toBeGreaterThan(0);
      expect(x.expectedBuyers).toBeLessThanOrEqual(x.customers);
    }
    expect(await app.db.prisma.launchAudience.count({ where: { merchantId: a.id } })).toBe(Math.min(1000, customers));
  }, 240_000);

  it('keeps launches to their merchant', async () => {
    const q = `query($id: ID!) { launch(id: $id) { id } launches(first: 10) { nodes { id } } launchPerformance(launchId: $id) { wape } }`;
    const r = await app.gql(b.key, q, { id: plannedId });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ launch: null, launches: { nodes: [] }, launchPerformance: null });
    const muts: Array<[string, string]> = [
      ['planLaunch', `mutation($id: ID!) { planLaunch(launchId: $id) { job { id } userErrors { code } } }`],
      ['updateLaunch', `mutation($id: ID!) { updateLaunch(id: $id, input: { name: "Mine now" }) { launch { id } userErrors { code } } }`],
      ['deleteLaunch', `mutation($id: ID!) { deleteLaunch(id: $id) { deletedLaunchId userErrors { code } } }`],
      ['markLaunchLaunched', `mutation($id: ID!) { markLaunchLaunched(id: $id) { launch { id } userErrors { code } } }`],
      ['reviewLaunch', `mutation($id: ID!) { reviewLaunch(id: $id) { launch { id } userErrors { code } } }`],
    ];
    for (const [name, m] of muts) {
      const res = await app.gql(b.key, m, { id: plannedId });
      expect(res.body.data[name].userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    }
    const scen = (await app.gql(a.key, `query($id: ID!) { launch(id: $id) { scenarios(first: 1) { nodes { id } } } }`, { id: plannedId })).body.data.launch.scenarios.nodes[0].id;
    const choose = await app.gql(b.key, `mutation($l: ID!, $s: ID!) { chooseLaunchScenario(launchId: $l, scenarioId: $s) { launch { id } userErrors { code } } }`, { l: plannedId, s: scen });
    expect(choose.body.data.chooseLaunchScenario.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const after = await app.db.prisma.launch.findFirstOrThrow({ where: { merchantId: a.id, name: 'Autumn launch' } });
    expect(after).toMatchObject({ status: 'PLANNED', chosenScenarioId: null });
  });

  it('refuses wrong status transitions', async () => {
    const del = await app.gql(a.key, `mutation($id: ID!) { deleteLaunch(id: $id) { deletedLaunchId userErrors { code } } }`, { id: plannedId });
    expect(del.body.data.deleteLaunch.userErrors).toEqual([{ code: 'INVALID_STATUS' }]);
    const review = await app.gql(a.key, `mutation($id: ID!) { reviewLaunch(id: $id) { launch { id } userErrors { code } } }`, { id: plannedId });
    expect(review.body.data.reviewLaunch.userErrors).toEqual([{ code: 'INVALID_STATUS' }]);
    const draft = (await app.gql(a.key, CREATE, { i: baseInput({ name: 'Still a draft' }) })).body.data.createLaunch.launch;
    const launched = await app.gql(a.key, `mutation($id: ID!) { markLaunchLaunched(id: $id) { launch { id } userErrors { code } } }`, { id: draft.id });
    expect(launched.body.data.markLaunchLaunched.userErrors).toEqual([{ code: 'INVALID_STATUS' }]);
    const perf = await app.gql(a.key, `query($id: ID!) { launchPerformance(launchId: $id) { wape } }`, { id: draft.id });
    expect(perf.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('tracks actual weekly units after launch against the chosen scenario: WAPE so far and band alerts', async () => {
    const view = (await app.gql(a.key, `query($id: ID!) { launch(id: $id) { scenarios(first: 3) { nodes { id launchDate } } } }`, { id: plannedId })).body.data.launch;
    const chosen = view.scenarios.nodes[1];
    const c = await app.gql(a.key, `mutation($l: ID!, $s: ID!) { chooseLaunchScenario(launchId: $l, scenarioId: $s) { launch { chosenScenario { id chosen } } userErrors { code } } }`, { l: plannedId, s: chosen.id });
    expect(c.body.data.chooseLaunchScenario).toEqual({ launch: { chosenScenario: { id: chosen.id, chosen: true } }, userErrors: [] });
    const m = await app.gql(a.key, `mutation($id: ID!) { markLaunchLaunched(id: $id) { launch { status launchedAt products { externalId status } } userErrors { code } } }`, { id: plannedId });
    expect(m.body.data.markLaunchLaunched.userErrors).toEqual([]);
    const launched = m.body.data.markLaunchLaunched.launch;
    expect(launched.status).toBe('LAUNCHED');
    expect(launched.launchedAt).toBe(chosen.launchDate);
    expect(launched.products).toEqual([{ externalId: 'NEW-1', status: 'ACTIVE' }]);
    // Week 1 sells far above any forecast (and the stock: a re-order came in); week 2 sells nothing; a week-3 order moves the clock.
    const t0 = new Date(chosen.launchDate).getTime();
    const at = (days: number) => new Date(t0 + days * 86_400_000 + 3_600_000).toISOString();
    const lines = ['order_id,line_no,customer_id,product_id,quantity,unit_price,ordered_at,status',
      `LX1,1,C000001,NEW-1,40,10.00,${at(1)},placed`, `LX2,1,C000002,NEW-1,35,10.00,${at(3)},placed`, `LX3,1,C000003,NEW-1,1,10.00,${at(15)},placed`];
    await importFile({ db: app.db, merchantId: a.id, kind: 'orders', source: Readable.from([lines.join('\n') + '\n']) });
    const p = await app.gql(a.key, `query($id: ID!) { launchPerformance(launchId: $id) { weeksElapsed actualUnits forecastUnits wape scenario { id }
      weeks { week complete actualUnits p10 p50 p90 } products { product { externalId } wape } alerts { week direction actualUnits p90 message product { externalId } } launch { status } } }`, { id: plannedId });
    expect(p.body.errors).toBeUndefined();
    const perf = p.body.data.launchPerformance;
    expect(perf.scenario.id).toBe(chosen.id);
    expect(perf.weeksElapsed).toBe(2);
    expect(perf.weeks.slice(0, 2).map((w: { actualUnits: number }) => w.actualUnits)).toEqual([75, 0]);
    expect(perf.weeks[2]).toMatchObject({ week: 3, complete: false, actualUnits: 1 });
    expect(perf.wape).toBeGreaterThan(0);
    expect(perf.wape).toBeCloseTo(Math.abs(75 - perf.weeks[0].p50) / 75 + perf.weeks[1].p50 / 75, 6);
    expect(perf.alerts[0]).toMatchObject({ week: 1, direction: 'ABOVE_P90', actualUnits: 75, product: { externalId: 'NEW-1' } });
    const r = await app.gql(a.key, `mutation($id: ID!) { reviewLaunch(id: $id) { launch { status reviewedAt review { wape actualUnits weeksElapsed alerts } } userErrors { code } } }`, { id: plannedId });
    expect(r.body.data.reviewLaunch.launch.status).toBe('REVIEWED');
    expect(r.body.data.reviewLaunch.launch.review).toMatchObject({ actualUnits: perf.actualUnits, weeksElapsed: 2, alerts: perf.alerts.length });
    const stored = await app.db.prisma.launch.findFirstOrThrow({ where: { merchantId: a.id, name: 'Autumn launch' } });
    expect((stored.recommendation as { review: { wape: number } }).review.wape).toBeCloseTo(perf.wape, 9);
    // The launch is now an ordinary product with a launch date and sales: the next training reads them.
    const { LaunchDataRepository } = await import('../../src/modules/launch/launch-data.repository');
    const repo = new LaunchDataRepository(app.db);
    const newId = (await app.db.prisma.product.findFirstOrThrow({ where: { merchantId: a.id, externalId: 'NEW-1' } })).id;
    const products = await repo.products(a.id);
    expect(products.find((x) => x.productId === newId)?.launchedAt?.toISOString()).toBe(chosen.launchDate);
    // …with the chosen scenario's promotion, known whether or not anything sold during it.
    const chosenRow = await app.db.prisma.launchScenario.findFirstOrThrow({ where: { id: stored.chosenScenarioId! } });
    const params = chosenRow.params as { discount: number; promoWeeks: number };
    expect(products.find((x) => x.productId === newId)?.knownPromotion).toEqual({ discount: params.discount, promoWeeks: params.promoWeeks });
    expect(products.filter((x) => x.knownPromotion).length).toBe(1);
    const sales = (await repo.sales(a.id, new Date(t0 + 30 * 86_400_000), 8)).filter((x) => x.productId === newId);
    expect(sales.reduce((s, x) => s + x.quantity, 0)).toBe(76);
  }, 60_000);
});
