// Point-in-time history features: what the shop knew about a customer, a product and the pair just
// before an exposure. Training walks exposures and purchases in time order, reading each row's
// features BEFORE observing it (no look-ahead); the state left at the end is the model's serving
// snapshot, and can be advanced with newer events (observe*).
//
// Why these: repurchase habits dominate buying (pair purchases, and before any purchase, deliberate
// visits to the product: direct landings, top search results, "buy again" slots); a shopper's
// category interests show in what they browse and view long before they buy (category lift over
// the shop-wide mix, counted on category pages, the one list a shopper picks by taste alone — a
// search may be for a habitual item); propensity shows in their buy and engagement rates; product popularity is
// exponentially decayed (half-life PRODUCT_HALF_LIFE_DAYS) so "trailing" means recent.
import { pairKey, pairOwner } from './labels';
import { PLACEMENT_HANDLES } from './types';

const DAY_MS = 86_400_000;
export const PRODUCT_HALF_LIFE_DAYS = 28;
const DECAY_PER_MS = Math.LN2 / (PRODUCT_HALF_LIFE_DAYS * DAY_MS);
const HOME = PLACEMENT_HANDLES.indexOf('home');
const CATEGORY = PLACEMENT_HANDLES.indexOf('category');
const SEARCH = PLACEMENT_HANDLES.indexOf('search');
const DIRECT = PLACEMENT_HANDLES.indexOf('');

/** Per-row history features, in this order. */
export const HISTORY_FEATURES = [
  'pair_buys_log1p', 'pair_bought', 'pair_recency', 'customer_buys_log1p', 'customer_exposures_log1p',
  'customer_buy_rate_log', 'customer_engaged_rate', 'customer_category_lift', 'customer_category_engaged_lift',
  'customer_category_buys_log1p', 'product_buys_log1p', 'product_exposures_log1p', 'product_rate_log',
  'pair_exposures_log1p', 'pair_deliberate_log1p', 'pair_home_top_log1p', 'pair_engaged_log1p',
  'product_total_rate_log', 'product_engaged_rate_log', 'product_total_exposures_log1p',
] as const;
export const NUM_HISTORY = HISTORY_FEATURES.length;

