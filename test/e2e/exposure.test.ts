// Exposure plans end to end on a generated shop: placements, plan generation through the job system
// (hard constraints, guardrail, determinism, infeasibility as a userError), the lifecycle, performance
// from tracked events, re-planning, and the storefront's read of the active plan.
import { intFromGlobalId, toGlobalId } from '../../src/graphql/global-id';
import { startTestApp, TestApp, waitForJob } from '../helpers/app';
import { generateTestShop, importTestShop, removeTestShop } from '../helpers/shop';

const PLAN_FIELDS = `id version status parentPlanId activatedAt
  settings { impressionBudget seed longTailMinShare }
  totals { impressionBudget impressions candidates expectedConversions expectedConversionsLow expectedConversionsHigh longTailShare coverage gini
    explorationImpressions greedyExpectedConversions conversionCost guardrailHolds priorSource loggedImpressions reasons }
  tradeoffCurve { longTailShare feasible expectedConversions relativeToGreedy meetsGuardrail }
  offPolicyEstimate { level loggedImpressions ips { conversions low high } snips { conversions low high } }`;
const ALLOC_FIELDS = 'productId: product { id } impressions expectedConversions conversionsLow conversionsHigh reason isLongTail posteriorMean observedImpressions observedPurchases';
const GENERATE = `mutation($i: GenerateExposurePlanInput!) { generateExposurePlan(input: $i) {
  job { id kind } maxFeasibleLongTailShare tradeoffCurve { longTailShare meetsGuardrail feasible } userErrors { field message code } } }`;

interface Alloc { productId: { id: string }; impressions: number; expectedConversions: number; reason: string; isLongTail: boolean; posteriorMean: number; observedImpressions: number; observedPurchases: number }

