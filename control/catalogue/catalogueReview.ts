/**
 * Review and filing of catalogue changes (issue 21; 001 art. 9–10; 002 art. 10; 000 art. 9): a
 * provider does not publish its catalogue entry by itself any more; it submits the entry as it
 * now is, and the competent department — the coordinating office — reviews it within the working
 * days of CATALOGUE_REVIEW_WORKING_DAYS: FILED (on file, 备案, and published as submitted) or
 * RETURNED with reasons (the provider fixes and submits again).
 *
 * Glossary:
 * - review: one submission of one entry (its state and fingerprint as submitted); at most one
 *   PENDING per entry (a partial unique index): a new submission supersedes the pending one.
 * - on file (备案): the entry's latest FILED review. The first edition at platform start is on
 *   file as it stands (filed by `system:catalogue:first-edition`).
 * - late: filed or returned after its due date, or pending past it (the evaluation counts them,
 *   and the office is told once when one becomes overdue).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { actingPersonRecord } from '../store/actingPerson.ts';
import { chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { CatalogueDatabase } from './catalogueDatabase.ts';
import type { CatalogueNotifier } from './catalogueNotifier.ts';

/** What a review needs of the catalogue: an entry's current state, and publishing a filed change. */
export interface ReviewedCatalogue {
  currentState(code: string): Promise<{ provider: string; state: EntryState; fingerprint: string }>;
  publishFiled(code: string, state: EntryState, fingerprint: string, actor: string, note: string, at: Date): Promise<unknown>;
}
import type { EntryState } from './entryState.ts';

export const FIRST_EDITION_FILER = 'system:catalogue:first-edition';

export type ReviewStatus = 'PENDING' | 'FILED' | 'RETURNED' | 'SUPERSEDED';

export interface CatalogueReview {
  readonly id: string; readonly entryCode: string; readonly provider: string; readonly fingerprint: string; readonly note: string | null;
  readonly submittedAt: string; readonly submittedBy: string; readonly submittedPerson: { id: string; name: string } | null;
  readonly dueDate: string | null; readonly workingDays: number; readonly status: ReviewStatus;
  readonly decidedAt: string | null; readonly decidedBy: string | null; readonly decidedPerson: { id: string; name: string } | null; readonly reasons: string | null;
  /** Pending past its due date, or decided after it. */
  readonly late: boolean;
}

export interface ReviewFilter {
  readonly status?: ReviewStatus | null;
  readonly provider?: string | null;
  readonly entryCode?: string | null;
}

type Row = CatalogueDatabase['catalogue_reviews'];

/** A request the review cannot carry out (a bad id, a step out of turn): the message says why. */
export class CatalogueReviewError extends Error {
  constructor(message: string, readonly code: ErrorCode.BAD_USER_INPUT | ErrorCode.CONFLICT = ErrorCode.BAD_USER_INPUT) {
    super(message);
  }
}

export class CatalogueReviews {
  constructor(private readonly options: {
    db: Kysely<CatalogueDatabase>; calendar: WorkingDayCalendar; clock: () => Date; catalogue: ReviewedCatalogue;
    workingDays: number | (() => Promise<number>); notify?: CatalogueNotifier;
  }) {}

  private toReview(r: Row): CatalogueReview {
    const today = chinaDate(this.options.clock());
    const decidedDay = r.decided_at ? chinaDate(new Date(r.decided_at)) : null;
    return {
      id: r.id, entryCode: r.entry_code, provider: r.provider, fingerprint: r.fingerprint, note: r.note, submittedAt: r.submitted_at, submittedBy: r.submitted_by,
      submittedPerson: r.submitted_person ? JSON.parse(r.submitted_person) as { id: string; name: string } : null, dueDate: r.due_date, workingDays: Number(r.working_days),
      status: r.status as ReviewStatus, decidedAt: r.decided_at, decidedBy: r.decided_by, decidedPerson: r.decided_person ? JSON.parse(r.decided_person) as { id: string; name: string } : null,
      reasons: r.reasons,
      late: r.due_date !== null && (r.status === 'PENDING' ? today > r.due_date : (r.status === 'FILED' || r.status === 'RETURNED') && decidedDay !== null && decidedDay > r.due_date),
    };
  }

