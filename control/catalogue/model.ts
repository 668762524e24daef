/**
 * The government information resource catalogue (政务信息资源目录) as data: the elements of the
 * national guidelines (GB/T 21063, 政务信息资源目录编制指南) that every entry carries (R2),
 * and the update tasks that keep entries current (R3).
 *
 * Glossary:
 * - resource (信息资源): what one catalogue entry describes — an entity or value type that a
 *   department declares with `@catalogue` in its SDL (Person, LegalEntity, CreditProfile, …).
 * - catalogue entry (目录条目): the resource with its elements: classification, name, codes,
 *   provider, abstract, format, information items, sharing and open attributes, update cycle,
 *   release date, last update, related resources.
 * - information item (信息项): one field coordinate (`Person.householdAddress`) with its data
 *   type, sharing class, condition, purposes and legal basis. Every field coordinate of the
 *   supergraph is an item of exactly one entry.
 * - access point: a root field (`Query.person`, `Query.verifyPerson`) through which an entry
 *   is provided, and its provision method (online query 在线查询, verification 核验).
 * - freshness: when the provider's data for the resource last changed, as its subgraph
 *   reports it; compared with the declared update cycle to flag stale entries.
 * - catalogue update (目录更新任务): opened when the policy, legal basis or declared items of
 *   an entry change (or a change of law or functions is reported); due within the working days in force when it opens (10 by default)
 *   (R3); closed when the provider publishes the entry again.
 */
import type { ItemMandate, RowCondition, SharingClass } from '../../policies/model.ts';

export const UPDATE_CYCLES = ['REAL_TIME', 'DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY'] as const;
export type UpdateCycle = (typeof UPDATE_CYCLES)[number];

export const UPDATE_CYCLE_NAMES: Readonly<Record<UpdateCycle, { readonly zh: string; readonly en: string }>> = {
  REAL_TIME: { zh: '实时', en: 'real time' },
  DAILY: { zh: '每日', en: 'daily' },
  WEEKLY: { zh: '每周', en: 'weekly' },
  MONTHLY: { zh: '每月', en: 'monthly' },
  QUARTERLY: { zh: '每季度', en: 'quarterly' },
  YEARLY: { zh: '每年', en: 'yearly' },
};

/** 基础 / 主题 / 部门 — the three catalogues of the guidelines (类 1, 2, 3). */
export const CATALOGUE_CATEGORIES = ['BASIC', 'THEMATIC', 'DEPARTMENTAL'] as const;
export type CatalogueCategory = (typeof CATALOGUE_CATEGORIES)[number];

export const CATEGORY_NAMES: Readonly<Record<CatalogueCategory, { readonly code: string; readonly zh: string; readonly en: string }>> = {
  BASIC: { code: '1', zh: '基础信息资源', en: 'basic information resources' },
  THEMATIC: { code: '2', zh: '主题信息资源', en: 'thematic information resources' },
  DEPARTMENTAL: { code: '3', zh: '部门信息资源', en: 'departmental information resources' },
};

/** R7's provision methods that a catalogue entry states (system integration is the platform itself). */
export const PROVISION_METHODS = ['ONLINE_QUERY', 'VERIFICATION', 'BATCH_DOWNLOAD'] as const;
export type ProvisionMethod = (typeof PROVISION_METHODS)[number];

export const PROVISION_METHOD_NAMES: Readonly<Record<ProvisionMethod, { readonly zh: string; readonly en: string }>> = {
  ONLINE_QUERY: { zh: '在线查询', en: 'online query' },
  VERIFICATION: { zh: '核验', en: 'verification' },
  BATCH_DOWNLOAD: { zh: '批量下载', en: 'batch download' },
};

export const SHARING_TYPE_NAMES: Readonly<Record<SharingClass, { readonly zh: string; readonly en: string }>> = {
  UNCONDITIONAL: { zh: '无条件共享', en: 'shared unconditionally' },
  CONDITIONAL: { zh: '有条件共享', en: 'shared on conditions' },
  NOT_SHARED: { zh: '不予共享', en: 'not shared' },
};

/** 开放属性: whether the resource is opened to the public (outside government). */
export const OPEN_TYPES = ['UNCONDITIONAL_OPEN', 'CONDITIONAL_OPEN', 'NOT_OPEN'] as const;
export type OpenType = (typeof OPEN_TYPES)[number];

