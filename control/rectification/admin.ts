/**
 * Rectification notices and complaints in the management API (`/admin/graphql`): an extension of
 * its schema (`rectificationTypeDefs`) and its resolvers (rectification.ts holds the rules).
 *
 * Who may do what: the coordinating office opens notices (from a year's evaluation, or of its own
 * finding), reads every notice and complaint, and handles complaints; a department reads and
 * answers the notices addressed to it, lodges complaints and reads its own — and those against
 * it once accepted. Another department sees nothing of them.
 */
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import { chinaDate } from '../../policies/workingDays.ts';
import { computeReports, type ReportAdminContext } from '../reports/admin.ts';
import { Rectification, escalateOverdueNotices, type Complaint, type ComplaintStatus, type NoticeStatus, type RectificationContext, type RectificationNotice } from './rectification.ts';

export const rectificationTypeDefs = /* GraphQL */ `
extend type Query {
  "Rectification notices (整改通知, 003 art. 21; 004 art. 33): the caller's department's; every one for the coordinating office."
  rectificationNotices(status: RectificationNoticeStatus, overdueOnly: Boolean = false): [RectificationNotice!]!
  "Complaints between departments (004 art. 32): lodged by the caller's department, or against it once accepted; every one for the coordinating office."
  complaints(status: ComplaintStatus): [Complaint!]!
}

extend type Mutation {
  """
  Coordinating office: every violation the evaluation of the year finds (evaluationSummary) opens
  a rectification notice to its department, due within RECTIFICATION_WORKING_DAYS; once per
  year, department and violation. Returns the notices opened now.
  """
  openRectificationNotices(year: Int!): [RectificationNotice!]!
  "Coordinating office: a rectification notice of its own finding."
  openRectificationNotice(department: String!, violationKind: String!, detail: String!): RectificationNotice!
  "The department answers a notice addressed to it with what it rectified."
  answerRectificationNotice(id: ID!, rectified: String!): RectificationNotice!
  "Coordinating office: reports every notice unanswered past its due date upward now (also every minute); returns those reported."
  escalateOverdueRectificationNotices: [ID!]!
  "A department complains about another department's violation of the measures (004 art. 32)."
  lodgeComplaint(against: String!, subject: String!, facts: String!): Complaint!
  """
  Coordinating office: accepts a complaint (with noticeDetail, opening a rectification notice to
  the department complained of) or rejects it, with reasons.
  """
  handleComplaint(id: ID!, accept: Boolean!, reasons: String!, noticeDetail: String): Complaint!
}

enum RectificationNoticeStatus { OPEN ANSWERED }
enum RectificationNoticeSource { EVALUATION COMPLAINT OFFICE }
enum ComplaintStatus { OPEN ACCEPTED REJECTED }

type RectificationNotice {
  id: ID!
  department: String!
  source: RectificationNoticeSource!
  "The evaluation's violation kind (CATALOGUE_NOT_UPDATED…), COMPLAINT_UPHELD, or the office's own."
  violationKind: String!
  detail: String!
  complaintId: ID
  openedAt: String!
  openedBy: String!
  "The last day to answer (China)."
  dueDate: String!
  workingDays: Int!
  status: RectificationNoticeStatus!
  answer: String
  answeredAt: String
  answeredBy: String
  "When it was reported upward, unanswered past its due date."
  escalatedAt: String
  "Open past its due date, or answered after it."
  overdue: Boolean!
  events: [CaseEvent!]!
}

type Complaint {
  id: ID!
  complainant: String!
  against: String!
  subject: String!
  facts: String!
  lodgedAt: String!
  lodgedBy: String!
  status: ComplaintStatus!
  handledAt: String
  handledBy: String
  reasons: String
  "The rectification notice accepting it opened."
  noticeId: ID
  events: [CaseEvent!]!
}
`;

type Context = RectificationContext & ReportAdminContext;
const of = (ctx: Context) => new Rectification(ctx);

export const rectificationResolvers = {
  Query: {
    rectificationNotices: (_: unknown, args: { status?: NoticeStatus | null; overdueOnly?: boolean }, ctx: Context) => {
      if (ctx.identity.kind === 'APP') throw new GraphQLError('rectification notices are for department administrators and the coordinating office', { extensions: { code: ErrorCode.FORBIDDEN } });
      return of(ctx).notices(args.status, args.overdueOnly ?? false);
    },
    complaints: (_: unknown, args: { status?: ComplaintStatus | null }, ctx: Context) => {
      if (ctx.identity.kind === 'APP') throw new GraphQLError('complaints are for department administrators and the coordinating office', { extensions: { code: ErrorCode.FORBIDDEN } });
      return of(ctx).complaints(args.status);
    },
  },
  Mutation: {
    openRectificationNotices: async (_: unknown, args: { year: number }, ctx: Context) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw new GraphQLError('only the coordinating office opens rectification notices', { extensions: { code: ErrorCode.FORBIDDEN } });
      const today = chinaDate(ctx.clock());
      if (!Number.isInteger(args.year) || args.year < 2000 || args.year > Number(today.slice(0, 4))) {
        throw new GraphQLError(`year ${args.year} is not a report year: give a year from 2000 to ${today.slice(0, 4)}`, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
      }
      const reports = await computeReports(ctx, args.year, today);
      return of(ctx).openFromEvaluation(args.year, reports.flatMap((r) => r.violations.map((v) => ({ department: r.department, kind: v.kind, detail: v.detail }))));
    },
    openRectificationNotice: (_: unknown, args: { department: string; violationKind: string; detail: string }, ctx: Context) => of(ctx).open(args.department, args.violationKind, args.detail),
    answerRectificationNotice: (_: unknown, args: { id: string; rectified: string }, ctx: Context) => of(ctx).answer(args.id, args.rectified),
    escalateOverdueRectificationNotices: (_: unknown, __: unknown, ctx: Context) => {
      if (ctx.identity.kind !== 'PLATFORM_ADMIN') throw new GraphQLError('only the coordinating office runs the rectification deadline sweep', { extensions: { code: ErrorCode.FORBIDDEN } });
      return escalateOverdueNotices(ctx.store.db, ctx.clock());
    },
    lodgeComplaint: (_: unknown, args: { against: string; subject: string; facts: string }, ctx: Context) => of(ctx).lodge(args.against, args.subject, args.facts),
    handleComplaint: (_: unknown, args: { id: string; accept: boolean; reasons: string; noticeDetail?: string | null }, ctx: Context) => of(ctx).handle(args.id, args.accept, args.reasons, args.noticeDetail ?? null),
  },
  RectificationNotice: {
    events: (n: RectificationNotice, _: unknown, ctx: Context) => of(ctx).events('RECTIFICATION', n.id),
  },
  Complaint: {
    events: (c: Complaint, _: unknown, ctx: Context) => of(ctx).events('COMPLAINT', c.id),
  },
};
