/**
 * The shapes of the management API's answers as the console selects them (see ./queries.ts).
 * Hand-written from control/admin/schema.graphql and catalogue/admin.ts; only what is selected.
 */

export type CredentialKind = 'APP' | 'DEPARTMENT_ADMIN' | 'PLATFORM_ADMIN';
export type SharingClass = 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';
export type ApplicationStatus =
  | 'PENDING' | 'APPROVED' | 'REJECTED' | 'REFUSED' | 'ESCALATED' | 'GRANTED_ON_ARBITRATION' | 'UPHELD_ON_ARBITRATION' | 'WITHDRAWN';

export const APPLICATION_STATUSES: readonly ApplicationStatus[] = [
  'PENDING', 'APPROVED', 'REJECTED', 'REFUSED', 'ESCALATED', 'GRANTED_ON_ARBITRATION', 'UPHELD_ON_ARBITRATION', 'WITHDRAWN',
];
export const SHARING_CLASSES: readonly SharingClass[] = ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'];

export interface Principal { credentialId: string; kind: CredentialKind; department: string; name: string }
export interface Department { code: string; name: string; nameEn: string; role: string; jurisdiction: string | null }
export interface Purpose { code: string; name: string; description: string | null }

/** What the console learns at sign-in: who, and the reference lists every page uses. */
export interface Session {
  /** The pasted token; empty for a signed-in person (whose session is the cookie and `csrfToken`). */
  token: string;
  /** A signed-in person's session (issue 14): the CSRF token its requests carry. */
  csrfToken?: string;
  me: Principal;
  departments: Department[];
  purposes: Purpose[];
  policyVersion: number;
}

export interface FieldAccess {
  coordinate: string;
  sharingClass: SharingClass;
  provider: string;
  status: 'OWN' | 'READ' | 'APPLY' | 'NOT_SHARED';
  readableFor: string[];
  applicableFor: string[];
  basis: string | null;
  unclassified: boolean;
  caseIdRequired: boolean;
  rowCondition: string | null;
}

export interface Grant {
  id: string;
  consumer?: string;
  coordinate: string;
  purpose: string;
  validFrom: string;
  validUntil: string | null;
  revokedAt: string | null;
  active: boolean;
}

export interface MyCatalogueItem {
  coordinate: string;
  name: string | null;
  nameEn: string;
  sharingClass: SharingClass;
  status: FieldAccess['status'];
  readableFor: string[];
  applicableFor: string[];
  basis: string | null;
  condition: string;
  caseIdRequired: boolean;
  rowCondition: string | null;
  unclassified: boolean;
}

export interface MyCatalogueEntry {
  code: string;
  resourceCode: string;
  name: string;
  nameEn: string;
  provider: string;
  updateCycle: string;
  read: number;
  apply: number;
  notShared: number;
  own: number;
  freshness: { dataLastChanged: string | null; stale: boolean | null };
  items: MyCatalogueItem[];
}

export interface CatalogueEntry {
  code: string;
  resourceCode: string;
  name: string;
  nameEn: string;
  typeName: string;
  updateCycleName: string;
  releaseDate: string | null;
  lastUpdated: string | null;
  updatePending: boolean;
  problems: string[];
  classification: { category: string; categoryName: string };
  provider: { code: string; name: string; nameEn: string };
  format: { name: string; mediaType: string };
  sharing: { type: SharingClass; name: string; condition: string; methods: { method: string; name: string; available: boolean }[] };
  freshness: { dataLastChanged: string | null; stale: boolean | null; error: string | null };
  items: { coordinate: string; name: string | null; nameEn: string; sharingClass: SharingClass; purposes: string[]; condition: string; unclassified: boolean }[];
  openUpdate: { id: string; causes: string[]; reason: string; dueDate: string | null; dueProblem: string | null; overdue: boolean } | null;
}

export const REFUSAL_GROUNDS = ['STATE_SECRET', 'PERSONAL_PRIVACY', 'COMMERCIAL_SECRET', 'LAW_OR_REGULATION', 'OTHER'] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];
export interface FieldRefusal { ground: RefusalGround; lawName: string | null; text: string }
export interface FieldContest { status: 'OPEN' | 'GRANTED' | 'UPHELD'; reason: string; decisionReason: string | null; grantedUntil: string | null }
export interface ApplicationField {
  coordinate: string; sharingClass: SharingClass; approved: boolean | null;
  /** Why it was not granted; absent in older answers. */
  refusal?: FieldRefusal | null;
  contest?: FieldContest | null;
}
export interface ApplicationEvent { at: string; actor: string; action: string; fromStatus: string | null; toStatus: string; reason: string | null }

export interface Application {
  id: string;
  consumer: string;
  provider: string;
  applicant: string;
  purpose: string;
  justification: string;
  legalBasis: string;
  caseRef: string | null;
  requestedFrom: string;
  requestedUntil: string;
  status: ApplicationStatus;
  submittedAt: string;
  dueDate: string | null;
  /** The due date counts a day of a year without a notice (暂定). */
  dueDateProvisional?: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  approvedUntil: string | null;
  escalatedAt: string | null;
  escalationCause: string | null;
  fields: ApplicationField[];
  events?: ApplicationEvent[];
  grants?: Grant[];
}

