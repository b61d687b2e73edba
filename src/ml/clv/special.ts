// Special functions for the buy-till-you-die models, written for accuracy at the parameter values real
// fits produce (shape parameters from 0.01 to 100s, frequencies in the 1000s, horizons far beyond the
// calibration period). Contracts:
// - lnGamma(x), digamma(x): x > 0 (NaN otherwise). lnGamma keeps ~1e-15 RELATIVE accuracy near its
//   zeros at 1 and 2 (Taylor series in ζ(k)), where the usual Lanczos sum only keeps absolute accuracy.
// - lnBeta(a, b): a, b > 0, without the cancellation lnΓ(a)+lnΓ(b)−lnΓ(a+b) suffers when one argument is
//   large (Stirling remainders subtracted analytically, as R's lbeta does).
// - hyp2f1(a, b, c, z): real parameters, z < 1. The power series is summed with a running scale (no
//   overflow when the value is 1e300+), a tail bound as the stopping rule, and the Euler or Pfaff
//   transformation that makes it converge fastest with the least cancellation; each candidate reports
//   its condition (Σ|terms| / |Σ terms|) and a badly conditioned one is replaced by the next. When all
//   of them cancel, the best is re-summed in double-double arithmetic (~32 digits).

import { dd, ddAdd, ddDiv, ddFromSum, ddMul, ddMulNum } from './double-double';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

const LN_SQRT_2PI = 0.9189385332046727;
const EULER_GAMMA = 0.5772156649015329;
const EPS = 2.220446049250313e-16;
const EPS_DD = 2 ** -104;

// B_{2j} for j = 1..10.
const BERNOULLI_EVEN = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];

/** ζ(k) for k = 2..64 by Euler–Maclaurin (N = 16 terms plus 8 remainder terms): errors below 1e-18. */
const ZETA: Float64Array = (() => {
  const out = new Float64Array(65);
  const N = 16;
  for (let k = 2; k <= 64; k++) {
    let s = 0;
    for (let n = N - 1; n >= 1; n--) s += Math.pow(n, -k);
    s += Math.pow(N, 1 - k) / (k - 1) + 0.5 * Math.pow(N, -k);
    // Σ_j B_2j/(2j)! · k(k+1)…(k+2j−2) · N^(−k−2j+1)
    let rising = k; // k(k+1)...(k+2j-2), starts with j = 1: just k
    let fact = 2; // (2j)!
    for (let j = 1; j <= 8; j++) {
      s += (BERNOULLI_EVEN[j - 1] / fact) * rising * Math.pow(N, -k - 2 * j + 1);
      rising *= (k + 2 * j - 1) * (k + 2 * j);
      fact *= (2 * j + 1) * (2 * j + 2);
    }
    out[k] = s;
  }
  return out;
})();

/** lnΓ(1 + e) for |e| ≤ 0.5: −γe + Σ_{k≥2} (−e)^k ζ(k)/k. */
function lnGamma1p(e: number): number {
  let sum = 0;
  let p = e * e; // e^k, k = 2
  for (let k = 2; k <= 64; k++) {
    const term = (ZETA[k] / k) * p;
    sum += k % 2 === 0 ? term : -term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum) + 1e-300) break;
    p *= e;
  }
  return sum - EULER_GAMMA * e;
}

/** Stirling's remainder lnΓ(x) − [(x − ½)ln x − x + ½ln 2π], for x ≥ 10. */
export function stirlingRemainder(x: number): number {
  const x2 = 1 / (x * x);
  // Σ B_2j / (2j(2j−1) x^(2j−1)), j = 1..8, Horner in 1/x².
  let s = -3617 / 122400;
  s = s * x2 + 1 / 156;
  s = s * x2 - 691 / 360360;
  s = s * x2 + 1 / 1188;
  s = s * x2 - 1 / 1680;
  s = s * x2 + 1 / 1260;
  s = s * x2 - 1 / 360;
  s = s * x2 + 1 / 12;
  return s / x;
}

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) return x === Infinity ? Infinity : NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingRemainder(x);
  if (x < 0.5) return lnGamma1p(x) - Math.log(x);
  if (x < 1.5) return lnGamma1p(x - 1);
  if (x < 2.5) return Math.log1p(x - 2) + lnGamma1p(x - 2);
  // 2.5 ≤ x < 10: recurse down into [1.5, 2.5) and add ln of the product (no cancellation).
  let y = x;
  let prod = 1;
  while (y >= 2.5) {
    y -= 1;
    prod *= y;
  }
  return Math.log(prod) + Math.log1p(y - 2) + lnGamma1p(y - 2);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function lnBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return NaN;
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingRemainder(p) + stirlingRemainder(q) - stirlingRemainder(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingRemainder(q) - stirlingRemainder(p + q);
    return lnGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lnGamma(p) + lnGamma(q) - lnGamma(p + q);
}

