/**
 * The needs register (000 art. 9, 13; 004 art. 15–16): a department states the data its duties
 * need; the platform matches the need to catalogue entries, which the department then applies
 * for (applyForAccess); a need no entry meets goes to the department likely to hold the data for
 * consultation, and, consultation failing or left unanswered, to the coordinating office, which
 * decides.
 *
 * Glossary:
 * - need: what a consumer department wants (data), why (purpose), under which law (legal basis).
 * - match: a catalogue item of another department whose name, English name or coordinate the
 *   need's data names (or is named by it), with the consumer's access to it (READ, APPLY,
 *   NOT_SHARED).
 * - consultation (协商): the named provider answers CAN_PROVIDE (the need is settled: AGREED) or
 *   CANNOT_PROVIDE on one of the grounds the measures admit (000 art. 13: state secrets,
 *   commercial secrets, personal privacy, other legal reasons), within the working days of
 *   NEED_CONSULTATION_WORKING_DAYS.
 * - decision: the coordinating office decides (PROVIDE or NOT_PROVIDE, with reasons) within
 *   NEED_DECISION_WORKING_DAYS of the need reaching it.
 *
 * Statuses: MATCHED → MET (the consumer applies) | CONSULTING; CONSULTING → AGREED |
 * AWAITING_DECISION (refused, or unanswered past its due date: escalated); AWAITING_DECISION →
 * DECIDED_PROVIDE | DECIDED_NOT_PROVIDE. WITHDRAWN by the consumer before a decision.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Kysely } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { COORDINATOR } from '../applications/applicationService.ts';
import type { CatalogueService } from '../catalogue/catalogueService.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import { chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import type { Identity, PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import type { SettingsReader } from '../settings/settingDefinitions.ts';
import { actorOf, caseEvents, recordCaseEvent, type CaseEvent } from '../governance/caseEvents.ts';

export type NeedStatus = 'MATCHED' | 'MET' | 'CONSULTING' | 'AGREED' | 'AWAITING_DECISION' | 'DECIDED_PROVIDE' | 'DECIDED_NOT_PROVIDE' | 'WITHDRAWN';
export type NeedAnswer = 'CAN_PROVIDE' | 'CANNOT_PROVIDE';
/** 000 art. 13: the only grounds on which a request for shared information may be refused. */
export type RefusalGround = 'STATE_SECRET' | 'COMMERCIAL_SECRET' | 'PERSONAL_PRIVACY' | 'OTHER_LEGAL';
export const REFUSAL_GROUNDS: readonly RefusalGround[] = ['STATE_SECRET', 'COMMERCIAL_SECRET', 'PERSONAL_PRIVACY', 'OTHER_LEGAL'];
export type NeedDecision = 'PROVIDE' | 'NOT_PROVIDE';

export interface NeedMatch {
  readonly entryCode: string;
  readonly entryName: string;
  readonly provider: string;
  readonly coordinate: string;
  readonly itemName: string | null;
  /** The consumer's access when the need was stated: READ, APPLY or NOT_SHARED. */
  readonly access: string;
}

export interface NeedRecord {
  readonly id: string; readonly consumer: string; readonly dataWanted: string; readonly purpose: string; readonly legalBasis: string;
  readonly description: string; readonly provider: string | null; readonly status: NeedStatus; readonly matches: readonly NeedMatch[];
  readonly statedAt: string; readonly statedBy: string; readonly consultedAt: string | null; readonly consultationDue: string | null;
  readonly answer: NeedAnswer | null; readonly answerGround: RefusalGround | null; readonly answerReasons: string | null;
  readonly answeredAt: string | null; readonly answeredBy: string | null; readonly decisionDue: string | null; readonly escalatedAt: string | null;
  readonly decision: NeedDecision | null; readonly decisionReasons: string | null; readonly decidedAt: string | null; readonly decidedBy: string | null;
  /** The step in progress is past its due date (consultation or decision). */
  readonly overdue: boolean;
}

export interface NeedInput {
  readonly dataWanted: string;
  readonly purpose: string;
  readonly legalBasis: string;
  readonly description: string;
  /** The department named (or thought likely) to hold the data: consulted when no entry matches. */
  readonly provider?: string | null;
}

/** What the register needs of the platform. */
export interface NeedsContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly catalogue: CatalogueService;
  readonly calendar: WorkingDayCalendar;
  readonly settings: SettingsReader;
  readonly clock: () => Date;
}

