// Online conversion-prediction latency (npm run bench:predict). Prints figures; it is not a test.
// The goal under test (issue 3): conversionPredictions for 100 products, p99 ≤ 20 ms on one core.
//
//  1. A fresh PostgreSQL database (dropped at the end) and a random Redis prefix; a generated shop
//     (--size, default `demo`: 1,000 products, 8,000 customers, ~400k events; cached in
//     .data/bench-shops/) imported for one merchant; a conversion model trained and promoted through
//     the trainConversionModel job, run by a real BullMQ worker in this process.
//  2. The real API (bench/api-server.ts) in a child process, pinned to the last core with `taskset`
//     when it exists; this process (the load generator) is then pinned to the other cores, so the
//     two never share a core (the database, Redis and other jobs on the machine still may).
//  3. Over HTTP with the admin key: conversionPredictions for random customers × random 100-product
//     subsets, without and with a placement, and recommendations(first: 20) — each sequentially
//     (one client, warm-up then --requests measured) and in a closed loop at --concurrency levels.
//  4. In this process (pinned to the API's core meanwhile): the same operations through graphql's bare
//     `execute`, the service call alone and scoreCustomer alone, to split HTTP + Apollo, GraphQL,
//     the service's SQL and the model's own time.
//
// Flags / env: --size (BENCH_SIZE, demo), --seed (1), --requests (BENCH_REQUESTS, 2000), --warmup
// (requests, 300), --duration s per closed-loop run (BENCH_DURATION, 8), --concurrency (1,4,16),
// --max-epochs (6); BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of the API process there.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { DocumentNode, execute, parse, validate } from 'graphql';
import type { GraphQLContext } from '../src/graphql/context';
import { intFromGlobalId } from '../src/graphql/global-id';
import { createLoaders } from '../src/graphql/loaders';
import { buildAppSchema } from '../src/graphql/schema';
import { logger } from '../src/logger';
import { merchantNow } from '../src/modules/catalog/data-clock';
import { RecommendationMode } from '../src/modules/conversion/conversion.types';
import { flag, numberFlag } from './lib/args';
import { startApiChild, type ApiChild } from './lib/api-child';
import { openBenchServices } from './lib/bench-services';
import { BENCH_REDIS_URL } from './lib/bench-db';
import { closedLoop } from './lib/closed-loop';
import { busyShare, sampleMachineCpu } from './lib/cpu';
import { ensureShop } from './lib/ensure-shop';
import { httpPoster } from './lib/http-post';
import { fmt, markdownTable, mb, ms, percentile, sortedCopy } from './lib/stats';
import { importShop, PredictVars, trainAndPromote, workload } from './predict-setup';

const PREDICT = `query($c: ID!, $p: [ID!]!, $pl: String) { conversionPredictions(customerId: $c, productIds: $p, placement: $pl) {
  modelVersionId coldStartCustomer predictions { probability fromContentOnly } } }`;
// The same with each product's id and title, which costs a batched product lookup (DataLoader).
const PREDICT_PRODUCTS = PREDICT.replace('predictions { probability fromContentOnly }', 'predictions { probability fromContentOnly product { id title } }');
const RECOMMEND = `query($c: ID!) { recommendations(customerId: $c, first: 20) {
  items { probability isLongTail purchasedBefore product { id title } } expectedConversions modelVersionId } }`;
/** Handles the generator writes (and the model learned), '' = direct visit excluded. */
const PLACEMENTS = ['home', 'category', 'search', 'pdp_recs', 'new_arrivals'] as const;
const PRODUCTS_PER_CALL = 100;

interface Row { path: string; query: string; conc: number; lat: number[]; seconds: number; errors: number; samples: string[]; cpuMsPerReq?: number }

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/** Whether a response body is a full, error-free answer of the kind asked. */
function okBody(kind: 'predict' | 'recommend', text: string): string | null {
  const j = JSON.parse(text) as { data?: Record<string, { predictions?: Array<{ probability: number }>; items?: unknown[] }>; errors?: Array<{ message: string }> };
  if (j.errors?.length) return `GraphQL error: ${j.errors.map((e) => e.message).join('; ')}`;
  if (kind === 'predict') {
    const p = j.data?.conversionPredictions?.predictions ?? [];
    if (p.length !== PRODUCTS_PER_CALL || !p.every((x) => x.probability > 0 && x.probability < 1)) return `bad predictions: ${text.slice(0, 200)}`;
  } else if ((j.data?.recommendations?.items ?? []).length !== 20) return `bad recommendations: ${text.slice(0, 200)}`;
  return null;
}

