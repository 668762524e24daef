/**
 * Rectification and complaints (issue 21; 003 ××市 art. 21; 004 art. 32–33): a violation the
 * evaluation finds (R11) opens a rectification notice (整改通知) to the department, with a
 * deadline (RECTIFICATION_WORKING_DAYS); the department answers with what it rectified; a notice
 * unanswered past its deadline is reported upward — to the coordinating office's notifications,
 * marked overdue. Departments lodge complaints about each other (004 art. 32); the coordinating
 * office accepts one (and may open a notice to the department complained of) or rejects it with
 * reasons. Every step is recorded with the person acting (caseEvents.ts).
 *
 * Glossary:
 * - notice: OPEN until ANSWERED; escalated (reported upward) once when open past its due date.
 * - source: EVALUATION (one notice per year, department and violation kind: the source key),
 *   COMPLAINT (opened on accepting one) or OFFICE (opened by the coordinating office directly).
 * - complaint: OPEN until ACCEPTED or REJECTED. Its complainant and the office read it; the
 *   department complained of reads it once accepted (it must answer the notice it brings).
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { COORDINATOR } from '../applications/applicationService.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import { chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { Identity, PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import type { SettingsReader } from '../settings/settingDefinitions.ts';
import { actorOf, caseEvents, recordCaseEvent, type CaseEvent } from '../governance/caseEvents.ts';

export type NoticeStatus = 'OPEN' | 'ANSWERED';
export type NoticeSource = 'EVALUATION' | 'COMPLAINT' | 'OFFICE';
export type ComplaintStatus = 'OPEN' | 'ACCEPTED' | 'REJECTED';

export interface RectificationNotice {
  readonly id: string; readonly department: string; readonly source: NoticeSource; readonly violationKind: string; readonly detail: string;
  readonly complaintId: string | null; readonly openedAt: string; readonly openedBy: string; readonly dueDate: string; readonly workingDays: number;
  readonly status: NoticeStatus; readonly answer: string | null; readonly answeredAt: string | null; readonly answeredBy: string | null;
  /** When it was reported upward, unanswered past its due date. */
  readonly escalatedAt: string | null;
  /** Open past its due date, or answered after it. */
  readonly overdue: boolean;
}

export interface Complaint {
  readonly id: string; readonly complainant: string; readonly against: string; readonly subject: string; readonly facts: string;
  readonly lodgedAt: string; readonly lodgedBy: string; readonly status: ComplaintStatus; readonly handledAt: string | null;
  readonly handledBy: string | null; readonly reasons: string | null; readonly noticeId: string | null;
}

/** A violation found by the evaluation, for the notices it opens. */
export interface FoundViolation {
  readonly department: string;
  readonly kind: string;
  readonly detail: string;
}

export interface RectificationContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly calendar: WorkingDayCalendar;
  readonly settings: SettingsReader;
  readonly clock: () => Date;
}

const bad = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
const conflict = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });

function text(value: string | null | undefined, what: string, max = 4000): string {
  const v = value?.trim() ?? '';
  if (!v) throw bad(`state ${what}; nothing was recorded`);
  if (v.length > max) throw bad(`${what} is ${v.length} characters long; keep it under ${max}`);
  return v;
}

function toNotice(r: PlatformDatabase['rectification_notices'], today: string): RectificationNotice {
  const answeredDay = r.answered_at ? chinaDate(new Date(r.answered_at)) : null;
  return {
    id: r.id, department: r.department, source: r.source as NoticeSource, violationKind: r.violation_kind, detail: r.detail, complaintId: r.complaint_id,
    openedAt: r.opened_at, openedBy: r.opened_by, dueDate: r.due_date, workingDays: Number(r.working_days), status: r.status as NoticeStatus,
    answer: r.answer, answeredAt: r.answered_at, answeredBy: r.answered_by, escalatedAt: r.escalated_at,
    overdue: r.status === 'OPEN' ? today > r.due_date : answeredDay !== null && answeredDay > r.due_date,
  };
}

