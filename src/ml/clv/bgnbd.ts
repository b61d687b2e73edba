// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a customer buys
// as a Poisson process with rate λ ~ Gamma(r, α); after each repeat purchase they drop out with
// probability p ~ Beta(a, b). A customer enters the model through (x, t_x, T) from `rfmSummary`, in the
// time unit the summary used (α is in that unit too).
//
// Fitting maximises the closed-form likelihood (eq. 6 of the paper, in the numerically stable
// log-sum-exp arrangement) over customers collapsed into identical (x, t_x, T) groups, with L-BFGS on the
// log-parameters and an analytic gradient, from several starting points; Nelder–Mead takes over if a
// run fails. Predictions are in bgnbd-predict.ts.

import { distinctValues, groupTriples, type TripleGroups } from './grouping';
import { invert, minimizeLbfgs, minimizeNelderMead, type MinimizeResult } from './optimize';
import { digamma, lnBeta, lnGamma } from './special';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Per-customer inputs (parallel arrays); rows with a non-finite T are not customers yet and are skipped. */
export interface CustomerHistories {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
}

export interface BgNbdFitOptions {
  /** Starting points; defaults are derived from the data's purchase rate. */
  starts?: BgNbdParams[];
  /** L2 penalty λ·(r² + α² + a² + b²) on the mean negative log-likelihood (lifetimes' `penalizer_coef`). Default 0. */
  penalizer?: number;
  maxIterations?: number;
}

export interface BgNbdFit {
  params: BgNbdParams;
  /** Σ log-likelihood over the customers (not penalised). */
  logLikelihood: number;
  customers: number;
  groups: number;
  /** Asymptotic standard errors from the observed information (NaN where the Hessian is singular). */
  standardErrors: BgNbdParams;
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Max |gradient| of the mean log-likelihood w.r.t. the log-parameters at the optimum. */
  gradientNorm: number;
  /**
   * Full-data log-likelihood at the end of each start's run (on a subsample of groups when there are more
   * than 20,000; the best is then refined on all of them).
   */
  startLogLikelihoods: number[];
}

function asGroups(data: CustomerHistories | TripleGroups): TripleGroups {
  return 'weight' in data && 'groupOf' in data ? (data as TripleGroups) : groupTriples(data.x, data.tx, data.T);
}

/**
 * Mean negative log-likelihood over groups and its gradient w.r.t. θ = ln(r, α, a, b). The Gamma and Beta
 * parts are computed once per distinct x, ln(α + T) once per distinct T and ln(α + t_x) once per
 * distinct t_x (day-level data has a few hundred of each), leaving one exp and one log1p per group.
 */
