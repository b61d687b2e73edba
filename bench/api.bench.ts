// API throughput benchmark (npm run bench:api). Prints figures; it is not a test.
//
//  1. A fresh PostgreSQL database (shelfwise_bench_<random>, dropped at the end) and a random Redis
//     prefix; one merchant seeded in SQL with ~2,000 products, customers and orders over 180 days,
//     then services.catalog.refreshProductStats (so unitsSold90d / isLongTail are real).
//  2. The real API (src/server.ts serve → startApi) in a child process; the load generator in this
//     process: N keep-alive clients in a closed loop posting the products query with the admin key,
//     a warm-up, then a measured window. The per-merchant throttle is left on (its Redis script runs
//     on every request) but with a bucket and restore rate so large that it never refuses.
//  3. In this process, the same query through graphql's bare `execute` against buildAppSchema() with
//     the API's context shape ({ auth, services, requestId, loaders }), sequential and concurrent,
//     and the service call alone (CatalogService.listProducts), for a cost breakdown.
//
//     Then each of the two SQL statements behind it alone (data clock via Prisma, the list via pg),
//     and EXPLAIN ANALYZE of the list statement.
//
// Flags / env: --clients (BENCH_CLIENTS, 100), --duration s (BENCH_DURATION, 15), --warmup s
// (BENCH_WARMUP, 3), --products (BENCH_PRODUCTS, 2000), --bare-duration s (BENCH_BARE_DURATION, 5);
// BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of the API process there.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { execute, parse, validate } from 'graphql';
import { createLoaders } from '../src/graphql/loaders';
import { buildAppSchema } from '../src/graphql/schema';
import type { GraphQLContext } from '../src/graphql/context';
import { logger } from '../src/logger';
import { merchantNow } from '../src/modules/catalog/data-clock';
import { ProductRepository } from '../src/modules/catalog/product.repository';
import { numberFlag } from './lib/args';
import { startApiChild, UNLIMITED, type ApiChild } from './lib/api-child';
import { openBenchServices } from './lib/bench-services';
import { BENCH_REDIS_URL } from './lib/bench-db';
import { closedLoop, LoopResult } from './lib/closed-loop';
import { busyShare, sampleMachineCpu } from './lib/cpu';
import { runLoad } from './lib/load';
import { seedCatalog } from './lib/seed-catalog';
import { fmt, markdownTable, ms, percentile, sortedCopy } from './lib/stats';

const QUERY = 'query { products(first: 50) { nodes { id externalId title price unitsSold90d isLongTail } } }';
/** Large enough that the throttle never refuses at any rate this machine can reach. */
const API_POOL_SIZE = 10; // the API's default (src/db/database.ts)

interface Row { name: string; concurrency: number; r: LoopResult }

