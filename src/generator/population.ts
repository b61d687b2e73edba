// Shoppers: known customers (ordered by signup, which fixes their external ids) and anonymous visitors.
// Visit rates are gamma-distributed (a few heavy shoppers, many occasional ones); lifetimes are
// exponential with a gamma-distributed hazard (Pareto/NBD; BG/NBD fits such data well); tastes cluster
// around one or two favourite categories; some shoppers have staples they rebuy out of habit.
import { AliasTable, type Rng } from './random';
import { DAY_MS, HISTORY_DAYS, HISTORY_START_MS, trafficFactor } from './calendar';
import type { SizePreset } from './sizes';
import { LATENT_DIM, type Catalog, type Category, type Population } from './types';
import { COUNTRIES } from './vocabulary';

/**
 * Customers who signed up before the data starts (over the three years before, at about the rate
 * signups continue at): an established shop whose active base grows only slowly during the history,
 * so the calendar, not growth, shapes the year. Many of the oldest accounts are dormant.
 */
const CENSORED_SHARE = 0.8;
const CENSORED_SPAN_DAYS = 1095;
const BUSINESS_SHARE = 0.08;
const VISIT_SHAPE = 0.8;
/** Dropout hazards are Gamma(DROPOUT_SHAPE) with mean 1/HAZARD_MEAN_DAYS; the mean lifetime E[1/μ] is longer. */
const DROPOUT_SHAPE = 2;
const HAZARD_MEAN_DAYS = 450;
const FAR_FUTURE_DAY = 1_000_000;
/** Share of customers with habitual items (1 + Poisson(0.4) of them). */
const STAPLE_SHARE = 0.7;

/** A brushing account to create: it signs up just before its episode and never browses. */
export interface AccountRequest {
  signupAt: number;
}

function signupDayTable(): AliasTable {
  const w = new Float64Array(HISTORY_DAYS);
  for (let d = 0; d < HISTORY_DAYS; d++) w[d] = trafficFactor(d) * (1 + (0.2 * d) / HISTORY_DAYS);
  return new AliasTable(w);
}

function tasteVector(rng: Rng, categories: readonly Category[], catTable: AliasTable, shift: number): Float32Array {
  const u = new Float32Array(LATENT_DIM);
  // One or two favourite categories; two split the taste between them rather than doubling it.
  const liked = rng.bernoulli(0.4) ? 2 : 1;
  for (let l = 0; l < liked; l++) {
    const c = categories[catTable.sample(rng)];
    const strength = rng.uniform(0.5, 0.9) / Math.sqrt(liked);
    for (let k = 0; k < LATENT_DIM; k++) u[k] += strength * c.centroid[k];
  }
  for (let k = 0; k < LATENT_DIM; k++) u[k] += 0.35 * rng.normal() + shift;
  return u;
}

/** Staples: among a handful of candidates (popular, consumables favoured) the best matches for the taste. */
function pickStaples(rng: Rng, catalog: Catalog, stapleTable: AliasTable, u: Float32Array, count: number) {
  const seen = new Set<number>();
  const scored: { product: number; score: number }[] = [];
  for (let t = 0; t < 12; t++) {
    const j = stapleTable.sample(rng);
    if (seen.has(j)) continue;
    seen.add(j);
    let dot = 0;
    for (let k = 0; k < LATENT_DIM; k++) dot += u[k] * catalog.latent[j * LATENT_DIM + k];
    scored.push({ product: j, score: dot + catalog.quality[j] - Math.log(-Math.log(rng.next() || 1e-12)) });
  }
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, count).map(({ product }) => ({ product, strength: rng.uniform(3.2, 4.6) }));
}


function allocate(customers: number, visitors: number, staples: number): Population {
  const total = customers + visitors;
  return {
    customers,
    visitors,
    total,
    signupAt: new Float64Array(total),
    dropoutAt: new Float64Array(total),
    activeFromDay: new Int32Array(total),
    activeToDay: new Int32Array(total),
    visitRate: new Float64Array(total),
    dropoutRate: new Float64Array(total),
    propensity: new Float32Array(total),
    priceSensitivity: new Float32Array(total),
    latent: new Float32Array(total * LATENT_DIM),
    segment: new Uint8Array(total),
    country: new Uint8Array(total),
    brushing: new Uint8Array(total),
    stapleStart: new Int32Array(total + 1),
    stapleProduct: new Int32Array(staples),
    stapleStrength: new Float32Array(staples),
    stapleSearch: new Float32Array(total),
  };
}

/**
 * Builds customers (preset.customers plus one per brushing account request) and visitors. Returns the
 * population and, for each account request, the customer index it received after sorting by signup.
 * Visit rates are relative here: buildWorld scales them to the event target.
 */
