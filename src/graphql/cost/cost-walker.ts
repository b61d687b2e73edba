// The cost model, walked once per operation. The same walk prices a request before execution
// (the response is UNKNOWN: every connection is assumed full) and after it (the walk follows the
// response data: connections cost what they really returned, null and absent objects cost nothing).
//
// Rules (Shopify's published model):
//   scalar, enum, __typename, introspection fields (__schema, __type)   0
//   object (also interface/union: the most expensive possible type)    1 + its selections
//   list that is not a connection                                      the cost of one element
//   connection: 2 + page size × item cost + its other fields. An item costs the more expensive of
//     `edges { … }` and `nodes { … }`, at least 1; the edge wrapper, `cursor` and `pageInfo` are
//     covered by the base 2, so asking for them never multiplies. Page size: `first`/`last`, else 50.
//   mutation: 10 per top-level field, replacing the payload object's 1, plus the payload's selections.
import {
  FieldNode, GraphQLCompositeType, GraphQLField, GraphQLObjectType, GraphQLOutputType, SelectionSetNode,
  getNamedType, isCompositeType, isListType, isNonNullType, isObjectType,
} from 'graphql';
import { isConnectionType, requestedPageSize } from './connection';
import { OperationContext, collectFields, subSelections } from './operation-context';

/** Stands for the response before execution: price the worst case. */
export const UNKNOWN: unique symbol = Symbol('response not known yet');

export const OBJECT_COST = 1;
export const CONNECTION_BASE_COST = 2;
export const MUTATION_FIELD_COST = 10;

type Field = GraphQLField<unknown, unknown>;

/** Cost of the whole operation against `data` (the response's `data` object, or UNKNOWN). */
export function operationCost(ctx: OperationContext, data: unknown): number {
  return new CostWalk(ctx).operation(data);
}

class CostWalk {
  /**
   * Before execution a selection costs the same wherever it appears, so it is priced once per
   * (type, selection sets): this keeps the walk linear in the document even for queries built to
   * explode through reused fragments — exactly the queries this analysis exists to refuse.
   */
  private readonly memo = new Map<string, number>();
  /** Field collection depends only on (type, selection sets): done once, however many items come back. */
  private readonly collected = new Map<string, Map<string, FieldNode[]>>();
  private readonly ids = new Map<SelectionSetNode, number>();

  constructor(private readonly ctx: OperationContext) {}

  operation(data: unknown): number {
    const { ctx } = this;
    const root = ctx.schema.getRootType(ctx.operation.operation);
    if (!root) return 0;
    const isMutation = ctx.operation.operation === 'mutation';
    let total = 0;
    for (const [key, nodes] of collectFields(ctx, root, [ctx.operation.selectionSet])) {
      const field = fieldOf(root, nodes);
      if (!field) continue;
      const value = child(data, key);
      if (!isMutation) { total += this.type(field.type, field, nodes, value); continue; }
      if (value === undefined) continue; // this mutation never ran
      const payloadCost = this.type(field.type, field, nodes, value);
      const payloadObject = isCompositeType(getNamedType(field.type)) ? OBJECT_COST : 0;
      total += MUTATION_FIELD_COST + Math.max(0, payloadCost - payloadObject);
    }
    return total;
  }

  private type(type: GraphQLOutputType, field: Field, nodes: FieldNode[], value: unknown): number {
    if (isNonNullType(type)) return this.type(type.ofType, field, nodes, value);
    if (isListType(type)) {
      if (value === UNKNOWN) return this.type(type.ofType, field, nodes, UNKNOWN);
      if (!Array.isArray(value)) return 0;
      return value.reduce((max: number, el) => Math.max(max, this.type(type.ofType, field, nodes, el)), 0);
    }
    if (!isCompositeType(type) || value === null || value === undefined) return 0;
    if (isConnectionType(type)) return this.connection(type as GraphQLObjectType, field, nodes, value);
    return OBJECT_COST + this.selection(type, subSelections(nodes), value);
  }

  /** Sum of the selected fields on one object; for an abstract type, the most expensive runtime type. */
  private selection(type: GraphQLCompositeType, sets: SelectionSetNode[], value: unknown): number {
    if (value !== UNKNOWN) return this.priceSelection(type, sets, value);
    const key = this.keyOf(type, sets);
    let cost = this.memo.get(key);
    if (cost === undefined) this.memo.set(key, (cost = this.priceSelection(type, sets, UNKNOWN)));
    return cost;
  }

