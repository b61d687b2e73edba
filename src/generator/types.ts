// The hidden world a synthetic shop is simulated from. Everything here is ground truth: the exported
// CSVs show only what a real shop would record, and truth/ files expose the rest for scoring models.
// Large per-item attributes are struct-of-arrays (typed arrays) so a million shoppers stay compact.
import type { ShopSize, SizePreset } from './sizes';

/** Dimension of the latent taste (customer) and style (product) vectors. */
export const LATENT_DIM = 8;

/** A launched product sits in the launch slot (`new_arrivals`) for this long before organic lists. */
export const LAUNCH_WINDOW_WEEKS = 8;
export const LAUNCH_WINDOW_DAYS = LAUNCH_WINDOW_WEEKS * 7;

export interface Category {
  readonly index: number;
  /** `Department > Leaf`, the form the import format expects. */
  readonly path: string;
  readonly department: string;
  readonly leaf: string;
  /** Median list price: prices act relative to it. */
  readonly priceLevel: number;
  /** How strongly buyers in this category react to price (multiplies each shopper's sensitivity). */
  readonly elasticity: number;
  /** Probability that a sold line is (partly) returned. */
  readonly returnRate: number;
  readonly consumable: boolean;
  /** Centre of the category's products in latent space. */
  readonly centroid: Float64Array;
  readonly nouns: readonly string[];
  readonly materials: readonly string[];
}

export interface Brand {
  readonly index: number;
  readonly name: string;
  readonly department: string;
  /** Mean quality of the brand's products (logit units). */
  readonly quality: number;
  /** Price positioning: log-price offset of its products. */
  readonly priceTier: number;
}

export interface Catalog {
  readonly count: number;
  readonly externalId: string[];
  readonly title: string[];
  readonly description: string[];
  /** `|`-joined, as written to CSV. */
  readonly tags: string[];
  readonly category: Int32Array;
  readonly brand: Int32Array;
  readonly price: Float64Array;
  readonly cost: Float64Array;
  readonly stock: Int32Array;
  /** True creation and launch instants (ms); the CSV shows the migration date for censored products. */
  readonly createdAt: Float64Array;
  readonly launchedAt: Float64Array;
  /** Day index of the launch (may be negative: launched before the data starts). */
  readonly launchDay: Int32Array;
  /** 1 when launched before the history start: its sales history is cut off (censored). */
  readonly censored: Uint8Array;
  /** Hidden quality (logit units), shifts every shopper's purchase probability. */
  readonly quality: Float64Array;
  /** count × LATENT_DIM product style vectors. */
  readonly latent: Float64Array;
  /** ln(list price / category price level), cached for the price term. */
  readonly logRelPrice: Float64Array;
  /** Organic (non-launch) exposure weight: Zipf by a quality-correlated rank. */
  readonly popularity: Float64Array;
  /** First day the product appears in organic lists (after its launch window). */
  readonly organicFromDay: Int32Array;
  /** Launch configuration the shop used: discount during the first promoWeeks, launch-slot budget. */
  readonly promoDiscount: Float64Array;
  readonly promoWeeks: Int32Array;
  readonly weeklyImpressions: Float64Array;
}

/**
 * Shoppers: indices [0, customers) are known customers (in customers.csv, ordered by signup), indices
 * [customers, total) are anonymous visitors whose sessions carry no customer id.
 */
export interface Population {
  readonly customers: number;
  readonly visitors: number;
  readonly total: number;
  /** True signup instant (before the history start for censored customers). */
  readonly signupAt: Float64Array;
  /** True dropout instant (exponential lifetime; may lie after the history end). */
  readonly dropoutAt: Float64Array;
  /** Active (can start sessions) on day d iff activeFromDay ≤ d < activeToDay. */
  readonly activeFromDay: Int32Array;
  readonly activeToDay: Int32Array;
  /** Sessions per day at traffic factor 1 (gamma-distributed across shoppers). */
  readonly visitRate: Float64Array;
  /** Dropout hazard per day (gamma-distributed across shoppers). */
  readonly dropoutRate: Float64Array;
  /** Personal buying propensity (logit offset). */
  readonly propensity: Float32Array;
  /** Personal price sensitivity (multiplies category elasticity). */
  readonly priceSensitivity: Float32Array;
  /** total × LATENT_DIM taste vectors. */
  readonly latent: Float32Array;
  /** Index into SEGMENTS / COUNTRIES. */
  readonly segment: Uint8Array;
  readonly country: Uint8Array;
  /** 1 for accounts created only to brush orders (planted anomalies). */
  readonly brushing: Uint8Array;
  /** Habitual products (CSR): staples of shopper i are stapleProduct[stapleStart[i] .. stapleStart[i+1]). */
  readonly stapleStart: Int32Array;
  readonly stapleProduct: Int32Array;
  /** Logit boost of a staple's purchase probability (the repurchase habit). */
  readonly stapleStrength: Float32Array;
  /** Probability that a session of the shopper starts with a search for one of their staples. */
  readonly stapleSearch: Float32Array;
}

export type BrushingKind = 'single_customer' | 'ring';

/** A planted order-brushing episode: many tiny orders of one product in a short window. */
export interface BrushingEpisode {
  readonly id: string;
  readonly kind: BrushingKind;
  readonly product: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Customer indices (brushing accounts) placing the orders. */
  readonly customers: readonly number[];
  /** Orders each account places. */
  readonly ordersPerCustomer: readonly number[];
}

export interface World {
  readonly size: ShopSize;
  readonly seed: number;
  readonly preset: SizePreset;
  readonly startMs: number;
  readonly endMs: number;
  readonly days: number;
  readonly categories: readonly Category[];
  readonly brands: readonly Brand[];
  readonly catalog: Catalog;
  readonly population: Population;
  /** Shoppers `trueLaunchDemand` averages over, with weights (see SizePreset.launchPanel). */
  readonly launchPanel: { readonly members: Int32Array; readonly weights: Float64Array };
  /** A typical launch budget (weekly impressions) for this shop's traffic. */
  readonly launchRefImpressions: number;
  /**
   * Σ visit rate of shoppers active on day `from + k` (k-th value): expected sessions on a day are this
   * × trafficFactor(day). Covers well before and after the history; see expectedSessions().
   */
  readonly visitMass: { readonly from: number; readonly values: Float64Array };
  readonly brushing: readonly BrushingEpisode[];
}

/** A hypothetical product for `trueLaunchDemand`: what a merchant knows before launching it. */
export interface ProductSpec {
  /** Category path (`Department > Leaf`) or index. */
  readonly category: string | number;
  /** Brand name or index; its mean quality is used when `quality` is absent. */
  readonly brand?: string | number;
  /** Hidden quality, logit units (default: the brand's mean, else 0). */
  readonly quality?: number;
  /** Style vector (default: the category centroid). */
  readonly latent?: ArrayLike<number>;
}
