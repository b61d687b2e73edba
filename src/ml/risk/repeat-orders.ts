// One account ordering the same product again and again within hours — the single-account form of
// order brushing (fake sales to lift a product's rank). Genuine repeat buyers put several units in
// one order or come back days later; a run of separate small orders inside a day is the signal.
import { riskScore, type OrderLines, type RiskFlag } from './types';

export interface RepeatOrderOptions {
  /** Window in which the orders must fall. Default 24 hours. */
  windowMs?: number;
  /** Separate orders of the same product by one account within the window. Default 6. */
  minOrders?: number;
  /** Lines with more units than this are not "small" orders. Default 2. */
  maxUnitsPerOrder?: number;
}

export function detectRepeatOrders(lines: OrderLines, opts: RepeatOrderOptions = {}): RiskFlag[] {
  const windowMs = opts.windowMs ?? 24 * 3_600_000;
  const minOrders = opts.minOrders ?? 6;
  const maxUnits = opts.maxUnitsPerOrder ?? 2;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < lines.order.length; i++) {
    if (lines.customer[i] < 0 || lines.quantity[i] > maxUnits) continue;
    const key = `${lines.customer[i]}:${lines.product[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const flags: RiskFlag[] = [];
  for (const idx of groups.values()) {
    if (idx.length < minOrders) continue;
    idx.sort((a, b) => lines.timeMs[a] - lines.timeMs[b]);
    let best: [number, number] | null = null;
    for (let lo = 0, hi = 0; hi < idx.length; hi++) {
      while (lines.timeMs[idx[hi]] - lines.timeMs[idx[lo]] > windowMs) lo++;
      if (hi - lo + 1 >= minOrders && (!best || hi - lo > best[1] - best[0])) best = [lo, hi];
    }
    if (!best) continue;
    const run = idx.slice(best[0], best[1] + 1);
    const orders = Int32Array.from(new Set(run.map((i) => lines.order[i])));
    if (orders.length < minOrders) continue;
    const hours = (lines.timeMs[run[run.length - 1]] - lines.timeMs[run[0]]) / 3_600_000;
    flags.push({
      kind: 'repeat_orders',
      score: riskScore(orders.length, minOrders),
      orders,
      customers: Int32Array.of(lines.customer[run[0]]),
      evidence: { orders: orders.length, hours: Math.round(hours * 10) / 10, product: lines.product[run[0]], unitPrice: lines.unitPrice[run[0]] },
      reason: `${orders.length} separate small orders of the same product by one account within ${Math.max(1, Math.round(hours))} h`,
    });
  }
  return flags;
}
