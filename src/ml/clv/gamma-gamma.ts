// Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999): a customer's
// transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, so the mean z̄ of x repeat
// transactions is Gamma(p·x, ν·x). Fitted by maximum likelihood on customers with x > 0 and z̄ > 0 — the
// paper uses the average value of REPEAT transactions (the trial purchase excluded), which is what
// `rfmSummary().meanRepeatSpend` holds. The model assumes spend is independent of frequency: the fit
// reports their correlation so a caller can warn when that is doubtful.

import { invert, minimizeLbfgs, minimizeNelderMead } from './optimize';
import { distinctValues } from './grouping';
import { digamma, lnGamma } from './special';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendHistories {
  /** Repeat transactions. */
  x: ArrayLike<number>;
  /** Mean value of the repeat transactions (ignored where x = 0). */
  meanSpend: ArrayLike<number>;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Customers used (x > 0 and meanSpend > 0). */
  customers: number;
  standardErrors: GammaGammaParams;
  converged: boolean;
  iterations: number;
  /** Pearson correlation of x and mean spend over the customers used (the model assumes ~0). */
  frequencySpendCorrelation: number;
  /** Population mean transaction value pγ/(q − 1); Infinity when q ≤ 1. */
  populationMeanSpend: number;
}

export interface GammaGammaFitOptions {
  start?: GammaGammaParams;
  /** L2 penalty λ·(p² + q² + γ²) on the mean negative log-likelihood. Default 0. */
  penalizer?: number;
}

function selectRows(data: SpendHistories): { x: Float64Array; lnM: Float64Array; m: Float64Array } {
  const idx: number[] = [];
  for (let i = 0; i < data.x.length; i++) if (data.x[i] > 0 && data.meanSpend[i] > 0 && Number.isFinite(data.meanSpend[i])) idx.push(i);
  const x = new Float64Array(idx.length);
  const m = new Float64Array(idx.length);
  const lnM = new Float64Array(idx.length);
  idx.forEach((i, k) => {
    x[k] = data.x[i];
    m[k] = data.meanSpend[i];
    lnM[k] = Math.log(m[k]);
  });
  return { x, m, lnM };
}

/** Mean negative log-likelihood and gradient in θ = ln(p, q, γ); the Gamma terms are cached per distinct x. */
function objective(rows: { x: Float64Array; lnM: Float64Array; m: Float64Array }, penalizer: number) {
  const xs = distinctValues(rows.x);
  const nx = xs.values.length;
  const lg = new Float64Array(nx);
  const dp = new Float64Array(nx);
  const dq = new Float64Array(nx);
  const n = rows.x.length;
  return (theta: Float64Array, grad: Float64Array): number => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const gamma = Math.exp(theta[2]);
    if (![p, q, gamma].every((v) => v > 0 && Number.isFinite(v))) return Infinity;
    const lgq = lnGamma(q);
    const psiq = digamma(q);
    for (let j = 0; j < nx; j++) {
      const x = xs.values[j];
      const px = p * x;
      const psiPxq = digamma(px + q);
      lg[j] = lnGamma(px + q) - lnGamma(px) - lgq + px * Math.log(x);
      dp[j] = x * (psiPxq - digamma(px) + Math.log(x));
      dq[j] = psiPxq - psiq;
    }
    const lnG = Math.log(gamma);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gg = 0;
    for (let i = 0; i < n; i++) {
      const j = xs.index[i];
      const x = rows.x[i];
      const px = p * x;
      const den = gamma + x * rows.m[i];
      const L = Math.log(den);
      ll += lg[j] + q * lnG + (px - 1) * rows.lnM[i] - (px + q) * L;
      gp += dp[j] + x * (rows.lnM[i] - L);
      gq += dq[j] + lnG - L;
      gg += q / gamma - (px + q) / den;
    }
    grad[0] = (-gp * p) / n + 2 * penalizer * p * p;
    grad[1] = (-gq * q) / n + 2 * penalizer * q * q;
    grad[2] = (-gg * gamma) / n + 2 * penalizer * gamma * gamma;
    return -ll / n + penalizer * (p * p + q * q + gamma * gamma);
  };
}