/** ψ(x) = d/dx ln Γ(x), for x > 0. */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const x2 = 1 / (x * x);
  // ln x − 1/(2x) − Σ B_2j / (2j x^2j)
  let s = -3617 / 8160;
  s = s * x2 + 1 / 12;
  s = s * x2 - 691 / 32760;
  s = s * x2 + 1 / 132;
  s = s * x2 - 1 / 240;
  s = s * x2 + 1 / 252;
  s = s * x2 - 1 / 120;
  s = s * x2 + 1 / 12;
  return acc + Math.log(x) - 0.5 / x - s * x2;
}

/** lnΓ(x + n) − lnΓ(x) for x > 0, n ≥ 0 (the log of the rising factorial), accurate for large n and x. */
export function lnPochhammer(x: number, n: number): number {
  if (n === 0) return 0;
  if (Number.isInteger(n) && n <= 16) {
    let p = 1;
    for (let j = 0; j < n; j++) p *= x + j;
    return Math.log(p);
  }
  return -lnBeta(x, n) + lnGamma(n);
}

/** expm1(y) / y, equal to 1 at y = 0. */
export function exprel(y: number): number {
  if (Math.abs(y) < 1e-5) return 1 + y / 2 + (y * y) / 6;
  return Math.expm1(y) / y;
}

// ---------------------------------------------------------------------------------------------------
// Gauss hypergeometric function.

/** A power series Σ t_n summed with a running scale: the value is sign · exp(logAbs). */
export interface SeriesResult {
  logAbs: number;
  sign: number;
  /** Σ|t_n| / |Σ t_n|: the factor by which rounding errors are amplified. */
  condition: number;
  terms: number;
  converged: boolean;
}

const RESCALE = 2 ** 600;
const LN_RESCALE = 600 * Math.LN2;

/**
 * Σ_{n≥0} (a)_n (b)_n / ((c)_n n!) z^n by forward recurrence of the terms. Stops when the current term
 * and a geometric bound on the tail both fall below 1e-17 of the running sum (or the series
 * terminates). Not converged after `maxTerms` terms: `converged` is false.
 */
export function hyp2f1Series(a: number, b: number, c: number, z: number, maxTerms = 2_000_000): SeriesResult {
  let t = 1;
  let s = 1;
  let sAbs = 1;
  let logScale = 0;
  let n = 0;
  let converged = false;
  const az = Math.abs(z);
  // The term ratio z·(a+m)(b+m)/((c+m)(m+1)) is monotone in m beyond the last root of its derivative
  // (and beyond the pole at m = −c): only from there does max(next ratio, |z|) bound every later ratio.
  const A = a + b - c - 1;
  const B = a * b - c;
  let mStar = 0;
  if (A !== 0) {
    const disc = B * B + A * A * c - A * B * (c + 1);
    if (disc >= 0) mStar = Math.max((-B + Math.sqrt(disc)) / A, (-B - Math.sqrt(disc)) / A);
  } else if (B !== 0) mStar = -(c + 1) / 2;
  const monotoneFrom = Math.max(0, Math.ceil(mStar), Math.ceil(-c) + 1);
  for (; n < maxTerms; n++) {
    const cn = c + n;
    if (cn === 0) return { logAbs: NaN, sign: NaN, condition: Infinity, terms: n, converged: false };
    const ratio = (((a + n) * (b + n)) / (cn * (n + 1))) * z;
    t *= ratio;
    s += t;
    const at = Math.abs(t);
    sAbs += at;
    if (t === 0) {
      converged = true; // terminating series (a or b a non-positive integer) or underflow
      n++;
      break;
    }
    if (at > RESCALE) {
      t /= RESCALE;
      s /= RESCALE;
      sAbs /= RESCALE;
      logScale += LN_RESCALE;
    }
    const nextRatio = Math.abs((((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2))) * z);
    const rho = Math.max(nextRatio, az);
    if (n + 1 >= monotoneFrom && rho < 1 && at * (rho / (1 - rho)) <= 1e-17 * Math.abs(s)) {
      converged = true;
      n++;
      break;
    }
  }
  if (s === 0) return { logAbs: -Infinity, sign: 0, condition: Infinity, terms: n, converged };
  return { logAbs: Math.log(Math.abs(s)) + logScale, sign: Math.sign(s), condition: sAbs / Math.abs(s), terms: n, converged };
}

