// buildWorld: the hidden truth of one synthetic shop, a pure function of (size, seed). Each part draws
// from its own random stream, so the catalogue does not change when, say, the population code draws
// one more number.
import { planBrushing, resolveAccounts } from './anomalies';
import { buildBrands, buildCatalog, buildCategories } from './catalog';
import { HISTORY_DAYS, HISTORY_END_MS, HISTORY_START_MS, trafficPrefix } from './calendar';
import { pilotEventRates } from './pilot';
import { buildPopulation } from './population';
import { AliasTable, Rng } from './random';
import { SIZE_PRESETS, type ShopSize } from './sizes';
import { buildVisitMass } from './traffic';
import { LAUNCH_WINDOW_DAYS, type Population, type World } from './types';

/** Share of sessions that are anonymous visitors'. */
const ANONYMOUS_SESSION_SHARE = 0.25;
/** Launch-slot impressions per session the shop's launch budgets add up to, on average. */
const LAUNCH_SLOT_LOAD = 2;
/** Mean of the log-uniform(0.1, 10) budget multiplier drawn per launch (see buildCatalog). */
const MEAN_BUDGET_MULTIPLIER = 9.9 / Math.log(100);

/** Expected traffic-days shopper i is active inside the history (sessions = visit rate × this). */
function activeTraffic(pop: Population, prefix: Float64Array, i: number): number {
  const from = Math.max(0, pop.activeFromDay[i]);
  const to = Math.min(HISTORY_DAYS, pop.activeToDay[i]);
  return to > from ? prefix[to] - prefix[from] : 0;
}

/** Scales visit rates so expected sessions hit `sessions` with the anonymous share; returns it. */
function calibrateVisitRates(pop: Population, sessions: number): number {
  const prefix = trafficPrefix();
  let known = 0;
  let anon = 0;
  for (let i = 0; i < pop.total; i++) {
    const s = pop.visitRate[i] * activeTraffic(pop, prefix, i);
    if (i < pop.customers) known += s;
    else anon += s;
  }
  const knownScale = known > 0 ? ((1 - ANONYMOUS_SESSION_SHARE) * sessions) / known : 0;
  const anonScale = anon > 0 ? (ANONYMOUS_SESSION_SHARE * sessions) / anon : 0;
  for (let i = 0; i < pop.total; i++) pop.visitRate[i] *= i < pop.customers ? knownScale : anonScale;
  return sessions;
}

function launchPanel(rng: Rng, pop: Population, size: number) {
  if (size === 0) {
    const members: number[] = [];
    for (let i = 0; i < pop.total; i++) if (pop.visitRate[i] > 0) members.push(i);
    return {
      members: Int32Array.from(members),
      weights: Float64Array.from(members, (i) => pop.visitRate[i]),
    };
  }
  // Drawn in proportion to visit rate, which is how launch impressions (one per session) reach shoppers.
  const table = new AliasTable(pop.visitRate);
  const members = new Int32Array(size);
  for (let k = 0; k < size; k++) members[k] = table.sample(rng);
  members.sort();
  return { members, weights: new Float64Array(size).fill(1) };
}

export function buildWorld(size: ShopSize, seed: number): World {
  const preset = SIZE_PRESETS[size];
  const categories = buildCategories(Rng.derive(seed, 'categories'), preset.categories);
  const brands = buildBrands(Rng.derive(seed, 'brands'), categories);
  const catalog = buildCatalog(Rng.derive(seed, 'catalog'), preset, categories, brands);
  const plan = planBrushing(Rng.derive(seed, 'brushing'), preset.brushingEpisodes, catalog);
  const { population, accountIndex } = buildPopulation(Rng.derive(seed, 'population'), preset, catalog,
    categories, plan.accounts);
  const draft: World = {
    size,
    seed,
    preset,
    startMs: HISTORY_START_MS,
    endMs: HISTORY_END_MS,
    days: HISTORY_DAYS,
    categories,
    brands,
    catalog,
    population,
    launchPanel: { members: new Int32Array(0), weights: new Float64Array(0) },
    launchRefImpressions: 1,
    visitMass: { from: 0, values: new Float64Array(1) },
    brushing: resolveAccounts(plan.episodes, accountIndex),
  };

  // Sessions needed for the event target: organic events per session from a pilot, plus the launch
  // slot's LAUNCH_SLOT_LOAD impressions per session and their funnels.
  const pilot = pilotEventRates(draft, Rng.derive(seed, 'pilot'));
  const sessions = calibrateVisitRates(population,
    preset.targetEvents / (pilot.perSession + LAUNCH_SLOT_LOAD * pilot.perExposure));

  // Launch budgets in this shop's units: a typical launch gets a fixed share of the launch slot.
  let launchDays = 0;
  for (let j = 0; j < catalog.count; j++) {
    const from = Math.max(0, catalog.launchDay[j]);
    const to = Math.min(HISTORY_DAYS, catalog.launchDay[j] + LAUNCH_WINDOW_DAYS);
    if (to > from) launchDays += to - from;
  }
  const activeLaunches = Math.max(1, launchDays / HISTORY_DAYS);
  const weeklySessions = (sessions * 7) / HISTORY_DAYS;
  const launchRefImpressions = (LAUNCH_SLOT_LOAD * weeklySessions) / activeLaunches / MEAN_BUDGET_MULTIPLIER;
  for (let j = 0; j < catalog.count; j++) {
    catalog.weeklyImpressions[j] = Math.max(1, Math.round(catalog.weeklyImpressions[j] * launchRefImpressions));
  }
  return {
    ...draft,
    launchPanel: launchPanel(Rng.derive(seed, 'panel'), population, preset.launchPanel),
    launchRefImpressions,
    visitMass: buildVisitMass(population),
  };
}
