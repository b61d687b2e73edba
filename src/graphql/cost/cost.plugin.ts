// Query cost limits and per-merchant throttling for Apollo Server 5, Shopify style:
// - didResolveOperation (parsed, validated, not executed): refuse over-deep or over-expensive
//   operations for everyone; for a merchant, reserve the requested cost from their bucket or refuse
//   with THROTTLED. Refusing here means no resolver runs.
// - willSendResponse: refund requested − actual cost, and tell the merchant where they stand in
//   `extensions.cost` (every response of an identified merchant, errors included).
// Redis failures fail open (logged, no throttling) — the static per-query limits still apply, and
// an API that stops when Redis blips would be worse than a briefly unmetered one.
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import type { Redis } from 'ioredis';
import { computeActualCost } from './actual-cost';
import { DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH } from './check-cost';
import { maxCostExceeded, maxDepthExceeded, throttled } from './cost-errors';
import { computeQueryCost } from './query-cost';
import { BucketOptions, DEFAULT_BUCKET, ThrottleStatus, assertBucket, refund, tryConsume } from './throttle';

export { checkCost } from './check-cost';

export interface CostPluginOptions<TContext extends BaseContext> {
  redis: Redis;
  /** Most points one operation may request (default 1000). Must not exceed `bucket`. */
  maxCost?: number;
  /** Deepest field nesting allowed (default 12). */
  maxDepth?: number;
  /** Bucket capacity in points (default 1000). */
  bucket?: number;
  /** Points restored per second (default 50). */
  restoreRate?: number;
  /** Bucket keys are `${keyPrefix}:${merchantId}` (default `shelfwise:throttle`). */
  keyPrefix?: string;
  /** The merchant the request acts for, from the context; undefined = anonymous (limits only, no bucket). */
  merchantIdOf: (contextValue: TContext) => number | undefined;
}

/** Shopify's `extensions.cost` shape. `actualQueryCost` is null when the operation did not run. */
export interface CostExtension {
  requestedQueryCost: number | null;
  actualQueryCost: number | null;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export function costPlugin<TContext extends BaseContext>(options: CostPluginOptions<TContext>): ApolloServerPlugin<TContext> {
  const { redis, merchantIdOf, keyPrefix = 'shelfwise:throttle' } = options;
  const maxCost = options.maxCost ?? DEFAULT_MAX_COST;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const bucket: BucketOptions = {
    capacity: options.bucket ?? DEFAULT_BUCKET.capacity,
    restoreRate: options.restoreRate ?? DEFAULT_BUCKET.restoreRate,
  };
  assertBucket(bucket);
  if (maxCost > bucket.capacity) {
    throw new RangeError(`maxCost ${maxCost} exceeds the bucket of ${bucket.capacity}: such queries could never run`);
  }

  return {
    async requestDidStart({ contextValue }): Promise<GraphQLRequestListener<TContext>> {
      const merchantId = merchantIdOf(contextValue);
      const key = `${keyPrefix}:${merchantId}`;
      let requested: number | null = null;
      let reserved = false;
      let status: ThrottleStatus | undefined;
      let redisFailed = false;

      return {
        async didResolveOperation(rc) {
          const { cost, depth } = computeQueryCost(rc.schema, rc.document, rc.request.variables ?? {}, rc.operationName);
          requested = cost;
          if (depth > maxDepth) throw maxDepthExceeded(depth, maxDepth);
          if (cost > maxCost) throw maxCostExceeded(cost, maxCost);
          if (merchantId === undefined) return;
          try {
            status = await tryConsume(redis, key, cost, bucket);
          } catch (err) {
            redisFailed = true;
            rc.logger.warn(`Throttle unavailable, request not metered: ${(err as Error).message}`);
            return;
          }
          if (!status.allowed) throw throttled(cost, status.currentlyAvailable, status.restoreRate, status.retryAfterSeconds);
          reserved = true;
        },

        async willSendResponse(rc) {
          if (merchantId === undefined) return;
          const { body } = rc.response;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          // null = the operation never ran (refused, or invalid). A reserved operation that came back
          // without data failed before resolving anything (e.g. a bad variable): it costs 0.
          let actual: number | null = null;
          if (requested !== null && rc.document) {
            if (body.kind === 'incremental') actual = requested; // later payloads are unseen: keep the reservation
            else if (reserved || body.singleResult.data !== undefined) {
              actual = computeActualCost(rc.schema, rc.document, rc.request.variables ?? {}, body.singleResult.data, rc.operationName);
            }
          }
          try {
            if (reserved) status = await refund(redis, key, (requested ?? 0) - (actual ?? 0), bucket);
            else if (!status && !redisFailed) status = await tryConsume(redis, key, 0, bucket); // refused before reserving: read the bucket
          } catch (err) {
            rc.logger.warn(`Throttle unavailable, refund skipped: ${(err as Error).message}`);
          }
          const cost: CostExtension = { requestedQueryCost: requested, actualQueryCost: actual };
          if (status) {
            const { maximumAvailable, currentlyAvailable, restoreRate } = status;
            cost.throttleStatus = { maximumAvailable, currentlyAvailable, restoreRate };
          }
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}
