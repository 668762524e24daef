/**
 * Builds the catalogue entries (R2) from the placement of every field coordinate, the policy
 * snapshot (the effective class, purposes, basis and conditions of every item), the compiler's
 * register (classification, format, open attributes, provider codes), and what the catalogue's
 * own database remembers (release date, last update, open update, freshness). Pure: the same
 * inputs give the same entries.
 */
import type { FieldPolicy } from '../../policies/model.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import {
  CATEGORY_NAMES, OPEN_TYPE_NAMES, PROVISION_METHOD_NAMES, SHARING_TYPE_NAMES, UPDATE_CYCLE_NAMES,
  type CatalogueEntry, type CatalogueUpdate, type Classification, type InformationItem, type ItemDataType, type ProvisionMethodOffer,
} from './model.ts';
import { CatalogueBuildError, isFederationInternal, type CatalogueDefinition, type PlacedItem, type ResourceDeclaration } from './placement.ts';
import { entryState, fingerprintOf } from './entryState.ts';
import { freshnessOf, type FreshnessRecord } from './freshness.ts';
import { PROVIDER_REGISTER, RESOURCE_REGISTER, type ResourceRegistration } from './resourceRegister.ts';

/** What the catalogue's database holds for an entry. */
export interface EntryRecord {
  readonly releaseDate: string | null;
  readonly lastUpdated: string | null;
  readonly cataloguedFingerprint: string | null;
  readonly openUpdate: CatalogueUpdate | null;
}

export interface ProviderName {
  readonly name: string;
  readonly nameEn: string;
}

export interface BuildInput {
  readonly definition: CatalogueDefinition;
  readonly snapshot: PolicySnapshot;
  /** Department code → names, from the platform's departments. */
  readonly providers: ReadonlyMap<string, ProviderName>;
  readonly records?: ReadonlyMap<string, EntryRecord>;
  /** Type name → what its subgraph last reported. */
  readonly freshness?: ReadonlyMap<string, FreshnessRecord>;
  readonly now: Date;
  readonly register?: Readonly<Record<string, ResourceRegistration>>;
  readonly providerRegister?: Readonly<Record<string, { readonly providerCode: string; readonly departmentalItem: string }>>;
}

export interface BuildOptions {
  /**
   * Fail on what makes an entry incomplete — an unclassified item, an item without a Chinese
   * name, a resource without an abstract — instead of listing it in `problems`. The platform
   * builds leniently (an unclassified field is shown as such, DESIGN.md); tests build strictly.
   * @default false
   */
  readonly strict?: boolean;
}

/** Maximum number of keys one online query takes; larger sets are a batch download (R7). */
export const ONLINE_QUERY_MAX_KEYS = 100;

const SCALAR_TYPES: Readonly<Record<string, Omit<ItemDataType, 'graphqlType'>>> = {
  ID: { code: 'C', name: '字符型', nameEn: 'character' },
  String: { code: 'C', name: '字符型', nameEn: 'character' },
  Int: { code: 'I', name: '整型', nameEn: 'integer' },
  Float: { code: 'F', name: '浮点型', nameEn: 'floating point' },
  Boolean: { code: 'L', name: '逻辑型', nameEn: 'logical' },
  Date: { code: 'D', name: '日期型', nameEn: 'date' },
  GeoJSON: { code: 'G', name: '通用型（GeoJSON 几何）', nameEn: 'general (GeoJSON geometry)' },
};

function dataTypeOf(item: PlacedItem, isResource: (typeName: string) => boolean): ItemDataType {
  const graphqlType = item.graphqlType;
  switch (item.namedKind) {
    case 'SCALAR':
      return { ...(SCALAR_TYPES[item.namedType] ?? { code: 'C', name: '字符型', nameEn: 'character' }), graphqlType };
    case 'ENUM':
      return { code: 'C', name: '字符型（代码）', nameEn: 'character (coded values)', graphqlType };
    default:
      return isResource(item.namedType) || item.namedKind === 'UNION'
        ? { code: 'R', name: '关联', nameEn: 'reference to another record', graphqlType }
        : { code: 'G', name: '通用型（结构化）', nameEn: 'general (structured)', graphqlType };
  }
}

