/**
 * Reads the fields each subgraph defines, and the `@sharing` defaults on them, from the
 * subgraphs' SDL: which department provides which field coordinate. Entity stubs a subgraph
 * only extends (its key fields, `@external` fields) are not the provider's fields.
 *
 * "Fields under policy", not "catalogue": the R2 catalogue (control/catalogue) groups these
 * fields into entries; this list is what the policy model classifies, one row per field.
 */
import {
  Kind, getNamedType, isEnumType, isObjectType,
  type ConstArgumentNode, type DirectiveNode, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema, type TypeNode,
} from 'graphql';
import { directiveNames, keyFieldsOf } from '../schema/linkedDirectives.ts';
import { ITEM_MANDATES, SHARING_CLASSES, parseRowCoordinate, rowCoordinate, type ItemMandate, type RowClassRef, type SharingClass } from './model.ts';

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
  /**
   * Why the item must be shared unconditionally (003 Guangdong art. 4): a basic item
   * (基础信息项) or one tied to licensing or parallel approval; absent: no such mark.
   */
  readonly mandate?: ItemMandate | null;
  /** Marked state-secret (涉密): the registry refuses the field (001 art. 2). */
  readonly stateSecret?: boolean;
}

export { ITEM_MANDATES, type ItemMandate } from './model.ts';

/**
 * A row class declared on a classifying field with `@rowClass(value:, class:, purposes:,
 * basis:, caseIdRequired:, reveals:)`: rows whose field has that value are shared as the
 * class says. `reveals` names the attribute the row's existence discloses; the row class is
 * then never less restricted than that attribute's effective policy.
 */
export interface RowClassDefault {
  /** `Licence[kind=MARRIAGE_CERTIFICATE]`. */
  readonly coordinate: string;
  readonly value: string;
  readonly reveals: string | null;
  readonly sharing: SharingDefault;
}

export interface FieldUnderPolicy {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly subgraph: string;
  readonly department: string;
  /** A key field of an entity: it identifies, the caller already holds it. */
  readonly isKey: boolean;
  readonly sharing: SharingDefault | null;
  readonly description: string | null;
  /** Row classes by value of this field (only on classifying fields that declare some). */
  readonly rowClasses?: readonly RowClassDefault[];
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

function argument(directive: DirectiveNode, name: string): ConstArgumentNode['value'] | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value as ConstArgumentNode['value'] | undefined;
}

export class SharingDirectiveError extends Error {}

export function sharingDefaultOf(field: FieldDefinitionNode, coordinate: string): SharingDefault | null {
  const directive = field.directives?.find((d) => d.name.value === 'sharing');
  return directive ? sharingFrom(directive, coordinate) : null;
}