export interface Notification {
  id: string; kind: string; applicationId: string | null; message: string; createdAt: string; readAt: string | null;
  /** What the console renders the notification from, in the reader's language (absent in older answers). */
  params?: { name: string; value: string | null }[];
}

export interface Objection {
  id: string;
  consumer: string;
  provider: string;
  raisedBy: string;
  coordinate: string;
  entityKey: string;
  observedValue: string | null;
  expectedValue: string | null;
  description: string;
  status: 'OPEN' | 'CORRECTED' | 'CONFIRMED';
  raisedAt: string;
  dueDate: string;
  dueDateProvisional?: boolean;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
  /** CORRECTED: the datum's value before and after (R9). */
  valueBefore?: string | null;
  valueAfter?: string | null;
  correctedAt?: string | null;
  /** When it went, open past its due date, to the coordinating office. */
  escalatedAt?: string | null;
}

export interface RowCondition { kind: string; attribute: string }

export interface FieldPolicy {
  coordinate: string;
  sharingClass: SharingClass;
  purposes: string[];
  basis: string | null;
  caseIdRequired: boolean;
  provider: string;
  subgraph: string;
  origin: 'SDL' | 'OVERRIDE' | 'KEY' | 'UNCLASSIFIED';
  unclassified: boolean;
  rowCondition: RowCondition | null;
}

export interface FieldPolicyOverride {
  coordinate: string;
  sharingClass: SharingClass;
  purposes: string[];
  basis: string | null;
  caseIdRequired: boolean;
  rowCondition: RowCondition | null;
}

export interface PolicyProposal {
  id: string;
  coordinate: string;
  proposedBy: string;
  department: string;
  reason: string;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  proposal: FieldPolicyOverride;
}

export interface PolicyVersion { version: number; kind: string; actor: string; reason: string; createdAt: string; overrides: FieldPolicyOverride[] }

export interface Credential { id: string; kind: CredentialKind; name: string; createdAt: string; revokedAt: string | null }
export interface IssuedCredential { id: string; name: string; department: string; token: string }

export interface AuditRecord {
  seq: number;
  kind: string;
  time: string;
  department: string | null;
  requestId: string | null;
  purpose: string | null;
  caseId: string | null;
  json: string;
}

export interface EvaluationReport {
  department: string;
  year: number;
  violations: { kind: string; detail: string }[];
  advice: string[];
  json: string;
  csv: string;
  svg: string;
  generatedOn: string;
  /** The current year, reported to date. */
  partial: boolean;
  /** Stored as published (R11): it no longer changes. */
  published: boolean;
  publishedAt: string | null;
}

export interface Subgraph { name: string; department: string; url: string; healthy: boolean; healthSince: string | null; healthDetail: string }
export interface SupergraphVersion { version: number; kind: string; actor: string; reason: string; createdAt: string; subgraphs: string[] }

export interface CompositionProblem { code: string; message: string; locations: { subgraph: string | null; line: number; column: number }[] }
export interface BreakingChange { kind: string; description: string; coordinate: string }
export interface FieldUsage { coordinate: string; consumer: string; operationName: string | null; requests: number; lastSeen: string }

/** What checkSubgraph reports (and publishSubgraph, in its answer or with a CHECK_FAILED refusal). */
export interface SubgraphCheck {
  subgraph: string;
  ok: boolean;
  composition: CompositionProblem[];
  classificationErrors: string[];
  unclassified: string[];
  breakingChanges: BreakingChange[];
  affectedUsage: FieldUsage[];
}

export interface SubgraphPublication { version: SupergraphVersion; check: SubgraphCheck }

/** A department as the settings page reads it; webhookUrl as the API reports it. */
export interface DepartmentSettings { code: string; name: string; webhookUrl: string | null }

export type CatalogueReportedCause = 'LAW_CHANGED' | 'FUNCTIONS_CHANGED';
export const CATALOGUE_REPORTED_CAUSES: readonly CatalogueReportedCause[] = ['LAW_CHANGED', 'FUNCTIONS_CHANGED'];

/** A catalogue update task (R3): opened by a detected or reported change, closed when the provider publishes the entry. */
export interface CatalogueUpdate {
  id: string;
  entryCode: string;
  provider: string;
  causes: string[];
  changedItems: string[];
  reason: string;
  openedAt: string;
  openedBy: string;
  dueDate: string | null;
  dueDateProvisional?: boolean;
  workingDays: number;
  dueProblem: string | null;
  closedAt: string | null;
  closedBy: string | null;
  resolution: string | null;
  overdue: boolean;
}

/** A platform setting (deadline or limit) in force, with its legal source (issue 13). */
export interface PlatformSetting {
  key: string; value: number; unit: 'WORKING_DAYS' | 'DAYS'; defaultValue: number; min: number; max: number;
  name: string; nameEn: string; source: string; sourceEn: string; appliesTo: string;
}
export interface PlatformSettingsVersion { version: number; at: string | null; actor: string; reason: string; changes: { key: string; from: number; to: number }[] }
export interface PlatformSettings {
  version: number; changedAt: string | null; changedBy: string; reason: string;
  settings: PlatformSetting[]; history: PlatformSettingsVersion[];
}
