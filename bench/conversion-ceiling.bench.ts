// `npm run bench:conversion-ceiling [-- --size medium] [--seed 1] [--epochs N] [--no-model] [--no-posterior]
//    [--prior gaussian|mixture] [--estimated-products] [--frozen | --frozen-test]`
// (the shop must exist: run bench:conversion-quality for that size and seed first)
//
// Diagnostics for the conversion model's distance to the oracle on a generated shop. It rebuilds the
// generator's hidden world (a pure function of size and seed) to split each held-out exposure's true
// logit into its terms (propensity, taste = taste·centroid + style, quality, habit, price, context),
// then reports
//  - AUC of oracles restricted to what a merchant's data could reveal, per bucket: the OBSERVABLE
//    BOUND knows every hidden quantity exactly except the staple habit before the pair is bought or
//    signalled (direct landing, top search result, top home slot) and a new product's style beyond
//    what its style words say — generous, since customers' taste, propensity and price sensitivity
//    must in fact be estimated from a few events; plus the importance of each term;
//  - ESTIMATED SHOPPER rows: the same with the shopper's taste, propensity and price sensitivity estimated from their
//    own earlier behaviour by the exact Bayesian model of the world (lib/customer-posterior.ts),
//    every product known exactly unless --estimated-products; the habit known (upper) once signalled, the exposure's own
//    context included, (lower) only from earlier events, or (weighed) with the staple share of the
//    context class on a first signal by the exposure itself — what a very good model could reach.
//    --estimated-products estimates each product's latent vector and quality from its own earlier
//    exposures too (every shopper known there); --frozen / --frozen-test keep the shopper's evidence
//    to before the validation / test period, as a model's customer vectors are. Each has a
//    POSTERIOR PREDICTIVE twin that ranks by E[P(buy)] over the estimates' Laplace uncertainty
//    instead of by P(buy) at the posterior mode (what a full Bayesian would report);
//  - the model against those estimators on rows whose pair is first signalled by their own context,
//    and a bootstrap over shoppers of the model's, the weighed estimator's and best-of-both ratios;
//  - how well each point-in-time history feature tracks each true term;
//  - the model's AUC by the customer's amount of history, which terms its logit misses (correlation
//    with the residual of a linear fit) and the AUC it would reach if told one true term.
// Reads truth only here, in a benchmark, never in the model.
import path from 'node:path';
import { buildWorld } from '../src/generator/world';
import { affinity, contextShift, discountOnDay, habitBoost } from '../src/generator/purchase-model';
import { dayIndex } from '../src/generator/calendar';
import { LATENT_DIM } from '../src/generator/types';
import { STYLE_WORDS } from '../src/generator/vocabulary';
import { initBackend } from '../src/ml/backend';
import { auc, pearson } from '../src/ml/metrics';
import { SeededRng } from '../src/ml/random';
import { logit } from '../src/ml/calibration';
import { loadGeneratorDataset } from '../src/ml/conversion/generator-dataset';
import { HISTORY_FEATURES, NUM_HISTORY } from '../src/ml/conversion/history-state';
import { BUCKETS, exampleSet, prepareConversionData } from '../src/ml/conversion/prepare';
import { trainConversionModel } from '../src/ml/conversion/train';
import { PLACEMENT_HANDLES } from '../src/ml/conversion/types';
import { flag } from './lib/args';
import { estimateCustomers, estimateProducts, funnelInWorld, PRODUCT_THETA_WIDTH } from './lib/customer-posterior';
import { completeShop, shopDir } from './lib/shop-files';

const DIRECT_PLACEMENT = PLACEMENT_HANDLES.indexOf('');
const SEARCH_PLACEMENT = PLACEMENT_HANDLES.indexOf('search');
const HOME_PLACEMENT = PLACEMENT_HANDLES.indexOf('home');
const TERMS = ['propensity', 'taste', 'quality', 'habit', 'price', 'context'] as const;

/** Residual of y after an OLS fit on x (with intercept). */
function residual(y: Float64Array, x: Float64Array): Float64Array {
  const n = y.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  const b = sxx > 0 ? sxy / sxx : 0;
  return Float64Array.from(y, (v, i) => v - my - b * (x[i] - mx));
}

