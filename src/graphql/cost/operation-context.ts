// What the cost walkers need to read an operation the way graphql-js will execute it: the chosen
// operation, its fragments, and coerced variables (defaults applied), plus field collection that
// honours @skip/@include and fragment type conditions and merges fields by response key.
import {
  DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLIncludeDirective, GraphQLObjectType, GraphQLSchema,
  GraphQLSkipDirective, Kind, OperationDefinitionNode, SelectionNode, SelectionSetNode, getDirectiveValues,
  getOperationAST, getVariableValues, isAbstractType,
} from 'graphql';

export interface OperationContext {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * Picks the operation (by name, or the only one) and coerces its variables. Returns undefined when
 * the document has no single matching operation — graphql-js will refuse such a request anyway.
 * Variables that fail coercion are used as sent: execution will reject them, and the cost walkers
 * treat a non-numeric page size as absent.
 */
export function operationContext(
  schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName?: string | null,
): OperationContext | undefined {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return undefined;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  return { schema, operation, fragments, variables: coerced.coerced ?? { ...variables } };
}

/** False when @skip(if: true) or @include(if: false) removes this selection. */
export function isIncluded(ctx: OperationContext, node: SelectionNode | FragmentDefinitionNode): boolean {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, ctx.variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, ctx.variables)?.if === false) return false;
  } catch {
    // An uncoercible `if:` fails validation or execution later; count the selection (the safe side).
  }
  return true;
}

/**
 * The fields graphql-js would resolve on an object of `runtimeType` for these selection sets,
 * keyed by response key (alias or name), each with every FieldNode merged under that key.
 */
export function collectFields(
  ctx: OperationContext, runtimeType: GraphQLObjectType, selectionSets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  // As graphql-js does: each named fragment is expanded once per object, which also defuses
  // fragment cycles in documents that skipped validation and spread-the-same-fragment bombs.
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (!isIncluded(ctx, sel)) continue;
      if (sel.kind === Kind.FIELD) {
        const key = sel.alias?.value ?? sel.name.value;
        const list = fields.get(key);
        if (list) list.push(sel); else fields.set(key, [sel]);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (appliesTo(ctx, sel.typeCondition?.name.value, runtimeType)) visit(sel.selectionSet);
      } else {
        const name = sel.name.value;
        const frag = ctx.fragments[name];
        if (!frag || visited.has(name) || !appliesTo(ctx, frag.typeCondition.name.value, runtimeType)) continue;
        visited.add(name);
        visit(frag.selectionSet);
      }
    }
  };
  for (const set of selectionSets) visit(set);
  return fields;
}

/** The sub-selections of every FieldNode merged under one response key. */
export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
}

function appliesTo(ctx: OperationContext, typeCondition: string | undefined, runtimeType: GraphQLObjectType): boolean {
  if (!typeCondition || typeCondition === runtimeType.name) return true;
  const condition = ctx.schema.getType(typeCondition);
  return condition !== undefined && isAbstractType(condition) && ctx.schema.isSubType(condition, runtimeType);
}
