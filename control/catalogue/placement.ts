/**
 * Which catalogue entry each field coordinate belongs to, read from the subgraphs' SDL — the
 * same documents `policies/fieldsUnderPolicy.ts` reads, with the same provider for each field.
 *
 * The rules, in order, for a field the subgraph S provides (S's department: D):
 * 1. EXPLICIT — the field carries `@catalogue(code: "…")`: that entry, which must be one of D's.
 * 2. OWN — the field's type carries `@catalogue` in S: the type's entry.
 * 3. LINK — the field extends another department's resource (S adds `Person.realEstate` to
 *    population's Person): the entry of the resource the field returns, which must be one of
 *    D's (`[Parcel!]` → natural resources' real-estate entry). The relation "who holds which
 *    parcel" is natural resources' data, kept and answered by them; the catalogue lists it
 *    where the provider is, and the entries relate to each other (关联资源).
 * 4. CARRIED — the field's type has no `@catalogue` (a value type: Household, Shareholder,
 *    RightHolding, PersonVerification): the entry of the fields in S that carry the type,
 *    which must all agree (Shareholder is carried by LegalEntity.shareholders only).
 * Anything else cannot be placed, and the build fails naming the field and what to do.
 *
 * Root fields (`Query.person`) are not information items but access points: an entry is
 * provided through them, by online query, or by verification when the field answers with an
 * object of Boolean fields only (yes/no, no data disclosed — R7).
 */
import { Kind, print, type DirectiveNode, type FieldDefinitionNode, type TypeNode } from 'graphql';
import { fieldsUnderPolicy, type SubgraphSdl } from '../../policies/fieldsUnderPolicy.ts';
import { UPDATE_CYCLES, type AccessPoint, type ItemPlacement, type UpdateCycle } from './model.ts';

/** A resource as its department declares it with `@catalogue` on a type. */
export interface ResourceDeclaration {
  readonly code: string;
  readonly typeName: string;
  readonly subgraph: string;
  readonly department: string;
  readonly name: string;
  readonly nameEn: string;
  readonly updateCycle: UpdateCycle;
  /** Chinese abstract, `@catalogue(abstract:)`. */
  readonly abstract: string | null;
  /** The type's description, the English abstract. */
  readonly description: string | null;
}

export interface PlacedItem {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  readonly subgraph: string;
  readonly department: string;
  readonly entryCode: string;
  readonly placement: ItemPlacement;
  readonly carriedBy: string | null;
  readonly isKey: boolean;
  /** As declared, e.g. `[Parcel!]`. */
  readonly graphqlType: string;
  readonly namedType: string;
  /** What kind of type the named type is in the subgraph. */
  readonly namedKind: 'SCALAR' | 'ENUM' | 'OBJECT' | 'UNION' | 'INTERFACE';
  readonly name: string | null;
  readonly nameEn: string;
  readonly description: string | null;
  /** Entry the item returns a resource of, when not its own. */
  readonly references: string | null;
}

export interface PlacedAccessPoint extends AccessPoint {
  readonly entryCode: string;
  readonly subgraph: string;
}

export interface CatalogueDefinition {
  readonly resources: readonly ResourceDeclaration[];
  readonly items: readonly PlacedItem[];
  readonly accessPoints: readonly PlacedAccessPoint[];
  /** Entries each entry relates to (关联资源): returned resources, extended resources, @requires sources. */
  readonly related: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The SDL cannot be catalogued; `problems` says every field or type that is wrong and what to do. */
export class CatalogueBuildError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the catalogue cannot be built from the subgraphs' SDL:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Federation's own machinery (`_Service.sdl`, `Query._entities`, `Query._service`, `_Any`):
 * present in an SDL read back from a running subgraph's `_service`, never served to consumers,
 * not information of any department.
 */
export function isFederationInternal(coordinateOrType: string): boolean {
  const [type = '', field] = coordinateOrType.split('.');
  return type.startsWith('_') || (ROOT_TYPES.has(type) && (field?.startsWith('_') ?? false));
}
const CJK_PARENTHETICAL = /[(（]([^()（）]*[\u3400-\u9fff][^()（）]*)[)）]/;

interface ObjectInfo {
  readonly fields: FieldDefinitionNode[];
  readonly directives: DirectiveNode[];
  description: string | null;
}

interface SubgraphIndex {
  readonly sdl: SubgraphSdl;
  readonly objects: Map<string, ObjectInfo>;
  readonly unions: Map<string, string[]>;
  readonly enums: Set<string>;
  readonly scalars: Set<string>;
  readonly interfaces: Set<string>;
}

function indexSubgraph(sdl: SubgraphSdl): SubgraphIndex {
  const index: SubgraphIndex = { sdl, objects: new Map(), unions: new Map(), enums: new Set(), scalars: new Set(), interfaces: new Set() };
  for (const definition of sdl.typeDefs.definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION: {
        const name = definition.name.value;
        if (isFederationInternal(name)) break;
        const info = index.objects.get(name) ?? { fields: [], directives: [], description: null };
        info.fields.push(...(definition.fields ?? []));
        info.directives.push(...(definition.directives ?? []));
        if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.description) info.description = definition.description.value;
        index.objects.set(name, info);
        break;
      }
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        index.unions.set(definition.name.value, [...(index.unions.get(definition.name.value) ?? []), ...(definition.types ?? []).map((t) => t.name.value)]);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        index.enums.add(definition.name.value);
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
        index.scalars.add(definition.name.value);
        break;
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        index.interfaces.add(definition.name.value);
        break;
      default:
        break;
    }
  }
  return index;
}

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

