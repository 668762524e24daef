/**
 * The working-day calendar in the management API (`/admin/graphql`): the years and where their
 * days come from, the coordinating office's entry of a year's notice, the warning that next
 * year's notice is missing, and whether each deadline shown is provisional. The resolvers
 * expect the admin context to carry `calendarNotices: CalendarNotices`.
 *
 * Who may do what: every credential reads the calendar (it is public law); only the platform
 * administrator (the coordinating office) enters a notice.
 */
import { chinaDate } from '../../policies/workingDays.ts';
import type { Identity } from '../store/platformStore.ts';
import type { ApplicationRecord } from '../applications/applicationService.ts';
import type { ObjectionRecord } from '../objections/objectionService.ts';
import type { CatalogueUpdate } from '../catalogue/model.ts';
import type { CalendarDay, CalendarNotices } from './calendarNotices.ts';

/** The part of the admin context the calendar's resolvers use. */
export interface CalendarAdminContext {
  readonly identity: Identity;
  readonly calendarNotices: CalendarNotices;
}

export const calendarTypeDefs = /* GraphQL */ `
"Where a year's working days come from."
enum CalendarSource {
  "The State Council's notice as published in the maintained chinese-days package (or the local override file)."
  OFFICIAL_PACKAGE
  "The notice as entered by the coordinating office (enterCalendarNotice); takes precedence."
  NOTICE
  """
  No notice yet: weekends and the statutory holidays knowable in advance (元旦, 春节 (除夕–初三),
  清明, 劳动节 (1–2 May), 端午, 中秋, 国庆 (1–3 Oct)); no adjusted working days. Deadlines counting
  a day of it are provisional.
  """
  PROVISIONAL
}

type CalendarDay { "YYYY-MM-DD" date: String! "The holiday it is (or, for an adjusted working day, makes up for)." name: String! }

type CalendarYear {
  year: Int!
  source: CalendarSource!
  holidays: [CalendarDay!]!
  "Saturdays and Sundays worked (调休上班日)."
  adjustedWorkdays: [CalendarDay!]!
  "Who entered the notice in force (NOTICE only)."
  enteredBy: String
  enteredAt: String
  reason: String
}

"From 1 October, when next year has neither official data nor an entered notice."
type CalendarWarning { year: Int! message: String! }

enum DeadlineSubject { APPLICATION OBJECTION CATALOGUE_UPDATE }

"An open deadline recomputed when a notice was entered; it never moves earlier than announced."
type RecomputedDeadline {
  subject: DeadlineSubject!
  id: ID!
  oldDueDate: String
  "What the notice gives (may be earlier than oldDueDate; then oldDueDate stays)."
  computedDueDate: String!
  "The due date in force: the later of oldDueDate and computedDueDate."
  dueDate: String!
  provisional: Boolean!
}

type CalendarNoticeResult { year: CalendarYear! recomputed: [RecomputedDeadline!]! }

input CalendarDayInput { date: String! name: String! }

extend type Query {
  "The working-day calendar's years (default: last year to next year, and every year with an entered notice)."
  calendarYears(from: Int, to: Int): [CalendarYear!]!
  "Next year's notice is missing (from 1 October); null otherwise."
  calendarWarning: CalendarWarning
}

extend type Mutation {
  """
  Platform administrator: enter (or correct) the State Council's holiday notice for a year. Every
  date in that year; adjusted working days on a Saturday or Sunday; no date twice. Every open
  deadline counting a day of that year is recomputed and never moves earlier; the departments
  concerned are notified of each move. In force on every replica within a second.
  """
  enterCalendarNotice(year: Int!, holidays: [CalendarDayInput!]!, adjustedWorkdays: [CalendarDayInput!]!, reason: String!): CalendarNoticeResult!
}

extend type Application { "The due date counts a day of a provisional year (暂定)." dueDateProvisional: Boolean! }
extend type Objection { "The due date counts a day of a provisional year (暂定)." dueDateProvisional: Boolean! }
extend type CatalogueUpdate { "The due date counts a day of a provisional year (暂定)." dueDateProvisional: Boolean! }
extend type WorkingDayAnswer { "The date counts a day of a provisional year (暂定)." provisional: Boolean! }
`;

type Ctx = CalendarAdminContext;

const provisional = (ctx: Ctx, start: string, due: string | null) => ctx.calendarNotices.calendar.isProvisionalSpan(chinaDate(start), due);

export const calendarResolvers = {
  Query: {
    calendarYears: (_: unknown, args: { from?: number | null; to?: number | null }, ctx: Ctx) => ctx.calendarNotices.years(args.from, args.to),
    calendarWarning: (_: unknown, __: unknown, ctx: Ctx) => ctx.calendarNotices.warning(),
  },
  Mutation: {
    enterCalendarNotice: (_: unknown, args: { year: number; holidays: CalendarDay[]; adjustedWorkdays: CalendarDay[]; reason: string }, ctx: Ctx) =>
      ctx.calendarNotices.enter(ctx.identity, { year: args.year, holidays: args.holidays, adjustedWorkdays: args.adjustedWorkdays }, args.reason),
  },
  Application: { dueDateProvisional: (a: ApplicationRecord, _: unknown, ctx: Ctx) => provisional(ctx, a.submittedAt, a.dueDate) },
  Objection: { dueDateProvisional: (o: ObjectionRecord, _: unknown, ctx: Ctx) => provisional(ctx, o.raisedAt, o.dueDate) },
  CatalogueUpdate: { dueDateProvisional: (u: CatalogueUpdate, _: unknown, ctx: Ctx) => provisional(ctx, u.openedAt, u.dueDate) },
  WorkingDayAnswer: { provisional: (w: { date: string; after?: string }, _: unknown, ctx: Ctx) => (w.after ? ctx.calendarNotices.calendar.isProvisionalSpan(w.after, w.date) : false) },
};
