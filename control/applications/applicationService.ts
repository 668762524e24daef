/**
 * Conditional sharing applications (R5): a consumer applies through the platform for
 * conditional fields, a purpose, a justification and legal basis, and a period; the
 * providing department answers within 10 working days (the setting APPLICATION_ANSWER_WORKING_DAYS) — approving (possibly fewer fields or a
 * shorter period) or rejecting with a stated reason; what stays unanswered at the deadline,
 * or is rejected and contested, goes to the coordinating office, which grants or upholds.
 * Grants come only from approvals. Every state change is recorded (who, when, what, why)
 * and queued as a notification for the departments concerned.
 *
 * Glossary:
 * - application: one consumer department's request to one provider for one purpose; a request
 *   naming fields of several providers becomes one application per provider.
 * - due date: the Nth working day after the day of submission (China time), N the answer days in
 *   force when it was submitted (10 by default; an open application keeps its due date); answered on or
 *   before it is on time; unanswered after it is escalated (R5).
 * - refusal: not-shared fields are refused at once, citing their legal basis; the consumer
 *   may still contest, which brings the question to the coordinating office.
 */
import { randomUUID } from 'node:crypto';
import { queueNotification, type NotificationParams } from '../notifications/queueNotification.ts';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';
import type { Kysely, Transaction } from 'kysely';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import { chinaDate, type WorkingDayCalendar } from '../../policies/workingDays.ts';
import { calendarDate } from '../../lib/calendarDate.ts';
import type { Identity, PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import { DEFAULT_SETTINGS, SETTING_DEFAULTS, type SettingKey, type SettingsReader } from '../settings/settingDefinitions.ts';
import { applicationsWithOpenFieldContests, notSharedRefusals, recordRefusals, refusalsForApproval, refusalsForRejection, type FieldRefusalInput } from './fieldRefusals.ts';
import { applicationParams } from './applicationNotices.ts';
import { actingPerson, actingPersonRecord } from '../store/actingPerson.ts';

/** Working days a provider has to answer (R5), by default: the setting APPLICATION_ANSWER_WORKING_DAYS is in force. */
export const ANSWER_WORKING_DAYS = SETTING_DEFAULTS.APPLICATION_ANSWER_WORKING_DAYS;
/** The coordinating office: where escalations go. */
export const COORDINATOR = 'dgo';
/** The longest period a grant may be asked for, by default: the setting GRANT_MAX_DAYS is in force. */
export const MAX_GRANT_DAYS = SETTING_DEFAULTS.GRANT_MAX_DAYS;

export type ApplicationStatus =
  | 'PENDING' | 'APPROVED' | 'REJECTED' | 'REFUSED' | 'ESCALATED' | 'GRANTED_ON_ARBITRATION' | 'UPHELD_ON_ARBITRATION' | 'WITHDRAWN';

export interface ApplicationInput {
  readonly coordinates: readonly string[];
  readonly purpose: string;
  readonly justification: string;
  readonly legalBasis: string;
  readonly caseRef?: string | null;
  /** ISO date; default today. */
  readonly requestedFrom?: string | null;
  /** ISO date. */
  readonly requestedUntil: string;
}

export interface ApplicationRecord {
  readonly id: string;
  readonly consumer: string;
  readonly provider: string;
  readonly applicant: string;
  readonly purpose: string;
  readonly justification: string;
  readonly legalBasis: string;
  readonly caseRef: string | null;
  readonly requestedFrom: string;
  readonly requestedUntil: string;
  readonly status: ApplicationStatus;
  readonly submittedAt: string;
  readonly dueDate: string | null;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
  readonly decisionReason: string | null;
  readonly approvedUntil: string | null;
  readonly escalatedAt: string | null;
  readonly escalationCause: string | null;
  /** The person who drafted (submitted) it (issue 14); never its approver. */
  readonly draftedByPerson?: string | null;
  readonly fields: readonly { coordinate: string; sharingClass: string; approved: boolean | null }[];
}

export interface ApplicationEvent {
  readonly at: string; readonly actor: string; readonly action: string; readonly fromStatus: string | null; readonly toStatus: string; readonly reason: string | null;
  /** The person acting (issue 14), when a person did it. */
  readonly person?: { readonly id: string; readonly name: string } | null;
}

export class ApplicationError extends GraphQLError {
  constructor(message: string, code: ErrorCode = ErrorCode.BAD_USER_INPUT) {
    super(message, { extensions: { code } });
  }
}

export interface ApplicationServiceOptions {
  readonly store: PlatformStore;
  readonly calendar: WorkingDayCalendar;
  /** The snapshot applications are checked against (classes, purposes, providers). */
  readonly snapshot: () => PolicySnapshot;
  /** Called after a grant is created or ends, so the change reaches the next request. */
  readonly policyChanged: () => Promise<unknown>;
  /** Injected in tests to walk deadlines. @default () => new Date() */
  readonly clock?: () => Date;
  /** The deadlines and limits in force (answer days, longest grant). @default DEFAULT_SETTINGS */
  readonly settings?: SettingsReader;
}

const OPEN: readonly ApplicationStatus[] = ['PENDING'];
const ANSWERABLE_BY_PROVIDER: readonly ApplicationStatus[] = ['PENDING'];

function actorOf(identity: Identity): string {
  return `${identity.department}:${identity.credentialId}`;
}

/** An event's details: the person acting (issue 14), or none. */
function personDetails(): string | null {
  const person = actingPersonRecord();
  return person ? JSON.stringify({ person }) : null;
}

function personOfDetails(json: string | null): { id: string; name: string } | null {
  return json ? ((JSON.parse(json) as { person?: { id: string; name: string } }).person ?? null) : null;
}

export class ApplicationService {
  private readonly store: PlatformStore;
  private readonly db: Kysely<PlatformDatabase>;
  private readonly clock: () => Date;

  constructor(private readonly options: ApplicationServiceOptions) {
    this.store = options.store;
    this.db = options.store.db;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The due date of an application submitted at `at`: the `answerDays`-th working day after (R5). */
  dueDateFor(at: Date, answerDays: number = ANSWER_WORKING_DAYS): string {
    return this.options.calendar.addWorkingDays(chinaDate(at), answerDays);
  }

  /** A setting's value in force now (read per use, so a change on any replica applies at once). */
  private setting(key: SettingKey): Promise<number> {
    return (this.options.settings ?? DEFAULT_SETTINGS).value(key);
  }

  /** The longest grant (setting GRANT_MAX_DAYS), counted from the grant's first day; returns `until` when within it. */
  private async withinLongestGrant(application: ApplicationRecord, until: string): Promise<string> {
    const longest = await this.setting('GRANT_MAX_DAYS');
    const today = chinaDate(this.clock());
    const first = application.requestedFrom > today ? application.requestedFrom : today;
    const last = new Date(Date.parse(first) + longest * 86_400_000).toISOString().slice(0, 10);
    if (until > last) throw new ApplicationError(`a grant lasts at most ${longest} days (setting GRANT_MAX_DAYS, see platformSettings): from ${first} it may run until ${last} at the latest; give validUntil on or before ${last}`);
    return until;
  }

  /** Applies; returns one application per providing department. */
  async apply(identity: Identity, input: ApplicationInput): Promise<ApplicationRecord[]> {
    if (identity.kind === 'PLATFORM_ADMIN') throw new ApplicationError('the coordinating office arbitrates applications; a consumer department applies with its own app or administrator token', ErrorCode.FORBIDDEN);
    const snapshot = this.options.snapshot();
    const now = this.clock();
    const today = chinaDate(now);
    const [answerDays, longestGrant] = [await this.setting('APPLICATION_ANSWER_WORKING_DAYS'), await this.setting('GRANT_MAX_DAYS')];
    const coordinates = [...new Set(input.coordinates.map((c) => c.trim()))];
    const problems: string[] = [];
    if (coordinates.length === 0) problems.push('name at least one field coordinate (Type.field)');
    if (!snapshot.purposes.has(input.purpose)) problems.push(`purpose ${JSON.stringify(input.purpose)} is not registered or was deactivated; one of: ${[...snapshot.purposes].join(', ')}`);
    if (!input.justification.trim()) problems.push('state why the data is needed (justification)');
    if (!input.legalBasis.trim()) problems.push('cite the legal basis of the duty the data serves');
    // Real calendar days in range, or a 400 naming the argument (a malformed date once passed here and broke approval).
    const from = calendarDate(input.requestedFrom ?? today, { name: 'requestedFrom' });
    calendarDate(input.requestedUntil, { name: 'requestedUntil', notBefore: today, notBeforeMeaning: 'today (China time)' });
    if (input.requestedUntil <= from) problems.push('requestedUntil must be after requestedFrom');
    else if (Date.parse(input.requestedUntil) - Date.parse(from) > longestGrant * 86_400_000) problems.push(`a grant lasts at most ${longestGrant} days (setting GRANT_MAX_DAYS, see platformSettings); apply again to renew`);
    const unconditional: string[] = [];
    const own: string[] = [];
    const byProvider = new Map<string, { conditional: string[]; notShared: string[] }>();
    for (const coordinate of coordinates) {
      const policy = snapshot.fields.get(coordinate);
      if (!policy) {
        problems.push(`${JSON.stringify(coordinate)} is not a field of the supergraph`);
        continue;
      }
      if (policy.provider === identity.department) own.push(coordinate);
      else if (policy.sharingClass === 'UNCONDITIONAL') unconditional.push(coordinate);
      else {
        if (policy.sharingClass === 'CONDITIONAL' && policy.purposes.length && !policy.purposes.includes(input.purpose)) {
          problems.push(`${coordinate} may be shared only for ${policy.purposes.join(', ')}, not for ${input.purpose}`);
          continue;
        }
        const group = byProvider.get(policy.provider) ?? { conditional: [], notShared: [] };
        (policy.sharingClass === 'NOT_SHARED' ? group.notShared : group.conditional).push(coordinate);
        byProvider.set(policy.provider, group);
      }
    }
    if (unconditional.length) problems.push(`${unconditional.join(', ')} ${unconditional.length > 1 ? 'are' : 'is'} shared unconditionally: no application is needed, read ${unconditional.length > 1 ? 'them' : 'it'} with any allowed purpose`);
    if (own.length) problems.push(`${own.join(', ')} ${own.length > 1 ? 'are' : 'is'} your own department's data: no application is needed`);
    if (problems.length) throw new ApplicationError(`the application was not submitted: ${problems.join('; ')}`);

    const created: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const [provider, group] of byProvider) {
        for (const [fields, status] of [[group.conditional, 'PENDING'], [group.notShared, 'REFUSED']] as const) {
          if (fields.length === 0) continue;
          const id = `app-${chinaDate(now).replaceAll('-', '')}-${randomUUID().slice(0, 8)}`;
          const at = now.toISOString();
          const refusalReason = status === 'REFUSED'
            ? `not shared with other departments: ${fields.map((c) => `${c} — ${snapshot.fields.get(c)?.basis ?? 'no basis recorded'}`).join('; ')}. You may contest this refusal; it then goes to the coordinating office.`
            : null;
          await trx.insertInto('applications').values({
            id, consumer: identity.department, provider, applicant: actorOf(identity), purpose: input.purpose,
            justification: input.justification.trim(), legal_basis: input.legalBasis.trim(), case_ref: input.caseRef?.trim() || null,
            requested_from: from, requested_until: input.requestedUntil, status, submitted_at: at,
            due_date: status === 'PENDING' ? this.dueDateFor(now, answerDays) : null,
            decided_at: status === 'REFUSED' ? at : null, decided_by: status === 'REFUSED' ? 'system:not-shared' : null,
            decision_reason: refusalReason, approved_until: null, escalated_at: null, escalation_cause: null, updated_at: at,
            drafted_by_person: actingPerson()?.id ?? null,
          }).execute();
          for (const coordinate of fields) {
            await trx.insertInto('application_fields').values({ application_id: id, coordinate, sharing_class: snapshot.fields.get(coordinate)!.sharingClass, approved: status === 'REFUSED' ? 0 : null }).execute();
          }
          if (status === 'REFUSED') await recordRefusals(trx, id, notSharedRefusals(fields, (c) => snapshot.fields.get(c)), now, 'system:not-shared');
          await this.event(trx, id, actorOf(identity), 'SUBMIT', null, 'PENDING', input.justification.trim());
          if (status === 'REFUSED') await this.event(trx, id, 'system:not-shared', 'REFUSE', 'PENDING', 'REFUSED', refusalReason);
          await this.notify(trx, [identity.department, provider], status === 'REFUSED' ? 'APPLICATION_REFUSED' : 'APPLICATION_SUBMITTED', id,
            status === 'REFUSED'
              ? `application ${id} of ${identity.department} for ${fields.join(', ')} was refused at once: not shared`
              : `${identity.department} applied for ${fields.join(', ')} (${input.purpose}); answer due ${this.dueDateFor(now, answerDays)}`,
            status === 'REFUSED' ? {} : this.dueParams(now, answerDays));
          created.push(id);
        }
      }
    });
    return Promise.all(created.map(async (id) => (await this.get(id))!));
  }

  /** The provider approves, possibly fewer fields or a shorter period; grants are created in the same transaction. */
  async approve(
    identity: Identity, id: string,
    options: { coordinates?: readonly string[] | null; validUntil?: string | null; reason?: string | null; refusals?: readonly FieldRefusalInput[] | null } = {},
  ): Promise<ApplicationRecord> {
    const application = await this.require(id);
    this.requireProviderAdmin(identity, application);
    const chosen = this.chooseFields(application, options.coordinates);
    // R5: each field left out carries its legal ground and text, or nothing is recorded.
    const refusals = refusalsForApproval(application.fields.map((f) => f.coordinate), chosen, options.refusals, options.reason);
    const until = await this.withinLongestGrant(application, this.chooseUntil(application, options.validUntil));
    await this.decide(id, ANSWERABLE_BY_PROVIDER, 'APPROVED', actorOf(identity), 'APPROVE', options.reason?.trim() || null, async (trx) => {
      await this.grantFields(trx, application, chosen, until, actorOf(identity));
      await trx.updateTable('applications').set({ approved_until: until }).where('id', '=', id).execute();
      await recordRefusals(trx, id, refusals, this.clock(), actorOf(identity));
    }, `approved ${chosen.join(', ')} until ${until}`);
    await this.options.policyChanged();
    return (await this.get(id))!;
  }

  /** The provider rejects; a rejection must state its reason (R5). */
  async reject(identity: Identity, id: string, reason: string, given: readonly FieldRefusalInput[] | null = null): Promise<ApplicationRecord> {
    const application = await this.require(id);
    this.requireProviderAdmin(identity, application);
    if (!reason?.trim()) throw new ApplicationError('a rejection must state its reason (R5): say which condition is not met');
    const refusals = refusalsForRejection(application.fields.map((f) => f.coordinate), reason, given);
    await this.decide(id, ANSWERABLE_BY_PROVIDER, 'REJECTED', actorOf(identity), 'REJECT', reason.trim(), async (trx) => {
      await trx.updateTable('application_fields').set({ approved: 0 }).where('application_id', '=', id).execute();
      await recordRefusals(trx, id, refusals, this.clock(), actorOf(identity));
    }, `rejected: ${reason.trim()}`);
    return (await this.get(id))!;
  }

  /** The consumer contests a rejection or refusal: it goes to the coordinating office. */
  async contest(identity: Identity, id: string, reason: string): Promise<ApplicationRecord> {
    const application = await this.require(id);
    if (identity.department !== application.consumer || identity.kind === 'PLATFORM_ADMIN') throw new ApplicationError(`only ${application.consumer}, which applied, may contest`, ErrorCode.FORBIDDEN);
    if (!reason?.trim()) throw new ApplicationError('say why the decision should be reconsidered');
    await this.decide(id, ['REJECTED', 'REFUSED'], 'ESCALATED', actorOf(identity), 'CONTEST', reason.trim(), async (trx) => {
      await trx.updateTable('applications').set({ escalated_at: this.clock().toISOString(), escalation_cause: 'CONTESTED' }).where('id', '=', id).execute();
    }, `contested and sent to the coordinating office: ${reason.trim()}`, [COORDINATOR]);
    return (await this.get(id))!;
  }

  /** The consumer withdraws a pending application. */
  async withdraw(identity: Identity, id: string, reason: string | null): Promise<ApplicationRecord> {
    const application = await this.require(id);
    if (identity.department !== application.consumer) throw new ApplicationError(`only ${application.consumer}, which applied, may withdraw`, ErrorCode.FORBIDDEN);
    await this.decide(id, ['PENDING', 'ESCALATED'], 'WITHDRAWN', actorOf(identity), 'WITHDRAW', reason, async () => {}, 'withdrawn by the applicant');
    return (await this.get(id))!;
  }

  /** The coordinating office decides an escalated application: grant (possibly fewer fields or a shorter period) or uphold. */
  async arbitrate(identity: Identity, id: string, decision: { grant: boolean; reason: string; coordinates?: readonly string[] | null; validUntil?: string | null }): Promise<ApplicationRecord> {
    if (identity.kind !== 'PLATFORM_ADMIN') throw new ApplicationError('only the coordinating office (platform administrator) arbitrates escalated applications', ErrorCode.FORBIDDEN);
    if (!decision.reason?.trim()) throw new ApplicationError('an arbitration states its reason');
    const application = await this.require(id);
    if (decision.grant) {
      const chosen = this.chooseFields(application, decision.coordinates);
      const notShared = chosen.filter((c) => this.options.snapshot().fields.get(c)?.sharingClass === 'NOT_SHARED');
      if (notShared.length) {
        throw new ApplicationError(`${notShared.join(', ')} ${notShared.length > 1 ? 'are' : 'is'} classed not shared: change the field's policy (with its legal basis) before granting it`);
      }
      const until = await this.withinLongestGrant(application, this.chooseUntil(application, decision.validUntil));
      await this.decide(id, ['ESCALATED'], 'GRANTED_ON_ARBITRATION', actorOf(identity), 'ARBITRATE_GRANT', decision.reason.trim(), async (trx) => {
        await this.grantFields(trx, application, chosen, until, actorOf(identity));
        await trx.updateTable('applications').set({ approved_until: until }).where('id', '=', id).execute();
      }, `granted by the coordinating office: ${decision.reason.trim()}`, [COORDINATOR]);
      await this.options.policyChanged();
    } else {
      await this.decide(id, ['ESCALATED'], 'UPHELD_ON_ARBITRATION', actorOf(identity), 'ARBITRATE_UPHOLD', decision.reason.trim(), async () => {}, `the refusal is upheld by the coordinating office: ${decision.reason.trim()}`, [COORDINATOR]);
    }
    return (await this.get(id))!;
  }

  /**
   * Sends every application still unanswered after its due date to the coordinating office
   * (R5). Idempotent; run periodically and on demand. Returns the applications escalated.
   */
  async escalateOverdue(): Promise<string[]> {
    const today = chinaDate(this.clock());
    const overdue = await this.db.selectFrom('applications').select(['id', 'due_date']).where('status', '=', 'PENDING').where('due_date', '<', today).execute();
    const escalated: string[] = [];
    for (const { id, due_date } of overdue) {
      try {
        await this.decide(id, OPEN, 'ESCALATED', 'system:deadline', 'ESCALATE', `not answered by the due date ${due_date} (R5)`, async (trx) => {
          await trx.updateTable('applications').set({ escalated_at: this.clock().toISOString(), escalation_cause: 'OVERDUE' }).where('id', '=', id).execute();
        }, `unanswered by ${due_date}: sent to the coordinating office`, [COORDINATOR]);
        escalated.push(id);
      } catch (error) {
        // Answered between the read and the update: nothing to escalate.
        if (!(error instanceof ApplicationError)) throw error;
      }
    }
    return escalated;
  }

  async get(id: string): Promise<ApplicationRecord | null> {
    const row = await this.db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const fields = await this.db.selectFrom('application_fields').selectAll().where('application_id', '=', id).orderBy('coordinate').execute();
    return toRecord(row, fields);
  }

  /** Applications visible to the caller: its own as consumer and provider; all for the coordinating office. */
  async list(identity: Identity, filter: { status?: ApplicationStatus | null; role?: 'CONSUMER' | 'PROVIDER' | null } = {}): Promise<ApplicationRecord[]> {
    let query = this.db.selectFrom('applications').selectAll().orderBy('submitted_at', 'desc');
    if (filter.status) query = query.where('status', '=', filter.status);
    if (identity.kind !== 'PLATFORM_ADMIN' || filter.role) {
      const d = identity.department;
      if (filter.role === 'CONSUMER') query = query.where('consumer', '=', d);
      else if (filter.role === 'PROVIDER') query = query.where('provider', '=', d);
      else query = query.where((eb) => eb.or([eb('consumer', '=', d), eb('provider', '=', d)]));
    }
    const rows = await query.limit(1000).execute();
    if (rows.length === 0) return [];
    const fields = await this.db.selectFrom('application_fields').selectAll().where('application_id', 'in', rows.map((r) => r.id)).orderBy('coordinate').execute();
    return rows.map((row) => toRecord(row, fields.filter((f) => f.application_id === row.id)));
  }

  /** The provider's inbox: pending applications for its fields, earliest due first. */
  async inbox(identity: Identity): Promise<ApplicationRecord[]> {
    const pending = await this.list(identity, { status: 'PENDING', role: 'PROVIDER' });
    return pending.sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
  }

  /** The coordinating office's queue: escalated applications, and those with a contested field (fieldContests.ts). */
  async escalations(identity: Identity): Promise<ApplicationRecord[]> {
    if (identity.kind !== 'PLATFORM_ADMIN') throw new ApplicationError('the escalation queue is the coordinating office\'s', ErrorCode.FORBIDDEN);
    const escalated = await this.list(identity, { status: 'ESCALATED' });
    const contested = (await applicationsWithOpenFieldContests(this.db)).filter((id) => !escalated.some((a) => a.id === id));
    const withContests = (await Promise.all(contested.map((id) => this.get(id)))).filter((a): a is ApplicationRecord => a !== null);
    return [...escalated, ...withContests];
  }

  /** The store, clock and snapshot, for the per-field contests (fieldContests.ts) and notices built on this service. */
  get environment(): Pick<ApplicationServiceOptions, 'store' | 'snapshot' | 'policyChanged'> & { readonly clock: () => Date } {
    return { store: this.store, snapshot: this.options.snapshot, policyChanged: this.options.policyChanged, clock: this.clock };
  }

  async events(id: string): Promise<ApplicationEvent[]> {
    const rows = await this.db.selectFrom('application_events').selectAll().where('application_id', '=', id).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, fromStatus: r.from_status, toStatus: r.to_status, reason: r.reason, person: personOfDetails(r.details_json) }));
  }

  // --- internals ------------------------------------------------------------------------------

  private async require(id: string): Promise<ApplicationRecord> {
    const application = await this.get(id);
    if (!application) throw new ApplicationError(`no application ${id}`);
    return application;
  }

  private requireProviderAdmin(identity: Identity, application: ApplicationRecord): void {
    if (identity.kind !== 'DEPARTMENT_ADMIN' || identity.department !== application.provider) {
      throw new ApplicationError(`only an administrator of ${application.provider}, which provides the fields, answers this application`, ErrorCode.FORBIDDEN);
    }
  }

  private chooseFields(application: ApplicationRecord, coordinates: readonly string[] | null | undefined): string[] {
    const requested = application.fields.map((f) => f.coordinate);
    if (!coordinates || coordinates.length === 0) return requested;
    const extra = coordinates.filter((c) => !requested.includes(c));
    if (extra.length) throw new ApplicationError(`${extra.join(', ')} ${extra.length > 1 ? 'were' : 'was'} not applied for; approve some of: ${requested.join(', ')}`);
    return [...new Set(coordinates)];
  }

  private chooseUntil(application: ApplicationRecord, validUntil: string | null | undefined): string {
    if (!validUntil) return application.requestedUntil;
    calendarDate(validUntil, { name: 'validUntil' });
    if (validUntil > application.requestedUntil) throw new ApplicationError(`a grant may be shorter than asked, not longer: at most ${application.requestedUntil}`);
    if (validUntil <= chinaDate(this.clock())) throw new ApplicationError('validUntil must be in the future');
    return validUntil;
  }

  private async grantFields(trx: Transaction<PlatformDatabase>, application: ApplicationRecord, coordinates: readonly string[], until: string, actor: string): Promise<void> {
    await trx.updateTable('application_fields').set({ approved: 0 }).where('application_id', '=', application.id).execute();
    await trx.updateTable('application_fields').set({ approved: 1 }).where('application_id', '=', application.id).where('coordinate', 'in', [...coordinates]).execute();
    // The grant runs to the end of its last day, China time.
    const validUntil = new Date(Date.parse(`${until}T00:00:00+08:00`) + 86_400_000).toISOString();
    const validFrom = new Date(Math.max(this.clock().getTime(), Date.parse(`${application.requestedFrom}T00:00:00+08:00`))).toISOString();
    for (const coordinate of coordinates) {
      await this.store.insertGrant(trx, { consumer: application.consumer, coordinate, purpose: application.purpose, validFrom, validUntil, applicationId: application.id }, actor);
    }
  }

  /**
   * One state change: the status moves only from one of `from` (checked in the UPDATE, so of
   * two racing decisions exactly one wins), the change and its effects commit together, the
   * event is recorded, the departments concerned are notified, and a new policy version is
   * made when grants changed.
   */
  private async decide(
    id: string,
    from: readonly ApplicationStatus[],
    to: ApplicationStatus,
    actor: string,
    action: string,
    reason: string | null,
    effects: (trx: Transaction<PlatformDatabase>) => Promise<void>,
    message: string,
    alsoNotify: readonly string[] = [],
  ): Promise<void> {
    const grants = to === 'APPROVED' || to === 'GRANTED_ON_ARBITRATION';
    const run = async (trx: Transaction<PlatformDatabase>) => {
      const current = await trx.selectFrom('applications').select(['status', 'consumer', 'provider']).where('id', '=', id).executeTakeFirst();
      if (!current) throw new ApplicationError(`no application ${id}`);
      const at = this.clock().toISOString();
      const result = await trx
        .updateTable('applications')
        .set({ status: to, updated_at: at, ...(to === 'ESCALATED' || to === 'WITHDRAWN' ? {} : { decided_at: at, decided_by: actor, decision_reason: reason }) })
        .where('id', '=', id)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw new ApplicationError(`application ${id} is ${current.status.toLowerCase()}; it can be ${action.toLowerCase().replaceAll('_', ' ')}ed only when ${from.join(' or ').toLowerCase()}`, ErrorCode.CONFLICT);
      }
      await effects(trx);
      await this.event(trx, id, actor, action, current.status, to, reason);
      await this.notify(trx, [current.consumer, current.provider, ...alsoNotify], `APPLICATION_${to}`, id, `application ${id}: ${message}`);
    };
    if (grants) {
      await this.store.appendVersion('GRANT', `application ${id}: ${message}`, actor, async (trx, previous) => {
        await run(trx);
        return [...previous];
      });
    } else {
      await this.db.transaction().execute(run);
    }
  }

  private async event(trx: Transaction<PlatformDatabase>, applicationId: string, actor: string, action: string, from: string | null, to: string, reason: string | null): Promise<void> {
    await trx.insertInto('application_events').values({
      id: randomUUID(), application_id: applicationId, at: this.clock().toISOString(), actor, action, from_status: from, to_status: to, reason,
      // Issue 14: the person acting, beside the credential.
      details_json: personDetails(),
    }).execute();
  }

  /** Params: the application as it now is (applicationNotices.ts), and `extra`. */
  private async notify(trx: Transaction<PlatformDatabase>, departments: readonly string[], kind: string, applicationId: string, message: string, extra: NotificationParams = {}): Promise<void> {
    await queueNotification(trx, departments, kind, message, this.clock(), { applicationId }, { ...(await applicationParams(trx, applicationId)), ...extra });
  }

  /** The due date of an application submitted at `at`, and whether it is provisional (a year without a notice). */
  private dueParams(at: Date, answerDays: number): NotificationParams {
    const { date, provisional } = this.options.calendar.deadline(chinaDate(at), answerDays);
    return { dueDate: date, provisional };
  }
}

function toRecord(row: PlatformDatabase['applications'], fields: readonly PlatformDatabase['application_fields'][]): ApplicationRecord {
  return {
    id: row.id, consumer: row.consumer, provider: row.provider, applicant: row.applicant, purpose: row.purpose,
    justification: row.justification, legalBasis: row.legal_basis, caseRef: row.case_ref, requestedFrom: row.requested_from,
    requestedUntil: row.requested_until, status: row.status as ApplicationStatus, submittedAt: row.submitted_at, dueDate: row.due_date,
    decidedAt: row.decided_at, decidedBy: row.decided_by, decisionReason: row.decision_reason, approvedUntil: row.approved_until,
    escalatedAt: row.escalated_at, escalationCause: row.escalation_cause, draftedByPerson: row.drafted_by_person ?? null,
    fields: fields.map((f) => ({ coordinate: f.coordinate, sharingClass: f.sharing_class, approved: f.approved === null ? null : f.approved === 1 })),
  };
}
