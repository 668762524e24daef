/**
 * The State Council's yearly holiday notices as the coordinating office enters them (issue 13:
 * a calendar that never blocks work). They are stored in the platform database and laid over
 * the shared WorkingDayCalendar on every replica: each one re-reads them when the newest
 * revision moved (a one-row question, asked when the change feed announces a notice, and on the
 * same one-second poll as the policy version in case a notification was lost), so a notice
 * entered on one replica counts on all of them without a restart.
 *
 * Glossary:
 * - notice (放假通知): a year's statutory holidays and adjusted working days (调休上班日).
 * - provisional year: one with neither official data nor a notice (policies/workingDays.ts).
 * - revision: each entry or correction of a notice is kept; the latest of a year is in force.
 */
import type { Kysely } from 'kysely';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import { chinaDate, isCalendarDate, isWeekend, type CalendarSource, type CalendarYear, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { Identity, PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import type { CatalogueDatabase } from '../catalogue/catalogueDatabase.ts';
import type { PlatformSettings } from '../settings/platformSettings.ts';
import { SharedRead } from '../../lib/sharedRead.ts';
import { recomputeDeadlines, type DeadlineCounts, type RecomputedDeadline } from './recomputeDeadlines.ts';

/** The notice's rows are asked for no more often than this (the policy version's poll). */
export const CALENDAR_POLL_MS = 1000;
/** From this month (China date) the next year's missing notice is warned of. */
const WARN_FROM_MONTH = 10;
/** Notices are accepted for years the lunar tables cover and the platform may still count in. */
const NOTICE_YEARS = { first: 2004, last: 2099 } as const;

export interface CalendarDay { readonly date: string; readonly name: string }

export interface NoticeInput {
  readonly year: number;
  readonly holidays: readonly CalendarDay[];
  readonly adjustedWorkdays: readonly CalendarDay[];
}

export interface CalendarYearView {
  readonly year: number;
  readonly source: CalendarSource;
  readonly holidays: readonly CalendarDay[];
  readonly adjustedWorkdays: readonly CalendarDay[];
  readonly enteredBy: string | null;
  readonly enteredAt: string | null;
  readonly reason: string | null;
}

export interface CalendarWarning { readonly year: number; readonly message: string }

export interface CalendarNoticesOptions {
  readonly store: PlatformStore;
  /** The calendar every service counts with; its notices are replaced on refresh. */
  readonly calendar: WorkingDayCalendar;
  /** The catalogue's database, whose open update tasks are recomputed too (absent: none). */
  readonly catalogueDb?: Kysely<CatalogueDatabase>;
  readonly counts?: Partial<DeadlineCounts>;
  /** The platform's settings: a recomputed deadline counts the working days in force when its case was opened. */
  readonly settings?: PlatformSettings;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

type NoticeRow = PlatformDatabase['calendar_notices'];

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

const days = (record: Readonly<Record<string, string>>): CalendarDay[] => Object.entries(record).sort(([a], [b]) => a.localeCompare(b)).map(([date, name]) => ({ date, name }));

/** Every problem with a notice, in one list (empty when it may be entered). */
export function noticeProblems(input: NoticeInput): string[] {
  const problems: string[] = [];
  const { year } = input;
  if (!Number.isInteger(year) || year < NOTICE_YEARS.first || year > NOTICE_YEARS.last) {
    return [`year must be a whole year from ${NOTICE_YEARS.first} to ${NOTICE_YEARS.last}, received ${year}`];
  }
  if (input.holidays.length === 0) problems.push(`a notice lists the year's holidays: none given for ${year}`);
  const seen = new Map<string, string>();
  for (const [list, entries] of [['holiday', input.holidays], ['adjusted working day', input.adjustedWorkdays]] as const) {
    for (const { date, name } of entries) {
      if (!isCalendarDate(date)) problems.push(`${list} ${JSON.stringify(date)} is not a real date written YYYY-MM-DD`);
      else if (!date.startsWith(`${year}-`)) problems.push(`${list} ${date} is not in ${year}`);
      else if (list === 'adjusted working day' && !isWeekend(date)) problems.push(`adjusted working day ${date} is not a Saturday or Sunday (only a weekend day can be made a working day)`);
      if (!name.trim()) problems.push(`${list} ${date} has no name (the holiday it is or makes up for)`);
      const before = seen.get(date);
      if (before === list) problems.push(`${date} is listed twice as a ${list}`);
      else if (before) problems.push(`${date} cannot be both a holiday and an adjusted working day`);
      seen.set(date, list);
    }
  }
  return problems;
}

export class CalendarNotices {
  private readonly clock: () => Date;
  private loadedRevision: number | null = null;
  private latest = new Map<number, NoticeRow>();
  /** A refresh asked for while one runs (a notice announced meanwhile) gets the next read. */
  private readonly refreshing = new SharedRead(() => this.load());
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: CalendarNoticesOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  get calendar(): WorkingDayCalendar {
    return this.options.calendar;
  }

  /** Re-reads the notices when a newer revision was entered (on any replica). */
  refresh(): Promise<void> {
    return this.refreshing.read();
  }

  private async load(): Promise<void> {
    const db = this.options.store.db;
    const newest = await db.selectFrom('calendar_notices').select((eb) => eb.fn.max('revision').as('revision')).executeTakeFirst();
    const revision = newest?.revision === null || newest?.revision === undefined ? 0 : Number(newest.revision);
    if (revision === this.loadedRevision) return;
    const rows = await db.selectFrom('calendar_notices').selectAll().orderBy('revision').execute();
    const latest = new Map<number, NoticeRow>();
    for (const row of rows) latest.set(Number(row.year), row);
    this.latest = latest;
    this.options.calendar.setNotices(new Map([...latest].map(([year, row]) => [year, yearOf(row)])));
    this.loadedRevision = revision;
  }

  /** Re-reads on every notice another replica announces (the `calendar` change), and every `pollMs` in case one was missed. */
  startPolling(onError: (error: unknown) => void, pollMs = CALENDAR_POLL_MS): void {
    this.unsubscribe ??= this.options.store.changes.subscribe('calendar', () => void this.refresh().catch(onError));
    this.timer ??= setInterval(() => void this.refresh().catch(onError), pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Years `from`–`to` (default: last year to next year, China time) and every year with a notice. */
  async years(from?: number | null, to?: number | null): Promise<CalendarYearView[]> {
    await this.refresh();
    const thisYear = Number(chinaDate(this.clock()).slice(0, 4));
    const first = from ?? thisYear - 1;
    const last = to ?? thisYear + 1;
    if (!Number.isInteger(first) || !Number.isInteger(last) || last < first || last - first > 100) throw badInput('from and to are years, to not before from, at most 100 apart');
    const years = new Set<number>([...this.latest.keys()].filter((y) => from === undefined || from === null || (y >= first && y <= last)));
    for (let y = first; y <= last; y++) years.add(y);
    return [...years].sort((a, b) => a - b).map((y) => this.view(y));
  }

  view(year: number): CalendarYearView {
    const data = this.options.calendar.year(year);
    const source = this.options.calendar.sourceOf(year);
    const row = source === 'NOTICE' ? this.latest.get(year) : undefined;
    return {
      year, source, holidays: days(data.holidays), adjustedWorkdays: days(data.adjustedWorkdays),
      enteredBy: row?.entered_by ?? null, enteredAt: row?.entered_at ?? null, reason: row?.reason ?? null,
    };
  }

  /** From 1 October (China time), next year's notice is missing when it has neither a notice nor official data. */
  warning(): CalendarWarning | null {
    const today = chinaDate(this.clock());
    const next = Number(today.slice(0, 4)) + 1;
    if (Number(today.slice(5, 7)) < WARN_FROM_MONTH || this.options.calendar.sourceOf(next) !== 'PROVISIONAL') return null;
    return { year: next, message: `${next} 年放假通知尚未录入：${next} 年的期限按暂定日历计算（周末与可预知的法定节假日，不含调休），请协调机构录入国务院办公厅通知` };
  }

  /**
   * The coordinating office enters (or corrects) a year's notice. In one transaction of the
   * platform database: the notice, and every open application's and objection's deadline
   * recomputed — never earlier than announced — with a notification for each one that moves;
   * then the catalogue's open update tasks in its own database.
   */
  async enter(identity: Identity, input: NoticeInput, reason: string): Promise<{ year: CalendarYearView; recomputed: RecomputedDeadline[] }> {
    if (identity.kind !== 'PLATFORM_ADMIN') {
      throw new GraphQLError(`only the coordinating office (platform administrator) enters the State Council's holiday notice; your token is a ${identity.kind} of ${identity.department}`, { extensions: { code: ErrorCode.FORBIDDEN } });
    }
    const problems = noticeProblems(input);
    if (!reason.trim()) problems.push('give a reason (e.g. the notice: 国办发明电〔2026〕N号)');
    if (problems.length > 0) throw badInput(`the notice for ${input.year} was not entered:\n- ${problems.join('\n- ')}`);
    const notice: CalendarYear = {
      holidays: Object.fromEntries(input.holidays.map((d) => [d.date, d.name.trim()])),
      adjustedWorkdays: Object.fromEntries(input.adjustedWorkdays.map((d) => [d.date, d.name.trim()])),
    };
    const at = this.clock();
    const actor = `${identity.department}:${identity.credentialId}`;
    const valuesAt = await this.options.settings?.valuesAt();
    const countsAt = valuesAt && ((openedAt: string) => {
      const values = valuesAt(openedAt);
      return { application: values.APPLICATION_ANSWER_WORKING_DAYS, objection: values.OBJECTION_VERIFICATION_WORKING_DAYS };
    });
    const recomputed = await recomputeDeadlines({
      store: this.options.store, catalogueDb: this.options.catalogueDb, calendar: this.options.calendar, counts: this.options.counts, countsAt, at, year: input.year, notice,
      record: async (trx) => {
        const newest = await trx.selectFrom('calendar_notices').select((eb) => eb.fn.max('revision').as('revision')).executeTakeFirst();
        await trx.insertInto('calendar_notices').values({
          revision: Number(newest?.revision ?? 0) + 1, year: input.year, holidays_json: JSON.stringify(notice.holidays),
          adjusted_workdays_json: JSON.stringify(notice.adjustedWorkdays), entered_by: actor, entered_at: at.toISOString(), reason: reason.trim(),
        }).execute();
        await this.options.store.changes.publish('calendar', String(input.year), trx);
      },
    });
    await this.refresh();
    return { year: this.view(input.year), recomputed };
  }
}

function yearOf(row: NoticeRow): CalendarYear {
  return { holidays: JSON.parse(row.holidays_json) as Record<string, string>, adjustedWorkdays: JSON.parse(row.adjusted_workdays_json) as Record<string, string> };
}
