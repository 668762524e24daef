/**
 * The catalogue in the management API (`/admin/graphql`): an extension of its schema
 * (`catalogueTypeDefs`, merged with `control/admin/schema.graphql`) and its resolvers, which
 * expect the admin context to carry `catalogue: CatalogueService`.
 *
 * Who may do what: every credential reads the catalogue and its own department's view (R2: the
 * catalogue is how consumers learn what exists); the coordinating office sees every update
 * task, a department those of its own entries; the providing department's administrator (or
 * the platform administrator) publishes its entries and reports changes of law or functions.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { Identity } from '../store/platformStore.ts';
import { CatalogueError, type CatalogueService } from './catalogueService.ts';
import type { CatalogueCategory, ChangeCause } from './model.ts';
import { DEFAULT_SETTINGS, type SettingsReader } from '../settings/settingDefinitions.ts';
import { CatalogueReviewError, type ReviewStatus } from './catalogueReview.ts';
import type { CatalogueEntry } from './model.ts';

/** The part of the admin context the catalogue's resolvers use. */
export interface CatalogueAdminContext {
  readonly identity: Identity;
  readonly catalogue: CatalogueService;
  /** The deadlines in force (the answer days an apply pointer names); absent: the defaults. */
  readonly settings?: SettingsReader;
}

