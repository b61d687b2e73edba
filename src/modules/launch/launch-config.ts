// A launch's configuration (stored in Launch.config) and its validation. Candidate prices are
// MULTIPLIERS of each product's list price, so one grid serves a launch of several products at
// different price points: a scenario is one (price multiplier, promotion, launch week, exposure
// budget) applied to every product of the launch. Validation is pure: the service supplies the
// merchant's products and data clock, and nothing is written when any error is found.
import { userError, type UserError } from '../../graphql/user-error';

export const LAUNCH_OBJECTIVES = ['UNITS', 'REVENUE', 'GROSS_MARGIN'] as const;
export type LaunchObjectiveName = (typeof LAUNCH_OBJECTIVES)[number];

export const MAX_LAUNCH_PRODUCTS = 20;
export const MAX_PRICE_POINTS = 12;
export const MAX_PROMOTIONS = 10;
export const MAX_BUDGETS = 10;
/** Launch weeks offered inside the date range (evenly spread when the range holds more). */
export const MAX_LAUNCH_WEEKS = 12;
/** Grid points (scenarios) per launch, and grid points × products evaluated per plan. */
export const MAX_GRID = 2_000;
export const MAX_EVALUATIONS = 20_000;
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

export interface LaunchPromotion { discount: number; weeks: number }
/** costPerThousand: the opportunity cost of 1,000 impressions there (0 = free); it is charged against the margin. */
export interface LaunchBudget { placement: string; weeklyImpressions: number; costPerThousand?: number }
export interface LaunchProductConfig { productId: number; inventory: number | null; unitCost: number | null }

export interface LaunchConfig {
  priceMultipliers: number[];
  promotions: LaunchPromotion[];
  exposureBudgets: LaunchBudget[];
  products: LaunchProductConfig[];
}

/** What the client sent, with product ids already decoded (null = malformed id). */
export interface LaunchDraft {
  name?: string;
  startDate?: Date;
  endDate?: Date;
  objective?: string;
  priceMultipliers?: number[];
  promotions?: LaunchPromotion[];
  exposureBudgets?: LaunchBudget[];
  products?: Array<{ productId: number | null; inventory?: number | null; unitCost?: number | null }>;
}

export interface ValidatedLaunch {
  name: string; startDate: Date; endDate: Date; objective: LaunchObjectiveName; config: LaunchConfig;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Checks a complete launch (a create, or an update merged over the stored launch). `known` maps the
 * merchant's product ids to their list price and cost; ids of other merchants are simply absent.
 */
export function validateLaunch(d: Required<LaunchDraft>, known: Map<number, { price: number; cost: number | null }>, clock: Date): { launch: ValidatedLaunch | null; userErrors: UserError[] } {
  const errors: UserError[] = [];
  const at = (...f: string[]) => ['input', ...f];
  const name = (d.name ?? '').trim();
  if (name.length < 1 || name.length > 200) errors.push(userError('name must be 1–200 characters', 'INVALID', at('name')));

  // Dates: a launch is planned for the future of the merchant's data clock.
  const start = d.startDate;
  const end = d.endDate;
  const validDate = (x: Date) => x instanceof Date && Number.isFinite(x.getTime());
  if (!validDate(start)) errors.push(userError('startDate is not a valid date', 'INVALID', at('startDate')));
  if (!validDate(end)) errors.push(userError('endDate is not a valid date', 'INVALID', at('endDate')));
  if (validDate(start) && validDate(end)) {
    if (start.getTime() < startOfDay(clock).getTime()) {
      errors.push(userError(`startDate ${iso(start)} is in the past: the shop's data runs to ${iso(clock)}`, 'DATE_IN_PAST', at('startDate')));
    }
    if (end.getTime() < start.getTime()) errors.push(userError('endDate is before startDate', 'INVALID', at('endDate')));
    else if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS) errors.push(userError(`The date range may span at most ${MAX_RANGE_DAYS} days`, 'INVALID', at('endDate')));
  }