/** 共享条件 of one item, in words (Chinese first, as the catalogue is published). */
export function conditionOf(policy: FieldPolicy): string {
  const purposes = policy.purposes.length ? `用途限于 ${policy.purposes.join('、')}` : '用途不限（须声明用途）';
  const extra = [
    policy.caseIdRequired ? '须提供事项编号（X-Case-Id）' : null,
    policy.condition?.kind === 'CONSUMER_JURISDICTION' ? `仅限使用部门辖区内的记录（${policy.condition.attribute}）` : null,
  ].filter(Boolean).join('；');
  switch (policy.sharingClass) {
    case 'UNCONDITIONAL':
      return [`无条件共享；${purposes}`, extra].filter(Boolean).join('；');
    case 'CONDITIONAL':
      return [
        `有条件共享：经共享平台申请（applyForAccess），由提供方 ${policy.provider} 在答复期限内（平台设置，默认10个工作日）答复同意后使用；${purposes}`,
        extra,
        policy.basis ? `依据：${policy.basis}` : policy.origin === 'UNCLASSIFIED' ? '提供方尚未分类，暂按有条件共享处理' : null,
      ].filter(Boolean).join('；');
    case 'NOT_SHARED':
      return `不予共享${policy.basis ? `；依据：${policy.basis}` : ''}`;
    default:
      throw new Error(`unknown sharing class ${String(policy.sharingClass)}`);
  }
}

function classification(category: 'BASIC' | 'THEMATIC' | 'DEPARTMENTAL', item: { code: string; name: string; nameEn: string }, subject: { code: string; name: string; nameEn: string }): Classification {
  const c = CATEGORY_NAMES[category];
  return {
    category, categoryCode: c.code, categoryName: c.zh, categoryNameEn: c.en,
    itemCode: item.code, itemName: item.name, itemNameEn: item.nameEn,
    subjectCode: subject.code, subjectName: subject.name, subjectNameEn: subject.nameEn,
    code: `${c.code}${item.code}${subject.code}`,
  };
}

/**
 * The phases: check the placement against the snapshot, then for each resource its items
 * (policy of each), its provision methods and sharing summary, and the entry with what the
 * catalogue's database remembers.
 */
export function buildCatalogue(input: BuildInput, options: BuildOptions = {}): CatalogueEntry[] {
  const { definition, snapshot } = input;
  // The snapshot and the placement are read from the same SDL; right after a subgraph is
  // published one may lag the other by a moment (the lenient build shows it, strict fails).
  const placed = new Set(definition.items.map((i) => i.coordinate));
  const notPlaced = [...snapshot.fields.keys()].filter((c) => !placed.has(c) && !isFederationInternal(c));
  if (options.strict && notPlaced.length) {
    throw new CatalogueBuildError(notPlaced.map((c) => `${c} has a policy but no catalogue entry: the catalogue was built from other subgraphs than the policy`));
  }
  const entries = definition.resources.map((resource) => buildEntry(input, options, resource));
  return entries.sort((a, b) => a.resourceCode.localeCompare(b.resourceCode) || a.code.localeCompare(b.code));
}