/** `hyp2f1Series` in double-double arithmetic: for series whose terms cancel (condition ≫ 1). */
export function hyp2f1SeriesDD(a: number, b: number, c: number, z: number, maxTerms = 2_000_000): SeriesResult {
  let t = dd(1);
  let s = dd(1);
  let sAbs = 1;
  let logScale = 0;
  let n = 0;
  let converged = false;
  let small = 0;
  for (; n < maxTerms; n++) {
    const cn = ddFromSum(c, n);
    if (cn.hi === 0) return { logAbs: NaN, sign: NaN, condition: Infinity, terms: n, converged: false };
    const num = ddMulNum(ddMul(ddFromSum(a, n), ddFromSum(b, n)), z);
    t = ddDiv(ddMul(t, num), ddMulNum(cn, n + 1));
    s = ddAdd(s, t);
    const at = Math.abs(t.hi);
    sAbs += at;
    if (t.hi === 0) {
      converged = true;
      n++;
      break;
    }
    if (at > RESCALE) {
      t = ddMulNum(t, 1 / RESCALE);
      s = ddMulNum(s, 1 / RESCALE);
      sAbs /= RESCALE;
      logScale += LN_RESCALE;
    }
    // Stop after 20 consecutive terms below 1e-34 of the sum, with the term ratio below 1.
    const ratio = Math.abs((((a + n + 1) * (b + n + 1)) / ((c + n + 1) * (n + 2))) * z);
    if (ratio < 1 && at <= 1e-34 * Math.abs(s.hi)) {
      if (++small >= 20) {
        converged = true;
        n++;
        break;
      }
    } else small = 0;
  }
  const v = s.hi + s.lo;
  if (v === 0) return { logAbs: -Infinity, sign: 0, condition: Infinity, terms: n, converged };
  return { logAbs: Math.log(Math.abs(s.hi)) + Math.log1p(s.lo / s.hi) + logScale, sign: Math.sign(v), condition: sAbs / Math.abs(v), terms: n, converged };
}