async function sequential(op: (i: number) => Promise<void>, warmup: number, n: number) {
  const lat: number[] = [];
  let errors = 0;
  const samples: string[] = [];
  const t0 = performance.now();
  for (let i = 0; i < warmup + n; i++) {
    const start = performance.now();
    try {
      await op(i);
      if (i >= warmup) lat.push(performance.now() - start);
    } catch (err) {
      errors++;
      if (samples.length < 5) samples.push(String((err as Error).message).slice(0, 300));
    }
  }
  return { lat, errors, samples, seconds: (performance.now() - t0) / 1000 };
}

function pin(pid: number, cpus: string): boolean {
  try { execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' }); return true; } catch { return false; }
}

async function main(): Promise<number> {
  const size = flag('size') ?? process.env.BENCH_SIZE ?? 'demo';
  const seed = numberFlag('seed', undefined, 1);
  const requests = numberFlag('requests', process.env.BENCH_REQUESTS, 2000);
  const warmup = numberFlag('warmup', undefined, 300);
  const durationS = numberFlag('duration', process.env.BENCH_DURATION, 8);
  const concurrencies = (flag('concurrency') ?? '1,4,16').split(',').map(Number);
  const maxEpochs = numberFlag('max-epochs', undefined, 6);
  logger.level = 'silent';

  const { dir, generated } = await ensureShop(size, seed);
  const run = await openBenchServices('predict');
  const { bench, redis, prefix, config, services } = run;
  let child: ApiChild | undefined;
  let failed = false;
  const cores = os.cpus().length;
  const hasTaskset = (() => { try { execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }); return true; } catch { return false; } })();
  const apiCore = String(cores - 1);
  const otherCores = cores > 1 ? `0-${cores - 2}` : '0';
  try {
    console.log(`# Conversion prediction latency\n`);
    console.log(`database ${bench.name} · redis prefix ${prefix} · node ${process.version} · ${cores} cores · load average ${loadavg()} at start`);
    console.log(`shop: ${size} (seed ${seed}) from ${dir}${generated ? ' (generated now)' : ''}`);
    const { merchant, key } = await services.merchants.create({ name: 'bench-predict' });
    console.log(`imported ${await importShop(bench.db, services, merchant.id, dir)}`);
    console.log(`model: ${await trainAndPromote({ db: bench.db, redis, config, services }, merchant.id, maxEpochs)}`);
    const w = await workload(bench.db, merchant.id, { requests: warmup + requests, products: PRODUCTS_PER_CALL, seed: 42 });
    const plain = w.predict(null);
    const placed = w.predict(PLACEMENTS);
    const recs = w.recommendationVars();
    const body = (query: string, v: object) => JSON.stringify({ query, variables: v });

    // ---- HTTP: the real API in a child process, on its own core ----
    child = await startApiChild({ databaseUrl: bench.url, redisUrl: BENCH_REDIS_URL, queuePrefix: prefix, core: hasTaskset ? apiCore : null });
    const api = child;
    const { url } = api;
    const usageOfChild = api.usage;
    const selfPinned = hasTaskset && cores > 1 && pin(process.pid, otherCores);
    console.log(`API child pid ${api.pid} at ${url}; ` + (hasTaskset
      ? `pinned to core ${apiCore} (taskset -c ${apiCore}); load generator ${selfPinned ? `pinned to core(s) ${otherCores}` : 'not pinned'}`
      : 'taskset not found: neither process is pinned'));
    const afterStart = await usageOfChild();
    console.log(`API RSS after start (model not loaded yet): ${mb(afterStart.rss)}`);

    const poster = httpPoster(url, { authorization: `Bearer ${key}` }, Math.max(...concurrencies));
    const httpOp = (kind: 'predict' | 'recommend', query: string, vars: object[]) => {
      const bodies = vars.map((v) => body(query, v));
      let next = 0;
      return async (i?: number) => {
        const r = await poster.post(bodies[(i ?? next++) % bodies.length]);
        if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
        const bad = okBody(kind, r.body);
        if (bad) throw new Error(bad);
      };
    };
    // First answers decide whether the rest is worth measuring (and load the model into the API).
    const t = performance.now();
    await httpOp('predict', PREDICT, plain)(0);
    const firstMs = performance.now() - t;
    const first = JSON.parse((await poster.post(body(PREDICT, plain[1]))).body).data.conversionPredictions;
    let cold = 0;
    for (const v of plain.slice(0, 200)) if (JSON.parse((await poster.post(body(PREDICT, v))).body).data.conversionPredictions.coldStartCustomer) cold++;
    const coldShare = cold / Math.min(200, plain.length);
    console.log(`first HTTP call (loads model ${first.modelVersionId}): ${ms(firstMs)}; ${fmt(coldShare * 100)}% of the first 200 sampled customers are cold-start for the model`);

    const rows: Row[] = [];
    const cpu0 = sampleMachineCpu();
    const c0 = await usageOfChild();
    const tHttp = performance.now();
    const seqCases = [
      ['conversionPredictions, 100 products, no placement', httpOp('predict', PREDICT, plain)],
      ['conversionPredictions, 100 products, random placement', httpOp('predict', PREDICT, placed)],
      ['conversionPredictions, 100 products, random placement, + product { id title }', httpOp('predict', PREDICT_PRODUCTS, placed)],
      ['recommendations(first: 20) + product { id title }', httpOp('recommend', RECOMMEND, recs)],
    ] as const;
    for (const [name, op] of seqCases) {
      // CPU time the API process spent per request (warm-up included): a contention-proof cost measure
      // beside the latencies, which a busy machine inflates.
      const u0 = await usageOfChild();
      const r = await sequential(op, warmup, requests);
      const u1 = await usageOfChild();
      const cpuMsPerReq = ((u1.usage.user - u0.usage.user) + (u1.usage.system - u0.usage.system)) / 1000 / (warmup + requests);
      rows.push({ path: 'HTTP', query: name, conc: 1, ...r, cpuMsPerReq });
    }
    console.log(`sequential HTTP runs done (load average ${loadavg()})`);
    const mixed = plain.map((v, i) => (i % 2 ? placed[i] : v));
    for (const conc of concurrencies) {
      for (const [name, op] of [['conversionPredictions, 100 products, half with placement', httpOp('predict', PREDICT, mixed)], ['recommendations(first: 20) + product { id title }', httpOp('recommend', RECOMMEND, recs)]] as const) {
        const r = await closedLoop(() => op(), { concurrency: conc, warmupMs: 1000, durationMs: durationS * 1000 });
        rows.push({ path: 'HTTP closed loop', query: name, conc, lat: r.latenciesMs, seconds: r.windowMs / 1000, errors: r.errors, samples: r.errorSamples });
      }
    }
    const httpWall = (performance.now() - tHttp) / 1000;
    const c1 = await usageOfChild();
    const cpu1 = sampleMachineCpu();
    const apiCpu = ((c1.usage.user - c0.usage.user) + (c1.usage.system - c0.usage.system)) / 1e6 / httpWall;
    poster.close();
    await api.stop();
    console.log(`HTTP runs done in ${fmt(httpWall)} s: API process used ${fmt(apiCpu * 100)}% of a core on average, machine ${fmt(busyShare(cpu0, cpu1) * 100)}% busy; load average ${loadavg()}`);

    // ---- in this process, on the API's core: bare execute, the service, the model ----
    if (hasTaskset && cores > 1) pin(process.pid, apiCore);
    const schema = await buildAppSchema();
    const auth = await services.merchants.authenticate(key);
    if (!auth) throw new Error('admin key does not authenticate');
    const doc = (q: string): DocumentNode => {
      const d = parse(q);
      const errs = validate(schema, d);
      if (errs.length) throw new Error(errs.map((e) => e.message).join('; '));
      return d;
    };
    const execOp = (kind: 'predict' | 'recommend', query: string, vars: object[]) => {
      const document = doc(query);
      return async (i: number) => {
        const contextValue: GraphQLContext = { auth, services, requestId: randomUUID(), loaders: createLoaders(services, auth.merchantId) };
        const r = await execute({ schema, document, contextValue, variableValues: vars[i % vars.length] as Record<string, unknown> });
        if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
        const bad = okBody(kind, JSON.stringify(r));
        if (bad) throw new Error(bad);
      };
    };
    const serviceOp = (vars: PredictVars[]) => async (i: number) => {
      const v = vars[i % vars.length];
      await services.conversion.predict(merchant.id, v.c, v.p, v.pl);
    };
    const model = await services.conversionModels.active(merchant.id);
    if (!model) throw new Error('no active model in this process');
    const now = (await merchantNow(bench.db, merchant.id)).getTime();
    // Indices resolved up front: what is left is the model's own scoring (features, towers, head, calibration).
    const scoreOp = (vars: PredictVars[]) => {
      const idx = vars.map((v) => ({
        c: model.customerIndex.get(intFromGlobalId(v.c, 'Customer')!) ?? model.model.customers.count,
        p: v.p.map((g) => model.productIndex.get(intFromGlobalId(g, 'Product')!)!), pl: v.pl,
      }));
      return async (i: number) => { const x = idx[i % idx.length]; model.model.scoreCustomer(x.c, x.p, { placement: x.pl, time: now }); };
    };
    const inProc = [
      ['bare `execute`', 'conversionPredictions, 100 products, no placement', execOp('predict', PREDICT, plain)],
      ['bare `execute`', 'conversionPredictions, 100 products, random placement', execOp('predict', PREDICT, placed)],
      ['bare `execute`', 'recommendations(first: 20) + product { id title }', execOp('recommend', RECOMMEND, recs)],
      ['service only (`ConversionService.predict`)', 'conversionPredictions, 100 products, random placement', serviceOp(placed)],
      ['service only (`ConversionService.recommend`)', 'recommendations(first: 20)', async (i: number) => {
        await services.conversion.recommend(merchant.id, recs[i % recs.length].c, 20, 0, RecommendationMode.MIXED);
      }],
      ['model only (`scoreCustomer`)', '100 products, no placement', scoreOp(plain)],
      ['model only (`scoreCustomer`)', '100 products, random placement', scoreOp(placed)],
    ] as const;
    for (const [p, name, op] of inProc) {
      const u0 = process.cpuUsage();
      const r = await sequential(op, warmup, requests);
      const u1 = process.cpuUsage(u0);
      rows.push({ path: p, query: name, conc: 1, ...r, cpuMsPerReq: (u1.user + u1.system) / 1000 / (warmup + requests) });
    }

    // ---- report ----
    console.log(`\nload average at the end ${loadavg()}\n`);
    console.log(markdownTable(
      ['path', 'query', 'concurrency', 'requests', 'req/s', 'p50', 'p90', 'p99', 'max', 'errors', 'CPU/req'],
      rows.map((r) => {
        const s = sortedCopy(r.lat);
        const rate = r.conc === 1 && !r.path.includes('loop') ? r.lat.length / (s.reduce((a, b) => a + b, 0) / 1000) : r.lat.length / r.seconds;
        return [r.path, r.query, String(r.conc), fmt(r.lat.length), fmt(rate), ms(percentile(s, 50)), ms(percentile(s, 90)), ms(percentile(s, 99)), ms(s[s.length - 1]), fmt(r.errors), r.cpuMsPerReq === undefined ? '' : ms(r.cpuMsPerReq)];
      }),
    ));
    console.log(`\nSequential rows: req/s = 1 / mean latency of the measured requests (after ${fmt(warmup)} warm-up requests). Closed-loop rows: ` +
      `${fmt(durationS)} s windows after a 1 s warm-up. Bare execute reuses one parsed, validated document per query (Apollo caches them too) ` +
      `and skips HTTP, JSON, auth, the cost plugin and metrics; in-process rows ran in this process pinned to the API's core. ` +
      `CPU/req: CPU time (user + system) of the API process (HTTP rows) or of this process (in-process rows, which includes its ` +
      `pg and Redis client work) per request, warm-up included.`);
    console.log(`API process: peak RSS ${mb(c1.maxRss)} (getrusage maxrss), RSS ${mb(c1.rss)} at the end of the HTTP runs, ${mb(afterStart.rss)} before the model was loaded.`);
    for (const r of rows) if (r.errors) { failed = true; console.log(`\n${r.path} ${r.query} (${r.conc}) error samples:\n  ${r.samples.join('\n  ')}`); }
    return failed ? 1 : 0;
  } finally {
    await child?.kill();
    await run.close();
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
