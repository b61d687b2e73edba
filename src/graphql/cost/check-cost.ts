// The per-query limits without the HTTP plugin: for transports Apollo's plugins don't see, i.e.
// graphql-ws subscriptions, priced once at subscribe time (one event's selection; no throttling).
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { maxCostExceeded, maxDepthExceeded } from './cost-errors';
import { computeQueryCost } from './query-cost';

export const DEFAULT_MAX_COST = 1000;
export const DEFAULT_MAX_DEPTH = 12;

export interface CostLimits {
  maxCost?: number;
  maxDepth?: number;
  operationName?: string | null;
}

/**
 * The errors that refuse this (parsed, validated) document, or an empty array when it is within the
 * limits. Shaped for graphql-ws's `onSubscribe`, which rejects a subscription when it returns a
 * non-empty GraphQLError[] (an empty array is an error there: return it only when non-empty).
 */
export function checkCost(
  schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> = {}, limits: CostLimits = {},
): GraphQLError[] {
  const { maxCost = DEFAULT_MAX_COST, maxDepth = DEFAULT_MAX_DEPTH, operationName } = limits;
  const { cost, depth } = computeQueryCost(schema, document, variables, operationName);
  if (depth > maxDepth) return [maxDepthExceeded(depth, maxDepth)];
  if (cost > maxCost) return [maxCostExceeded(cost, maxCost)];
  return [];
}