function stringArgument(directive: DirectiveNode | undefined, name: string): string | null {
  const value = directive?.arguments?.find((a) => a.name.value === name)?.value;
  return value && (value.kind === Kind.STRING || value.kind === Kind.ENUM) ? value.value : null;
}

const catalogueDirective = (directives: readonly DirectiveNode[] | undefined) => directives?.find((d) => d.name.value === 'catalogue');
const isExternal = (field: FieldDefinitionNode) => field.directives?.some((d) => d.name.value === 'external') ?? false;

/** `householdAddress` → `household address`. */
export function humanize(fieldName: string): string {
  return fieldName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2').toLowerCase();
}

/** The Chinese name a description gives in parentheses: `Name (姓名).` → `姓名`. */
export function chineseNameIn(description: string | null): string | null {
  if (!description) return null;
  const match = CJK_PARENTHETICAL.exec(description);
  return match ? match[1]!.trim() : null;
}

/**
 * The phases, in order: declare resources (`@catalogue` on types), place every item (the rules
 * above), place the access points (root fields), then relate the entries (关联资源). Problems
 * are collected across the first three phases so that one build names them all.
 */
export function placeCatalogue(subgraphs: readonly SubgraphSdl[]): CatalogueDefinition {
  const problems: string[] = [];
  const indexes = new Map(subgraphs.map((s) => [s.name, indexSubgraph(s)]));
  const resources = declareResources(indexes.values(), problems);
  const placer = new Placer(resources, problems);
  const items = placeItems(subgraphs, indexes, placer, problems);
  const accessPoints = placeAccessPoints(indexes.values(), placer);
  if (problems.length) throw new CatalogueBuildError(problems);
  const related = relatedEntries(indexes.values(), resources, items);
  return { resources: [...resources.byCode.values()], items, accessPoints, related };
}

interface Resources {
  readonly byType: Map<string, ResourceDeclaration>;
  readonly byCode: Map<string, ResourceDeclaration>;
}

/** Resources: `@catalogue` on a type, one department and one code each. */
function declareResources(indexes: Iterable<SubgraphIndex>, problems: string[]): Resources {
  const resources: Resources = { byType: new Map(), byCode: new Map() };
  for (const index of indexes) {
    for (const [typeName, info] of index.objects) {
      const directive = catalogueDirective(info.directives);
      if (!directive) continue;
      const problem = resourceProblem(typeName, directive, resources);
      if (problem) {
        problems.push(`@catalogue on type ${typeName} in subgraph ${index.sdl.name}: ${problem}`);
        continue;
      }
      const resource: ResourceDeclaration = {
        code: stringArgument(directive, 'code')!, typeName, subgraph: index.sdl.name, department: index.sdl.department,
        name: stringArgument(directive, 'name')!, nameEn: stringArgument(directive, 'nameEn')!,
        updateCycle: stringArgument(directive, 'updateCycle') as UpdateCycle, abstract: stringArgument(directive, 'abstract'), description: info.description,
      };
      resources.byType.set(typeName, resource);
      resources.byCode.set(resource.code, resource);
    }
  }
  return resources;
}

