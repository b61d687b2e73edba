// Purchase logs drawn from the BG/NBD and Gamma-Gamma generative stories, for benchmarks, parameter
// recovery checks and demos. Each customer makes a first purchase at a random instant of an acquisition
// window, buys at Poisson rate λ ~ Gamma(r, α) while alive, and after each REPEAT purchase drops out
// with probability p ~ Beta(a, b); each transaction's value is Gamma(p_s, ν) with ν ~ Gamma(q, γ).
// Rates are per `unit`; times come out as ms instants from `startMs`.
// Two purchases that land on the same calendar day merge in `rfmSummary` (the distinct-days convention),
// which the continuous-time model does not know about. Merges concentrate in the heaviest buyers, so even
// at one purchase per 80 days on average they shift a fit on day-level summaries by a few percent (α up,
// a down); `exactHistories` summarises the same log in continuous time for checks that need the model's
// own data.

import { SeededRng, sampleBeta, sampleGamma } from '../random';
import type { BgNbdParams } from './bgnbd';
import type { GammaGammaParams } from './gamma-gamma';
import { unitDays, type TimeUnit } from './rfm';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export { sampleBeta, sampleGamma };

export interface SimulationOptions {
  customers: number;
  bgnbd: BgNbdParams;
  /** Spend model; amounts are 0 without it. */
  gammaGamma?: GammaGammaParams;
  unit: TimeUnit;
  /** First purchases fall uniformly in [startMs, startMs + acquisitionUnits). */
  startMs: number;
  acquisitionUnits: number;
  /** Simulate purchases up to startMs + untilUnits (calibration plus any holdout). */
  untilUnits: number;
  seed: number;
}

export interface SimulatedLog {
  customer: Int32Array;
  timeMs: Float64Array;
  amount: Float64Array;
  /** Per customer: drawn λ, p, and whether still alive at the end of the simulation. */
  lambda: Float64Array;
  dropout: Float64Array;
  aliveAtEnd: Uint8Array;
}

export function simulatePurchaseLog(opts: SimulationOptions): SimulatedLog {
  const rng = new SeededRng(opts.seed);
  const { r, alpha, a, b } = opts.bgnbd;
  const unitMs = unitDays(opts.unit) * 86_400_000;
  const n = opts.customers;
  let cap = Math.max(16, Math.ceil(n * 4));
  let customer = new Int32Array(cap);
  let timeMs = new Float64Array(cap);
  let amount = new Float64Array(cap);
  let len = 0;
  const push = (c: number, t: number, v: number): void => {
    if (len === cap) {
      cap *= 2;
      const c2 = new Int32Array(cap);
      c2.set(customer);
      customer = c2;
      const t2 = new Float64Array(cap);
      t2.set(timeMs);
      timeMs = t2;
      const a2 = new Float64Array(cap);
      a2.set(amount);
      amount = a2;
    }
    customer[len] = c;
    timeMs[len] = t;
    amount[len] = v;
    len++;
  };
  const lambda = new Float64Array(n);
  const dropout = new Float64Array(n);
  const aliveAtEnd = new Uint8Array(n);
  const gg = opts.gammaGamma;
  for (let c = 0; c < n; c++) {
    const lam = sampleGamma(rng, r, alpha);
    const p = sampleBeta(rng, a, b);
    const nu = gg ? sampleGamma(rng, gg.q, gg.gamma) : 0;
    const value = (): number => (gg ? sampleGamma(rng, gg.p, nu) : 0);
    lambda[c] = lam;
    dropout[c] = p;
    let t = rng.next() * opts.acquisitionUnits;
    push(c, opts.startMs + t * unitMs, value());
    let alive = true;
    for (;;) {
      let u = rng.next();
      while (u === 0) u = rng.next();
      t += -Math.log(u) / lam;
      if (t >= opts.untilUnits) break;
      push(c, opts.startMs + t * unitMs, value());
      if (rng.next() < p) {
        alive = false;
        break;
      }
    }
    aliveAtEnd[c] = alive ? 1 : 0;
  }
  return { customer: customer.slice(0, len), timeMs: timeMs.slice(0, len), amount: amount.slice(0, len), lambda, dropout, aliveAtEnd };
}

export interface ExactHistories {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Purchases in [calibration end, holdout end). */
  holdoutPurchases: Float64Array;
}

/**
 * (x, t_x, T) in continuous time, every purchase counted (no same-day merging): the data the BG/NBD
 * likelihood describes exactly. Calibration is [first purchase, calibrationEndMs); T is NaN for customers
 * whose first purchase is later.
 */
export function exactHistories(
  log: { customer: Int32Array; timeMs: Float64Array },
  nCustomers: number,
  calibrationEndMs: number,
  holdoutEndMs: number,
  unit: TimeUnit,
): ExactHistories {
  const unitMs = unitDays(unit) * 86_400_000;
  const first = new Float64Array(nCustomers).fill(Infinity);
  const last = new Float64Array(nCustomers).fill(-Infinity);
  const count = new Float64Array(nCustomers);
  const holdoutPurchases = new Float64Array(nCustomers);
  for (let i = 0; i < log.customer.length; i++) {
    const c = log.customer[i];
    const t = log.timeMs[i];
    if (t >= calibrationEndMs) {
      if (t < holdoutEndMs) holdoutPurchases[c]++;
      continue;
    }
    count[c]++;
    if (t < first[c]) first[c] = t;
    if (t > last[c]) last[c] = t;
  }
  const x = new Float64Array(nCustomers);
  const tx = new Float64Array(nCustomers);
  const T = new Float64Array(nCustomers).fill(NaN);
  for (let c = 0; c < nCustomers; c++) {
    if (count[c] === 0) continue;
    x[c] = count[c] - 1;
    tx[c] = (last[c] - first[c]) / unitMs;
    T[c] = (calibrationEndMs - first[c]) / unitMs;
  }
  return { x, tx, T, holdoutPurchases };
}
