// The BG/NBD expected number of purchases in a window of length t for a customer who is alive at its
// start, averaged over the posterior of (λ, p). With k = r + x, β = b + x, C = a + β − 1 = a + b + x − 1
// and s = t/(α + T) (Fader, Hardie & Lee 2005, eq. 10 without the P(alive) factor):
//
//   W(k, a, β, s) = C/(a − 1) · [1 − (1 + s)^(−k) · 2F1(k, β; C; s/(1 + s))]
//                 = E_{p ~ Beta(a, β)} [ (1 − (1 + p s)^(−k)) / p ]              (the integral form)
//
// The same function gives the population curve E[X(t)] = W(r, a, b, t/α). The bracket formula cancels
// catastrophically as a → 1 (0/0 at a = 1) and for short horizons, and the 2F1 argument tends to 1 for
// long ones, so W is computed by whichever of four representations is best conditioned here:
//   P  (s ≤ 0.75) the Pfaff-transformed series, in which the factor (a − 1) cancels analytically:
//        W = Σ_{n≥1} (k)_n (a)_{n−1} / ((C)_n n!) · C · (−1)^{n+1} s^n
//   O  the bracket with 2F1 from `hyp2f1Log` (fine when |a − 1| is not small),
//   M  the Euler-transformed form with the (a − 1) division done analytically through exprel:
//        W/C = L·exprel(−(a−1)L) − e^{−(a−1)L} Σ_{n≥1} (C−k)_n (a)_{n−1} / ((C)_n n!) z^n,  L = ln(1+s)
//   Q  tanh-sinh quadrature of the integral form (valid for every a, b > 0, including C ≤ 0).
// Each candidate carries an estimate of its relative rounding error; the first one below 1e-13 is
// returned, otherwise the best.

import { exprel, hyp2f1Log, lnBeta } from './special';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

const EPS = 2.220446049250313e-16;
const ACCEPT = 1e-13;
/** Beyond this many terms (a horizon ~10^4× the customer's age) the quadrature is cheaper than a series. */
const SERIES_TERMS = 50_000;

interface Candidate {
  value: number;
  /** Estimated relative error. */
  err: number;
}

export type ExpectationMethod = 'P' | 'O' | 'M' | 'Q' | 'trivial';

export interface ExpectationDetail {
  value: number;
  /** Representation used (see the file comment). */
  method: ExpectationMethod;
  /** Its estimated relative rounding error. */
  relativeError: number;
}

function pfaffSeries(k: number, a: number, C: number, s: number): Candidate | undefined {
  // W = Σ w_n, w_1 = k s, w_{n+1} = w_n · (k+n)(a+n−1)/((C+n)(n+1)) · (−s)
  let w = k * s;
  let sum = w;
  let sumAbs = Math.abs(w);
  for (let n = 1; n < 100_000; n++) {
    const ratio = (((k + n) * (a + n - 1)) / ((C + n) * (n + 1))) * -s;
    w *= ratio;
    sum += w;
    sumAbs += Math.abs(w);
    const next = Math.abs((((k + n + 1) * (a + n)) / ((C + n + 1) * (n + 2))) * s);
    const rho = Math.max(next, s);
    if (n > -C + 1 && rho < 1 && Math.abs(w) * (rho / (1 - rho)) <= 1e-17 * Math.abs(sum)) {
      return { value: sum, err: EPS * (sumAbs / Math.abs(sum)) * (2 + Math.sqrt(n)) };
    }
  }
  return undefined;
}

function bracketWith2f1(k: number, a: number, beta: number, C: number, s: number): Candidate | undefined {
  if (a === 1) return undefined;
  const z = s / (1 + s);
  const L = Math.log1p(s);
  const f = hyp2f1Log(k, beta, C, z, SERIES_TERMS);
  if (!(f.sign === 1) || !Number.isFinite(f.logAbs)) return undefined;
  const lnQ = f.logAbs - k * L;
  const D = -Math.expm1(lnQ);
  const value = (C * D) / (a - 1);
  if (!(value > 0)) return undefined;
  const errLnQ = f.relativeError + EPS * (Math.abs(f.logAbs) + k * L + 1);
  const Q = Math.exp(lnQ);
  return { value, err: (Q / Math.abs(D)) * errLnQ + 2 * EPS };
}

function eulerExprel(k: number, a: number, C: number, s: number): Candidate | undefined {
  const z = s / (1 + s);
  const L = Math.log1p(s);
  const m = C - k;
  const first = C * L * exprel(-(a - 1) * L);
  const damp = Math.exp(-(a - 1) * L);
  // Σ V_n, V_1 = m z, V_{n+1} = V_n (m+n)(a+n−1)/((C+n)(n+1)) z
  let v = m * z;
  let sum = v;
  let sumAbs = Math.abs(v);
  let n = 1;
  let ok = v === 0;
  for (; n < SERIES_TERMS && !ok; n++) {
    const ratio = (((m + n) * (a + n - 1)) / ((C + n) * (n + 1))) * z;
    v *= ratio;
    sum += v;
    sumAbs += Math.abs(v);
    if (v === 0) ok = true;
    const next = Math.abs((((m + n + 1) * (a + n)) / ((C + n + 1) * (n + 2))) * z);
    const rho = Math.max(next, z);
    if (n > -C + 1 && n > -m && rho < 1 && Math.abs(v) * (rho / (1 - rho)) <= 1e-17 * (Math.abs(sum) + Math.abs(first))) ok = true;
  }
  if (!ok) return undefined;
  const value = first - damp * sum;
  if (!(value > 0)) return undefined;
  return { value, err: (EPS * (Math.abs(first) + damp * sumAbs) * (2 + Math.sqrt(n))) / value };
}

