// BG/NBD predictions for customers with histories (x, t_x, T) under fitted parameters (see bgnbd.ts):
// P(alive), expected purchases in the next t (conditional on each history; the 2F1 part evaluated once
// per distinct (x, T) by `expectedWhileAlive`), the probability of at least one purchase in the next t,
// and the population curve E[X(t)]. Rows whose T is not finite are not customers yet and get NaN.

import type { BgNbdParams, CustomerHistories } from './bgnbd';
import { expectedWhileAlive } from './bgnbd-expectation';
import { groupTriples } from './grouping';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

/**
 * P(alive at T | x, t_x, T) = 1 / (1 + [x > 0] · a/(b + x − 1) · ((α + T)/(α + t_x))^(r + x)).
 * NaN for rows that are not customers.
 */
export function bgnbdProbabilityAlive(params: BgNbdParams, data: CustomerHistories): Float64Array {
  const { r, alpha, a, b } = params;
  const n = data.x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = pAlive(r, alpha, a, b, data.x[i], data.tx[i], data.T[i]);
  return out;
}

function pAlive(r: number, alpha: number, a: number, b: number, x: number, tx: number, T: number): number {
  if (!Number.isFinite(T)) return NaN;
  if (x === 0) return 1;
  const lnOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return lnOdds > 0 ? Math.exp(-lnOdds) / (1 + Math.exp(-lnOdds)) : 1 / (1 + Math.exp(lnOdds));
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] for each customer (eq. 10 of the paper), with
 * the 2F1 part evaluated by `expectedWhileAlive` once per distinct (x, T). NaN for non-customers.
 */
export function bgnbdConditionalExpectedPurchases(params: BgNbdParams, data: CustomerHistories, t: number): Float64Array {
  return conditional(params, data, [t])[0];
}

/**
 * The same for several horizons at once (one array per horizon), sharing the grouping: the cheap way
 * to build a per-month purchase profile for CLV.
 */
export function bgnbdConditionalExpectedPurchasesAt(params: BgNbdParams, data: CustomerHistories, horizons: ArrayLike<number>): Float64Array[] {
  return conditional(params, data, horizons);
}

function conditional(params: BgNbdParams, data: CustomerHistories, horizons: ArrayLike<number>): Float64Array[] {
  const { r, alpha, a, b } = params;
  const n = data.x.length;
  const zeros = new Float64Array(n);
  const g = groupTriples(data.x, zeros, data.T);
  const perGroup = horizons.length > 0 ? Array.from(horizons, () => new Float64Array(g.count)) : [];
  for (let j = 0; j < g.count; j++) {
    const x = g.x[j];
    for (let h = 0; h < horizons.length; h++) perGroup[h][j] = expectedWhileAlive(r + x, a, b + x, horizons[h] / (alpha + g.T[j]));
  }
  const out = perGroup.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const gi = g.groupOf[i];
    if (gi < 0) {
      for (const o of out) o[i] = NaN;
      continue;
    }
    const pa = pAlive(r, alpha, a, b, data.x[i], data.tx[i], data.T[i]);
    for (let h = 0; h < out.length; h++) out[h][i] = pa * perGroup[h][gi];
  }
  return out;
}

/**
 * P(at least one purchase in (T, T + t] | x, t_x, T) = P(alive) · (1 − ((α + T)/(α + T + t))^(r + x)):
 * given alive, the customer cannot drop out without first buying, so no purchase means λ produced
 * none. 1 − this is the churn-style "no purchase in the next t" probability.
 */
export function bgnbdProbabilityOfPurchase(params: BgNbdParams, data: CustomerHistories, t: number): Float64Array {
  const { r, alpha, a, b } = params;
  const n = data.x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    const T = data.T[i];
    const pa = pAlive(r, alpha, a, b, x, data.tx[i], T);
    out[i] = pa * -Math.expm1(-(r + x) * Math.log1p(t / (alpha + T)));
  }
  return out;
}

/** E[X(t)]: expected repeat purchases of a new customer in the first t units after their first purchase. */
export function bgnbdExpectedPurchases(params: BgNbdParams, t: number): number {
  return expectedWhileAlive(params.r, params.a, params.b, t / params.alpha);
}

/** The population mean of the dropout probability and of the purchase rate, for reports. */
export function bgnbdPopulationSummary(params: BgNbdParams): { meanPurchaseRate: number; meanDropoutProbability: number } {
  return { meanPurchaseRate: params.r / params.alpha, meanDropoutProbability: params.a / (params.a + params.b) };
}
