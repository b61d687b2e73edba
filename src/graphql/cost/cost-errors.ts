// The three ways a request is refused on cost, as GraphQLErrors a client can act on: the code says
// which limit, the message says what to change, the extensions carry the numbers. `extensions.http`
// sets the HTTP status (and Retry-After); Apollo strips it from the body.
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

export const CostErrorCode = {
  MAX_COST_EXCEEDED: 'MAX_COST_EXCEEDED',
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  THROTTLED: 'THROTTLED',
} as const;

const n = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** 400: the query is too expensive to ever run; retrying unchanged cannot help. */
export function maxCostExceeded(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `Query cost ${n(cost)} exceeds the maximum of ${n(maxCost)} per query; request fewer items with \`first\`/\`last\` ` +
    'on connections (nested connections multiply) or split the query.',
    { extensions: { code: CostErrorCode.MAX_COST_EXCEEDED, cost, maxCost, http: { status: 400 } } },
  );
}

/** 400: nesting beyond the limit; flatten the query or fetch the inner part separately. */
export function maxDepthExceeded(depth: number, maxDepth: number): GraphQLError {
  return new GraphQLError(
    `Query depth ${depth} exceeds the maximum of ${maxDepth}; fetch deeply nested data with a separate query.`,
    { extensions: { code: CostErrorCode.MAX_DEPTH_EXCEEDED, depth, maxDepth, http: { status: 400 } } },
  );
}

/** 429 with Retry-After: the query is fine but the merchant's bucket is short of points right now. */
export function throttled(cost: number, available: number, restoreRate: number, retryAfterSeconds: number): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  return new GraphQLError(
    `Throttled: this query costs ${n(cost)} points but only ${n(available)} are available, restoring at ` +
    `${n(restoreRate)} points per second. Retry after ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
    {
      extensions: {
        code: CostErrorCode.THROTTLED, retryAfterSeconds: retryAfter, requestedQueryCost: cost,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
      },
    },
  );
}