/** Counters keyed by customer, (customer, product) or (customer, category). */
export const COUNTER_NAMES = [
  'customerBuys', 'customerExposures', 'customerSelf', 'customerEngaged', 'pairBuys', 'pairLast', 'pairExposures',
  'pairDeliberate', 'pairHomeTop', 'pairEngaged', 'customerCategorySelf', 'customerCategoryEngaged', 'customerCategoryBuys',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
/** Counters keyed by the customer index alone; the others by pairKey(customer, product or category). */
export const CUSTOMER_KEYED: ReadonlySet<CounterName> = new Set<CounterName>(['customerBuys', 'customerExposures', 'customerSelf', 'customerEngaged']);

/** How many of a customer's latest engaged products feed their taste vector. */
export const RECENT_ENGAGED = 10;

/**
 * Events that say something about a shopper's taste: a product page they engaged with, and each
 * category page they chose to browse (its first slot stands for the page: one event per list).
 */
export function isTasteEvent(placement: number, position: number, engaged: number): boolean {
  return engaged > 0 || (placement === CATEGORY && position === 0);
}

/** Per-row lists of products (CSR): row r's items are products[offsets[r] .. offsets[r + 1]). */
export interface RecentItems {
  offsets: Int32Array;
  products: Int32Array;
}

/** Plain-data form of the state (for artifacts). */
export interface HistorySnapshot {
  productBuys: Float64Array;
  productExposures: Float64Array;
  productAt: Float64Array;
  /** Undecayed lifetime counts (quality shows in long-run rates; engagement is far less noisy than sales). */
  productTotals: Float64Array;
  categorySelf: Float64Array;
  categoryEngaged: Float64Array;
  counters: Record<CounterName, Map<number, number>>;
  /** Each customer's latest engaged products, oldest first (at most RECENT_ENGAGED). */
  recentEngaged: Map<number, number[]>;
}

export class HistoryState {
  // Products: decayed counts, each with the instant it was last brought forward.
  productBuys: Float64Array;
  productExposures: Float64Array;
  productAt: Float64Array;
  /** products × 3: lifetime exposures, purchases, engaged exposures. */
  productTotals: Float64Array;
  // Shop-wide category mix of self-directed exposures and of engagement (the baseline for lifts).
  categorySelf: Float64Array;
  categoryEngaged: Float64Array;
  private selfTotal = 0;
  private engagedTotal = 0;
  readonly counters: Record<CounterName, Map<number, number>>;
  recentEngaged = new Map<number, number[]>();
  private categoryOf: Int32Array;

  constructor(products: number, categoryOf: Int32Array, categories: number) {
    this.categoryOf = categoryOf;
    this.productBuys = new Float64Array(products);
    this.productExposures = new Float64Array(products);
    this.productAt = new Float64Array(products).fill(-Infinity);
    this.productTotals = new Float64Array(products * 3);
    this.categorySelf = new Float64Array(categories);
    this.categoryEngaged = new Float64Array(categories);
    this.counters = Object.fromEntries(COUNTER_NAMES.map((n) => [n, new Map<number, number>()])) as Record<CounterName, Map<number, number>>;
  }

  static fromSnapshot(s: HistorySnapshot, categoryOf: Int32Array): HistoryState {
    const h = new HistoryState(0, categoryOf, 0);
    h.productBuys = s.productBuys;
    h.productExposures = s.productExposures;
    h.productAt = s.productAt;
    h.productTotals = s.productTotals;
    h.categorySelf = s.categorySelf;
    h.categoryEngaged = s.categoryEngaged;
    h.selfTotal = s.categorySelf.reduce((a, b) => a + b, 0);
    h.engagedTotal = s.categoryEngaged.reduce((a, b) => a + b, 0);
    for (const n of COUNTER_NAMES) h.counters[n] = s.counters[n];
    h.recentEngaged = s.recentEngaged;
    return h;
  }

  snapshot(): HistorySnapshot {
    return {
      productBuys: this.productBuys, productExposures: this.productExposures, productAt: this.productAt,
      productTotals: this.productTotals, categorySelf: this.categorySelf, categoryEngaged: this.categoryEngaged,
      counters: this.counters, recentEngaged: this.recentEngaged,
    };
  }

  /** Grows the product arrays for products added after the state was built (they start at zero). */
  ensureProducts(n: number): void {
    if (n <= this.productBuys.length) return;
    const grow = (a: Float64Array, fill: number) => {
      const b = new Float64Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.productBuys = grow(this.productBuys, 0);
    this.productExposures = grow(this.productExposures, 0);
    this.productAt = grow(this.productAt, -Infinity);
    const totals = new Float64Array(n * 3);
    totals.set(this.productTotals);
    this.productTotals = totals;
  }

  setCategories(categoryOf: Int32Array): void {
    this.categoryOf = categoryOf;
  }

  private categoryOfProduct(p: number): number {
    const c = p < this.categoryOf.length ? this.categoryOf[p] : -1;
    return c < this.categorySelf.length ? c : -1;
  }

  private bringForward(p: number, t: number): void {
    const at = this.productAt[p];
    if (at === -Infinity) {
      this.productAt[p] = t;
      return;
    }
    if (t > at) {
      const f = Math.exp(-(t - at) * DECAY_PER_MS);
      this.productBuys[p] *= f;
      this.productExposures[p] *= f;
      this.productAt[p] = t;
    }
  }

  private inc(name: CounterName, key: number): void {
    const m = this.counters[name];
    m.set(key, (m.get(key) ?? 0) + 1);
  }

  private get(name: CounterName, key: number): number {
    return this.counters[name].get(key) ?? 0;
  }

  /** Records an exposure and whether it led to engagement (call after reading the row's features). */
  observeExposure(customer: number, product: number, placement: number, position: number, t: number, engaged = 0): void {
    if (product < this.productBuys.length) {
      this.bringForward(product, t);
      this.productExposures[product] += 1;
      this.productTotals[product * 3] += 1;
      if (engaged > 0) this.productTotals[product * 3 + 2] += 1;
    }
    const cat = this.categoryOfProduct(product);
    const self = placement === CATEGORY;
    if (cat >= 0 && self) {
      this.categorySelf[cat]++;
      this.selfTotal++;
    }
    if (cat >= 0 && engaged > 0) {
      this.categoryEngaged[cat]++;
      this.engagedTotal++;
    }
    if (customer < 0) return;
    this.inc('customerExposures', customer);
    const key = pairKey(customer, product);
    this.inc('pairExposures', key);
    if (placement === DIRECT || (placement === SEARCH && position === 0)) this.inc('pairDeliberate', key);
    if (placement === HOME && position <= 1) this.inc('pairHomeTop', key);
    if (self) {
      this.inc('customerSelf', customer);
      if (cat >= 0) this.inc('customerCategorySelf', pairKey(customer, cat));
    }
    if (isTasteEvent(placement, position, engaged)) {
      let recent = this.recentEngaged.get(customer);
      if (!recent) this.recentEngaged.set(customer, (recent = []));
      recent.push(product);
      if (recent.length > RECENT_ENGAGED) recent.shift();
    }
    if (engaged > 0) {
      this.inc('pairEngaged', key);
      this.inc('customerEngaged', customer);
      if (cat >= 0) this.inc('customerCategoryEngaged', pairKey(customer, cat));
    }
  }

  observePurchase(customer: number, product: number, t: number): void {
    if (product < this.productBuys.length) {
      this.bringForward(product, t);
      this.productBuys[product] += 1;
      this.productTotals[product * 3 + 1] += 1;
    }
    if (customer < 0) return;
    this.inc('customerBuys', customer);
    const key = pairKey(customer, product);
    this.inc('pairBuys', key);
    const last = this.counters.pairLast;
    last.set(key, Math.max(t, last.get(key) ?? -Infinity));
    const cat = this.categoryOfProduct(product);
    if (cat >= 0) this.inc('customerCategoryBuys', pairKey(customer, cat));
  }

  /**
   * Erases everything kept about one customer (their counters, pair counters, recent products).
   * Shop-wide aggregates (product and category totals) keep their anonymous contribution.
   */
  forgetCustomer(customer: number): void {
    this.recentEngaged.delete(customer);
    for (const name of COUNTER_NAMES) {
      const m = this.counters[name];
      if (CUSTOMER_KEYED.has(name)) {
        m.delete(customer);
        continue;
      }
      for (const key of [...m.keys()]) if (pairOwner(key) === customer) m.delete(key);
    }
  }

  /** The customer's latest engaged products (oldest first); empty for anonymous or unknown customers. */
  recent(customer: number): readonly number[] {
    return customer >= 0 ? this.recentEngaged.get(customer) ?? [] : [];
  }

  /** Smoothed log lift of a customer's share of `cat` over the shop-wide share. */
  private lift(count: number, total: number, catCount: number, shopTotal: number): number {
    const k = this.categorySelf.length;
    const base = (catCount + 1) / (shopTotal + k);
    return Math.log((count + 3 * base) / (total + 3) / base);
  }

  /** Writes the NUM_HISTORY features of (customer, product) at instant t into out[offset...]. */
  features(customer: number, product: number, t: number, out: Float32Array, offset: number): void {
    const cat = this.categoryOfProduct(product);
    let pairBuys = 0, recency = 0, custBuys = 0, custExp = 0, custEng = 0, catLift = 0, catEngLift = 0, catBuys = 0;
    let pairExp = 0, pairDel = 0, pairHome = 0, pairEng = 0;
    if (customer >= 0) {
      const key = pairKey(customer, product);
      pairBuys = this.get('pairBuys', key);
      const last = this.counters.pairLast.get(key);
      if (last !== undefined) recency = Math.exp(-Math.max(0, t - last) / (30 * DAY_MS));
      custBuys = this.get('customerBuys', customer);
      custExp = this.get('customerExposures', customer);
      custEng = this.get('customerEngaged', customer);
      if (cat >= 0) {
        const ck = pairKey(customer, cat);
        catLift = this.lift(this.get('customerCategorySelf', ck), this.get('customerSelf', customer), this.categorySelf[cat], this.selfTotal);
        catEngLift = this.lift(this.get('customerCategoryEngaged', ck), custEng, this.categoryEngaged[cat], this.engagedTotal);
        catBuys = this.get('customerCategoryBuys', ck);
      }
      pairExp = this.get('pairExposures', key);
      pairDel = this.get('pairDeliberate', key);
      pairHome = this.get('pairHomeTop', key);
      pairEng = this.get('pairEngaged', key);
    }
    let pb = 0, pe = 0, te = 0, tb = 0, tg = 0;
    if (product < this.productBuys.length) {
      const at = this.productAt[product];
      const f = at === -Infinity || t <= at ? 1 : Math.exp(-(t - at) * DECAY_PER_MS);
      pb = this.productBuys[product] * f;
      pe = this.productExposures[product] * f;
      te = this.productTotals[product * 3];
      tb = this.productTotals[product * 3 + 1];
      tg = this.productTotals[product * 3 + 2];
    }
    out[offset] = Math.log1p(pairBuys);
    out[offset + 1] = pairBuys > 0 ? 1 : 0;
    out[offset + 2] = recency;
    out[offset + 3] = Math.log1p(custBuys);
    out[offset + 4] = Math.log1p(custExp) / 4;
    out[offset + 5] = Math.log((custBuys + 0.2) / (custExp + 10)) / 4 + 1;
    out[offset + 6] = ((custEng + 0.5) / (custExp + 5)) * 5;
    out[offset + 7] = catLift;
    out[offset + 8] = catEngLift;
    out[offset + 9] = Math.log1p(catBuys);
    out[offset + 10] = Math.log1p(pb);
    out[offset + 11] = Math.log1p(pe) / 4;
    out[offset + 12] = Math.log((pb + 0.05) / (pe + 5)) / 4 + 1;
    out[offset + 13] = Math.log1p(pairExp);
    out[offset + 14] = Math.log1p(pairDel);
    out[offset + 15] = Math.log1p(pairHome);
    out[offset + 16] = Math.log1p(pairEng);
    out[offset + 17] = Math.log((tb + 0.2) / (te + 20)) / 4 + 1;
    out[offset + 18] = Math.log((tg + 1) / (te + 15)) / 2 + 1;
    out[offset + 19] = Math.log1p(te) / 4;
  }
}

/**
 * History features of every exposure row (rows × NUM_HISTORY), computed point-in-time by one pass
 * over exposures and purchases in time order (purchases must be sorted by time). Returns them with
 * the final state (as of the last event).
 */
export function computeHistoryFeatures(
  ex: { count: number; customer: Int32Array; product: Int32Array; placement: Int32Array; position: Int32Array; time: Float64Array; engaged?: Uint8Array },
  purchases: { count: number; customer: Int32Array; product: Int32Array; time: Float64Array },
  products: number, categoryOf: Int32Array, categories: number,
): { features: Float32Array; state: HistoryState; engaged: EngagedHistory } {
  const state = new HistoryState(products, categoryOf, categories);
  const out = new Float32Array(ex.count * NUM_HISTORY);
  const before = new Int32Array(ex.count);
  const tasteCount = new Map<number, number>();
  const engagedCustomer: number[] = [];
  const engagedProduct: number[] = [];
  const order = new Int32Array(ex.count);
  for (let i = 0; i < ex.count; i++) order[i] = i;
  const time = ex.time;
  order.sort((a, b) => time[a] - time[b] || a - b);
  let k = 0;
  for (let r = 0; r < ex.count; r++) {
    const i = order[r];
    const t = time[i];
    while (k < purchases.count && purchases.time[k] < t) {
      state.observePurchase(purchases.customer[k], purchases.product[k], purchases.time[k]);
      k++;
    }
    const c = ex.customer[i];
    state.features(c, ex.product[i], t, out, i * NUM_HISTORY);
    const e = ex.engaged ? ex.engaged[i] : 0;
    if (c >= 0) {
      const n = tasteCount.get(c) ?? 0;
      before[i] = n;
      if (isTasteEvent(ex.placement[i], ex.position[i], e)) {
        engagedCustomer.push(c);
        engagedProduct.push(ex.product[i]);
        tasteCount.set(c, n + 1);
      }
    }
    state.observeExposure(c, ex.product[i], ex.placement[i], ex.position[i], t, e);
  }
  for (; k < purchases.count; k++) state.observePurchase(purchases.customer[k], purchases.product[k], purchases.time[k]);
  // Per-customer chronological lists (stable counting sort keeps time order).
  let maxC = 0;
  for (const c of engagedCustomer) if (c + 1 > maxC) maxC = c + 1;
  const start = new Int32Array(maxC + 1);
  for (const c of engagedCustomer) start[c + 1]++;
  for (let c = 0; c < maxC; c++) start[c + 1] += start[c];
  const fill = start.slice(0, maxC);
  const list = new Int32Array(engagedProduct.length);
  engagedCustomer.forEach((c, j) => (list[fill[c]++] = engagedProduct[j]));
  return { features: out, state, engaged: { start, products: list, before } };
}

/**
 * Every customer's engaged products in time order (CSR by customer index), and for each exposure row
 * how many of its customer's engaged products came before it: row i's recent items are the last
 * ≤ RECENT_ENGAGED of products[start[c] .. start[c] + before[i]).
 */
export interface EngagedHistory {
  start: Int32Array;
  products: Int32Array;
  before: Int32Array;
}

/** Per-row recent engaged products for `rows` (indices into the exposures the history was built on). */
export function recentItemsForRows(h: EngagedHistory, customers: Int32Array, rows: ArrayLike<number>): RecentItems {
  const offsets = new Int32Array(rows.length + 1);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const c = customers[i];
    const n = c >= 0 && c + 1 < h.start.length ? Math.min(RECENT_ENGAGED, h.before[i]) : 0;
    offsets[k + 1] = offsets[k] + n;
  }
  const products = new Int32Array(offsets[rows.length]);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const n = offsets[k + 1] - offsets[k];
    if (n === 0) continue;
    const from = h.start[customers[i]] + h.before[i] - n;
    products.set(h.products.subarray(from, from + n), offsets[k]);
  }
  return { offsets, products };
}
