/**
 * Ownership of the schema (R8, 一数一源: one datum, one source). Every type, field and root
 * field has one owning department — the authoritative source — fixed when it is first
 * published and changed only by the coordinating office. A department's subgraph may EXTEND
 * another department's entity with fields of its own; it may never take over, classify,
 * co-resolve or receive a field it does not own. This module reads a candidate subgraph's SDL
 * and says which of its elements are new (claims) and which break that rule (problems).
 *
 * Federation 2 directives across departments — what a subgraph may do on ANOTHER
 * department's type or field (on its own elements everything composition allows is allowed):
 * - `@key`: allowed on a stub of another's entity, with the owner's key fields only (key
 *   values identify; the caller already holds them). A key on other fields would make this
 *   subgraph a resolver of the owner's data.
 * - `@external`: allowed (a reference to the owner's field; resolves nothing).
 * - `@requires`: allowed only for fields the subgraph's department may read now (the values
 *   are shipped to it in `_entities` representations; the gateway re-checks every fetch).
 * - `@provides`: refused for fields of another department (it would answer them itself).
 * - `@override` (with or without a progressive `label`): refused when the field, or the
 *   subgraph it names in `from`, belongs to another department — that is a takeover.
 * - `@shareable`: only on the owner's key fields of a stub; a shareable copy of another's
 *   field is co-resolving it.
 * - `@interfaceObject`: allowed (adds this department's own fields to another's interface).
 * - interfaces and unions: another's interface may not be redeclared or implemented, another's
 *   union not redeclared with other members; another's enum only with a subset of its values;
 *   another's input type only identical (composition intersects input fields).
 * - `@inaccessible`, `@tag`, `@sharing`, `@catalogue`, `@authenticated`, `@requiresScopes`,
 *   `@policy`, `@cost`, `@listSize` and any other directive on another's element: refused
 *   (hiding, labelling or classifying is the owner's act).
 * - `@composeDirective`: only for the platform's `@sharing` and `@catalogue`.
 * - `@context` / `@fromContext`: refused (they ship another type's values to the subgraph
 *   outside the `@requires` check).
 * - Federation 1 SDL (no `@link`) is refused: every field of a Federation 1 subgraph is
 *   implicitly shareable. Directives are recognised through `@link` renames and namespaces
 *   (`@federation__override`, `import: [{ name: "@override", as: "@o" }]`).
 */
import {
  Kind,
  type ConstDirectiveNode, type DefinitionNode, type DirectiveNode, type DocumentNode, type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from 'graphql';
import { FEDERATION_VERSION } from '../../schema/federation.ts';
import { canonicalName, directiveNames, fieldSet, keyFieldsOf, stringArgument, topLevelNames } from '../../schema/linkedDirectives.ts';

/** Who owns a schema element: its department and the subgraph that first published it. */
export interface Owner {
  readonly department: string;
  readonly subgraph: string;
}

export type ElementKind = 'TYPE' | 'FIELD';

/** A schema element a publish makes its department the owner of. */
export interface Claim {
  /** `Person` for a type, `Person.name` or `Query.person` for a field. */
  readonly element: string;
  readonly kind: ElementKind;
}

/** A subgraph already registered, as the check reads it. */
export interface RegisteredSdl {
  readonly name: string;
  readonly department: string;
  readonly typeDefs: DocumentNode;
}

export interface OwnershipContext {
  /** The department registering the candidate. */
  readonly department: string;
  readonly subgraph: string;
  /** Every owned element: type name or field coordinate → owner. */
  readonly owners: ReadonlyMap<string, Owner>;
  /** The other registered subgraphs (not the candidate's earlier version). */
  readonly registered: readonly RegisteredSdl[];
  /** Whether the candidate's department may read another department's field (for `@requires`). */
  readonly mayRead: (coordinate: string) => boolean;
}

export interface OwnershipReport {
  /** Broken rules, each naming the element, its owner and the rule. */
  readonly problems: readonly string[];
  /** Elements nobody owns yet that this subgraph defines: its department becomes their owner. */
  readonly claims: readonly Claim[];
}

const ROOT_OPERATIONS = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;
const PLATFORM_COMPOSED_DIRECTIVES = new Set(['@sharing', '@catalogue']);
/** On a stub of another department's type. */
const STUB_TYPE_DIRECTIVES = new Set(['key', 'extends', 'interfaceObject']);
/** On the owner's key fields within such a stub. */
const STUB_KEY_FIELD_DIRECTIVES = new Set(['external', 'shareable']);

/** The root type names a document uses (`schema { query: Root }` renames Query). */
function rootNames(typeDefs: DocumentNode): Map<string, string> {
  const roots = new Map<string, string>(Object.values(ROOT_OPERATIONS).map((n) => [n, n]));
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const op of definition.operationTypes ?? []) roots.set(op.type.name.value, ROOT_OPERATIONS[op.operation]);
  }
  return roots;
}