  if (!(LAUNCH_OBJECTIVES as readonly string[]).includes(d.objective)) {
    errors.push(userError(`objective must be one of ${LAUNCH_OBJECTIVES.join(', ')}`, 'INVALID', at('objective')));
  }

  // The grid.
  const mult = d.priceMultipliers;
  if (mult.length === 0) errors.push(userError('Give at least one candidate price (priceMultipliers)', 'EMPTY_GRID', at('priceMultipliers')));
  if (mult.length > MAX_PRICE_POINTS) errors.push(userError(`At most ${MAX_PRICE_POINTS} candidate prices`, 'TOO_LARGE', at('priceMultipliers')));
  mult.forEach((m, i) => {
    if (!finite(m) || m <= 0) errors.push(userError('A candidate price must be positive (a multiplier of the list price, e.g. 0.9 or 1.1)', 'NEGATIVE_VALUE', at('priceMultipliers', String(i))));
    else if (m > 10) errors.push(userError('A price multiplier above 10 is not a plausible candidate', 'INVALID', at('priceMultipliers', String(i))));
  });
  if (new Set(mult).size !== mult.length) errors.push(userError('Candidate prices repeat', 'DUPLICATE', at('priceMultipliers')));

  const promos = d.promotions;
  if (promos.length === 0) errors.push(userError('Give at least one promotion option ({ discount: 0, weeks: 0 } for none)', 'EMPTY_GRID', at('promotions')));
  if (promos.length > MAX_PROMOTIONS) errors.push(userError(`At most ${MAX_PROMOTIONS} promotion options`, 'TOO_LARGE', at('promotions')));
  promos.forEach((p, i) => {
    if (!finite(p.discount) || p.discount < 0 || p.discount >= 0.95) errors.push(userError('discount is a fraction in [0, 0.95)', p.discount < 0 ? 'NEGATIVE_VALUE' : 'INVALID', at('promotions', String(i), 'discount')));
    if (!Number.isInteger(p.weeks) || p.weeks < 0 || p.weeks > 52) errors.push(userError('weeks is a whole number of weeks, 0–52', p.weeks < 0 ? 'NEGATIVE_VALUE' : 'INVALID', at('promotions', String(i), 'weeks')));
    if ((p.discount > 0) !== (p.weeks > 0) && finite(p.discount) && Number.isInteger(p.weeks)) {
      errors.push(userError('A promotion needs both a discount and a duration (or neither)', 'INVALID', at('promotions', String(i))));
    }
  });
  if (new Set(promos.map((p) => `${p.discount}/${p.weeks}`)).size !== promos.length) errors.push(userError('Promotion options repeat', 'DUPLICATE', at('promotions')));

  const budgets = d.exposureBudgets;
  if (budgets.length === 0) errors.push(userError('Give at least one exposure budget', 'EMPTY_GRID', at('exposureBudgets')));
  if (budgets.length > MAX_BUDGETS) errors.push(userError(`At most ${MAX_BUDGETS} exposure budgets`, 'TOO_LARGE', at('exposureBudgets')));
  budgets.forEach((b, i) => {
    if (!Number.isInteger(b.weeklyImpressions) || b.weeklyImpressions < 0 || b.weeklyImpressions > 1e9) {
      errors.push(userError('weeklyImpressions is a whole number ≥ 0', b.weeklyImpressions < 0 ? 'NEGATIVE_VALUE' : 'INVALID', at('exposureBudgets', String(i), 'weeklyImpressions')));
    }
    const cpm = b.costPerThousand ?? 0;
    if (!finite(cpm) || cpm < 0 || cpm > 1e9) errors.push(userError('costPerThousand must be 0–1,000,000,000', cpm < 0 ? 'NEGATIVE_VALUE' : 'INVALID', at('exposureBudgets', String(i), 'costPerThousand')));
    if (!b.placement || b.placement.length > 100) errors.push(userError('placement is 1–100 characters', 'INVALID', at('exposureBudgets', String(i), 'placement')));
  });
  if (new Set(budgets.map((b) => `${b.placement}/${b.weeklyImpressions}/${b.costPerThousand ?? 0}`)).size !== budgets.length) errors.push(userError('Exposure budgets repeat', 'DUPLICATE', at('exposureBudgets')));