function toComplaint(r: PlatformDatabase['complaints']): Complaint {
  return {
    id: r.id, complainant: r.complainant, against: r.against, subject: r.subject, facts: r.facts, lodgedAt: r.lodged_at, lodgedBy: r.lodged_by,
    status: r.status as ComplaintStatus, handledAt: r.handled_at, handledBy: r.handled_by, reasons: r.reasons, noticeId: r.notice_id,
  };
}

export class Rectification {
  constructor(private readonly ctx: RectificationContext) {}

  private get db(): Kysely<PlatformDatabase> {
    return this.ctx.store.db;
  }

  private requireOffice(what: string): void {
    if (this.ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden(`only the coordinating office ${what}; your token is a ${this.ctx.identity.kind} of ${this.ctx.identity.department}`);
  }

  private async requireDepartment(code: string): Promise<string> {
    const departments = await this.ctx.store.departments();
    if (!departments.some((d) => d.code === code)) throw bad(`no department ${JSON.stringify(code)}; one of ${departments.map((d) => d.code).join(', ')}`);
    return code;
  }

  /** Inserts a notice (none when its source key exists already) with its event and the department's notice. */
  // The working days are read before the transaction: on SQLite a read outside it would wait for it.
  private async insertNotice(trx: Kysely<PlatformDatabase>, input: { department: string; source: NoticeSource; sourceKey: string | null; kind: string; detail: string; complaintId: string | null }, at: Date, workingDays: number): Promise<PlatformDatabase['rectification_notices'] | null> {
    const row: PlatformDatabase['rectification_notices'] = {
      id: `rect-${randomUUID()}`, department: input.department, source: input.source, source_key: input.sourceKey, violation_kind: input.kind, detail: input.detail,
      complaint_id: input.complaintId, opened_at: at.toISOString(), opened_by: actorOf(this.ctx.identity), due_date: this.ctx.calendar.addWorkingDays(chinaDate(at), workingDays),
      working_days: workingDays, status: 'OPEN', answer: null, answered_at: null, answered_by: null, escalated_at: null,
    };
    const inserted = await trx.insertInto('rectification_notices').values(row).onConflict((oc) => oc.column('source_key').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return null;
    await recordCaseEvent(trx, 'RECTIFICATION', row.id, 'OPENED', row.opened_by, at, `${input.kind}: ${input.detail}`);
    // 003 ××市 art. 21: corrected within a time limit.
    await queueNotification(trx, [input.department], 'RECTIFICATION_NOTICE', `整改通知 ${row.id}：${input.kind}（${input.detail}），请于 ${row.due_date} 前整改并答复（003 第二十一条；004 第三十三条）`, at,
      {}, { noticeId: row.id, violationKind: input.kind, dueDate: row.due_date });
    return row;
  }

  /** R11 → 003 art. 21: every violation the evaluation of `year` found opens one notice (once per department and kind). */
  async openFromEvaluation(year: number, violations: readonly FoundViolation[]): Promise<RectificationNotice[]> {
    this.requireOffice('opens rectification notices');
    const at = this.ctx.clock();
    const workingDays = await this.ctx.settings.value('RECTIFICATION_WORKING_DAYS');
    const opened: RectificationNotice[] = [];
    for (const v of violations) {
      const row = await this.db.transaction().execute((trx) => this.insertNotice(trx, { department: v.department, source: 'EVALUATION', sourceKey: `EVAL:${year}:${v.department}:${v.kind}`, kind: v.kind, detail: `${year}: ${v.detail}`, complaintId: null }, at, workingDays));
      if (row) opened.push(toNotice(row, chinaDate(at)));
    }
    return opened;
  }

  /** The coordinating office opens a notice of its own finding. */
  async open(department: string, kind: string, detail: string): Promise<RectificationNotice> {
    this.requireOffice('opens rectification notices');
    const code = await this.requireDepartment(department.trim());
    if (code === COORDINATOR) throw bad('the coordinating office does not send itself a rectification notice');
    const what = text(kind, 'the violation (e.g. CATALOGUE_NOT_UPDATED)', 100);
    const facts = text(detail, 'the facts found');
    const at = this.ctx.clock();
    const workingDays = await this.ctx.settings.value('RECTIFICATION_WORKING_DAYS');
    const row = await this.db.transaction().execute((trx) => this.insertNotice(trx, { department: code, source: 'OFFICE', sourceKey: null, kind: what, detail: facts, complaintId: null }, at, workingDays));
    return toNotice(row!, chinaDate(at));
  }

  /** The department answers with what it rectified; an answer after the due date is recorded, and the notice stays marked overdue. */
  async answer(id: string, rectified: string): Promise<RectificationNotice> {
    const row = await this.db.selectFrom('rectification_notices').selectAll().where('id', '=', id).executeTakeFirst();
    const { identity } = this.ctx;
    if (!row || identity.kind !== 'DEPARTMENT_ADMIN' || identity.department !== row.department) {
      throw forbidden(`only an administrator of the department a notice is addressed to answers it; ${id} is not a notice of ${identity.department}`);
    }
    const what = text(rectified, 'what was rectified');
    const at = this.ctx.clock();
    await this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('rectification_notices').set({ status: 'ANSWERED', answer: what, answered_at: at.toISOString(), answered_by: actorOf(identity) })
        .where('id', '=', id).where('status', '=', 'OPEN').executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw conflict(`rectification notice ${id} is answered already`);
      await recordCaseEvent(trx, 'RECTIFICATION', id, 'ANSWERED', actorOf(identity), at, what);
      await queueNotification(trx, [COORDINATOR], 'RECTIFICATION_ANSWERED', `整改通知 ${id}：${row.department} 已答复整改情况`, at, {}, { noticeId: id, department: row.department });
    });
    return toNotice((await this.db.selectFrom('rectification_notices').selectAll().where('id', '=', id).executeTakeFirstOrThrow()), chinaDate(at));
  }

