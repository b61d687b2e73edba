// Classification metrics for probabilistic predictions of a binary label, and Pearson correlation. Inputs are parallel typed
// arrays (scores/probabilities and 0/1 labels); nothing here allocates per row beyond one sort.
// Conventions: ECE uses equal-mass bins over the predicted probability of the POSITIVE class (not the
// "confidence" of the arg-max class), which is the meaningful definition for rare conversions.

export type Scores = ArrayLike<number>;
export type Labels = ArrayLike<number>;

function checkLengths(p: Scores, y: Labels): void {
  if (p.length !== y.length) throw new Error(`predictions (${p.length}) and labels (${y.length}) differ in length`);
}

/** Indices 0..n-1 ordered by score ascending (stable for ties). */
export function argsortAscending(scores: Scores): Uint32Array {
  const n = scores.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Sorting a packed copy is much faster than a comparator over the original array-like.
  const s = Float64Array.from(scores as ArrayLike<number>);
  idx.sort((a, b) => s[a] - s[b] || a - b);
  return idx;
}

/**
 * Area under the ROC curve: the probability that a random positive outranks a random negative, ties
 * counting one half (the Mann–Whitney statistic with average ranks). NaN when a class is absent.
 */
export function auc(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const n = scores.length;
  const order = argsortAscending(scores);
  let pos = 0;
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    const v = scores[order[i]];
    while (j + 1 < n && scores[order[j + 1]] === v) j++;
    // Ranks i+1 .. j+1 share their average.
    const avgRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] > 0) {
        pos++;
        rankSumPos += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** AUC on the subset of rows `rows` (indices). */
export function aucOn(scores: Scores, labels: Labels, rows: ArrayLike<number>): number {
  const s = new Float64Array(rows.length);
  const y = new Uint8Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    s[k] = scores[rows[k]];
    y[k] = labels[rows[k]] > 0 ? 1 : 0;
  }
  return auc(s, y);
}

/** Mean negative log-likelihood (natural log), probabilities clipped to [eps, 1 − eps]. */
export function logLoss(p: Scores, y: Labels, eps = 1e-7): number {
  checkLengths(p, y);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]));
    sum -= y[i] > 0 ? Math.log(q) : Math.log(1 - q);
  }
  return p.length > 0 ? sum / p.length : NaN;
}

/** Mean squared error of the probability against the 0/1 outcome. */
export function brier(p: Scores, y: Labels): number {
  checkLengths(p, y);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i] - (y[i] > 0 ? 1 : 0);
    sum += d * d;
  }
  return p.length > 0 ? sum / p.length : NaN;
}

export interface CalibrationBin {
  /** Rows in the bin. */
  count: number;
  /** Lowest and highest predicted probability in the bin. */
  lo: number;
  hi: number;
  /** Mean predicted probability of the positive class. */
  meanPredicted: number;
  /** Observed positive rate. */
  observedRate: number;
}

export interface EceResult {
  /** Σ_b (n_b / N) |meanPredicted_b − observedRate_b|. */
  ece: number;
  bins: CalibrationBin[];
}

/**
 * Calibration curve with equal-mass bins: rows sorted by predicted probability and cut into `bins`
 * groups of (nearly) equal count; rows with identical predictions are never split across bins.
 */
export function calibrationCurve(p: Scores, y: Labels, bins = 10): CalibrationBin[] {
  checkLengths(p, y);
  const n = p.length;
  if (n === 0) return [];
  const order = argsortAscending(p);
  const out: CalibrationBin[] = [];
  let start = 0;
  for (let b = 0; b < bins && start < n; b++) {
    let end = Math.max(start + 1, Math.round(((b + 1) * n) / bins));
    if (b === bins - 1) end = n;
    while (end < n && p[order[end]] === p[order[end - 1]]) end++;
    let sp = 0;
    let sy = 0;
    for (let k = start; k < end; k++) {
      sp += p[order[k]];
      sy += y[order[k]] > 0 ? 1 : 0;
    }
    const count = end - start;
    out.push({ count, lo: p[order[start]], hi: p[order[end - 1]], meanPredicted: sp / count, observedRate: sy / count });
    start = end;
  }
  return out;
}

/** Expected calibration error over equal-mass bins of the positive-class probability. */
export function ece(p: Scores, y: Labels, bins = 10): EceResult {
  const curve = calibrationCurve(p, y, bins);
  let total = 0;
  let err = 0;
  for (const b of curve) {
    total += b.count;
    err += b.count * Math.abs(b.meanPredicted - b.observedRate);
  }
  return { ece: total > 0 ? err / total : NaN, bins: curve };
}

/** Mean of an array (NaN when empty). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length > 0 ? s / x.length : NaN;
}

/** Pearson correlation of the rows where `mask` is 1 (NaN when a side is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>, mask?: Uint8Array): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask && !mask[i]) continue;
    n++;
    sa += a[i];
    sb += b[i];
  }
  if (n < 2) return NaN;
  const ma = sa / n;
  const mb = sb / n;
  let cab = 0;
  let caa = 0;
  let cbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask && !mask[i]) continue;
    const da = a[i] - ma;
    const db = b[i] - mb;
    cab += da * db;
    caa += da * da;
    cbb += db * db;
  }
  return caa > 0 && cbb > 0 ? cab / Math.sqrt(caa * cbb) : NaN;
}