/** Fitted values of an OLS fit of y on x1 and x2 (with intercept). */
function fit2(y: Float64Array, x1: Float64Array, x2: Float64Array): Float64Array {
  const n = y.length;
  const m = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / n;
  const my = m(y), m1 = m(x1), m2 = m(x2);
  let s11 = 0, s22 = 0, s12 = 0, s1y = 0, s2y = 0;
  for (let i = 0; i < n; i++) {
    const a = x1[i] - m1, b = x2[i] - m2, c = y[i] - my;
    s11 += a * a; s22 += b * b; s12 += a * b; s1y += a * c; s2y += b * c;
  }
  const det = s11 * s22 - s12 * s12;
  const b1 = det > 0 ? (s1y * s22 - s2y * s12) / det : 0;
  const b2 = det > 0 ? (s2y * s11 - s1y * s12) / det : 0;
  return Float64Array.from(y, (_, i) => my + b1 * (x1[i] - m1) + b2 * (x2[i] - m2));
}

function std(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m += a[i];
  m /= a.length;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / a.length);
}

async function main(): Promise<void> {
  const size = flag('size') ?? 'medium';
  const seed = Number(flag('seed') ?? 1);
  const epochs = flag('epochs') ? Number(flag('epochs')) : undefined;
  await initBackend();
  const dir = shopDir(process.cwd(), size, seed);
  if (!completeShop(dir)) throw new Error(`no generated ${size} shop for seed ${seed} in ${dir}: run bench:conversion-quality -- --size ${size} --seed ${seed} first`);
  const world = buildWorld(size as 'medium', seed);
  const data = await loadGeneratorDataset(path.resolve(dir));
  const prep = prepareConversionData(data);
  const test = exampleSet(prep, prep.split.test);
  const ex = test.examples;
  const keep: number[] = [];
  for (let i = 0; i < ex.count; i++) if (Number.isFinite(ex.truthP![i])) keep.push(i);

  // Files' ids → world indices: customers C<i+1>, products P<j+1>.
  const ci = data.customerIds.map((id) => Number(id.slice(1)) - 1);
  const pj = data.productIds.map((id) => Number(id.slice(1)) - 1);
  const n = keep.length;
  const terms = TERMS.map(() => new Float64Array(n));
  const zTrue = new Float64Array(n);
  const y = new Uint8Array(n);
  const bucket = new Uint8Array(n);
  const boughtBefore = new Uint8Array(n);
  const signalledBefore = new Uint8Array(n);
  const firstSignal = new Uint8Array(n);
  const engagedBefore = new Uint8Array(n);
  const tasteCat = new Float64Array(n);
  // What a product's words say of its style: E[latent − centroid | the style words in its tags], per
  // latent dimension and word (either pole or none), averaged over the catalogue.
  const wordClass = new Int8Array(world.catalog.count * LATENT_DIM);
  const sums = new Float64Array(LATENT_DIM * 3);
  const counts = new Float64Array(LATENT_DIM * 3);
  for (let j = 0; j < world.catalog.count; j++) {
    const tags = new Set(world.catalog.tags[j].split('|'));
    const c = world.categories[world.catalog.category[j]];
    for (let d = 0; d < LATENT_DIM; d++) {
      const cls = tags.has(STYLE_WORDS[d][0]) ? 1 : tags.has(STYLE_WORDS[d][1]) ? 2 : 0;
      wordClass[j * LATENT_DIM + d] = cls;
      sums[d * 3 + cls] += world.catalog.latent[j * LATENT_DIM + d] - c.centroid[d];
      counts[d * 3 + cls]++;
    }
  }
  const tasteText = new Float64Array(n);
  let maxErr = 0;
  const pop = world.population;
  const cat = world.catalog;
  keep.forEach((r, k) => {
    const i = ci[ex.customer[r]];
    const j = pj[ex.product[r]];
    const day = dayIndex(ex.time[r]);
    const disc = discountOnDay(world, j, day);
    const c = cat.category[j];
    const aff = affinity(world, i, j);
    const q = cat.quality[j];
    let dotCentroid = 0;
    for (let d = 0; d < LATENT_DIM; d++) dotCentroid += pop.latent[i * LATENT_DIM + d] * world.categories[c].centroid[d];
    tasteCat[k] = dotCentroid;
    let dotText = dotCentroid;
    for (let d = 0; d < LATENT_DIM; d++) {
      const cls = wordClass[j * LATENT_DIM + d];
      dotText += pop.latent[i * LATENT_DIM + d] * sums[d * 3 + cls] / Math.max(1, counts[d * 3 + cls]);
    }
    tasteText[k] = dotText;
    terms[0][k] = pop.propensity[i];
    terms[1][k] = aff - q;
    terms[2][k] = q;
    terms[3][k] = habitBoost(world, i, j);
    terms[4][k] = -pop.priceSensitivity[i] * world.categories[c].elasticity * (cat.logRelPrice[j] + Math.log(1 - Math.min(disc, 0.95))) + (disc > 0 ? 0.3 : 0);
    terms[5][k] = contextShift(ex.placement[r], ex.position[r], day);
    zTrue[k] = logit(ex.truthP![r]);
    const sum = -5.4 + terms.reduce((s, t) => s + t[k], 0);
    maxErr = Math.max(maxErr, Math.abs(sum - zTrue[k]));
    y[k] = ex.label[r];
    const p = ex.product[r];
    bucket[k] = prep.productBucket[p];
    boughtBefore[k] = test.history[r * NUM_HISTORY + 1] > 0 ? 1 : 0;
    // A deliberate visit (direct landing, top search result) or a top home slot before the exposure,
    // or the exposure itself being one (its placement and slot are known when it is scored).
    const pl = ex.placement[r];
    const deliberateNow = pl === DIRECT_PLACEMENT || (pl === SEARCH_PLACEMENT && ex.position[r] === 0) || (pl === HOME_PLACEMENT && ex.position[r] <= 1);
    signalledBefore[k] = boughtBefore[k] || deliberateNow || test.history[r * NUM_HISTORY + 14] > 0 || test.history[r * NUM_HISTORY + 15] > 0 ? 1 : 0;
    // 1 direct landing, 2 top search result, 3 top home slot: the exposure's own context, when nothing earlier signalled the pair.
    const earlier = boughtBefore[k] || test.history[r * NUM_HISTORY + 14] > 0 || test.history[r * NUM_HISTORY + 15] > 0 || test.history[r * NUM_HISTORY + 16] > 0;
    firstSignal[k] = earlier || !deliberateNow ? 0 : pl === DIRECT_PLACEMENT ? 1 : pl === SEARCH_PLACEMENT ? 2 : 3;
    engagedBefore[k] = earlier ? 1 : 0;
  });
  console.log(`${n} test rows with truth; max |recomputed − true logit| = ${maxErr.toExponential(2)}`);

  // Restricted oracles.
  const noHabit = Float64Array.from(zTrue, (z, k) => (boughtBefore[k] ? z : z - terms[3][k]));
  const noHabitCentroid = Float64Array.from(noHabit, (z, k) => (bucket[k] === 3 ? z - terms[1][k] + tasteCat[k] : z));
  const noHabitUnsignalled = Float64Array.from(zTrue, (z, k) => (signalledBefore[k] ? z : z - terms[3][k]));
  const centroidOnly = Float64Array.from(noHabitUnsignalled, (z, k) => z - terms[1][k] + tasteCat[k]);
  const noHabitText = Float64Array.from(noHabit, (z, k) => (bucket[k] === 3 ? z - terms[1][k] + tasteText[k] : z));
  // The most a merchant's data could tell, generously: every hidden customer and product quantity known
  // exactly, except the habit (until the pair is bought or signalled) and new products' style (beyond their words).
  const observable = Float64Array.from(noHabitUnsignalled, (z, k) => (bucket[k] === 3 ? z - terms[1][k] + tasteText[k] : z));
  const variants: [string, Float64Array][] = [
    ['oracle', zTrue],
    ['OBSERVABLE BOUND: habit unknown until bought or signalled (the exposure’s own context counts), new products’ style only as their words say', observable],
    ['habit unknown before a purchase, deliberate visit or top home slot of the pair (this one included)', noHabitUnsignalled],
    ['… and every product’s style = its category centroid', centroidOnly],
    ['habit unknown before first purchase', noHabit],
    ['… and new products’ style = what their words say (E[style | style words])', noHabitText],
    ['(importance) oracle without propensity', Float64Array.from(zTrue, (z, k) => z - terms[0][k])],
    ['(importance) oracle without taste', Float64Array.from(zTrue, (z, k) => z - terms[1][k])],
    ['(importance) oracle without style (taste = u·centroid)', Float64Array.from(zTrue, (z, k) => z - terms[1][k] + tasteCat[k])],
    ['(importance) oracle without price term', Float64Array.from(zTrue, (z, k) => z - terms[4][k])],
    ['(importance) oracle without quality', Float64Array.from(zTrue, (z, k) => z - terms[2][k])],
    ['… and new products’ style = category centroid', noHabitCentroid],
  ];

  let estimated: { lower: Float64Array; weighed: Float64Array; weighedBayes: Float64Array } | undefined;
  if (!process.argv.includes('--no-posterior')) {
    // The shopper estimated rather than known: taste u and propensity a from their own earlier
    // behaviour by the exact Bayesian model of the world (customer-posterior.ts).
    const started = Date.now();
    const { fx, rowOf } = funnelInWorld(data.allExposures, ci, pj);
    const at = Int32Array.from(keep, (r) => rowOf[data.exposureRow[prep.split.test[r]]]);
    const missing = at.filter((k) => k < 0).length;
    const prior = (flag('prior') ?? 'gaussian') as 'gaussian' | 'mixture';
    // --frozen: evidence only from before the validation period, as the model's customer vectors.
    const frozen = process.argv.includes('--frozen') ? prep.split.validationFrom : process.argv.includes('--frozen-test') ? prep.split.testFrom : Infinity;
    // --estimated-products: each product's latent vector and quality estimated too, from its own
    // exposures before the day (every shopper known), instead of exact.
    // The prior of a product's vector is what its words say: centroid + E[style | style words], with
    // the spread left within its word class.
    let prodEst: ReturnType<typeof estimateProducts> | undefined;
    if (process.argv.includes('--estimated-products')) {
      const sq = new Float64Array(LATENT_DIM * 3);
      for (let j = 0; j < cat.count; j++) {
        const c = world.categories[cat.category[j]];
        for (let d = 0; d < LATENT_DIM; d++) {
          const cls = wordClass[j * LATENT_DIM + d];
          const dev = cat.latent[j * LATENT_DIM + d] - c.centroid[d] - sums[d * 3 + cls] / Math.max(1, counts[d * 3 + cls]);
          sq[d * 3 + cls] += dev * dev;
        }
      }
      const mean = new Float64Array(cat.count * LATENT_DIM);
      const variance = new Float64Array(cat.count * LATENT_DIM);
      for (let j = 0; j < cat.count; j++) {
        const c = world.categories[cat.category[j]];
        for (let d = 0; d < LATENT_DIM; d++) {
          const cls = wordClass[j * LATENT_DIM + d];
          mean[j * LATENT_DIM + d] = c.centroid[d] + sums[d * 3 + cls] / Math.max(1, counts[d * 3 + cls]);
          variance[j * LATENT_DIM + d] = Math.max(1e-3, sq[d * 3 + cls] / Math.max(1, counts[d * 3 + cls]));
        }
      }
      prodEst = estimateProducts(world, fx, Int32Array.from({ length: fx.count }, (_, k) => k), Infinity, { mean, variance }, at);
    }
    const est = estimateCustomers(world, fx, at.filter((k) => k >= 0), prior, frozen, prodEst);
    /** z[k] with the shopper's terms (and with --estimated-products the product's) at their estimates. */
    const swap = (z: Float64Array, k: number) => {
      const f = at[k];
      if (f < 0) return z[k];
      const j = pj[ex.product[keep[k]]];
      const c = world.categories[cat.category[j]];
      let dot = 0;
      for (let d = 0; d < LATENT_DIM; d++) {
        dot += est.u[f * LATENT_DIM + d] * (prodEst ? prodEst.theta[f * PRODUCT_THETA_WIDTH + d] : cat.latent[j * LATENT_DIM + d]);
      }
      const quality = prodEst ? prodEst.theta[f * PRODUCT_THETA_WIDTH + LATENT_DIM] - terms[2][k] : 0;
      // The price term at the estimated sensitivity instead of the true one.
      const disc = discountOnDay(world, j, dayIndex(ex.time[keep[k]]));
      const exposure = c.elasticity * (cat.logRelPrice[j] + Math.log(1 - Math.min(disc, 0.95)));
      const price = (pop.priceSensitivity[ci[ex.customer[keep[k]]]] - est.b[f]) * exposure;
      return z[k] - terms[0][k] - terms[1][k] + dot + est.a[f] + quality + price;
    };
    /**
     * Posterior variance of the estimated part of row k's logit: the shopper's (Laplace, at the
     * product estimate) plus, with --estimated-products, the product's ûᵀΣû with x = (û, 1).
     */
    const zVar = (k: number) => {
      const f = at[k];
      if (f < 0) return 0;
      let v = est.zVar[f];
      if (prodEst && prodEst.covAt[f] >= 0) {
        const cov = prodEst.cov[prodEst.covAt[f]];
        const x = Float64Array.from({ length: PRODUCT_THETA_WIDTH }, (_, d) => (d < LATENT_DIM ? est.u[f * LATENT_DIM + d] : 1));
        for (let r = 0; r < PRODUCT_THETA_WIDTH; r++) for (let c = 0; c < PRODUCT_THETA_WIDTH; c++) v += x[r] * cov[r * PRODUCT_THETA_WIDTH + c] * x[c];
      }
      return v;
    };
    // Posterior predictive P(buy) ≈ σ(κ z), κ = (1 + π s²/8)^-½ (MacKay's probit approximation).
    const kappa = Float64Array.from({ length: n }, (_, k) => 1 / Math.sqrt(1 + (Math.PI * zVar(k)) / 8));
    // The shopper estimated (and the product with --estimated-products). The habit:
    // upper — known once the pair was bought, engaged with or signalled, the exposure's own context
    // (direct landing, top search result, top home slot) included; lower — only what came before;
    // weighed — on a first signal by the exposure's own context, the share of staples among such rows
    // of its context class (a plausible Bayes predictor between the two).
    const habitUpper = Float64Array.from(zTrue, (z, k) => (signalledBefore[k] || engagedBefore[k] ? z : z - terms[3][k]));
    const habitLower = Float64Array.from(zTrue, (z, k) => (engagedBefore[k] ? z : z - terms[3][k]));
    const share = [0, 0, 0, 0], strength = [0, 0, 0, 0], rowsOfClass = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) {
      const c = firstSignal[k];
      if (!c) continue;
      rowsOfClass[c]++;
      if (terms[3][k] > 0) { share[c]++; strength[c] += terms[3][k]; }
    }
    for (let c = 1; c < 4; c++) { strength[c] /= Math.max(1, share[c]); share[c] /= Math.max(1, rowsOfClass[c]); }
    const estLower = Float64Array.from(habitLower, (_, k) => swap(habitLower, k));
    const weighed = Float64Array.from(estLower, (z, k) => {
      const c = firstSignal[k];
      if (!c) return z;
      const p = (1 - share[c]) / (1 + Math.exp(-z)) + share[c] / (1 + Math.exp(-(z + strength[c])));
      return logit(p);
    });
    const weighedBayes = Float64Array.from(estLower, (z, k) => {
      const c = firstSignal[k];
      const q = kappa[k];
      if (!c) return q * z;
      return logit((1 - share[c]) / (1 + Math.exp(-q * z)) + share[c] / (1 + Math.exp(-q * (z + strength[c]))));
    });
    estimated = { lower: estLower, weighed, weighedBayes };
    {
      const sd = Float64Array.from(kappa, (q) => Math.sqrt(Math.max(0, (1 / (q * q) - 1) * 8 / Math.PI)));
      const mean = (b: number) => {
        const rows = Array.from({ length: n }, (_, k) => k).filter((k) => b < 0 || bucket[k] === b);
        return (rows.reduce((t, k) => t + sd[k], 0) / Math.max(1, rows.length)).toFixed(3);
      };
      console.log(`posterior sd of the estimated logit part, mean: all ${mean(-1)}, ${BUCKETS.map((b, i) => `${b} ${mean(i)}`).join(', ')}`);
    }
    console.log(`first signal by the exposure's own context (direct / top search / top home): rows ${rowsOfClass.slice(1).join(' / ')}, staple share ${share.slice(1).map((v) => v.toFixed(3)).join(' / ')}`);
    variants.splice(2, 0,
      [`ESTIMATED SHOPPER, upper: ${prodEst ? 'products estimated' : 'every product known'}, habit known once bought, engaged with or signalled (own context too); shopper (taste, propensity, price sensitivity)${prodEst ? ' and product (vector, quality)' : ''} estimated (${prior} prior)`, Float64Array.from(habitUpper, (_, k) => swap(habitUpper, k))],
      [`ESTIMATED SHOPPER, weighed: as upper, but a first signal by the exposure's own context gives its class's staple share`, weighed],
      [`ESTIMATED SHOPPER, lower: habit known only once bought, engaged with or signalled before`, estLower],
      [`ESTIMATED SHOPPER, upper, posterior predictive: σ(κz), κ from the estimates' Laplace variance`, Float64Array.from(habitUpper, (_, k) => kappa[k] * swap(habitUpper, k))],
      [`ESTIMATED SHOPPER, weighed, posterior predictive`, weighedBayes],
      [`ESTIMATED SHOPPER, lower, posterior predictive`, Float64Array.from(estLower, (z, k) => kappa[k] * z)],
      [`… oracle with only the shopper${prodEst ? ' and the product' : ''} estimated`, Float64Array.from(zTrue, (_, k) => swap(zTrue, k))]);
    console.log(`shopper posterior: ${fx.count} known shoppers' exposures, ${keep.length - missing} test rows estimated (${missing} unmatched), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  // How much each point-in-time history feature tells about each true term (all test rows).
  console.log('\nCorrelation of history features with the true terms (test rows):');
  const extraTerms: [string, Float64Array][] = [...TERMS.map((t, i) => [t, terms[i]] as [string, Float64Array]),
    ['u·centroid', tasteCat], ['style', Float64Array.from(terms[1], (t, k) => t - tasteCat[k])]];
  console.log('| feature | ' + extraTerms.map(([t]) => t).join(' | ') + ' |');
  console.log('|---|' + extraTerms.map(() => '---:').join('|') + '|');
  HISTORY_FEATURES.forEach((f, h) => {
    const v = Float64Array.from(keep, (r) => test.history[r * NUM_HISTORY + h]);
    console.log(`| ${f} | ${extraTerms.map(([, t]) => pearson(v, t).toFixed(2)).join(' | ')} |`);
  });

  let model: Float64Array | undefined;
  if (!process.argv.includes('--no-model')) {
    const m = await trainConversionModel(prep, { seed, ...(epochs ? { maxEpochs: epochs } : {}) });
    const p = m.predict(ex, { history: test.history, recent: test.recent, calibrated: false });
    model = Float64Array.from(keep, (r) => logit(p[r]));
    variants.push(['model', model]);
    m.dispose();
  }

  const rowsOf = (b: number) => Array.from({ length: n }, (_, k) => k).filter((k) => b < 0 || bucket[k] === b);
  const groups: [string, number][] = [['all', -1], ...BUCKETS.map((b, k) => [b, k] as [string, number])];
  console.log('\n| AUC | ' + groups.map(([g]) => g).join(' | ') + ' |');
  console.log('|---|' + groups.map(() => '---:').join('|') + '|');
  for (const [name, z] of variants) {
    const cells = groups.map(([, b]) => {
      const rows = rowsOf(b);
      const a = auc(rows.map((k) => z[k]), Uint8Array.from(rows, (k) => y[k]));
      const o = auc(rows.map((k) => zTrue[k]), Uint8Array.from(rows, (k) => y[k]));
      return `${a.toFixed(3)} (${(a / o).toFixed(3)}×)`;
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }

  if (model && estimated) {
    // Best of both: the estimator where the habit is settled, the model on rows first signalled by their own context.
    const hybrid = Float64Array.from(estimated.weighed, (z, k) => (firstSignal[k] > 0 ? model![k] : z));
    const cells = groups.map(([, b]) => {
      const rows = rowsOf(b);
      const yy = Uint8Array.from(rows, (k) => y[k]);
      return (auc(rows.map((k) => hybrid[k]), yy) / auc(rows.map((k) => zTrue[k]), yy)).toFixed(3);
    });
    console.log(`\nBest of both (estimator weighed, the model's logit on rows first signalled by their own context), ÷ oracle: ${groups.map(([g], i) => `${g} ${cells[i]}`).join(', ')}`);
    const hybridBayes = Float64Array.from(estimated.weighedBayes, (z, k) => (firstSignal[k] > 0 ? model![k] : z));
    const cellsBayes = groups.map(([, b]) => {
      const rows = rowsOf(b);
      const yy = Uint8Array.from(rows, (k) => y[k]);
      return (auc(rows.map((k) => hybridBayes[k]), yy) / auc(rows.map((k) => zTrue[k]), yy)).toFixed(3);
    });
    console.log(`Best of both, posterior predictive, ÷ oracle: ${groups.map(([g], i) => `${g} ${cellsBayes[i]}`).join(', ')}`);
    // Sampling noise of the ratios: a bootstrap over shoppers (their rows move together), 200 draws.
    const byCustomer = new Map<number, number[]>();
    for (let k = 0; k < n; k++) {
      const c = ex.customer[keep[k]];
      let list = byCustomer.get(c);
      if (!list) byCustomer.set(c, (list = []));
      list.push(k);
    }
    const clusters = [...byCustomer.values()];
    const rng = new SeededRng(seed * 7919 + 1);
    const scored: [string, Float64Array][] = [['model', model], ['weighed', estimated.weighed], ['best of both', hybrid]];
    const draws = scored.map(() => groups.map(() => [] as number[]));
    for (let d = 0; d < 200; d++) {
      const rows: number[] = [];
      for (let c = 0; c < clusters.length; c++) rows.push(...clusters[rng.int(clusters.length)]);
      groups.forEach(([, b], g) => {
        const sub = b < 0 ? rows : rows.filter((k) => bucket[k] === b);
        const yy = Uint8Array.from(sub, (k) => y[k]);
        const o = auc(sub.map((k) => zTrue[k]), yy);
        scored.forEach(([, z], m) => draws[m][g].push(auc(sub.map((k) => z[k]), yy) / o));
      });
    }
    const q = (v: number[], p: number) => v.slice().sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))];
    console.log('\nBootstrap over shoppers (200 draws), AUC ÷ oracle, 5th–95th percentile:');
    scored.forEach(([name], m) => console.log(`  ${name}: ${groups.map(([g], i) => `${g} ${q(draws[m][i], 0.05).toFixed(3)}–${q(draws[m][i], 0.95).toFixed(3)}`).join(', ')}`));
    // Where the model stands against the estimators: rows whose pair is first signalled by the
    // exposure's own context, and the rest (within-subset AUC; mean predicted vs actual rate).
    console.log('\nWithin-subset AUC: rows first signalled by their own context vs the rest');
    for (const [name, inSet] of [['first signal now', (k: number) => firstSignal[k] > 0], ['rest', (k: number) => firstSignal[k] === 0]] as const) {
      for (const [g, b] of groups) {
        const rows = rowsOf(b).filter(inSet);
        const yy = Uint8Array.from(rows, (k) => y[k]);
        const a = (z: Float64Array) => auc(rows.map((k) => z[k]), yy).toFixed(3);
        const meanP = rows.reduce((t, k) => t + 1 / (1 + Math.exp(-model![k])), 0) / Math.max(1, rows.length);
        console.log(`  ${name} / ${g}: ${rows.length} rows, rate ${(yy.reduce((t, v) => t + v, 0) / Math.max(1, rows.length)).toFixed(4)} (model mean ${meanP.toFixed(4)}); AUC model ${a(model)}, lower ${a(estimated.lower)}, weighed ${a(estimated.weighed)}, oracle ${a(zTrue)}`);
      }
    }
  }
  if (model) {
    // Is the gap a lack of data? Model vs oracle by how many exposures the customer had before the row.
    const custExp = Float64Array.from(keep, (r) => Math.expm1(4 * test.history[r * NUM_HISTORY + 4]));
    console.log('\nBy the customer’s prior exposures: rows, AUC model / oracle (ratio)');
    for (const [lo, hi] of [[0, 20], [20, 100], [100, 400], [400, Infinity]]) {
      const rows = Array.from({ length: n }, (_, k) => k).filter((k) => custExp[k] >= lo && custExp[k] < hi);
      const yy = Uint8Array.from(rows, (k) => y[k]);
      const a = auc(rows.map((k) => model![k]), yy);
      const o = auc(rows.map((k) => zTrue[k]), yy);
      const nh = auc(rows.map((k) => noHabit[k]), yy);
      console.log(`  [${lo}, ${hi}): ${rows.length} rows, ${yy.reduce((s2, v) => s2 + v, 0)} positives: model ${a.toFixed(3)} / oracle ${o.toFixed(3)} (${(a / o).toFixed(3)}×); habit-unknown oracle ${(nh / o).toFixed(3)}×`);
    }
    // What the model misses: residual of the true logit after a linear fit on the model's logit,
    // correlated with each term (and its spread), per bucket.
    console.log('\nCorrelation of each true term with the true logit’s residual after a linear fit on the model’s logit (std of term in brackets):');
    console.log('| bucket | resid std | ' + TERMS.join(' | ') + ' |');
    console.log('|---|---:|' + TERMS.map(() => '---:').join('|') + '|');
    for (const [g, b] of groups) {
      const rows = rowsOf(b);
      const zt = Float64Array.from(rows, (k) => zTrue[k]);
      const zm = Float64Array.from(rows, (k) => model![k]);
      const res = residual(zt, zm);
      const cells = TERMS.map((_, t) => {
        const v = Float64Array.from(rows, (k) => terms[t][k]);
        return `${pearson(res, v).toFixed(2)} (${std(v).toFixed(2)})`;
      });
      console.log(`| ${g} | ${std(res).toFixed(2)} of ${std(zt).toFixed(2)} | ${cells.join(' | ')} |`);
    }
    // The model told one true term: AUC of the least-squares fit of the true logit on the model's
    // logit and that term (what the model would score if it also knew the term).
    console.log('\nAUC of the model’s logit told one true term (least-squares fit of the true logit on both), ÷ oracle:');
    console.log('| term | ' + groups.map(([g]) => g).join(' | ') + ' |');
    console.log('|---|' + groups.map(() => '---:').join('|') + '|');
    const named: [string, Float64Array][] = TERMS.map((t, i) => [t, terms[i]]);
    named.push(['habit before first purchase', Float64Array.from(terms[3], (h, k) => (boughtBefore[k] ? 0 : h))]);
    named.push(['style (taste − u·centroid)', Float64Array.from(terms[1], (t, k) => t - tasteCat[k])]);
    for (const [name, term] of named) {
      const cells = groups.map(([, b]) => {
        const rows = rowsOf(b);
        const zm = Float64Array.from(rows, (k) => model![k]);
        const tv = Float64Array.from(rows, (k) => term[k]);
        const zt = Float64Array.from(rows, (k) => zTrue[k]);
        const fit = fit2(zt, zm, tv);
        const yy = Uint8Array.from(rows, (k) => y[k]);
        const a = auc(fit, yy);
        return `${a.toFixed(3)} (${(a / auc(zt, yy)).toFixed(3)}×)`;
      });
      console.log(`| + ${name} | ${cells.join(' | ')} |`);
    }
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
