// generateShop: writes a synthetic shop in the import format (docs/data-format.md) plus the truth
// files that score models against the best achievable. Everything is streamed; the only state that
// grows with size is the world itself (catalogue and shoppers), never the events.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HISTORY_DAYS, HISTORY_END_MS, HISTORY_START_MS } from './calendar';
import { CsvWriter, csvField, formatDate, formatTimestamp } from './csv-writer';
import { CUSTOMER_TRUTH_HEADER, writeCustomerTruth } from './customer-truth';
import { customerId } from './ids';
import { actualLaunchOptions, trueLaunchDemand } from './launch-demand';
import { Simulation, type SimulationCounts } from './simulate';
import type { ShopSize } from './sizes';
import { LAUNCH_WINDOW_WEEKS, type World } from './types';
import { COUNTRIES, SEGMENTS } from './vocabulary';
import { buildWorld } from './world';

export const PRODUCT_HEADER = ['external_id', 'title', 'description', 'category', 'brand', 'price', 'cost', 'stock',
  'created_at', 'launched_at', 'tags'] as const;
export const CUSTOMER_HEADER = ['external_id', 'created_at', 'country', 'segment'] as const;
export const ORDER_HEADER = ['order_id', 'line_no', 'customer_id', 'product_id', 'quantity', 'unit_price', 'ordered_at',
  'status'] as const;
export const EVENT_HEADER = ['event_id', 'customer_id', 'session_id', 'product_id', 'type', 'placement', 'position',
  'occurred_at'] as const;
export const EXPOSURE_HEADER = ['event_id', 'customer_id', 'session_id', 'product_id', 'placement', 'position',
  'occurred_at', 'true_p_purchase'] as const;
export const ANOMALY_HEADER = ['episode_id', 'kind', 'order_id', 'customer_id', 'product_id', 'ordered_at'] as const;
export const LAUNCH_HEADER = ['product_id', 'launched_at', 'price', 'discount', 'promo_weeks', 'weekly_impressions',
  'weeks_observed', ...Array.from({ length: LAUNCH_WINDOW_WEEKS }, (_, w) => `expected_units_w${w + 1}`)] as const;

export type GeneratePhase = 'world' | 'catalog' | 'simulate' | 'launches' | 'customers' | 'done';

export interface GenerateProgress {
  phase: GeneratePhase;
  /** Progress within the phase, 0–1. */
  fraction: number;
  /** Events written so far. */
  events: number;
}

export interface GenerateOptions {
  size: ShopSize;
  seed: number;
  outDir: string;
  onProgress?: (progress: GenerateProgress) => void;
}

export interface GenerateSummary {
  size: ShopSize;
  seed: number;
  outDir: string;
  counts: {
    products: number;
    customers: number;
    visitors: number;
    sessions: number;
    events: number;
    exposures: number;
    exposureRows: number;
    purchases: number;
    orders: number;
    orderRows: number;
    guestOrders: number;
    launches: number;
    brushingEpisodes: number;
    brushingOrders: number;
  };
  elapsedMs: number;
}

/** Shown in the files: what existed before the migration carries the migration date. */
function visibleCreatedAt(ms: number): string {
  return formatTimestamp(Math.max(ms, HISTORY_START_MS));
}

async function writeProducts(world: World, file: string): Promise<void> {
  const out = new CsvWriter(file, PRODUCT_HEADER);
  const c = world.catalog;
  for (let j = 0; j < c.count; j++) {
    out.row([
      c.externalId[j],
      csvField(c.title[j]),
      csvField(c.description[j]),
      csvField(world.categories[c.category[j]].path),
      csvField(world.brands[c.brand[j]].name),
      c.price[j].toFixed(2),
      c.cost[j].toFixed(2),
      String(c.stock[j]),
      visibleCreatedAt(c.createdAt[j]),
      c.censored[j] ? '' : formatTimestamp(c.launchedAt[j]),
      csvField(c.tags[j]),
    ].join(','));
  }
  await out.close();
}

async function writeCustomers(world: World, file: string): Promise<void> {
  const out = new CsvWriter(file, CUSTOMER_HEADER);
  const pop = world.population;
  for (let i = 0; i < pop.customers; i++) {
    out.row(`${customerId(world, i)},${visibleCreatedAt(pop.signupAt[i])},${COUNTRIES[pop.country[i]][0]},${SEGMENTS[pop.segment[i]]}`);
    if ((i & 16383) === 16383) await out.ready();
  }
  await out.close();
}

async function writeLaunches(world: World, file: string, onProgress: (f: number) => void): Promise<number> {
  const out = new CsvWriter(file, LAUNCH_HEADER);
  const c = world.catalog;
  let n = 0;
  for (let j = 0; j < c.count; j++) {
    if (c.censored[j]) continue;
    const opts = actualLaunchOptions(world, j, LAUNCH_WINDOW_WEEKS);
    const units = trueLaunchDemand(world, j, opts);
    const observed = Math.max(0, Math.min(LAUNCH_WINDOW_WEEKS, Math.floor((HISTORY_DAYS - c.launchDay[j]) / 7)));
    out.row([
      c.externalId[j], formatTimestamp(c.launchedAt[j]), c.price[j].toFixed(2), String(c.promoDiscount[j]),
      String(c.promoWeeks[j]), String(c.weeklyImpressions[j]), String(observed), ...units.map((u) => u.toFixed(4)),
    ].join(','));
    n++;
    if ((n & 255) === 0) {
      onProgress(j / c.count);
      await out.ready();
    }
  }
  await out.close();
  return n;
}

