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
 *
 * Row classes (`Licence[kind=MARRIAGE_CERTIFICATE]`) cannot be decided before the rows exist:
 * when the operation selects a type with a row class the caller may not see, every selection
 * set on that type also asks for the classifying field under a private alias (`__gg_row_kind`),
 * and `restoreDeniedFields` checks each row of the answer — so even a subgraph that ignored
 * the row class leaks nothing. A withheld row is left out of lists (its existence is the
 * leak) and is null with one FORBIDDEN error where the caller asked for it by key (a root
 * field, or a single-valued link).
 */
import {
  GraphQLError, Kind, TypeInfo, getNamedType, isAbstractType, isObjectType, visit, visitWithTypeInfo,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLObjectType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective } from 'graphql';
import type { Decision, Denial } from './model.ts';
import type { RowClassRef } from './snapshot.ts';

export const PLACEHOLDER_ALIAS = '__gg_t';
/** Private alias under which the gateway reads a row's classifying field (`__gg_row_kind`). */
export const ROW_ALIAS_PREFIX = '__gg_row_';

/** The gateway's check of the rows of one type against one classifying field. */
export interface RowGuard {
  readonly typeName: string;
  /** The classifying field (`kind`) and the private alias it is read under. */
  readonly field: string;
  readonly alias: string;
  /** Values whose rows the caller may not see, with why. */
  readonly denied: ReadonlyMap<string, Denial>;
  /**
   * Set when the caller may not read the classifying field itself: the gateway then cannot
   * tell the rows apart and withholds every row of the type (fail closed).
   */
  readonly unverifiable: Denial | null;
}

export interface StaticCheckResult {
  /** The document to plan: the original when nothing was denied. */
  readonly document: DocumentNode;
  /** Denied field nodes of the ORIGINAL document, with why. */
  readonly denied: ReadonlyMap<FieldNode, Denial>;
  /** Every field coordinate the operation asks for. */
  readonly requested: readonly string[];
  /** Grants the allowed fields rely on. */
  readonly grantsUsed: readonly string[];
  /** Types whose rows the answer must be checked for, by type name (empty: none). */
  readonly rowGuards: ReadonlyMap<string, readonly RowGuard[]>;
}

export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  decide: (coordinate: string) => Decision,
  rowClassesOf: (typeName: string) => readonly RowClassRef[] = () => [],
): StaticCheckResult {
  const denied = new Map<FieldNode, Denial>();
  const requested = new Set<string>();
  const grantsUsed = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter(Boolean));
  // Decided once per type the operation selects (linear: no fragment is expanded).
  const rowGuards = new Map<string, readonly RowGuard[]>();
  const guardsSeen = new Set<string>();
  const guardType = (typeName: string) => {
    if (guardsSeen.has(typeName)) return;
    guardsSeen.add(typeName);
    const guards = rowGuardsFor(typeName, rowClassesOf(typeName), decide);
    if (guards.length) rowGuards.set(typeName, guards);
  };
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const name = node.name.value;
      const parent = typeInfo.getParentType();
      if (parent && isObjectType(parent)) guardType(parent.name);
      if (name.startsWith('__')) return;
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
  const result = { denied, requested: [...requested], grantsUsed: [...grantsUsed], rowGuards };
  if (denied.size === 0 && rowGuards.size === 0) return { document, ...result };

  const rewriteInfo = new TypeInfo(schema);
  const rewritten = visit(document, visitWithTypeInfo(rewriteInfo, {
    Field(node) {
      return denied.has(node) ? null : undefined;
    },
    SelectionSet: {
      leave(node) {
        const parent = rewriteInfo.getParentType();
        let selections = node.selections;
        for (const guard of (parent && rowGuards.get(parent.name)) || []) {
          if (guard.unverifiable || selections.some((s) => s.kind === Kind.FIELD && s.alias?.value === guard.alias)) continue;
          selections = [...selections, { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: guard.alias }, name: { kind: Kind.NAME, value: guard.field } }];
        }
        // The restore walk must know each object's type behind a union or interface, row checks included.
        const needsTypename = selections.length === 0 || (parent !== null && isAbstractType(parent));
        if (needsTypename && !selections.some(isPlaceholder)) selections = [...selections, PLACEHOLDER_FIELD];
        return selections === node.selections ? undefined : { ...node, selections };
      },
    },
  }));
  return { document: rewritten, ...result };
}

