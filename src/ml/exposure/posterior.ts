// Beta posterior of a product's conversion rate at a placement. The prior comes from the conversion
// model's prediction p̂ for the placement's audience, worth `strength` pseudo-impressions:
// Beta(p̂·s, (1−p̂)·s); observed impressions n and purchases k update it to Beta(α + k, β + n − k).
// Pure numerics: no I/O, no global state.
import { sampleBeta as sharedBeta, type SeededRng } from '../random';

export interface BetaPosterior {
  alpha: number;
  beta: number;
}

const P_EPS = 1e-6;

/** Prior Beta(p̂·s, (1−p̂)·s); p̂ is clipped to (1e-6, 1 − 1e-6) so both parameters stay positive. */
export function betaPrior(predicted: number, strength: number): BetaPosterior {
  if (!(strength > 0) || !Number.isFinite(strength)) throw new RangeError('prior strength must be a positive finite number');
  if (!Number.isFinite(predicted)) throw new RangeError('predicted conversion rate must be finite');
  const p = Math.min(1 - P_EPS, Math.max(P_EPS, predicted));
  return { alpha: p * strength, beta: (1 - p) * strength };
}

/** Conjugate update with `impressions` trials and `purchases` successes (0 ≤ purchases ≤ impressions). */
export function updatePosterior(prior: BetaPosterior, impressions: number, purchases: number): BetaPosterior {
  if (!(impressions >= 0) || !(purchases >= 0) || purchases > impressions) {
    throw new RangeError('need 0 ≤ purchases ≤ impressions');
  }
  return { alpha: prior.alpha + purchases, beta: prior.beta + impressions - purchases };
}

/** Prior from a prediction, updated with observations, in one call. */
export function posteriorFromPrediction(
  predicted: number,
  strength: number,
  impressions: number,
  purchases: number,
): BetaPosterior {
  return updatePosterior(betaPrior(predicted, strength), impressions, purchases);
}

export function betaMean(alpha: number, beta: number): number {
  return alpha / (alpha + beta);
}

export function betaVariance(alpha: number, beta: number): number {
  const s = alpha + beta;
  return (alpha * beta) / (s * s * (s + 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; ~1e-15 relative). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for I_x(a, b) (modified Lentz), valid for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  const maxIter = 10000;
  for (let m = 1; m <= maxIter; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError('Beta parameters must be positive');
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Beta(a, b) quantile: Newton steps on the regularised incomplete beta, safeguarded by a bisection
 * bracket (a step leaving the bracket is replaced by bisection), so it always converges; a handful of
 * CDF evaluations for ordinary parameters.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError('probability must be in [0, 1]');
  if (!(a > 0) || !(b > 0)) throw new RangeError('Beta parameters must be positive');
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lnB = lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  let lo = 0;
  let hi = 1;
  // Start from the normal approximation, clipped inside (0, 1).
  const m = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) * (a + b) * (a + b + 1)));
  let x = Math.min(1 - 1e-12, Math.max(1e-12, m + normalQuantile(p) * sd));
  for (let i = 0; i < 1200; i++) {
    const F = regularizedIncompleteBeta(x, a, b);
    const err = F - p;
    if (err < 0) lo = x;
    else hi = x;
    if (Math.abs(err) <= 1e-15 || hi - lo <= 1e-15 * Math.min(hi, 1 - lo)) break;
    const lnPdf = (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB;
    const pdf = Math.exp(lnPdf);
    let next = pdf > 0 && Number.isFinite(pdf) ? x - err / pdf : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * x) break;
    x = next;
  }
  return x;
}

/** Inverse standard normal CDF (Acklam's rational approximation, ~1e-9 relative). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    throw new RangeError('probability must be in [0, 1]');
  }
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Central credible interval of Beta(a, b) at `level` (e.g. 0.9). `method: 'auto'` uses the exact
 * quantile unless both parameters exceed 100, where the normal approximation is accurate and much cheaper.
 */
export function betaInterval(a: number, b: number, level = 0.9, method: 'exact' | 'normal' | 'auto' = 'auto'): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError('level must be in (0, 1)');
  const tail = (1 - level) / 2;
  const useNormal = method === 'normal' || (method === 'auto' && a > 100 && b > 100);
  if (useNormal) {
    const m = betaMean(a, b);
    const z = normalQuantile(1 - tail) * Math.sqrt(betaVariance(a, b));
    return { lower: Math.max(0, m - z), upper: Math.min(1, m + z) };
  }
  return { lower: betaQuantile(tail, a, b), upper: betaQuantile(1 - tail, a, b) };
}

/** Beta(a, b) draw (the shared sampler of src/ml/random.ts, argument order kept for this module). */
export function sampleBeta(a: number, b: number, rng: SeededRng): number {
  return sharedBeta(rng, a, b);
}

/** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc =
    t *
    Math.exp(
      -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * P(θ > x) for θ ~ Beta(a, b): the chance a product's rate beats a bar. Exact (incomplete beta) unless
 * both parameters exceed 200, where the normal approximation is accurate and the exact path slow.
 */
export function betaExceedance(a: number, b: number, x: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError('Beta parameters must be positive');
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  if (a > 200 && b > 200) return 1 - normalCdf((x - betaMean(a, b)) / Math.sqrt(betaVariance(a, b)));
  return 1 - regularizedIncompleteBeta(x, a, b);
}