function readme(world: World): string {
  const rate = world.preset.exposureSampleRate;
  return [
    `# Truth for a synthetic Shelfwise shop (size ${world.size}, seed ${world.seed})`,
    '',
    `History ${formatDate(HISTORY_START_MS)} to ${formatDate(HISTORY_END_MS - 1)}. The shop migrated on the first day: products and customers that existed before carry that date as created_at (censored), and pre-existing products have no launched_at.`,
    '',
    rate >= 1
      ? '- exposures.csv: every exposure (list impression, or a direct product-page view with an empty placement) with the true P(purchase | shown) the simulation drew from. (session_id, product_id) is unique per exposure; a purchase event in the same session for the same product is its conversion.'
      : `- exposures.csv: a deterministic ${Math.round(rate * 100)}% subsample of exposures (by event id), to keep the file reasonable; each row is an impression or direct view with the true P(purchase | shown). (session_id, product_id) is unique per exposure.`,
    '- launches.csv: every product launched inside the history, the configuration the shop used and the true expected gross units (before returns and cancellations) for weeks 1..8 of its launch window, during which it is shown only in the new_arrivals placement. weeks_observed is how many of those weeks lie inside the data.',
    '- anomalies.csv: one row per planted order-brushing order (episode, kind single_customer|ring, order, customer, product). Brushing accounts are new customers with no other activity; their view/purchase events are not in exposures.csv.',
    '- customers.csv: true signup, visit rate (sessions/day at ordinary traffic), probability a session ends in an order, purchase rate (orders/day), dropout hazard and realised dropout time, whether alive at the end, and expected orders (purchases = transactions) and units in the 90 days after the data ends.',
    '- world.json: size, seed, date range and counts.',
    '',
    'orders.csv also contains: returns as negative-quantity lines in the same order (same ordered_at), cancelled orders, guest orders without customer_id, and a few exactly duplicated rows (same order_id and line_no).',
    '',
  ].join('\n');
}

export async function generateShop(options: GenerateOptions): Promise<GenerateSummary> {
  const started = Date.now();
  const { size, seed, outDir } = options;
  let events = 0;
  const report = (phase: GeneratePhase, fraction: number) => options.onProgress?.({ phase, fraction, events });
  mkdirSync(path.join(outDir, 'truth'), { recursive: true });

  report('world', 0);
  const world = buildWorld(size, seed);
  report('catalog', 0);
  await writeProducts(world, path.join(outDir, 'products.csv'));
  await writeCustomers(world, path.join(outDir, 'customers.csv'));

  const writers = {
    events: new CsvWriter(path.join(outDir, 'events.csv'), EVENT_HEADER),
    orders: new CsvWriter(path.join(outDir, 'orders.csv'), ORDER_HEADER),
    exposures: new CsvWriter(path.join(outDir, 'truth', 'exposures.csv'), EXPOSURE_HEADER),
    anomalies: new CsvWriter(path.join(outDir, 'truth', 'anomalies.csv'), ANOMALY_HEADER),
  };
  const sim = new Simulation(world, writers);
  const counts: SimulationCounts = await sim.run((day) => {
    events = sim.counts.events;
    if (day % 7 === 0) report('simulate', day / world.days);
  });
  const exposureRows = writers.exposures.rows;
  await Promise.all(Object.values(writers).map((w) => w.close()));

  report('launches', 0);
  const launches = await writeLaunches(world, path.join(outDir, 'truth', 'launches.csv'), (f) => report('launches', f));
  report('customers', 0);
  const customerTruth = new CsvWriter(path.join(outDir, 'truth', 'customers.csv'), CUSTOMER_TRUTH_HEADER);
  await writeCustomerTruth(world, customerTruth, (f) => report('customers', f));
  await customerTruth.close();

  const summary: GenerateSummary = {
    size,
    seed,
    outDir,
    counts: {
      products: world.catalog.count,
      customers: world.population.customers,
      visitors: world.population.visitors,
      sessions: counts.sessions,
      events: counts.events,
      exposures: counts.exposures,
      exposureRows,
      purchases: counts.purchases,
      orders: counts.orders,
      orderRows: counts.orderRows,
      guestOrders: counts.guestOrders,
      launches,
      brushingEpisodes: world.brushing.length,
      brushingOrders: counts.brushingOrders,
    },
    elapsedMs: 0,
  };
  const worldInfo = {
    size,
    seed,
    historyStart: new Date(HISTORY_START_MS).toISOString(),
    historyEnd: new Date(HISTORY_END_MS).toISOString(),
    historyDays: HISTORY_DAYS,
    exposureSampleRate: world.preset.exposureSampleRate,
    launchWindowWeeks: LAUNCH_WINDOW_WEEKS,
    launchRefImpressions: world.launchRefImpressions,
    categories: world.categories.map((c) => ({ path: c.path, priceLevel: c.priceLevel, elasticity: c.elasticity })),
    brands: world.brands.length,
    counts: { ...summary.counts, launchImpressions: counts.launchImpressions, anonymousSessions: counts.anonymousSessions },
  };
  writeFileSync(path.join(outDir, 'truth', 'world.json'), JSON.stringify(worldInfo, null, 2) + '\n');
  writeFileSync(path.join(outDir, 'truth', 'README.md'), readme(world));
  summary.elapsedMs = Date.now() - started;
  report('done', 1);
  return summary;
}
