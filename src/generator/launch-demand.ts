// trueLaunchDemand: expected weekly units of a launch under a configuration, computed from the same
// mechanics the simulation uses for real launches. During its launch window a product is shown only in
// the launch slot (`new_arrivals`): each session of a day shows it with probability weeklyImpressions ×
// weekday share / expected sessions (capped at 1: one impression per session at most), so it reaches
// active shoppers in proportion to visit rate, at positions drawn from launchPositionDistribution
// (budget). Each impression converts with the true purchase probability; each purchase brings the
// buyer's expected quantity. Units are gross ordered units (before returns and cancellations). With a
// sampled panel (larger sizes) the average over shoppers is a Monte Carlo estimate.
//
// Price enters through the elastic price term, the discount through both price and the promotion
// badge (during promoWeeks), the date through the seasonal buying mood and who is active then, exposure
// through the budget (concave: bigger budgets reach deeper slots), and the product through its quality,
// style and category. The simulation keeps a product in the launch slot for LAUNCH_WINDOW_WEEKS; asking
// for more weeks assumes it stays there.
import {
  contextShift, habitBoost, launchDiscountOnDay, NEW_ARRIVALS, POSITION_DECAY, sigmoid, utilityAt,
} from './purchase-model';
import { dayOfDate, weekdayShare } from './calendar';
import { launchPositionDistribution } from './launch-slot';
import { expectedQuantity } from './orders';
import { expectedSessions, launchShowProbability } from './traffic';
import { LATENT_DIM, type ProductSpec, type World } from './types';

export interface LaunchOptions {
  /** List price. */
  readonly price: number;
  /** Fractional discount during the promotion weeks (0 for none). */
  readonly discount: number;
  readonly promoWeeks: number;
  readonly launchDate: Date;
  /** Launch-slot budget. */
  readonly weeklyImpressions: number;
  readonly weeks: number;
}

// F(x) = Σ_k π_k σ(x − decay·ln(1+k)) tabulated on a grid: the position-averaged purchase probability
// for a launch budget. Budgets are whole impressions, so tables are cached per world and budget.
const GRID_FROM = -20;
const GRID_TO = 10;
const GRID_STEP = 0.02;
const GRID_SIZE = Math.round((GRID_TO - GRID_FROM) / GRID_STEP) + 1;
const tableCache = new WeakMap<World, Map<number, Float64Array>>();

