/**
 * Evaluation reports in the management API (`/admin/graphql`, R11): one department's report
 * (`evaluationReport`, declared in schema.graphql), the all-department table for the
 * coordinating office (`evaluationSummary`), and publication (`publishEvaluationReports`,
 * publication.ts). An extension of the admin schema (`reportTypeDefs`) and its resolvers.
 *
 * Which year: the current year (China, by the injected clock) is reported to date and marked
 * partial; a later year is refused; a finished year may be published.
 *
 * Who may read what: apps none; before a year is published a department administrator reads
 * its own department's report only, and the coordinating office every report and the table;
 * once published, every department administrator reads every department's published report
 * and the table — the stored ones, whatever happened since.
 */
import type { PlatformSettings } from '../settings/platformSettings.ts';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import { chinaDate } from '../../policies/workingDays.ts';
import type { PolicyState } from '../policies/policyState.ts';
import type { ApplicationService } from '../applications/applicationService.ts';
import type { CatalogueService } from '../catalogue/catalogueService.ts';
import type { ObjectionService } from '../objections/objectionService.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import type { Identity, PlatformStore } from '../store/platformStore.ts';
import { NeedsRegister } from '../needs/needsRegister.ts';
import type { WorkingDayCalendar } from '../../policies/workingDays.ts';
import { evaluate, reportCsv, reportSvg, type EvaluationReport, type ReportLanguage, type UsageRow } from './evaluationReport.ts';
import { publications, publishedReport, publishedReports, storePublication, type RenderedReport } from './publication.ts';

/** The part of the admin context these resolvers use. */
export interface ReportAdminContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly policy: PolicyState;
  readonly catalogue: CatalogueService;
  readonly applications: ApplicationService;
  readonly objections: ObjectionService;
  readonly usageForYear?: (year: number) => Promise<UsageRow[]>;
  /** The deadlines in force, named in the report's texts. */
  readonly settings: PlatformSettings;
  /** The injected clock: which year is current, the report's day. */
  readonly clock: () => Date;
  /** The working-day calendar (the needs register's deadlines). */
  readonly calendar: WorkingDayCalendar;
}

