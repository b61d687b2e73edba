// The exposure simulation's ground truth, taken from the synthetic shop generator: one placement (the
// home page, `slots` positions per view) on one day, its audience (the generator's launch panel: shoppers
// drawn in proportion to visit rate, restricted to those active that day), each candidate product's true
// per-impression purchase probability there, a popularity-driven history logged at the placement, the
// long-tail flags the platform would compute from it, and a conversion-model-like prior prediction.
//
// Impression model: an impression of product j goes to an audience member m drawn ∝ visit rate, at a
// position k drawn uniformly from the view's slots, and converts with the generator's own
//   P(purchase) = σ(purchaseLogit(world, m, j, home, 0, day, discount 0) − POSITION_DECAY·ln(1 + k)).
// The true rate of j is the exact average of that over the weighted audience and the slots, so a
// Binomial draw at it and the per-impression draw are the same distribution; the bench draws per
// impression (shopper, slot, Bernoulli) so the purchases are literally the purchase model's.
import { pearson } from '../src/ml/metrics';
import {
  DIRECT, PLACEMENT_CODE, POSITION_DECAY, purchaseLogit, sigmoid,
} from '../src/generator/purchase-model';
import { HISTORY_DAYS } from '../src/generator/calendar';
import { buildWorld } from '../src/generator/world';
import type { ShopSize } from '../src/generator/sizes';
import type { World } from '../src/generator/types';
import type { SeededRng } from '../src/ml/random';
import { SeededRng as Rng } from '../src/ml/random';
import type { SimulatedCatalogue } from '../src/ml/exposure/simulate';

export interface ExposureWorldOptions {
  size: ShopSize;
  seed: number;
  /** Positions per view of the placement. */
  slots: number;
  /** Impressions logged at the placement before the simulation, spread ∝ organic popularity. */
  historyImpressions: number;
  /** Most audience members to average over (a seeded subsample of the panel when larger). */
  maxAudience?: number;
}

export interface ExposureWorld extends SimulatedCatalogue {
  world: World;
  /** Catalogue index of each candidate. */
  productIndex: Int32Array;
  /** Organic popularity weight of each candidate (what today's home page ranks by). */
  popularity: Float64Array;
  historyImpressions: Float64Array;
  historyPurchases: Float64Array;
  trueRate: Float64Array;
  predicted: Float64Array;
  isLongTail: Uint8Array;
  audience: number;
  day: number;
  drawPurchases: (product: number, impressions: number, rng: SeededRng) => number;
  /** How informative the prior is: Pearson r of log(predicted) vs log(true), by group; mean log ratio. */
  priorQuality: { rAll: number; rHead: number; rTail: number; meanLogRatioHead: number; meanLogRatioTail: number };
}

const HOME = PLACEMENT_CODE['home'];
/** Shrinkage of the feature model's group means, in products' weight (category → global, brand → category). */
const SHRINK = 3;
/** A product's logged rate counts with weight h / (h + RATE_WEIGHT) in the group means. */
const RATE_WEIGHT = 300;
/** Head = best sellers making the first 80% of logged units, as the platform's long-tail flag. */
const HEAD_SHARE = 0.8;

function poisson(mean: number, rng: SeededRng): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