function namedTypeOf(type: FieldDefinitionNode['type']): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

type TypeDefinition = Extract<DefinitionNode, { name: { value: string } }>;

/** What the owner's own subgraphs say about a type: its keys, enum values, union members, input fields. */
class OwnerView {
  constructor(private readonly registered: readonly RegisteredSdl[]) {}

  private definitionsOf(department: string, typeName: string): { definition: TypeDefinition; names: Map<string, string> }[] {
    const out: { definition: TypeDefinition; names: Map<string, string> }[] = [];
    for (const subgraph of this.registered) {
      if (subgraph.department !== department) continue;
      const { names } = directiveNames(subgraph.typeDefs);
      for (const definition of subgraph.typeDefs.definitions) {
        if ('name' in definition && definition.name?.value === typeName) out.push({ definition: definition as TypeDefinition, names });
      }
    }
    return out;
  }

  keyFields(department: string, typeName: string): Set<string> {
    const keys = new Set<string>();
    for (const { definition, names } of this.definitionsOf(department, typeName)) {
      for (const name of keyFieldsOf(definition, names)) keys.add(name);
    }
    return keys;
  }

  members(department: string, typeName: string, kind: 'values' | 'types' | 'fields'): Set<string> {
    const out = new Set<string>();
    for (const { definition } of this.definitionsOf(department, typeName)) {
      if (kind === 'values' && 'values' in definition) for (const v of definition.values ?? []) out.add(v.name.value);
      if (kind === 'types' && 'types' in definition) for (const t of definition.types ?? []) out.add(t.name.value);
      if (kind === 'fields' && 'fields' in definition) for (const f of definition.fields ?? []) out.add(`${f.name.value}: ${printType(f.type)}`);
    }
    return out;
  }
}

function printType(type: FieldDefinitionNode['type'] | InputValueDefinitionNode['type']): string {
  if (type.kind === Kind.NAMED_TYPE) return type.name.value;
  if (type.kind === Kind.LIST_TYPE) return `[${printType(type.type)}]`;
  return `${printType(type.type)}!`;
}

/** The ownership check of one candidate subgraph (R8). */
export function checkOwnership(typeDefs: DocumentNode, context: OwnershipContext): OwnershipReport {
  return new OwnershipCheck(typeDefs, context).run();
}

type FieldsTypeDefinition = Extract<DefinitionNode, { kind: Kind.OBJECT_TYPE_DEFINITION | Kind.OBJECT_TYPE_EXTENSION | Kind.INTERFACE_TYPE_DEFINITION | Kind.INTERFACE_TYPE_EXTENSION }>;

/**
 * One run of the check, in its steps: the Federation version linked, then each definition by
 * kind — the schema's @composeDirective, types with fields (stubs of another's entity, one's
 * own types and their fields' directives), unions, enums and input types (members of
 * another's type).
 */
class OwnershipCheck {
  private readonly problems: string[] = [];
  private readonly claims = new Map<string, Claim>();
  private readonly mine: string;
  private readonly view: OwnerView;
  private readonly names: Map<string, string>;
  private readonly federationVersion: [number, number] | null;
  private readonly roots: Map<string, string>;

  constructor(private readonly typeDefs: DocumentNode, private readonly context: OwnershipContext) {
    this.mine = context.department;
    this.view = new OwnerView(context.registered);
    ({ names: this.names, federationVersion: this.federationVersion } = directiveNames(typeDefs));
    this.roots = rootNames(typeDefs);
  }

  run(): OwnershipReport {
    this.checkFederationVersion();
    for (const definition of this.typeDefs.definitions) this.checkDefinition(definition);
    return { problems: this.problems, claims: [...this.claims.values()] };
  }

  private ownerOf(element: string): Owner | undefined {
    return this.context.owners.get(element);
  }

  /** The element's owner when it is another department. */
  private others(element: string): Owner | undefined {
    const owner = this.ownerOf(element);
    return owner && owner.department !== this.mine ? owner : undefined;
  }