const bad = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
const forbidden = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
const conflict = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });

function required(value: string | null | undefined, what: string): string {
  const v = value?.trim() ?? '';
  if (!v) throw bad(`state ${what}: the measures ask a need to say what data, for which duty and under which law (000 art. 9)`);
  if (v.length > 4000) throw bad(`${what} is ${v.length} characters long; keep it under 4000`);
  return v;
}

/** Terms of a need's data: split at spaces and Chinese or Latin punctuation. */
function termsOf(text: string): string[] {
  return [...new Set(text.split(/[\s,，、;；。.:：/|()（）]+/u).map((t) => t.trim().toLowerCase()).filter((t) => t.length >= 2))];
}

/** Catalogue items of other departments the need names; with the consumer's access to each. */
export async function matchNeed(catalogue: CatalogueService, consumer: string, dataWanted: string): Promise<NeedMatch[]> {
  const terms = termsOf(dataWanted);
  if (terms.length === 0) return [];
  const view = await catalogue.consumerView(consumer);
  const matches: NeedMatch[] = [];
  for (const entry of view) {
    if (entry.provider === consumer) continue;
    const entryNames = [entry.name, entry.nameEn].map((n) => n.toLowerCase());
    const entryNamed = terms.some((t) => entryNames.some((n) => n === t || (t.length >= 3 && n.includes(t))));
    for (const item of entry.items) {
      if (item.status === 'OWN') continue;
      const names = [item.name ?? '', item.nameEn, item.coordinate].map((n) => n.toLowerCase()).filter((n) => n.length >= 2);
      const named = terms.some((t) => names.some((n) => n === t || n.includes(t) || t.includes(n)));
      if (named || entryNamed) matches.push({ entryCode: entry.code, entryName: entry.name, provider: entry.provider, coordinate: item.coordinate, itemName: item.name, access: item.status });
    }
  }
  return matches.slice(0, 200);
}

function toRecord(r: PlatformDatabase['sharing_needs'], today: string): NeedRecord {
  const due = r.status === 'CONSULTING' ? r.consultation_due : r.status === 'AWAITING_DECISION' ? r.decision_due : null;
  return {
    id: r.id, consumer: r.consumer, dataWanted: r.data_wanted, purpose: r.purpose, legalBasis: r.legal_basis, description: r.description, provider: r.provider,
    status: r.status as NeedStatus, matches: JSON.parse(r.matched_json) as NeedMatch[], statedAt: r.stated_at, statedBy: r.stated_by, consultedAt: r.consulted_at,
    consultationDue: r.consultation_due, answer: r.answer as NeedAnswer | null, answerGround: r.answer_ground as RefusalGround | null, answerReasons: r.answer_reasons,
    answeredAt: r.answered_at, answeredBy: r.answered_by, decisionDue: r.decision_due, escalatedAt: r.escalated_at, decision: r.decision as NeedDecision | null,
    decisionReasons: r.decision_reasons, decidedAt: r.decided_at, decidedBy: r.decided_by, overdue: due !== null && due < today,
  };
}

export class NeedsRegister {
  constructor(private readonly ctx: NeedsContext) {}

  private get db(): Kysely<PlatformDatabase> {
    return this.ctx.store.db;
  }

  private async dueIn(setting: 'NEED_CONSULTATION_WORKING_DAYS' | 'NEED_DECISION_WORKING_DAYS', at: Date): Promise<string> {
    return this.ctx.calendar.addWorkingDays(chinaDate(at), await this.ctx.settings.value(setting));
  }

  private requireDepartment(): Identity {
    const { identity } = this.ctx;
    if (identity.kind === 'PLATFORM_ADMIN') throw forbidden('a sharing need is a department\'s (000 art. 9): the coordinating office decides needs, it does not state them');
    return identity;
  }

  private async requireProvider(code: string, consumer: string): Promise<string> {
    const departments = await this.ctx.store.departments();
    const found = departments.find((d) => d.code === code);
    if (!found) throw bad(`no department ${JSON.stringify(code)}; one of ${departments.map((d) => d.code).join(', ')}`);
    if (code === consumer) throw bad('a department does not consult itself on its own data');
    if (code === COORDINATOR) throw bad('name the department that holds the data; the coordinating office decides only when consultation fails');
    return code;
  }