export function buildExposureWorld(opts: ExposureWorldOptions): ExposureWorld {
  const world = buildWorld(opts.size, opts.seed);
  const c = world.catalog;
  const pop = world.population;
  // A day six weeks before the history ends: an ordinary late-summer day, no sitewide sale.
  const day = HISTORY_DAYS - 45;
  if (DIRECT === HOME) throw new Error('unexpected placement codes');

  // Audience: panel members active that day, weights ∝ visit rate (the panel's own weights).
  const members: number[] = [];
  const weights: number[] = [];
  const { members: pm, weights: pw } = world.launchPanel;
  for (let k = 0; k < pm.length; k++) {
    const i = pm[k];
    if (pop.activeFromDay[i] <= day && day < pop.activeToDay[i] && pw[k] > 0) {
      members.push(i);
      weights.push(pw[k]);
    }
  }
  const pick = new Rng(opts.seed ^ 0x5eed);
  const maxAudience = opts.maxAudience ?? 1500;
  while (members.length > maxAudience) {
    const k = pick.int(members.length);
    members[k] = members[members.length - 1];
    weights[k] = weights[weights.length - 1];
    members.pop();
    weights.pop();
  }
  const M = members.length;
  const cdf = new Float64Array(M);
  let wsum = 0;
  for (let m = 0; m < M; m++) cdf[m] = wsum += weights[m];

  // Candidates: products launched before the day.
  const cand: number[] = [];
  for (let j = 0; j < c.count; j++) if (c.launchDay[j] <= day) cand.push(j);
  const n = cand.length;
  const S = opts.slots;
  const shift = Float64Array.from({ length: S }, (_, k) => -POSITION_DECAY * Math.log1p(k));
  const logit = new Float32Array(n * M);
  const trueRate = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    const j = cand[a];
    let s = 0;
    for (let m = 0; m < M; m++) {
      const x = purchaseLogit(world, members[m], j, HOME, 0, day, 0);
      logit[a * M + m] = x;
      let p = 0;
      for (let k = 0; k < S; k++) p += sigmoid(x + shift[k]);
      s += (weights[m] * p) / S;
    }
    trueRate[a] = s / wsum;
  }

  const drawPurchases = (a: number, impressions: number, rng: SeededRng): number => {
    let k = 0;
    const row = a * M;
    for (let t = 0; t < impressions; t++) {
      const u = rng.next() * wsum;
      let lo = 0;
      let hi = M - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      const pos = rng.int(S);
      if (rng.next() < sigmoid(logit[row + lo] + shift[pos])) k++;
    }
    return k;
  };

  // History: the organic home page, impressions ∝ popularity.
  let popSum = 0;
  for (const j of cand) popSum += c.popularity[j];
  const historyImpressions = Float64Array.from(cand, (j) => Math.round((opts.historyImpressions * c.popularity[j]) / popSum));
  const historyPurchases = new Float64Array(n);
  const hrng = new Rng(opts.seed * 31 + 7);
  for (let a = 0; a < n; a++) historyPurchases[a] = drawPurchases(a, historyImpressions[a], hrng);

  // Long tail, as the platform flags it: outside the best sellers making the first 80% of trailing units
  // (ties by index). Trailing units come from the shop's organic exposure across its lists, not just
  // this placement: 40% of list impressions by store-wide popularity (home), 60% by popularity within a
  // category (category pages and search; categories visited evenly), each converting at the product's
  // rate; units are a Poisson draw around that for 90 days of `historyImpressions`-sized traffic.
  const catPop = new Map<number, number>();
  for (const j of cand) catPop.set(c.category[j], (catPop.get(c.category[j]) ?? 0) + c.popularity[j]);
  const nCat = catPop.size;
  const units = new Float64Array(n);
  const urng = new Rng(opts.seed * 17 + 3);
  for (let a = 0; a < n; a++) {
    const j = cand[a];
    const share = 0.4 * (c.popularity[j] / popSum) + (0.6 * (c.popularity[j] / catPop.get(c.category[j])!)) / nCat;
    units[a] = poisson(opts.historyImpressions * share * trueRate[a], urng);
  }
  const byUnits = Array.from({ length: n }, (_, a) => a).sort((x, y) => units[y] - units[x] || x - y);
  let totalUnits = 0;
  for (let a = 0; a < n; a++) totalUnits += units[a];
  const isLongTail = new Uint8Array(n).fill(1);
  let cum = 0;
  for (const a of byUnits) {
    if (units[a] > 0 && cum / totalUnits < HEAD_SHARE) isLongTail[a] = 0;
    cum += units[a];
  }

  // Prior prediction: a features-only conversion model fitted on the logged history. Each product's
  // logged rate k/h counts with precision weight h / (h + RATE_WEIGHT) (so a best seller weighs 1,
  // not its impression count, and the head does not set the tail's level); category means shrink to
  // the global mean and brand-in-category means to the category's, by SHRINK products' weight. Leave-
  // one-out, so a product's own log never feeds its prediction (its impressions enter the posterior as
  // observations instead). It knows category and brand, not the product's quality or style.
  const wOf = (h: number): number => h / (h + RATE_WEIGHT);
  let W = 0;
  let WR = 0;
  const catW = new Map<number, number>();
  const catWR = new Map<number, number>();
  const brW = new Map<string, number>();
  const brWR = new Map<string, number>();
  const add = <K>(m: Map<K, number>, key: K, v: number) => m.set(key, (m.get(key) ?? 0) + v);
  const brandKey = (j: number): string => `${c.category[j]}:${c.brand[j]}`;
  for (let a = 0; a < n; a++) {
    const j = cand[a];
    const h = historyImpressions[a];
    if (h <= 0) continue;
    const w = wOf(h);
    const r = historyPurchases[a] / h;
    W += w;
    WR += w * r;
    add(catW, c.category[j], w);
    add(catWR, c.category[j], w * r);
    add(brW, brandKey(j), w);
    add(brWR, brandKey(j), w * r);
  }
  const g = WR / W;
  const predicted = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    const j = cand[a];
    const h = historyImpressions[a];
    const w = h > 0 ? wOf(h) : 0;
    const wr = h > 0 ? w * (historyPurchases[a] / h) : 0;
    const catRate = ((catWR.get(c.category[j]) ?? 0) - wr + SHRINK * g) / ((catW.get(c.category[j]) ?? 0) - w + SHRINK);
    predicted[a] = Math.max(1e-5, ((brWR.get(brandKey(j)) ?? 0) - wr + SHRINK * catRate) / ((brW.get(brandKey(j)) ?? 0) - w + SHRINK));
  }
  const lp = Float64Array.from(predicted, (p) => Math.log(p));
  const lt = Float64Array.from(trueRate, (p) => Math.log(p));
  const meanRatio = (tail: number): number => {
    let s = 0;
    let cnt = 0;
    for (let a = 0; a < n; a++) if (isLongTail[a] === tail) { s += lp[a] - lt[a]; cnt++; }
    return cnt > 0 ? s / cnt : NaN;
  };
  return {
    world,
    productIndex: Int32Array.from(cand),
    popularity: Float64Array.from(cand, (j) => c.popularity[j]),
    historyImpressions,
    historyPurchases,
    trueRate,
    predicted,
    isLongTail,
    audience: M,
    day,
    drawPurchases,
    priorQuality: {
      rAll: pearson(lp, lt),
      rHead: pearson(lp, lt, Uint8Array.from(isLongTail, (t) => (t === 0 ? 1 : 0))),
      rTail: pearson(lp, lt, Uint8Array.from(isLongTail, (t) => (t === 1 ? 1 : 0))),
      meanLogRatioHead: meanRatio(0),
      meanLogRatioTail: meanRatio(1),
    },
  };
}
