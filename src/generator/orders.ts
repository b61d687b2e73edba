// From a session's purchases to order lines: quantities (mostly 1; business customers buy more and now
// and then place wholesale-sized orders that carry a large share of units), returns (a negative line in
// the same order, at the order's time), cancellations, and the odd exactly duplicated row.
import type { Rng } from './random';
import type { World } from './types';

const CANCEL_RATE = 0.015;
const DUPLICATE_ROW_RATE = 0.006;
const WHOLESALE_ORDER_RATE = 0.12; // of business customers' orders

/** Expected units per purchased line for a shopper (segment 1 = business). Kept in step with `lineQuantity`. */
export function expectedQuantity(world: World, shopper: number): number {
  if (world.population.segment[shopper] === 1) return WHOLESALE_ORDER_RATE * 48 + (1 - WHOLESALE_ORDER_RATE) * 2.5;
  return 0.82 * 1 + 0.18 * 2.6;
}

function lineQuantity(rng: Rng, business: boolean, wholesale: boolean): number {
  if (wholesale) return 12 + rng.poisson(rng.gamma(1.2, 30)); // mean 48, heavy right tail
  if (business) return 1 + rng.poisson(1.5); // mean 2.5
  return rng.bernoulli(0.82) ? 1 : 2 + rng.poisson(0.6); // mean 1.288
}

export type OrderStatus = 'placed' | 'cancelled' | 'returned';

export interface OrderLine {
  product: number;
  quantity: number;
  unitPrice: number;
  /** Written twice (same order_id and line_no): a duplicate row the import must collapse. */
  duplicated: boolean;
}

export interface Order {
  /** -1 for a guest order (anonymous session). */
  customer: number;
  at: number;
  status: OrderStatus;
  lines: OrderLine[];
  /** Brushing episode id when planted, else ''. */
  brushing: string;
}

export interface Purchase {
  product: number;
  unitPrice: number;
}

export function roundMoney(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Builds an organic order from a session's purchases (one line per product, in purchase order). */
export function buildOrder(rng: Rng, world: World, customer: number, shopper: number, at: number,
  purchases: readonly Purchase[]): Order {
  const business = world.population.segment[shopper] === 1;
  const wholesale = business && rng.bernoulli(WHOLESALE_ORDER_RATE);
  const lines: OrderLine[] = purchases.map((p) => ({
    product: p.product,
    quantity: lineQuantity(rng, business, wholesale),
    unitPrice: p.unitPrice,
    duplicated: rng.bernoulli(DUPLICATE_ROW_RATE),
  }));
  let status: OrderStatus = 'placed';
  if (rng.bernoulli(CANCEL_RATE)) {
    status = 'cancelled';
  } else {
    let returnedAll = true;
    const sales = lines.length;
    for (let k = 0; k < sales; k++) {
      const sale = lines[k];
      const rate = world.categories[world.catalog.category[sale.product]].returnRate;
      if (!rng.bernoulli(rate)) {
        returnedAll = false;
        continue;
      }
      const back = sale.quantity <= 2 ? sale.quantity : Math.max(1, Math.round(sale.quantity * rng.uniform(0.2, 1)));
      if (back < sale.quantity) returnedAll = false;
      lines.push({ product: sale.product, quantity: -back, unitPrice: sale.unitPrice, duplicated: false });
    }
    if (returnedAll) status = 'returned';
  }
  return { customer, at, status, lines, brushing: '' };
}

/** A planted brushing order: one tiny line, full price. */
export function brushingOrder(world: World, customer: number, product: number, at: number, episode: string): Order {
  return {
    customer,
    at,
    status: 'placed',
    lines: [{ product, quantity: 1, unitPrice: world.catalog.price[product], duplicated: false }],
    brushing: episode,
  };
}
