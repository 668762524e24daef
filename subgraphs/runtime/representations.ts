/**
 * Entity representations checked before any department's resolver sees them. `_entities`
 * takes `_Any` — any JSON object — so `{ idNumber: null }`, `{}` or `{ idNumber: 42 }` reached
 * the loaders and came back as INTERNAL_SERVER_ERROR incidents; they are the caller's
 * mistake, and now a BAD_USER_INPUT naming the type's key. The gateway never sends such
 * representations; a caller around it (R10: every subgraph defends itself) might.
 *
 * Glossary
 * - representation: `{ __typename, <key fields> }`, how a router names an entity to the
 *   subgraph that resolves it (Apollo Federation `_entities`).
 * - key: the fields of a type's `@key(fields: "…")` in the subgraph's SDL; a type may have
 *   several, and a representation must carry one of them whole. `resolvable: false` keys are
 *   not resolved here and are not checked.
 */
import { Kind, parse, type DirectiveNode, type DocumentNode, type FieldNode, type GraphQLResolveInfo } from 'graphql';
import { badUserInput } from '../../lib/errors.ts';

type ResolveReference = (reference: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) => unknown;
type ResolverMap = Readonly<Record<string, unknown>>;

/** A key's top-level field; `nested` when the key selects inside it (`region { id }`). */
export interface KeyField {
  readonly name: string;
  readonly nested: boolean;
}

/** Top-level fields of each resolvable key, per entity type of the SDL. */
export function entityKeys(typeDefs: DocumentNode): Map<string, KeyField[][]> {
  const keys = new Map<string, KeyField[][]>();
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      const fields = resolvableKeyFields(directive);
      if (!fields) continue;
      const list = keys.get(definition.name.value) ?? [];
      list.push(fields);
      keys.set(definition.name.value, list);
    }
  }
  return keys;
}

function resolvableKeyFields(directive: DirectiveNode): KeyField[] | null {
  if (directive.name.value !== 'key') return null;
  const argument = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const resolvable = argument('resolvable');
  if (resolvable?.kind === Kind.BOOLEAN && !resolvable.value) return null;
  const fields = argument('fields');
  if (fields?.kind !== Kind.STRING) return null;
  const operation = parse(`{ ${fields.value} }`).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return null;
  return operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD).map((f) => ({ name: f.name.value, nested: f.selectionSet !== undefined }));
}

/**
 * Why `reference` carries none of `keys` whole — each key field a non-empty string (or, for a
 * nested key, an object) — or null when it does.
 */
export function representationProblem(typename: string, keys: readonly (readonly KeyField[])[], reference: unknown): string | null {
  const present = (field: KeyField, value: unknown) => field.nested
    ? value !== null && typeof value === 'object' && !Array.isArray(value)
    : typeof value === 'string' && value.trim() !== '';
  if (reference !== null && typeof reference === 'object' && keys.some((key) => key.every((field) => present(field, (reference as Record<string, unknown>)[field.name])))) return null;
  const wanted = keys.map((key) => key.map((f) => f.name).join(' + ')).join(' or ');
  const received = reference !== null && typeof reference === 'object'
    ? JSON.stringify(Object.fromEntries(keys.flat().map((field) => [field.name, (reference as Record<string, unknown>)[field.name] ?? null])))
    : JSON.stringify(reference);
  return `an _entities representation of ${typename} carries its key ${wanted} as non-empty strings; received ${received}`;
}

/**
 * The resolvers with every resolvable entity type's `__resolveReference` checking its
 * representation first (types without one get a checking one that returns the
 * representation, which is what federation does for them).
 */
export function checkedRepresentations<R extends ResolverMap>(typeDefs: DocumentNode, resolvers: R): R {
  const out: Record<string, unknown> = { ...resolvers };
  for (const [typename, keys] of entityKeys(typeDefs)) {
    const typeResolvers = (resolvers[typename] ?? {}) as Record<string, unknown>;
    const original = typeResolvers.__resolveReference as ResolveReference | undefined;
    out[typename] = {
      ...typeResolvers,
      // Async, so a refusal fails this representation only: a synchronous throw inside
      // @apollo/subgraph's map over the representations fails the whole _entities list.
      async __resolveReference(reference: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) {
        const problem = representationProblem(typename, keys, reference);
        if (problem) throw badUserInput(problem, { typename });
        return original ? original.call(typeResolvers, reference, context, info) : reference;
      },
    };
  }
  return out as R;
}