/** What is wrong with one `@catalogue` on a type, or null when it declares a resource. */
function resourceProblem(typeName: string, directive: DirectiveNode, resources: Resources): string | null {
  if (ROOT_TYPES.has(typeName)) return 'a root type is not a resource; put @catalogue(code:) on its fields to say which entry they provide';
  const code = stringArgument(directive, 'code');
  const cycle = stringArgument(directive, 'updateCycle');
  const missing = ['code', 'name', 'nameEn', 'updateCycle'].filter((k) => !stringArgument(directive, k));
  if (missing.length) return `a resource declares ${missing.join(', ')} (missing)`;
  if (!(UPDATE_CYCLES as readonly string[]).includes(cycle!)) return `updateCycle must be one of ${UPDATE_CYCLES.join(', ')}, received ${JSON.stringify(cycle)}`;
  const previous = resources.byType.get(typeName);
  if (previous) return `${typeName} is already declared a resource by ${previous.subgraph} (${previous.code}); one department owns a resource`;
  if (resources.byCode.has(code!)) return `resource code ${code} is already used by ${resources.byCode.get(code!)!.typeName}`;
  return null;
}

interface FieldPlacement {
  readonly entry: string;
  readonly placement: ItemPlacement;
  readonly carriedBy: string | null;
}

/**
 * The placement rules over the declared resources. A class because the rules recurse into each
 * other (a value type's entry comes from the fields that carry it, which may be root fields) and
 * share the memo of value types; `report` is false while probing carriers, so that a problem is
 * reported once, for the field itself.
 */
class Placer {
  /** A value type's entry, from the fields that carry it (memoized; `visiting` breaks cycles). */
  private readonly valueTypeEntries = new Map<string, { entry: string | null; carriedBy: string | null }>();
  private readonly visiting = new Set<string>();

  constructor(readonly resources: Resources, private readonly problems: string[]) {}

  /** `@catalogue(code:)` on a field: its entry, undefined when absent, null when wrong (reported when `report`). */
  private explicitEntry(index: SubgraphIndex, field: FieldDefinitionNode, coordinate: string, report: boolean): string | null | undefined {
    const code = stringArgument(catalogueDirective(field.directives), 'code');
    if (!code) return undefined;
    const resource = this.resources.byCode.get(code);
    if (!report) return resource?.department === index.sdl.department ? code : null;
    if (!resource) {
      this.problems.push(`${coordinate} in ${index.sdl.name}: @catalogue(code: ${JSON.stringify(code)}) names no resource; known: ${[...this.resources.byCode.keys()].join(', ')}`);
      return null;
    }
    if (resource.department !== index.sdl.department) {
      this.problems.push(`${coordinate} in ${index.sdl.name}: @catalogue(code: "${code}") is ${resource.department}'s entry, but ${index.sdl.department} provides the field; a department catalogues its own fields`);
      return null;
    }
    return code;
  }

  /** Entries of this department a returned type stands for: a resource, or a union of them. */
  departmentEntriesOf(index: SubgraphIndex, typeName: string): string[] {
    const members = index.unions.get(typeName) ?? [typeName];
    return [...new Set(members.flatMap((m) => {
      const r = this.resources.byType.get(m);
      return r && r.department === index.sdl.department ? [r.code] : [];
    }))];
  }

  private valueTypeEntry(index: SubgraphIndex, typeName: string, exclude: string | null = null): { entry: string | null; carriedBy: string | null; why: string } {
    const key = `${index.sdl.name}\u0000${typeName}`;
    const memo = this.valueTypeEntries.get(key);
    if (memo && !exclude) return { ...memo, why: '' };
    if (this.visiting.has(key)) return { entry: null, carriedBy: null, why: 'cycle' };
    this.visiting.add(key);
    try {
      const carriers = this.carriersOf(index, typeName, exclude);
      const entries = [...new Set(carriers.map((c) => c.entry))];
      const result = entries.length === 1
        ? { entry: entries[0]!, carriedBy: carriers.map((c) => c.coordinate).sort()[0]!, why: '' }
        : { entry: null, carriedBy: null, why: entries.length === 0 ? 'no field of a catalogued resource carries it' : `it is carried into several entries (${carriers.map((c) => `${c.coordinate} → ${c.entry}`).join(', ')})` };
      if (!exclude && result.entry) this.valueTypeEntries.set(key, { entry: result.entry, carriedBy: result.carriedBy });
      return result;
    } finally {
      this.visiting.delete(key);
    }
  }