  async notices(status?: NoticeStatus | null, overdueOnly = false): Promise<RectificationNotice[]> {
    let query = this.db.selectFrom('rectification_notices').selectAll().orderBy('opened_at', 'desc').limit(1000);
    if (status) query = query.where('status', '=', status);
    if (this.ctx.identity.kind !== 'PLATFORM_ADMIN') query = query.where('department', '=', this.ctx.identity.department);
    const today = chinaDate(this.ctx.clock());
    const notices = (await query.execute()).map((r) => toNotice(r, today));
    return overdueOnly ? notices.filter((n) => n.overdue) : notices;
  }

  /** 004 art. 32: a department complains about another's violation of the measures, to the coordinating office. */
  async lodge(against: string, subject: string, facts: string): Promise<Complaint> {
    const { identity } = this.ctx;
    if (identity.kind === 'PLATFORM_ADMIN') throw forbidden('complaints are lodged by departments with the coordinating office (004 art. 32), which handles them: open a rectification notice instead');
    if (identity.kind === 'APP') throw forbidden('a complaint is lodged by a department administrator, not an app');
    const code = await this.requireDepartment(against.trim());
    if (code === identity.department) throw bad('a department does not complain about itself');
    if (code === COORDINATOR) throw bad('complaints about the coordinating office go to the people\'s government at the same level, not through this platform');
    const row: PlatformDatabase['complaints'] = {
      id: `cmp-${randomUUID()}`, complainant: identity.department, against: code, subject: text(subject, 'the subject', 200), facts: text(facts, 'the facts'),
      lodged_at: this.ctx.clock().toISOString(), lodged_by: actorOf(identity), status: 'OPEN', handled_at: null, handled_by: null, reasons: null, notice_id: null,
    };
    const at = this.ctx.clock();
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('complaints').values(row).execute();
      await recordCaseEvent(trx, 'COMPLAINT', row.id, 'LODGED', row.lodged_by, at, `against ${code}: ${row.subject}`);
      await queueNotification(trx, [COORDINATOR], 'COMPLAINT_LODGED', `投诉 ${row.id}：${row.complainant} 投诉 ${code}（${row.subject}），请及时调查处理（004 第三十二条）`, at, {}, { complaintId: row.id, complainant: row.complainant, against: code });
    });
    return toComplaint(row);
  }

  /** The coordinating office accepts (opening a notice to the department complained of when `noticeDetail` is given) or rejects, with reasons. */
  async handle(id: string, accept: boolean, reasons: string, noticeDetail: string | null): Promise<Complaint> {
    this.requireOffice('handles complaints (004 art. 32)');
    const row = await this.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw bad(`no complaint ${id}`);
    const why = text(reasons, accept ? 'the findings of the investigation' : 'the reasons for rejecting the complaint');
    if (!accept && noticeDetail?.trim()) throw bad('a rejected complaint opens no rectification notice: accept it to open one');
    const noticeText = accept && noticeDetail?.trim() ? text(noticeDetail, 'what must be rectified') : null;
    const workingDays = await this.ctx.settings.value('RECTIFICATION_WORKING_DAYS');
    const at = this.ctx.clock();
    await this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('complaints').set({ status: accept ? 'ACCEPTED' : 'REJECTED', handled_at: at.toISOString(), handled_by: actorOf(this.ctx.identity), reasons: why })
        .where('id', '=', id).where('status', '=', 'OPEN').executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw conflict(`complaint ${id} is handled already (${row.status.toLowerCase()})`);
      await recordCaseEvent(trx, 'COMPLAINT', id, accept ? 'ACCEPTED' : 'REJECTED', actorOf(this.ctx.identity), at, why);
      let noticeId: string | null = null;
      if (noticeText) {
        const notice = await this.insertNotice(trx, { department: row.against, source: 'COMPLAINT', sourceKey: null, kind: 'COMPLAINT_UPHELD', detail: noticeText, complaintId: id }, at, workingDays);
        noticeId = notice!.id;
        await trx.updateTable('complaints').set({ notice_id: noticeId }).where('id', '=', id).execute();
      }
      await queueNotification(trx, accept ? [row.complainant, row.against] : [row.complainant], accept ? 'COMPLAINT_ACCEPTED' : 'COMPLAINT_REJECTED',
        `投诉 ${id}（${row.subject}）：协调机构${accept ? '已受理' : '不予受理'}：${why}${noticeId ? `；已向 ${row.against} 发出整改通知 ${noticeId}` : ''}`, at, {}, { complaintId: id, noticeId });
    });
    return toComplaint((await this.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
  }

  /** The complainant and the office read a complaint; the department complained of once it is accepted. */
  async complaints(status?: ComplaintStatus | null): Promise<Complaint[]> {
    const { identity } = this.ctx;
    let query = this.db.selectFrom('complaints').selectAll().orderBy('lodged_at', 'desc').limit(1000);
    if (status) query = query.where('status', '=', status);
    if (identity.kind !== 'PLATFORM_ADMIN') {
      query = query.where((eb) => eb.or([eb('complainant', '=', identity.department), eb.and([eb('against', '=', identity.department), eb('status', '=', 'ACCEPTED')])]));
    }
    return (await query.execute()).map(toComplaint);
  }

  events(kind: 'RECTIFICATION' | 'COMPLAINT', id: string): Promise<CaseEvent[]> {
    return caseEvents(this.db, kind, id);
  }
}

