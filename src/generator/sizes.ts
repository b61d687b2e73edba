// Shop size presets. Counts are targets: events land near `targetEvents` (the visit rates are
// calibrated to it), products and customers exactly (plus a handful of planted brushing accounts).

export type ShopSize = 'tiny' | 'small' | 'demo' | 'medium' | 'large';

export interface SizePreset {
  readonly products: number;
  readonly customers: number;
  /** Anonymous visitors (sessions without a customer id): a separate pool of shoppers. */
  readonly visitors: number;
  readonly targetEvents: number;
  readonly categories: number;
  readonly brushingEpisodes: number;
  /**
   * Shoppers averaged over by `trueLaunchDemand`; 0 means every shopper (exact). A sample is drawn in
   * proportion to visit rate, which is how launch impressions reach shoppers in the simulation.
   */
  readonly launchPanel: number;
  /** Future sessions imagined per customer to compute the customer truth (more = less Monte Carlo noise). */
  readonly phantomSessions: number;
  /** Share of exposures written to truth/exposures.csv (1 = all); the rest are simulated but not listed. */
  readonly exposureSampleRate: number;
}

export const SIZE_PRESETS: Readonly<Record<ShopSize, SizePreset>> = {
  tiny: {
    products: 60,
    customers: 300,
    visitors: 150,
    targetEvents: 20_000,
    categories: 6,
    brushingEpisodes: 2,
    launchPanel: 0,
    phantomSessions: 12,
    exposureSampleRate: 1,
  },
  small: {
    products: 300,
    customers: 2_000,
    visitors: 1_000,
    targetEvents: 100_000,
    categories: 12,
    brushingEpisodes: 3,
    launchPanel: 0,
    phantomSessions: 8,
    exposureSampleRate: 1,
  },
  demo: {
    products: 1_000,
    customers: 8_000,
    visitors: 4_000,
    targetEvents: 400_000,
    categories: 24,
    brushingEpisodes: 4,
    launchPanel: 2_000,
    phantomSessions: 6,
    exposureSampleRate: 1,
  },
  medium: {
    products: 2_000,
    customers: 20_000,
    visitors: 10_000,
    targetEvents: 1_000_000,
    categories: 36,
    brushingEpisodes: 6,
    launchPanel: 1_500,
    phantomSessions: 4,
    exposureSampleRate: 1,
  },
  large: {
    products: 50_000,
    customers: 1_000_000,
    visitors: 500_000,
    targetEvents: 10_000_000,
    categories: 60,
    brushingEpisodes: 12,
    launchPanel: 600,
    phantomSessions: 2,
    exposureSampleRate: 0.2,
  },
};

export function isShopSize(value: string): value is ShopSize {
  return Object.prototype.hasOwnProperty.call(SIZE_PRESETS, value);
}