  /** The placed fields of the subgraph that return the value type (or a union holding it). */
  private carriersOf(index: SubgraphIndex, typeName: string, exclude: string | null): { coordinate: string; entry: string }[] {
    const carriers: { coordinate: string; entry: string }[] = [];
    for (const [parentName, info] of index.objects) {
      for (const field of info.fields) {
        if (isExternal(field)) continue;
        const named = namedTypeOf(field.type);
        if (named !== typeName && !(index.unions.get(named) ?? []).includes(typeName)) continue;
        const coordinate = `${parentName}.${field.name.value}`;
        if (coordinate === exclude) continue;
        const entry = ROOT_TYPES.has(parentName)
          ? this.rootEntry(index, parentName, field, false)
          : this.fieldEntry(index, parentName, field, false)?.entry ?? null;
        if (entry) carriers.push({ coordinate, entry });
      }
    }
    return carriers;
  }

  /** The entry of a non-root field (rules EXPLICIT, OWN, LINK, CARRIED). */
  fieldEntry(index: SubgraphIndex, typeName: string, field: FieldDefinitionNode, report: boolean): FieldPlacement | null {
    const coordinate = `${typeName}.${field.name.value}`;
    const explicit = this.explicitEntry(index, field, coordinate, report);
    if (explicit) return { entry: explicit, placement: 'EXPLICIT', carriedBy: null };
    if (explicit === null) return null;
    const resource = this.resources.byType.get(typeName);
    if (resource && resource.subgraph === index.sdl.name) return { entry: resource.code, placement: 'OWN', carriedBy: null };
    if (resource) {
      const entries = this.departmentEntriesOf(index, namedTypeOf(field.type));
      if (entries.length === 1) return { entry: entries[0]!, placement: 'LINK', carriedBy: null };
      if (report) {
        this.problems.push(
          `${coordinate} (added by ${index.sdl.name} to ${resource.department}'s ${typeName}) cannot be placed: it returns ${print(field.type)}, ` +
            (entries.length === 0 ? `which is not a resource of ${index.sdl.department}` : `which stands for several of ${index.sdl.department}'s entries (${entries.join(', ')})`) +
            `; mark the field @catalogue(code: "…") with the ${index.sdl.department} entry it belongs to`,
        );
      }
      return null;
    }
    const carried = this.valueTypeEntry(index, typeName);
    if (carried.entry) return { entry: carried.entry, placement: 'CARRIED', carriedBy: carried.carriedBy };
    if (report) {
      this.problems.push(`${coordinate} in ${index.sdl.name} cannot be placed: ${typeName} has no @catalogue and ${carried.why}; declare ${typeName} a resource with @catalogue(…) or carry it from a catalogued type`);
    }
    return null;
  }

  /** The entry a root field provides access to. */
  rootEntry(index: SubgraphIndex, rootName: string, field: FieldDefinitionNode, report: boolean): string | null {
    const coordinate = `${rootName}.${field.name.value}`;
    const explicit = this.explicitEntry(index, field, coordinate, report);
    if (explicit) return explicit;
    if (explicit === null) return null;
    const named = namedTypeOf(field.type);
    const entries = this.departmentEntriesOf(index, named);
    if (entries.length === 1) return entries[0]!;
    if (entries.length === 0 && !this.resources.byType.has(named)) {
      const carried = this.valueTypeEntry(index, named, coordinate);
      if (carried.entry) return carried.entry;
    }
    if (report) this.problems.push(`root field ${coordinate} in ${index.sdl.name} cannot be placed: it returns ${print(field.type)}, which is not one of ${index.sdl.department}'s resources; mark it @catalogue(code: "…") with the entry it provides`);
    return null;
  }
}

const kindOf = (index: SubgraphIndex, named: string): PlacedItem['namedKind'] =>
  index.enums.has(named) ? 'ENUM' : index.unions.has(named) ? 'UNION' : index.interfaces.has(named) ? 'INTERFACE' : index.objects.has(named) ? 'OBJECT' : 'SCALAR';

