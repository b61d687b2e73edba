// An estimator of each shopper's hidden taste vector u and propensity a from their own earlier
// behaviour (and, in estimateProducts, of each product's latent vector and quality from its own),
// given everything else about the generator's world exactly: each product's latent
// vector and quality, the price, habit and context terms of every exposure, the category-choice
// model and the population's prior. It is the Bayesian answer (posterior mode under the population
// prior) to "how well could anyone know this shopper by now", and so bounds what a model that must
// also learn the products can reach. Used only by bench:conversion-ceiling; reads truth freely.
//
// Evidence per shopper, in time order, up to (not including) the exposure being scored:
//  - every exposure's funnel outcome (no view / view / click / add to cart / purchase), whose
//    probabilities the simulation derives from the true purchase probability (viewProbability and
//    the cube-root steps), so each outcome is a likelihood in z = a + u·v + (known rest);
//  - each category page (and each search not led by one of the shopper's staples), whose category
//    the shopper chose with P ∝ exp(CATEGORY_TASTE · u·centroid + ½ ln(products in circulation)).
// The posterior mode is found by Fisher-scoring Newton steps, warm-started from the previous row's.
// Prior 'gaussian' (the population's moments) runs a medium shop in about a minute; 'mixture' (the
// generator's favourite-category construction, one Laplace fit per component) is ~80× slower and
// moved small-shop AUC by ≤ 0.004, so the Gaussian is the default.
import type { GeneratorExposures } from '../../src/ml/conversion/generator-dataset';
import { dayIndex, dayStartMs } from '../../src/generator/calendar';
import { contextShift, discountOnDay, habitBoost, PLACEMENT_CODE, viewProbability } from '../../src/generator/purchase-model';
import { LATENT_DIM, type World } from '../../src/generator/types';
import { choleskyInPlace, solveCholesky } from '../../src/ml/linalg';

const CATEGORY_TASTE = 2.0; // organic-tables.ts
const BASE_LOGIT = -5.4;
const PROMO_BUMP = 0.3;
/** A shopper's parameters: u (LATENT_DIM), propensity (slot A), price sensitivity (slot B). */
const P = LATENT_DIM + 2;
/** A product's parameters: v (LATENT_DIM), quality (slot A). */
export const PRODUCT_THETA_WIDTH = LATENT_DIM + 1;
const Q = PRODUCT_THETA_WIDTH;
const A = LATENT_DIM;
const B = LATENT_DIM + 1;
const DIRECT = PLACEMENT_CODE[''];
const CATEGORY = PLACEMENT_CODE['category'];
const SEARCH = PLACEMENT_CODE['search'];

/** Exposures of known shoppers in the world's indices, with their funnel outcomes. */
export type FunnelExposures = GeneratorExposures;

/**
 * Known shoppers' exposures in world indices (`customerWorld[c]`, `productWorld[p]` map the
 * dataset's indices), and for each exposure read its row here (-1 for anonymous ones).
 */
export function funnelInWorld(all: GeneratorExposures, customerWorld: readonly number[], productWorld: readonly number[]): { fx: FunnelExposures; rowOf: Int32Array } {
  const rows: number[] = [];
  const rowOf = new Int32Array(all.count).fill(-1);
  for (let k = 0; k < all.count; k++) {
    if (all.customer[k] < 0) continue;
    rowOf[k] = rows.length;
    rows.push(k);
  }
  return {
    rowOf,
    fx: {
      count: rows.length,
      customer: Int32Array.from(rows, (k) => customerWorld[all.customer[k]]),
      product: Int32Array.from(rows, (k) => productWorld[all.product[k]]),
      placement: Int32Array.from(rows, (k) => all.placement[k]),
      position: Int32Array.from(rows, (k) => all.position[k]),
      time: Float64Array.from(rows, (k) => all.time[k]),
      depth: Uint8Array.from(rows, (k) => all.depth[k]),
      bought: Uint8Array.from(rows, (k) => all.bought[k]),
    },
  };
}

