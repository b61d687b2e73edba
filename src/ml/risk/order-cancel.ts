// Rapid order/cancel cycles: a customer who repeatedly places orders and cancels them within minutes —
// stock hoarding, price or coupon probing, or card testing. A QUICK CANCEL is an order cancelled at most
// `quickCancelMs` after it was placed; a customer is flagged when some window of `windowMs` holds at
// least `minCycles` quick cancels (all quick cancels in the merged qualifying windows are reported).
// The statistic (and score) is the largest number of quick cancels in one window.

import { median } from './robust';
import { groupRowsByKey, maxOf, riskScore, type RiskFlag } from './types';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface Orders {
  customer: Int32Array;
  placedMs: Float64Array;
  /** When the order was cancelled; NaN when it was not. */
  cancelledMs: Float64Array;
}

export interface OrderCancelOptions {
  /** Default 30 minutes. */
  quickCancelMs?: number;
  /** Default 7 days. */
  windowMs?: number;
  /** Default 3. */
  minCycles?: number;
}

export function detectOrderCancelCycles(orders: Orders, opts: OrderCancelOptions = {}): RiskFlag[] {
  const quick = opts.quickCancelMs ?? 30 * 60_000;
  const windowMs = opts.windowMs ?? 7 * 86_400_000;
  const minCycles = opts.minCycles ?? 3;
  const n = orders.customer.length;
  if (n === 0) return [];
  const nCustomers = maxOf(orders.customer) + 1;
  const all = groupRowsByKey(orders.customer, nCustomers);
  const quickRows: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = orders.cancelledMs[i] - orders.placedMs[i];
    if (d >= 0 && d <= quick) quickRows.push(i);
  }
  const byCustomer = groupRowsByKey(orders.customer, nCustomers, quickRows);
  const flags: RiskFlag[] = [];
  for (let c = 0; c < nCustomers; c++) {
    const s = byCustomer.start[c];
    const e = byCustomer.start[c + 1];
    if (e - s < minCycles) continue;
    const rows = byCustomer.rows.subarray(s, e).slice().sort((a, b) => orders.placedMs[a] - orders.placedMs[b]);
    let best = 0;
    let lo = 0;
    const flagged = new Set<number>();
    for (let hi = 0; hi < rows.length; hi++) {
      while (orders.placedMs[rows[hi]] - orders.placedMs[rows[lo]] > windowMs) lo++;
      const count = hi - lo + 1;
      if (count > best) best = count;
      if (count >= minCycles) for (let k = lo; k <= hi; k++) flagged.add(rows[k]);
    }
    if (best < minCycles) continue;
    const ids = Int32Array.from(flagged).sort();
    const minutes = Float64Array.from(ids, (i) => (orders.cancelledMs[i] - orders.placedMs[i]) / 60_000);
    let cancelled = 0;
    for (let k = all.start[c]; k < all.start[c + 1]; k++) if (Number.isFinite(orders.cancelledMs[all.rows[k]])) cancelled++;
    const total = all.start[c + 1] - all.start[c];
    const medianMinutes = median(minutes);
    flags.push({
      kind: 'order_cancel_cycle',
      score: riskScore(best, minCycles),
      orders: ids,
      customers: Int32Array.of(c),
      evidence: {
        quickCancelsInWindow: best,
        quickCancelsFlagged: ids.length,
        windowDays: windowMs / 86_400_000,
        medianMinutesToCancel: medianMinutes,
        customerOrders: total,
        customerCancelRate: cancelled / total,
        firstOrderMs: orders.placedMs[ids[0]],
        lastOrderMs: orders.placedMs[ids[ids.length - 1]],
      },
      reason:
        `Customer #${c} cancelled ${best} orders within ${Math.round(quick / 60_000)} minutes of placing them inside ` +
        `${(windowMs / 86_400_000).toFixed(0)} days (median ${medianMinutes.toFixed(0)} minutes to cancel; ` +
        `${cancelled} of their ${total} orders cancelled).`,
    });
  }
  return flags.sort((x, y) => y.score - x.score);
}
