// Risk rules on a synthetic order log with planted cases and hard negatives (cases that look like the
// pattern but are legitimate), measuring precision and recall per rule.

import { detectBrushingBursts, poissonTailMinusLog10 } from '../../src/ml/risk/brushing';
import { detectOrderCancelCycles } from '../../src/ml/risk/order-cancel';
import { detectQuantityOutliers } from '../../src/ml/risk/quantity-outliers';
import { detectSharedAttributes } from '../../src/ml/risk/shared-attributes';
import type { OrderLines, RiskFlag } from '../../src/ml/risk/types';
import { SeededRng } from '../../src/ml/random';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);
const DAYS = 120;

interface Shop {
  lines: OrderLines;
  orderCustomer: Int32Array;
  placedMs: Float64Array;
  cancelledMs: Float64Array;
  createdMs: Float64Array;
  address: Int32Array;
  planted: {
    brushingOrders: Set<number>;
    brushingBursts: number[][];
    flashSaleOrders: Set<number>;
    quantityOrders: Set<number>;
    cancelCustomers: Set<number>;
    ringCustomers: Set<number>;
  };
}

function syntheticShop(seed: number): Shop {
  const rng = new SeededRng(seed);
  const nProducts = 400;
  const price = Float64Array.from({ length: nProducts }, () => Math.round(Math.exp(Math.log(20) + 0.8 * rng.normal()) * 100) / 100);
  const weight = Float64Array.from({ length: nProducts }, (_, p) => 1 / Math.pow(p + 1, 0.8));
  const cumW = new Float64Array(nProducts);
  weight.reduce((s, w, p) => (cumW[p] = s + w), 0);
  const pickProduct = (): number => {
    const u = rng.next() * cumW[nProducts - 1];
    let lo = 0;
    let hi = nProducts - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumW[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const bulk = new Set(Array.from({ length: 20 }, (_, k) => 5 + k * 19)); // products sold in variable bulk
  const byPrice = Array.from(price.keys()).sort((a, b) => price[a] - price[b]);
  const cheapProducts = byPrice.slice(0, 60).filter((p) => !bulk.has(p));

  const createdMs: number[] = [];
  const address: number[] = [];
  let nextAddress = 0;
  const newCustomer = (created: number, addr = nextAddress++): number => {
    createdMs.push(created);
    address.push(addr);
    return createdMs.length - 1;
  };
  // Established customers, some in households of 2–4 sharing an address.
  for (let c = 0; c < 4000; ) {
    const size = rng.next() < 0.12 ? 2 + rng.int(3) : 1;
    const addr = nextAddress++;
    for (let k = 0; k < size && c < 4000; k++, c++) newCustomer(T0 - rng.next() * 700 * DAY, addr);
  }
  // Organic new customers throughout the period.
  const organic: number[] = [];
  for (let c = 0; c < 1500; c++) organic.push(newCustomer(T0 + rng.next() * (DAYS - 3) * DAY));

  const line = { order: [] as number[], customer: [] as number[], product: [] as number[], time: [] as number[], qty: [] as number[], price: [] as number[] };
  const orderCustomer: number[] = [];
  const placed: number[] = [];
  const cancelled: number[] = [];
  const addOrder = (c: number, t: number, items: [number, number][], cancelAt = NaN): number => {
    const o = orderCustomer.length;
    orderCustomer.push(c);
    placed.push(t);
    cancelled.push(cancelAt);
    for (const [p, q] of items) {
      line.order.push(o);
      line.customer.push(c);
      line.product.push(p);
      line.time.push(t);
      line.qty.push(q);
      line.price.push(price[p]);
    }
    return o;
  };
  const normalQty = (p: number): number => {
    if (bulk.has(p)) return Math.max(1, Math.round(Math.exp(Math.log(4) + rng.normal())));
    const u = rng.next();
    return u < 0.8 ? 1 : u < 0.92 ? 2 : u < 0.97 ? 3 : 4 + rng.int(3);
  };
  const normalOrder = (c: number, t: number): number => {
    const items: [number, number][] = [];
    const k = 1 + (rng.next() < 0.3 ? 1 + rng.int(2) : 0);
    for (let j = 0; j < k; j++) {
      const p = pickProduct();
      items.push([p, normalQty(p)]);
    }
    // 3% of orders are cancelled, hours to days later.
    const cancelAt = rng.next() < 0.03 ? t + (1 + rng.next() * 71) * HOUR : NaN;
    return addOrder(c, t, items, cancelAt);
  };
  for (let o = 0; o < 20_000; o++) normalOrder(rng.int(4000), T0 + rng.next() * DAYS * DAY);
  for (const c of organic) {
    const orders = 1 + rng.int(3);
    for (let k = 0; k < orders; k++) normalOrder(c, Math.min(T0 + DAYS * DAY, createdMs[c] + rng.next() * 10 * DAY));
  }

  // Planted brushing: 8 bursts of 6–14 brand-new accounts buying one cheap product within 90 minutes.
  const brushingOrders = new Set<number>();
  const brushingBursts: number[][] = [];
  for (let b = 0; b < 8; b++) {
    const p = cheapProducts[rng.int(cheapProducts.length)];
    const t = T0 + (5 + rng.next() * (DAYS - 10)) * DAY;
    const k = 6 + rng.int(9);
    const burst: number[] = [];
    for (let j = 0; j < k; j++) {
      const c = newCustomer(t - rng.next() * 6 * HOUR);
      const o = addOrder(c, t + rng.next() * 90 * MIN, [[p, 1]]);
      brushingOrders.add(o);
      burst.push(o);
    }
    brushingBursts.push(burst);
  }
  // Hard negatives: a flash sale of a cheap product to 40 established customers within 2 hours; 4 new
  // accounts buying the same cheap product within an hour (a small launch promo).
  const flashSaleOrders = new Set<number>();
  const flashP = cheapProducts[0];
  const flashT = T0 + 50 * DAY;
  for (let j = 0; j < 40; j++) flashSaleOrders.add(addOrder(rng.int(4000), flashT + rng.next() * 2 * HOUR, [[flashP, 1]]));
  const promoT = T0 + 70 * DAY;
  for (let j = 0; j < 4; j++) addOrder(newCustomer(promoT - HOUR), promoT + rng.next() * HOUR, [[cheapProducts[1], 1]]);

  // Planted quantity outliers: 30 lines of ordinary (non-bulk) products at 15–60 units.
  const quantityOrders = new Set<number>();
  for (let k = 0; k < 30; k++) {
    let p = pickProduct();
    while (bulk.has(p)) p = pickProduct();
    quantityOrders.add(addOrder(rng.int(4000), T0 + rng.next() * DAYS * DAY, [[p, 15 + rng.int(46)]]));
  }

  // Planted order/cancel cycles: 6 customers placing 4–9 orders in 3 days, each cancelled within 2–20
  // minutes. Hard negatives: 25 customers with 2 quick cancels in a week.
  const cancelCustomers = new Set<number>();
  for (let k = 0; k < 6; k++) {
    const c = rng.int(4000);
    cancelCustomers.add(c);
    const t = T0 + rng.next() * (DAYS - 5) * DAY;
    const m = 4 + rng.int(6);
    for (let j = 0; j < m; j++) {
      const tj = t + rng.next() * 3 * DAY;
      addOrder(c, tj, [[pickProduct(), 1]], tj + (2 + rng.next() * 18) * MIN);
    }
  }
  for (let k = 0; k < 25; k++) {
    const c = rng.int(4000);
    if (cancelCustomers.has(c)) continue;
    const t = T0 + rng.next() * (DAYS - 8) * DAY;
    for (let j = 0; j < 2; j++) {
      const tj = t + rng.next() * 7 * DAY;
      addOrder(c, tj, [[pickProduct(), 1]], tj + rng.next() * 10 * MIN);
    }
  }

  // Planted account rings: 5 groups of 6–12 accounts sharing a shipping address, created within 2 days,
  // each placing an order. Hard negative: the households above (2–4 per address).
  const ringCustomers = new Set<number>();
  for (let g = 0; g < 5; g++) {
    const addr = nextAddress++;
    const t = T0 + rng.next() * (DAYS - 5) * DAY;
    const k = 6 + rng.int(7);
    for (let j = 0; j < k; j++) {
      const c = newCustomer(t + rng.next() * 2 * DAY, addr);
      ringCustomers.add(c);
      normalOrder(c, createdMs[c] + rng.next() * 3 * DAY);
    }
  }

  return {
    lines: {
      order: Int32Array.from(line.order),
      customer: Int32Array.from(line.customer),
      product: Int32Array.from(line.product),
      timeMs: Float64Array.from(line.time),
      quantity: Float64Array.from(line.qty),
      unitPrice: Float64Array.from(line.price),
    },
    orderCustomer: Int32Array.from(orderCustomer),
    placedMs: Float64Array.from(placed),
    cancelledMs: Float64Array.from(cancelled),
    createdMs: Float64Array.from(createdMs),
    address: Int32Array.from(address),
    planted: { brushingOrders, brushingBursts, flashSaleOrders, quantityOrders, cancelCustomers, ringCustomers },
  };
}

function precisionRecall(flagged: Set<number>, truth: Set<number>): { precision: number; recall: number } {
  let hit = 0;
  for (const v of flagged) if (truth.has(v)) hit++;
  return { precision: flagged.size ? hit / flagged.size : 1, recall: truth.size ? hit / truth.size : 1 };
}

const union = (flags: RiskFlag[], key: 'orders' | 'customers'): Set<number> => new Set(flags.flatMap((f) => Array.from(f[key])));

describe('risk rules on a synthetic shop with planted cases', () => {
  const shop = syntheticShop(7);
  const results: string[] = [];
  afterAll(() => console.log(`risk flags on the synthetic shop (${shop.lines.order.length} lines, ${shop.orderCustomer.length} orders):\n  ${results.join('\n  ')}`));

  it('finds the planted brushing bursts with precision and recall ≥ 0.9 and leaves the flash sale alone', () => {
    const flags = detectBrushingBursts(shop.lines, shop.createdMs);
    const pr = precisionRecall(union(flags, 'orders'), shop.planted.brushingOrders);
    results.push(`brushing bursts: ${flags.length} flags, order-level precision ${pr.precision.toFixed(3)}, recall ${pr.recall.toFixed(3)}`);
    expect(pr.precision).toBeGreaterThanOrEqual(0.9);
    expect(pr.recall).toBeGreaterThanOrEqual(0.9);
    const flagged = union(flags, 'orders');
    for (const burst of shop.planted.brushingBursts) expect(burst.some((o) => flagged.has(o))).toBe(true);
    for (const o of shop.planted.flashSaleOrders) expect(flagged.has(o)).toBe(false);
    for (const f of flags) {
      expect(f.score).toBeGreaterThanOrEqual(0.5);
      expect(f.evidence.accounts).toBeGreaterThanOrEqual(5);
      expect(f.reason).toMatch(/accounts created at most 72 hours before ordering bought product #\d+/);
    }
  });

  it('finds the planted quantity outliers with precision ≥ 0.9 and recall ≥ 0.95, not the bulk products’ big orders', () => {
    const flags = detectQuantityOutliers(shop.lines);
    const pr = precisionRecall(union(flags, 'orders'), shop.planted.quantityOrders);
    results.push(`quantity outliers: ${flags.length} flags, precision ${pr.precision.toFixed(3)}, recall ${pr.recall.toFixed(3)}`);
    expect(pr.precision).toBeGreaterThanOrEqual(0.9);
    expect(pr.recall).toBeGreaterThanOrEqual(0.95);
    for (const f of flags) expect(f.evidence.ratioToTypical).toBeGreaterThan(10);
  });

  it('finds the customers cycling orders and cancellations, not those with two quick cancels or slow ones', () => {
    const flags = detectOrderCancelCycles({ customer: shop.orderCustomer, placedMs: shop.placedMs, cancelledMs: shop.cancelledMs });
    const pr = precisionRecall(union(flags, 'customers'), shop.planted.cancelCustomers);
    results.push(`order/cancel cycles: ${flags.length} flags, customer-level precision ${pr.precision.toFixed(3)}, recall ${pr.recall.toFixed(3)}`);
    expect(pr.precision).toBeGreaterThanOrEqual(0.9);
    expect(pr.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the account rings behind one shipping address, not the households', () => {
    const flags = detectSharedAttributes(shop.address, { label: 'shipping address', customerCreatedMs: shop.createdMs, orderCustomer: shop.orderCustomer });
    const pr = precisionRecall(union(flags, 'customers'), shop.planted.ringCustomers);
    results.push(`shared attributes: ${flags.length} flags, customer-level precision ${pr.precision.toFixed(3)}, recall ${pr.recall.toFixed(3)}`);
    expect(pr.precision).toBeGreaterThanOrEqual(0.9);
    expect(pr.recall).toBeGreaterThanOrEqual(0.9);
    for (const f of flags) expect(f.reason).toMatch(/accounts share one shipping address, created within/);
  });
});

describe('risk rule details', () => {
  it('computes the Poisson tail probability in log form, exact against direct summation', () => {
    for (const [k, mu] of [
      [5, 0.1],
      [12, 0.02],
      [3, 2.5],
      [40, 1e-3],
    ]) {
      let p = 0;
      let term = Math.exp(-mu);
      for (let j = 0; j < 400; j++) {
        if (j >= k) p += term;
        term *= mu / (j + 1);
      }
      expect(poissonTailMinusLog10(k, mu)).toBeCloseTo(-Math.log10(p), 9);
    }
    expect(poissonTailMinusLog10(0, 1)).toBe(0);
  });

  it('reports a brushing burst with the numbers a merchant needs', () => {
    // Product 0 sells to old customers once a day for 60 days; on day 30 six accounts created that
    // morning buy it within 40 minutes.
    const rows: [number, number, number, number][] = []; // customer, product, time, price
    for (let d = 0; d < 60; d++) rows.push([d % 10, 0, T0 + d * DAY + 12 * HOUR, 1.99]);
    for (let j = 0; j < 6; j++) rows.push([100 + j, 0, T0 + 30 * DAY + (10 + j * 8) * MIN, 1.99]);
    rows.push([10, 1, T0, 50]); // a dearer product makes 1.99 cheap
    const created = new Float64Array(106).fill(T0 - 365 * DAY);
    for (let j = 0; j < 6; j++) created[100 + j] = T0 + 30 * DAY;
    const lines: OrderLines = {
      order: Int32Array.from(rows, (_, i) => i),
      customer: Int32Array.from(rows, (r) => r[0]),
      product: Int32Array.from(rows, (r) => r[1]),
      timeMs: Float64Array.from(rows, (r) => r[2]),
      quantity: new Float64Array(rows.length).fill(1),
      unitPrice: Float64Array.from(rows, (r) => r[3]),
    };
    const flags = detectBrushingBursts(lines, created, { cheapPrice: 5 });
    expect(flags).toHaveLength(1);
    const f = flags[0];
    expect(Array.from(f.customers)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(Array.from(f.orders)).toEqual([60, 61, 62, 63, 64, 65]);
    expect(f.evidence.accounts).toBe(6);
    expect(f.evidence.durationMinutes).toBe(40);
    expect(f.evidence.medianAccountAgeHours).toBeCloseTo(0.5, 9); // orders 10..50 minutes after sign-up
    expect(f.reason).toContain('6 accounts');
    expect(f.reason).toContain('within 40 minutes');
  });

  it('uses pooled statistics for products with few lines and never flags small quantities', () => {
    const n = 50;
    const lines = {
      order: Int32Array.from({ length: n + 2 }, (_, i) => i),
      customer: new Int32Array(n + 2),
      product: Int32Array.from({ length: n + 2 }, (_, i) => (i < n ? i % 5 : 9)),
      quantity: Float64Array.from({ length: n + 2 }, (_, i) => (i < n ? 1 + (i % 2) : i === n ? 60 : 3)),
    };
    const flags = detectQuantityOutliers(lines);
    expect(flags).toHaveLength(1);
    expect(flags[0].orders[0]).toBe(n);
    expect(flags[0].evidence.usedPooledStatistics).toBe(1);
  });

  it('scales to 200,000 order lines in well under a second per rule', () => {
    const big = syntheticShop(3);
    const reps = Math.ceil(200_000 / big.lines.order.length);
    const cat = <T extends Int32Array | Float64Array>(a: T, shift: (v: number, r: number) => number): T => {
      const out = new (a.constructor as { new (n: number): T })(a.length * reps);
      for (let r = 0; r < reps; r++) for (let i = 0; i < a.length; i++) out[r * a.length + i] = shift(a[i], r);
      return out;
    };
    const nOrders = big.orderCustomer.length;
    const nCust = big.createdMs.length;
    const lines: OrderLines = {
      order: cat(big.lines.order, (v, r) => v + r * nOrders),
      customer: cat(big.lines.customer, (v, r) => v + r * nCust),
      product: cat(big.lines.product, (v) => v),
      timeMs: cat(big.lines.timeMs, (v, r) => v + r * DAYS * DAY),
      quantity: cat(big.lines.quantity, (v) => v),
      unitPrice: cat(big.lines.unitPrice, (v) => v),
    };
    const created = cat(big.createdMs, (v, r) => v + r * DAYS * DAY);
    let t0 = performance.now();
    const b = detectBrushingBursts(lines, created);
    const tBrushing = performance.now() - t0;
    t0 = performance.now();
    detectQuantityOutliers(lines);
    const tQuantity = performance.now() - t0;
    expect(b.length).toBeGreaterThanOrEqual(8);
    expect(tBrushing).toBeLessThan(1500);
    expect(tQuantity).toBeLessThan(1500);
  });
});