/**
 * 003 ××市 art. 21, 004 art. 33: a notice unanswered past its due date is reported upward — once,
 * to the coordinating office's notifications, and marked overdue (escalatedAt).
 */
export async function escalateOverdueNotices(db: Kysely<PlatformDatabase>, now: Date): Promise<string[]> {
  const today = chinaDate(now);
  const overdue = await db.selectFrom('rectification_notices').selectAll().where('status', '=', 'OPEN').where('due_date', '<', today).where('escalated_at', 'is', null).execute();
  const escalated: string[] = [];
  for (const row of overdue) {
    const done = await db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('rectification_notices').set({ escalated_at: now.toISOString() }).where('id', '=', row.id).where('status', '=', 'OPEN').where('escalated_at', 'is', null).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await recordCaseEvent(trx, 'RECTIFICATION', row.id, 'REPORTED_OVERDUE', 'system:deadlines', now, `unanswered by ${row.due_date}`);
      await queueNotification(trx, [COORDINATOR, row.department], 'RECTIFICATION_OVERDUE', `整改通知 ${row.id}：${row.department} 逾期未整改答复（应于 ${row.due_date} 前），已报协调机构通报（004 第三十三条）`, now,
        {}, { noticeId: row.id, department: row.department, dueDate: row.due_date });
      return true;
    });
    if (done) escalated.push(row.id);
  }
  return escalated;
}
