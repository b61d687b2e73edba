// Quantity outliers: order lines whose quantity is far above what the product is usually bought in,
// by a robust z-score on the log scale (quantities are heavy-tailed: a wholesale order of 40 is a
// different kind of event from a single unit, but 3 instead of 1 is not):
//   z = (ln q − median ln q) / max(1.4826 · MAD(ln q), minLogScale)
// with the median and MAD per product (Iglewicz & Hoaglin's modified z-score). Products with fewer than
// `minProductLines` lines use the statistics of all lines pooled. The floor on the scale matters: for a
// product nearly always bought one at a time the MAD is 0, and the default floor ln 2 then flags
// quantities ≥ 2^3.5 ≈ 11× the median at the default threshold 3.5. Only the high side is flagged.

import { MAD_TO_SIGMA, mad, median } from './robust';
import { groupRowsByKey, maxOf, riskScore, type OrderLines, type RiskFlag } from './types';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface QuantityOutlierOptions {
  /** Robust z at or above which a line is flagged. Default 3.5. */
  threshold?: number;
  /** Lines a product needs for its own median/MAD; fewer use the pooled statistics. Default 10. */
  minProductLines?: number;
  /** Floor of the log-scale spread. Default ln 2. */
  minLogScale?: number;
}

export function detectQuantityOutliers(lines: Pick<OrderLines, 'order' | 'customer' | 'product' | 'quantity'>, opts: QuantityOutlierOptions = {}): RiskFlag[] {
  const threshold = opts.threshold ?? 3.5;
  const minLines = opts.minProductLines ?? 10;
  const floor = opts.minLogScale ?? Math.LN2;
  const n = lines.order.length;
  if (n === 0) return [];
  const logQ = new Float64Array(n);
  const valid: number[] = [];
  for (let i = 0; i < n; i++) {
    const q = lines.quantity[i];
    logQ[i] = q > 0 ? Math.log(q) : NaN;
    if (q > 0) valid.push(i);
  }
  const pooled = Float64Array.from(valid, (i) => logQ[i]);
  const pooledMedian = median(pooled);
  const pooledScale = Math.max(MAD_TO_SIGMA * mad(pooled, pooledMedian), floor);
  const nProducts = maxOf(lines.product) + 1;
  const byProduct = groupRowsByKey(lines.product, nProducts, valid);
  const flags: RiskFlag[] = [];
  for (let p = 0; p < nProducts; p++) {
    const s = byProduct.start[p];
    const e = byProduct.start[p + 1];
    if (s === e) continue;
    const rows = byProduct.rows.subarray(s, e);
    const own = e - s >= minLines;
    let center = pooledMedian;
    let scale = pooledScale;
    if (own) {
      const v = Float64Array.from(rows, (i) => logQ[i]);
      center = median(v);
      scale = Math.max(MAD_TO_SIGMA * mad(v, center), floor);
    }
    for (const i of rows) {
      const z = (logQ[i] - center) / scale;
      if (z < threshold) continue;
      const q = lines.quantity[i];
      const typical = Math.exp(center);
      flags.push({
        kind: 'quantity_outlier',
        score: riskScore(z, threshold),
        orders: Int32Array.of(lines.order[i]),
        customers: Int32Array.of(lines.customer[i]),
        evidence: {
          product: p,
          quantity: q,
          typicalQuantity: typical,
          ratioToTypical: q / typical,
          robustZ: z,
          logScale: scale,
          productLines: e - s,
          usedPooledStatistics: own ? 0 : 1,
        },
        reason:
          `Quantity ${q} of product #${p} is ${(q / typical).toFixed(1)}× the ${own ? "product's" : "shop's"} typical ${typical.toPrecision(3)} ` +
          `(robust z ${z.toFixed(1)} on the log scale over ${own ? e - s : valid.length} lines).`,
      });
    }
  }
  return flags.sort((x, y) => y.score - x.score);
}
