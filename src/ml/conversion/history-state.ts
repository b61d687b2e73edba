// Point-in-time history features: what the shop knew about a customer, a product and the pair just
// before an exposure. Training walks exposures and purchases in time order, reading each row's
// features BEFORE observing it (no look-ahead); the state left at the end is the model's serving
// snapshot, and can be advanced with newer events (observe*) or replaced per request.
//
// Product popularity is exponentially decayed (half-life PRODUCT_HALF_LIFE_DAYS), so "trailing" means
// recent; pair and customer counts are plain counts (repurchase habits last).
import { pairKey } from './labels';

const DAY_MS = 86_400_000;
export const PRODUCT_HALF_LIFE_DAYS = 28;
const DECAY_PER_MS = Math.LN2 / (PRODUCT_HALF_LIFE_DAYS * DAY_MS);
/** Placements where the shopper chose what to look at (their category interests show there). */
const SELF_DIRECTED = new Set([1, 2]); // category, search

/** Per-row history features, in this order (see HISTORY_FEATURES). */
export const HISTORY_FEATURES = [
  'pair_buys_log1p', 'pair_bought', 'pair_recency', 'customer_buys_log1p', 'customer_exposures_log1p',
  'customer_category_share', 'customer_category_buys_log1p', 'product_buys_log1p', 'product_exposures_log1p',
  'product_rate_log',
] as const;
export const NUM_HISTORY = HISTORY_FEATURES.length;

export interface HistorySnapshot {
  products: number;
  productBuys: Float64Array;
  productExposures: Float64Array;
  productAt: Float64Array;
  customerBuys: Map<number, number>;
  customerExposures: Map<number, number>;
  customerSelfExposures: Map<number, number>;
  pairBuys: Map<number, number>;
  pairLast: Map<number, number>;
  customerCategoryExposures: Map<number, number>;
  customerCategoryBuys: Map<number, number>;
}

export class HistoryState {
  // Products (decayed counts, each with the instant it was last brought forward).
  productBuys: Float64Array;
  productExposures: Float64Array;
  productAt: Float64Array;
  // Customers (anonymous -1 is never tracked).
  customerBuys = new Map<number, number>();
  customerExposures = new Map<number, number>();
  customerSelfExposures = new Map<number, number>();
  pairBuys = new Map<number, number>();
  pairLast = new Map<number, number>();
  customerCategoryExposures = new Map<number, number>();
  customerCategoryBuys = new Map<number, number>();

  private categoryOf: Int32Array;

  constructor(products: number, categoryOf: Int32Array) {
    this.categoryOf = categoryOf;
    this.productBuys = new Float64Array(products);
    this.productExposures = new Float64Array(products);
    this.productAt = new Float64Array(products).fill(-Infinity);
  }

  static fromSnapshot(s: HistorySnapshot, categoryOf: Int32Array): HistoryState {
    const h = new HistoryState(0, categoryOf);
    Object.assign(h, s);
    return h;
  }

  snapshot(): HistorySnapshot {
    const { productBuys, productExposures, productAt, customerBuys, customerExposures, customerSelfExposures, pairBuys,
      pairLast, customerCategoryExposures, customerCategoryBuys } = this;
    return { products: productBuys.length, productBuys, productExposures, productAt, customerBuys, customerExposures,
      customerSelfExposures, pairBuys, pairLast, customerCategoryExposures, customerCategoryBuys };
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
  }

