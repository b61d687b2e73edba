// Post-hoc calibration of predicted probabilities, fitted on a validation slice: Platt scaling (a
// logistic regression on the model's logit, two parameters) and isotonic regression (pool-adjacent-
// violators, applied by linear interpolation between block centres). Both are plain JSON-serialisable
// objects so they travel inside model artifacts.

export type Calibrator =
  | { kind: 'none' }
  | { kind: 'platt'; a: number; b: number }
  | { kind: 'isotonic'; x: number[]; y: number[] };

const EPS = 1e-7;

export function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Platt scaling: p' = σ(a·logit(p) + b), fitted by Newton's method on the log loss. With
 * `smoothTargets` Platt's (N+ + 1)/(N+ + 2) targets are used, which keeps a and b finite on tiny sets.
 */
export function fitPlatt(p: ArrayLike<number>, y: ArrayLike<number>, opts: { smoothTargets?: boolean } = {}): Calibrator {
  const n = p.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (y[i] > 0) nPos++;
  const hi = opts.smoothTargets ? (nPos + 1) / (nPos + 2) : 1;
  const lo = opts.smoothTargets ? 1 / (n - nPos + 2) : 0;
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = logit(p[i]);
  let a = 1;
  let b = 0;
  let prevLoss = Infinity;
  for (let iter = 0; iter < 100; iter++) {
    let g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0, loss = 0;
    for (let i = 0; i < n; i++) {
      const t = y[i] > 0 ? hi : lo;
      const q = sigmoid(a * z[i] + b);
      const d = q - t;
      g0 += d * z[i];
      g1 += d;
      const w = Math.max(q * (1 - q), 1e-12);
      h00 += w * z[i] * z[i];
      h01 += w * z[i];
      h11 += w;
      const qc = Math.min(1 - EPS, Math.max(EPS, q));
      loss -= t * Math.log(qc) + (1 - t) * Math.log(1 - qc);
    }
    const det = h00 * h11 - h01 * h01 + 1e-12;
    let da = (h11 * g0 - h01 * g1) / det;
    let db = (h00 * g1 - h01 * g0) / det;
    // Damp steps that would overshoot wildly on near-separable data.
    const step = Math.max(Math.abs(da), Math.abs(db));
    if (step > 5) {
      da *= 5 / step;
      db *= 5 / step;
    }
    a -= da;
    b -= db;
    if (Math.abs(prevLoss - loss) < 1e-10 * Math.max(1, n)) break;
    prevLoss = loss;
  }
  return { kind: 'platt', a, b };
}

/**
 * Isotonic regression of y on p (pool-adjacent-violators, weights = row counts). The fitted map is a
 * non-decreasing step function; it is applied by interpolating between the blocks' mean scores, and
 * its outputs are kept inside [minProb, 1 − minProb] so log loss stays finite.
 */
export function fitIsotonic(p: ArrayLike<number>, y: ArrayLike<number>, opts: { minProb?: number } = {}): Calibrator {
  const n = p.length;
  const minProb = opts.minProb ?? 1e-5;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => p[i] - p[j]);
  // Blocks: sum of scores, sum of labels, weight.
  const bx: number[] = [];
  const by: number[] = [];
  const bw: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const yi = y[i] > 0 ? 1 : 0;
    // Equal scores form one block from the start, so ties never get different outputs.
    if (bw.length > 0 && p[i] === bx[bx.length - 1] / bw[bw.length - 1]) {
      bx[bx.length - 1] += p[i];
      by[by.length - 1] += yi;
      bw[bw.length - 1] += 1;
    } else {
      bx.push(p[i]);
      by.push(yi);
      bw.push(1);
    }
    while (bw.length > 1) {
      const m = bw.length - 1;
      if (by[m - 1] / bw[m - 1] <= by[m] / bw[m]) break;
      bx[m - 1] += bx[m];
      by[m - 1] += by[m];
      bw[m - 1] += bw[m];
      bx.pop();
      by.pop();
      bw.pop();
    }
  }
  const x = bx.map((s, k) => s / bw[k]);
  const yy = by.map((s, k) => Math.min(1 - minProb, Math.max(minProb, s / bw[k])));
  return { kind: 'isotonic', x, y: yy };
}

/** Applies a calibrator to one probability. */
export function calibrate(c: Calibrator, p: number): number {
  switch (c.kind) {
    case 'none':
      return p;
    case 'platt':
      return sigmoid(c.a * logit(p) + c.b);
    case 'isotonic': {
      const { x, y } = c;
      const n = x.length;
      if (n === 0) return p;
      if (p <= x[0]) return y[0];
      if (p >= x[n - 1]) return y[n - 1];
      let lo = 0;
      let hi = n - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (x[mid] <= p) lo = mid;
        else hi = mid;
      }
      const t = (p - x[lo]) / (x[hi] - x[lo]);
      return y[lo] + t * (y[hi] - y[lo]);
    }
  }
}

/** Applies a calibrator to every probability (new array). */
export function calibrateAll(c: Calibrator, p: ArrayLike<number>): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = calibrate(c, p[i]);
  return out;
}
