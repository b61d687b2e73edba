// The true purchase model: P(purchase | product shown to shopper) as a logistic function of
//   shopper propensity + taste·style affinity + product quality + repurchase habit
//   − price sensitivity × category elasticity × log(effective price / category price level)
//   + promotion badge + placement + position decay + seasonal buying mood.
// The simulation draws every purchase from exactly this function, so it is the ceiling any conversion
// model can reach. Terms that depend on the shopper and product (`utility`) are split from the context
// terms (`contextShift`) so launch demand can average over many shoppers cheaply.
import { conversionShift, dayIndex, sitewideDiscount } from './calendar';
import { LATENT_DIM, type World } from './types';

/** Placement handles. The empty handle is a direct product-page landing (no list, no position). */
export const PLACEMENTS = ['home', 'category', 'search', 'pdp_recs', 'new_arrivals', ''] as const;
export type Placement = (typeof PLACEMENTS)[number];
export const PLACEMENT_CODE: Readonly<Record<string, number>> = Object.fromEntries(PLACEMENTS.map((p, i) => [p, i]));
export const DIRECT = PLACEMENT_CODE[''];
export const NEW_ARRIVALS = PLACEMENT_CODE['new_arrivals'];

/** Shoppers who searched or landed on a page mean it; home-page browsing converts least. */
const PLACEMENT_SHIFT = [-0.25, 0, 0.45, -0.1, 0.1, 0.5];
/** Logit lost per log(1 + position): slot 0 → 0, slot 3 → −0.62, slot 7 → −0.94. */
export const POSITION_DECAY = 0.45;
const BASE_LOGIT = -5.4;
/** The "sale" badge works beyond the price cut itself. */
const PROMO_BUMP = 0.3;

export interface PurchaseContext {
  readonly placement: string;
  readonly position: number;
  readonly at: Date;
  /** List price to evaluate at (default: the product's list price). */
  readonly price?: number;
  /** Fractional discount (default: what the shop ran that day: launch promotion or sitewide sale). */
  readonly discount?: number;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Logit shift of a placement and 0-based position on a day. Unknown placements count as `category`. */
export function contextShift(placementCode: number, position: number, day: number): number {
  const code = placementCode >= 0 && placementCode < PLACEMENT_SHIFT.length ? placementCode : 1;
  const pos = code === DIRECT ? 0 : -POSITION_DECAY * Math.log1p(Math.max(0, position));
  return PLACEMENT_SHIFT[code] + pos + conversionShift(day);
}

/** The repurchase habit of shopper i for product j (0 when j is not one of i's staples). */
export function habitBoost(world: World, i: number, j: number): number {
  const pop = world.population;
  for (let k = pop.stapleStart[i]; k < pop.stapleStart[i + 1]; k++) {
    if (pop.stapleProduct[k] === j) return pop.stapleStrength[k];
  }
  return 0;
}

/** Taste·style affinity plus quality: the hidden customer×product affinity. */
export function affinity(world: World, i: number, j: number): number {
  const u = world.population.latent;
  const v = world.catalog.latent;
  const ui = i * LATENT_DIM;
  const vj = j * LATENT_DIM;
  let dot = 0;
  for (let k = 0; k < LATENT_DIM; k++) dot += u[ui + k] * v[vj + k];
  return dot + world.catalog.quality[j];
}

/**
 * Shopper×product part of the logit at a given log relative price (ln(effective price / category
 * level)) and discount. `habit` and `aff` are passed in so callers can reuse them across contexts.
 */
export function utilityAt(world: World, i: number, aff: number, habit: number, category: number,
  logRelEffectivePrice: number, discount: number): number {
  const pop = world.population;
  const elasticity = world.categories[category].elasticity;
  return (
    BASE_LOGIT +
    pop.propensity[i] +
    aff +
    habit -
    pop.priceSensitivity[i] * elasticity * logRelEffectivePrice +
    (discount > 0 ? PROMO_BUMP : 0)
  );
}

/** Discount the shop runs on product j on a day: its launch promotion, else any sitewide sale. */
export function discountOnDay(world: World, j: number, day: number): number {
  const c = world.catalog;
  return launchDiscountOnDay(c.launchDay[j], c.promoDiscount[j], c.promoWeeks[j], day);
}

/** The launch-promotion rule, shared by the simulation and `trueLaunchDemand`. */
export function launchDiscountOnDay(launchDay: number, promoDiscount: number, promoWeeks: number, day: number): number {
  const sitewide = sitewideDiscount(day);
  if (promoDiscount > 0 && day >= launchDay && day < launchDay + promoWeeks * 7) return Math.max(promoDiscount, sitewide);
  return sitewide;
}

/** Logit of P(purchase) for shopper i shown product j at (placement, position) on `day`. */
export function purchaseLogit(world: World, i: number, j: number, placementCode: number, position: number,
  day: number, discount: number, priceOverride?: number): number {
  const c = world.catalog;
  const cat = c.category[j];
  const logRel =
    priceOverride === undefined
      ? c.logRelPrice[j]
      : Math.log(Math.max(priceOverride, 0.01) / world.categories[cat].priceLevel);
  const u = utilityAt(world, i, affinity(world, i, j), habitBoost(world, i, j), cat,
    logRel + Math.log(1 - Math.min(discount, 0.95)), discount);
  return u + contextShift(placementCode, position, day);
}

/**
 * The true P(purchase | shown) the simulation itself uses. `customerIdx` indexes World.population
 * (known customers first, then anonymous visitors); `productIdx` indexes World.catalog.
 */
export function truePurchaseProbability(world: World, customerIdx: number, productIdx: number,
  ctx: PurchaseContext): number {
  const day = dayIndex(ctx.at.getTime());
  const code = PLACEMENT_CODE[ctx.placement] ?? PLACEMENT_CODE['category'];
  const discount = ctx.discount ?? discountOnDay(world, productIdx, day);
  return sigmoid(purchaseLogit(world, customerIdx, productIdx, code, ctx.position, day, discount, ctx.price));
}

/**
 * Probability of reaching the first funnel step after an exposure: a view of the product page for a
 * list impression. The later steps (click, add_to_cart, purchase) each pass with (p / view)^(1/3), so
 * the chance of reaching purchase is exactly p. A direct landing is already a view (returns 1).
 */
export function viewProbability(p: number, placementCode: number): number {
  if (placementCode === DIRECT) return 1;
  return Math.min(0.95, Math.max(p, Math.sqrt(0.3 * p)));
}

/** Expected number of events an exposure produces (itself plus the funnel steps it leads to). */
export function expectedEventsPerExposure(p: number, placementCode: number): number {
  const view = viewProbability(p, placementCode);
  const step = Math.cbrt(p / view);
  const afterView = view * (step + step * step + step * step * step);
  return placementCode === DIRECT ? 1 + afterView : 1 + view + afterView;
}