/** One resource's entry; `problems` lists what makes it incomplete (strict: thrown). */
function buildEntry(input: BuildInput, options: BuildOptions, resource: ResourceDeclaration): CatalogueEntry {
  const { definition, snapshot, providers, now } = input;
  const providerName = providers.get(resource.department) ?? { name: resource.department, nameEn: resource.department };
  const entryProblems: string[] = [];
  const providerCodes = (input.providerRegister ?? PROVIDER_REGISTER)[resource.department] ?? provisionalProvider(resource.department, entryProblems);
  const registration = (input.register ?? RESOURCE_REGISTER)[resource.code]
    ?? provisionalRegistration(resource.code, { code: providerCodes.departmentalItem, name: providerName.name, nameEn: providerName.nameEn }, entryProblems);
  const items = itemsOf(definition, snapshot, resource.code, entryProblems);
  if (!resource.abstract) entryProblems.push(`${resource.code} has no Chinese abstract: add @catalogue(abstract: "…") on ${resource.typeName}`);
  if (!resource.description) entryProblems.push(`${resource.code} has no English abstract: describe ${resource.typeName} in the SDL`);
  if (options.strict && entryProblems.length) throw new CatalogueBuildError(entryProblems);

  const accessPoints = definition.accessPoints.filter((a) => a.entryCode === resource.code)
    .map(({ coordinate, method, arguments: args, description }) => ({ coordinate, method, arguments: args, description }));
  const primary = classification(registration.category, registration.item, registration.subject);
  const record = input.records?.get(resource.code);
  const fingerprint = fingerprintOf(entryState(definition, resource.code, snapshot));
  return {
    code: resource.code,
    resourceCode: `${primary.code}/${String(registration.sequence).padStart(6, '0')}`,
    typeName: resource.typeName,
    subgraph: resource.subgraph,
    name: resource.name,
    nameEn: resource.nameEn,
    abstract: resource.abstract ?? '',
    abstractEn: resource.description ?? '',
    classification: primary,
    departmentalClassification: classification(
      'DEPARTMENTAL',
      { code: providerCodes.departmentalItem, name: providerName.name, nameEn: providerName.nameEn },
      { code: registration.departmentalSubject, name: resource.name, nameEn: resource.nameEn },
    ),
    provider: { code: resource.department, name: providerName.name, nameEn: providerName.nameEn, providerCode: providerCodes.providerCode },
    format: registration.format,
    items,
    accessPoints,
    sharing: sharingOf(items, accessPoints),
    open: { type: registration.open.type, ...names(OPEN_TYPE_NAMES[registration.open.type]), condition: registration.open.condition, basis: registration.open.basis },
    updateCycle: resource.updateCycle,
    updateCycleName: UPDATE_CYCLE_NAMES[resource.updateCycle].zh,
    releaseDate: record?.releaseDate ?? null,
    lastUpdated: record?.lastUpdated ?? null,
    freshness: freshnessOf(resource.updateCycle, input.freshness?.get(resource.typeName), now),
    relatedResources: [...(definition.related.get(resource.code) ?? [])].sort(),
    fingerprint,
    updatePending: record ? record.cataloguedFingerprint !== fingerprint : true,
    openUpdate: record?.openUpdate ?? null,
    problems: entryProblems,
  };
}

/** The entry's information items, each with its effective policy from the snapshot. */
function itemsOf(definition: CatalogueDefinition, snapshot: PolicySnapshot, entryCode: string, problems: string[]): InformationItem[] {
  const resourceTypes = new Set(definition.resources.map((r) => r.typeName));
  return definition.items.filter((i) => i.entryCode === entryCode).map((item): InformationItem => {
    const policy = snapshot.fields.get(item.coordinate) ?? notYetInPolicy(item, snapshot.version, problems);
    const unclassified = policy.origin === 'UNCLASSIFIED';
    if (unclassified) problems.push(`${item.coordinate} is unclassified: ${item.department} has not given it a sharing class (@sharing); it is treated as conditional`);
    if (!item.name) problems.push(`${item.coordinate} has no Chinese name: give one in its description, e.g. "… (中文名称).", or @catalogue(name:)`);
    return {
      coordinate: item.coordinate,
      typeName: item.typeName,
      fieldName: item.fieldName,
      name: item.name,
      nameEn: item.nameEn,
      description: item.description,
      dataType: dataTypeOf(item, (t) => resourceTypes.has(t)),
      isKey: item.isKey,
      placement: item.placement,
      carriedBy: item.carriedBy,
      subgraph: item.subgraph,
      provider: item.department,
      sharingClass: policy.sharingClass,
      purposes: policy.purposes,
      basis: policy.basis,
      caseIdRequired: policy.caseIdRequired,
      rowCondition: policy.condition,
      condition: conditionOf(policy),
      unclassified,
      origin: policy.origin,
      references: item.references,
      ...(policy.mandate ? { mandate: policy.mandate } : {}),
    };
  });
}