  setCategories(categoryOf: Int32Array): void {
    this.categoryOf = categoryOf;
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

  private decayedAt(p: number, t: number): number {
    const at = this.productAt[p];
    return at === -Infinity || t <= at ? 1 : Math.exp(-(t - at) * DECAY_PER_MS);
  }

  observeExposure(customer: number, product: number, placement: number, t: number): void {
    if (product < this.productBuys.length) {
      this.bringForward(product, t);
      this.productExposures[product] += 1;
    }
    if (customer < 0) return;
    inc(this.customerExposures, customer, 1);
    if (SELF_DIRECTED.has(placement)) {
      inc(this.customerSelfExposures, customer, 1);
      const cat = product < this.categoryOf.length ? this.categoryOf[product] : -1;
      if (cat >= 0) inc(this.customerCategoryExposures, pairKey(customer, cat), 1);
    }
  }

  observePurchase(customer: number, product: number, t: number): void {
    if (product < this.productBuys.length) {
      this.bringForward(product, t);
      this.productBuys[product] += 1;
    }
    if (customer < 0) return;
    inc(this.customerBuys, customer, 1);
    const key = pairKey(customer, product);
    inc(this.pairBuys, key, 1);
    this.pairLast.set(key, Math.max(t, this.pairLast.get(key) ?? -Infinity));
    const cat = product < this.categoryOf.length ? this.categoryOf[product] : -1;
    if (cat >= 0) inc(this.customerCategoryBuys, pairKey(customer, cat), 1);
  }

  /** Writes the NUM_HISTORY features of (customer, product) at instant t into out[offset...]. */
  features(customer: number, product: number, t: number, out: Float32Array, offset: number, categoryOverride?: number): void {
    let pairBuys = 0, recency = 0, custBuys = 0, custExp = 0, share = 0, catBuys = 0;
    const cat = categoryOverride ?? (product < this.categoryOf.length ? this.categoryOf[product] : -1);
    if (customer >= 0) {
      const key = pairKey(customer, product);
      pairBuys = this.pairBuys.get(key) ?? 0;
      const last = this.pairLast.get(key);
      if (last !== undefined) recency = Math.exp(-Math.max(0, t - last) / (30 * DAY_MS));
      custBuys = this.customerBuys.get(customer) ?? 0;
      custExp = this.customerExposures.get(customer) ?? 0;
      const self = this.customerSelfExposures.get(customer) ?? 0;
      const cc = cat >= 0 ? this.customerCategoryExposures.get(pairKey(customer, cat)) ?? 0 : 0;
      share = (cc + 0.1) / (self + 1);
      catBuys = cat >= 0 ? this.customerCategoryBuys.get(pairKey(customer, cat)) ?? 0 : 0;
    }
    let pb = 0, pe = 0;
    if (product < this.productBuys.length) {
      const f = this.decayedAt(product, t);
      pb = this.productBuys[product] * f;
      pe = this.productExposures[product] * f;
    }
    out[offset] = Math.log1p(pairBuys);
    out[offset + 1] = pairBuys > 0 ? 1 : 0;
    out[offset + 2] = recency;
    out[offset + 3] = Math.log1p(custBuys);
    out[offset + 4] = Math.log1p(custExp) / 4;
    out[offset + 5] = share;
    out[offset + 6] = Math.log1p(catBuys);
    out[offset + 7] = Math.log1p(pb);
    out[offset + 8] = Math.log1p(pe) / 4;
    out[offset + 9] = Math.log((pb + 0.05) / (pe + 5)) / 4 + 1;
  }
}

function inc(map: Map<number, number>, key: number, by: number): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * History features of every exposure row (rows × NUM_HISTORY), computed point-in-time by one pass
 * over exposures and purchases in time order. Returns them with the final state (as of the last event).
 */
export function computeHistoryFeatures(
  ex: { count: number; customer: Int32Array; product: Int32Array; placement: Int32Array; time: Float64Array },
  purchases: { count: number; customer: Int32Array; product: Int32Array; time: Float64Array },
  products: number, categoryOf: Int32Array,
): { features: Float32Array; state: HistoryState } {
  const state = new HistoryState(products, categoryOf);
  const out = new Float32Array(ex.count * NUM_HISTORY);
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
    state.features(ex.customer[i], ex.product[i], t, out, i * NUM_HISTORY);
    state.observeExposure(ex.customer[i], ex.product[i], ex.placement[i], t);
  }
  for (; k < purchases.count; k++) state.observePurchase(purchases.customer[k], purchases.product[k], purchases.time[k]);
  return { features: out, state };
}