function objective(g: TripleGroups, penalizer: number) {
  const xs = distinctValues(g.x);
  const Ts = distinctValues(g.T);
  const txs = distinctValues(g.tx);
  const nx = xs.values.length;
  const lgR = new Float64Array(nx);
  const dgR = new Float64Array(nx);
  const lb = new Float64Array(nx);
  const dbA = new Float64Array(nx);
  const dbB = new Float64Array(nx);
  const lnBx1 = new Float64Array(nx);
  const lnAT = new Float64Array(Ts.values.length);
  const invAT = new Float64Array(Ts.values.length);
  const lnAtx = new Float64Array(txs.values.length);
  const invAtx = new Float64Array(txs.values.length);
  let totalW = 0;
  for (let i = 0; i < g.count; i++) totalW += g.weight[i];
  return (theta: Float64Array, grad: Float64Array): number => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    if (![r, alpha, a, b].every((v) => v > 0 && Number.isFinite(v))) return Infinity;
    const lgr = lnGamma(r);
    const psir = digamma(r);
    const lbab = lnBeta(a, b);
    const psiab = digamma(a + b);
    const psib = digamma(b);
    for (let j = 0; j < nx; j++) {
      const x = xs.values[j];
      lgR[j] = lnGamma(r + x) - lgr;
      dgR[j] = digamma(r + x) - psir;
      lb[j] = lnBeta(a, b + x) - lbab;
      const psiabx = digamma(a + b + x);
      dbA[j] = psiab - psiabx;
      dbB[j] = digamma(b + x) - psiabx - psib + psiab;
      lnBx1[j] = x > 0 ? Math.log(b + x - 1) : 0;
    }
    for (let k = 0; k < lnAT.length; k++) {
      lnAT[k] = Math.log(alpha + Ts.values[k]);
      invAT[k] = 1 / (alpha + Ts.values[k]);
    }
    for (let k = 0; k < lnAtx.length; k++) {
      lnAtx[k] = Math.log(alpha + txs.values[k]);
      invAtx[k] = 1 / (alpha + txs.values[k]);
    }
    const lnA = Math.log(alpha);
    const lna = Math.log(a);
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    const xIdx = xs.index;
    const TIdx = Ts.index;
    const txIdx = txs.index;
    for (let i = 0; i < g.count; i++) {
      const w = g.weight[i];
      const x = g.x[i];
      const j = xIdx[i];
      const kT = TIdx[i];
      const rx = r + x;
      const A3 = -rx * lnAT[kT];
      if (x === 0) {
        ll += w * (lgR[j] + r * lnA + lb[j] + A3);
        gr += w * (dgR[j] + lnA - lnAT[kT]);
        gal += w * (r / alpha - rx * invAT[kT]);
        ga += w * dbA[j];
        gb += w * dbB[j];
        continue;
      }
      const kx = txIdx[i];
      const A4 = lna - lnBx1[j] - rx * lnAtx[kx];
      let lse: number;
      let w3: number;
      let w4: number;
      if (A4 > A3) {
        const e = Math.exp(A3 - A4);
        lse = A4 + Math.log1p(e);
        w3 = e / (1 + e);
        w4 = 1 / (1 + e);
      } else {
        const e = Math.exp(A4 - A3);
        lse = A3 + Math.log1p(e);
        w3 = 1 / (1 + e);
        w4 = e / (1 + e);
      }
      ll += w * (lgR[j] + r * lnA + lb[j] + lse);
      gr += w * (dgR[j] + lnA - w3 * lnAT[kT] - w4 * lnAtx[kx]);
      gal += w * (r / alpha - rx * (w3 * invAT[kT] + w4 * invAtx[kx]));
      ga += w * (dbA[j] + w4 / a);
      gb += w * (dbB[j] - w4 / (b + x - 1));
    }
    const pen = penalizer * (r * r + alpha * alpha + a * a + b * b);
    grad[0] = (-gr * r) / totalW + 2 * penalizer * r * r;
    grad[1] = (-gal * alpha) / totalW + 2 * penalizer * alpha * alpha;
    grad[2] = (-ga * a) / totalW + 2 * penalizer * a * a;
    grad[3] = (-gb * b) / totalW + 2 * penalizer * b * b;
    return -ll / totalW + pen;
  };
}

const toParams = (t: ArrayLike<number>): BgNbdParams => ({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), a: Math.exp(t[2]), b: Math.exp(t[3]) });
const toTheta = (p: BgNbdParams): Float64Array => Float64Array.of(Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b));

/** Σ log-likelihood of the customers under `params`. */
export function bgnbdLogLikelihood(params: BgNbdParams, data: CustomerHistories | TripleGroups): number {
  const g = asGroups(data);
  const f = objective(g, 0);
  let w = 0;
  for (let i = 0; i < g.count; i++) w += g.weight[i];
  return -f(toTheta(params), new Float64Array(4)) * w;
}

/** Per-customer log-likelihoods (NaN for rows that are not customers). */
export function bgnbdLogLikelihoods(params: BgNbdParams, data: CustomerHistories): Float64Array {
  const { r, alpha, a, b } = params;
  const n = data.x.length;
  const out = new Float64Array(n);
  const base = r * Math.log(alpha) - lnGamma(r) - lnBeta(a, b);
  for (let i = 0; i < n; i++) {
    const x = data.x[i];
    const T = data.T[i];
    if (!Number.isFinite(T)) {
      out[i] = NaN;
      continue;
    }
    const A3 = -(r + x) * Math.log(alpha + T);
    let lse = A3;
    if (x > 0) {
      const A4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + data.tx[i]);
      const m = Math.max(A3, A4);
      lse = m + Math.log(Math.exp(A3 - m) + Math.exp(A4 - m));
    }
    out[i] = base + lnGamma(r + x) + lnBeta(a, b + x) + lse;
  }
  return out;
}

function defaultStarts(g: TripleGroups): BgNbdParams[] {
  let sx = 0;
  let sT = 0;
  for (let i = 0; i < g.count; i++) {
    sx += g.weight[i] * g.x[i];
    sT += g.weight[i] * g.T[i];
  }
  // Purchase rate per unit of time over the observed spans: α ≈ r / rate.
  const rate = Math.max(sx, 1) / Math.max(sT, 1e-9);
  const out: BgNbdParams[] = [];
  for (const [r, a, b] of [
    [1, 1, 1],
    [0.25, 0.8, 2.5],
    [3, 3, 10],
  ]) {
    out.push({ r, alpha: r / rate, a, b });
  }
  return out;
}

