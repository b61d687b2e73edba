// Prior conversion rate of each candidate at a placement. With an active conversion model: its
// calibrated P(buy | shown at this placement) averaged over a sample of the placement's recent
// audience (the product tower's vectors are computed once per model, so each audience member is
// one small MLP pass over the candidates). Without one: an empirical-Bayes Beta prior per long-tail
// group, fitted by the method of moments to the rates observed at the placement.
import type { LoadedConversionModel } from '../conversion/conversion-model.cache';
import type { Candidate, PlacementObservations } from './exposure-data.repository';

export type PriorSource = 'CONVERSION_MODEL' | 'EMPIRICAL_BAYES' | 'DEFAULT';

export interface Priors {
  /** Prior mean and strength (pseudo-impressions) per candidate. */
  mean: Float64Array;
  strength: Float64Array;
  source: PriorSource;
  details: Record<string, unknown>;
}

/** Pseudo-impressions a model prediction is worth: a product's own data outweighs it after ~50 impressions. */
export const MODEL_PRIOR_STRENGTH = 50;
const MIN_STRENGTH = 2;
const MAX_STRENGTH = 1000;
/** No model and no logs: a weak prior (2% worth 2 impressions), so the first data decides. */
const DEFAULT_MEAN = 0.02;
/**
 * Audience members scored per plan: enough for a stable average, bounded so planning stays fast (the
 * head MLP runs per customer × product pair, ~15k pairs/s on the WASM backend: ~32k pairs per plan).
 */
export function audienceSampleSize(candidates: number): number {
  return Math.max(2, Math.min(32, Math.floor(32_000 / Math.max(1, candidates))));
}

interface GroupFit { mean: number; strength: number; products: number; impressions: number; purchases: number }

/** Method-of-moments Beta fit to per-product rates; the binomial noise of small counts is subtracted. */
function fitGroup(rows: Array<{ n: number; k: number }>): GroupFit | null {
  let n = 0;
  let k = 0;
  for (const r of rows) { n += r.n; k += r.k; }
  if (n === 0) return null;
  const m = (k + 0.5) / (n + 1);
  let spread = 0;
  for (const r of rows) spread += r.n * (r.k / r.n - m) ** 2;
  spread /= n;
  const tau2 = spread - (m * (1 - m) * rows.length) / n;
  const strength = tau2 > 0 ? Math.min(MAX_STRENGTH, Math.max(MIN_STRENGTH, (m * (1 - m)) / tau2 - 1)) : MAX_STRENGTH;
  return { mean: m, strength, products: rows.length, impressions: n, purchases: k };
}

export function empiricalBayesPriors(candidates: Candidate[], obs: PlacementObservations): Priors {
  const groups: Array<Array<{ n: number; k: number }>> = [[], []];
  for (const c of candidates) {
    const o = obs.byProduct.get(c.id);
    if (o && o.impressions > 0) groups[c.isLongTail ? 1 : 0].push({ n: o.impressions, k: o.purchases });
  }
  const all = fitGroup([...groups[0], ...groups[1]]);
  const head = fitGroup(groups[0]) ?? all;
  const tail = fitGroup(groups[1]) ?? all;
  const mean = new Float64Array(candidates.length);
  const strength = new Float64Array(candidates.length);
  candidates.forEach((c, i) => {
    const g = c.isLongTail ? tail : head;
    mean[i] = g?.mean ?? DEFAULT_MEAN;
    strength[i] = g?.strength ?? MIN_STRENGTH;
  });
  const describe = (g: GroupFit | null) => (g ? { mean: g.mean, strength: g.strength, products: g.products, impressions: g.impressions, purchases: g.purchases } : null);
  return all
    ? { mean, strength, source: 'EMPIRICAL_BAYES', details: { head: describe(head), longTail: describe(tail) } }
    : { mean, strength, source: 'DEFAULT', details: { mean: DEFAULT_MEAN, strength: MIN_STRENGTH, why: 'no active conversion model and no impressions logged at the placement' } };
}

/**
 * Model priors: the mean prediction over `audience` (customer row ids; unknown ones use the model's
 * cold-start vector; an empty audience is scored as one anonymous shopper). Candidates the model
 * does not know yet keep the fallback prior.
 */
/** Products scored per slice (a few milliseconds of work). */
const SCORE_SLICE = 1_000;

export async function modelPriors(m: LoadedConversionModel, candidates: Candidate[], audience: number[], handle: string, time: number, fallback: Priors): Promise<Priors> {
  const known: number[] = [];
  const idx: number[] = [];
  candidates.forEach((c, i) => {
    const k = m.productIndex.get(c.id);
    if (k !== undefined) { known.push(i); idx.push(k); }
  });
  const mean = Float64Array.from(fallback.mean);
  const strength = Float64Array.from(fallback.strength);
  const sum = new Float64Array(idx.length);
  const rows = audience.length ? audience.map((id) => m.customerIndex.get(id) ?? m.model.customers.count) : [-1];
  // The model resolves the handle in its own placement vocabulary. Scoring runs in slices with a turn
  // of the event loop between them: the mutation's preflight runs this inside the API process.
  for (const c of rows) {
    for (let from = 0; from < idx.length; from += SCORE_SLICE) {
      const p = m.model.scoreCustomer(c, idx.slice(from, from + SCORE_SLICE), { placement: handle, position: 0, time });
      for (let j = 0; j < p.length; j++) sum[from + j] += p[j];
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  let avg = 0;
  known.forEach((i, j) => {
    mean[i] = sum[j] / rows.length;
    strength[i] = MODEL_PRIOR_STRENGTH;
    avg += mean[i];
  });
  return {
    mean, strength, source: 'CONVERSION_MODEL',
    details: {
      modelVersion: m.version, audienceSampled: audience.length, anonymousAudience: audience.length === 0,
      strength: MODEL_PRIOR_STRENGTH, meanPrediction: known.length ? avg / known.length : null,
      productsWithoutPrediction: candidates.length - known.length, fallback: fallback.source,
    },
  };
}