/** Log-probabilities of each funnel outcome at logit z: list [none, view, click, cart, buy], direct [none, click, cart, buy]. */
function outcomeLogs(z: number, direct: boolean, out: Float64Array): number {
  const p = 1 / (1 + Math.exp(-z));
  const v = direct ? 1 : viewProbability(p, 0);
  const s = Math.min(1 - 1e-9, Math.cbrt(p / v));
  const lv = Math.log(Math.max(v, 1e-300));
  const ls = Math.log(Math.max(s, 1e-300));
  const l1s = Math.log(Math.max(1 - s, 1e-300));
  if (direct) {
    out[0] = l1s;
    out[1] = ls + l1s;
    out[2] = 2 * ls + l1s;
    out[3] = 3 * ls;
    return 4;
  }
  out[0] = Math.log(Math.max(1 - v, 1e-300));
  out[1] = lv + l1s;
  out[2] = lv + ls + l1s;
  out[3] = lv + 2 * ls + l1s;
  out[4] = lv + 3 * ls;
  return 5;
}

const lo = new Float64Array(5);
const mid = new Float64Array(5);
const hi = new Float64Array(5);
/** Score and Fisher information of the observed outcome k with respect to z, and its log-probability. */
function scoreAndInfo(z: number, direct: boolean, k: number): [number, number, number] {
  const h = 1e-3;
  const m = outcomeLogs(z - h, direct, lo);
  outcomeLogs(z, direct, mid);
  outcomeLogs(z + h, direct, hi);
  let info = 0;
  for (let o = 0; o < m; o++) {
    const g = (hi[o] - lo[o]) / (2 * h);
    info += Math.exp(mid[o]) * g * g;
  }
  return [(hi[k] - lo[k]) / (2 * h), info, mid[k]];
}

/** Solves A x = b in place into b for SPD A (lower triangle read); A is overwritten by its Cholesky factor. */
function solveSpdInPlace(a: Float64Array, b: Float64Array, n = P): void {
  choleskyInPlace(a, n, 0, 1e-12);
  solveCholesky(a, b, n);
}

/**
 * One Fisher-scoring step θ += H⁻¹g, damped to at most unit length. `hess` needs only the lower
 * triangle of the negated Hessian; both it and `grad` are overwritten.
 */
function dampedStep(theta: Float64Array, hess: Float64Array, grad: Float64Array, n: number): void {
  solveSpdInPlace(hess, grad, n);
  let norm = 0;
  for (let r = 0; r < n; r++) norm += grad[r] * grad[r];
  const scale = Math.min(1, 1 / Math.sqrt(norm));
  for (let r = 0; r < n; r++) theta[r] += scale * grad[r];
}

/** Inverse of a symmetric positive-definite P × P matrix (column by column). */
function inverseSpd(a: Float64Array): Float64Array {
  const inv = new Float64Array(P * P);
  for (let c = 0; c < P; c++) {
    const e = new Float64Array(P);
    e[c] = 1;
    solveSpdInPlace(a.slice(), e);
    for (let r = 0; r < P; r++) inv[r * P + c] = e[r];
  }
  return inv;
}

/** elasticity × ln(effective price / category level) of an exposure: the price term is −(sensitivity ×) this. */
function priceExposure(world: World, fx: FunnelExposures, k: number): number {
  const j = fx.product[k];
  const disc = discountOnDay(world, j, dayIndex(fx.time[k]));
  return world.categories[world.catalog.category[j]].elasticity * (world.catalog.logRelPrice[j] + Math.log(1 - Math.min(disc, 0.95)));
}

/**
 * The exposure's logit terms that are neither the shopper's (u, a, price sensitivity) nor the
 * product's (v, quality); with `price`, the price term at the shopper's true sensitivity too.
 */
function sharedTerms(world: World, fx: FunnelExposures, k: number, price: boolean): number {
  const i = fx.customer[k];
  const j = fx.product[k];
  const day = dayIndex(fx.time[k]);
  const disc = discountOnDay(world, j, day);
  return BASE_LOGIT + habitBoost(world, i, j)
    - (price ? world.population.priceSensitivity[i] * priceExposure(world, fx, k) : 0)
    + (disc > 0 ? PROMO_BUMP : 0) + contextShift(fx.placement[k], fx.position[k], day);
}