  // Products: the merchant's own, each once, with sane inventory and cost.
  const products = d.products;
  if (products.length === 0) errors.push(userError('A launch needs at least one product', 'EMPTY_GRID', at('products')));
  if (products.length > MAX_LAUNCH_PRODUCTS) errors.push(userError(`At most ${MAX_LAUNCH_PRODUCTS} products per launch`, 'TOO_LARGE', at('products')));
  const seen = new Set<number>();
  const config: LaunchProductConfig[] = [];
  products.forEach((p, i) => {
    const f = (x?: string) => at('products', String(i), ...(x ? [x] : []));
    if (p.productId === null || !known.has(p.productId)) { errors.push(userError('No product with this id', 'NOT_FOUND', f('productId'))); return; }
    if (seen.has(p.productId)) errors.push(userError('The product is listed twice', 'DUPLICATE', f('productId')));
    seen.add(p.productId);
    const inv = p.inventory ?? null;
    if (inv !== null && (!Number.isInteger(inv) || inv < 0)) errors.push(userError('inventory must be a whole number ≥ 0 (omit it for no limit)', inv < 0 ? 'NEGATIVE_VALUE' : 'INVALID', f('inventory')));
    const cost = p.unitCost ?? known.get(p.productId)!.cost;
    if (cost !== null && (!finite(cost) || cost < 0 || cost > 1e9)) errors.push(userError('unitCost must be 0–1,000,000,000', cost < 0 ? 'NEGATIVE_VALUE' : 'INVALID', f('unitCost')));
    if (!(known.get(p.productId)!.price > 0)) errors.push(userError('The product has no positive list price to apply the candidate prices to', 'INVALID', f('productId')));
    config.push({ productId: p.productId, inventory: inv, unitCost: p.unitCost ?? null });
  });

  if (errors.length === 0) {
    const weeks = launchWeeks(start, end).length;
    const grid = mult.length * promos.length * budgets.length * weeks;
    if (grid > MAX_GRID) errors.push(userError(`The grid has ${grid} scenarios; at most ${MAX_GRID}`, 'TOO_LARGE', at()));
    else if (grid * products.length > MAX_EVALUATIONS) errors.push(userError(`The grid × products is ${grid * products.length} forecasts; at most ${MAX_EVALUATIONS}`, 'TOO_LARGE', at()));
  }
  if (errors.length) return { launch: null, userErrors: errors };
  return {
    launch: {
      name, startDate: start, endDate: end, objective: d.objective as LaunchObjectiveName,
      config: { priceMultipliers: mult, promotions: promos.map((p) => ({ discount: p.discount, weeks: p.weeks })), exposureBudgets: budgets.map((b) => ({ placement: b.placement, weeklyImpressions: b.weeklyImpressions, costPerThousand: b.costPerThousand ?? 0 })), products: config },
    },
    userErrors: [],
  };
}

/** Candidate launch dates: the start date and every 7 days after it up to the end date, at most MAX_LAUNCH_WEEKS evenly spread. */
export function launchWeeks(start: Date, end: Date): Date[] {
  const all: Date[] = [];
  for (let t = start.getTime(); t <= end.getTime(); t += WEEK_MS) all.push(new Date(t));
  if (all.length <= MAX_LAUNCH_WEEKS) return all;
  return Array.from({ length: MAX_LAUNCH_WEEKS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_LAUNCH_WEEKS - 1))]);
}

/** The price a multiplier gives a product, in cents. */
export function candidatePrice(listPrice: number, multiplier: number): number {
  return Math.max(0.01, Math.round(listPrice * multiplier * 100) / 100);
}

function startOfDay(d: Date): Date { return new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS); }
function iso(d: Date): string { return d.toISOString().slice(0, 10); }