/** Items: every field coordinate a subgraph provides, placed in the provider's SDL. */
function placeItems(subgraphs: readonly SubgraphSdl[], indexes: ReadonlyMap<string, SubgraphIndex>, placer: Placer, problems: string[]): PlacedItem[] {
  const items: PlacedItem[] = [];
  for (const field of fieldsUnderPolicy(subgraphs)) {
    if (isFederationInternal(field.coordinate)) continue;
    const index = indexes.get(field.subgraph)!;
    const node = index.objects.get(field.typeName)?.fields.find((f) => f.name.value === field.fieldName && !isExternal(f));
    if (!node) {
      problems.push(`${field.coordinate}: provided by ${field.subgraph} but not found in its SDL`);
      continue;
    }
    const placed = placer.fieldEntry(index, field.typeName, node, true);
    if (!placed) continue;
    const named = namedTypeOf(node.type);
    const byType = placer.resources.byType;
    const returned = placer.departmentEntriesOf(index, named).concat(byType.has(named) ? [byType.get(named)!.code] : []);
    const reference = [...new Set(returned)].find((code) => code !== placed.entry) ?? null;
    const directive = catalogueDirective(node.directives);
    items.push({
      coordinate: field.coordinate,
      typeName: field.typeName,
      fieldName: field.fieldName,
      subgraph: field.subgraph,
      department: field.department,
      entryCode: placed.entry,
      placement: placed.placement,
      carriedBy: placed.carriedBy,
      isKey: field.isKey,
      graphqlType: print(node.type),
      namedType: named,
      namedKind: kindOf(index, named),
      name: stringArgument(directive, 'name') ?? chineseNameIn(field.description),
      nameEn: stringArgument(directive, 'nameEn') ?? humanize(field.fieldName),
      description: field.description,
      references: reference,
    });
  }
  return items;
}

/** Access points: root fields; one that answers an object of Boolean fields only is a verification (R7). */
function placeAccessPoints(indexes: Iterable<SubgraphIndex>, placer: Placer): PlacedAccessPoint[] {
  const accessPoints: PlacedAccessPoint[] = [];
  for (const index of indexes) {
    for (const rootName of ROOT_TYPES) {
      for (const field of index.objects.get(rootName)?.fields ?? []) {
        if (isFederationInternal(`${rootName}.${field.name.value}`)) continue;
        const entry = placer.rootEntry(index, rootName, field, true);
        if (!entry) continue;
        const returned = index.objects.get(namedTypeOf(field.type));
        const yesNo = returned !== undefined && returned.fields.length > 0 && returned.fields.every((f) => namedTypeOf(f.type) === 'Boolean');
        accessPoints.push({
          coordinate: `${rootName}.${field.name.value}`,
          entryCode: entry,
          subgraph: index.sdl.name,
          method: yesNo ? 'VERIFICATION' : 'ONLINE_QUERY',
          arguments: (field.arguments ?? []).map((a) => `${a.name.value}: ${print(a.type)}`),
          description: field.description?.value ?? null,
        });
      }
    }
  }
  return accessPoints;
}

/** Related resources (关联资源): returned resources, extended resources, @requires sources. */
function relatedEntries(indexes: Iterable<SubgraphIndex>, resources: Resources, items: readonly PlacedItem[]): Map<string, Set<string>> {
  const entryOfCoordinate = new Map(items.map((i) => [i.coordinate, i.entryCode]));
  const related = new Map<string, Set<string>>([...resources.byCode.keys()].map((code) => [code, new Set<string>()]));
  const relate = (a: string, b: string | null | undefined) => {
    if (!b || a === b) return;
    related.get(a)?.add(b);
  };
  for (const item of items) {
    relate(item.entryCode, item.references);
    // A link relates the provider's entry and the extended resource's, both ways.
    const parent = resources.byType.get(item.typeName);
    if (item.placement === 'LINK' && parent) {
      relate(item.entryCode, parent.code);
      relate(parent.code, item.entryCode);
    }
  }
  for (const index of indexes) {
    // What a subgraph reads from others through @external / @requires relates its own entries to theirs.
    const sources = new Set<string>();
    for (const [typeName, info] of index.objects) {
      for (const field of info.fields) if (isExternal(field)) {
        const code = entryOfCoordinate.get(`${typeName}.${field.name.value}`);
        if (code) sources.add(code);
      }
    }
    for (const resource of resources.byCode.values()) if (resource.subgraph === index.sdl.name) for (const s of sources) relate(resource.code, s);
  }
  return related;
}

export type { SubgraphSdl };
