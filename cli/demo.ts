// `npm run demo`: from nothing to a live API over a realistic shop. Embedded database (a fresh
// `<data dir>/demo` directory) unless DATABASE_URL is set; Redis as configured or a private one.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startApi } from '../src/app';
import { config } from '../src/config/config';
import { generateShop } from '../src/generator';
import type { ImportKind } from '../src/modules/imports/import.types';
import { openRuntime } from '../src/runtime';
import { stopOnSignals } from '../src/server';
import { handlers } from '../workers/handlers';
import { startWorkers } from '../workers/worker-runtime';
import { importLocalFile } from './import-file';
import { progressPrinter } from './progress';
import { demoConversion } from './demo-conversion';
import { demoCustomers } from './demo-customers';
import { demoExposure } from './demo-exposure';
import { demoLaunch } from './demo-launch';

const DEMO_SIZE = 'demo' as const;
const DEMO_SEED = 7;

export async function runDemo(opts: { serve: boolean }): Promise<number> {
  const started = Date.now();
  const base = config();
  const step = (msg: string) => console.log(`\n[${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);

  const shopDir = path.join(base.dataDir, 'shops', `${DEMO_SIZE}-${DEMO_SEED}`);
  const worldFile = path.join(shopDir, 'truth', 'world.json');
  if (existsSync(worldFile) && JSON.parse(readFileSync(worldFile, 'utf8')).seed === DEMO_SEED) {
    step(`Using the shop generated earlier in ${shopDir}`);
  } else {
    step(`Generating a synthetic shop (size ${DEMO_SIZE}, seed ${DEMO_SEED}) in ${shopDir}`);
    const summary = await generateShop({ size: DEMO_SIZE, seed: DEMO_SEED, outDir: shopDir });
    console.log(JSON.stringify(summary));
  }

  const dataDir = path.join(base.dataDir, 'demo');
  if (!base.databaseUrl) rmSync(dataDir, { recursive: true, force: true });
  step(base.databaseUrl ? 'Opening PostgreSQL (DATABASE_URL)' : `Opening an embedded PGlite database in ${dataDir}`);
  const rt = await openRuntime({ dataDir });
  const workers = await startWorkers({ ...rt, handlers });
  let api: Awaited<ReturnType<typeof startApi>> | undefined;
  const stop = async () => { await api?.stop(); await workers.close(); await rt.close(); };
  try {
    step(`Redis: ${rt.redis.private ? `private redis-server at ${rt.redis.url}` : rt.redis.url}`);
    const { merchant, key } = await rt.services.merchants.create({ name: `Demo Shop ${new Date().toISOString().slice(0, 19)}`, currency: 'USD', timeZone: 'UTC' });
    step(`Created merchant ${merchant.id} "${merchant.name}"; importing through the job system`);
    for (const kind of ['products', 'customers', 'orders', 'events'] as ImportKind[]) {
      const final = await importLocalFile(rt, merchant.id, kind, path.join(shopDir, `${kind}.csv`), progressPrinter(kind, process.stdout));
      const r = final.result as { rowsRead?: number; rowsWritten?: number; rowsFailed?: number } | null;
      if (final.state !== 'COMPLETED') throw new Error(`Import of ${kind} ended ${final.state}: ${final.error}`);
      console.log(`  ${kind}: ${r?.rowsRead} rows read, ${r?.rowsWritten} written, ${r?.rowsFailed} rejected`);
    }

    await demoConversion(rt, merchant.id);
    await demoCustomers(rt, merchant.id);
    step('Exposure plan');
    await demoExposure(rt, merchant.id);
    const launchStarted = Date.now();
    await demoLaunch(rt, merchant.id);
    console.log(`  (launch planning part: ${((Date.now() - launchStarted) / 1000).toFixed(1)} s)`);

    api = await startApi(rt, { host: rt.config.host, port: rt.config.port });
    step('Ready.');
    console.log(`\nGraphQL endpoint: ${api.url}   (subscriptions: ${api.wsUrl})`);
    console.log('API key of the demo merchant:');
    console.log(`SHELFWISE_API_KEY=${key}`);
    console.log('\nTry:');
    console.log(`curl -s ${api.url} -H "Authorization: Bearer $SHELFWISE_API_KEY" -H 'Content-Type: application/json' \\
  -d '{"query":"{ shop { name dataNow } products(first: 5, sortKey: SALES) { nodes { externalId title unitsSold90d isLongTail } } }"}'`);
    console.log(`\nRecommendations for a customer, with a long-tail share (replace <customer id> with an id from { customers(first: 3) { nodes { id } } }):`);
    console.log(`curl -s ${api.url} -H "Authorization: Bearer $SHELFWISE_API_KEY" -H 'Content-Type: application/json' \\
  -d '{"query":"{ recommendations(customerId: \\"<customer id>\\", first: 5, longTailShare: 0.4) { items { probability isLongTail product { title } } conversionCost } }"}'`);
    console.log(`\nThe approved exposure plan of the home page (activate it with activateExposurePlan, then a storefront key reads it):`);
    console.log(`curl -s ${api.url} -H "Authorization: Bearer $SHELFWISE_API_KEY" -H 'Content-Type: application/json' \\
  -d '{"query":"{ exposurePlans(first: 1) { nodes { id version status totals { expectedConversions longTailShare conversionCost } allocations(first: 5) { nodes { impressions reason product { title } } } } } }"}'`);
    console.log(`\nDemo finished its setup in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (!opts.serve) { await stop(); return 0; }
    console.log('Serving until Ctrl-C.');
    stopOnSignals(stop);
    return -1;
  } catch (err) {
    await stop();
    throw err;
  }
}