export function fitGammaGamma(data: SpendHistories, opts: GammaGammaFitOptions = {}): GammaGammaFit {
  const rows = selectRows(data);
  const n = rows.x.length;
  if (n < 3) throw new Error(`Gamma-Gamma needs repeat customers with positive spend; got ${n}`);
  const penalizer = opts.penalizer ?? 0;
  const f = objective(rows, penalizer);
  // Start from the method of moments on z̄: mean ≈ pγ/(q−1); a mild q keeps the start finite.
  let mean = 0;
  for (let i = 0; i < n; i++) mean += rows.m[i] / n;
  const starts: GammaGammaParams[] = opts.start
    ? [opts.start]
    : [
        { p: 1, q: 3, gamma: mean * 2 },
        { p: 5, q: 3, gamma: (mean * 2) / 5 },
        { p: 0.5, q: 1.5, gamma: mean },
      ];
  // Above 50,000 customers the starts are compared on every k-th customer and the best is then refined
  // on all of them.
  const step = n > 50_000 && starts.length > 1 ? Math.ceil(n / 50_000) : 1;
  const fStart =
    step === 1
      ? f
      : objective(
          {
            x: rows.x.filter((_, i) => i % step === 0),
            m: rows.m.filter((_, i) => i % step === 0),
            lnM: rows.lnM.filter((_, i) => i % step === 0),
          },
          penalizer,
        );
  const run = (fn: typeof f, t0: Float64Array): ReturnType<typeof minimizeLbfgs> => {
    const res = minimizeLbfgs(fn, t0, { gradTol: 1e-10, maxIterations: 2000 });
    if (res.converged) return res;
    const nm = minimizeNelderMead((t) => fn(t, new Float64Array(3)), Number.isFinite(res.f) ? res.x : t0);
    const pol = minimizeLbfgs(fn, nm.x, { gradTol: 1e-10, maxIterations: 2000 });
    return pol.f <= nm.f ? pol : { ...nm, gradNorm: NaN };
  };
  let best: ReturnType<typeof minimizeLbfgs> | undefined;
  let iterations = 0;
  for (const s of starts) {
    const res = run(fStart, Float64Array.of(Math.log(s.p), Math.log(s.q), Math.log(s.gamma)));
    iterations += res.iterations;
    if (!best || res.f < best.f) best = res;
  }
  if (step > 1) {
    best = run(f, best!.x);
    iterations += best.iterations;
  }
  const b = best!;
  const params: GammaGammaParams = { p: Math.exp(b.x[0]), q: Math.exp(b.x[1]), gamma: Math.exp(b.x[2]) };
  const fUnpen = objective(rows, 0);
  const ll = -fUnpen(b.x, new Float64Array(3)) * n;

  // Observed information in natural parameters (central differences of the analytic gradient).
  const H: number[][] = [];
  const gpv = new Float64Array(3);
  const gmv = new Float64Array(3);
  const nat = [params.p, params.q, params.gamma];
  for (let i = 0; i < 3; i++) {
    const tp = Float64Array.from(b.x);
    const tm = Float64Array.from(b.x);
    tp[i] += 1e-5;
    tm[i] -= 1e-5;
    fUnpen(tp, gpv);
    fUnpen(tm, gmv);
    H.push([0, 1, 2].map((j) => ((gpv[j] - gmv[j]) / 2e-5) * n));
  }
  const inv = invert(H.map((row, i) => row.map((_, j) => (0.5 * (H[i][j] + H[j][i])) / (nat[i] * nat[j]))));
  const se = (i: number): number => (inv && inv[i][i] > 0 ? Math.sqrt(inv[i][i]) : NaN);

  let mx = 0;
  let mm = 0;
  for (let i = 0; i < n; i++) {
    mx += rows.x[i] / n;
    mm += rows.m[i] / n;
  }
  let cxy = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < n; i++) {
    cxy += (rows.x[i] - mx) * (rows.m[i] - mm);
    vx += (rows.x[i] - mx) ** 2;
    vy += (rows.m[i] - mm) ** 2;
  }
  return {
    params,
    logLikelihood: ll,
    customers: n,
    standardErrors: { p: se(0), q: se(1), gamma: se(2) },
    converged: b.converged,
    iterations,
    frequencySpendCorrelation: vx > 0 && vy > 0 ? cxy / Math.sqrt(vx * vy) : NaN,
    populationMeanSpend: gammaGammaPopulationMean(params),
  };
}

/** Mean transaction value of a new customer: pγ/(q − 1) (Infinity when q ≤ 1). */
export function gammaGammaPopulationMean(params: GammaGammaParams): number {
  return params.q > 1 ? (params.p * params.gamma) / (params.q - 1) : Infinity;
}

/**
 * E[Z | x, z̄] = p(γ + x z̄)/(p x + q − 1): a weighted mean of the population mean and the customer's own
 * mean repeat spend, the customer's weight growing with x. Customers with x = 0 get the population mean.
 */
export function gammaGammaExpectedSpend(params: GammaGammaParams, data: SpendHistories): Float64Array {
  const { p, q, gamma } = params;
  const n = data.x.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    const m = x > 0 ? data.meanSpend[i] : 0;
    const den = p * x + q - 1;
    out[i] = den > 0 ? (p * (gamma + x * m)) / den : Infinity;
  }
  return out;
}

/** Σ log-likelihood of the eligible customers under `params`. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendHistories): number {
  const rows = selectRows(data);
  const f = objective(rows, 0);
  return -f(Float64Array.of(Math.log(params.p), Math.log(params.q), Math.log(params.gamma)), new Float64Array(3)) * rows.x.length;
}
