// Small unconstrained minimisers for the few-parameter likelihoods of the CLV models (parameters are
// optimised on the log scale by the callers, so "unconstrained" is enough).
// - minimizeLbfgs: limited-memory BFGS with a backtracking Armijo line search; the objective returns its
//   value and fills the gradient. Non-finite values are treated as "too far": the step is shortened.
// - minimizeNelderMead: derivative-free simplex with the dimension-adapted coefficients of Gao & Han
//   (2012), used as a fallback when gradients misbehave.

// Module-local binding: under Jest's vm context every global lookup of `Math` costs ~20× more.
const Math = globalThis.Math;

export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeResult {
  x: Float64Array;
  f: number;
  /** Max-norm of the gradient at x (NaN for Nelder–Mead). */
  gradNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  message: string;
}

export interface LbfgsOptions {
  maxIterations?: number;
  /** Stop when max |∂f/∂x_i| ≤ gradTol. */
  gradTol?: number;
  /** Stop when f improves by less than fTol·max(1, |f|) over 5 iterations. */
  fTol?: number;
  /** History pairs kept. */
  memory?: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function minimizeLbfgs(fg: ValueAndGradient, x0: ArrayLike<number>, opts: LbfgsOptions = {}): MinimizeResult {
  const maxIter = opts.maxIterations ?? 500;
  const gradTol = opts.gradTol ?? 1e-9;
  const fTol = opts.fTol ?? 1e-14;
  const m = opts.memory ?? 8;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, f, gradNorm: NaN, iterations: 0, evaluations, converged: false, message: 'objective not finite at the start' };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rhos: number[] = [];
  const d = new Float64Array(n);
  const alphas = new Float64Array(m);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  const history: number[] = [f];
  for (let iter = 0; iter < maxIter; iter++) {
    const gn = maxAbs(g);
    if (gn <= gradTol) return { x, f, gradNorm: gn, iterations: iter, evaluations, converged: true, message: 'gradient tolerance' };
    // Two-loop recursion: d = −H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alphas[k] = rhos[k] * dot(S[k], d);
      for (let i = 0; i < n; i++) d[i] -= alphas[k] * Y[k][i];
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rhos[k] * dot(Y[k], d);
      for (let i = 0; i < n; i++) d[i] += (alphas[k] - beta) * S[k][i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (bad curvature history): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rhos.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    let step = S.length === 0 ? Math.min(1, 1 / Math.max(gn, 1e-12)) : 1;
    let fNew = NaN;
    let accepted = false;
    for (let ls = 0; ls < 60; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      // Quadratic interpolation of the step when the value is usable, halving otherwise.
      const q = Number.isFinite(fNew) ? (-slope * step * step) / (2 * (fNew - f - slope * step)) : step / 2;
      step = Math.min(step / 2, Math.max(step / 10, q));
    }
    if (!accepted) return { x, f, gradNorm: gn, iterations: iter, evaluations, converged: gn <= gradTol * 1e3, message: 'line search failed' };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rhos.shift();
      }
      S.push(s);
      Y.push(y);
      rhos.push(1 / sy);
    }
    x = Float64Array.from(xNew);
    const tmp = g;
    g = gNew;
    gNew = tmp;
    f = fNew;
    history.push(f);
    if (history.length > 5 && history[history.length - 6] - f <= fTol * Math.max(1, Math.abs(f))) {
      return { x, f, gradNorm: maxAbs(g), iterations: iter + 1, evaluations, converged: true, message: 'objective stalled' };
    }
  }
  return { x, f, gradNorm: maxAbs(g), iterations: maxIter, evaluations, converged: false, message: 'iteration limit' };
}

export interface NelderMeadOptions {
  maxEvaluations?: number;
  /** Stop when the simplex's values span less than fTol and its vertices lie within xTol of the best. */
  fTol?: number;
  xTol?: number;
  /** Initial simplex edge. */
  step?: number;
}

export function minimizeNelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, opts: NelderMeadOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxEval = opts.maxEvaluations ?? 4000 * n;
  const fTol = opts.fTol ?? 1e-12;
  const xTol = opts.xTol ?? 1e-10;
  const step = opts.step ?? 0.5;
  const safe = (v: Float64Array): number => {
    const y = f(v);
    return Number.isFinite(y) ? y : Infinity;
  };
  const alpha = 1;
  const gamma = 1 + 2 / n;
  const rho = 0.75 - 1 / (2 * n);
  const sigma = 1 - 1 / n;
  const pts: Float64Array[] = [Float64Array.from(x0)];
  for (let i = 0; i < n; i++) {
    const p = Float64Array.from(x0);
    p[i] += step;
    pts.push(p);
  }
  const vals = pts.map(safe);
  let evaluations = n + 1;
  let iterations = 0;
  const centroid = new Float64Array(n);
  const trial = (from: Float64Array, to: Float64Array, t: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = from[i] + t * (to[i] - from[i]);
    return out;
  };
  while (evaluations < maxEval) {
    iterations++;
    const idx = vals.map((_, i) => i).sort((p, q) => vals[p] - vals[q]);
    const sortedP = idx.map((i) => pts[i]);
    const sortedV = idx.map((i) => vals[i]);
    for (let i = 0; i <= n; i++) {
      pts[i] = sortedP[i];
      vals[i] = sortedV[i];
    }
    let spread = 0;
    for (let i = 1; i <= n; i++) for (let j = 0; j < n; j++) spread = Math.max(spread, Math.abs(pts[i][j] - pts[0][j]));
    if (Math.abs(vals[n] - vals[0]) <= fTol * Math.max(1, Math.abs(vals[0])) && spread <= xTol) {
      return { x: pts[0], f: vals[0], gradNorm: NaN, iterations, evaluations, converged: true, message: 'simplex converged' };
    }
    centroid.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += pts[i][j] / n;
    const xr = trial(centroid, pts[n], -alpha);
    const fr = safe(xr);
    evaluations++;
    if (fr < vals[0]) {
      const xe = trial(centroid, pts[n], -gamma);
      const fe = safe(xe);
      evaluations++;
      if (fe < fr) {
        pts[n] = xe;
        vals[n] = fe;
      } else {
        pts[n] = xr;
        vals[n] = fr;
      }
    } else if (fr < vals[n - 1]) {
      pts[n] = xr;
      vals[n] = fr;
    } else {
      const outside = fr < vals[n];
      const xc = outside ? trial(centroid, xr, rho) : trial(centroid, pts[n], rho);
      const fc = safe(xc);
      evaluations++;
      if (fc < (outside ? fr : vals[n])) {
        pts[n] = xc;
        vals[n] = fc;
      } else {
        for (let i = 1; i <= n; i++) {
          pts[i] = trial(pts[0], pts[i], sigma);
          vals[i] = safe(pts[i]);
          evaluations++;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (vals[i] < vals[best]) best = i;
  return { x: pts[best], f: vals[best], gradNorm: NaN, iterations, evaluations, converged: false, message: 'evaluation limit' };
}

/** Gauss–Jordan inverse with partial pivoting; undefined when singular. */
export function invert(m: number[][]): number[][] | undefined {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    if (!(Math.abs(a[piv][c]) > 1e-300)) return undefined;
    [a[c], a[piv]] = [a[piv], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}