  /** 000 art. 9: a department states a need; matched now to the catalogue, or sent for consultation (000 art. 13). */
  async state(input: NeedInput): Promise<NeedRecord> {
    const identity = this.requireDepartment();
    const dataWanted = required(input.dataWanted, 'the data wanted');
    const purpose = required(input.purpose, 'the purpose (the duty the data serves)');
    const legalBasis = required(input.legalBasis, 'the legal basis');
    const description = input.description?.trim() ?? '';
    if (description.length > 4000) throw bad(`the description is ${description.length} characters long; keep it under 4000`);
    const provider = input.provider?.trim() ? await this.requireProvider(input.provider.trim(), identity.department) : null;
    const matches = await matchNeed(this.ctx.catalogue, identity.department, dataWanted);
    if (matches.length === 0 && !provider) {
      throw bad(`no catalogue entry matches ${JSON.stringify(dataWanted)}: name the department likely to hold the data (provider) and it is consulted (000 art. 13); nothing was recorded`);
    }
    const at = this.ctx.clock();
    const id = `need-${randomUUID()}`;
    const consulting = matches.length === 0;
    const row: PlatformDatabase['sharing_needs'] = {
      id, consumer: identity.department, data_wanted: dataWanted, purpose, legal_basis: legalBasis, description, provider,
      status: consulting ? 'CONSULTING' : 'MATCHED', matched_json: JSON.stringify(matches), stated_at: at.toISOString(), stated_by: actorOf(identity),
      consulted_at: consulting ? at.toISOString() : null, consultation_due: consulting ? await this.dueIn('NEED_CONSULTATION_WORKING_DAYS', at) : null,
      answer: null, answer_ground: null, answer_reasons: null, answered_at: null, answered_by: null, decision_due: null, escalated_at: null,
      decision: null, decision_reasons: null, decided_at: null, decided_by: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('sharing_needs').values(row).execute();
      await recordCaseEvent(trx, 'NEED', id, 'STATED', row.stated_by, at, `${matches.length} catalogue item(s) matched`);
      if (consulting) await this.tellConsulted(trx, row, at);
    });
    return toRecord(row, chinaDate(at));
  }

  private async tellConsulted(trx: Kysely<PlatformDatabase>, row: PlatformDatabase['sharing_needs'], at: Date): Promise<void> {
    await recordCaseEvent(trx, 'NEED', row.id, 'CONSULTATION_OPENED', row.stated_by, at, `provider ${row.provider}, answer due ${row.consultation_due}`);
    await queueNotification(trx, [row.provider!], 'NEED_CONSULTATION', `共享需求 ${row.id}：${row.consumer} 需要目录以外的数据（${row.data_wanted}），请于 ${row.consultation_due} 前答复能否提供（000 第十三条）`, at,
      {}, { needId: row.id, consumer: row.consumer, dueDate: row.consultation_due });
  }

  private async load(id: string): Promise<PlatformDatabase['sharing_needs']> {
    const row = await this.db.selectFrom('sharing_needs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw bad(`no sharing need ${id}`);
    return row;
  }

  /** A need's parties: its consumer, the consulted provider (once consulted), the coordinating office. */
  private mayRead(row: PlatformDatabase['sharing_needs']): boolean {
    const { identity } = this.ctx;
    if (identity.kind === 'PLATFORM_ADMIN') return true;
    return identity.department === row.consumer || (row.provider === identity.department && row.consulted_at !== null);
  }

  /** One answer for "no such need" and "not yours": a need's existence is its parties' business. */
  async get(id: string): Promise<NeedRecord | null> {
    const row = await this.db.selectFrom('sharing_needs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.mayRead(row) ? toRecord(row, chinaDate(this.ctx.clock())) : null;
  }

  async list(status?: NeedStatus | null): Promise<NeedRecord[]> {
    const { identity } = this.ctx;
    let query = this.db.selectFrom('sharing_needs').selectAll().orderBy('stated_at', 'desc').limit(1000);
    if (status) query = query.where('status', '=', status);
    if (identity.kind !== 'PLATFORM_ADMIN') {
      query = query.where((eb) => eb.or([eb('consumer', '=', identity.department), eb.and([eb('provider', '=', identity.department), eb('consulted_at', 'is not', null)])]));
    }
    const today = chinaDate(this.ctx.clock());
    return (await query.execute()).map((r) => toRecord(r, today));
  }

  events(id: string): Promise<CaseEvent[]> {
    return caseEvents(this.db, 'NEED', id);
  }

  private async requireConsumer(id: string): Promise<PlatformDatabase['sharing_needs']> {
    const row = await this.load(id);
    const { identity } = this.ctx;
    if (identity.kind === 'APP' || identity.department !== row.consumer) throw forbidden(`only an administrator of ${row.consumer}, which stated need ${id}, may do this`);
    return row;
  }

  /** Moves a need from one status to another, once (a second caller gets CONFLICT), with its event and notices. */
  private async transition(row: PlatformDatabase['sharing_needs'], from: NeedStatus, set: Partial<PlatformDatabase['sharing_needs']>, event: { action: string; note: string | null },
    notice?: { to: string[]; kind: string; message: string; params: Record<string, string | null> }): Promise<NeedRecord> {
    const at = this.ctx.clock();
    await this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('sharing_needs').set(set).where('id', '=', row.id).where('status', '=', from).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw conflict(`sharing need ${row.id} is ${row.status.toLowerCase()}, not ${from.toLowerCase()}: it changed meanwhile or this step is not its next one`);
      await recordCaseEvent(trx, 'NEED', row.id, event.action, actorOf(this.ctx.identity), at, event.note);
      if (notice) await queueNotification(trx, notice.to, notice.kind, notice.message, at, {}, { needId: row.id, ...notice.params });
    });
    return toRecord(await this.load(row.id), chinaDate(at));
  }

  /** The consumer applied for the matched items (or found them enough): the need is met. */
  async markMet(id: string, note: string | null): Promise<NeedRecord> {
    const row = await this.requireConsumer(id);
    if (row.status !== 'MATCHED') throw conflict(`sharing need ${id} is ${row.status.toLowerCase()}: only a matched need is marked met`);
    return this.transition(row, 'MATCHED', { status: 'MET' }, { action: 'MET', note: note?.trim() || null });
  }

  /** The matched entries do not meet the need: the consumer asks the named provider (000 art. 13). */
  async consult(id: string, provider: string, reason: string): Promise<NeedRecord> {
    const row = await this.requireConsumer(id);
    if (row.status !== 'MATCHED') throw conflict(`sharing need ${id} is ${row.status.toLowerCase()}: only a matched need goes to consultation this way`);
    const why = required(reason, 'why the matched catalogue entries do not meet the need');
    const code = await this.requireProvider(provider.trim(), row.consumer);
    const at = this.ctx.clock();
    const due = await this.dueIn('NEED_CONSULTATION_WORKING_DAYS', at);
    const next = { ...row, provider: code, status: 'CONSULTING', consulted_at: at.toISOString(), consultation_due: due };
    const done = await this.transition(row, 'MATCHED', { provider: code, status: 'CONSULTING', consulted_at: next.consulted_at, consultation_due: due }, { action: 'CONSULTATION_REQUESTED', note: why });
    await this.tellConsulted(this.db, next, at);
    return done;
  }

  /** The consulted provider answers (000 art. 13): it may refuse only on the grounds the measures admit. */
  async answer(id: string, answer: NeedAnswer, ground: RefusalGround | null, reasons: string): Promise<NeedRecord> {
    const row = await this.load(id);
    const { identity } = this.ctx;
    if (identity.kind !== 'DEPARTMENT_ADMIN' || identity.department !== row.provider || row.consulted_at === null) {
      throw forbidden(`only an administrator of the consulted department answers need ${id}`);
    }
    if (row.status !== 'CONSULTING') throw conflict(`sharing need ${id} is ${row.status.toLowerCase()}: ${row.escalated_at ? 'it went to the coordinating office when its answer was overdue' : 'it is answered already'}`);
    const why = required(reasons, answer === 'CAN_PROVIDE' ? 'how and when the data will be provided (a catalogue entry to expect)' : 'the reasons the data cannot be provided');
    if (answer === 'CANNOT_PROVIDE' && (!ground || !REFUSAL_GROUNDS.includes(ground))) {
      throw bad(`a refusal names its ground, one of ${REFUSAL_GROUNDS.join(', ')}: 000 art. 13 admits no other (state secrets, commercial secrets, personal privacy, other legal reasons)`);
    }
    const at = this.ctx.clock();
    const answered = { answer, answer_ground: answer === 'CANNOT_PROVIDE' ? ground : null, answer_reasons: why, answered_at: at.toISOString(), answered_by: actorOf(identity) };
    if (answer === 'CAN_PROVIDE') {
      return this.transition(row, 'CONSULTING', { ...answered, status: 'AGREED' }, { action: 'ANSWERED_CAN_PROVIDE', note: why },
        { to: [row.consumer], kind: 'NEED_AGREED', message: `共享需求 ${id}：${row.provider} 答复可以提供（${why}）`, params: { provider: row.provider } });
    }
    const due = await this.dueIn('NEED_DECISION_WORKING_DAYS', at);
    return this.transition(row, 'CONSULTING', { ...answered, status: 'AWAITING_DECISION', decision_due: due }, { action: 'ANSWERED_CANNOT_PROVIDE', note: `${ground}: ${why}` },
      { to: [row.consumer, COORDINATOR], kind: 'NEED_CONSULTATION_FAILED', message: `共享需求 ${id}：${row.provider} 答复不能提供（${ground}），协商不成，提交协调机构于 ${due} 前决定（000 第十三条）`, params: { provider: row.provider, dueDate: due } });
  }

  /** 000 art. 13: consultation failing, the coordinating office decides. */
  async decide(id: string, decision: NeedDecision, reasons: string): Promise<NeedRecord> {
    if (this.ctx.identity.kind !== 'PLATFORM_ADMIN') throw forbidden('only the coordinating office decides a sharing need consultation did not settle (000 art. 13)');
    const row = await this.load(id);
    if (row.status !== 'AWAITING_DECISION') throw conflict(`sharing need ${id} is ${row.status.toLowerCase()}: the coordinating office decides a need awaiting its decision`);
    const why = required(reasons, 'the reasons for the decision');
    const at = this.ctx.clock();
    return this.transition(row, 'AWAITING_DECISION', { status: decision === 'PROVIDE' ? 'DECIDED_PROVIDE' : 'DECIDED_NOT_PROVIDE', decision, decision_reasons: why, decided_at: at.toISOString(), decided_by: actorOf(this.ctx.identity) },
      { action: `DECIDED_${decision}`, note: why },
      { to: [row.consumer, row.provider!], kind: 'NEED_DECIDED', message: `共享需求 ${id}：协调机构决定${decision === 'PROVIDE' ? `由 ${row.provider} 提供` : '不予提供'}（${why}）`, params: { decision, provider: row.provider } });
  }

  async withdraw(id: string, reason: string): Promise<NeedRecord> {
    const row = await this.requireConsumer(id);
    const why = required(reason, 'why the need is withdrawn');
    const open: NeedStatus[] = ['MATCHED', 'CONSULTING', 'AWAITING_DECISION'];
    if (!open.includes(row.status as NeedStatus)) throw conflict(`sharing need ${id} is ${row.status.toLowerCase()}: it is settled`);
    return this.transition(row, row.status as NeedStatus, { status: 'WITHDRAWN' }, { action: 'WITHDRAWN', note: why },
      row.consulted_at ? { to: [row.provider!], kind: 'NEED_WITHDRAWN', message: `共享需求 ${id}：${row.consumer} 已撤回`, params: {} } : undefined);
  }
}

