// Types of the launch demand model and scenario planner (the contract with src/modules/launch).
// Plain objects only: src/ml stays free of Prisma, queues and env.

/** The quantile levels every forecast carries. */
export const LAUNCH_QUANTILES = [0.1, 0.5, 0.9] as const;

/** What is known about a product before launch, plus the launch configuration. */
export interface LaunchFeatures {
  category: string | null;
  brand: string | null;
  title: string;
  description: string;
  /** List price. */
  price: number;
  /** Median list price of the product's category in the catalogue (null → global median). */
  categoryMedianPrice: number | null;
  /** Fractional discount during the promotion weeks (0 = no promotion), 0 ≤ discount < 0.95. */
  discount: number;
  /** Promotion length in weeks from the launch date. */
  promoWeeks: number;
  launchDate: Date;
  /** Impressions per week during its first weeks (planned budget, or what it observably got). */
  weeklyImpressions: number;
}

/** Plain records the API side reads with SQL (and the generator harness reads from the World). */
export interface LaunchRecordProduct {
  productId: number;
  category: string | null;
  brand: string | null;
  title: string;
  description: string;
  price: number;
  launchedAt: Date | null;
  createdAt: Date;
  /** The promotion it launched with, when known (a launch planned and launched here); else inferred from sales. */
  knownPromotion?: { discount: number; promoWeeks: number } | null;
}
export interface LaunchRecordSale { productId: number; orderedAt: Date; quantity: number; unitPrice: number }
export interface LaunchRecordImpressions {
  productId: number;
  /** 0-based week since launch. */
  weekIndex: number;
  impressions: number;
}

/** One past launch: features + actual weekly units for weeks 1..W (zeros where nothing sold). */
export interface LaunchHistoryRow extends LaunchFeatures {
  productId: number;
  weeklyUnits: number[];
  /**
   * The promotion was inferred from discounted sales, so it is only visible because something sold
   * during it (a promotion that sold nothing looks like none): training conditions those weeks on
   * at least one sale. False or absent: the promotion (or its absence) is known.
   */
  promotionFromSales?: boolean;
}

/** Per-week quantiles and mean, each of length W; p10 ≤ p50 ≤ p90 element-wise. */
export interface WeeklyQuantiles { p10: number[]; p50: number[]; p90: number[]; mean: number[] }
/** A similar past launch (content similarity in [−1, 1]) and its actual weekly units. */
export interface Analog { productId: number; similarity: number; weeklyUnits: number[] }
/** NONE: analogs were found; CATEGORY / GLOBAL: no usable analogs, the forecast leans on an average curve. */
export type ForecastFallback = 'NONE' | 'CATEGORY' | 'GLOBAL';
export interface DemandForecast extends WeeklyQuantiles { analogs: Analog[]; fallback: ForecastFallback }

export interface BacktestMetrics {
  launches: number;
  /** Σ|y − P50| / Σy over launches × weeks. */
  wape: number;
  /** Weighted quantile loss 2·Σ pinball_q / Σy. */
  wql10: number;
  wql50: number;
  wql90: number;
  /** Mean of wql10, wql50, wql90. */
  wqlMean: number;
  /** Share of launch-weeks with P10 ≤ y ≤ P90. */
  coverage80: number;
  /** Count-data P10–P90 coverage: mean share of each week's PIT interval inside [0.1, 0.9] (80% when calibrated). */
  coverage80Counts: number;
  /** Mean pinball loss over quantiles, launches and weeks (units). */
  pinball: number;
}
export interface DemandBacktest {
  model: BacktestMetrics;
  categoryAverage: BacktestMetrics;
  analogKnn: BacktestMetrics;
  heldOutProductIds: number[];
}

export interface DemandTrainOptions {
  weeks: number;
  seed: number;
  epochs?: number;
  /** Share of the most recent launches held out for the backtest (default 0.2). */
  holdoutFraction?: number;
  /** Number of analogs (default 10). */
  k?: number;
  onProgress?: (fraction: number, message: string) => void;
  /** Refit the served network on every launch after the backtest (default true); false serves the backtested one. */
  refit?: boolean;
  /** Overrides of the network's hyper-parameters (benchmarks and experiments). */
  tuning?: DemandTuning;
}

export interface DemandTuning {
  hidden?: number[];
  l2?: number;
  dropout?: number;
  learningRate?: number;
  poissonWeight?: number;
}

export interface DemandModel {
  readonly weeks: number;
  readonly backend: string;
  forecast(products: LaunchFeatures[]): DemandForecast[];
  /** Serialized artifact (stored in ModelVersion.artifact). */
  toBytes(): Promise<Uint8Array>;
  /** Feature schema and parameters for the ModelVersion row. */
  describe(): { params: Record<string, unknown>; featureSchema: Record<string, unknown> };
}

export type LaunchObjective = 'UNITS' | 'REVENUE' | 'GROSS_MARGIN';
export interface ScenarioGrid {
  prices: number[];
  promotions: { discount: number; weeks: number }[];
  launchDates: Date[];
  weeklyImpressions: number[];
}
export interface ScenarioParams {
  price: number;
  discount: number;
  promoWeeks: number;
  launchDate: Date;
  weeklyImpressions: number;
}
export interface ScenarioResult {
  params: ScenarioParams;
  /** Units sold per week, capped by inventory. */
  forecast: WeeklyQuantiles;
  expectedUnits: number;
  expectedRevenue: number;
  expectedMargin: number;
  sellOutProbability: number;
  objectiveValue: number;
  /** 1 = best. */
  rank: number;
  /** Why it differs from the recommended scenario: factor ('price'|'promotion'|'launchDate'|'exposure') and
   * its effect on the objective (this scenario's objective minus the recommended one's, changing one factor). */
  drivers: { factor: string; effect: number }[];
}
export interface ScenarioPlan {
  recommended: ScenarioResult;
  /** Ranked, all grid points. */
  scenarios: ScenarioResult[];
  analogs: Analog[];
  fallback: ForecastFallback;
}
export interface PlanConstraints { objective: LaunchObjective; inventory: number | null; unitCost: number }
export type LaunchProduct = Omit<LaunchFeatures, 'price' | 'discount' | 'promoWeeks' | 'launchDate' | 'weeklyImpressions'>;