  private claim(element: string, kind: ElementKind): void {
    if (!this.ownerOf(element) && !this.claims.has(element)) this.claims.set(element, { element, kind });
  }

  private departmentOfSubgraph(name: string): string | undefined {
    return this.context.registered.find((s) => s.name === name)?.department ?? ownerOfSubgraph(this.context.owners, name);
  }

  private canonical(directive: DirectiveNode | ConstDirectiveNode): string {
    return canonicalName(this.names, directive);
  }

  private checkFederationVersion(): void {
    if (!this.federationVersion) {
      this.problems.push('the SDL does not @link Federation 2 (extend schema @link(url: "https://specs.apollo.dev/federation/v2.x", …)); a Federation 1 subgraph makes every field shareable, which the platform does not allow');
      return;
    }
    const [major, minor] = this.federationVersion;
    const [platformMajor, platformMinor] = FEDERATION_VERSION.slice(1).split('.').map(Number) as [number, number];
    if (major > platformMajor || (major === platformMajor && minor > platformMinor)) {
      this.problems.push(`the SDL links Federation v${major}.${minor}; the platform composes up to ${FEDERATION_VERSION}: link that version`);
    }
  }

  private checkDefinition(definition: DefinitionNode): void {
    switch (definition.kind) {
      case Kind.SCHEMA_DEFINITION:
      case Kind.SCHEMA_EXTENSION:
        for (const directive of definition.directives ?? []) {
          if (this.canonical(directive) !== 'composeDirective') continue;
          const name = stringArgument(directive, 'name') ?? '';
          if (!PLATFORM_COMPOSED_DIRECTIVES.has(name)) {
            this.problems.push(`@composeDirective(name: "${name}"): only the platform's @sharing and @catalogue are composed into the supergraph`);
          }
        }
        break;
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        this.checkFieldsType(definition);
        break;
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        this.checkMembers(definition.name.value, 'union', 'types', (definition.types ?? []).map((t) => t.name.value), definition.directives ?? []);
        break;
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        this.checkMembers(definition.name.value, 'enum', 'values', (definition.values ?? []).map((v) => v.name.value), [
          ...(definition.directives ?? []), ...(definition.values ?? []).flatMap((v) => v.directives ?? []),
        ]);
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        this.checkMembers(definition.name.value, 'input type', 'fields', (definition.fields ?? []).map((f) => `${f.name.value}: ${printType(f.type)}`), [
          ...(definition.directives ?? []), ...(definition.fields ?? []).flatMap((f) => f.directives ?? []),
        ], true);
        break;
      default:
        break; // scalars and directive definitions carry no department's data
    }
  }

  /** A union, enum or input type: another department's only as its owner declares it, unmarked. */
  private checkMembers(typeName: string, what: string, kind: 'values' | 'types' | 'fields', members: string[], directives: readonly ConstDirectiveNode[], exact = false): void {
    const owner = this.others(typeName);
    if (!owner) {
      this.claim(typeName, 'TYPE');
      return;
    }
    const theirs = this.view.members(owner.department, typeName, kind);
    const extra = members.filter((m) => !theirs.has(m));
    const missing = exact ? [...theirs].filter((m) => !members.includes(m)) : [];
    if (extra.length || missing.length) {
      this.problems.push(`${what} ${typeName} is ${owner.department}'s (R8): another department may not change it (${[...extra.map((m) => `adds ${m}`), ...missing.map((m) => `drops ${m}`)].join(', ')})`);
    }
    for (const directive of directives) {
      this.problems.push(`@${directive.name.value} on ${typeName}: ${typeName} is ${owner.department}'s (R8); only its owner marks it`);
    }
  }

  /** An object type or interface: a stub of another's entity, or one's own; then each field. */
  private checkFieldsType(definition: FieldsTypeDefinition): void {
    const typeName = this.roots.get(definition.name.value) ?? definition.name.value;
    const isRoot = Object.values(ROOT_OPERATIONS).includes(typeName as never);
    const typeOwner = isRoot ? undefined : this.others(typeName);
    let stubKeys = new Set<string>();
    if (typeOwner) {
      stubKeys = this.checkStub(definition, typeName, typeOwner);
    } else if (!isRoot) {
      this.claim(typeName, 'TYPE');
    }
    // A type of one's own may not implement another department's interface: it would be
    // returned where the owner's fields promise the owner's objects.
    for (const iface of typeOwner ? [] : definition.interfaces ?? []) {
      const owner = this.others(iface.name.value);
      if (owner) this.problems.push(`${typeName} implements ${iface.name.value}, which is ${owner.department}'s (R8): another department may not add implementations to it`);
    }
    for (const field of definition.fields ?? []) this.checkField(typeName, typeOwner, stubKeys, field);
  }

