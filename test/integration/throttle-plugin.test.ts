// The cost plugin inside a real ApolloServer, metering against a real Redis (random key prefix per test).
import { randomBytes } from 'node:crypto';
import { ApolloServer, GraphQLResponse } from '@apollo/server';
import { Redis } from 'ioredis';
import { costPlugin } from '../../src/graphql/cost/cost.plugin';
import { tryConsume } from '../../src/graphql/cost/throttle';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface TestContext { merchantId?: number }

const typeDefs = `
  type Query { products(first: Int): ProductConnection! shop: Shop! }
  type Mutation { productDelete(id: ID!): ProductDeletePayload! }
  type Shop { name: String! }
  type Product { id: ID! title: String! }
  type ProductConnection { nodes: [Product!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! }
  type ProductDeletePayload { deletedId: ID }
`;

describe('costPlugin in ApolloServer', () => {
  let redis: Redis;
  let keyPrefix: string;
  let server: ApolloServer<TestContext> | undefined;
  const productsResolver = jest.fn((_: unknown, { first }: { first?: number }) => ({
    // The catalogue has 3 products, whatever page size is asked for.
    nodes: Array.from({ length: Math.min(first ?? 50, 3) }, (_, i) => ({ id: String(i), title: `P${i}` })),
    pageInfo: { hasNextPage: false },
  }));

  const start = async (options: { bucket?: number; restoreRate?: number; maxCost?: number; maxDepth?: number } = {}) => {
    server = new ApolloServer<TestContext>({
      typeDefs,
      resolvers: {
        Query: { products: productsResolver, shop: () => ({ name: 'Shop' }) },
        Mutation: { productDelete: (_: unknown, { id }: { id: string }) => ({ deletedId: id }) },
      },
      plugins: [costPlugin<TestContext>({ redis, keyPrefix, merchantIdOf: (ctx) => ctx.merchantId, ...options })],
    });
    await server.start();
    return server;
  };
  const run = (query: string, contextValue: TestContext = { merchantId: 7 }, variables?: Record<string, unknown>) =>
    server!.executeOperation({ query, variables }, { contextValue });
  const single = (res: GraphQLResponse) => {
    if (res.body.kind !== 'single') throw new Error('expected a single result');
    return res.body.singleResult;
  };

  beforeAll(() => { redis = new Redis(REDIS_URL); });
  afterAll(async () => { await redis.quit(); });
  beforeEach(() => {
    keyPrefix = `shelfwise-test:throttle:${randomBytes(6).toString('hex')}`;
    productsResolver.mockClear();
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
  });

  it('refuses a 2,000-point query before any resolver runs', async () => {
    await start();
    const res = await run('{ products(first: 1998) { nodes { id title } } }');
    const result = single(res);
    expect(productsResolver).not.toHaveBeenCalled();
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0].extensions?.code).toBe('MAX_COST_EXCEEDED');
    expect(result.errors?.[0].message).toMatch(/^Query cost 2,000 exceeds the maximum of 1,000 per query; request fewer items with `first`/);
    expect(res.http.status).toBe(400);
    // The merchant still learns where their bucket stands, and nothing was taken from it.
    expect(result.extensions?.cost).toEqual({
      requestedQueryCost: 2000, actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 },
    });
  });

  it('reports requested and actual cost and refunds the difference', async () => {
    await start();
    const result = single(await run('{ products(first: 10) { nodes { id title } pageInfo { hasNextPage } } }'));
    expect(result.errors).toBeUndefined();
    expect(productsResolver).toHaveBeenCalledTimes(1);
    const cost = result.extensions?.cost as { requestedQueryCost: number; actualQueryCost: number; throttleStatus: Record<string, number> };
    expect(cost.requestedQueryCost).toBe(12);
    expect(cost.actualQueryCost).toBe(5); // 3 products came back
    expect(cost.requestedQueryCost).toBeGreaterThanOrEqual(cost.actualQueryCost);
    expect(cost.throttleStatus.maximumAvailable).toBe(1000);
    expect(cost.throttleStatus.restoreRate).toBe(50);
    expect(cost.throttleStatus.currentlyAvailable).toBeGreaterThanOrEqual(995);
    const bucket = await tryConsume(redis, `${keyPrefix}:7`, 0, { capacity: 1000, restoreRate: 50 });
    expect(bucket.currentlyAvailable).toBeGreaterThanOrEqual(995);
  });

  it('throttles a merchant whose bucket lacks the points, with Retry-After', async () => {
    await start({ bucket: 100, restoreRate: 1, maxCost: 100 });
    const query = '{ products(first: 60) { nodes { id } } }'; // 62 requested, 5 actual
    const mutation = 'mutation { a: productDelete(id: 1) { deletedId } b: productDelete(id: 2) { deletedId } }'; // 20
    expect(single(await run(query)).errors).toBeUndefined(); // 100 → 38 → refunded to 95
    for (let i = 0; i < 3; i++) expect(single(await run(mutation)).errors).toBeUndefined(); // → 35
    const res = await run(query);
    const result = single(res);
    expect(productsResolver).toHaveBeenCalledTimes(1);
    expect(res.http.status).toBe(429);
    const error = result.errors![0];
    expect(error.extensions?.code).toBe('THROTTLED');
    const retryAfter = error.extensions?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThanOrEqual(26); // (62 − ~35) points at 1 point/s
    expect(retryAfter).toBeLessThanOrEqual(28);
    expect(res.http.headers.get('retry-after')).toBe(String(retryAfter));
    expect(error.message).toContain(`Retry after ${retryAfter} seconds`);
    expect(result.extensions?.cost).toMatchObject({ requestedQueryCost: 62, actualQueryCost: null });
  });

  it('meters each merchant in their own bucket', async () => {
    await start({ bucket: 100, restoreRate: 1, maxCost: 100 });
    const query = '{ a: shop { name } b: products(first: 90) { pageInfo { hasNextPage } nodes { id } } }';
    const big = 'mutation { a: productDelete(id: 1) { deletedId } b: productDelete(id: 2) { deletedId } c: productDelete(id: 3) { deletedId } d: productDelete(id: 4) { deletedId } e: productDelete(id: 5) { deletedId } f: productDelete(id: 6) { deletedId } g: productDelete(id: 7) { deletedId } }';
    expect(single(await run(big, { merchantId: 1 })).errors).toBeUndefined(); // 70 taken, nothing refunded
    expect(single(await run(query, { merchantId: 1 })).errors?.[0].extensions?.code).toBe('THROTTLED');
    expect(single(await run(query, { merchantId: 2 })).errors).toBeUndefined();
  });

  it('refunds everything when the operation failed before resolving anything', async () => {
    await start();
    const query = 'query P($n: Int) { products(first: $n) { nodes { id } } }';
    const result = single(await run(query, { merchantId: 7 }, { n: 'ten' }));
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.extensions?.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 0 });
    expect((result.extensions?.cost as { throttleStatus: { currentlyAvailable: number } }).throttleStatus.currentlyAvailable).toBe(1000);
  });

  it('only cost-checks anonymous requests and adds no cost extension', async () => {
    await start();
    const ok = single(await run('{ products(first: 10) { nodes { id } } }', {}));
    expect(ok.errors).toBeUndefined();
    expect(ok.extensions).toBeUndefined();
    const refused = single(await run('{ products(first: 5000) { nodes { id } } }', {}));
    expect(refused.errors?.[0].extensions?.code).toBe('MAX_COST_EXCEEDED');
    expect(await redis.keys(`${keyPrefix}:*`)).toEqual([]);
  });

  it('refuses queries nested deeper than maxDepth', async () => {
    await start({ maxDepth: 2 });
    const result = single(await run('{ products(first: 1) { nodes { id } } }'));
    expect(result.errors?.[0].extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(productsResolver).not.toHaveBeenCalled();
  });

  it('lets introspection through for free', async () => {
    await start();
    const result = single(await run('{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }'));
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.cost).toMatchObject({ requestedQueryCost: 0, actualQueryCost: 0 });
  });

  it('serves requests unmetered (and says so in the log) when Redis is unreachable', async () => {
    const offline = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: unknown) => { warnings.push(String(m)); } };
    server = new ApolloServer<TestContext>({
      typeDefs, logger,
      resolvers: { Query: { products: productsResolver, shop: () => ({ name: 'Shop' }) } },
      plugins: [costPlugin<TestContext>({ redis: offline, keyPrefix, merchantIdOf: (ctx) => ctx.merchantId })],
    });
    await server.start();
    const result = single(await run('{ products(first: 10) { nodes { id } } }'));
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.cost).toEqual({ requestedQueryCost: 12, actualQueryCost: 5 }); // no throttleStatus to report
    expect(warnings).toHaveLength(1);
    expect(warnings.some((w) => w.startsWith('Throttle unavailable'))).toBe(true);
    expect(single(await run('{ products(first: 5000) { nodes { id } } }')).errors?.[0].extensions?.code).toBe('MAX_COST_EXCEEDED');
    offline.disconnect();
  });

  it('refuses a configuration whose per-query maximum could never fit the bucket', () => {
    expect(() => costPlugin({ redis, bucket: 100, maxCost: 1000, merchantIdOf: () => 1 })).toThrow(/could never run/);
  });
});