export interface CustomerEstimates {
  /** Per requested exposure: estimated u (LATENT_DIM) and a, from the shopper's earlier evidence. */
  u: Float64Array;
  a: Float64Array;
  /** Price sensitivity. */
  b: Float64Array;
  /**
   * Posterior variance of the shopper's part of the logit, xᵀ H⁻¹ x with x = (v, 1, price exposure)
   * and H the Laplace precision at the mode ('gaussian' prior only; 0 under 'mixture').
   */
  zVar: Float64Array;
}

/** One Gaussian of the prior over θ = (u, a), and a shopper's Laplace fit under it. */
interface Component {
  mean: Float64Array;
  precision: Float64Array;
  logDetPrecision: number;
  logWeight: number;
  theta: Float64Array;
  logEvidence: number;
}

/** log det of an SPD matrix (copied) via Cholesky. */
function logDetSpd(a: Float64Array): number {
  const m = a.slice();
  solveSpdInPlace(m, new Float64Array(P));
  let s = 0;
  for (let i = 0; i < P; i++) s += 2 * Math.log(m[i * P + i]);
  return s;
}

function component(mean: Float64Array, cov: Float64Array, logWeight: number): Component {
  const precision = inverseSpd(cov);
  return { mean, precision, logDetPrecision: logDetSpd(precision), logWeight, theta: mean.slice(), logEvidence: logWeight };
}

/**
 * The prior over (u, a). 'gaussian': the population's moments. 'mixture': the generator's own
 * construction — one favourite category (60%: u = s·centroid + 0.35·ε, s ~ U(0.5, 0.9)) or two
 * (40%: (s₁c_f + s₂c_g)/√2 + 0.35·ε), categories drawn by catalogue share — one Gaussian per
 * favourite set, propensity N(0, 0.6²) independent.
 */
function priorComponents(world: World, kind: 'gaussian' | 'mixture'): Component[] {
  const pop = world.population;
  if (kind === 'gaussian') {
    const mean = new Float64Array(P);
    const cov = new Float64Array(P * P);
    let count = 0;
    const x = new Float64Array(P);
    for (let i = 0; i < pop.customers; i++) {
      if (pop.brushing[i]) continue;
      count++;
      for (let d = 0; d < LATENT_DIM; d++) mean[d] += pop.latent[i * LATENT_DIM + d];
      mean[A] += pop.propensity[i];
      mean[B] += pop.priceSensitivity[i];
    }
    for (let d = 0; d < P; d++) mean[d] /= count;
    for (let i = 0; i < pop.customers; i++) {
      if (pop.brushing[i]) continue;
      for (let d = 0; d < LATENT_DIM; d++) x[d] = pop.latent[i * LATENT_DIM + d] - mean[d];
      x[A] = pop.propensity[i] - mean[A];
      x[B] = pop.priceSensitivity[i] - mean[B];
      for (let r = 0; r < P; r++) for (let c = 0; c < P; c++) cov[r * P + c] += (x[r] * x[c]) / count;
    }
    return [component(mean, cov, 0)];
  }
  const K = world.categories.length;
  const share = new Float64Array(K);
  for (let j = 0; j < world.catalog.count; j++) share[world.catalog.category[j]]++;
  const total = share.reduce((a, b) => a + b, 0);
  const cen = (c: number) => world.categories[c].centroid;
  const varS = 0.4 ** 2 / 12;
  let bm = 0, bv = 0, nb = 0;
  for (let i = 0; i < world.population.customers; i++) if (!world.population.brushing[i]) { bm += world.population.priceSensitivity[i]; nb++; }
  bm /= nb;
  for (let i = 0; i < world.population.customers; i++) if (!world.population.brushing[i]) bv += (world.population.priceSensitivity[i] - bm) ** 2 / nb;
  const build = (favs: number[], w: number): Component => {
    const mean = new Float64Array(P);
    const cov = new Float64Array(P * P);
    const k = Math.sqrt(favs.length);
    for (const f of favs) for (let d = 0; d < LATENT_DIM; d++) mean[d] += (0.7 / k) * cen(f)[d];
    for (let d = 0; d < LATENT_DIM; d++) cov[d * P + d] = 0.35 ** 2;
    for (const f of favs) {
      for (let r = 0; r < LATENT_DIM; r++) for (let c = 0; c < LATENT_DIM; c++) cov[r * P + c] += (varS / favs.length) * cen(f)[r] * cen(f)[c];
    }
    cov[A * P + A] = 0.6 ** 2;
    mean[B] = bm;
    cov[B * P + B] = bv;
    return component(mean, cov, Math.log(w));
  };
  const out: Component[] = [];
  for (let f = 0; f < K; f++) {
    if (share[f] === 0) continue;
    const pf = share[f] / total;
    out.push(build([f], 0.6 * pf));
    for (let g = f; g < K; g++) {
      if (share[g] === 0) continue;
      const pg = share[g] / total;
      out.push(build([f, g], 0.4 * pf * pg * (f === g ? 1 : 2)));
    }
  }
  return out;
}