  /** A stub of another department's type: keyed by the owner's key fields only; returns the stub's key fields. */
  private checkStub(definition: FieldsTypeDefinition, typeName: string, typeOwner: Owner): Set<string> {
    const ownerKeys = this.view.keyFields(typeOwner.department, typeName);
    const isInterface = definition.kind === Kind.INTERFACE_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_EXTENSION;
    if (isInterface) this.problems.push(`interface ${typeName} is ${typeOwner.department}'s (R8): another department may not redeclare it (use @interfaceObject to add fields of your own)`);
    const stubKeys = new Set<string>();
    for (const directive of definition.directives ?? []) {
      const name = this.canonical(directive);
      if (!STUB_TYPE_DIRECTIVES.has(name)) {
        this.problems.push(`@${directive.name.value} on ${typeName}: ${typeName} is ${typeOwner.department}'s (R8); another department may only key it (@key with ${typeOwner.department}'s key fields) and add fields of its own`);
        continue;
      }
      if (name !== 'key') continue;
      const keyFields = topLevelNames(fieldSet(stringArgument(directive, 'fields') ?? ''));
      const foreign = keyFields.filter((f) => !ownerKeys.has(f));
      if (foreign.length || keyFields.length === 0) {
        this.problems.push(`@key(fields: "${stringArgument(directive, 'fields') ?? ''}") on ${typeName}: ${typeName} is ${typeOwner.department}'s; another department keys it only by ${typeOwner.department}'s key fields (${[...ownerKeys].join(', ') || 'none'}) — a key on other fields would make this subgraph resolve ${typeOwner.department}'s data (R8)`);
      }
      for (const f of keyFields) stubKeys.add(f);
    }
    if ((definition.interfaces ?? []).length) this.problems.push(`${typeName} is ${typeOwner.department}'s (R8): another department may not make it implement ${definition.interfaces!.map((i) => i.name.value).join(', ')}`);
    return new Set([...stubKeys].filter((f) => ownerKeys.has(f)));
  }

  /** One field: a reference to another's field (stub key, @external), another's field (refused), or one's own (claimed). */
  private checkField(typeName: string, typeOwner: Owner | undefined, stubKeys: ReadonlySet<string>, field: FieldDefinitionNode): void {
    const coordinate = `${typeName}.${field.name.value}`;
    const fieldNames = (field.directives ?? []).map((d) => ({ directive: d, name: this.canonical(d) }));
    const external = fieldNames.some((d) => d.name === 'external');
    for (const arg of field.arguments ?? []) {
      for (const d of arg.directives ?? []) {
        if (this.canonical(d) === 'fromContext') this.problems.push(`@fromContext on ${coordinate}(${arg.name.value}:): not allowed; it ships another type's values to this subgraph outside the @requires check`);
      }
    }
    if (typeOwner && (external || stubKeys.has(field.name.value))) {
      // A reference to the owner's field, or one of its key fields in a stub.
      for (const { directive, name } of fieldNames) {
        if (!STUB_KEY_FIELD_DIRECTIVES.has(name) || (name === 'shareable' && external)) {
          this.problems.push(`@${directive.name.value} on ${coordinate}: the field is ${typeOwner.department}'s (R8); only its owner marks it`);
        }
      }
      return;
    }
    const fieldOwner = this.others(coordinate);
    if (external) {
      for (const { directive, name } of fieldNames) {
        if (name !== 'external') this.problems.push(`@${directive.name.value} on ${coordinate}: an @external field is another subgraph's; only its owner marks it`);
      }
      return;
    }
    if (fieldOwner) {
      this.problems.push(`${coordinate} is ${fieldOwner.department}'s (first published by ${fieldOwner.subgraph}; R8 one datum, one source): ${this.mine} may add fields of its own to ${typeName}, not resolve ${fieldOwner.department}'s`);
      return;
    }
    this.claim(coordinate, 'FIELD');
    for (const { directive, name } of fieldNames) this.checkOwnFieldDirective(typeName, field, coordinate, directive, name);
  }

