// Relay connections and the page size a field asks for: the one place that decides what counts as
// a connection, so the requested-cost and actual-cost walkers can never disagree about it.
import { FieldNode, GraphQLField, GraphQLNamedType, getArgumentValues, isObjectType } from 'graphql';
import { OperationContext } from './operation-context';

/** Page size assumed when a connection field gets neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page the API serves; resolvers enforce it, the cost model documents it. */
export const MAX_PAGE_SIZE = 250;

/** A type named `…Connection` with `edges` or `nodes`, and `pageInfo` (Relay's cursor connection). */
export function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
  const fields = type.getFields();
  return Boolean((fields.edges || fields.nodes) && fields.pageInfo);
}

/**
 * How many items a connection field may return, from `first` or `last` (the larger if both are
 * given), else DEFAULT_PAGE_SIZE. A value above MAX_PAGE_SIZE is costed as sent, not clamped: the
 * estimate must never be below what could come back, and such a query is either refused by the
 * resolver or too expensive anyway.
 */
export function requestedPageSize(ctx: OperationContext, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, ctx.variables);
  } catch {
    args = {}; // an invalid argument fails execution; cost it as absent
  }
  const sizes = [args.first, args.last].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (!sizes.length) return DEFAULT_PAGE_SIZE;
  return Math.max(0, Math.ceil(Math.max(...sizes)));
}
