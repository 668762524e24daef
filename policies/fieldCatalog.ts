/**
 * Reads the fields each subgraph defines, and the `@sharing` defaults on them, from the
 * subgraphs' SDL: which department provides which field coordinate. Entity stubs a subgraph
 * only extends (its key fields, `@external` fields) are not the provider's fields.
 */
import { Kind, type ConstArgumentNode, type DirectiveNode, type DocumentNode, type FieldDefinitionNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { SHARING_CLASSES, type SharingClass } from './model.ts';

export interface SubgraphSdl {
  readonly name: string;
  readonly department: string;
  readonly typeDefs: DocumentNode;
}

export interface SharingDefault {
  readonly sharingClass: SharingClass;
  readonly purposes: readonly string[];
  readonly basis: string | null;
  readonly caseIdRequired: boolean;
}

export interface CatalogueField {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly subgraph: string;
  readonly department: string;
  /** A key field of an entity: it identifies, the caller already holds it. */
  readonly isKey: boolean;
  readonly sharing: SharingDefault | null;
  readonly description: string | null;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

function keyFieldsOf(node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): Set<string> {
  const keys = new Set<string>();
  for (const d of node.directives ?? []) {
    if (d.name.value !== 'key') continue;
    const fields = d.arguments?.find((a) => a.name.value === 'fields');
    if (fields?.value.kind === Kind.STRING) for (const f of fields.value.value.split(/[\s{}]+/)) if (f) keys.add(f);
  }
  return keys;
}

function argument(directive: DirectiveNode, name: string): ConstArgumentNode['value'] | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value as ConstArgumentNode['value'] | undefined;
}

export class SharingDirectiveError extends Error {}

export function sharingDefaultOf(field: FieldDefinitionNode, coordinate: string): SharingDefault | null {
  const directive = field.directives?.find((d) => d.name.value === 'sharing');
  if (!directive) return null;
  const cls = argument(directive, 'class');
  const value = cls?.kind === Kind.STRING || cls?.kind === Kind.ENUM ? cls.value : undefined;
  if (!value || !(SHARING_CLASSES as readonly string[]).includes(value)) {
    throw new SharingDirectiveError(`@sharing on ${coordinate}: class must be one of ${SHARING_CLASSES.join(', ')}, received ${JSON.stringify(value)}`);
  }
  const purposesNode = argument(directive, 'purposes');
  const purposes = purposesNode?.kind === Kind.LIST
    ? purposesNode.values.flatMap((v) => (v.kind === Kind.STRING || v.kind === Kind.ENUM ? [v.value] : []))
    : [];
  const basisNode = argument(directive, 'basis');
  const caseNode = argument(directive, 'caseIdRequired');
  return {
    sharingClass: value as SharingClass,
    purposes,
    basis: basisNode?.kind === Kind.STRING ? basisNode.value : null,
    caseIdRequired: caseNode?.kind === Kind.BOOLEAN ? caseNode.value : false,
  };
}

/** Every field coordinate the subgraphs provide, once each (the first provider wins). */
export function catalogueFields(subgraphs: readonly SubgraphSdl[]): CatalogueField[] {
  const out = new Map<string, CatalogueField>();
  for (const subgraph of subgraphs) {
    for (const definition of subgraph.typeDefs.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const typeName = definition.name.value;
      // Federation's own types (_Service, _Entity…) turn up when a subgraph prints its whole
      // schema instead of its subgraph SDL: they carry no department's data.
      if (ROOT_TYPES.has(typeName) || typeName.startsWith('_')) continue;
      const keys = keyFieldsOf(definition);
      const ownsType = definition.directives?.some((d) => d.name.value === 'catalogue') ?? false;
      for (const field of definition.fields ?? []) {
        const fieldName = field.name.value;
        const coordinate = `${typeName}.${fieldName}`;
        if (field.directives?.some((d) => d.name.value === 'external')) continue;
        const isKey = keys.has(fieldName);
        // Key fields appear in every subgraph that extends the entity: the one that owns the
        // type (carries its @catalogue entry) is their provider.
        if (out.has(coordinate) && !(isKey && ownsType)) continue;
        out.set(coordinate, {
          coordinate,
          typeName,
          fieldName,
          subgraph: subgraph.name,
          department: subgraph.department,
          isKey,
          sharing: sharingDefaultOf(field, coordinate),
          description: field.description?.value ?? null,
        });
      }
    }
  }
  return [...out.values()];
}
