// Reads a shop written by the synthetic generator (src/generator, format in docs/data-format.md) into
// a ConversionDataset, for tests and benchmarks. It reads the files rather than importing the
// generator, so it sees exactly what a merchant's import would.
//
// Exposures are `impression` events and direct product-page `view`s (empty placement); a `view` with
// a placement is the funnel step after an impression, not a new exposure. An exposure is `engaged`
// when the shopper took at least one funnel step after it. Labels: the customer bought
// the product within `labelWindowDays` after the exposure (purchase events). Rows whose label window
// runs past the end of the data are dropped (their label is not yet known). Anonymous rows (no
// customer id) are skipped unless `includeAnonymous`, in which case their label is a purchase in the
// same session. `truth/exposures.csv` supplies truthP by event id where present (the large preset
// lists a subsample: other rows get NaN).
//
// Relies on one property of the generator's files: a session's events are contiguous in events.csv
// (used to join funnel steps to their exposure without a global map).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { columnIndex, parseIsoMs, readCsvRecords, readLines } from './csv-lines';
import { Growable } from './growable';
import { labelExposures } from './labels';
import { buildCustomerFeatures, buildProductFeatures, type TokenOptions } from './product-features';
import { DIRECT_PLACEMENT, placementCode, type ConversionDataset, type ExposureExamples } from './types';

export interface GeneratorDatasetOptions extends TokenOptions {
  /** Label window in days (default 7). */
  labelWindowDays?: number;
  /** Keep exposures of anonymous sessions (customer -1, label = purchase in the session). Default false. */
  includeAnonymous?: boolean;
  /** Keep rows whose label window extends past the data end (default false). */
  keepCensored?: boolean;
  /**
   * 'window' (default): bought within labelWindowDays after the exposure. 'session': bought in the
   * same session — exactly the event whose probability truth/exposures.csv records, so the oracle
   * AUC is then the true ceiling (window labels also count purchases that later exposures caused).
   */
  labelMode?: 'window' | 'session';
}

const DAY_MS = 86_400_000;

/**
 * Every exposure the events file holds (anonymous and censored ones too), with how far down the
 * funnel it led and whether it was bought in the same session: what analyses of the funnel itself
 * need beyond the training rows (bench:conversion-ceiling's Bayesian estimators).
 */
export interface GeneratorExposures extends Pick<ExposureExamples, 'count' | 'customer' | 'product' | 'placement' | 'position' | 'time'> {
  /** Funnel steps after the exposure: from a list view 1, click 2, add to cart 3; after a direct view click 1, add to cart 2. */
  depth: Uint8Array;
  /** Bought in the same session. */
  bought: Uint8Array;
}

/** Funnel depth an event reaches after its exposure (0 when it is no funnel step). */
function funnelDepth(type: string, direct: boolean): number {
  const list = type === 'view' ? 1 : type === 'click' ? 2 : type === 'add_to_cart' ? 3 : 0;
  return direct ? Math.max(0, list - 1) : list;
}

function eventNumber(id: string): number {
  // The generator's ids are `E<n>`; anything else gets no truth join.
  return id.charCodeAt(0) === 69 ? Number(id.slice(1)) : NaN;
}