export const catalogueTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The government information resource catalogue (政务信息资源目录, R2): every resource with the
  elements of GB/T 21063 — classification, name, codes, provider, abstract, format, information
  items with their sharing class and conditions, sharing type and methods, open attributes,
  update cycle, release date, last update and freshness, related resources. category BASIC or
  THEMATIC: that catalogue; DEPARTMENTAL: every entry, as each is also listed in its provider's
  departmental catalogue (with provider: that department's catalogue).
  """
  catalogue(category: CatalogueCategory, provider: String, staleOnly: Boolean = false, pendingOnly: Boolean = false): [CatalogueEntry!]!
  "One entry, by its code (PSB-POP-001) or its resource code (101001/000001)."
  catalogueEntry(code: String!): CatalogueEntry
  """
  The catalogue as the caller's department may use it: per item READ (now, and for which
  purposes), APPLY (which purposes; apply with applyForAccess), NOT_SHARED (and its legal basis),
  or OWN (the department provides it).
  """
  myCatalogue(code: String): [MyCatalogueEntry!]!
  """
  Catalogue update tasks (R3): open ones unless includeClosed; the coordinating office sees
  every department's, a department its own entries'.
  """
  catalogueUpdates(overdueOnly: Boolean = false, includeClosed: Boolean = false, provider: String): [CatalogueUpdate!]!
  """
  Reviews of catalogue changes (001 art. 9–10; 002 art. 10): the coordinating office sees every
  department's, a department those of its own entries.
  """
  catalogueReviews(status: CatalogueReviewStatus, provider: String, lateOnly: Boolean = false): [CatalogueReview!]!
}

enum CatalogueReviewStatus { PENDING FILED RETURNED SUPERSEDED }

"A provider's catalogue change under the coordinating office's review, and its outcome (备案)."
type CatalogueReview {
  id: ID!
  entryCode: String!
  provider: String!
  fingerprint: String!
  note: String
  submittedAt: String!
  submittedBy: String!
  submittedPerson: CatalogueReviewPerson
  "The last day the review is on time (China): CATALOGUE_REVIEW_WORKING_DAYS after submission."
  dueDate: String
  workingDays: Int!
  status: CatalogueReviewStatus!
  decidedAt: String
  decidedBy: String
  decidedPerson: CatalogueReviewPerson
  "Why it was returned (or the office's note on filing)."
  reasons: String
  "Pending past its due date, or decided after it."
  late: Boolean!
}

type CatalogueReviewPerson { id: ID! name: String! }

extend type CatalogueEntry {
  "The entry's latest filing (备案) by the coordinating office."
  filing: CatalogueReview
  "A submitted change awaiting review."
  pendingReview: CatalogueReview
}

extend type Mutation {
  """
  The providing department's administrator (or the platform administrator) publishes its entry
  as it now is: the open update is closed and the entry's last update is now (R3).
  """
  publishCatalogueEntry(code: String!, note: String): CatalogueEntry
  """
  Issue 21 (001 art. 9–10; 002 art. 10): the providing department submits its entry as it now is
  for the coordinating office's review; approved, it is on file (备案) and published. A pending
  submission of the entry is superseded. publishCatalogueEntry by a department does the same.
  """
  submitCatalogueChange(code: String!, note: String): CatalogueReview!
  "Coordinating office: approves a submitted change — on file (备案) and published as submitted."
  fileCatalogueChange(id: ID!, note: String): CatalogueReview!
  "Coordinating office: returns a submitted change with reasons; the entry stays as last filed."
  returnCatalogueChange(id: ID!, reasons: String!): CatalogueReview!
  """
  A change of law or of a department's functions that affects an entry: opens (or adds to) its
  update task, due within the working days in force when it opens (platformSettings:
  CATALOGUE_UPDATE_WORKING_DAYS, 10 by default per measure 002 art. 9). A later change of the
  setting applies to tasks opened after it; an open task keeps its due date.
  """
  reportCatalogueChange(code: String!, cause: CatalogueReportedCause!, reason: String!): CatalogueUpdate!
  "Platform administrator: compare every entry with the current policy now; returns the tasks opened or amended."
  reconcileCatalogue: [CatalogueUpdate!]!
}

enum CatalogueCategory { BASIC THEMATIC DEPARTMENTAL }
enum CatalogueUpdateCycle { REAL_TIME DAILY WEEKLY MONTHLY QUARTERLY YEARLY }
enum CatalogueMethod { ONLINE_QUERY VERIFICATION BATCH_DOWNLOAD }
enum CatalogueOpenType { UNCONDITIONAL_OPEN CONDITIONAL_OPEN NOT_OPEN }
enum CatalogueChangeCause { POLICY LEGAL_BASIS DEFINITION NEW_RESOURCE WITHDRAWN LAW_CHANGED FUNCTIONS_CHANGED }
enum CatalogueReportedCause { LAW_CHANGED FUNCTIONS_CHANGED }
enum CatalogueAccess { OWN READ APPLY NOT_SHARED }

type CatalogueEntry {
  "The resource code its department declares (PSB-POP-001)."
  code: String!
  "信息资源代码: 前段码 (类项目) / 后段码 (顺序码)."
  resourceCode: String!
  typeName: String!
  subgraph: String!
  name: String!
  nameEn: String!
  abstract: String!
  abstractEn: String!
  classification: CatalogueClassification!
  departmentalClassification: CatalogueClassification!
  provider: CatalogueProvider!
  format: CatalogueFormat!
  items: [CatalogueItem!]!
  accessPoints: [CatalogueAccessPoint!]!
  sharing: CatalogueSharing!
  open: CatalogueOpenAttributes!
  updateCycle: CatalogueUpdateCycle!
  updateCycleName: String!
  "发布日期 (YYYY-MM-DD)."
  releaseDate: String
  "When the entry was last published."
  lastUpdated: String
  freshness: CatalogueFreshness!
  "关联资源代码."
  relatedResources: [String!]!
  fingerprint: String!
  "The entry differs from what was last published."
  updatePending: Boolean!
  openUpdate: CatalogueUpdate
  "What the provider must fix (unclassified items, missing names)."
  problems: [String!]!
}

type CatalogueClassification {
  category: CatalogueCategory!
  categoryCode: String!
  categoryName: String!
  categoryNameEn: String!
  itemCode: String!
  itemName: String!
  itemNameEn: String!
  subjectCode: String!
  subjectName: String!
  subjectNameEn: String!
  code: String!
}

type CatalogueProvider { code: String! name: String! nameEn: String! "Unified social credit code (提供方代码)." providerCode: String! }
type CatalogueFormat { name: String! nameEn: String! mediaType: String! }
type CatalogueDataType { code: String! name: String! nameEn: String! graphqlType: String! }

type CatalogueItem {
  coordinate: String!
  typeName: String!
  fieldName: String!
  "信息项名称."
  name: String
  nameEn: String!
  description: String
  dataType: CatalogueDataType!
  isKey: Boolean!
  "OWN, CARRIED (a value type the entry carries), LINK (added to another department's resource), EXPLICIT."
  placement: String!
  carriedBy: String
  subgraph: String!
  provider: String!
  sharingClass: SharingClass!
  "Empty: any declared purpose."
  purposes: [String!]!
  basis: String
  caseIdRequired: Boolean!
  rowCondition: RowCondition
  "共享条件, in words."
  condition: String!
  unclassified: Boolean!
  origin: PolicyOrigin!
  references: String
  "Marked by its provider as a basic item (基础信息项) or tied to licensing or parallel approval: shared unconditionally (003 Guangdong art. 4); null: no such mark."
  mandate: ItemMandate
}

type CatalogueAccessPoint { coordinate: String! method: CatalogueMethod! arguments: [String!]! description: String }
type CatalogueProvisionMethod { method: CatalogueMethod! name: String! nameEn: String! available: Boolean! via: [String!]! note: String! }
type CatalogueSharing { type: SharingClass! name: String! nameEn: String! condition: String! methods: [CatalogueProvisionMethod!]! }
type CatalogueOpenAttributes { type: CatalogueOpenType! name: String! nameEn: String! condition: String basis: String }
type CatalogueFreshness {
  "When the provider's data last changed."
  dataLastChanged: String
  checkedAt: String
  maxAgeHours: Int!
  "Older than the update cycle allows; null when unknown."
  stale: Boolean
  error: String
}

type CatalogueUpdate {
  id: ID!
  entryCode: String!
  provider: String!
  causes: [CatalogueChangeCause!]!
  changedItems: [String!]!
  reason: String!
  openedAt: String!
  openedBy: String!
  policyVersion: Int
  "The last day the update is on time (YYYY-MM-DD, China), the workingDays-th working day after it was opened."
  dueDate: String
  "The working days in force when the task opened (platformSettings: CATALOGUE_UPDATE_WORKING_DAYS); it keeps them."
  workingDays: Int!
  "Why there is no due date (the calendar lacks the year)."
  dueProblem: String
  closedAt: String
  closedBy: String
  resolution: String
  overdue: Boolean!
}

type MyCatalogueEntry {
  code: String!
  resourceCode: String!
  name: String!
  nameEn: String!
  provider: String!
  updateCycle: CatalogueUpdateCycle!
  freshness: CatalogueFreshness!
  items: [MyCatalogueItem!]!
  read: Int!
  apply: Int!
  notShared: Int!
  own: Int!
}

type MyCatalogueItem {
  coordinate: String!
  name: String
  nameEn: String!
  sharingClass: SharingClass!
  status: CatalogueAccess!
  readableFor: [String!]!
  applicableFor: [String!]!
  basis: String
  condition: String!
  caseIdRequired: Boolean!
  rowCondition: String
  unclassified: Boolean!
  "How to apply, when the department may."
  apply: CatalogueApplyPointer
}

type CatalogueApplyPointer {
  "The management API mutation: applyForAccess."
  mutation: String!
  endpoint: String!
  coordinate: String!
  purposes: [String!]!
  provider: String!
  answerWithinWorkingDays: Int!
  example: String!
}
`;

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

async function asInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CatalogueError) throw badInput(error.message);
    if (error instanceof CatalogueReviewError) throw new GraphQLError(error.message, { extensions: { code: error.code } });
    throw error;
  }
}

function actorOf({ identity }: CatalogueAdminContext): string {
  return `${identity.department}:${identity.credentialId}`;
}

/** The providing department's administrator, or the platform administrator. */
async function requireProviderAdmin(ctx: CatalogueAdminContext, code: string): Promise<void> {
  if (ctx.identity.kind === 'PLATFORM_ADMIN') return;
  const entry = await ctx.catalogue.entry(code);
  if (!entry) throw badInput(`no catalogue entry ${code}`);
  if (ctx.identity.kind !== 'DEPARTMENT_ADMIN' || ctx.identity.department !== entry.provider.code) {
    throw forbidden(`only an administrator of ${entry.provider.code}, which provides ${entry.code}, or the platform administrator may do this; your token is a ${ctx.identity.kind} of ${ctx.identity.department}`);
  }
}

/** 001 art. 9–10: the competent department (the coordinating office) reviews and files catalogue changes. */
function requireCoordinatingOffice(ctx: CatalogueAdminContext): void {
  if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden(`only the coordinating office reviews and files catalogue changes (001 art. 9–10); your token is a ${ctx.identity.kind} of ${ctx.identity.department}`);
}

export const catalogueResolvers = {
  Query: {
    catalogue: (_: unknown, args: { category?: CatalogueCategory; provider?: string; staleOnly?: boolean; pendingOnly?: boolean }, ctx: CatalogueAdminContext) =>
      ctx.catalogue.entries(args),
    catalogueEntry: (_: unknown, { code }: { code: string }, ctx: CatalogueAdminContext) => ctx.catalogue.entry(code),
    myCatalogue: async (_: unknown, { code }: { code?: string | null }, ctx: CatalogueAdminContext) => {
      // The answer days in force, for an application made now (R5).
      const answerWithinWorkingDays = await (ctx.settings ?? DEFAULT_SETTINGS).value('APPLICATION_ANSWER_WORKING_DAYS');
      return (await ctx.catalogue.consumerView(ctx.identity.department))
        .filter((e) => !code || e.code === code || e.resourceCode === code)
        .map((e) => ({
          ...e, read: e.counts.READ, apply: e.counts.APPLY, notShared: e.counts.NOT_SHARED, own: e.counts.OWN,
          items: e.items.map((i) => (i.apply ? { ...i, apply: { ...i.apply, answerWithinWorkingDays } } : i)),
        }));
    },
    catalogueReviews: async (_: unknown, args: { status?: ReviewStatus | null; provider?: string | null; lateOnly?: boolean }, ctx: CatalogueAdminContext) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN' && args.provider && args.provider !== ctx.identity.department) {
        throw forbidden(`a department sees the reviews of its own entries only; ${args.provider}'s are for ${args.provider} and the coordinating office`);
      }
      const provider = ctx.identity.kind === 'PLATFORM_ADMIN' ? args.provider ?? null : ctx.identity.department;
      const reviews = await ctx.catalogue.reviews.list({ status: args.status ?? null, provider });
      return args.lateOnly ? reviews.filter((r) => r.late) : reviews;
    },
    catalogueUpdates: (_: unknown, args: { overdueOnly?: boolean; includeClosed?: boolean; provider?: string | null }, ctx: CatalogueAdminContext) => {
      if (ctx.identity.kind === 'PLATFORM_ADMIN') return ctx.catalogue.updates(args);
      if (args.provider && args.provider !== ctx.identity.department) throw forbidden(`a department sees the update tasks of its own entries only; ${args.provider}'s are for ${args.provider} and the coordinating office`);
      return ctx.catalogue.updates({ ...args, provider: ctx.identity.department });
    },
  },
  Mutation: {
    publishCatalogueEntry: async (_: unknown, args: { code: string; note?: string | null }, ctx: CatalogueAdminContext) => {
      await requireProviderAdmin(ctx, args.code);
      const note = args.note?.trim() || null;
      const provided = await ctx.catalogue.entry(args.code);
      // A withdrawn resource (no subgraph provides it) is taken out at once: there is nothing to review.
      if (!provided) return asInput(() => ctx.catalogue.publish(args.code, actorOf(ctx), note));
      // Issue 21 (001 art. 9–10): a department's change waits for the coordinating office's review;
      // the office, the competent department, files its own at once.
      const review = await asInput(() => ctx.catalogue.reviews.submit(provided.code, actorOf(ctx), note));
      if (ctx.identity.kind === 'PLATFORM_ADMIN') await asInput(() => ctx.catalogue.reviews.file(review.id, actorOf(ctx), note));
      return ctx.catalogue.entry(provided.code);
    },
    submitCatalogueChange: async (_: unknown, args: { code: string; note?: string | null }, ctx: CatalogueAdminContext) => {
      await requireProviderAdmin(ctx, args.code);
      return asInput(() => ctx.catalogue.reviews.submit(args.code, actorOf(ctx), args.note?.trim() || null));
    },
    fileCatalogueChange: (_: unknown, args: { id: string; note?: string | null }, ctx: CatalogueAdminContext) => {
      requireCoordinatingOffice(ctx);
      return asInput(() => ctx.catalogue.reviews.file(args.id, actorOf(ctx), args.note?.trim() || null));
    },
    returnCatalogueChange: (_: unknown, args: { id: string; reasons: string }, ctx: CatalogueAdminContext) => {
      requireCoordinatingOffice(ctx);
      return asInput(() => ctx.catalogue.reviews.returnWithReasons(args.id, actorOf(ctx), args.reasons));
    },
    reportCatalogueChange: async (_: unknown, args: { code: string; cause: ChangeCause; reason: string }, ctx: CatalogueAdminContext) => {
      await requireProviderAdmin(ctx, args.code);
      return asInput(() => ctx.catalogue.reportChange(args.code, args.cause, args.reason, actorOf(ctx)));
    },
    reconcileCatalogue: (_: unknown, __: unknown, ctx: CatalogueAdminContext) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden('only the platform administrator (the coordinating office) may reconcile the catalogue');
      return ctx.catalogue.reconcile();
    },
  },
  CatalogueEntry: {
    // The catalogue is everyone's to read (R2): so is whether an entry is on file.
    filing: async (e: CatalogueEntry, _: unknown, ctx: CatalogueAdminContext) => (await ctx.catalogue.reviews.standing(e.code)).filed,
    pendingReview: async (e: CatalogueEntry, _: unknown, ctx: CatalogueAdminContext) => (await ctx.catalogue.reviews.standing(e.code)).pending,
  },
};
