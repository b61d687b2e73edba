// Setup for bench/predict.bench.ts: a generated shop imported for one merchant, a conversion model
// trained and promoted through the job system (BullMQ worker on the train queue, in this process,
// running the same handler `npm run worker` runs), and the request workload drawn from the shop.
import { performance } from 'node:perf_hooks';
import type { Config } from '../src/config/config';
import type { Database } from '../src/db/database';
import { toGlobalId } from '../src/graphql/global-id';
import type { RedisHandle } from '../src/infra/redis';
import { logger } from '../src/logger';
import { SeededRng } from '../src/ml/random';
import { importDirectory } from '../src/modules/imports/import-directory';
import type { Services } from '../src/services';
import { handlers } from '../workers/handlers';
import { startWorkers } from '../workers/worker-runtime';
import { fmt } from './lib/stats';

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

export async function importShop(db: Database, services: Services, merchantId: number, dir: string): Promise<string> {
  const t = performance.now();
  const counts = (await importDirectory(db, merchantId, dir)).map((r) => `${fmt(r.rowsWritten)} ${r.kind}`);
  await services.catalog.refreshProductStats(merchantId);
  return `${counts.join(', ')} in ${fmt((performance.now() - t) / 1000, 1)} s`;
}

/** Trains through trainConversionModel's job (enqueued, picked up by a real worker) and waits for it. */
export async function trainAndPromote(deps: { db: Database; redis: RedisHandle; config: Config; services: Services }, merchantId: number, maxEpochs: number): Promise<string> {
  const log = logger.child({ bench: 'predict' });
  const workers = await startWorkers({ ...deps, handlers, log, queues: ['train'] });
  const t = performance.now();
  try {
    const started = await deps.services.conversion.startTraining(merchantId, { force: false, labelWindowDays: 7, historyDays: 365, maxEpochs });
    if (!started.job) throw new Error(started.userErrors.map((e) => e.message).join('; '));
    let lastMessage = '';
    for (;;) {
      const job = await deps.db.prisma.job.findUniqueOrThrow({ where: { id: started.job.id } });
      if (job.message && job.message !== lastMessage) { lastMessage = job.message; console.log(`  train: ${(job.progress * 100).toFixed(0)}% ${job.message}`); }
      if (FINAL.has(job.state)) {
        if (job.state !== 'COMPLETED') throw new Error(`training ended ${job.state}: ${job.error}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await workers.close();
  }
  const active = await deps.services.models.active(merchantId, 'CONVERSION');
  if (!active) throw new Error('training completed but no conversion model is active');
  const m = active.metrics as { primary?: { value: number }; evaluation?: { popularity: { auc: number } }; trainingData?: { exposures: number } } | null;
  return `version ${active.version} ${active.status} on ${active.backend}, held-out AUC ${m?.primary?.value.toFixed(3)} ` +
    `(popularity ${m?.evaluation?.popularity.auc.toFixed(3)}), ${fmt(m?.trainingData?.exposures ?? NaN)} exposures, trained in ${fmt((performance.now() - t) / 1000, 1)} s`;
}

export interface PredictVars { c: string; p: string[]; pl?: string }

/**
 * Request variables: random customers of the shop, random `n`-product subsets of its catalogue (no
 * repeats within a request), and a placement drawn from the generator's list when `placements` is given.
 * Seeded, so two runs send the same requests.
 */
export async function workload(db: Database, merchantId: number, opts: { requests: number; products: number; seed: number }) {
  const customerIds = (await db.sql.query<{ id: number }>(`SELECT id FROM "Customer" WHERE "merchantId" = $1 ORDER BY id`, [merchantId])).map((r) => r.id);
  const productIds = (await db.sql.query<{ id: number }>(`SELECT id FROM "Product" WHERE "merchantId" = $1 ORDER BY id`, [merchantId])).map((r) => r.id);
  if (productIds.length < opts.products) throw new Error(`the shop has ${productIds.length} products, fewer than ${opts.products}`);
  const rng = new SeededRng(opts.seed);
  const subset = (): string[] => {
    // Partial Fisher–Yates over a copy: the first n of a random permutation.
    const a = productIds.slice();
    for (let i = 0; i < opts.products; i++) {
      const j = i + rng.int(a.length - i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, opts.products).map((id) => toGlobalId('Product', id));
  };
  const customer = () => toGlobalId('Customer', customerIds[rng.int(customerIds.length)]);
  return {
    customers: customerIds.length,
    products: productIds.length,
    predict(placements: readonly string[] | null): PredictVars[] {
      return Array.from({ length: opts.requests }, () => ({ c: customer(), p: subset(), ...(placements ? { pl: placements[rng.int(placements.length)] } : {}) }));
    },
    recommendationVars(): Array<{ c: string }> {
      return Array.from({ length: opts.requests }, () => ({ c: customer() }));
    },
  };
}