export const reportTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The evaluation of every department in a year (R11), one row each with the main measures: the
  coordinating office's table. Once the year is published, every department administrator
  reads it, from the published reports.
  """
  evaluationSummary(year: Int!): EvaluationSummary!
  "Published years of evaluation reports, newest first (administrators)."
  reportPublications: [ReportPublication!]!
}

extend type Mutation {
  """
  Coordinating office: publishes every department's evaluation report of a finished year,
  with a reason. They are stored as published and no longer change; every department
  administrator may read them. A year is published once.
  """
  publishEvaluationReports(year: Int!, reason: String!): ReportPublication!
}

extend type EvaluationReport {
  "The day the report was made (China)."
  generatedOn: String!
  "The year is not over: the figures are to date."
  partial: Boolean!
  "The stored, published report (it no longer changes)."
  published: Boolean!
  publishedAt: String
}

type EvaluationSummary {
  year: Int!
  partial: Boolean!
  published: Boolean!
  publication: ReportPublication
  rows: [EvaluationSummaryRow!]!
}

type EvaluationSummaryRow {
  department: String!
  departmentName: String!
  "Fields provided, unconditionally or on conditions (R1)."
  fieldsShared: Int!
  fieldsNotShared: Int!
  fieldsUnclassified: Int!
  applicationsReceived: Int!
  applicationsOnTime: Int!
  "Answered late, or escalated unanswered (R5)."
  applicationsLateOrUnanswered: Int!
  "Catalogue updates closed late or still open past due (R3)."
  catalogueUpdatesLate: Int!
  objectionsReceived: Int!
  objectionsResolvedOnTime: Int!
  "Objections corrected after their due date or still open past it (R9): the INCONSISTENT_DATA measure."
  objectionsInconsistent: Int!
  "The coordinating office's catalogue reviews decided after their due date or pending past it (001 art. 9–10)."
  catalogueReviewsLate: Int!
  "Consultations on sharing needs received as the consulted provider (000 art. 13)."
  needsReceived: Int!
  needsAnsweredOnTime: Int!
  "Consultations answered late, or sent unanswered to the coordinating office."
  needsLateOrUnanswered: Int!
  "Requests served as provider (null without the audit trail)."
  requestsServed: Int
  requestsMade: Int
  "The kinds of violation found."
  violations: [String!]!
}

type ReportPublication {
  year: Int!
  publishedAt: String!
  publishedBy: String!
  reason: String!
  "The departments whose reports were published."
  departments: [String!]!
}
`;

/** Reads every department's applications and objections for the report (the report is the office's view). */
const REPORT_READER: Identity = { credentialId: 'system:report', kind: 'PLATFORM_ADMIN', department: 'dgo', name: 'evaluation report' };

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

function requireAdministrator({ identity }: ReportAdminContext): void {
  if (identity.kind === 'APP') throw forbidden('evaluation reports are for department administrators and the coordinating office');
}

/** A report year: a whole year from 2000 to the current one (China, by the clock); returns today. */
function checkYear(ctx: ReportAdminContext, year: number): string {
  const today = chinaDate(ctx.clock());
  const current = Number(today.slice(0, 4));
  if (!Number.isInteger(year) || year < 2000) throw badInput(`year ${year} is not a report year: give a year from 2000 to ${current}`);
  if (year > current) throw badInput(`year ${year} has not begun (today is ${today}): there is nothing to evaluate; the current year ${current} is reported to date`);
  return today;
}

/** Every department's report of a year, computed now from the stores. */
export async function computeReports(ctx: ReportAdminContext, year: number, today: string, only?: string): Promise<EvaluationReport[]> {
  const departments = (await ctx.store.departments()).filter((d) => !only || d.code === only);
  if (only && departments.length === 0) throw badInput(`no department ${only}`);
  const [entries, updates, applications, objections, usage, settings, needs, reviews] = await Promise.all([
    ctx.catalogue.entries(),
    ctx.catalogue.updates({ includeClosed: true }),
    ctx.applications.list(REPORT_READER),
    ctx.objections.list(REPORT_READER),
    ctx.usageForYear ? ctx.usageForYear(year) : Promise.resolve(null),
    ctx.settings.current(),
    // Issue 21: every need, as the coordinating office reads them.
    new NeedsRegister({ identity: REPORT_READER, store: ctx.store, catalogue: ctx.catalogue, calendar: ctx.calendar, settings: ctx.settings, clock: ctx.clock }).list(),
    ctx.catalogue.reviews.list(),
  ]);
  const fields = [...ctx.policy.current.fields.values()];
  // The texts name the working days in force (the platform settings), not fixed numbers.
  const deadlines = { catalogueUpdateWorkingDays: settings.values.CATALOGUE_UPDATE_WORKING_DAYS, applicationAnswerWorkingDays: settings.values.APPLICATION_ANSWER_WORKING_DAYS };
  return departments.map((department) => evaluate({ department, year, fields, entries, updates, applications, objections, needs, reviews, reviewer: REPORT_READER.department, usage, today, deadlines }));
}

function rendered(report: EvaluationReport, language: ReportLanguage = 'zh'): RenderedReport {
  return { department: report.department, json: JSON.stringify(report, null, 2), csv: reportCsv(report, language), svg: reportSvg(report, language) };
}

/** The reader's department's language for the texts made for it (020_department_language). */
async function readerLanguage(ctx: ReportAdminContext): Promise<ReportLanguage> {
  const reader = (await ctx.store.departments()).find((d) => d.code === ctx.identity.department);
  return reader?.language ?? 'zh';
}

/** The GraphQL view of a report, computed or published (then exactly as stored). */
function reportView(r: RenderedReport, publishedAt: string | null) {
  const report = JSON.parse(r.json) as EvaluationReport;
  return {
    department: r.department, year: report.year, violations: report.violations, advice: report.advice, json: r.json, csv: r.csv, svg: r.svg,
    generatedOn: report.generatedOn, partial: report.partial ?? false, published: publishedAt !== null, publishedAt,
  };
}

function summaryRow(report: EvaluationReport) {
  return {
    department: report.department,
    departmentName: report.departmentName,
    fieldsShared: report.provided.unconditional + report.provided.conditional,
    fieldsNotShared: report.provided.notShared,
    fieldsUnclassified: report.provided.unclassified,
    applicationsReceived: report.applicationsAnswered.received,
    applicationsOnTime: report.applicationsAnswered.onTime,
    applicationsLateOrUnanswered: report.applicationsAnswered.late + report.applicationsAnswered.escalatedUnanswered,
    catalogueUpdatesLate: report.catalogue.updatesLate + report.catalogue.updatesOverdueOpen,
    objectionsReceived: report.objections.received,
    objectionsResolvedOnTime: report.objections.resolvedOnTime,
    objectionsInconsistent: (report.objections.correctedLate ?? 0) + (report.objections.openOverdue ?? 0),
    catalogueReviewsLate: report.catalogue.reviewsLate ?? 0,
    needsReceived: report.needs?.received ?? 0,
    needsAnsweredOnTime: report.needs?.answeredOnTime ?? 0,
    needsLateOrUnanswered: (report.needs?.answeredLate ?? 0) + (report.needs?.escalatedUnanswered ?? 0),
    requestsServed: report.usage.available ? report.usage.asProvider : null,
    requestsMade: report.usage.available ? report.usage.asConsumer : null,
    violations: report.violations.map((v) => v.kind),
  };
}

export const reportResolvers = {
  Query: {
    evaluationReport: async (_: unknown, args: { department?: string | null; year: number }, ctx: ReportAdminContext) => {
      requireAdministrator(ctx);
      const today = checkYear(ctx, args.year);
      const code = args.department ?? ctx.identity.department;
      const [publication] = await publications(ctx.store.db, args.year);
      const stored = publication ? await publishedReport(ctx.store.db, args.year, code) : null;
      // R11: a published report is every department's to read, as it was published.
      if (publication && stored) return reportView(stored, publication.publishedAt);
      if (ctx.identity.kind !== 'PLATFORM_ADMIN' && ctx.identity.department !== code) {
        throw forbidden(`the ${args.year} report of ${code} is ${code}'s and the coordinating office's until the year's reports are published`);
      }
      const [report] = await computeReports(ctx, args.year, today, code);
      return reportView(rendered(report!, await readerLanguage(ctx)), null);
    },
    evaluationSummary: async (_: unknown, args: { year: number }, ctx: ReportAdminContext) => {
      requireAdministrator(ctx);
      const today = checkYear(ctx, args.year);
      const [publication] = await publications(ctx.store.db, args.year);
      if (publication) {
        const reports = (await publishedReports(ctx.store.db, args.year)).map((r) => JSON.parse(r.json) as EvaluationReport);
        return { year: args.year, partial: false, published: true, publication, rows: reports.map(summaryRow) };
      }
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden(`the all-department table of ${args.year} is the coordinating office's until the year's reports are published`);
      const reports = await computeReports(ctx, args.year, today);
      return { year: args.year, partial: reports[0]?.partial ?? true, published: false, publication: null, rows: reports.map(summaryRow) };
    },
    reportPublications: (_: unknown, __: unknown, ctx: ReportAdminContext) => {
      requireAdministrator(ctx);
      return publications(ctx.store.db);
    },
  },
  Mutation: {
    publishEvaluationReports: async (_: unknown, args: { year: number; reason: string }, ctx: ReportAdminContext) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden(`the coordinating office publishes evaluation reports; your token is a ${ctx.identity.kind} of ${ctx.identity.department}`);
      const reason = args.reason.trim();
      if (!reason) throw badInput('state the reason for publishing: it is recorded with the publication');
      const today = checkYear(ctx, args.year);
      if (args.year >= Number(today.slice(0, 4))) throw badInput(`year ${args.year} is not over (today is ${today}): its reports are partial; publish them from 1 January ${args.year + 1}`);
      // Stored once for every reader: each in its own department's language.
      const languages = new Map((await ctx.store.departments()).map((d) => [d.code, d.language ?? 'zh' as const]));
      const reports = (await computeReports(ctx, args.year, today)).map((r) => rendered(r, languages.get(r.department) ?? 'zh'));
      const at = ctx.clock();
      const publication = { year: args.year, publishedAt: at.toISOString(), publishedBy: `${ctx.identity.department}:${ctx.identity.credentialId}`, reason };
      if (!(await storePublication(ctx.store.db, publication, reports))) {
        throw new GraphQLError(`the ${args.year} reports were already published; published reports do not change`, { extensions: { code: ErrorCode.CONFLICT } });
      }
      await queueNotification(ctx.store.db, reports.map((r) => r.department), 'EVALUATION_REPORTS_PUBLISHED',
        `${args.year} 年度政务信息资源共享评价报告已由协调机构发布，各部门可查阅全部报告`, at, {}, { year: args.year });
      return (await publications(ctx.store.db, args.year))[0]!;
    },
  },
};
