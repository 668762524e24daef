/**
 * Reading Federation and sharing directives in a subgraph's SDL as its `@link`s name them: a
 * directive may be imported under another name (`import: [{ name: "@key", as: "@k" }]`) or
 * used namespaced (`@federation__key`). The registry's ownership check (R8) and the list of
 * fields under policy read an entity's `@key` fields through the same helpers here, so both
 * agree on which fields are keys.
 */
import {
  Kind, parse,
  type ConstDirectiveNode, type DirectiveNode, type DocumentNode, type SelectionSetNode,
} from 'graphql';
import { SHARING_SPEC_URL } from './federation.ts';

/** Local directive name → canonical name (`key`, `override`, `sharing`…); `namespace__` → '*'. */
export type DirectiveNames = ReadonlyMap<string, string>;

/**
 * Local directive name → canonical name (`key`, `override`, `sharing`…), read from the
 * subgraph's `@link`s, so that a renamed or namespaced directive is recognised; and the
 * Federation version linked (null: none, a Federation 1 subgraph).
 */
export function directiveNames(typeDefs: DocumentNode): { names: Map<string, string>; federationVersion: [number, number] | null } {
  const names = new Map<string, string>();
  let federationVersion: [number, number] | null = null;
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArgument(link, 'url') ?? '';
      const federation = /specs\.apollo\.dev\/federation\/v(\d+)\.(\d+)/.exec(url);
      const sharing = url === SHARING_SPEC_URL;
      if (!federation && !sharing) continue;
      if (federation) federationVersion = [Number(federation[1]), Number(federation[2])];
      const namespace = stringArgument(link, 'as') ?? (federation ? 'federation' : 'sharing');
      const known = federation ? null : new Set(['sharing', 'catalogue']);
      // Unimported directives are still reachable as `@namespace__name`.
      names.set(`${namespace}__`, '*');
      if (known) for (const k of known) names.set(`${namespace}__${k}`, k);
      addImports(names, link);
    }
  }
  return { names, federationVersion };
}

/** The `import:` list of one `@link`: `"@key"` or `{ name: "@key", as: "@k" }`. */
function addImports(names: Map<string, string>, link: ConstDirectiveNode): void {
  const imports = link.arguments?.find((a) => a.name.value === 'import')?.value;
  if (imports?.kind !== Kind.LIST) return;
  for (const item of imports.values) {
    if (item.kind === Kind.STRING) {
      if (item.value.startsWith('@')) names.set(item.value.slice(1), item.value.slice(1));
    } else if (item.kind === Kind.OBJECT) {
      const name = item.fields.find((f) => f.name.value === 'name')?.value;
      const as = item.fields.find((f) => f.name.value === 'as')?.value;
      if (name?.kind === Kind.STRING && name.value.startsWith('@')) {
        const local = as?.kind === Kind.STRING ? as.value.replace(/^@/, '') : name.value.slice(1);
        names.set(local, name.value.slice(1));
      }
    }
  }
}

/** A directive's canonical name under the subgraph's `@link`s (its own name when not linked). */
export function canonicalName(names: DirectiveNames, directive: DirectiveNode | ConstDirectiveNode): string {
  const local = directive.name.value;
  const mapped = names.get(local);
  if (mapped && mapped !== '*') return mapped;
  const namespaced = /^(.+?)__(.+)$/.exec(local);
  if (namespaced && names.get(`${namespaced[1]}__`) === '*') return namespaced[2]!;
  return local;
}

export function stringArgument(directive: DirectiveNode | ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** A FieldSet (`"a b { c }"`) as a selection set; null when it does not parse. */
export function fieldSet(value: string): SelectionSetNode | null {
  try {
    const document = parse(`{ ${value} }`);
    const operation = document.definitions[0];
    return operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : null;
  } catch {
    return null;
  }
}

/** Top-level field names of a selection set (`a b { c }` → a, b). */
export function topLevelNames(selectionSet: SelectionSetNode | null): string[] {
  return (selectionSet?.selections ?? []).flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

/**
 * The key fields of a type definition: the top-level fields of each of its `@key(fields:)`
 * (however the subgraph's `@link` names `@key`), in order, each once.
 */
export function keyFieldsOf(definition: { readonly directives?: readonly (DirectiveNode | ConstDirectiveNode)[] }, names: DirectiveNames): string[] {
  const keys = new Set<string>();
  for (const directive of definition.directives ?? []) {
    if (canonicalName(names, directive) !== 'key') continue;
    for (const name of topLevelNames(fieldSet(stringArgument(directive, 'fields') ?? ''))) keys.add(name);
  }
  return [...keys];
}