/** The entry's sharing type, its condition in words, and how it is provided (R7: no batch download). */
function sharingOf(items: readonly InformationItem[], accessPoints: readonly { coordinate: string; method: string }[]): CatalogueEntry['sharing'] {
  const links = items.filter((i) => i.placement === 'LINK').map((i) => i.coordinate);
  const online = accessPoints.filter((a) => a.method === 'ONLINE_QUERY').map((a) => a.coordinate);
  const verification = accessPoints.filter((a) => a.method === 'VERIFICATION').map((a) => a.coordinate);
  const methods: ProvisionMethodOffer[] = [
    {
      method: 'ONLINE_QUERY', ...names(PROVISION_METHOD_NAMES.ONLINE_QUERY), available: online.length + links.length > 0, via: [...online, ...links],
      note: online.length
        ? `按已知标识查询，每次至多 ${ONLINE_QUERY_MAX_KEYS} 个；不提供遍历`
        : links.length ? `经关联字段查询（${links.join('、')}）` : '不提供',
    },
    {
      method: 'VERIFICATION', ...names(PROVISION_METHOD_NAMES.VERIFICATION), available: verification.length > 0, via: verification,
      note: verification.length ? '只回答是/否，不返回登记信息；用途须为 DATA_VERIFICATION' : '不提供',
    },
    {
      method: 'BATCH_DOWNLOAD', ...names(PROVISION_METHOD_NAMES.BATCH_DOWNLOAD), available: false, via: [],
      note: `平台不提供在线批量下载；超过 ${ONLINE_QUERY_MAX_KEYS} 个标识的需求向提供方书面申请（R7）`,
    },
  ];
  const sharedItems = items.filter((i) => i.sharingClass !== 'NOT_SHARED');
  const type = sharedItems.length === 0 ? 'NOT_SHARED' : items.every((i) => i.sharingClass === 'UNCONDITIONAL') ? 'UNCONDITIONAL' : 'CONDITIONAL';
  const count = (cls: string) => items.filter((i) => i.sharingClass === cls).length;
  const condition = type === 'UNCONDITIONAL'
    ? `全部 ${items.length} 个信息项无条件共享${items.some((i) => i.purposes.length) ? '（部分信息项限定用途，见各信息项）' : ''}`
    : `${count('UNCONDITIONAL')} 个信息项无条件共享，${count('CONDITIONAL')} 个有条件共享（经平台申请、提供方同意），${count('NOT_SHARED')} 个不予共享；条件与依据见各信息项`;
  return { type, ...names(SHARING_TYPE_NAMES[type]), condition, methods };
}

/**
 * A resource the coordinating office has not registered yet (a department published it at
 * run time): listed in its provider's departmental catalogue only, under 目 000 and sequence
 * 000000 (unassigned), not opened to the public, until it is classified — its NEW_RESOURCE
 * update task gives the office the deadline.
 */
function provisionalRegistration(code: string, department: ResourceRegistration['item'], problems: string[]): ResourceRegistration {
  problems.push(`${code} is not classified in the catalogue register yet (catalogue/resourceRegister.ts): it is listed in its provider's departmental catalogue only, not open to the public`);
  return {
    category: 'DEPARTMENTAL',
    item: department,
    subject: { code: '000', name: '未分类', nameEn: 'not yet classified' },
    sequence: 0,
    departmentalSubject: '000',
    format: { name: '数据库', nameEn: 'database', mediaType: 'application/graphql-response+json' },
    open: { type: 'NOT_OPEN', condition: null, basis: null },
  };
}

function provisionalProvider(department: string, problems: string[]): { providerCode: string; departmentalItem: string } {
  problems.push(`provider ${department} has no provider code (统一社会信用代码) in the catalogue register yet`);
  return { providerCode: '', departmentalItem: '99' };
}

/** An item whose field the policy snapshot does not know yet: denied (fail closed) until it does. */
function notYetInPolicy(item: PlacedItem, version: number, problems: string[]): FieldPolicy {
  problems.push(`${item.coordinate} is not in policy version ${version} yet: it is denied until its provider's schema is in the policy`);
  return {
    coordinate: item.coordinate, sharingClass: 'CONDITIONAL', purposes: [], basis: null, caseIdRequired: false, condition: null,
    provider: item.department, subgraph: item.subgraph, origin: 'UNCLASSIFIED',
  };
}

function names(n: { readonly zh: string; readonly en: string }): { name: string; nameEn: string } {
  return { name: n.zh, nameEn: n.en };
}