/** softplus(y) = ln(1 + e^y) without overflow. */
function softplus(y: number): number {
  return y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

/**
 * Tanh-sinh quadrature of E_{p~Beta(a,β)}[(1 − (1+ps)^(−k))/p] with p = σ(π sinh u): the endpoint
 * singularities p^(a−1), (1−p)^(β−1) become doubly-exponentially decaying tails in u.
 */
export function expectedWhileAliveQuadrature(k: number, a: number, beta: number, s: number): { value: number; err: number } {
  const lnB = lnBeta(a, beta);
  const lnS = Math.log(s);
  const f = (u: number): number => {
    const y = Math.PI * Math.sinh(u);
    const lnP = -softplus(-y);
    const ln1mP = -softplus(y);
    const lnW = a * lnP + beta * ln1mP - lnB + Math.log(Math.PI * Math.cosh(u));
    if (lnW < -745) return 0;
    const lnPs = lnP + lnS;
    // g(p) = −expm1(−k log1p(p s)) / p; its limit k·s as p → 0.
    const g = lnPs < -40 ? k * s * (1 - 0.5 * (k + 1) * Math.exp(lnPs)) : -Math.expm1(-k * Math.log1p(Math.exp(lnPs))) / Math.exp(lnP);
    return Math.exp(lnW) * g;
  };
  let h = 0.25;
  // Level 0: all nodes j·h out to where the integrand is negligible on both sides.
  const sumSide = (start: number, stepMul: number, dir: number, hh: number, peakRef: { peak: number }): number => {
    let s2 = 0;
    let smallRun = 0;
    for (let j = start; ; j += stepMul) {
      const u = dir * j * hh;
      if (Math.abs(u) > 12) break;
      const v = f(u);
      s2 += v;
      if (v > peakRef.peak) peakRef.peak = v;
      if (v <= 1e-20 * peakRef.peak && Math.abs(u) > 1) {
        if (++smallRun >= 3) break;
      } else smallRun = 0;
    }
    return s2;
  };
  const peak = { peak: 0 };
  let total = f(0);
  peak.peak = total;
  total += sumSide(1, 1, 1, h, peak) + sumSide(1, 1, -1, h, peak);
  let estimate = total * h;
  let err = 1;
  for (let level = 0; level < 8; level++) {
    h /= 2;
    // New nodes: odd multiples of the halved step.
    total += sumSide(1, 2, 1, h, peak) + sumSide(1, 2, -1, h, peak);
    const next = total * h;
    err = Math.abs(next - estimate) / Math.abs(next);
    estimate = next;
    if (err < 1e-15 && level >= 2) break;
  }
  return { value: estimate, err: Math.max(err, 1e-15) };
}

/**
 * Expected purchases in a window of length t after the end of a customer's history, given that the
 * customer is alive at its start: W(k = r + x, a, β = b + x, s = t/(α + T)). For a, β > 0, k > 0, s ≥ 0.
 */
export function expectedWhileAlive(k: number, a: number, beta: number, s: number): number {
  return expectedWhileAliveDetail(k, a, beta, s).value;
}

/** `expectedWhileAlive` with the representation used and its error estimate. */
export function expectedWhileAliveDetail(k: number, a: number, beta: number, s: number): ExpectationDetail {
  if (s === 0) return { value: 0, method: 'trivial', relativeError: 0 };
  if (!(k > 0 && a > 0 && beta > 0 && s > 0 && Number.isFinite(s))) return { value: NaN, method: 'trivial', relativeError: NaN };
  const C = a + beta - 1;
  let best: ExpectationDetail | undefined;
  const consider = (c: Candidate | undefined, method: ExpectationMethod): boolean => {
    if (!c || !Number.isFinite(c.value)) return false;
    if (!best || c.err < best.relativeError) best = { value: c.value, method, relativeError: c.err };
    return c.err <= ACCEPT;
  };
  const done = (): ExpectationDetail => best ?? { value: NaN, method: 'Q', relativeError: NaN };
  if (C > 0) {
    if (s <= 0.75 && consider(pfaffSeries(k, a, C, s), 'P')) return done();
    if (Math.abs(a - 1) > 0.05 && consider(bracketWith2f1(k, a, beta, C, s), 'O')) return done();
    if (consider(eulerExprel(k, a, C, s), 'M')) return done();
    if (Math.abs(a - 1) <= 0.05 && consider(bracketWith2f1(k, a, beta, C, s), 'O')) return done();
  }
  consider(expectedWhileAliveQuadrature(k, a, beta, s), 'Q');
  return done();
}