/**
 * Posterior-mean (u, a) for each exposure index in `want`, from that shopper's exposures and
 * category choices strictly before it, under the chosen prior (a Laplace fit per prior component,
 * weighted by its approximate evidence; components below e⁻¹⁵ of the best are dropped).
 */
export function estimateCustomers(world: World, fx: FunnelExposures, want: Int32Array, prior: 'gaussian' | 'mixture' = 'gaussian',
  evidenceBefore = Infinity, products?: ProductEstimates): CustomerEstimates {
  const cat = world.catalog;
  const K = world.categories.length;
  const components = priorComponents(world, prior);

  // Category choice offsets by day: ½ ln(products of the category in organic circulation).
  let maxDay = 0;
  for (let k = 0; k < fx.count; k++) maxDay = Math.max(maxDay, dayIndex(fx.time[k]));
  const logSize = new Float64Array((maxDay + 1) * K).fill(-Infinity);
  {
    const perDay = new Float64Array((maxDay + 2) * K);
    for (let j = 0; j < cat.count; j++) {
      const from = Math.max(0, cat.organicFromDay[j]);
      if (from <= maxDay) perDay[from * K + cat.category[j]]++;
    }
    const run = new Float64Array(K);
    for (let d = 0; d <= maxDay; d++) {
      for (let c = 0; c < K; c++) {
        run[c] += perDay[d * K + c];
        if (run[c] > 0) logSize[d * K + c] = 0.5 * Math.log(run[c]);
      }
    }
  }
  const centroids = new Float64Array(K * LATENT_DIM);
  world.categories.forEach((c, k) => centroids.set(c.centroid, k * LATENT_DIM));

  // Known part of each exposure's logit (everything but a + u·v), and whether it reveals a category choice.
  const rest = new Float64Array(fx.count);
  const priceX = new Float64Array(fx.count);
  const choice = new Int32Array(fx.count).fill(-1);
  for (let k = 0; k < fx.count; k++) {
    const i = fx.customer[k];
    const j = fx.product[k];
    const c = cat.category[j];
    rest[k] = sharedTerms(world, fx, k, false) + (products ? products.theta[k * Q + A] : cat.quality[j]);
    priceX[k] = -priceExposure(world, fx, k);
    const pl = fx.placement[k];
    if (fx.position[k] === 0 && (pl === CATEGORY || (pl === SEARCH && habitBoost(world, i, j) === 0))) choice[k] = c;
  }

  const grad = new Float64Array(P);
  const hess = new Float64Array(P * P);
  const xs = new Float64Array(P);
  const probs = new Float64Array(K);
  const meanCen = new Float64Array(LATENT_DIM);
  /** One pass over the evidence at comp.theta: fills grad and hess (negated Hessian, lower triangle); returns the log-likelihood. */
  const evidencePass = (comp: Component, rows: number[]): number => {
    const theta = comp.theta;
    let ll = 0;
    for (let r = 0; r < P; r++) {
      let g = 0;
      for (let c = 0; c < P; c++) g -= comp.precision[r * P + c] * (theta[c] - comp.mean[c]);
      grad[r] = g;
    }
    hess.set(comp.precision);
    for (const k of rows) {
      // The product's latent vector: exact, or as estimated on the exposure's day.
      const latent = products ? products.theta : cat.latent;
      const vo = products ? k * Q : fx.product[k] * LATENT_DIM;
      // x = (v, 1, −elasticity × ln relative effective price): z = rest + θ·x.
      for (let d = 0; d < LATENT_DIM; d++) xs[d] = latent[vo + d];
      xs[A] = 1;
      xs[B] = priceX[k];
      let z = rest[k];
      for (let r = 0; r < P; r++) z += theta[r] * xs[r];
      const direct = fx.placement[k] === DIRECT;
      const outcome = fx.bought[k] ? (direct ? 3 : 4) : fx.depth[k];
      const [g, info, logP] = scoreAndInfo(z, direct, outcome);
      ll += logP;
      for (let r = 0; r < P; r++) {
        grad[r] += g * xs[r];
        for (let c = 0; c <= r; c++) hess[r * P + c] += info * xs[r] * xs[c];
      }
      const ch = choice[k];
      if (ch < 0) continue;
      // Softmax over categories at CATEGORY_TASTE · u·centroid + log size.
      const day = dayIndex(fx.time[k]);
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        let s = logSize[day * K + c];
        if (s === -Infinity) { probs[c] = -Infinity; continue; }
        for (let d = 0; d < LATENT_DIM; d++) s += CATEGORY_TASTE * theta[d] * centroids[c * LATENT_DIM + d];
        probs[c] = s;
        if (s > max) max = s;
      }
      let total = 0;
      for (let c = 0; c < K; c++) total += (probs[c] = probs[c] === -Infinity ? 0 : Math.exp(probs[c] - max));
      ll += Math.log(Math.max(probs[ch], 1e-300) / total);
      meanCen.fill(0);
      for (let c = 0; c < K; c++) {
        probs[c] /= total;
        for (let d = 0; d < LATENT_DIM; d++) meanCen[d] += probs[c] * centroids[c * LATENT_DIM + d];
      }
      for (let d = 0; d < LATENT_DIM; d++) grad[d] += CATEGORY_TASTE * (centroids[ch * LATENT_DIM + d] - meanCen[d]);
      const t2 = CATEGORY_TASTE * CATEGORY_TASTE;
      for (let c = 0; c < K; c++) {
        if (probs[c] === 0) continue;
        for (let r = 0; r < LATENT_DIM; r++) {
          const dr = centroids[c * LATENT_DIM + r] - meanCen[r];
          for (let q = 0; q <= r; q++) hess[r * P + q] += t2 * probs[c] * dr * (centroids[c * LATENT_DIM + q] - meanCen[q]);
        }
      }
    }
    return ll;
  };
  /** Fisher-scoring steps from comp.theta, then the Laplace log-evidence at the result. */
  const fit = (comp: Component, rows: number[], iterations: number) => {
    for (let it = 0; it < iterations; it++) {
      evidencePass(comp, rows);
      dampedStep(comp.theta, hess, grad, P);
    }
    const ll = evidencePass(comp, rows);
    let quad = 0;
    for (let r = 0; r < P; r++) {
      let s = 0;
      for (let c = 0; c < P; c++) s += comp.precision[r * P + c] * (comp.theta[c] - comp.mean[c]);
      quad += (comp.theta[r] - comp.mean[r]) * s;
    }
    comp.logEvidence = comp.logWeight + ll - 0.5 * quad + 0.5 * comp.logDetPrecision - 0.5 * logDetSpd(hess);
  };

  // Each shopper's exposures in time order.
  const order = Array.from({ length: fx.count }, (_, k) => k).sort((p, q) => fx.customer[p] - fx.customer[q] || fx.time[p] - fx.time[q] || p - q);
  const wanted = new Uint8Array(fx.count);
  for (const k of want) wanted[k] = 1;
  const outU = new Float64Array(fx.count * LATENT_DIM);
  const outA = new Float64Array(fx.count);
  const outB = new Float64Array(fx.count);
  const outVar = new Float64Array(fx.count);
  const chol = new Float64Array(P * P);
  const y = new Float64Array(P);
  /** xᵀ hess⁻¹ x for exposure k's x (hess as the last fit left it). */
  const logitVariance = (k: number): number => {
    const latent = products ? products.theta : cat.latent;
    const vo = products ? k * Q : fx.product[k] * LATENT_DIM;
    for (let d = 0; d < LATENT_DIM; d++) xs[d] = latent[vo + d];
    xs[A] = 1;
    xs[B] = priceX[k];
    chol.set(hess);
    y.set(xs);
    solveSpdInPlace(chol, y);
    let v = 0;
    for (let r = 0; r < P; r++) v += xs[r] * y[r];
    return v;
  };

  let s = 0;
  while (s < order.length) {
    let e = s;
    const i = fx.customer[order[s]];
    while (e < order.length && fx.customer[order[e]] === i) e++;
    let live = components.map((c) => ({ ...c, theta: c.mean.slice() }));
    const before: number[] = [];
    let fitted = -1;
    for (let q = s; q < e; q++) {
      const k = order[q];
      if (wanted[k]) {
        // Evidence strictly earlier than this exposure.
        if (fitted !== before.length) {
          for (const c of live) fit(c, before, fitted < 0 ? 4 : 2);
          const best = live.reduce((m, c) => Math.max(m, c.logEvidence), -Infinity);
          live = live.filter((c) => c.logEvidence > best - 15);
          fitted = before.length;
        }
        const best = live.reduce((m, c) => Math.max(m, c.logEvidence), -Infinity);
        let wsum = 0;
        for (const c of live) wsum += Math.exp(c.logEvidence - best);
        for (const c of live) {
          const w = Math.exp(c.logEvidence - best) / wsum;
          for (let d = 0; d < LATENT_DIM; d++) outU[k * LATENT_DIM + d] += w * c.theta[d];
          outA[k] += w * c.theta[A];
          outB[k] += w * c.theta[B];
        }
        if (components.length === 1) outVar[k] = logitVariance(k);
      }
      if (fx.time[k] < evidenceBefore) before.push(k);
    }
    s = e;
  }
  return { u: outU, a: outA, b: outB, zVar: outVar };
}