async function main(): Promise<number> {
  const clients = numberFlag('clients', process.env.BENCH_CLIENTS, 100);
  const durationS = numberFlag('duration', process.env.BENCH_DURATION, 15);
  const warmupS = numberFlag('warmup', process.env.BENCH_WARMUP, 3);
  const products = numberFlag('products', process.env.BENCH_PRODUCTS, 2000);
  const bareS = numberFlag('bare-duration', process.env.BENCH_BARE_DURATION, 5);
  logger.level = 'silent';

  const run = await openBenchServices('api', API_POOL_SIZE);
  const { bench, prefix, config, services } = run;
  let child: ApiChild | undefined;
  let failed = false;
  try {
    console.log(`# API benchmark\n`);
    console.log(`database ${bench.name} · redis ${BENCH_REDIS_URL} prefix ${prefix} · NODE_ENV=${process.env.NODE_ENV || '(unset)'} · node ${process.version} · ${os.cpus().length} cores · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    // ---- seed ----
    const t = performance.now();
    const { merchant, key } = await services.merchants.create({ name: 'bench-merchant' });
    const seeded = await seedCatalog(bench.db, merchant.id, { products, customers: Math.round(products * 2.5), orders: products * 15 });
    const statRows = await services.catalog.refreshProductStats(merchant.id);
    const [tail] = await bench.db.sql.query<{ sold: number; tail: number; head: number }>(
      `SELECT count(*) FILTER (WHERE "units90d" > 0)::int AS sold, count(*) FILTER (WHERE "isLongTail")::int AS tail,
              count(*) FILTER (WHERE NOT "isLongTail")::int AS head FROM "ProductStat" WHERE "merchantId" = $1`, [merchant.id]);
    console.log(`seeded 1 merchant: ${fmt(seeded.products)} products, ${fmt(seeded.customers)} customers, ${fmt(seeded.orders)} orders / ${fmt(seeded.orderLines)} lines; ` +
      `refreshProductStats → ${fmt(statRows)} stat rows (${fmt(tail.sold)} sold in 90 days: ${fmt(tail.head)} head, ${fmt(tail.tail)} long-tail) in ${fmt((performance.now() - t) / 1000, 1)} s`);

    // ---- HTTP: real API in a child process ----
    child = await startApiChild({ databaseUrl: bench.url, redisUrl: BENCH_REDIS_URL, queuePrefix: prefix });
    const { url } = child;
    const cpuOfChild = child.usage;

    const headers = { authorization: `Bearer ${key}` };
    const body = JSON.stringify({ query: QUERY });
    await checkFirstResponse(url, headers, body);
    console.log(`API child pid ${child.pid} at ${url}; throttle: SHELFWISE_THROTTLE_BUCKET=${UNLIMITED} and ` +
      `SHELFWISE_THROTTLE_RESTORE_RATE=${UNLIMITED} (one merchant; the throttle's Redis script still runs per request, it just never refuses)`);
    console.log(`load: ${clients} keep-alive clients (node:http Agent), closed loop, ${warmupS} s warm-up + ${durationS} s measured, API DB pool ${API_POOL_SIZE}\n`);

    const cpu0 = sampleMachineCpu();
    const c0 = await cpuOfChild();
    const self0 = process.cpuUsage();
    const http = await runLoad({
      url, body, headers, clients, warmupMs: warmupS * 1000, durationMs: durationS * 1000,
      ok: (b) => b.startsWith('{"data":{"products":{"nodes":[') && !b.includes('"errors":['),
    });
    const self1 = process.cpuUsage(self0);
    const c1 = await cpuOfChild();
    const cpu1 = sampleMachineCpu();
    const wallS = warmupS + durationS;
    const apiCpu = ((c1.usage.user - c0.usage.user) + (c1.usage.system - c0.usage.system)) / 1e6 / wallS;
    const genCpu = (self1.user + self1.system) / 1e6 / wallS;
    await child.stop();
    if (http.errors) failed = true;

    // ---- bare graphql execute and the service call, in this process ----
    const schema = await buildAppSchema();
    const document = parse(QUERY);
    const vErrors = validate(schema, document);
    if (vErrors.length) throw new Error(`query does not validate: ${vErrors.map((e) => e.message).join('; ')}`);
    const auth = await services.merchants.authenticate(key);
    if (!auth) throw new Error('admin key does not authenticate');
    const executeOnce = async () => {
      const contextValue: GraphQLContext = { auth, services, requestId: randomUUID(), loaders: createLoaders(services, auth.merchantId) };
      const r = await execute({ schema, document, contextValue });
      if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
    };
    const serviceOnce = async () => {
      await services.catalog.listProducts(auth.merchantId, { first: 50, sort: 'CREATED_AT', filter: {} });
    };
    // The two statements behind listProducts, each alone: the data clock (Prisma findUnique) and the
    // list (one raw SQL statement through the pg pool).
    const captured: { text: string; params: unknown[] }[] = [];
    const capturing = { ...bench.db, sql: { ...bench.db.sql, query: (text: string, params?: unknown[]) => { captured.push({ text, params: params ?? [] }); return bench.db.sql.query(text, params); } } } as typeof bench.db;
    const repo = new ProductRepository(capturing);
    const now = await merchantNow(bench.db, auth.merchantId);
    const listParams = { merchantId: auth.merchantId, filter: {}, sort: 'CREATED_AT' as const, take: 51, after: null, now, newDays: config.newProductDays, headShare: config.longTailHeadShare, liveStats: false };
    await repo.list(listParams);
    const listSql = captured[0];
    const clockOnce = async () => { await merchantNow(bench.db, auth.merchantId); };
    const listOnce = async () => { await bench.db.sql.query(listSql.text, listSql.params); };

    const loop = { warmupMs: 1000, durationMs: bareS * 1000 };
    const rows: Row[] = [];
    rows.push({ name: 'bare `execute`', concurrency: 1, r: await closedLoop(executeOnce, { ...loop, concurrency: 1 }) });
    rows.push({ name: 'bare `execute`', concurrency: clients, r: await closedLoop(executeOnce, { ...loop, concurrency: clients }) });
    rows.push({ name: 'service only (`listProducts`)', concurrency: 1, r: await closedLoop(serviceOnce, { ...loop, concurrency: 1 }) });
    rows.push({ name: 'service only (`listProducts`)', concurrency: clients, r: await closedLoop(serviceOnce, { ...loop, concurrency: clients }) });
    rows.push({ name: 'SQL: data clock (Prisma `merchant.findUnique`)', concurrency: 1, r: await closedLoop(clockOnce, { ...loop, concurrency: 1 }) });
    rows.push({ name: 'SQL: data clock (Prisma `merchant.findUnique`)', concurrency: clients, r: await closedLoop(clockOnce, { ...loop, concurrency: clients }) });
    rows.push({ name: 'SQL: product list (raw `pg`)', concurrency: 1, r: await closedLoop(listOnce, { ...loop, concurrency: 1 }) });
    rows.push({ name: 'SQL: product list (raw `pg`)', concurrency: clients, r: await closedLoop(listOnce, { ...loop, concurrency: clients }) });
    for (const row of rows) if (row.r.errors) failed = true;
    const plan = await bench.db.sql.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${listSql.text}`, listSql.params);

    // ---- report ----
    const perS = (r: { completed: number; windowMs: number }) => r.completed / (r.windowMs / 1000);
    const line = (name: string, conc: number, r: LoopResult, note = '') => {
      const s = sortedCopy(r.latenciesMs);
      return [name, String(conc), fmt(perS(r)), ms(percentile(s, 50)), ms(percentile(s, 90)), ms(percentile(s, 99)), fmt(r.errors), note];
    };
    const httpRate = perS(http);
    const bareConc = rows[1].r;
    const httpP50 = percentile(sortedCopy(http.latenciesMs), 50);
    const bareP50 = percentile(sortedCopy(bareConc.latenciesMs), 50);
    console.log(markdownTable(
      ['path', 'concurrency', 'req/s (ops/s)', 'p50', 'p90', 'p99', 'errors', 'notes'],
      [
        line('HTTP → API child process', clients, http, `${fmt(durationS)} s window; API process ${fmt(apiCpu * 100)}% of a core, load generator ${fmt(genCpu * 100)}%, machine ${fmt(busyShare(cpu0, cpu1) * 100)}% busy`),
        ...rows.map((row) => line(row.name, row.concurrency, row.r, `${fmt(bareS)} s window, in-process, DB pool ${API_POOL_SIZE}`)),
      ],
    ));
    console.log();
    console.log(markdownTable(['ratio', 'value'], [
      ['HTTP req/s ÷ bare execute ops/s (both at concurrency ' + clients + ')', `${fmt(httpRate / perS(bareConc), 2)}×`],
      ['HTTP req/s (' + clients + ' clients) ÷ bare execute ops/s (sequential)', `${fmt(httpRate / perS(rows[0].r), 2)}×`],
      ['bare execute ops/s ÷ service-only ops/s (concurrency ' + clients + ')', `${fmt(perS(bareConc) / perS(rows[3].r), 2)}×`],
      ['HTTP p50 ÷ bare execute p50 (concurrency ' + clients + ')', `${fmt(httpP50 / bareP50, 2)}×`],
    ]));
    console.log(`\nAPI child RSS at the end of the load: ${fmt(c1.rss / 2 ** 20)} MB. Bare execute reuses one parsed and validated document ` +
      `(Apollo caches parsed/validated documents too), builds a fresh context per operation and skips HTTP, JSON, auth, the cost plugin and metrics.`);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the product-list statement:\n${plan.map((p) => `    ${p['QUERY PLAN']}`).join('\n')}`);
    for (const [name, r] of [['HTTP', http], ...rows.map((x) => [x.name, x.r] as const)] as const) {
      if (r.errorSamples.length) console.log(`\n${name} error samples:\n  ${r.errorSamples.join('\n  ')}`);
    }
    return failed ? 1 : 0;
  } finally {
    await child?.kill();
    await run.close();
  }
}

/** The first answer must be a real page: 50 products, some sold in the trailing 90 days, both head and tail. */
async function checkFirstResponse(url: string, headers: Record<string, string>, body: string) {
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  const json = await res.json() as { data?: { products: { nodes: Array<{ unitsSold90d: number; isLongTail: boolean }> } }; errors?: unknown[] };
  const nodes = json.data?.products.nodes ?? [];
  if (res.status !== 200 || json.errors || nodes.length !== 50) throw new Error(`unexpected first response (${res.status}): ${JSON.stringify(json).slice(0, 500)}`);
  if (!nodes.some((n) => n.unitsSold90d > 0)) throw new Error('no product on the first page sold anything in 90 days: the seed is too thin');
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