function sharingFrom(directive: DirectiveNode, coordinate: string): SharingDefault {
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
  const mandateNode = argument(directive, 'mandate');
  const mandate = mandateNode?.kind === Kind.STRING || mandateNode?.kind === Kind.ENUM ? mandateNode.value : null;
  if (mandateNode && mandateNode.kind !== Kind.NULL && !(ITEM_MANDATES as readonly string[]).includes(mandate ?? '')) {
    throw new SharingDirectiveError(`@${directive.name.value} on ${coordinate}: mandate must be one of ${ITEM_MANDATES.join(', ')}, received ${JSON.stringify(mandate)}`);
  }
  const secretNode = argument(directive, 'stateSecret');
  return {
    sharingClass: value as SharingClass,
    purposes,
    basis: basisNode?.kind === Kind.STRING ? basisNode.value : null,
    caseIdRequired: caseNode?.kind === Kind.BOOLEAN ? caseNode.value : false,
    ...(mandate ? { mandate: mandate as ItemMandate } : {}),
    ...(secretNode?.kind === Kind.BOOLEAN && secretNode.value ? { stateSecret: true } : {}),
  };
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/**
 * The `@rowClass` directives on a field. Each names a value of the field's enum; a restricted
 * class cites its legal basis (R1), as `@sharing` must.
 */
export function rowClassesOf(field: FieldDefinitionNode, typeName: string, enums: ReadonlyMap<string, readonly string[]>): RowClassDefault[] {
  const out: RowClassDefault[] = [];
  for (const directive of field.directives ?? []) {
    if (directive.name.value !== 'rowClass') continue;
    const valueNode = argument(directive, 'value');
    const value = valueNode?.kind === Kind.STRING || valueNode?.kind === Kind.ENUM ? valueNode.value : '';
    const coordinate = rowCoordinate(typeName, field.name.value, value);
    const values = enums.get(namedTypeOf(field.type));
    if (!parseRowCoordinate(coordinate) || (values && !values.includes(value))) {
      throw new SharingDirectiveError(`@rowClass on ${typeName}.${field.name.value}: value must be one of ${values?.join(', ') ?? 'the field\'s values'}, received ${JSON.stringify(value)}`);
    }
    if (out.some((r) => r.value === value)) throw new SharingDirectiveError(`@rowClass on ${typeName}.${field.name.value}: ${value} is classed twice`);
    const sharing = sharingFrom(directive, coordinate);
    if (sharing.sharingClass !== 'UNCONDITIONAL' && !sharing.basis?.trim()) {
      throw new SharingDirectiveError(`@rowClass ${coordinate} is ${sharing.sharingClass} without a legal basis (R1): add basis: "…"`);
    }
    const revealsNode = argument(directive, 'reveals');
    out.push({ coordinate, value, reveals: revealsNode?.kind === Kind.STRING ? revealsNode.value : null, sharing });
  }
  return out;
}

/**
 * Every field coordinate the subgraphs provide, once each. With `owners` (the platform's
 * record, R8) a field's provider is always its owner and only the owner's definition classifies
 * it, whatever the order of registration; without, the first provider wins.
 */
export function fieldsUnderPolicy(subgraphs: readonly SubgraphSdl[], owners?: ReadonlyMap<string, { readonly department: string }>): FieldUnderPolicy[] {
  const out = new Map<string, FieldUnderPolicy>();
  const fromOwner = new Set<string>();
  for (const subgraph of subgraphs) {
    const enums = enumValuesOf(subgraph.typeDefs);
    const { names } = directiveNames(subgraph.typeDefs);
    for (const definition of subgraph.typeDefs.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const typeName = definition.name.value;
      // Federation's own types (_Service, _Entity…) turn up when a subgraph prints its whole
      // schema instead of its subgraph SDL: they carry no department's data.
      if (ROOT_TYPES.has(typeName) || typeName.startsWith('_')) continue;
      // As the registry's ownership check reads them (R8): `@key` however the `@link` names it, top-level fields.
      const keys = new Set(keyFieldsOf(definition, names));
      const ownsType = definition.directives?.some((d) => d.name.value === 'catalogue') ?? false;
      for (const field of definition.fields ?? []) {
        const fieldName = field.name.value;
        const coordinate = `${typeName}.${fieldName}`;
        if (field.directives?.some((d) => d.name.value === 'external')) continue;
        const isKey = keys.has(fieldName);
        // Key fields appear in every subgraph that extends the entity: the one that owns the
        // type (carries its @catalogue entry) is their provider.
        const owner = owners?.get(coordinate)?.department;
        const previous = out.get(coordinate);
        if (previous) {
          const mine = !owner || subgraph.department === owner;
          // The owner's own definition wins; another department's copy never classifies it.
          const replace = fromOwner.has(coordinate) ? mine && isKey && ownsType : mine;
          if (!replace) continue;
        }
        if (!owner || subgraph.department === owner) fromOwner.add(coordinate);
        out.set(coordinate, {
          coordinate,
          typeName,
          fieldName,
          subgraph: subgraph.name,
          department: owner ?? subgraph.department,
          isKey,
          sharing: owner && owner !== subgraph.department ? null : sharingDefaultOf(field, coordinate),
          description: field.description?.value ?? null,
          // Row classes, like @sharing, count only in the owner's definition.
          ...(owner && owner !== subgraph.department ? {} : rowClassesIfAny(field, typeName, enums)),
        });
      }
    }
  }
  return [...out.values()];
}

const declaredRows = new WeakMap<GraphQLSchema, ReadonlyMap<string, readonly RowClassRef[]>>();

/**
 * The row classes a subgraph's own schema declares, by type. A subgraph enforces these, not
 * the snapshot's list: a snapshot that lacks one then denies its rows (fail closed).
 */
export function schemaRowClasses(schema: GraphQLSchema): ReadonlyMap<string, readonly RowClassRef[]> {
  let found = declaredRows.get(schema);
  if (found) return found;
  const byType = new Map<string, RowClassRef[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.astNode?.directives?.some((d) => d.name.value === 'rowClass')) continue;
      const named = getNamedType(field.type);
      const enums = new Map(isEnumType(named) ? [[named.name, named.getValues().map((v) => v.name)]] : []);
      const refs = rowClassesOf(field.astNode, type.name, enums).map((r) => ({ coordinate: r.coordinate, field: field.name, value: r.value }));
      byType.set(type.name, [...(byType.get(type.name) ?? []), ...refs]);
    }
  }
  found = byType;
  declaredRows.set(schema, found);
  return found;
}

function enumValuesOf(typeDefs: DocumentNode): Map<string, string[]> {
  const enums = new Map<string, string[]>();
  for (const d of typeDefs.definitions) {
    if (d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.ENUM_TYPE_EXTENSION) {
      enums.set(d.name.value, [...(enums.get(d.name.value) ?? []), ...(d.values ?? []).map((v) => v.name.value)]);
    }
  }
  return enums;
}

/** Row classes ride on their classifying field, so that a list of fields stays a list of fields (the catalogue places each). */
function rowClassesIfAny(field: FieldDefinitionNode, typeName: string, enums: ReadonlyMap<string, readonly string[]>): { rowClasses?: RowClassDefault[] } {
  const rowClasses = rowClassesOf(field, typeName, enums);
  return rowClasses.length ? { rowClasses } : {};
}
