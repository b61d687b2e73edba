// Purchase logs with planted seasonality, for tests, benchmarks and demos of the calendar model: the
// BG/NBD story (λ ~ Gamma(r, α) per day, dropout p ~ Beta(a, b) after each repeat purchase, first
// purchases uniform over an acquisition window) with the purchase rate multiplied by a calendar
// profile m(day) ≥ 0 — a non-homogeneous Poisson process drawn by thinning.

import { SeededRng } from '../../random';
import type { BgNbdParams } from '../bgnbd';
import { sampleBeta, sampleGamma } from '../simulate';
import { DAY_MS } from './features';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface SeasonalSimulationOptions {
  customers: number;
  /** BG/NBD parameters with α in days (mean base rate r/α purchases per day). */
  bgnbd: BgNbdParams;
  /** Simulation start (ms) and length in days; first purchases fall in [start, start + acquisitionDays). */
  startMs: number;
  acquisitionDays: number;
  untilDays: number;
  /** Rate multiplier on a UTC day index (days since the epoch). Default: `novDecMultiplier(2.5)`. */
  multiplier?: (day: number) => number;
  /** An upper bound of the multiplier (for thinning). Default: the maximum over the simulated days. */
  maxMultiplier?: number;
  /** Line amounts ~ Gamma(shape, shape / mean): default mean 50, shape 4. */
  meanAmount?: number;
  seed: number;
}

/** m(day) = k in November and December, 1 otherwise. */
export function novDecMultiplier(k: number): (day: number) => number {
  return (day) => (new Date(day * DAY_MS).getUTCMonth() >= 10 ? k : 1);
}

export function simulateSeasonalPurchaseLog(opts: SeasonalSimulationOptions): { customer: Int32Array; timeMs: Float64Array; amount: Float64Array } {
  const rng = new SeededRng(opts.seed);
  const mult = opts.multiplier ?? novDecMultiplier(2.5);
  const startDay = opts.startMs / DAY_MS;
  let mMax = opts.maxMultiplier ?? 0;
  if (opts.maxMultiplier === undefined) for (let d = 0; d <= opts.untilDays; d++) mMax = Math.max(mMax, mult(Math.floor(startDay + d)));
  if (!(mMax > 0)) throw new Error('the multiplier must be positive somewhere');
  const { r, alpha, a, b } = opts.bgnbd;
  const meanAmount = opts.meanAmount ?? 50;
  const customer: number[] = [];
  const timeMs: number[] = [];
  const amount: number[] = [];
  for (let c = 0; c < opts.customers; c++) {
    const lam = sampleGamma(rng, r, alpha);
    const p = sampleBeta(rng, a, b);
    let t = rng.next() * opts.acquisitionDays;
    const push = (): void => {
      customer.push(c);
      timeMs.push(opts.startMs + t * DAY_MS);
      amount.push(sampleGamma(rng, 4, 4 / meanAmount));
    };
    push();
    for (;;) {
      let u = rng.next();
      while (u === 0) u = rng.next();
      t += -Math.log(u) / (lam * mMax);
      if (t >= opts.untilDays) break;
      if (rng.next() * mMax >= mult(Math.floor(startDay + t))) continue; // thinned away
      push();
      if (rng.next() < p) break;
    }
  }
  return { customer: Int32Array.from(customer), timeMs: Float64Array.from(timeMs), amount: Float64Array.from(amount) };
}
