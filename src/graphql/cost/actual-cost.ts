// The cost of what a response really contained: connections priced by the items they returned,
// null or absent objects free. The plugin refunds `requested - actual` after execution.
import { DocumentNode, GraphQLSchema } from 'graphql';
import { operationCost } from './cost-walker';
import { computeQueryCost } from './query-cost';
import { operationContext } from './operation-context';

/**
 * `data` is the response's `data` as sent to the client:
 * - undefined: the operation never executed (refused, or invalid) → 0;
 * - null: execution ran but an error reached the root, so what was resolved can't be seen
 *   → the requested cost (nothing is refunded; errors must not make queries free);
 * - an object → priced by its shape. For an interface/union without `__typename` in the response
 *   the most expensive possible type is assumed.
 * Normally ≤ the requested cost; it exceeds it only if a resolver returned more items than asked.
 */
export function computeActualCost(
  schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, data: unknown,
  operationName?: string | null,
): number {
  if (data === undefined) return 0;
  if (data === null) return computeQueryCost(schema, document, variables, operationName).cost;
  const ctx = operationContext(schema, document, variables, operationName);
  return ctx ? operationCost(ctx, data) : 0;
}
