// Recent shopper events as features of the calendar-aware count model: product views and add-to-cart
// events of each customer in the N days up to a cutoff. Many shops import orders only, or start
// sending events long after their order history begins, so every count comes with a coverage flag:
// a cutoff whose look-back window starts before the first recorded event has no event evidence, and
// its counts are 0 with the flag 0 (the model learns what "no event data" means instead of reading it
// as "no interest").
import { dayOf } from './features';
import { upperBound } from '../../sorted';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export const EVENT_VIEW = 0;
export const EVENT_CART = 1;

/** Views and add-to-cart events of known customers (customer indices as in the purchase log). */
export interface EventLog {
  customer: Int32Array;
  timeMs: Float64Array;
  /** EVENT_VIEW or EVENT_CART per event. */
  type: Uint8Array;
  /** First instant the shop recorded events from (defaults to the earliest event). */
  historyStartMs?: number;
}

/** Events grouped into per-customer ascending days, one CSR list per type. */
export interface EventIndex {
  nCustomers: number;
  /** Day index of the first recorded event (coverage starts there). */
  firstDay: number;
  start: [Int32Array, Int32Array];
  days: [Int32Array, Int32Array];
}

export function indexEvents(log: EventLog, nCustomers: number, utcOffsetMinutes = 0): EventIndex {
  const n = log.customer.length;
  let first = Infinity;
  const starts: Int32Array[] = [];
  const lists: Int32Array[] = [];
  for (const type of [EVENT_VIEW, EVENT_CART]) {
    const start = new Int32Array(nCustomers + 1);
    for (let i = 0; i < n; i++) {
      const c = log.customer[i];
      if (log.type[i] === type && c >= 0 && c < nCustomers) start[c + 1]++;
    }
    for (let c = 0; c < nCustomers; c++) start[c + 1] += start[c];
    const fill = start.slice(0, nCustomers);
    const days = new Int32Array(start[nCustomers]);
    for (let i = 0; i < n; i++) {
      const c = log.customer[i];
      if (log.type[i] !== type || c < 0 || c >= nCustomers) continue;
      const d = dayOf(log.timeMs[i], utcOffsetMinutes);
      if (d < first) first = d;
      days[fill[c]++] = d;
    }
    for (let c = 0; c < nCustomers; c++) days.subarray(start[c], start[c + 1]).sort();
    starts.push(start);
    lists.push(days);
  }
  const declared = log.historyStartMs !== undefined ? dayOf(log.historyStartMs, utcOffsetMinutes) : Infinity;
  return {
    nCustomers,
    firstDay: Math.min(first, declared),
    start: [starts[0], starts[1]],
    days: [lists[0], lists[1]],
  };
}

export interface RecentEvents {
  /** 1 when the event history covers the whole look-back window before the cutoff. */
  covered: number;
  views: Float64Array;
  carts: Float64Array;
}

/** Views and add-to-cart events per customer in (cutoff − days, cutoff]. */
export function recentEvents(index: EventIndex | null, nCustomers: number, cutoffDay: number, days: number): RecentEvents {
  const views = new Float64Array(nCustomers);
  const carts = new Float64Array(nCustomers);
  if (!index || !(index.firstDay <= cutoffDay - days + 1)) return { covered: 0, views, carts };
  for (let c = 0; c < Math.min(nCustomers, index.nCustomers); c++) {
    for (const [t, out] of [[0, views], [1, carts]] as const) {
      const s = index.start[t][c];
      const e = index.start[t][c + 1];
      if (s === e) continue;
      out[c] = upperBound(index.days[t], cutoffDay, s, e) - upperBound(index.days[t], cutoffDay - days, s, e);
    }
  }
  return { covered: 1, views, carts };
}
