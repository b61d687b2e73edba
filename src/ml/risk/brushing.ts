// Brushing bursts: many orders of the same cheap product from brand-new accounts within a short window —
// the signature of fake orders placed to inflate a product's sales rank or reviews (and of card testing).
//
// A line is ELIGIBLE when its unit price is at most the cheap-price threshold and its customer's account
// was at most `newAccountMs` old when the order was placed (account age from `customerCreatedMs`, or from
// the customer's first order in the log when creation is unknown). Per product, a window of `windowMs`
// slides over the eligible lines; wherever it holds at least `minAccounts` distinct accounts the lines
// are marked, and overlapping windows merge into one burst. A burst is flagged when its number of
// distinct accounts is improbable under the product's own baseline rate of eligible orders (Poisson
// tail, the rate estimated from the rest of the log with add-one smoothing): −log10 p ≥
// `minusLog10PThreshold`. That statistic is also the score's.

import { lnGamma } from '../clv/special';
import { median, quantile } from './robust';
import { distinctSorted, groupRowsByKey, maxOf, riskScore, type OrderLines, type RiskFlag } from './types';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BrushingOptions {
  /** Sliding window length. Default 2 hours. */
  windowMs?: number;
  /** Accounts at most this old at order time are new. Default 3 days. */
  newAccountMs?: number;
  /** Distinct new accounts in one window needed to consider a burst. Default 5. */
  minAccounts?: number;
  /** Absolute cheap-price threshold; default: the `cheapPriceQuantile` of all lines' unit prices. */
  cheapPrice?: number;
  /** Default 0.25. */
  cheapPriceQuantile?: number;
  /** Flag when the burst's Poisson tail probability is at most 10^−this. Default 6. */
  minusLog10PThreshold?: number;
}

/**
 * −log10 P(X ≥ k) for X ~ Poisson(μ), via the regularized lower incomplete gamma P(k, μ) in log form:
 * μ^k e^−μ / Γ(k+1) · Σ_n μ^n / ((k+1)…(k+n)).
 */
export function poissonTailMinusLog10(k: number, mu: number): number {
  if (k <= 0) return 0;
  if (!(mu > 0)) return Infinity;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 100_000; n++) {
    term *= mu / (k + n);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  const lnP = k * Math.log(mu) - mu - lnGamma(k + 1) + Math.log(sum);
  return Math.max(0, -lnP / Math.LN10);
}

export function detectBrushingBursts(lines: OrderLines, customerCreatedMs: Float64Array, opts: BrushingOptions = {}): RiskFlag[] {
  const windowMs = opts.windowMs ?? 2 * HOUR;
  const newAccountMs = opts.newAccountMs ?? 3 * DAY;
  const minAccounts = opts.minAccounts ?? 5;
  const threshold = opts.minusLog10PThreshold ?? 6;
  const n = lines.order.length;
  if (n === 0) return [];
  const cheap = opts.cheapPrice ?? quantile(lines.unitPrice, opts.cheapPriceQuantile ?? 0.25);

  const nCustomers = Math.max(customerCreatedMs.length, maxOf(lines.customer) + 1);
  const firstOrder = new Float64Array(nCustomers).fill(Infinity);
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = lines.customer[i];
    const t = lines.timeMs[i];
    if (t < firstOrder[c]) firstOrder[c] = t;
    if (t < tMin) tMin = t;
    if (t > tMax) tMax = t;
  }
  const span = Math.max(tMax - tMin, windowMs);
  const accountAge = (i: number): number => {
    const c = lines.customer[i];
    const created = c < customerCreatedMs.length && Number.isFinite(customerCreatedMs[c]) ? customerCreatedMs[c] : firstOrder[c];
    return lines.timeMs[i] - created;
  };

  const eligible: number[] = [];
  for (let i = 0; i < n; i++) if (lines.unitPrice[i] <= cheap && accountAge(i) <= newAccountMs) eligible.push(i);
  const nProducts = maxOf(lines.product) + 1;
  const byProduct = groupRowsByKey(lines.product, nProducts, eligible);
  const allByProduct = groupRowsByKey(lines.product, nProducts);
  const flags: RiskFlag[] = [];

  for (let p = 0; p < nProducts; p++) {
    const s = byProduct.start[p];
    const e = byProduct.start[p + 1];
    if (e - s < minAccounts) continue;
    const rows = byProduct.rows.subarray(s, e).slice().sort((a, b) => lines.timeMs[a] - lines.timeMs[b]);
    const m = rows.length;
    // Sliding window with a distinct-account counter; `marked` collects the index ranges that qualify.
    const inWindow = new Map<number, number>();
    const ranges: [number, number][] = [];
    let lo = 0;
    for (let hi = 0; hi < m; hi++) {
      const c = lines.customer[rows[hi]];
      inWindow.set(c, (inWindow.get(c) ?? 0) + 1);
      while (lines.timeMs[rows[hi]] - lines.timeMs[rows[lo]] > windowMs) {
        const cl = lines.customer[rows[lo]];
        const left = inWindow.get(cl)! - 1;
        if (left === 0) inWindow.delete(cl);
        else inWindow.set(cl, left);
        lo++;
      }
      if (inWindow.size >= minAccounts) {
        const last = ranges[ranges.length - 1];
        if (last && lo <= last[1]) last[1] = hi;
        else ranges.push([lo, hi]);
      }
    }
    for (const [a, b] of ranges) {
      const burstRows = rows.subarray(a, b + 1);
      const accounts = distinctSorted(lines.customer, burstRows);
      const start = lines.timeMs[burstRows[0]];
      const end = lines.timeMs[burstRows[burstRows.length - 1]];
      const duration = Math.max(end - start, windowMs);
      const baselineRate = (m - burstRows.length + 1) / span;
      const mu = baselineRate * duration;
      const stat = poissonTailMinusLog10(accounts.length, mu);
      if (stat < threshold) continue;
      // Context: all lines of the product inside the burst's time span.
      let allInSpan = 0;
      for (let k = allByProduct.start[p]; k < allByProduct.start[p + 1]; k++) {
        const t = lines.timeMs[allByProduct.rows[k]];
        if (t >= start && t <= end) allInSpan++;
      }
      const ages = Float64Array.from(burstRows, (i) => accountAge(i) / HOUR);
      const price = lines.unitPrice[burstRows[0]];
      const minutes = (end - start) / 60_000;
      flags.push({
        kind: 'brushing_burst',
        score: riskScore(stat, threshold),
        orders: distinctSorted(lines.order, burstRows),
        customers: accounts,
        evidence: {
          product: p,
          lines: burstRows.length,
          accounts: accounts.length,
          windowStartMs: start,
          windowEndMs: end,
          durationMinutes: minutes,
          unitPrice: price,
          cheapPriceThreshold: cheap,
          medianAccountAgeHours: median(ages),
          newAccountShareOfProductOrders: burstRows.length / Math.max(allInSpan, 1),
          baselineOrdersPerWindow: baselineRate * windowMs,
          minusLog10PValue: stat,
        },
        reason:
          `${accounts.length} accounts created at most ${(newAccountMs / HOUR).toFixed(0)} hours before ordering bought product #${p} ` +
          `(unit price ${price.toFixed(2)}, at or below the cheap-price threshold ${cheap.toFixed(2)}) ` +
          `within ${minutes.toFixed(0)} minutes; such orders of this product normally arrive at ` +
          `${(baselineRate * windowMs).toPrecision(2)} per ${(windowMs / 60_000).toFixed(0)} minutes (chance about 1 in 10^${stat.toFixed(0)}).`,
      });
    }
  }
  return flags.sort((x, y) => y.score - x.score);
}
