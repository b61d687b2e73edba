// Pareto/NBD (Schmittlein, Morrison & Colombo 1987) by maximum likelihood, in the form derived in
// Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions":
//
//   L(r, α, s, β | x, t_x, T) = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^{−(r+x)} (β+T)^{−s} + s/(r+s+x) · A₀ ]
//   A₀ = F(t_x) / (m+t_x)^{r+s+x} − F(T) / (m+T)^{r+s+x},   F(t) = 2F1(r+s+x, b'; r+s+x+1; |α−β| / (m+t))
//
// with m = α, b' = s+1 when α ≥ β, and m = β, b' = r+x otherwise. The 2F1 terms are where the model is
// numerically fragile: a = r+s+x reaches the hundreds for frequent buyers and z → 1 when one of α, β is
// much larger than the other, so they go through special.ts's hyp2f1Log (transformations chosen by
// conditioning, double-double summation when every representation cancels). A₀ is a difference of two
// close numbers when t_x is near T; it is formed in logs as e^{l₁}(1 − e^{l₂−l₁}) with expm1.
import { groupTriples, type TripleGroups } from './grouping';
import { minimizeNelderMead } from './optimize';
import { hyp2f1Log, lnGamma } from './special';
import type { CustomerHistories } from './bgnbd';

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/** log(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** One customer's log-likelihood; NaN when a 2F1 cannot be evaluated to 1e-8. */
export function paretoNbdLogLikelihoodOne(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const head = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const stay = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const aGeB = alpha >= beta;
  const m = aGeB ? alpha : beta;
  const b2 = aGeB ? s + 1 : r + x;
  const diff = Math.abs(alpha - beta);
  const term = (t: number): number => {
    const h = hyp2f1Log(rsx, b2, rsx + 1, diff / (m + t));
    return h.sign > 0 ? h.logAbs - rsx * Math.log(m + t) : NaN;
  };
  const l1 = term(tx);
  const l2 = tx === T ? -Infinity : term(T);
  if (Number.isNaN(l1) || Number.isNaN(l2)) return NaN;
  // A₀ = e^{l1} − e^{l2} ≥ 0 (the 2F1 ratio decreases in t).
  const a0 = l2 === -Infinity ? l1 : l1 + Math.log(Math.max(0, -Math.expm1(l2 - l1)));
  return head + logAdd(stay, Math.log(s / rsx) + a0);
}

/** Σ log-likelihood over customers (or groups of identical (x, t_x, T), weighted). */
export function paretoNbdLogLikelihood(p: ParetoNbdParams, data: CustomerHistories | TripleGroups): number {
  const g = 'weight' in data ? data : groupTriples(data.x, data.tx, data.T);
  let ll = 0;
  for (let i = 0; i < g.count; i++) ll += g.weight[i] * paretoNbdLogLikelihoodOne(p, g.x[i], g.tx[i], g.T[i]);
  return ll;
}

export interface ParetoNbdFit {
  params: ParetoNbdParams;
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
  customers: number;
  groups: number;
}

/** Maximum likelihood by Nelder–Mead on log parameters (the likelihood has no cheap gradient in s, β). */
export function fitParetoNbd(data: CustomerHistories | TripleGroups, opts: { start?: ParetoNbdParams; maxEvaluations?: number } = {}): ParetoNbdFit {
  const g = 'weight' in data ? data : groupTriples(data.x, data.tx, data.T);
  let customers = 0;
  for (let i = 0; i < g.count; i++) customers += g.weight[i];
  const toParams = (t: Float64Array): ParetoNbdParams => ({ r: Math.exp(t[0]), alpha: Math.exp(t[1]), s: Math.exp(t[2]), beta: Math.exp(t[3]) });
  const start = opts.start ?? { r: 1, alpha: 1, s: 1, beta: 1 };
  const f = (t: Float64Array): number => {
    const ll = paretoNbdLogLikelihood(toParams(t), g);
    return Number.isFinite(ll) ? -ll / customers : Infinity;
  };
  const res = minimizeNelderMead(f, [Math.log(start.r), Math.log(start.alpha), Math.log(start.s), Math.log(start.beta)], {
    maxEvaluations: opts.maxEvaluations ?? 6000, fTol: 1e-13, xTol: 1e-9, step: 0.5,
  });
  const params = toParams(res.x);
  return { params, logLikelihood: -res.f * customers, converged: res.converged, evaluations: res.evaluations, customers, groups: g.count };
}
