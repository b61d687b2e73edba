// Many accounts sharing an attribute: the same shipping address, e-mail or phone hash, device or payment
// fingerprint behind several accounts — multi-accounting to abuse new-customer offers, or a brushing
// ring. The caller passes one integer key per customer (−1 for unknown) and says what it is; groups of
// at least `minAccounts` accounts are flagged (households share an address, so the default is 5).
// The statistic (and score) is the group size, doubled when the accounts were all created within
// `createdWithinMs` of each other (a batch of sign-ups is more suspicious than a family over years).

import { groupRowsByKey, maxOf, riskScore, type RiskFlag } from './types';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface SharedAttributeOptions {
  /** What the key is, for the reason text (e.g. "shipping address"). Default "attribute". */
  label?: string;
  /** Default 5. */
  minAccounts?: number;
  /** Account creation times, to measure how tightly the group was created. */
  customerCreatedMs?: Float64Array;
  /** Default 7 days. */
  createdWithinMs?: number;
  /** Orders' customers, to report the group's orders. */
  orderCustomer?: Int32Array;
}

export function detectSharedAttributes(attributeKey: Int32Array, opts: SharedAttributeOptions = {}): RiskFlag[] {
  const label = opts.label ?? 'attribute';
  const minAccounts = opts.minAccounts ?? 5;
  const within = opts.createdWithinMs ?? 7 * 86_400_000;
  const known: number[] = [];
  for (let c = 0; c < attributeKey.length; c++) if (attributeKey[c] >= 0) known.push(c);
  if (known.length === 0) return [];
  // Keys can be large hashes: compact them first.
  const compact = new Map<number, number>();
  const keyIdx = new Int32Array(attributeKey.length);
  for (const c of known) {
    let g = compact.get(attributeKey[c]);
    if (g === undefined) {
      g = compact.size;
      compact.set(attributeKey[c], g);
    }
    keyIdx[c] = g;
  }
  const groups = groupRowsByKey(keyIdx, compact.size, known);
  let ordersByCustomer: { start: Int32Array; rows: Int32Array } | undefined;
  if (opts.orderCustomer) {
    const nC = Math.max(attributeKey.length, maxOf(opts.orderCustomer) + 1);
    ordersByCustomer = groupRowsByKey(opts.orderCustomer, nC);
  }
  const keys = Array.from(compact.keys());
  const flags: RiskFlag[] = [];
  for (let g = 0; g < compact.size; g++) {
    const members = groups.rows.subarray(groups.start[g], groups.start[g + 1]);
    if (members.length < minAccounts) continue;
    const customers = Int32Array.from(members).sort();
    let spanDays = NaN;
    if (opts.customerCreatedMs) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const c of customers) {
        const t = opts.customerCreatedMs[c];
        if (!Number.isFinite(t)) continue;
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
      }
      if (hi >= lo) spanDays = (hi - lo) / 86_400_000;
    }
    const batch = spanDays * 86_400_000 <= within;
    const stat = customers.length * (batch ? 2 : 1);
    const orders: number[] = [];
    if (ordersByCustomer) {
      for (const c of customers) for (let k = ordersByCustomer.start[c]; k < ordersByCustomer.start[c + 1]; k++) orders.push(ordersByCustomer.rows[k]);
    }
    flags.push({
      kind: 'shared_attribute',
      score: riskScore(stat, minAccounts),
      orders: Int32Array.from(orders).sort(),
      customers,
      evidence: {
        attributeKey: keys[g],
        accounts: customers.length,
        createdSpanDays: spanDays,
        createdAsBatch: batch ? 1 : 0,
        orders: orders.length,
      },
      reason:
        `${customers.length} accounts share one ${label}` +
        (Number.isFinite(spanDays) ? `, created ${batch ? 'within' : 'over'} ${spanDays < 1 ? `${(spanDays * 24).toFixed(1)} hours` : `${spanDays.toFixed(0)} days`}` : '') +
        (ordersByCustomer ? `, with ${orders.length} orders between them.` : '.'),
    });
  }
  return flags.sort((x, y) => y.score - x.score);
}