/** The row guards of a type for this caller: only classifying fields with a value the caller may not see. */
function rowGuardsFor(typeName: string, rowClasses: readonly RowClassRef[], decide: (coordinate: string) => Decision): RowGuard[] {
  const byField = new Map<string, Map<string, Denial>>();
  for (const rowClass of rowClasses) {
    const decision = decide(rowClass.coordinate);
    if (decision.allowed) continue;
    const denied = byField.get(rowClass.field) ?? new Map<string, Denial>();
    denied.set(rowClass.value, decision.denial);
    byField.set(rowClass.field, denied);
  }
  return [...byField].map(([field, denied]) => {
    const own = decide(`${typeName}.${field}`);
    return { typeName, field, alias: `${ROW_ALIAS_PREFIX}${field}`, denied, unverifiable: own.allowed ? null : own.denial };
  });
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
  rowGuards: ReadonlyMap<string, readonly RowGuard[]> = new Map(),
): RestoredResult {
  const { operation, fragments } = operationOf(document, operationName);
  const rootType = operation?.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const walk = new ResponseWalk(schema, fragments, variables ?? {}, denied, rowGuards, toError, rootType ?? null);
  let restored: Record<string, unknown> | null = data ?? null;
  if (operation && data && rootType) restored = walk.walk(rootType, [operation.selectionSet], data, []) as Record<string, unknown>;
  const errors: GraphQLError[] = [...walk.rowErrors];
  const deniedCoordinates = new Set<string>(walk.rowCoordinates);
  for (const [node, denial] of denied) {
    deniedCoordinates.add(denial.coordinate);
    errors.push(toError(denial, walk.firstPath.get(node), node));
  }
  return { data: restored, errors, deniedCoordinates: [...deniedCoordinates] };
}

/** The operation to restore (the named one, else the first) and the fragments it may spread. */
function operationOf(document: DocumentNode, operationName: string | null | undefined): { operation: OperationDefinitionNode | undefined; fragments: Map<string, FragmentDefinitionNode> } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  return { operation, fragments };
}

/**
 * One walk of a response along the original operation. It holds what the walk learns on the
 * way: the first path of each denied field, and the rows it withheld (with their errors).
 */