/** A product's hidden part estimated from its exposures: latent vector (LATENT_DIM) then quality, per row asked for. */
export interface ProductEstimates {
  theta: Float64Array;
  /**
   * For the rows asked for in `covFor`: the Laplace posterior covariance of θ (Q × Q, row-major) at
   * that day's fit, as an index into `cov` (-1 elsewhere).
   */
  covAt: Int32Array;
  cov: Float64Array[];
}

/**
 * The other side: each product's latent vector v and quality from its own earlier exposures, every
 * shopper's u, propensity and all other terms known exactly; prior for v N(category centroid, 0.45²I)
 * (the generator's) or the caller's per-product one (e.g. what the product's words say), and the
 * catalogue's quality moments. Refitted at most once a day per product
 * (evidence strictly before the day of the scored row and before `evidenceBefore`). Returns θ per
 * exposure index in `want`.
 */
export function estimateProducts(world: World, fx: FunnelExposures, want: Int32Array, evidenceBefore = Infinity,
  prior?: { mean: Float64Array; variance: Float64Array }, covFor?: Int32Array): ProductEstimates {
  const pop = world.population;
  const cat = world.catalog;
  let qm = 0, qv = 0;
  for (let j = 0; j < cat.count; j++) qm += cat.quality[j] / cat.count;
  for (let j = 0; j < cat.count; j++) qv += (cat.quality[j] - qm) ** 2 / cat.count;
  // Offset of each exposure: everything but v·u and quality.
  const offset = new Float64Array(fx.count);
  for (let k = 0; k < fx.count; k++) offset[k] = sharedTerms(world, fx, k, true) + pop.propensity[fx.customer[k]];
  const order = Array.from({ length: fx.count }, (_, k) => k).sort((p, q) => fx.product[p] - fx.product[q] || fx.time[p] - fx.time[q] || p - q);
  const wanted = new Uint8Array(fx.count);
  for (const k of want) wanted[k] = 1;
  const out = new Float64Array(fx.count * Q);
  const theta = new Float64Array(Q);
  const mean = new Float64Array(Q);
  const grad = new Float64Array(Q);
  const hess = new Float64Array(Q * Q);
  const prec = new Float64Array(Q);
  const covWanted = new Uint8Array(fx.count);
  if (covFor) for (const k of covFor) if (k >= 0) covWanted[k] = 1;
  const covAt = new Int32Array(fx.count).fill(-1);
  const covs: Float64Array[] = [];
  /** Builds grad and hess (negated Hessian, lower triangle) at theta; hess is then factored by dampedStep. */
  const step = (rows: number[]) => {
    for (let r = 0; r < Q; r++) grad[r] = -(theta[r] - mean[r]) * prec[r];
    hess.fill(0);
    for (let r = 0; r < Q; r++) hess[r * Q + r] = prec[r];
    for (const k of rows) {
      const uo = fx.customer[k] * LATENT_DIM;
      let z = offset[k] + theta[A];
      for (let d = 0; d < LATENT_DIM; d++) z += theta[d] * pop.latent[uo + d];
      const direct = fx.placement[k] === DIRECT;
      const [g, info] = scoreAndInfo(z, direct, fx.bought[k] ? (direct ? 3 : 4) : fx.depth[k]);
      // x = (u, 1).
      for (let r = 0; r < Q; r++) {
        const xr = r < LATENT_DIM ? pop.latent[uo + r] : 1;
        grad[r] += g * xr;
        for (let c = 0; c <= r; c++) hess[r * Q + c] += info * xr * (c < LATENT_DIM ? pop.latent[uo + c] : 1);
      }
    }
    dampedStep(theta, hess, grad, Q);
  };
  let s = 0;
  while (s < order.length) {
    let e = s;
    const j = fx.product[order[s]];
    while (e < order.length && fx.product[order[e]] === j) e++;
    const centroid = world.categories[cat.category[j]].centroid;
    for (let d = 0; d < LATENT_DIM; d++) {
      mean[d] = prior ? prior.mean[j * LATENT_DIM + d] : centroid[d];
      prec[d] = 1 / (prior ? prior.variance[j * LATENT_DIM + d] : 0.45 ** 2);
    }
    mean[A] = qm;
    prec[A] = 1 / qv;
    theta.set(mean);
    const before: number[] = [];
    let next = s;
    let fittedDay = -1;
    let fits = 0;
    let dayCov = -1;
    for (let q = s; q < e; q++) {
      const k = order[q];
      if (!wanted[k]) continue;
      const day = dayIndex(fx.time[k]);
      if (day !== fittedDay) {
        const dayStart = Math.min(evidenceBefore, dayStartMs(day));
        while (next < e && fx.time[order[next]] < dayStart) before.push(order[next++]);
        for (let it = 0; it < (fits === 0 ? 4 : 1); it++) step(before);
        fits++;
        fittedDay = day;
        dayCov = -1;
      }
      out.set(theta, k * Q);
      if (covWanted[k]) {
        if (dayCov < 0) {
          // hess holds the Cholesky factor of the last step's information matrix: invert through it.
          const inv = new Float64Array(Q * Q);
          for (let c = 0; c < Q; c++) {
            const e1 = new Float64Array(Q);
            e1[c] = 1;
            solveCholesky(hess, e1, Q);
            for (let r = 0; r < Q; r++) inv[r * Q + c] = e1[r];
          }
          dayCov = covs.length;
          covs.push(inv);
        }
        covAt[k] = dayCov;
      }
    }
    s = e;
  }
  return { theta: out, covAt, cov: covs };
}