  private priceSelection(type: GraphQLCompositeType, sets: SelectionSetNode[], value: unknown): number {
    if (isObjectType(type)) {
      let sum = 0;
      for (const [key, nodes] of this.fields(type, sets)) {
        const field = fieldOf(type, nodes);
        if (field) sum += this.type(field.type, field, nodes, child(value, key));
      }
      return sum;
    }
    const possible = this.ctx.schema.getPossibleTypes(type);
    const typename = value !== UNKNOWN ? child(value, '__typename') : undefined;
    const known = possible.find((t) => t.name === typename);
    if (known) return this.selection(known, sets, value);
    // Without __typename in the response every possible type is a candidate: keep the upper bound.
    return possible.reduce((max, t) => Math.max(max, this.selection(t, sets, value)), 0);
  }

  private connection(type: GraphQLObjectType, field: Field, nodes: FieldNode[], value: unknown): number {
    let cost = CONNECTION_BASE_COST;
    const items: Array<{ key: string; field: Field; nodes: FieldNode[] }> = [];
    for (const [key, fieldNodes] of this.fields(type, subSelections(nodes))) {
      const f = fieldOf(type, fieldNodes);
      if (!f || f.name === 'pageInfo') continue;
      if (f.name === 'edges' || f.name === 'nodes') items.push({ key, field: f, nodes: fieldNodes });
      else cost += this.type(f.type, f, fieldNodes, child(value, key)); // e.g. totalCount: 0
    }
    if (!items.length) return cost;
    const itemCost = (index: number | typeof UNKNOWN) => items.reduce((max, item) => {
      const list = child(value, item.key);
      const element = index === UNKNOWN ? UNKNOWN : Array.isArray(list) ? list[index] : undefined;
      return Math.max(max, item.field.name === 'edges'
        ? this.edge(item.field, item.nodes, element)
        : this.type(elementType(item.field.type), item.field, item.nodes, element));
    }, 0);
    if (value === UNKNOWN) {
      const pageSize = Math.max(...nodes.map((n) => requestedPageSize(this.ctx, field, n)));
      return pageSize === 0 ? cost : cost + pageSize * itemCost(UNKNOWN);
    }
    const count = Math.max(0, ...items.map((i) => { const l = child(value, i.key); return Array.isArray(l) ? l.length : 0; }));
    for (let i = 0; i < count; i++) cost += itemCost(i);
    return cost;
  }

  /** An edge is a wrapper: it costs what its `node` (and any other object fields) cost, at least 1. */
  private edge(edges: Field, nodes: FieldNode[], edge: unknown): number {
    if (edge === null || edge === undefined) return 0;
    const edgeType = getNamedType(edges.type);
    if (!isCompositeType(edgeType)) return 0;
    return Math.max(OBJECT_COST, this.selection(edgeType, subSelections(nodes), edge));
  }

  private fields(type: GraphQLObjectType, sets: SelectionSetNode[]): Map<string, FieldNode[]> {
    const key = this.keyOf(type, sets);
    let fields = this.collected.get(key);
    if (!fields) this.collected.set(key, (fields = collectFields(this.ctx, type, sets)));
    return fields;
  }

  private keyOf(type: GraphQLCompositeType, sets: SelectionSetNode[]): string {
    const ids = sets.map((set) => {
      let id = this.ids.get(set);
      if (id === undefined) this.ids.set(set, (id = this.ids.size));
      return id;
    });
    return `${type.name}|${ids.join(',')}`;
  }
}

function elementType(type: GraphQLOutputType): GraphQLOutputType {
  const nullable = isNonNullType(type) ? type.ofType : type;
  return isListType(nullable) ? nullable.ofType : nullable;
}

/** The schema field for a response key; introspection fields and __typename are free, so skipped. */
function fieldOf(parent: GraphQLObjectType, nodes: FieldNode[]): Field | undefined {
  const name = nodes[0].name.value;
  return name.startsWith('__') ? undefined : parent.getFields()[name];
}

function child(value: unknown, key: string): unknown {
  if (value === UNKNOWN) return UNKNOWN;
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