export function buildPopulation(rng: Rng, preset: SizePreset, catalog: Catalog, categories: readonly Category[],
  accounts: readonly AccountRequest[]): { population: Population; accountIndex: number[] } {
  const catCounts = new Float64Array(categories.length);
  for (let j = 0; j < catalog.count; j++) catCounts[catalog.category[j]]++;
  const catTable = new AliasTable(catCounts);
  const stapleWeights = new Float64Array(catalog.count);
  for (let j = 0; j < catalog.count; j++) {
    const consumable = categories[catalog.category[j]].consumable;
    stapleWeights[j] = Math.pow(catalog.popularity[j], 0.6) * (consumable ? 4 : 1);
  }
  const stapleTable = new AliasTable(stapleWeights);
  const countryTable = new AliasTable(COUNTRIES.map(([, w]) => w));
  const dayTable = signupDayTable();

  const customers = preset.customers + accounts.length;
  const total = customers + preset.visitors;
  // Drawn in creation order into `draft`, then customers are re-ordered by signup into the result.
  const draft = allocate(customers, preset.visitors, 0);
  const stapleList: number[] = [];
  const strengthList: number[] = [];
  for (let i = 0; i < total; i++) {
    const visitor = i >= customers;
    const account = !visitor && i >= preset.customers;
    draft.stapleStart[i] = stapleList.length;
    if (account) {
      draft.signupAt[i] = accounts[i - preset.customers].signupAt;
      draft.dropoutAt[i] = Infinity;
      draft.priceSensitivity[i] = 1;
      draft.country[i] = countryTable.sample(rng);
      draft.brushing[i] = 1;
      continue; // never browses: visit rate 0, no taste, no staples
    }
    const signupAt = visitor
      ? HISTORY_START_MS
      : rng.bernoulli(CENSORED_SHARE)
        ? HISTORY_START_MS - rng.uniform(0, CENSORED_SPAN_DAYS) * DAY_MS
        : HISTORY_START_MS + (dayTable.sample(rng) + rng.next()) * DAY_MS;
    const business = !visitor && rng.bernoulli(BUSINESS_SHARE);
    const dropoutRate = rng.gamma(DROPOUT_SHAPE, 1 / (DROPOUT_SHAPE * HAZARD_MEAN_DAYS));
    const u = tasteVector(rng, categories, catTable, 0);
    draft.latent.set(u, i * LATENT_DIM);
    draft.signupAt[i] = signupAt;
    draft.dropoutAt[i] = visitor ? Infinity : signupAt + rng.exponential(1 / dropoutRate) * DAY_MS;
    draft.visitRate[i] = rng.gamma(VISIT_SHAPE, 1);
    draft.dropoutRate[i] = visitor ? 0 : dropoutRate;
    // Anonymous visitors are mostly browsers: guest orders stay rare.
    draft.propensity[i] = visitor ? -2.0 + 0.5 * rng.normal() : 0.6 * rng.normal();
    draft.priceSensitivity[i] = Math.exp(0.35 * rng.normal()) * (business ? 0.7 : 1);
    draft.segment[i] = business ? 1 : 0;
    draft.country[i] = countryTable.sample(rng);
    const nStaples = visitor || !rng.bernoulli(STAPLE_SHARE) ? 0 : Math.min(5, 1 + rng.poisson(0.4));
    if (nStaples > 0) {
      for (const st of pickStaples(rng, catalog, stapleTable, u, nStaples)) {
        stapleList.push(st.product);
        strengthList.push(st.strength);
      }
      draft.stapleSearch[i] = rng.uniform(0.4, 0.9);
    }
  }
  draft.stapleStart[total] = stapleList.length;

  const order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  const customerOrder = Array.from(order.subarray(0, customers)).sort(
    (a, b) => draft.signupAt[a] - draft.signupAt[b] || a - b,
  );
  order.set(customerOrder, 0);
  const rankOf = new Int32Array(total);
  order.forEach((k, rank) => (rankOf[k] = rank));
  const accountIndex = accounts.map((_, a) => rankOf[preset.customers + a]);

  const pop = allocate(customers, preset.visitors, stapleList.length);
  let s = 0;
  for (let i = 0; i < total; i++) {
    const k = order[i];
    pop.signupAt[i] = draft.signupAt[k];
    pop.dropoutAt[i] = draft.dropoutAt[k];
    pop.activeFromDay[i] = Math.floor((draft.signupAt[k] - HISTORY_START_MS) / DAY_MS);
    pop.activeToDay[i] = Number.isFinite(draft.dropoutAt[k])
      ? Math.min(FAR_FUTURE_DAY, Math.ceil((draft.dropoutAt[k] - HISTORY_START_MS) / DAY_MS))
      : FAR_FUTURE_DAY;
    pop.visitRate[i] = draft.visitRate[k];
    pop.dropoutRate[i] = draft.dropoutRate[k];
    pop.propensity[i] = draft.propensity[k];
    pop.priceSensitivity[i] = draft.priceSensitivity[k];
    pop.latent.set(draft.latent.subarray(k * LATENT_DIM, (k + 1) * LATENT_DIM), i * LATENT_DIM);
    pop.segment[i] = draft.segment[k];
    pop.country[i] = draft.country[k];
    pop.brushing[i] = draft.brushing[k];
    pop.stapleSearch[i] = draft.stapleSearch[k];
    pop.stapleStart[i] = s;
    for (let t = draft.stapleStart[k]; t < draft.stapleStart[k + 1]; t++) {
      pop.stapleProduct[s] = stapleList[t];
      pop.stapleStrength[s] = strengthList[t];
      s++;
    }
  }
  pop.stapleStart[total] = s;
  return { population: pop, accountIndex };
}

/** Whether shopper i can start a session on day d (signed up, not yet churned). */
export function isActiveOn(pop: Population, i: number, day: number): boolean {
  return day >= pop.activeFromDay[i] && day < pop.activeToDay[i];
}
