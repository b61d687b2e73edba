// trueLaunchDemand: expected weekly units of a launch under a configuration, computed from the same
// mechanics the simulation uses for real launches. During its launch window a product is shown only in
// the launch slot (`new_arrivals`): each session of a day shows it with probability weeklyImpressions ×
// weekday share / expected sessions (capped at 1: one impression per session at most), so it reaches
// active shoppers in proportion to visit rate, at positions drawn from launchPositionDistribution(budget). Each impression converts with the true
// purchase probability; each purchase brings the buyer's expected quantity. Units are gross ordered
// units (before returns and cancellations).
//
// Price enters through the elastic price term, the discount through both price and the promotion
// badge (during promoWeeks), the date through the seasonal buying mood and who is active then, exposure
// through the budget (concave: bigger budgets reach deeper slots), and the product through its quality,
// style and category. The simulation keeps a product in the launch slot for LAUNCH_WINDOW_WEEKS; asking
// for more weeks assumes it stays there.
import { contextShift, habitBoost, launchDiscountOnDay, NEW_ARRIVALS, POSITION_DECAY, sigmoid, utilityAt } from './purchase-model';
import { dayOfDate, weekdayShare } from './calendar';
import { launchPositionDistribution } from './launch-slot';
import { expectedQuantity } from './orders';
import { isActiveOn } from './population';
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

// F(x) = Σ_k π_k σ(x − decay·ln(1+k)) tabulated on a grid: the position-averaged purchase probability.
const GRID_FROM = -20;
const GRID_TO = 10;
const GRID_STEP = 0.02;

function positionAveragedSigmoid(pi: Float64Array): (x: number) => number {
  const n = Math.round((GRID_TO - GRID_FROM) / GRID_STEP) + 1;
  const table = new Float64Array(n);
  for (let g = 0; g < n; g++) {
    const x = GRID_FROM + g * GRID_STEP;
    let s = 0;
    for (let k = 0; k < pi.length; k++) s += pi[k] * sigmoid(x - POSITION_DECAY * Math.log1p(k));
    table[g] = s;
  }
  return (x: number) => {
    const f = (x - GRID_FROM) / GRID_STEP;
    if (f <= 0) return table[0] * Math.exp(x - GRID_FROM); // σ ≈ e^x far left
    if (f >= n - 1) return table[n - 1];
    const g = Math.floor(f);
    const w = f - g;
    return table[g] * (1 - w) + table[g + 1] * w;
  };
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
  const averaged = positionAveragedSigmoid(launchPositionDistribution(world, opts.weeklyImpressions));
  const launchDay = dayOfDate(opts.launchDate);
  const units = new Array<number>(opts.weeks).fill(0);
  for (let w = 0; w < opts.weeks; w++) {
    for (let dd = 0; dd < 7; dd++) {
      const day = launchDay + 7 * w + dd;
      const u = utilities(launchDiscountOnDay(launchDay, opts.discount, opts.promoWeeks, day));
      const shift = contextShift(NEW_ARRIVALS, 0, day);
      let num = 0;
      let den = 0;
      for (let m = 0; m < n; m++) {
        if (!isActiveOn(world.population, members[m], day)) continue;
        num += weights[m] * qty[m] * averaged(u[m] + shift);
        den += weights[m];
      }
      const impressions = launchShowProbability(world, opts.weeklyImpressions, weekdayShare(day), day) * expectedSessions(world, day);
      if (den > 0) units[w] += impressions * (num / den);
    }
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
