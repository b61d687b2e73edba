// The synthetic merchant generator: files in the import format, and a shop that behaves like a real
// one (long tail, repurchase, seasonality, launches, anomalies) with a hidden truth that matches what
// was simulated. Generated once at the tiny size; assertions are bands, not exact floats.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  actualLaunchOptions, ANOMALY_HEADER, buildWorld, CUSTOMER_HEADER, CUSTOMER_TRUTH_HEADER, EVENT_HEADER,
  EXPOSURE_HEADER, generateShop, LAUNCH_HEADER, ORDER_HEADER, PRODUCT_HEADER, trueLaunchDemand,
  truePurchaseProbability, type GenerateSummary, type World,
} from '../../src/generator';
import { weekdayShare } from '../../src/generator/calendar';
import { expectedQuantity } from '../../src/generator/orders';
import { expectedSessions, launchShowProbability } from '../../src/generator/traffic';

type Row = Record<string, string>;

/** RFC 4180 parser, enough for the generator's output. */
function parseCsv(text: string): { header: string[]; rows: Row[] } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const header = records[0];
  return { header, rows: records.slice(1).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? '']))) };
}

const SEED = 4;
const DAY = 86_400_000;
let root: string;
let dir: string;
let summary: GenerateSummary;
let world: World;
const files = new Map<string, { header: string[]; rows: Row[] }>();
const read = (name: string) => {
  if (!files.has(name)) files.set(name, parseCsv(readFileSync(path.join(dir, name), 'utf8')));
  return files.get(name)!;
};

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'shelfwise-generator-'));
  dir = path.join(root, 'a');
  summary = await generateShop({ size: 'tiny', seed: SEED, outDir: dir });
  world = buildWorld('tiny', SEED);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Order lines that are organic sales: positive quantity, not a planted brushing order, not a duplicate row. */
function organicSales(): Row[] {
  const brushed = new Set(read('truth/anomalies.csv').rows.map((r) => r.order_id));
  const seen = new Set<string>();
  return read('orders.csv').rows.filter((r) => {
    const key = `${r.order_id}|${r.line_no}`;
    if (seen.has(key) || brushed.has(r.order_id) || Number(r.quantity) <= 0) return false;
    seen.add(key);
    return true;
  });
}