  /** The first edition at platform start: on file as it stands. */
  async fileFirstEdition(code: string, provider: string, fingerprint: string): Promise<void> {
    const at = this.options.clock().toISOString();
    await this.options.db.insertInto('catalogue_reviews').values({
      id: `cr-filed-${code}`, entry_code: code, provider, fingerprint, state: null, update_id: null, note: 'first edition of the catalogue',
      submitted_at: at, submitted_by: FIRST_EDITION_FILER, submitted_person: null, due_date: null, working_days: 0, status: 'FILED',
      decided_at: at, decided_by: FIRST_EDITION_FILER, decided_person: null, reasons: 'first edition at platform start: on file as it stands',
    }).onConflict((oc) => oc.column('id').doNothing()).execute();
  }

  /** 001 art. 9–10: the provider submits its entry as it now is; a pending submission of the entry is superseded. */
  async submit(code: string, actor: string, note: string | null): Promise<CatalogueReview> {
    const { provider, state, fingerprint } = await this.options.catalogue.currentState(code);
    const { db, calendar, clock } = this.options;
    const at = clock();
    const workingDays = typeof this.options.workingDays === 'number' ? this.options.workingDays : await this.options.workingDays();
    const update = await db.selectFrom('catalogue_updates').select('id').where('entry_code', '=', code).where('closed_at', 'is', null).executeTakeFirst();
    const person = actingPersonRecord();
    const row: Row = {
      id: `cr-${chinaDate(at).replaceAll('-', '')}-${randomUUID().slice(0, 8)}`, entry_code: code, provider, fingerprint, state: JSON.stringify(state), update_id: update?.id ?? null,
      note, submitted_at: at.toISOString(), submitted_by: actor, submitted_person: person ? JSON.stringify(person) : null,
      due_date: calendar.addWorkingDays(chinaDate(at), workingDays), working_days: workingDays, status: 'PENDING',
      decided_at: null, decided_by: null, decided_person: null, reasons: null,
    };
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('catalogue_reviews').set({ status: 'SUPERSEDED', decided_at: at.toISOString(), decided_by: actor, reasons: `superseded by ${row.id}` })
        .where('entry_code', '=', code).where('status', '=', 'PENDING').execute();
      await trx.insertInto('catalogue_reviews').values(row).execute();
    });
    await this.options.notify?.({
      key: `CATALOGUE_REVIEW_SUBMITTED:${row.id}`, departments: [], toCoordinatingOffice: true, kind: 'CATALOGUE_REVIEW_SUBMITTED',
      message: `目录审核 ${row.id}：${provider} 提交目录条目 ${code} 的变更，请于 ${row.due_date} 前审核备案（001 第九条、第十条）`,
      params: { reviewId: row.id, entryCode: code, provider, dueDate: row.due_date },
    }).catch(() => false);
    return this.toReview(row);
  }

  private async pending(id: string): Promise<Row> {
    const row = await this.options.db.selectFrom('catalogue_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new CatalogueReviewError(`no catalogue review ${id}`);
    if (row.status !== 'PENDING') throw new CatalogueReviewError(`catalogue review ${id} is ${row.status.toLowerCase()}: only a pending review is decided`, ErrorCode.CONFLICT);
    return row;
  }

  /** Claims a pending review for a decision, once: a second decision gets CONFLICT. */
  private async decide(row: Row, status: 'FILED' | 'RETURNED', actor: string, reasons: string | null): Promise<Date> {
    const at = this.options.clock();
    const person = actingPersonRecord();
    const result = await this.options.db.updateTable('catalogue_reviews')
      .set({ status, decided_at: at.toISOString(), decided_by: actor, decided_person: person ? JSON.stringify(person) : null, reasons })
      .where('id', '=', row.id).where('status', '=', 'PENDING').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new CatalogueReviewError(`catalogue review ${row.id} was decided meanwhile`, ErrorCode.CONFLICT);
    return at;
  }

  /** The coordinating office approves: the change is on file (备案) and published as submitted. */
  async file(id: string, actor: string, note: string | null): Promise<CatalogueReview> {
    const row = await this.pending(id);
    if (!row.state) throw new CatalogueReviewError(`catalogue review ${id} carries no submitted state`);
    await this.decide(row, 'FILED', actor, note);
    await this.options.catalogue.publishFiled(row.entry_code, JSON.parse(row.state) as EntryState, row.fingerprint, actor, note ?? `filed on review ${id}`, new Date(row.submitted_at));
    await this.options.notify?.({
      key: `CATALOGUE_REVIEW_FILED:${id}`, departments: [row.provider], toCoordinatingOffice: false, kind: 'CATALOGUE_REVIEW_FILED',
      message: `目录审核 ${id}：目录条目 ${row.entry_code} 的变更已审核通过并备案、发布`, params: { reviewId: id, entryCode: row.entry_code, provider: row.provider },
    }).catch(() => false);
    return (await this.get(id))!;
  }

  /** The coordinating office returns the change with reasons; the entry stays as last filed. */
  async returnWithReasons(id: string, actor: string, reasons: string): Promise<CatalogueReview> {
    if (!reasons.trim()) throw new CatalogueReviewError('state the reasons for returning the change: the provider fixes what they name');
    const row = await this.pending(id);
    await this.decide(row, 'RETURNED', actor, reasons.trim());
    await this.options.notify?.({
      key: `CATALOGUE_REVIEW_RETURNED:${id}`, departments: [row.provider], toCoordinatingOffice: false, kind: 'CATALOGUE_REVIEW_RETURNED',
      message: `目录审核 ${id}：目录条目 ${row.entry_code} 的变更被退回：${reasons.trim()}`, params: { reviewId: id, entryCode: row.entry_code, provider: row.provider },
    }).catch(() => false);
    return (await this.get(id))!;
  }

  async get(id: string): Promise<CatalogueReview | null> {
    const row = await this.options.db.selectFrom('catalogue_reviews').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toReview(row) : null;
  }

  async list(filter: ReviewFilter = {}): Promise<CatalogueReview[]> {
    let query = this.options.db.selectFrom('catalogue_reviews').selectAll().orderBy('submitted_at', 'desc').limit(2000);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.provider) query = query.where('provider', '=', filter.provider);
    if (filter.entryCode) query = query.where('entry_code', '=', filter.entryCode);
    return (await query.execute()).map((r) => this.toReview(r));
  }

  /** The entry's latest filing, and its pending review, for the catalogue entry's view. */
  async standing(code: string): Promise<{ filed: CatalogueReview | null; pending: CatalogueReview | null }> {
    const rows = (await this.list({ entryCode: code })).filter((r) => r.status === 'FILED' || r.status === 'PENDING');
    return { filed: rows.find((r) => r.status === 'FILED') ?? null, pending: rows.find((r) => r.status === 'PENDING') ?? null };
  }

  /** The sweep: tells the coordinating office (and the provider) once of every review pending past its due date. */
  async noticeOverdue(): Promise<number> {
    if (!this.options.notify) return 0;
    let sent = 0;
    for (const r of (await this.list({ status: 'PENDING' })).filter((x) => x.late)) {
      if (await this.options.notify({
        key: `CATALOGUE_REVIEW_OVERDUE:${r.id}`, departments: [r.provider], toCoordinatingOffice: true, kind: 'CATALOGUE_REVIEW_OVERDUE',
        message: `目录审核 ${r.id} 已逾期：目录条目 ${r.entryCode} 的变更应于 ${r.dueDate} 前审核备案`, params: { reviewId: r.id, entryCode: r.entryCode, provider: r.provider, dueDate: r.dueDate },
      })) sent++;
    }
    return sent;
  }
}
