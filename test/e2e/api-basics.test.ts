import { startTestApp, TestApp } from '../helpers/app';

describe('the merchant API over HTTP', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    app = await startTestApp();
    ({ key } = await app.createMerchant('Basics'));
  });
  afterAll(async () => { await app?.close(); });

  it('refuses a request without an API key with a clear 401', async () => {
    const res = await app.gql(null, '{ shop { name } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].message).toMatch(/Missing API key/);
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong API key with a clear 401', async () => {
    const res = await app.gql('shw_adm_not-a-real-key', '{ shop { name } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].message).toMatch(/Invalid or revoked API key/);
  });

  it('answers the shop query for a valid key and reports the query cost', async () => {
    const res = await app.gql(key, '{ shop { name currency timeZone } }');
    expect(res.status).toBe(200);
    expect(res.body.data.shop).toEqual({ name: 'Basics', currency: 'USD', timeZone: 'UTC' });
    expect(res.body.extensions?.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1 });
    expect(res.body.extensions?.cost.throttleStatus.maximumAvailable).toBe(1000);
  });

  it('creates a product with productUpsert and finds it by external id and by global id', async () => {
    const up = await app.gql(key, `mutation($i: ProductInput!) { productUpsert(input: $i) { product { id externalId title price isLongTail } userErrors { field message code } } }`,
      { i: { externalId: 'sku-1', title: 'Cast iron pan', price: 39.5, category: 'Kitchen', tags: ['iron'] } });
    expect(up.body.data.productUpsert.userErrors).toEqual([]);
    const p = up.body.data.productUpsert.product;
    expect(p).toMatchObject({ externalId: 'sku-1', title: 'Cast iron pan', price: 39.5, isLongTail: true });
    const byExt = await app.gql(key, '{ productByExternalId(externalId: "sku-1") { id } }');
    expect(byExt.body.data.productByExternalId.id).toBe(p.id);
    const byId = await app.gql(key, 'query($id: ID!) { product(id: $id) { externalId } }', { id: p.id });
    expect(byId.body.data.product.externalId).toBe('sku-1');
  });

  it('returns userErrors, not an exception, for invalid product input', async () => {
    const res = await app.gql(key, `mutation($i: ProductInput!) { productUpsert(input: $i) { product { id } userErrors { field message code } } }`,
      { i: { externalId: 'sku-2', title: 'Pan', price: 10, attributes: [1, 2] } });
    expect(res.body.data.productUpsert.product).toBeNull();
    expect(res.body.data.productUpsert.userErrors[0]).toMatchObject({ field: ['input', 'attributes'], code: 'INVALID' });
  });

  it('rejects a query over 1,000 points before executing it', async () => {
    const res = await app.gql(key, '{ products(first: 250) { nodes { id } edges { node { id } } } a: products(first: 250) { nodes { id } } b: products(first: 250) { nodes { id } } c: products(first: 250) { nodes { id } } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('MAX_COST_EXCEEDED');
    expect(res.body.errors?.[0].message).toMatch(/exceeds the maximum of 1,000/);
    expect(res.body.data).toBeUndefined();
  });

  it('rejects a page size above 250 with a clear message', async () => {
    const res = await app.gql(key, '{ products(first: 300) { nodes { id } } }');
    expect(res.body.errors?.[0].message).toMatch(/250/);
  });

  it('answers a forged page cursor with a clear error, never an internal one', async () => {
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const cases: Array<[string, unknown]> = [
      ['{ products(first: 2, after: $a, sortKey: CREATED_AT) { nodes { id } } }', ['x', 1]],
      ['{ products(first: 2, after: $a, sortKey: SALES) { nodes { id } } }', [1e12, 1]],
      ['{ orders(first: 2, after: $a) { nodes { id } } }', ['not a date', 1]],
      ['{ jobs(first: 2, after: $a) { nodes { id } } }', ['x', 'y']],
      ['{ customers(first: 2, after: $a) { nodes { id } } }', [1.5]],
      ['{ placements(first: 2, after: $a) { nodes { id } } }', [1, 2]],
      ['{ products(first: 2, after: $a) { nodes { id } } }', 'not base64 json'],
    ];
    for (const [query, cursor] of cases) {
      const after = typeof cursor === 'string' ? cursor : forged(cursor);
      const res = await app.gql(key, `query($a: String) ${query}`, { a: after });
      expect(res.body.errors?.[0].message).toBe('Malformed cursor');
      expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    // A cursor the API itself handed out still pages.
    const page = await app.gql(key, '{ products(first: 1, sortKey: SALES) { pageInfo { endCursor } } }');
    const next = await app.gql(key, 'query($a: String) { products(first: 1, after: $a, sortKey: SALES) { nodes { id } } }', { a: page.body.data.products.pageInfo.endCursor });
    expect(next.body.errors).toBeUndefined();
  });

  it('forbids catalogue reads to a storefront key but lets it track events', async () => {
    const { merchant } = { merchant: (await app.services.merchants.authenticate(key))! };
    const sf = await app.services.merchants.createKey(merchant.merchantId, 'STOREFRONT', 'web');
    const res = await app.gql(sf.key, '{ products(first: 5) { nodes { id } } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const ev = await app.gql(sf.key, `mutation($e: [EventInput!]!) { trackEvents(events: $e) { accepted userErrors { field message } } }`,
      { e: [{ productId: 'sku-1', sessionId: 's1', type: 'VIEW', placement: 'home', position: 0 }, { productId: 'nope', sessionId: 's1', type: 'VIEW' }] });
    expect(ev.body.data.trackEvents.accepted).toBe(1);
    expect(ev.body.data.trackEvents.userErrors).toHaveLength(1);
    expect(ev.body.data.trackEvents.userErrors[0].field.slice(0, 2)).toEqual(['events', '1']);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    const base = app.api.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/shelfwise_http_request_duration_seconds_bucket/);
    expect(metrics).toMatch(/shelfwise_queue_jobs\{queue="import",state="waiting"\}/);
  });

  it('masks an internal error: the client sees a generic message and code, never the cause', async () => {
    const original = app.services.catalog.shop;
    app.services.catalog.shop = async () => { throw new Error('relation "Merchant" does not exist: SELECT secret FROM x'); };
    try {
      const res = await app.gql(key, '{ shop { name } }');
      expect(res.body.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|relation|stack/i);
    } finally {
      app.services.catalog.shop = original;
    }
  });
});
