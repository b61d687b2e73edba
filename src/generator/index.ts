// The synthetic merchant generator: a realistic shop whose hidden truth is known, so models can be
// scored against the best achievable. Pure TypeScript: no database, queue or GraphQL imports.
export { buildWorld } from './world';
export { generateShop } from './generate';
export type { GenerateOptions, GenerateProgress, GeneratePhase, GenerateSummary } from './generate';
export {
  ANOMALY_HEADER, CUSTOMER_HEADER, EVENT_HEADER, EXPOSURE_HEADER, LAUNCH_HEADER, ORDER_HEADER, PRODUCT_HEADER,
} from './generate';
export { CUSTOMER_TRUTH_HEADER } from './customer-truth';
export { truePurchaseProbability, PLACEMENTS } from './purchase-model';
export type { PurchaseContext, Placement } from './purchase-model';
export { trueLaunchDemand, actualLaunchOptions } from './launch-demand';
export type { LaunchOptions } from './launch-demand';
export { SIZE_PRESETS, isShopSize } from './sizes';
export type { ShopSize, SizePreset } from './sizes';
export { HISTORY_START_MS, HISTORY_END_MS, HISTORY_DAYS } from './calendar';
export { LATENT_DIM, LAUNCH_WINDOW_WEEKS } from './types';
export type { World, Catalog, Population, Category, Brand, BrushingEpisode, ProductSpec } from './types';
export { Rng } from './random';