/** Observed information of Σ LL in natural parameters by central differences of the analytic gradient. */
function standardErrors(f: ReturnType<typeof objective>, theta: Float64Array, totalW: number): BgNbdParams {
  const n = 4;
  const H: number[][] = [];
  const gp = new Float64Array(n);
  const gm = new Float64Array(n);
  const p = Array.from(theta, Math.exp);
  for (let i = 0; i < n; i++) {
    const h = 1e-5;
    const tp = Float64Array.from(theta);
    const tm = Float64Array.from(theta);
    tp[i] += h;
    tm[i] -= h;
    f(tp, gp);
    f(tm, gm);
    // d/dθ_i of (∂(mean −LL)/∂θ_j); convert to natural parameters below.
    H.push(Array.from({ length: n }, (_, j) => ((gp[j] - gm[j]) / (2 * h)) * totalW));
  }
  // Symmetrise; at the optimum ∂²/∂θ_i∂θ_j = p_i p_j ∂²/∂p_i∂p_j (the gradient term vanishes).
  const Hn: number[][] = H.map((row, i) => row.map((_, j) => (0.5 * (H[i][j] + H[j][i])) / (p[i] * p[j])));
  const inv = invert(Hn);
  const se = (i: number): number => (inv && inv[i][i] > 0 ? Math.sqrt(inv[i][i]) : NaN);
  return { r: se(0), alpha: se(1), a: se(2), b: se(3) };
}

/** Every k-th group (weights kept): an unbiased subsample of the customers for the multi-start phase. */
function subsampleGroups(g: TripleGroups, target: number): TripleGroups {
  const step = Math.ceil(g.count / target);
  const idx: number[] = [];
  for (let i = 0; i < g.count; i += step) idx.push(i);
  const pick = (a: Float64Array): Float64Array => Float64Array.from(idx, (i) => a[i]);
  return { x: pick(g.x), tx: pick(g.tx), T: pick(g.T), weight: pick(g.weight), groupOf: new Int32Array(0), count: idx.length };
}

/** Groups above which the starting points are compared on a subsample before one full-data run. */
const MULTISTART_GROUPS = 20_000;

function minimize(f: ReturnType<typeof objective>, theta0: Float64Array, maxIterations: number): MinimizeResult {
  const res = minimizeLbfgs(f, theta0, { maxIterations, gradTol: 1e-10 });
  if (res.converged && Number.isFinite(res.f)) return res;
  // Derivative-free from wherever L-BFGS got to, then polish.
  const nm = minimizeNelderMead((t) => f(t, new Float64Array(4)), Number.isFinite(res.f) ? res.x : theta0);
  const polished = minimizeLbfgs(f, nm.x, { maxIterations, gradTol: 1e-10 });
  const best = polished.f <= nm.f ? polished : { ...nm, gradNorm: NaN };
  return { ...best, iterations: res.iterations + nm.iterations + polished.iterations, evaluations: res.evaluations + nm.evaluations + polished.evaluations };
}

export function fitBgNbd(data: CustomerHistories | TripleGroups, opts: BgNbdFitOptions = {}): BgNbdFit {
  const g = asGroups(data);
  if (g.count === 0) throw new Error('no customers to fit');
  const penalizer = opts.penalizer ?? 0;
  const maxIter = opts.maxIterations ?? 1000;
  const f = objective(g, penalizer);
  let totalW = 0;
  for (let i = 0; i < g.count; i++) totalW += g.weight[i];
  const starts = opts.starts ?? defaultStarts(g);
  const sub = g.count > MULTISTART_GROUPS && starts.length > 1 ? subsampleGroups(g, MULTISTART_GROUPS) : g;
  const fStart = sub === g ? f : objective(sub, penalizer);
  let best: MinimizeResult | undefined;
  let iterations = 0;
  let evaluations = 0;
  const ends: Float64Array[] = [];
  for (const s of starts) {
    const res = minimize(fStart, toTheta(s), maxIter);
    iterations += res.iterations;
    evaluations += res.evaluations;
    ends.push(res.x);
    if (!best || res.f < best.f) best = res;
  }
  if (sub !== g) {
    const full = minimize(f, best!.x, maxIter);
    iterations += full.iterations;
    evaluations += full.evaluations;
    best = full;
  }
  const b = best!;
  const gradient = new Float64Array(4);
  const fUnpen = penalizer > 0 ? objective(g, 0) : f;
  const meanNll = fUnpen(b.x, gradient);
  let gn = 0;
  for (const v of gradient) gn = Math.max(gn, Math.abs(v));
  return {
    params: toParams(b.x),
    logLikelihood: -meanNll * totalW,
    customers: totalW,
    groups: g.count,
    standardErrors: standardErrors(fUnpen, b.x, totalW),
    converged: b.converged,
    iterations,
    evaluations,
    gradientNorm: penalizer > 0 ? b.gradNorm : gn,
    startLogLikelihoods: ends.map((x) => -fUnpen(x, new Float64Array(4)) * totalW),
  };
}