describe('the synthetic merchant generator', () => {
  it('writes the four import files and the truth files with the documented headers', () => {
    expect(read('products.csv').header).toEqual([...PRODUCT_HEADER]);
    expect(read('customers.csv').header).toEqual([...CUSTOMER_HEADER]);
    expect(read('orders.csv').header).toEqual([...ORDER_HEADER]);
    expect(read('events.csv').header).toEqual([...EVENT_HEADER]);
    expect(read('truth/exposures.csv').header).toEqual([...EXPOSURE_HEADER]);
    expect(read('truth/launches.csv').header).toEqual([...LAUNCH_HEADER]);
    expect(read('truth/anomalies.csv').header).toEqual([...ANOMALY_HEADER]);
    expect(read('truth/customers.csv').header).toEqual([...CUSTOMER_TRUTH_HEADER]);
    expect(PRODUCT_HEADER.join(',')).toBe('external_id,title,description,category,brand,price,cost,stock,created_at,launched_at,tags');
    expect(ORDER_HEADER.join(',')).toBe('order_id,line_no,customer_id,product_id,quantity,unit_price,ordered_at,status');
    expect(EVENT_HEADER.join(',')).toBe('event_id,customer_id,session_id,product_id,type,placement,position,occurred_at');
    const info = JSON.parse(readFileSync(path.join(dir, 'truth', 'world.json'), 'utf8'));
    expect(info).toMatchObject({ size: 'tiny', seed: SEED, historyEnd: '2026-11-01T00:00:00.000Z' });
    expect(readdirSync(path.join(dir, 'truth'))).toContain('README.md');
  });

  it('lands near the size preset: about 60 products, 300 customers and 20k events', () => {
    expect(summary.counts.products).toBe(60);
    expect(summary.counts.customers).toBeGreaterThanOrEqual(300);
    expect(summary.counts.customers).toBeLessThan(330);
    expect(summary.counts.events).toBeGreaterThan(15_000);
    expect(summary.counts.events).toBeLessThan(26_000);
    expect(read('events.csv').rows).toHaveLength(summary.counts.events);
  });

  it('writes only valid references, unique event ids and ISO timestamps inside the history', () => {
    const products = new Set(read('products.csv').rows.map((r) => r.external_id));
    const customers = new Set(read('customers.csv').rows.map((r) => r.external_id));
    const events = read('events.csv').rows;
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(events.filter((e) => !products.has(e.product_id) || e.session_id === '' || !iso.test(e.occurred_at))).toEqual([]);
    expect(events.filter((e) => e.customer_id !== '' && !customers.has(e.customer_id))).toEqual([]);
    const orders = read('orders.csv').rows;
    expect(orders.filter((o) => !products.has(o.product_id) || (o.customer_id !== '' && !customers.has(o.customer_id)))).toEqual([]);
    expect(orders.filter((o) => Number(o.quantity) === 0 || Date.parse(o.ordered_at) < world.startMs)).toEqual([]);
    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual(['add_to_cart', 'click', 'impression', 'purchase', 'view']);
    const anonymous = events.filter((e) => e.customer_id === '').length / events.length;
    expect(anonymous).toBeGreaterThan(0.1);
    expect(anonymous).toBeLessThan(0.4);
  });

  it('plays funnels in order: every organic purchase follows an add-to-cart of that product in its session', () => {
    const carts = new Set(read('events.csv').rows.filter((e) => e.type === 'add_to_cart').map((e) => `${e.session_id}|${e.product_id}`));
    const brushing = new Set(read('truth/anomalies.csv').rows.map((a) => a.customer_id));
    const purchases = read('events.csv').rows.filter((e) => e.type === 'purchase' && !brushing.has(e.customer_id));
    expect(purchases.length).toBeGreaterThan(100);
    expect(purchases.filter((e) => !carts.has(`${e.session_id}|${e.product_id}`))).toEqual([]);
  });

  it('is deterministic: the same seed writes identical files and another seed different ones', async () => {
    const again = path.join(root, 'again');
    const other = path.join(root, 'other');
    await generateShop({ size: 'tiny', seed: SEED, outDir: again });
    await generateShop({ size: 'tiny', seed: SEED + 1, outDir: other });
    for (const f of ['products.csv', 'customers.csv', 'orders.csv', 'events.csv', 'truth/exposures.csv',
      'truth/launches.csv', 'truth/anomalies.csv', 'truth/customers.csv', 'truth/world.json']) {
      expect(readFileSync(path.join(again, f)).equals(readFileSync(path.join(dir, f)))).toBe(true);
    }
    for (const f of ['products.csv', 'orders.csv', 'events.csv']) {
      expect(readFileSync(path.join(other, f)).equals(readFileSync(path.join(dir, f)))).toBe(false);
    }
  });

  it('has a real long tail: a fifth of the products sells most units and many sell almost nothing', () => {
    const units = new Map(read('products.csv').rows.map((p) => [p.external_id, 0]));
    for (const l of organicSales()) units.set(l.product_id, units.get(l.product_id)! + Number(l.quantity));
    const sorted = [...units.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const head = sorted.slice(0, Math.ceil(sorted.length * 0.2)).reduce((a, b) => a + b, 0);
    expect(head / total).toBeGreaterThan(0.6);
    expect(sorted.filter((u) => u <= 2).length / sorted.length).toBeGreaterThanOrEqual(0.3);
  });

  it('makes repurchase of items bought before a large share of purchase lines', () => {
    const bought = new Set<string>();
    let repeat = 0;
    let lines = 0;
    let order = '';
    let pending: string[] = [];
    for (const l of organicSales()) {
      if (l.order_id !== order) {
        pending.forEach((k) => bought.add(k));
        pending = [];
        order = l.order_id;
      }
      if (!l.customer_id) continue;
      const key = `${l.customer_id}|${l.product_id}`;
      lines++;
      if (bought.has(key)) repeat++;
      pending.push(key);
    }
    expect(lines).toBeGreaterThan(200);
    expect(repeat / lines).toBeGreaterThanOrEqual(0.3);
    expect(repeat / lines).toBeLessThan(0.8);
  });

  it('sells more per day in November and December than in the summer', () => {
    const perDay = (from: string, to: string) =>
      organicSales().filter((l) => l.ordered_at >= from && l.ordered_at < to).length /
      ((Date.parse(to) - Date.parse(from)) / DAY);
    expect(perDay('2025-11-01', '2026-01-01')).toBeGreaterThan(1.2 * perDay('2026-06-01', '2026-09-01'));
  });

  it('converts exposures as their true purchase probability says: top decile far above the bottom', () => {
    const purchased = new Set(read('events.csv').rows.filter((e) => e.type === 'purchase').map((e) => `${e.session_id}|${e.product_id}`));
    const exposures = read('truth/exposures.csv').rows
      .map((x) => ({ p: Number(x.true_p_purchase), y: purchased.has(`${x.session_id}|${x.product_id}`) ? 1 : 0 }))
      .sort((a, b) => a.p - b.p);
    const decile = (k: number) => exposures.slice(Math.floor((k * exposures.length) / 10), Math.floor(((k + 1) * exposures.length) / 10));
    const rate = (xs: { y: number }[]) => xs.reduce((s, x) => s + x.y, 0) / xs.length;
    expect(rate(decile(9))).toBeGreaterThan(0.1);
    expect(rate(decile(9))).toBeGreaterThan(10 * rate(decile(0)) + 0.05);
    expect(rate(decile(5))).toBeGreaterThan(rate(decile(1)));
    // Calibrated overall: observed conversions match the sum of true probabilities.
    const expected = exposures.reduce((s, x) => s + x.p, 0);
    const observed = exposures.reduce((s, x) => s + x.y, 0);
    expect(observed / expected).toBeGreaterThan(0.85);
    expect(observed / expected).toBeLessThan(1.15);
  });

  it('records in the exposure truth exactly the probability truePurchaseProbability computes', () => {
    const productIndex = new Map(world.catalog.externalId.map((id, j) => [id, j]));
    const rows = read('truth/exposures.csv').rows.filter((x) => x.customer_id !== '');
    for (const x of rows.filter((_, k) => k % 97 === 0)) {
      const p = truePurchaseProbability(world, Number(x.customer_id.slice(1)) - 1, productIndex.get(x.product_id)!, {
        placement: x.placement,
        position: x.position === '' ? 0 : Number(x.position),
        at: new Date(x.occurred_at),
      });
      expect(p).toBeCloseTo(Number(x.true_p_purchase), 4);
    }
  });

  it('makes trueLaunchDemand fall with price and rise, with diminishing returns, with exposure and promotion', () => {
    const launches = read('truth/launches.csv').rows;
    expect(launches.length).toBeGreaterThan(5);
    const j = world.catalog.externalId.indexOf(launches[0].product_id);
    const base = actualLaunchOptions(world, j, 8);
    const total = (o: Partial<typeof base>) => trueLaunchDemand(world, j, { ...base, ...o }).reduce((a, b) => a + b, 0);
    const price = base.price;
    expect(total({ price: price * 0.7 })).toBeGreaterThan(total({ price }));
    expect(total({ price })).toBeGreaterThan(total({ price: price * 1.4 }));
    const i1 = world.launchRefImpressions;
    const [u1, u2, u4] = [total({ weeklyImpressions: i1 }), total({ weeklyImpressions: 2 * i1 }), total({ weeklyImpressions: 4 * i1 })];
    expect(u2).toBeGreaterThan(u1);
    expect(u4).toBeGreaterThan(u2);
    expect(u4 - u2).toBeLessThan(2 * (u2 - u1)); // concave: each impression adds less
    expect(u2).toBeLessThan(2 * u1);
    expect(total({ discount: 0.2, promoWeeks: 4 })).toBeGreaterThan(total({ discount: 0, promoWeeks: 0 }));
    const weeks = trueLaunchDemand(world, j, base);
    expect(weeks).toHaveLength(8);
    expect(weeks.every((u) => u >= 0)).toBe(true);
  });

  it('makes trueLaunchDemand respond to season, quality and category for hypothetical products', () => {
    const category = world.categories[0].path;
    const opts = { price: world.categories[0].priceLevel, discount: 0, promoWeeks: 0, weeklyImpressions: world.launchRefImpressions, weeks: 4 };
    const total = (spec: { quality?: number }, date: string) =>
      trueLaunchDemand(world, { category, ...spec }, { ...opts, launchDate: new Date(date) }).reduce((a, b) => a + b, 0);
    expect(total({}, '2025-11-20')).toBeGreaterThan(total({}, '2026-07-01'));
    expect(total({ quality: 1 }, '2026-03-01')).toBeGreaterThan(total({ quality: -1 }, '2026-03-01'));
    expect(() => trueLaunchDemand(world, { category: 'No > Such' }, { ...opts, launchDate: new Date('2026-03-01') })).toThrow();
  });

  it('agrees with what the simulation did: launch impressions and expected units match the truth', () => {
    const launches = read('truth/launches.csv').rows.filter((l) => l.weeks_observed === '8');
    const index = new Map(world.catalog.externalId.map((id, j) => [id, j]));
    let budget = 0;
    for (const l of launches) {
      const j = index.get(l.product_id)!;
      for (let d = world.catalog.launchDay[j]; d < world.catalog.launchDay[j] + 56; d++) {
        budget += launchShowProbability(world, Number(l.weekly_impressions), weekdayShare(d), d) * expectedSessions(world, d);
      }
    }
    const ids = new Set(launches.map((l) => l.product_id));
    const shown = read('truth/exposures.csv').rows.filter((x) => x.placement === 'new_arrivals' && ids.has(x.product_id));
    expect(shown.length / budget).toBeGreaterThan(0.9);
    expect(shown.length / budget).toBeLessThan(1.1);
    // Expected units of the impressions actually shown (true p × the viewer's expected quantity) against
    // the truth file: equal up to which shoppers happened to be shown the launches.
    const expectedShown = shown.reduce((s, x) => {
      const qty = x.customer_id === '' ? expectedQuantity(world, world.population.customers) : expectedQuantity(world, Number(x.customer_id.slice(1)) - 1);
      return s + Number(x.true_p_purchase) * qty;
    }, 0);
    const truth = launches.reduce((s, l) => s + [1, 2, 3, 4, 5, 6, 7, 8].reduce((a, w) => a + Number(l[`expected_units_w${w}`]), 0), 0);
    expect(expectedShown / truth).toBeGreaterThan(0.75);
    expect(expectedShown / truth).toBeLessThan(1.3);
  });

  it('plants order-brushing episodes that are visible in orders.csv', () => {
    const anomalies = read('truth/anomalies.csv').rows;
    expect(new Set(anomalies.map((a) => a.kind))).toEqual(new Set(['single_customer', 'ring']));
    const orders = new Map(read('orders.csv').rows.map((o) => [o.order_id, o]));
    const created = new Map(read('customers.csv').rows.map((c) => [c.external_id, Date.parse(c.created_at)]));
    for (const a of anomalies) {
      const o = orders.get(a.order_id)!;
      expect(o).toMatchObject({ customer_id: a.customer_id, product_id: a.product_id, quantity: '1' });
      expect(Date.parse(o.ordered_at) - created.get(a.customer_id)!).toBeLessThan(7 * DAY);
    }
    for (const id of new Set(anomalies.map((a) => a.episode_id))) {
      const episode = anomalies.filter((a) => a.episode_id === id);
      expect(episode.length).toBeGreaterThanOrEqual(8);
      expect(new Set(episode.map((a) => a.product_id)).size).toBe(1);
      const times = episode.map((a) => Date.parse(a.ordered_at));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(3 * DAY);
    }
  });

  it('keeps returns, cancellations, guest orders and duplicate rows as a real export does', () => {
    const rows = read('orders.csv').rows;
    const byOrder = new Map<string, Row[]>();
    for (const r of rows) byOrder.set(r.order_id, [...(byOrder.get(r.order_id) ?? []), r]);
    const returns = rows.filter((r) => Number(r.quantity) < 0);
    expect(returns.length).toBeGreaterThan(0);
    for (const r of returns) {
      const sale = byOrder.get(r.order_id)!.find((s) => s.product_id === r.product_id && Number(s.quantity) > 0)!;
      expect(sale).toBeDefined();
      expect(r.ordered_at).toBe(sale.ordered_at);
      expect(-Number(r.quantity)).toBeLessThanOrEqual(Number(sale.quantity));
    }
    const statuses = new Set(rows.map((r) => r.status));
    expect(statuses.has('cancelled')).toBe(true);
    const guest = [...byOrder.values()].filter((lines) => lines[0].customer_id === '').length / byOrder.size;
    expect(guest).toBeGreaterThan(0);
    expect(guest).toBeLessThan(0.1);
    const keys = rows.map((r) => `${r.order_id}|${r.line_no}`);
    expect(keys.length - new Set(keys).size).toBeGreaterThan(0);
    const multiLine = [...byOrder.values()].filter((lines) => lines.filter((l) => Number(l.quantity) > 0).length > 1).length;
    expect(multiLine / byOrder.size).toBeGreaterThan(0.1);
    const sales = organicSales();
    expect(sales.filter((l) => l.quantity === '1').length / sales.length).toBeGreaterThan(0.6);
    expect(Math.max(...sales.map((l) => Number(l.quantity)))).toBeGreaterThanOrEqual(12); // wholesale
  });

  it('censors what existed before the data starts', () => {
    const products = read('products.csv').rows;
    const migrated = products.filter((p) => p.launched_at === '');
    expect(migrated.length).toBeGreaterThan(products.length * 0.3);
    expect(migrated.every((p) => p.created_at === '2025-10-01T00:00:00Z')).toBe(true);
    const launchedInside = new Set(products.filter((p) => p.launched_at !== '').map((p) => p.external_id));
    expect(read('truth/launches.csv').rows.every((l) => launchedInside.has(l.product_id))).toBe(true);
    const truth = read('truth/customers.csv').rows;
    const censored = truth.filter((c) => c.censored === '1').map((c) => c.customer_id);
    const created = new Map(read('customers.csv').rows.map((c) => [c.external_id, c.created_at]));
    expect(censored.length).toBeGreaterThan(truth.length * 0.5);
    expect(censored.every((id) => created.get(id) === '2025-10-01T00:00:00Z')).toBe(true);
  });

  it('gives a customer truth in which higher true purchase rates mean more orders', () => {
    const truth = read('truth/customers.csv').rows.filter((c) => c.brushing_account === '0');
    const orders = new Map<string, Set<string>>();
    for (const l of organicSales()) if (l.customer_id) orders.set(l.customer_id, (orders.get(l.customer_id) ?? new Set()).add(l.order_id));
    const ranked = [...truth].sort((a, b) => Number(b.purchase_rate) - Number(a.purchase_rate));
    const mean = (xs: Row[]) => xs.reduce((s, c) => s + (orders.get(c.customer_id)?.size ?? 0), 0) / xs.length;
    expect(mean(ranked.slice(0, ranked.length / 4))).toBeGreaterThan(3 * mean(ranked.slice(ranked.length / 2)));
    for (const c of truth) {
      if (c.alive_at_end === '0') expect(Number(c.expected_purchases_90d)).toBe(0);
      else expect(c.dropout_at).toBe('');
    }
    expect(truth.filter((c) => Number(c.expected_purchases_90d) > 0).length).toBeGreaterThan(truth.length * 0.2);
  });
});
