/**
 * The gateway's static policy check, before query planning: walk the operation (fields,
 * aliases, inline fragments, named fragments) against the policy, and remove every field the
 * caller may not read — so no subgraph is ever asked for it. After execution,
 * `restoreDeniedFields` puts `null` where each removed field would have been and one
 * FORBIDDEN error per denied field.
 *
 * Two details make the rewrite safe:
 * - a selection set left empty gets a placeholder `__gg_t: __typename` (GraphQL forbids
 *   empty selections), and so does every selection on an abstract type, so the response walk
 *   can tell which inline fragments applied to each object;
 * - the rewritten document is a new AST (the original is cached by Apollo Server and shared
 *   between callers who hold different grants), and its hash must key the query plan cache.
 */
import {
  GraphQLError, Kind, TypeInfo, getNamedType, isAbstractType, isObjectType, visit, visitWithTypeInfo,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLObjectType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective } from 'graphql';
import type { Decision, Denial } from './model.ts';

export const PLACEHOLDER_ALIAS = '__gg_t';

export interface StaticCheckResult {
  /** The document to plan: the original when nothing was denied. */
  readonly document: DocumentNode;
  /** Denied field nodes of the ORIGINAL document, with why. */
  readonly denied: ReadonlyMap<FieldNode, Denial>;
  /** Every field coordinate the operation asks for. */
  readonly requested: readonly string[];
  /** Grants the allowed fields rely on. */
  readonly grantsUsed: readonly string[];
}

export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  decide: (coordinate: string) => Decision,
): StaticCheckResult {
  const denied = new Map<FieldNode, Denial>();
  const requested = new Set<string>();
  const grantsUsed = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter(Boolean));
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const name = node.name.value;
      if (name.startsWith('__')) return;
      const parent = typeInfo.getParentType();
      if (!parent) return;
      const coordinate = `${parent.name}.${name}`;
      requested.add(coordinate);
      // Root fields only look records up by known key; what they return is checked field by field.
      if (roots.has(parent.name)) return;
      const decision = decide(coordinate);
      if (!decision.allowed) {
        denied.set(node, decision.denial);
        return false;
      }
      if (decision.grantId) grantsUsed.add(decision.grantId);
      return undefined;
    },
  }));
  if (denied.size === 0) return { document, denied, requested: [...requested], grantsUsed: [...grantsUsed] };

  const rewriteInfo = new TypeInfo(schema);
  const rewritten = visit(document, visitWithTypeInfo(rewriteInfo, {
    Field(node) {
      return denied.has(node) ? null : undefined;
    },
    SelectionSet: {
      leave(node) {
        const parent = rewriteInfo.getParentType();
        const needsTypename = node.selections.length === 0 || (parent !== null && isAbstractType(parent));
        if (!needsTypename || node.selections.some(isPlaceholder)) return undefined;
        return { ...node, selections: [...node.selections, PLACEHOLDER_FIELD] };
      },
    },
  }));
  return { document: rewritten, denied, requested: [...requested], grantsUsed: [...grantsUsed] };
}

const PLACEHOLDER_FIELD: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: PLACEHOLDER_ALIAS },
  name: { kind: Kind.NAME, value: '__typename' },
};

function isPlaceholder(selection: SelectionSetNode['selections'][number]): boolean {
  return selection.kind === Kind.FIELD && selection.alias?.value === PLACEHOLDER_ALIAS;
}

export interface RestoredResult {
  readonly data: Record<string, unknown> | null;
  readonly errors: GraphQLError[];
  /** Coordinates whose values were withheld at least once (or asked for and withheld). */
  readonly deniedCoordinates: readonly string[];
}

/**
 * Rebuilds the response along the original operation: denied fields become null, the
 * placeholders disappear, and each denied field gets one FORBIDDEN error (at the path of its
 * first occurrence, if the response reached it).
 */
export function restoreDeniedFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  data: Record<string, unknown> | null | undefined,
  denied: ReadonlyMap<FieldNode, Denial>,
  toError: (denial: Denial, path: readonly (string | number)[] | undefined, node: FieldNode) => GraphQLError,
): RestoredResult {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  const firstPath = new Map<FieldNode, (string | number)[]>();
  const vars = variables ?? {};

  const included = (node: FieldNode | SelectionSetNode['selections'][number]): boolean => {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, vars);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, vars);
    return include?.if !== false;
  };

  const applies = (condition: string | undefined, runtime: GraphQLObjectType): boolean => {
    if (!condition || condition === runtime.name) return true;
    const type = schema.getType(condition);
    return type !== undefined && isAbstractType(type) && schema.isSubType(type, runtime);
  };

  const collect = (runtime: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], out: Map<string, FieldNode[]>, visited: Set<string>) => {
    for (const set of selectionSets) {
      for (const selection of set.selections) {
        if (!included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const list = out.get(key);
          if (list) list.push(selection);
          else out.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (applies(selection.typeCondition?.name.value, runtime)) collect(runtime, [selection.selectionSet], out, visited);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || visited.has(name) || !applies(fragment.typeCondition.name.value, runtime)) continue;
          visited.add(name);
          collect(runtime, [fragment.selectionSet], out, visited);
        }
      }
    }
  };

  const walk = (type: GraphQLNamedType, selectionSets: readonly SelectionSetNode[], value: unknown, path: (string | number)[]): unknown => {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map((item, i) => walk(type, selectionSets, item, [...path, i]));
    if (typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    let runtime: GraphQLObjectType | undefined;
    if (isObjectType(type)) runtime = type;
    else if (isAbstractType(type)) {
      const named = schema.getType(String(object[PLACEHOLDER_ALIAS] ?? object.__typename ?? ''));
      if (named && isObjectType(named)) runtime = named;
    }
    if (!runtime) return value;
    const fields = new Map<string, FieldNode[]>();
    collect(runtime, selectionSets, fields, new Set());
    const out: Record<string, unknown> = {};
    for (const [key, nodes] of fields) {
      const deniedNode = nodes.find((n) => denied.has(n));
      if (deniedNode) {
        if (!firstPath.has(deniedNode)) firstPath.set(deniedNode, [...path, key]);
        out[key] = null;
        continue;
      }
      if (!(key in object)) continue;
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        out[key] = object[key];
        continue;
      }
      const definition = runtime.getFields()[name];
      const childSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      out[key] = definition && childSets.length > 0 ? walk(getNamedType(definition.type), childSets, object[key], [...path, key]) : object[key];
    }
    return out;
  };

  let restored: Record<string, unknown> | null = data ?? null;
  if (operation && data) {
    const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    if (root) restored = walk(root, [operation.selectionSet], data, []) as Record<string, unknown>;
  }
  const errors: GraphQLError[] = [];
  const deniedCoordinates = new Set<string>();
  for (const [node, denial] of denied) {
    deniedCoordinates.add(denial.coordinate);
    errors.push(toError(denial, firstPath.get(node), node));
  }
  return { data: restored, errors, deniedCoordinates: [...deniedCoordinates] };
}
