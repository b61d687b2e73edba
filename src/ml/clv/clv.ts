// Customer lifetime value from the two models: expected purchases month by month (BG/NBD, conditional on
// each customer's history) × expected value per purchase (Gamma-Gamma) × margin, discounted.
//
//   CLV_i = margin · E[Z_i] · Σ_{m=1..H} (E[Y_i(m·u)] − E[Y_i((m−1)·u)]) / (1 + d)^m
//
// u is one month in the models' time unit, d the monthly discount rate; purchases in month m are
// discounted as if they all happened at its end (the convention of lifetimes' customer_lifetime_value).

import type { BgNbdParams, CustomerHistories } from './bgnbd';
import { bgnbdConditionalExpectedPurchasesAt } from './bgnbd-predict';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma';
import { unitDays, type TimeUnit } from './rfm';

/** Average Gregorian month in days. */
export const DAYS_PER_MONTH = 365.2425 / 12;

export interface ClvOptions {
  /** Whole months ahead (≥ 1). */
  horizonMonths: number;
  /** Monthly discount rate, e.g. 0.01 for ~12.7% a year. */
  monthlyDiscountRate: number;
  /** Share of revenue kept as profit (1 = value in revenue terms). */
  margin: number;
  /** The time unit the histories (and α) are in. */
  unit: TimeUnit;
}

export interface ClvResult {
  /** Discounted margin over the horizon. */
  clv: Float64Array;
  /** Undiscounted expected purchases over the horizon. */
  expectedPurchases: Float64Array;
  /** Expected value per future purchase. */
  expectedSpend: Float64Array;
}

export function customerLifetimeValue(
  bg: BgNbdParams,
  gg: GammaGammaParams,
  data: CustomerHistories & { meanSpend: ArrayLike<number> },
  opts: ClvOptions,
): ClvResult {
  const H = opts.horizonMonths;
  if (!Number.isInteger(H) || H < 1) throw new Error('horizonMonths must be a whole number ≥ 1');
  if (!(opts.monthlyDiscountRate > -1)) throw new Error('monthlyDiscountRate must be > −1');
  const month = DAYS_PER_MONTH / unitDays(opts.unit);
  const horizons = Array.from({ length: H }, (_, m) => (m + 1) * month);
  const cum = bgnbdConditionalExpectedPurchasesAt(bg, data, horizons);
  const spend = gammaGammaExpectedSpend(gg, data);
  const n = data.x.length;
  const clv = new Float64Array(n);
  const total = cum[H - 1];
  for (let i = 0; i < n; i++) {
    let prev = 0;
    let disc = 0;
    let df = 1;
    for (let m = 0; m < H; m++) {
      df /= 1 + opts.monthlyDiscountRate;
      const c = cum[m][i];
      disc += (c - prev) * df;
      prev = c;
    }
    clv[i] = opts.margin * spend[i] * disc;
  }
  return { clv, expectedPurchases: Float64Array.from(total), expectedSpend: spend };
}