export const OPEN_TYPE_NAMES: Readonly<Record<OpenType, { readonly zh: string; readonly en: string }>> = {
  UNCONDITIONAL_OPEN: { zh: '无条件开放', en: 'open to the public' },
  CONDITIONAL_OPEN: { zh: '有条件开放', en: 'open to the public on conditions' },
  NOT_OPEN: { zh: '不予开放', en: 'not open to the public' },
};

/** 信息资源分类: 类 (category) – 项 (item) – 目 (subject). */
export interface Classification {
  readonly category: CatalogueCategory;
  /** 类 code: 1 basic, 2 thematic, 3 departmental. */
  readonly categoryCode: string;
  readonly categoryName: string;
  readonly categoryNameEn: string;
  /** 项 code, 2 digits. */
  readonly itemCode: string;
  readonly itemName: string;
  readonly itemNameEn: string;
  /** 目 code, 3 digits. */
  readonly subjectCode: string;
  readonly subjectName: string;
  readonly subjectNameEn: string;
  /** 类 + 项 + 目, e.g. `101001`: the 前段码 of the resource code. */
  readonly code: string;
}

/** Data types of information items (GB/T 21063.3 信息项数据类型). */
export interface ItemDataType {
  /** C 字符型, I 整型, F 浮点型, L 逻辑型, D 日期型, G 通用型 (structured or geometry), R 关联 (reference to another record). */
  readonly code: 'C' | 'I' | 'F' | 'L' | 'D' | 'G' | 'R';
  readonly name: string;
  readonly nameEn: string;
  /** The GraphQL type as the supergraph declares it, e.g. `[Parcel!]`. */
  readonly graphqlType: string;
}

/** How an item came to belong to its entry (see placement.ts). */
export type ItemPlacement =
  /** A field of the resource type itself, declared by the department that owns it. */
  | 'OWN'
  /** A field of a value type (no @catalogue) that the entry carries, e.g. Shareholder.name. */
  | 'CARRIED'
  /** A field a department adds to another department's entity, placed by the resource it returns (Person.realEstate → Parcel). */
  | 'LINK'
  /** A field whose `@catalogue(code:)` names its entry. */
  | 'EXPLICIT';

export interface InformationItem {
  readonly coordinate: string;
  readonly typeName: string;
  readonly fieldName: string;
  /** 信息项名称 in Chinese; null when the SDL gives none (a catalogue problem). */
  readonly name: string | null;
  readonly nameEn: string;
  readonly description: string | null;
  readonly dataType: ItemDataType;
  readonly isKey: boolean;
  readonly placement: ItemPlacement;
  /** For CARRIED items: the field that carries the value type into the entry. */
  readonly carriedBy: string | null;
  /** Subgraph and department that provide the field. */
  readonly subgraph: string;
  readonly provider: string;
  readonly sharingClass: SharingClass;
  /** Empty: any declared purpose. */
  readonly purposes: readonly string[];
  readonly basis: string | null;
  readonly caseIdRequired: boolean;
  readonly rowCondition: RowCondition | null;
  /** 共享条件 in words. */
  readonly condition: string;
  readonly unclassified: boolean;
  /** Where the policy came from: SDL default, administrator override, key field, or nobody. */
  readonly origin: string;
  /** Code of the entry whose resource the item returns, when another one (关联). */
  readonly references: string | null;
  /** The provider's mark: a basic or licensing-related item, shared unconditionally (003 Guangdong art. 4; issue 21). */
  readonly mandate?: ItemMandate | null;
}

export interface AccessPoint {
  /** `Query.person`. */
  readonly coordinate: string;
  readonly method: Exclude<ProvisionMethod, 'BATCH_DOWNLOAD'>;
  readonly arguments: readonly string[];
  readonly description: string | null;
}

export interface ProvisionMethodOffer {
  readonly method: ProvisionMethod;
  readonly name: string;
  readonly nameEn: string;
  readonly available: boolean;
  /** Root fields, or link fields on other entries' resources, that provide it. */
  readonly via: readonly string[];
  readonly note: string;
}

export interface Provider {
  /** Platform department code, e.g. `psb`. */
  readonly code: string;
  readonly name: string;
  readonly nameEn: string;
  /** 提供方代码: the department's unified social credit code (GB 32100). */
  readonly providerCode: string;
}