function positionAveragedTable(world: World, weeklyImpressions: number): Float64Array {
  let cache = tableCache.get(world);
  if (!cache) tableCache.set(world, (cache = new Map()));
  let table = cache.get(weeklyImpressions);
  if (table) return table;
  const pi = launchPositionDistribution(world, weeklyImpressions);
  table = new Float64Array(GRID_SIZE);
  for (let g = 0; g < GRID_SIZE; g++) {
    const x = GRID_FROM + g * GRID_STEP;
    let s = 0;
    for (let k = 0; k < pi.length; k++) s += pi[k] * sigmoid(x - POSITION_DECAY * Math.log1p(k));
    table[g] = s;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(weeklyImpressions, table);
  return table;
}

function interpolate(table: Float64Array, x: number): number {
  const f = (x - GRID_FROM) / GRID_STEP;
  if (f <= 0) return table[0] * Math.exp(x - GRID_FROM); // σ ≈ e^x far left
  if (f >= GRID_SIZE - 1) return table[GRID_SIZE - 1];
  const g = Math.floor(f);
  const w = f - g;
  return table[g] * (1 - w) + table[g + 1] * w;
}

interface ResolvedProduct {
  category: number;
  /** Affinity (taste·style + quality) and habit of panel member m. */
  affinity(shopper: number): number;
  habit(shopper: number): number;
}

function resolveProduct(world: World, product: number | ProductSpec): ResolvedProduct {
  if (typeof product === 'number') {
    const j = product;
    const v = world.catalog.latent;
    const q = world.catalog.quality[j];
    return {
      category: world.catalog.category[j],
      affinity: (i) => dotLatent(world, i, v, j * LATENT_DIM) + q,
      habit: (i) => habitBoost(world, i, j),
    };
  }
  const category =
    typeof product.category === 'number'
      ? product.category
      : world.categories.findIndex((c) => c.path === product.category || c.leaf === product.category);
  if (category < 0 || category >= world.categories.length) throw new Error(`unknown category ${String(product.category)}`);
  const brand =
    product.brand === undefined
      ? undefined
      : typeof product.brand === 'number'
        ? world.brands[product.brand]
        : world.brands.find((b) => b.name === product.brand);
  const quality = product.quality ?? brand?.quality ?? 0;
  const latent = Float64Array.from(product.latent ?? world.categories[category].centroid);
  return {
    category,
    affinity: (i) => dotLatent(world, i, latent, 0) + quality,
    habit: () => 0,
  };
}

function dotLatent(world: World, i: number, v: ArrayLike<number>, offset: number): number {
  const u = world.population.latent;
  const o = i * LATENT_DIM;
  let dot = 0;
  for (let k = 0; k < LATENT_DIM; k++) dot += u[o + k] * v[offset + k];
  return dot;
}

/**
 * True expected units for weeks 1..opts.weeks of launching `product` (a catalogue index, or a
 * hypothetical ProductSpec) with the given configuration.
 */
export function trueLaunchDemand(world: World, product: number | ProductSpec, opts: LaunchOptions): number[] {
  const resolved = resolveProduct(world, product);
  const { members, weights } = world.launchPanel;
  const n = members.length;
  const aff = new Float64Array(n);
  const habit = new Float64Array(n);
  const qty = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    aff[m] = resolved.affinity(members[m]);
    habit[m] = resolved.habit(members[m]);
    qty[m] = expectedQuantity(world, members[m]);
  }
  const logRel = Math.log(Math.max(opts.price, 0.01) / world.categories[resolved.category].priceLevel);
  const utilityCache = new Map<number, Float64Array>();
  const utilities = (discount: number): Float64Array => {
    let u = utilityCache.get(discount);
    if (!u) {
      u = new Float64Array(n);
      const rel = logRel + Math.log(1 - Math.min(discount, 0.95));
      for (let m = 0; m < n; m++) u[m] = utilityAt(world, members[m], aff[m], habit[m], resolved.category, rel, discount);
      utilityCache.set(discount, u);
    }
    return u;
  };
  const table = positionAveragedTable(world, opts.weeklyImpressions);
  const launchDay = dayOfDate(opts.launchDate);
  const days = 7 * opts.weeks;
  // Per day of the window: which utility vector applies (the discount regime) and the context shift.
  const regime: Float64Array[] = [];
  const shift = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    regime.push(utilities(launchDiscountOnDay(launchDay, opts.discount, opts.promoWeeks, launchDay + d)));
    shift[d] = contextShift(NEW_ARRIVALS, 0, launchDay + d);
  }
  // Σ over active panel members of weight × quantity × position-averaged p, and Σ weight, per day.
  const num = new Float64Array(days);
  const den = new Float64Array(days);
  const pop = world.population;
  for (let m = 0; m < n; m++) {
    const i = members[m];
    const from = Math.max(0, pop.activeFromDay[i] - launchDay);
    const to = Math.min(days, pop.activeToDay[i] - launchDay);
    const wq = weights[m] * qty[m];
    for (let d = from; d < to; d++) {
      num[d] += wq * interpolate(table, regime[d][m] + shift[d]);
      den[d] += weights[m];
    }
  }
  const units = new Array<number>(opts.weeks).fill(0);
  for (let d = 0; d < days; d++) {
    const day = launchDay + d;
    if (den[d] === 0) continue;
    const impressions = launchShowProbability(world, opts.weeklyImpressions, weekdayShare(day), day) * expectedSessions(world, day);
    units[Math.floor(d / 7)] += impressions * (num[d] / den[d]);
  }
  return units;
}

/** The configuration the shop actually used for catalogue product j (for truth/launches.csv). */
export function actualLaunchOptions(world: World, j: number, weeks: number): LaunchOptions {
  const c = world.catalog;
  return {
    price: c.price[j],
    discount: c.promoDiscount[j],
    promoWeeks: c.promoWeeks[j],
    launchDate: new Date(c.launchedAt[j]),
    weeklyImpressions: c.weeklyImpressions[j],
    weeks,
  };
}
