/**
 * Entering a year's notice recomputes every open deadline that counts a day of that year:
 * pending applications (R5), open objections (R9) and open catalogue update tasks (R3). A
 * deadline already announced never moves earlier — the department planned on it — so the
 * new date is the later of the old one and the recomputed one; a move is notified to the
 * departments concerned (kind DEADLINE_RECOMPUTED).
 */
import type { Kysely, Transaction } from 'kysely';
import { chinaDate, type CalendarYear, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import type { CatalogueDatabase } from '../catalogue/catalogueDatabase.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import { ANSWER_WORKING_DAYS } from '../applications/applicationService.ts';
import { OBJECTION_WORKING_DAYS } from '../objections/objectionService.ts';

/** Working days counted for each kind of deadline (the catalogue's are stored on each task). */
export interface DeadlineCounts {
  readonly application: number;
  readonly objection: number;
}

export type DeadlineSubject = 'APPLICATION' | 'OBJECTION' | 'CATALOGUE_UPDATE';

export interface RecomputedDeadline {
  readonly subject: DeadlineSubject;
  readonly id: string;
  /** The date announced before the notice (null: a catalogue task had none). */
  readonly oldDueDate: string | null;
  /** What the notice gives. */
  readonly computedDueDate: string;
  /** The date in force now: the later of the two. */
  readonly dueDate: string;
  readonly provisional: boolean;
}

interface RecomputeRequest {
  readonly store: PlatformStore;
  readonly catalogueDb?: Kysely<CatalogueDatabase> | undefined;
  readonly calendar: WorkingDayCalendar;
  readonly counts?: Partial<DeadlineCounts> | undefined;
  /**
   * The working days in force when a case was opened (its submission or raising time, ISO), from
   * the settings' history; `counts` takes precedence, the measures' defaults come last.
   */
  readonly countsAt?: ((openedAt: string) => Partial<DeadlineCounts>) | undefined;
  readonly at: Date;
  readonly year: number;
  readonly notice: CalendarYear;
  /** Stores the notice, in the same transaction as the recomputed deadlines. */
  readonly record: (trx: Transaction<PlatformDatabase>) => Promise<void>;
}

interface Open { readonly id: string; readonly start: string; readonly due: string | null; readonly count: number }

/** Whether a deadline counted from `start` to `due` may count a day of `year`. */
const touches = (year: number, start: string, due: string | null) => Number(start.slice(0, 4)) <= year && (due === null || Number(due.slice(0, 4)) >= year);

function recompute(subject: DeadlineSubject, open: Open, calendar: WorkingDayCalendar): RecomputedDeadline {
  const computed = calendar.deadline(open.start, open.count);
  const dueDate = open.due !== null && open.due > computed.date ? open.due : computed.date;
  return { subject, id: open.id, oldDueDate: open.due, computedDueDate: computed.date, dueDate, provisional: calendar.isProvisionalSpan(open.start, dueDate) };
}

const SUBJECT_TEXT: Record<DeadlineSubject, string> = { APPLICATION: '共享申请答复', OBJECTION: '数据异议核实', CATALOGUE_UPDATE: '目录更新' };

async function notifyMove(trx: Transaction<PlatformDatabase>, r: RecomputedDeadline, departments: readonly string[], year: number, at: Date): Promise<void> {
  if (r.dueDate === r.oldDueDate) return;
  const refs = r.subject === 'APPLICATION' ? { applicationId: r.id } : r.subject === 'OBJECTION' ? { objectionId: r.id } : {};
  await queueNotification(trx, departments, 'DEADLINE_RECOMPUTED',
    `${year} 年放假通知已录入：${SUBJECT_TEXT[r.subject]} ${r.id} 的期限由 ${r.oldDueDate ?? '未定'} 调整为 ${r.dueDate}${r.provisional ? '（暂定）' : ''}`,
    at, refs, { subject: r.subject, id: r.id, year, oldDueDate: r.oldDueDate, dueDate: r.dueDate, provisional: r.provisional });
}

async function recomputePlatform(trx: Transaction<PlatformDatabase>, request: RecomputeRequest, calendar: WorkingDayCalendar): Promise<RecomputedDeadline[]> {
  const { year, at } = request;
  const count = (kind: keyof DeadlineCounts, openedAt: string): number =>
    request.counts?.[kind] ?? request.countsAt?.(openedAt)[kind] ?? (kind === 'application' ? ANSWER_WORKING_DAYS : OBJECTION_WORKING_DAYS);
  const results: RecomputedDeadline[] = [];
  const applications = await trx.selectFrom('applications').select(['id', 'consumer', 'provider', 'submitted_at', 'due_date']).where('status', '=', 'PENDING').execute();
  for (const a of applications) {
    const start = chinaDate(a.submitted_at);
    if (!touches(year, start, a.due_date)) continue;
    const r = recompute('APPLICATION', { id: a.id, start, due: a.due_date, count: count('application', a.submitted_at) }, calendar);
    if (r.dueDate !== a.due_date) await trx.updateTable('applications').set({ due_date: r.dueDate, updated_at: at.toISOString() }).where('id', '=', a.id).execute();
    await notifyMove(trx, r, [a.consumer, a.provider], year, at);
    results.push(r);
  }
  const objections = await trx.selectFrom('objections').select(['id', 'consumer', 'provider', 'raised_at', 'due_date']).where('status', '=', 'OPEN').execute();
  for (const o of objections) {
    const start = chinaDate(o.raised_at);
    if (!touches(year, start, o.due_date)) continue;
    const r = recompute('OBJECTION', { id: o.id, start, due: o.due_date, count: count('objection', o.raised_at) }, calendar);
    if (r.dueDate !== o.due_date) await trx.updateTable('objections').set({ due_date: r.dueDate }).where('id', '=', o.id).execute();
    await notifyMove(trx, r, [o.consumer, o.provider], year, at);
    results.push(r);
  }
  return results;
}

/** The catalogue's open tasks, in the catalogue's own database (a second transaction: another database). */
async function recomputeCatalogue(request: RecomputeRequest, calendar: WorkingDayCalendar): Promise<{ result: RecomputedDeadline; provider: string }[]> {
  const { catalogueDb, year } = request;
  if (!catalogueDb) return [];
  return catalogueDb.transaction().execute(async (trx) => {
    const open = await trx.selectFrom('catalogue_updates').select(['id', 'provider', 'opened_at', 'due_date', 'working_days']).where('closed_at', 'is', null).execute();
    const moved: { result: RecomputedDeadline; provider: string }[] = [];
    for (const u of open) {
      const start = chinaDate(u.opened_at);
      if (!touches(year, start, u.due_date)) continue;
      const result = recompute('CATALOGUE_UPDATE', { id: u.id, start, due: u.due_date, count: Number(u.working_days) }, calendar);
      if (result.dueDate !== u.due_date) await trx.updateTable('catalogue_updates').set({ due_date: result.dueDate, due_problem: null }).where('id', '=', u.id).execute();
      moved.push({ result, provider: u.provider });
    }
    return moved;
  });
}

export async function recomputeDeadlines(request: RecomputeRequest): Promise<RecomputedDeadline[]> {
  // What the deadlines are once the notice is in force (the shared calendar takes it on refresh).
  const calendar = request.calendar.withNotice(request.year, request.notice);
  const platform = await request.store.db.transaction().execute(async (trx) => {
    await request.record(trx);
    return recomputePlatform(trx, request, calendar);
  });
  const catalogue = await recomputeCatalogue(request, calendar);
  if (catalogue.length > 0) {
    await request.store.db.transaction().execute(async (trx) => {
      for (const { result, provider } of catalogue) await notifyMove(trx, result, [provider], request.year, request.at);
    });
  }
  return [...platform, ...catalogue.map((c) => c.result)];
}