describe('exposure plans', () => {
  let app: TestApp;
  let dir: string;
  let a: { id: number; key: string };
  let b: { id: number; key: string };
  let home: string;
  let products: { id: number; gid: string }[];
  let bPlacement: string;
  const plans: string[] = [];

  const gql = async (key: string, q: string, v?: Record<string, unknown>) => {
    const r = await app.gql(key, q, v);
    expect(r.body.errors).toBeUndefined();
    return r.body.data;
  };
  const generate = async (input: Record<string, unknown>, key = a.key) => (await gql(key, GENERATE, { i: input })).generateExposurePlan;
  const planQuery = async (id: string, key = a.key) => (await gql(key, `query($id: ID!) { exposurePlan(id: $id) { ${PLAN_FIELDS}
    allocations(first: 250, sortKey: PRODUCT_ID, reverse: false) { nodes { ${ALLOC_FIELDS} } pageInfo { hasNextPage } } } }`, { id })).exposurePlan;
  const generated = async (input: Record<string, unknown>) => {
    const r = await generate(input);
    expect(r.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.job.id, '__typename ... on ExposurePlan { id version status }');
    expect(job.error).toBeNull();
    expect(job.state).toBe('COMPLETED');
    return planQuery(job.result.id);
  };

  beforeAll(async () => {
    dir = await generateTestShop('tiny', 5);
    // Plans are read whole (250 allocations a page): a larger points bucket than the default keeps the test from waiting on refills.
    app = await startTestApp({ workers: true, config: { throttleBucket: 100_000, throttleRestoreRate: 10_000 } });
    a = await app.createMerchant('Exposure shop');
    b = await app.createMerchant('Other shop');
    await importTestShop(app, a.id, dir);
    const rows = await app.db.prisma.product.findMany({ where: { merchantId: a.id }, orderBy: { id: 'asc' } });
    products = rows.map((p) => ({ id: p.id, gid: toGlobalId('Product', p.id) }));
    const created = await app.services.placements.create(b.id, { handle: 'home', slots: 4, expectedDailyImpressions: 100 });
    bPlacement = created.placement!.id;
  }, 120_000);
  afterAll(async () => { await app?.close(); removeTestShop(dir); });

  it('creates and updates placements, with userErrors for bad input and taken handles, and counts recent impressions', async () => {
    const list = await gql(a.key, `{ placements(first: 20) { nodes { id handle slots observedImpressions30d } } }`);
    const found = list.placements.nodes.find((p: { handle: string }) => p.handle === 'home');
    expect(found.observedImpressions30d).toBeGreaterThan(0);
    home = found.id;
    const create = `mutation($i: CreatePlacementInput!) { createPlacement(input: $i) { placement { id handle slots expectedDailyImpressions } userErrors { field code } } }`;
    const ok = await gql(a.key, create, { i: { handle: 'hero-banner', name: 'Hero banner', slots: 3, expectedDailyImpressions: 500 } });
    expect(ok.createPlacement).toMatchObject({ placement: { handle: 'hero-banner', slots: 3, expectedDailyImpressions: 500 }, userErrors: [] });
    expect((await gql(a.key, create, { i: { handle: 'home' } })).createPlacement).toEqual({ placement: null, userErrors: [{ field: ['input', 'handle'], code: 'TAKEN' }] });
    const bad = (await gql(a.key, create, { i: { handle: 'no spaces!', slots: 0, expectedDailyImpressions: -1 } })).createPlacement;
    expect(bad.userErrors.map((e: { field: string[] }) => e.field[1]).sort()).toEqual(['expectedDailyImpressions', 'handle', 'slots']);
    const update = `mutation($id: ID!, $i: UpdatePlacementInput!) { updatePlacement(id: $id, input: $i) { placement { handle slots expectedDailyImpressions } userErrors { code } } }`;
    expect((await gql(a.key, update, { id: home, i: { slots: 6, expectedDailyImpressions: 300 } })).updatePlacement)
      .toEqual({ placement: { handle: 'home', slots: 6, expectedDailyImpressions: 300 }, userErrors: [] });
    expect((await gql(a.key, update, { id: ok.createPlacement.placement.id, i: { handle: 'home' } })).updatePlacement.userErrors).toEqual([{ code: 'TAKEN' }]);
    expect((await gql(a.key, update, { id: bPlacement, i: { slots: 9 } })).updatePlacement).toEqual({ placement: null, userErrors: [{ code: 'NOT_FOUND' }] });
    expect((await gql(a.key, `query($id: ID!) { placement(id: $id) { id } }`, { id: bPlacement })).placement).toBeNull();
  });

  it('answers bad plan input with userErrors and starts no job', async () => {
    const jobsBefore = await app.db.prisma.job.count({ where: { merchantId: a.id } });
    const codes = async (input: Record<string, unknown>) => (await generate({ placementId: home, ...input })).userErrors.map((e: { code: string; field: string[] }) => `${e.code}:${e.field.slice(1).join('.')}`);
    expect(await codes({ maxConversionLoss: 1.5 })).toEqual(['INVALID:maxConversionLoss']);
    expect(await codes({ longTailMinShare: -0.1, explorationShare: 2 })).toEqual(['INVALID:longTailMinShare', 'INVALID:explorationShare']);
    expect(await codes({ horizonDays: 0 })).toEqual(['INVALID:horizonDays']);
    expect(await codes({ impressionBudget: 500, minImpressionsPerProduct: 100 })).toEqual(['FLOORS_EXCEED_BUDGET:impressionBudget']);
    expect(await codes({ impressionBudget: 1000, excludeProductIds: [toGlobalId('Product', 999_999)] })).toEqual(['NOT_FOUND:excludeProductIds']);
    expect(await codes({ impressionBudget: 1000, categories: ['No such category'] })).toEqual(['NO_CANDIDATES:categories']);
    expect(await codes({ impressionBudget: 1000, productBounds: [{ productId: products[0].gid, minImpressions: 10, maxImpressions: 5 }] })).toEqual(['INVALID:productBounds.0.maxImpressions']);
    expect((await generate({ placementId: bPlacement, impressionBudget: 1000 })).userErrors).toEqual([{ field: ['input', 'placementId'], message: 'No placement with this id', code: 'NOT_FOUND' }]);
    // Caps that leave nothing to place: the shares would hold vacuously over an empty plan.
    expect(await codes({ impressionBudget: 1000, maxImpressionsPerProduct: 0, longTailMinShare: 0.5 })).toEqual(['NO_CAPACITY:maxImpressionsPerProduct']);
    // A budget taken from a huge placement is bounded like an explicit one (it overflowed storage).
    const mega = (await gql(a.key, `mutation { createPlacement(input: { handle: "mega", slots: 10, expectedDailyImpressions: 50000000 }) { placement { id } } }`)).createPlacement.placement.id;
    expect(await codes({ placementId: mega, horizonDays: 7 })).toEqual(['TOO_LARGE:impressionBudget']);
    expect(await app.db.prisma.job.count({ where: { merchantId: a.id } })).toBe(jobsBefore);
  });

  let first: { id: string; totals: Record<string, number>; allocations: { nodes: Alloc[] } } & Record<string, any>;
  const INPUT = () => ({
    placementId: home, horizonDays: 7, impressionBudget: 12_000, longTailMinShare: 0.3, explorationShare: 0.2, maxConversionLoss: 0.05,
    minImpressionsPerProduct: 20, maxImpressionsPerProduct: 800, excludeProductIds: [products[1].gid],
    productBounds: [{ productId: products[2].gid, minImpressions: 300, maxImpressions: 300 }, { productId: products[3].gid, minImpressions: 0, maxImpressions: 0 }],
    seed: 42,
  });

  it('stores a plan whose budget, floors, caps and long-tail share hold exactly, with the guardrail against greedy', async () => {
    first = await generated(INPUT());
    plans.push(first.id);
    expect(first).toMatchObject({ version: 1, status: 'DRAFT', parentPlanId: null, settings: { impressionBudget: 12_000, seed: 42 } });
    const al: Alloc[] = first.allocations.nodes;
    expect(al).toHaveLength(products.length - 1);
    expect(al.some((x) => x.productId.id === products[1].gid)).toBe(false);
    const by = new Map(al.map((x) => [x.productId.id, x]));
    let total = 0;
    let tail = 0;
    for (const x of al) {
      expect(Number.isInteger(x.impressions)).toBe(true);
      total += x.impressions;
      if (x.isLongTail) tail += x.impressions;
      if (x.productId.id === products[2].gid) expect(x.impressions).toBe(300);
      else if (x.productId.id === products[3].gid) expect(x.impressions).toBe(0);
      else { expect(x.impressions).toBeGreaterThanOrEqual(20); expect(x.impressions).toBeLessThanOrEqual(800); }
    }
    expect(by.get(products[3].gid)!.reason).toBe('NO_EXPOSURE');
    expect(total).toBe(12_000);
    expect(first.totals.impressions).toBe(12_000);
    expect(tail / total).toBeGreaterThanOrEqual(0.3);
    expect(first.totals.longTailShare).toBeCloseTo(tail / total, 9);
    const t = first.totals;
    expect(t.guardrailHolds).toBe(true);
    expect(t.expectedConversions).toBeGreaterThanOrEqual(0.95 * t.greedyExpectedConversions - 1e-9);
    expect(t.conversionCost).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(t.expectedConversionsLow).toBeLessThanOrEqual(t.expectedConversions);
    expect(t.expectedConversionsHigh).toBeGreaterThanOrEqual(t.expectedConversions);
    expect(t.coverage).toBeCloseTo(al.filter((x) => x.impressions > 0).length / al.length, 9);
    expect(t.gini).toBeGreaterThan(0);
    expect(t.priorSource).toBe('EMPIRICAL_BAYES');
    expect(t.loggedImpressions).toBeGreaterThan(0);
    expect(t.explorationImpressions).toBeGreaterThan(0);
    expect(al.some((x) => /^EXPLORATION: \d+ impressions so far/.test(x.reason))).toBe(true);
    const explored = al.find((x) => x.reason.startsWith('EXPLORATION'))!;
    expect(explored.reason).toContain(`EXPLORATION: ${explored.observedImpressions} impressions so far`);
    // The curve is the price of exposure: never more conversions at a higher share.
    const curve = first.tradeoffCurve.filter((p: { feasible: boolean }) => p.feasible);
    for (let i = 1; i < curve.length; i++) expect(curve[i].expectedConversions).toBeLessThanOrEqual(curve[i - 1].expectedConversions + 1e-9);
    const ope = first.offPolicyEstimate;
    expect(ope.loggedImpressions).toBe(t.loggedImpressions);
    for (const e of [ope.ips, ope.snips]) { expect(e.low).toBeLessThanOrEqual(e.conversions); expect(e.high).toBeGreaterThanOrEqual(e.conversions); }
    // Allocations page by impressions, largest first.
    const page = (await gql(a.key, `query($id: ID!) { exposurePlan(id: $id) { allocations(first: 5) { nodes { impressions } pageInfo { hasNextPage endCursor } } } }`, { id: first.id })).exposurePlan.allocations;
    const top = page.nodes.map((n: { impressions: number }) => n.impressions);
    expect(top).toEqual([...al.map((x) => x.impressions)].sort((x, y) => y - x).slice(0, 5));
    const next = (await gql(a.key, `query($id: ID!, $c: String) { exposurePlan(id: $id) { allocations(first: 5, after: $c) { nodes { impressions } } } }`, { id: first.id, c: page.pageInfo.endCursor })).exposurePlan.allocations;
    expect(next.nodes[0].impressions).toBeLessThanOrEqual(top[4]);
  }, 60_000);

  it('is deterministic for a fixed seed: the same input gives the same allocations as the next version', async () => {
    const again = await generated(INPUT());
    plans.push(again.id);
    expect(again.version).toBe(2);
    const key = (p: typeof first) => p.allocations.nodes.map((x: Alloc) => `${x.productId.id}:${x.impressions}:${x.reason}`);
    expect(key(again)).toEqual(key(first));
    expect(again.totals.expectedConversions).toBeCloseTo(first.totals.expectedConversions, 9);
  }, 60_000);

  it('returns a userError naming the largest long-tail share the guardrail allows, with the curve, and stores nothing', async () => {
    const conflict = first.tradeoffCurve.find((p: { meetsGuardrail: boolean; longTailShare: number }) => !p.meetsGuardrail && p.longTailShare > 0.3);
    expect(conflict).toBeDefined();
    const plansBefore = await app.db.prisma.exposurePlan.count({ where: { merchantId: a.id } });
    const r = await generate({ ...INPUT(), longTailMinShare: conflict.longTailShare });
    expect(r.job).toBeNull();
    expect(r.userErrors).toHaveLength(1);
    expect(['GUARDRAIL_CONFLICT', 'LONG_TAIL_CAPACITY']).toContain(r.userErrors[0].code);
    expect(r.userErrors[0].field).toEqual(['input', 'longTailMinShare']);
    expect(r.maxFeasibleLongTailShare).toBeGreaterThanOrEqual(0.3);
    expect(r.maxFeasibleLongTailShare).toBeLessThan(conflict.longTailShare);
    expect(r.userErrors[0].message).toContain(`${(r.maxFeasibleLongTailShare * 100).toFixed(2)}%`);
    expect(r.tradeoffCurve.length).toBeGreaterThan(0);
    expect(r.tradeoffCurve.some((p: { longTailShare: number; meetsGuardrail: boolean }) => Math.abs(p.longTailShare - r.maxFeasibleLongTailShare) < 1e-12 && p.meetsGuardrail)).toBe(true);
    expect(await app.db.prisma.exposurePlan.count({ where: { merchantId: a.id } })).toBe(plansBefore);
  });

  it('cannot be approved twice or by another merchant', async () => {
    const approve = `mutation($id: ID!) { approveExposurePlan(id: $id) { exposurePlan { status } userErrors { code } } }`;
    expect((await gql(b.key, approve, { id: plans[0] })).approveExposurePlan).toEqual({ exposurePlan: null, userErrors: [{ code: 'NOT_FOUND' }] });
    expect((await app.db.prisma.exposurePlan.findFirstOrThrow({ where: { merchantId: a.id, version: 1 } })).status).toBe('DRAFT');
    expect((await gql(a.key, approve, { id: plans[0] })).approveExposurePlan).toEqual({ exposurePlan: { status: 'APPROVED' }, userErrors: [] });
    const approvedAt = (await app.db.prisma.exposurePlan.findFirstOrThrow({ where: { merchantId: a.id, version: 1 } })).approvedAt;
    expect((await gql(a.key, approve, { id: plans[0] })).approveExposurePlan).toEqual({ exposurePlan: null, userErrors: [{ code: 'INVALID_STATE' }] });
    const row = await app.db.prisma.exposurePlan.findFirstOrThrow({ where: { merchantId: a.id, version: 1 } });
    expect(row.status).toBe('APPROVED');
    expect(row.approvedAt).toEqual(approvedAt);
    expect((await gql(b.key, `query($id: ID!) { exposurePlan(id: $id) { id } exposurePlanPerformance(planId: $id) { servedImpressions } }`, { id: plans[0] })))
      .toEqual({ exposurePlan: null, exposurePlanPerformance: null });
  });

  it('activates an approved plan and archives the placement\'s previously active plan in the same step', async () => {
    const activate = `mutation($id: ID!) { activateExposurePlan(id: $id) { exposurePlan { status activatedAt } userErrors { code } } }`;
    expect((await gql(a.key, activate, { id: plans[1] })).activateExposurePlan.userErrors).toEqual([{ code: 'INVALID_STATE' }]);
    expect((await gql(b.key, activate, { id: plans[0] })).activateExposurePlan.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect((await gql(a.key, activate, { id: plans[0] })).activateExposurePlan.exposurePlan.status).toBe('ACTIVE');
    await gql(a.key, `mutation($id: ID!) { approveExposurePlan(id: $id) { userErrors { code } } }`, { id: plans[1] });
    const second = (await gql(a.key, activate, { id: plans[1] })).activateExposurePlan;
    expect(second).toMatchObject({ exposurePlan: { status: 'ACTIVE' }, userErrors: [] });
    const listed = await gql(a.key, `query($p: ID) { active: exposurePlans(placementId: $p, status: ACTIVE) { nodes { id } } archived: exposurePlans(placementId: $p, status: ARCHIVED) { nodes { id } } }`, { p: home });
    expect(listed.active.nodes).toEqual([{ id: plans[1] }]);
    expect(listed.archived.nodes).toEqual([{ id: plans[0] }]);
    expect((await gql(b.key, `{ exposurePlans(first: 10) { nodes { id } } }`)).exposurePlans.nodes).toEqual([]);
  });

  it('measures served impressions and purchases from tracked events, flags moved posteriors, and re-plans as the next version', async () => {
    const plan = await planQuery(plans[1]);
    const activatedAt = new Date(plan.activatedAt).getTime();
    const customers = await app.db.prisma.customer.findMany({ where: { merchantId: a.id }, orderBy: { id: 'asc' }, take: 40 });
    const allocs: Alloc[] = [...plan.allocations.nodes].sort((x: Alloc, y: Alloc) => y.impressions - x.impressions);
    const hot = allocs.find((x) => x.impressions > 0 && x.posteriorMean < 0.2)!;
    const other = allocs.find((x) => x.impressions > 0 && x !== hot)!;
    const ext = async (gid: string) => (await app.db.prisma.product.findUniqueOrThrow({ where: { id: Number(Buffer.from(gid, 'base64url').toString().split('/').pop()) } })).externalId;
    const [hotExt, otherExt] = [await ext(hot.productId.id), await ext(other.productId.id)];
    const at = (min: number) => new Date(activatedAt + min * 60_000).toISOString();
    const events: Record<string, unknown>[] = [];
    customers.forEach((c, i) => {
      // 40 impressions of the "hot" product, 24 of which are bought within the hour; 10 of another product, none bought.
      events.push({ customerId: c.externalId, productId: hotExt, type: 'IMPRESSION', placement: 'home', position: 0, occurredAt: at(10 + i) });
      if (i < 24) events.push({ customerId: c.externalId, productId: hotExt, type: 'PURCHASE', occurredAt: at(40 + i) });
      if (i < 10) events.push({ customerId: c.externalId, productId: otherExt, type: 'IMPRESSION', placement: 'home', position: 1, occurredAt: at(10 + i) });
    });
    const tracked = await gql(a.key, `mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted userErrors { message } } }`, { e: events });
    expect(tracked.trackEvents).toEqual({ accepted: events.length, userErrors: [] });

    const perf = (await gql(a.key, `query($id: ID!) { exposurePlanPerformance(planId: $id, first: 250) {
      servedImpressions plannedImpressions purchases pacing realisedLongTailShare realisedCoverage realisedGini offPlanImpressions
      products { product { id } servedImpressions purchases plannedImpressions isLongTail }
      replanCandidates { product { id } plannedMean updatedMean updatedLow updatedHigh direction } } }`, { id: plans[1] })).exposurePlanPerformance;
    expect(perf.servedImpressions).toBe(50);
    expect(perf.purchases).toBe(24);
    expect(perf.plannedImpressions).toBe(12_000);
    expect(perf.offPlanImpressions).toBe(0);
    const row = (gid: string) => perf.products.find((p: { product: { id: string } }) => p.product.id === gid);
    expect(row(hot.productId.id)).toMatchObject({ servedImpressions: 40, purchases: 24, plannedImpressions: hot.impressions });
    expect(row(other.productId.id)).toMatchObject({ servedImpressions: 10, purchases: 0 });
    const expectedTail = ((hot.isLongTail ? 40 : 0) + (other.isLongTail ? 10 : 0)) / 50;
    expect(perf.realisedLongTailShare).toBeCloseTo(expectedTail, 9);
    expect(perf.realisedCoverage).toBeCloseTo(2 / allocs.length, 9);
    expect(perf.realisedGini).toBeGreaterThan(0.9);
    const moved = perf.replanCandidates.find((c: { product: { id: string } }) => c.product.id === hot.productId.id);
    expect(moved).toMatchObject({ direction: 'UP' });
    expect(moved.plannedMean).toBeLessThan(moved.updatedLow);

    // The storefront reads what to serve, with what is left of each product's impressions.
    const storefront = await app.services.merchants.createKey(a.id, 'STOREFRONT', 'shop front');
    const served = (await gql(storefront.key, `{ activeExposurePlan(placementHandle: "home", first: 250) { planId version slots items { product { id } impressions weight remaining } } }`)).activeExposurePlan;
    expect(served).toMatchObject({ planId: plans[1], version: 2, slots: 6 });
    const item = served.items.find((x: { product: { id: string } }) => x.product.id === hot.productId.id);
    expect(item.remaining).toBe(Math.max(0, hot.impressions - 40));
    expect(served.items.reduce((s: number, x: { weight: number }) => s + x.weight, 0)).toBeCloseTo(1, 9);
    expect((await gql(b.key, `{ activeExposurePlan(placementHandle: "home") { planId } }`)).activeExposurePlan).toBeNull();

    const r = (await gql(a.key, `mutation($id: ID!) { replanExposure(planId: $id) { job { id } userErrors { code message } } }`, { id: plans[1] })).replanExposure;
    expect(r.userErrors).toEqual([]);
    const job = await waitForJob(app, a.key, r.job.id, '__typename ... on ExposurePlan { id }');
    expect(job.state).toBe('COMPLETED');
    const next = await planQuery(job.result.id);
    expect(next).toMatchObject({ version: 3, status: 'DRAFT', parentPlanId: plans[1], settings: { seed: 42, impressionBudget: 12_000 } });
    const nextHot = next.allocations.nodes.find((x: Alloc) => x.productId.id === hot.productId.id);
    // The re-plan's log window reaches back to the activation, so it holds the tracked impressions and purchases.
    expect(nextHot.observedImpressions).toBeGreaterThanOrEqual(40);
    expect(nextHot.observedPurchases).toBeGreaterThanOrEqual(24);
    expect(nextHot.posteriorMean).toBeGreaterThan(hot.posteriorMean);
    expect((await gql(b.key, `mutation($id: ID!) { replanExposure(planId: $id) { job { id } userErrors { code } } }`, { id: plans[1] })).replanExposure)
      .toEqual({ job: null, userErrors: [{ code: 'NOT_FOUND' }] });
  }, 90_000);

  it('takes priors from the active conversion model, averaged over the placement\'s recent audience', async () => {
    const train = (await gql(a.key, `mutation { trainConversionModel(input: { maxEpochs: 2, force: true }) { job { id } userErrors { message } } }`)).trainConversionModel;
    const trained = await waitForJob(app, a.key, train.job.id, '__typename ... on ModelVersion { status version }');
    expect(trained.result).toMatchObject({ status: 'ACTIVE' });
    app.services.conversionModels.clear();
    const plan = await generated({ ...INPUT(), seed: 7 });
    const t = plan.totals as Record<string, any>;
    const prior = (await app.db.prisma.exposurePlan.findUniqueOrThrow({ where: { id: Number(Buffer.from(plan.id, 'base64url').toString().split('/').pop()) } })).totals as Record<string, any>;
    expect(t.priorSource).toBe('CONVERSION_MODEL');
    expect(prior.prior).toMatchObject({ modelVersion: trained.result.version, productsWithoutPrediction: 0, anonymousAudience: false });
    expect(prior.prior.audienceSampled).toBeGreaterThan(3);
    expect(prior.prior.meanPrediction).toBeGreaterThan(0);
    expect(prior.prior.meanPrediction).toBeLessThan(0.5);
    // Products the placement never showed keep the model's view of them: their posteriors differ.
    const unseen = plan.allocations.nodes.filter((x: Alloc) => x.observedImpressions === 0).map((x: Alloc) => x.posteriorMean);
    if (unseen.length > 1) expect(new Set(unseen.map((m: number) => m.toFixed(6))).size).toBeGreaterThan(1);
    expect(plan.allocations.nodes.reduce((s: number, x: Alloc) => s + x.impressions, 0)).toBe(12_000);
    expect(t.guardrailHolds).toBe(true);
  }, 240_000);

  it('plans only the filtered categories, and archiving the active plan leaves the storefront nothing to serve', async () => {
    const [cat] = await app.db.sql.query<{ category: string; n: number }>(`
      SELECT category, count(*)::int AS n FROM "Product" WHERE "merchantId" = $1 AND status = 'ACTIVE' AND category IS NOT NULL
      GROUP BY category ORDER BY count(*) DESC, category LIMIT 1`, [a.id]);
    const plan = await generated({ placementId: home, impressionBudget: 2000, categories: [cat.category], seed: 1 });
    expect(plan.totals.candidates).toBe(cat.n);
    const inCategory = await app.db.prisma.product.findMany({ where: { merchantId: a.id, category: cat.category }, select: { id: true } });
    expect(new Set(plan.allocations.nodes.map((x: Alloc) => x.productId.id))).toEqual(new Set(inCategory.map((p) => toGlobalId('Product', p.id))));
    const archive = `mutation($id: ID!) { archiveExposurePlan(id: $id) { exposurePlan { status } userErrors { code } } }`;
    expect((await gql(a.key, archive, { id: plans[1] })).archiveExposurePlan).toEqual({ exposurePlan: { status: 'ARCHIVED' }, userErrors: [] });
    expect((await gql(a.key, archive, { id: plans[1] })).archiveExposurePlan).toEqual({ exposurePlan: null, userErrors: [{ code: 'INVALID_STATE' }] });
    expect((await gql(a.key, `{ activeExposurePlan(placementHandle: "home") { planId } }`)).activeExposurePlan).toBeNull();
  }, 60_000);

  it('stores one plan per job even when two runs of the job race (a stalled job re-run by the queue)', async () => {
    const created = await gql(a.key, `mutation { createPlacement(input: { handle: "race-test", slots: 2, expectedDailyImpressions: 100 }) { placement { id } } }`);
    const placementId = Number(intFromGlobalId(created.createPlacement.placement.id, 'Placement'));
    const stored = await app.db.prisma.exposurePlan.findFirstOrThrow({ where: { merchantId: a.id }, orderBy: { id: 'asc' } });
    const settings = { ...(stored.input as Record<string, unknown>), placementId, impressionBudget: 2_000, budgetFromPlacement: false,
      categories: [], excludeProductIds: [], productBounds: [], minImpressionsPerProduct: 0, maxImpressionsPerProduct: null, longTailMinShare: 0 };
    const runs = await Promise.all([1, 2].map(() => app.services.exposure.runPlanJob(a.id, 'race-job', settings as never, null)));
    const ids = runs.map((r) => ('plan' in r ? r.plan.id : null));
    expect(ids[0]).not.toBeNull();
    expect(ids[1]).toBe(ids[0]);
    expect(await app.db.prisma.exposurePlan.count({ where: { merchantId: a.id, placementId } })).toBe(1);
  }, 60_000);
});
