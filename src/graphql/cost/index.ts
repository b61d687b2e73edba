// Query cost analysis, depth limits and per-merchant throttling (Shopify's model). See cost-walker.ts
// for the cost rules and cost.plugin.ts for how a request is metered.
export { computeQueryCost, type QueryCost } from './query-cost';
export { computeActualCost } from './actual-cost';
export { checkCost, type CostLimits, DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH } from './check-cost';
export { costPlugin, type CostPluginOptions, type CostExtension } from './cost.plugin';
export { CostErrorCode } from './cost-errors';
export { tryConsume, refund, type BucketOptions, type ThrottleStatus, DEFAULT_BUCKET } from './throttle';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection';
