// The requested cost and depth of an operation, known before anything executes: what the plugin
// checks against the per-query limits and reserves from the merchant's bucket. Model: cost-walker.ts.
import { DocumentNode, GraphQLSchema, Kind, SelectionSetNode } from 'graphql';
import { UNKNOWN, operationCost } from './cost-walker';
import { OperationContext, isIncluded, operationContext } from './operation-context';

export interface QueryCost {
  /** Worst-case points: every connection full at its requested page size. */
  cost: number;
  /** Deepest chain of nested fields; `{ a { b } }` is 2. Fragments add no level; introspection is not counted. */
  depth: number;
}

/**
 * Prices the operation named `operationName` (or the document's only one). The document is assumed
 * validated; one without a matching operation costs 0, since graphql-js refuses to run it.
 */
export function computeQueryCost(
  schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string | null,
): QueryCost {
  const ctx = operationContext(schema, document, variables, operationName);
  if (!ctx) return { cost: 0, depth: 0 };
  return { cost: operationCost(ctx, UNKNOWN), depth: selectionDepth(ctx, ctx.operation.selectionSet, new Map()) };
}

function selectionDepth(ctx: OperationContext, set: SelectionSetNode, fragmentDepths: Map<string, number>): number {
  let depth = 0;
  for (const sel of set.selections) {
    if (!isIncluded(ctx, sel)) continue;
    if (sel.kind === Kind.FIELD) {
      // Introspection (__schema, __type) is deep by nature and cheap to serve: tooling must work.
      if (sel.name.value.startsWith('__')) continue;
      depth = Math.max(depth, 1 + (sel.selectionSet ? selectionDepth(ctx, sel.selectionSet, fragmentDepths) : 0));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      depth = Math.max(depth, selectionDepth(ctx, sel.selectionSet, fragmentDepths));
    } else {
      const name = sel.name.value;
      let d = fragmentDepths.get(name);
      if (d === undefined) {
        fragmentDepths.set(name, 0); // a cycle (unvalidated document) stops here
        const frag = ctx.fragments[name];
        d = frag ? selectionDepth(ctx, frag.selectionSet, fragmentDepths) : 0;
        fragmentDepths.set(name, d);
      }
      depth = Math.max(depth, d);
    }
  }
  return depth;
}