export interface ResourceFormat {
  /** 信息资源格式 category, e.g. 数据库. */
  readonly name: string;
  readonly nameEn: string;
  /** What the platform delivers. */
  readonly mediaType: string;
}

export interface OpenAttributes {
  readonly type: OpenType;
  readonly name: string;
  readonly nameEn: string;
  readonly condition: string | null;
  readonly basis: string | null;
}

export interface Freshness {
  /** When the provider's data last changed (ISO timestamp); null when unknown. */
  readonly dataLastChanged: string | null;
  /** When the catalogue last asked the provider. */
  readonly checkedAt: string | null;
  /** Longest age the update cycle allows, in hours. */
  readonly maxAgeHours: number;
  /** true: older than the update cycle allows; null: unknown. */
  readonly stale: boolean | null;
  readonly error: string | null;
}

export const CHANGE_CAUSES = ['POLICY', 'LEGAL_BASIS', 'DEFINITION', 'NEW_RESOURCE', 'WITHDRAWN', 'LAW_CHANGED', 'FUNCTIONS_CHANGED'] as const;
/**
 * Why an update was opened. Detected: POLICY (class, purposes, case or row condition of an
 * item), LEGAL_BASIS (an item's cited basis), DEFINITION (items or elements the department
 * declares), NEW_RESOURCE, WITHDRAWN. Reported by a person: LAW_CHANGED, FUNCTIONS_CHANGED.
 */
export type ChangeCause = (typeof CHANGE_CAUSES)[number];
export const REPORTED_CAUSES: readonly ChangeCause[] = ['LAW_CHANGED', 'FUNCTIONS_CHANGED'];

export interface CatalogueUpdate {
  readonly id: string;
  readonly entryCode: string;
  readonly provider: string;
  readonly causes: readonly ChangeCause[];
  /** Coordinates whose policy or definition changed. */
  readonly changedItems: readonly string[];
  readonly reason: string;
  readonly openedAt: string;
  readonly openedBy: string;
  readonly policyVersion: number | null;
  /** The last day the update is on time (YYYY-MM-DD, China); null when the calendar lacks the year. */
  readonly dueDate: string | null;
  readonly workingDays: number;
  readonly dueProblem: string | null;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  /** PUBLISHED, or REVERTED when the change was undone before publication. */
  readonly resolution: string | null;
  readonly overdue: boolean;
}

export interface CatalogueEntry {
  /** The resource code the department declares (`PSB-POP-001`), the entry's key on this platform. */
  readonly code: string;
  /** 信息资源代码 in the guideline's form: 前段码 (类项目) / 后段码 (顺序码). */
  readonly resourceCode: string;
  readonly typeName: string;
  readonly subgraph: string;
  readonly name: string;
  readonly nameEn: string;
  readonly abstract: string;
  readonly abstractEn: string;
  readonly classification: Classification;
  /** Every entry is also listed in its provider's departmental catalogue. */
  readonly departmentalClassification: Classification;
  readonly provider: Provider;
  readonly format: ResourceFormat;
  readonly items: readonly InformationItem[];
  readonly accessPoints: readonly AccessPoint[];
  readonly sharing: {
    /** 共享类型 of the resource: unconditional when every item is, not shared when none is shared. */
    readonly type: SharingClass;
    readonly name: string;
    readonly nameEn: string;
    /** 共享条件 summarised; each item states its own. */
    readonly condition: string;
    /** 共享方式. */
    readonly methods: readonly ProvisionMethodOffer[];
  };
  readonly open: OpenAttributes;
  readonly updateCycle: UpdateCycle;
  readonly updateCycleName: string;
  /** 发布日期 (YYYY-MM-DD); null until first published. */
  readonly releaseDate: string | null;
  /** When the entry was last published (ISO timestamp). */
  readonly lastUpdated: string | null;
  readonly freshness: Freshness;
  /** 关联资源代码. */
  readonly relatedResources: readonly string[];
  /** Fingerprint of the entry's policies and declared definition now. */
  readonly fingerprint: string;
  /** Whether it differs from what was last published. */
  readonly updatePending: boolean;
  readonly openUpdate: CatalogueUpdate | null;
  /** Items without a Chinese name, unclassified items: what the provider must fix. */
  readonly problems: readonly string[];
}