/**
 * The deadline sweep (like applications', R5): a consultation unanswered past its due date goes
 * to the coordinating office, once; the consumer, the provider and the office are told.
 */
export async function escalateOverdueNeeds(db: Kysely<PlatformDatabase>, calendar: WorkingDayCalendar, settings: SettingsReader, now: Date): Promise<string[]> {
  const today = chinaDate(now);
  const overdue = await db.selectFrom('sharing_needs').selectAll().where('status', '=', 'CONSULTING').where('consultation_due', '<', today).execute();
  const escalated: string[] = [];
  for (const row of overdue) {
    const due = calendar.addWorkingDays(today, await settings.value('NEED_DECISION_WORKING_DAYS'));
    const done = await db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('sharing_needs').set({ status: 'AWAITING_DECISION', escalated_at: now.toISOString(), decision_due: due }).where('id', '=', row.id).where('status', '=', 'CONSULTING').executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await recordCaseEvent(trx, 'NEED', row.id, 'ESCALATED_OVERDUE', 'system:deadlines', now, `${row.provider} did not answer by ${row.consultation_due}`);
      await queueNotification(trx, [COORDINATOR, row.provider!, row.consumer], 'NEED_OVERDUE', `共享需求 ${row.id}：${row.provider} 未在 ${row.consultation_due} 前答复协商，已提交协调机构于 ${due} 前决定`, now,
        {}, { needId: row.id, provider: row.provider, dueDate: row.consultation_due });
      return true;
    });
    if (done) escalated.push(row.id);
  }
  return escalated;
}