  /** A directive on one's own field: @override, @provides and @requires must not reach into another department's data. */
  private checkOwnFieldDirective(typeName: string, field: FieldDefinitionNode, coordinate: string, directive: ConstDirectiveNode, name: string): void {
    switch (name) {
      case 'override': {
        const from = stringArgument(directive, 'from') ?? '';
        const fromDepartment = this.departmentOfSubgraph(from);
        if (fromDepartment && fromDepartment !== this.mine) {
          this.problems.push(`@override(from: "${from}") on ${coordinate}: ${from} is ${fromDepartment}'s subgraph; taking over another department's field is not allowed, with or without a progressive label (R8)`);
        }
        break;
      }
      case 'provides': {
        const returned = namedTypeOf(field.type);
        for (const provided of topLevelNames(fieldSet(stringArgument(directive, 'fields') ?? ''))) {
          const owner = this.others(`${returned}.${provided}`);
          if (owner) this.problems.push(`@provides(fields: "${provided}") on ${coordinate}: ${returned}.${provided} is ${owner.department}'s (R8); this subgraph may not answer it`);
        }
        break;
      }
      case 'requires': {
        for (const required of topLevelNames(fieldSet(stringArgument(directive, 'fields') ?? ''))) {
          const target = `${typeName}.${required}`;
          const owner = this.others(target);
          if (owner && !this.context.mayRead(target)) {
            this.problems.push(`@requires(fields: "${required}") on ${coordinate}: ${target} is ${owner.department}'s and ${this.mine} may not read it under the current policy; its values would be shipped to this subgraph (R8, R10) — apply for it first`);
          }
        }
        break;
      }
      case 'context':
      case 'fromContext':
        this.problems.push(`@${directive.name.value} on ${coordinate}: not allowed; it ships another type's values to this subgraph outside the @requires check`);
        break;
      default:
        break;
    }
  }
}

/** One registration's part in a batch: what it claims, under which owner, and what it broke. */
export interface ClaimStep {
  readonly subgraph: string;
  readonly owner: Owner;
  readonly claims: readonly Claim[];
  readonly reason: string;
  readonly problems: readonly string[];
}

/**
 * Claims what a batch of registrations defines (the platform's own at start, or existing
 * registrations when ownership is first recorded), one after another, each checked against
 * what the earlier ones claimed. A type is claimed first by the registration that declares it
 * a catalogue resource (@catalogue on the type), with its key fields: an entity's stub in
 * another department's subgraph never makes that department its owner, whatever the order.
 */
export function claimInOrder(subgraphs: readonly RegisteredSdl[], existing: ReadonlyMap<string, Owner>): { owners: Map<string, Owner>; steps: ClaimStep[] } {
  const owners = new Map<string, Owner>(existing);
  const steps: ClaimStep[] = [];
  for (const s of subgraphs) {
    const owner = { department: s.department, subgraph: s.name };
    const claims: Claim[] = [];
    for (const [typeName, keyFields] of cataloguedTypes(s.typeDefs)) {
      for (const element of [typeName, ...keyFields.map((k) => `${typeName}.${k}`)]) {
        if (owners.has(element)) continue;
        owners.set(element, owner);
        claims.push({ element, kind: element.includes('.') ? 'FIELD' : 'TYPE' });
      }
    }
    steps.push({ subgraph: s.name, owner, claims, reason: `catalogue resource of ${s.name}`, problems: [] });
  }
  for (const s of subgraphs) {
    const owner = { department: s.department, subgraph: s.name };
    const report = checkOwnership(s.typeDefs, {
      department: s.department, subgraph: s.name, owners, registered: subgraphs.filter((o) => o.name !== s.name), mayRead: () => true,
    });
    for (const claim of report.claims) owners.set(claim.element, owner);
    steps.push({ subgraph: s.name, owner, claims: report.claims, reason: `first published in ${s.name}`, problems: report.problems });
  }
  return { owners, steps };
}

/** Types a subgraph declares catalogue resources (@catalogue on the type), with their key fields. */
function cataloguedTypes(typeDefs: DocumentNode): Map<string, string[]> {
  const { names } = directiveNames(typeDefs);
  const out = new Map<string, string[]>();
  for (const d of typeDefs.definitions) {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    if (!(d.directives ?? []).some((x) => canonicalName(names, x) === 'catalogue')) continue;
    out.set(d.name.value, keyFieldsOf(d, names));
  }
  return out;
}

function ownerOfSubgraph(owners: ReadonlyMap<string, Owner>, subgraph: string): string | undefined {
  for (const owner of owners.values()) if (owner.subgraph === subgraph) return owner.department;
  return undefined;
}