export interface Hyp2f1Result {
  /** The value is sign · exp(logAbs) (use when it may overflow a double). */
  logAbs: number;
  sign: number;
  /** Condition of the series that was used (1 for a positive-term series). */
  condition: number;
  terms: number;
  /** Which representation was summed. */
  method: 'direct' | 'euler' | 'pfaff-a' | 'pfaff-b';
  /** Summed in double-double arithmetic (because the terms cancel). */
  doubleDouble: boolean;
  /** Estimated relative error of the value. */
  relativeError: number;
}

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/** 2F1(a, b; c; z) in log form; see `hyp2f1`. Each series stops at `maxTerms` (then: NaN, unconverged). */
export function hyp2f1Log(a: number, b: number, c: number, z: number, maxTerms = 2_000_000): Hyp2f1Result {
  const nan: Hyp2f1Result = { logAbs: NaN, sign: NaN, condition: Infinity, terms: 0, method: 'direct', doubleDouble: false, relativeError: NaN };
  if (![a, b, c, z].every(Number.isFinite) || z >= 1) return nan;
  if (z === 0 || a === 0 || b === 0) return { logAbs: 0, sign: 1, condition: 1, terms: 0, method: 'direct', doubleDouble: false, relativeError: 0 };
  type Cand = { method: Hyp2f1Result['method']; a: number; b: number; c: number; z: number; logPre: number };
  const finish = (k: Cand, r: SeriesResult, useDD: boolean): Hyp2f1Result => ({
    logAbs: r.logAbs + k.logPre,
    sign: r.sign,
    condition: r.condition,
    terms: r.terms,
    method: k.method,
    doubleDouble: useDD,
    relativeError: (useDD ? EPS_DD : EPS) * r.condition * (2 + Math.sqrt(r.terms)) + EPS * Math.abs(k.logPre),
  });
  if (isNonPositiveInteger(c)) {
    // Defined only when the series terminates before the pole: a or b a non-positive integer > c.
    const terminates = (isNonPositiveInteger(a) && a > c) || (isNonPositiveInteger(b) && b > c);
    if (!terminates) return nan;
    const k: Cand = { method: 'direct', a, b, c, z, logPre: 0 };
    const r = hyp2f1Series(a, b, c, z, maxTerms);
    return r.condition <= 1e3 ? finish(k, r, false) : finish(k, hyp2f1SeriesDD(a, b, c, z, maxTerms), true);
  }
  // Candidates: [method, a', b', c', z', log prefactor]. The asymptotic term size of a series is
  // n^(a'+b'−c'−1) z'^n: prefer the smallest |z'| and then the smallest exponent.
  const cands: Cand[] = [];
  if (z > 0) {
    cands.push({ method: 'direct', a, b, c, z, logPre: 0 });
    cands.push({ method: 'euler', a: c - a, b: c - b, c, z, logPre: (c - a - b) * Math.log1p(-z) });
  } else {
    const w = z / (z - 1); // in (0, 1)
    const l1z = Math.log1p(-z);
    if (z > -0.5) cands.push({ method: 'direct', a, b, c, z, logPre: 0 });
    cands.push({ method: 'pfaff-a', a, b: c - b, c, z: w, logPre: -a * l1z });
    cands.push({ method: 'pfaff-b', a: c - a, b, c, z: w, logPre: -b * l1z });
  }
  const key = (k: Cand): number => {
    // Terminating series first; then by |z'| (binned) and by the decay exponent.
    if (isNonPositiveInteger(k.a) || isNonPositiveInteger(k.b)) return -1e9 + Math.max(-k.a, -k.b);
    // Mixed signs among the parameters mean early terms of both signs: a small penalty.
    const mixed = k.a < 0 || k.b < 0 || k.c < 0 ? 0.5 : 0;
    return Math.round(Math.abs(k.z) * 20) * 1e6 + (k.a + k.b - k.c - 1) + mixed;
  };
  cands.sort((p, q) => key(p) - key(q));
  const tried: { k: Cand; r: SeriesResult }[] = [];
  for (const k of cands) {
    const r = hyp2f1Series(k.a, k.b, k.c, k.z, maxTerms);
    if (!r.converged || !Number.isFinite(r.logAbs + k.logPre)) continue;
    if (r.condition <= 1e2) return finish(k, r, false);
    tried.push({ k, r });
  }
  if (tried.length === 0) return nan;
  // Every representation cancels: re-sum the best-conditioned one at double-double precision.
  tried.sort((p, q) => p.r.condition - q.r.condition);
  const { k, r } = tried[0];
  if (r.condition <= 1e3) return finish(k, r, false);
  const rd = hyp2f1SeriesDD(k.a, k.b, k.c, k.z, maxTerms);
  const res = finish(k, rd, true);
  return rd.converged && res.relativeError <= 1e-8 ? res : { ...nan, condition: rd.condition, method: k.method, doubleDouble: true };
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c and z < 1 (NaN outside that domain, at
 * a pole c ∈ {0, −1, …}, or where no representation reaches a relative error of 1e-8 even in
 * double-double — e.g. a = b ≫ 1, small c, z ≪ −1; `hyp2f1Log` reports the estimate). Relative accuracy
 * ~1e-14 where the function is not near a zero.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const r = hyp2f1Log(a, b, c, z);
  return r.sign * Math.exp(r.logAbs);
}