export async function loadGeneratorDataset(dir: string, opts: GeneratorDatasetOptions = {}): Promise<ConversionDataset & {
  productIds: string[];
  customerIds: string[];
  /** Every exposure read, before rows were dropped. */
  allExposures: GeneratorExposures;
  /** For each row of `exposures`, its row in `allExposures`. */
  exposureRow: Int32Array;
}> {
  const windowMs = (opts.labelWindowDays ?? 7) * DAY_MS;

  // Products and customers.
  const productRecords = readCsvRecords(path.join(dir, 'products.csv'));
  const pc = columnIndex(productRecords[0], ['external_id', 'title', 'description', 'category', 'brand', 'price',
    'created_at', 'launched_at', 'tags'], 'products.csv');
  const productRows = productRecords.slice(1);
  const productIds = productRows.map((r) => r[pc.external_id]);
  const productIndex = new Map(productIds.map((id, i) => [id, i]));
  const products = buildProductFeatures(productRows.map((r) => ({
    category: r[pc.category], brand: r[pc.brand], price: Number(r[pc.price]), title: r[pc.title],
    description: r[pc.description], tags: r[pc.tags] ? r[pc.tags].split('|') : [],
    launchedAt: parseIsoMs(r[pc.launched_at]), createdAt: parseIsoMs(r[pc.created_at]),
  })), opts);

  const customerRecords = readCsvRecords(path.join(dir, 'customers.csv'));
  const cc = columnIndex(customerRecords[0], ['external_id', 'created_at'], 'customers.csv');
  const seg = customerRecords[0].indexOf('segment');
  const cty = customerRecords[0].indexOf('country');
  const customerRows = customerRecords.slice(1);
  const customerIds = customerRows.map((r) => r[cc.external_id]);
  const customerIndex = new Map(customerIds.map((id, i) => [id, i]));
  const customers = buildCustomerFeatures(customerRows.map((r) => ({
    segment: seg >= 0 ? r[seg] : null, country: cty >= 0 ? r[cty] : null, createdAt: parseIsoMs(r[cc.created_at]),
  })));

  // Events: exposures, their engagement, purchases.
  const ex = {
    customer: new Growable(Int32Array), product: new Growable(Int32Array), placement: new Growable(Int32Array),
    position: new Growable(Int32Array), time: new Growable(Float64Array), depth: new Growable(Uint8Array),
    sessionBuy: new Growable(Uint8Array), event: new Growable(Float64Array),
  };
  const buy = { customer: new Growable(Int32Array), product: new Growable(Int32Array), time: new Growable(Float64Array) };
  let session = '';
  const rowInSession = new Map<number, number>(); // product → exposure row of the current session
  let header: Record<string, number> | null = null;
  let maxTime = -Infinity;
  for await (const line of readLines(path.join(dir, 'events.csv'))) {
    const f = line.split(',');
    if (!header) {
      header = columnIndex(f, ['event_id', 'customer_id', 'session_id', 'product_id', 'type', 'placement', 'position', 'occurred_at'], 'events.csv');
      continue;
    }
    if (f.length < 8) continue;
    const p = productIndex.get(f[header.product_id]);
    if (p === undefined) continue;
    const s = f[header.session_id];
    if (s !== session) {
      session = s;
      rowInSession.clear();
    }
    const type = f[header.type];
    const placement = f[header.placement];
    const t = parseIsoMs(f[header.occurred_at]);
    if (t > maxTime) maxTime = t;
    const cid = f[header.customer_id];
    const c = cid === '' ? -1 : customerIndex.get(cid) ?? -2;
    if (type === 'impression' || (type === 'view' && placement === '')) {
      if (c === -2) continue;
      rowInSession.set(p, ex.customer.length);
      ex.customer.push(c);
      ex.product.push(p);
      ex.placement.push(placementCode(placement));
      ex.position.push(placement === '' ? 0 : Number(f[header.position]) || 0);
      ex.time.push(t);
      ex.depth.push(0);
      ex.sessionBuy.push(0);
      ex.event.push(eventNumber(f[header.event_id]));
    } else if (type === 'view' || type === 'click' || type === 'add_to_cart') {
      const row = rowInSession.get(p);
      if (row === undefined) continue;
      const depth = funnelDepth(type, ex.placement.get(row) === DIRECT_PLACEMENT);
      if (depth > ex.depth.get(row)) ex.depth.set(row, depth);
    } else if (type === 'purchase') {
      const row = rowInSession.get(p);
      if (row !== undefined) ex.sessionBuy.set(row, 1);
      if (c >= 0) {
        buy.customer.push(c);
        buy.product.push(p);
        buy.time.push(t);
      }
    }
  }

  // Data end: the history end the generator recorded, else the last event.
  let dataEnd = maxTime + 1;
  const worldFile = path.join(dir, 'truth', 'world.json');
  if (existsSync(worldFile)) {
    const world = JSON.parse(readFileSync(worldFile, 'utf8')) as { historyEnd?: string };
    if (world.historyEnd) dataEnd = Date.parse(world.historyEnd);
  }

  const purchaseOrder = Array.from({ length: buy.customer.length }, (_, i) => i).sort((a, b) => buy.time.get(a) - buy.time.get(b));
  const purchases = {
    count: purchaseOrder.length,
    customer: Int32Array.from(purchaseOrder, (i) => buy.customer.get(i)),
    product: Int32Array.from(purchaseOrder, (i) => buy.product.get(i)),
    time: Float64Array.from(purchaseOrder, (i) => buy.time.get(i)),
  };

  // Keep known-customer rows (and anonymous ones if asked) whose label window is observed.
  const n = ex.customer.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    if (ex.customer.get(i) < 0 && !opts.includeAnonymous) continue;
    if (!opts.keepCensored && ex.time.get(i) + windowMs > dataEnd) continue;
    keep.push(i);
  }
  const col = <T extends Int32Array | Float64Array | Uint8Array>(g: Growable<T>, Ctor: { from(a: number[], f: (i: number) => number): T }) =>
    Ctor.from(keep, (i) => g.get(i));
  const exposures: ExposureExamples = {
    count: keep.length,
    customer: col(ex.customer, Int32Array),
    product: col(ex.product, Int32Array),
    placement: col(ex.placement, Int32Array),
    position: col(ex.position, Int32Array),
    time: col(ex.time, Float64Array),
    label: new Uint8Array(keep.length),
    // Engaged: the exposure led at least one funnel step on (a view from a list, a click after a direct view).
    engaged: Uint8Array.from(keep, (i) => (ex.depth.get(i) > 0 ? 1 : 0)),
  };
  if (opts.labelMode === 'session') keep.forEach((i, k) => (exposures.label[k] = ex.sessionBuy.get(i)));
  else {
    labelExposures(exposures, purchases, windowMs);
    if (opts.includeAnonymous) {
      keep.forEach((i, k) => {
        if (ex.customer.get(i) < 0) exposures.label[k] = ex.sessionBuy.get(i);
      });
    }
  }

  // Oracle probabilities, joined by event number (both files are in event order).
  const truthFile = path.join(dir, 'truth', 'exposures.csv');
  if (existsSync(truthFile)) {
    const truthP = new Float32Array(keep.length).fill(NaN);
    let k = 0;
    let th: Record<string, number> | null = null;
    for await (const line of readLines(truthFile)) {
      const f = line.split(',');
      if (!th) {
        th = columnIndex(f, ['event_id', 'true_p_purchase'], 'truth/exposures.csv');
        continue;
      }
      const e = eventNumber(f[th.event_id]);
      while (k < keep.length && ex.event.get(keep[k]) < e) k++;
      if (k >= keep.length) break;
      if (ex.event.get(keep[k]) === e) truthP[k] = Number(f[th.true_p_purchase]);
    }
    exposures.truthP = truthP;
  }

  const allExposures: GeneratorExposures = {
    count: n, customer: ex.customer.toArray(), product: ex.product.toArray(), placement: ex.placement.toArray(),
    position: ex.position.toArray(), time: ex.time.toArray(), depth: ex.depth.toArray(), bought: ex.sessionBuy.toArray(),
  };
  return {
    products, customers, exposures, purchases, labelWindowMs: windowMs, dataEnd, productIds, customerIds,
    allExposures, exposureRow: Int32Array.from(keep),
  };
}