class ResponseWalk {
  readonly firstPath = new Map<FieldNode, (string | number)[]>();
  readonly rowErrors: GraphQLError[] = [];
  readonly rowCoordinates = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly vars: Record<string, unknown>,
    private readonly denied: ReadonlyMap<FieldNode, Denial>,
    private readonly rowGuards: ReadonlyMap<string, readonly RowGuard[]>,
    private readonly toError: (denial: Denial, path: readonly (string | number)[] | undefined, node: FieldNode) => GraphQLError,
    /** Rows under the root type were asked for by key. */
    private readonly rootType: GraphQLObjectType | null,
  ) {}

  private included(node: FieldNode | SelectionSetNode['selections'][number]): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.vars);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.vars);
    return include?.if !== false;
  }

  private applies(condition: string | undefined, runtime: GraphQLObjectType): boolean {
    if (!condition || condition === runtime.name) return true;
    const type = this.schema.getType(condition);
    return type !== undefined && isAbstractType(type) && this.schema.isSubType(type, runtime);
  }

  private collect(runtime: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], out: Map<string, FieldNode[]>, visited: Set<string>): void {
    for (const set of selectionSets) {
      for (const selection of set.selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const list = out.get(key);
          if (list) list.push(selection);
          else out.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, runtime)) this.collect(runtime, [selection.selectionSet], out, visited);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          if (!fragment || visited.has(name) || !this.applies(fragment.typeCondition.name.value, runtime)) continue;
          visited.add(name);
          this.collect(runtime, [fragment.selectionSet], out, visited);
        }
      }
    }
  }

  private runtimeOf(type: GraphQLNamedType, object: Record<string, unknown>): GraphQLObjectType | undefined {
    if (isObjectType(type)) return type;
    if (!isAbstractType(type)) return undefined;
    const named = this.schema.getType(String(object[PLACEHOLDER_ALIAS] ?? object.__typename ?? ''));
    return named && isObjectType(named) ? named : undefined;
  }

  /** Why this row is withheld, or null; a row whose class cannot be read is withheld (fail closed). */
  private withheldRow(runtime: GraphQLObjectType | undefined, object: Record<string, unknown>): Denial | null {
    for (const guard of (runtime && this.rowGuards.get(runtime.name)) || []) {
      if (guard.unverifiable) return guard.unverifiable;
      const value = object[guard.alias];
      if (typeof value !== 'string') return guard.denied.values().next().value!;
      const denial = guard.denied.get(value);
      if (denial) return denial;
    }
    return null;
  }

  private withhold(denial: Denial, path: (string | number)[], node: FieldNode | undefined): null {
    this.rowCoordinates.add(denial.coordinate);
    if (node) this.rowErrors.push(this.toError(denial, path, node));
    return null;
  }

  /**
   * `at`: the field whose value this is, and whether the caller named its rows by key (a root
   * field): there a withheld row is null in its place with an error; in a list reached through
   * a link it is left out without a trace.
   */
  walk(type: GraphQLNamedType, selectionSets: readonly SelectionSetNode[], value: unknown, path: (string | number)[], at?: { readonly node: FieldNode; readonly named: boolean }): unknown {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return this.walkList(type, selectionSets, value, path, at);
    if (typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    const runtime = this.runtimeOf(type, object);
    if (!runtime) return value;
    const rowDenial = this.rowGuards.size ? this.withheldRow(runtime, object) : null;
    if (rowDenial) return this.withhold(rowDenial, path, at?.node);
    return this.walkObject(runtime, selectionSets, object, path);
  }

  private walkList(type: GraphQLNamedType, selectionSets: readonly SelectionSetNode[], value: readonly unknown[], path: (string | number)[], at?: { readonly node: FieldNode; readonly named: boolean }): unknown[] {
    const out: unknown[] = [];
    for (const item of value) {
      const denial = this.rowGuards.size && item && typeof item === 'object' ? this.withheldRow(this.runtimeOf(type, item as Record<string, unknown>), item as Record<string, unknown>) : null;
      if (!denial) out.push(this.walk(type, selectionSets, item, [...path, out.length], at));
      else if (at?.named) out.push(this.withhold(denial, [...path, out.length], at.node));
      else this.rowCoordinates.add(denial.coordinate);
    }
    return out;
  }

  /** The object's fields as the operation asked for them: denied ones null, placeholders gone. */
  private walkObject(runtime: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], object: Record<string, unknown>, path: (string | number)[]): Record<string, unknown> {
    const fields = new Map<string, FieldNode[]>();
    this.collect(runtime, selectionSets, fields, new Set());
    const out: Record<string, unknown> = {};
    for (const [key, nodes] of fields) {
      const deniedNode = nodes.find((n) => this.denied.has(n));
      if (deniedNode) {
        if (!this.firstPath.has(deniedNode)) this.firstPath.set(deniedNode, [...path, key]);
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
      out[key] = definition && childSets.length > 0
        ? this.walk(getNamedType(definition.type), childSets, object[key], [...path, key], { node: nodes[0]!, named: runtime === this.rootType })
        : object[key];
    }
    return out;
  }
}
