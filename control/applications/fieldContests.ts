/**
 * Contesting one refused field (R5): the consumer contests a field a partial approval left
 * out, on its own; the approved fields' grants stay in force; the field goes to the
 * coordinating office's escalations with its refusal, and the office decides that field alone —
 * granting it (a grant for that field only) or upholding the refusal, with its reason. The
 * decision is final for that field: it is contested once.
 *
 * 003 (template art. 10): 有条件共享类中提供部门不予共享的信息资源,使用部门因履行职责确需使用的,
 * 由电子政务办协调解决; 000 art. 13: if negotiation fails, the competent department decides.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { ErrorCode } from '../../lib/errors.ts';
import { calendarDate } from '../../lib/calendarDate.ts';
import { chinaDate } from '../../policies/workingDays.ts';
import { queueNotification } from '../notifications/queueNotification.ts';
import type { Identity, PlatformDatabase } from '../store/platformStore.ts';
import { ApplicationError, COORDINATOR, type ApplicationRecord, type ApplicationService } from './applicationService.ts';
import { applicationParams } from './applicationNotices.ts';
import { fieldDecisionsOf, withRefusalTables } from './fieldRefusals.ts';
import { actingPersonRecord } from '../store/actingPerson.ts';

/** Only a partial approval's refused fields are contested one by one; a whole rejection is contested whole (contestApplication). */
const CONTESTABLE_BY_FIELD = ['APPROVED'] as const;

function actorOf(identity: Identity): string {
  return `${identity.department}:${identity.credentialId}`;
}

export class FieldContests {
  constructor(private readonly applications: ApplicationService) {}

  /** The consumer contests one refused field; it goes to the coordinating office with its refusal. */
  async contest(identity: Identity, id: string, coordinate: string, reason: string): Promise<ApplicationRecord> {
    const application = await this.require(id);
    if (identity.department !== application.consumer || identity.kind === 'PLATFORM_ADMIN') {
      throw new ApplicationError(`only ${application.consumer}, which applied, may contest a refused field of application ${id}`, ErrorCode.FORBIDDEN);
    }
    if (!reason?.trim()) throw new ApplicationError('say why the refusal of this field should be reconsidered (reason)');
    const { refusal, contest } = await this.fieldOf(application, coordinate);
    if (!(CONTESTABLE_BY_FIELD as readonly string[]).includes(application.status)) {
      throw new ApplicationError(`application ${id} is ${application.status.toLowerCase()}: a field is contested on its own only when the application was partially approved; contest a rejection or refusal whole (contestApplication)`, ErrorCode.CONFLICT);
    }
    if (!refusal) throw new ApplicationError(`${coordinate} of application ${id} was not refused: only a refused field is contested`);
    if (contest) throw new ApplicationError(`${coordinate} of application ${id} was already contested (${contest.status.toLowerCase()}): the coordinating office's decision on a field is final`, ErrorCode.CONFLICT);
    const { store, clock } = this.applications.environment;
    const at = clock();
    await store.db.transaction().execute(async (trx) => {
      // The primary key (application, field) makes a racing second contest fail here.
      await withRefusalTables(trx).insertInto('application_field_contests').values({
        application_id: id, coordinate, reason: reason.trim(), contested_at: at.toISOString(), contested_by: actorOf(identity), status: 'OPEN',
        decided_at: null, decided_by: null, decision_reason: null, granted_until: null,
      }).execute();
      await this.event(trx, application, actorOf(identity), 'CONTEST_FIELD', `${coordinate}: ${reason.trim()}`, at);
      await queueNotification(trx, [application.consumer, application.provider, COORDINATOR], 'APPLICATION_FIELD_CONTESTED',
        `${application.consumer} 对申请 ${id} 中被拒绝的 ${coordinate} 提出异议,已提交协调部门(电子政务主管部门)协调:${reason.trim()}`, at, { applicationId: id },
        { ...(await applicationParams(trx, id)), coordinate, ground: refusal.ground, lawName: refusal.lawName, refusalText: refusal.text, reason: reason.trim() });
    }).catch(async (error: unknown) => {
      if ((await this.fieldOf(application, coordinate)).contest) {
        throw new ApplicationError(`${coordinate} of application ${id} was contested meanwhile: the coordinating office decides it once`, ErrorCode.CONFLICT);
      }
      throw error;
    });
    return (await this.applications.get(id))!;
  }

  /** The coordinating office decides one contested field: grant it (that field only) or uphold its refusal. Final for the field. */
  async arbitrate(identity: Identity, id: string, coordinate: string, decision: { grant: boolean; reason: string; validUntil?: string | null }): Promise<ApplicationRecord> {
    if (identity.kind !== 'PLATFORM_ADMIN') throw new ApplicationError('only the coordinating office (platform administrator) arbitrates a contested field', ErrorCode.FORBIDDEN);
    if (!decision.reason?.trim()) throw new ApplicationError('an arbitration states its reason');
    const application = await this.require(id);
    const { contest } = await this.fieldOf(application, coordinate);
    if (contest?.status !== 'OPEN') {
      throw new ApplicationError(`${coordinate} of application ${id} is ${contest ? `already decided (${contest.status.toLowerCase()})` : 'not contested'}: only an open field contest is arbitrated`, ErrorCode.CONFLICT);
    }
    const env = this.applications.environment;
    const reason = decision.reason.trim();
    if (!decision.grant) {
      await env.store.db.transaction().execute((trx) => this.close(trx, identity, application, coordinate, 'UPHELD', reason, null));
      return (await this.applications.get(id))!;
    }
    if (env.snapshot().fields.get(coordinate)?.sharingClass === 'NOT_SHARED') {
      throw new ApplicationError(`${coordinate} is classed not shared: change the field's policy (with its legal basis) before granting it`);
    }
    const until = this.until(application, decision.validUntil);
    await env.store.appendVersion('GRANT', `application ${id}: ${coordinate} granted by the coordinating office: ${reason}`, actorOf(identity), async (trx, previous) => {
      await trx.updateTable('application_fields').set({ approved: 1 }).where('application_id', '=', id).where('coordinate', '=', coordinate).execute();
      await this.close(trx, identity, application, coordinate, 'GRANTED', reason, until);
      // The grant runs to the end of its last day, China time; for this field only.
      const validUntil = new Date(Date.parse(`${until}T00:00:00+08:00`) + 86_400_000).toISOString();
      const validFrom = new Date(Math.max(env.clock().getTime(), Date.parse(`${application.requestedFrom}T00:00:00+08:00`))).toISOString();
      await env.store.insertGrant(trx, { consumer: application.consumer, coordinate, purpose: application.purpose, validFrom, validUntil, applicationId: id }, actorOf(identity));
      return [...previous];
    });
    await env.policyChanged();
    return (await this.applications.get(id))!;
  }

  private async require(id: string): Promise<ApplicationRecord> {
    const application = await this.applications.get(id);
    if (!application) throw new ApplicationError(`no application ${id}`);
    return application;
  }

  private async fieldOf(application: ApplicationRecord, coordinate: string) {
    if (!application.fields.some((f) => f.coordinate === coordinate)) {
      throw new ApplicationError(`${JSON.stringify(coordinate)} is not a field of application ${application.id}: ${application.fields.map((f) => f.coordinate).join(', ')}`);
    }
    const decisions = (await fieldDecisionsOf(this.applications.environment.store.db, [application.id])).get(application.id)!;
    return { refusal: decisions.refusals.find((r) => r.coordinate === coordinate), contest: decisions.contests.find((c) => c.coordinate === coordinate) };
  }

  /** A grant may be shorter than asked, not longer, and ends in the future; default: as asked. */
  private until(application: ApplicationRecord, validUntil: string | null | undefined): string {
    if (!validUntil) return application.requestedUntil;
    calendarDate(validUntil, { name: 'validUntil' });
    if (validUntil > application.requestedUntil) throw new ApplicationError(`a grant may be shorter than asked, not longer: at most ${application.requestedUntil}`);
    if (validUntil <= chinaDate(this.applications.environment.clock())) throw new ApplicationError('validUntil must be in the future');
    return validUntil;
  }

  /** Records the decision (only on an open contest, so of two racing decisions one wins), its event and notification. */
  private async close(
    trx: Transaction<PlatformDatabase>, identity: Identity, application: ApplicationRecord, coordinate: string, status: 'GRANTED' | 'UPHELD', reason: string, until: string | null,
  ): Promise<void> {
    const at = this.applications.environment.clock();
    const result = await withRefusalTables(trx).updateTable('application_field_contests')
      .set({ status, decided_at: at.toISOString(), decided_by: actorOf(identity), decision_reason: reason, granted_until: until })
      .where('application_id', '=', application.id).where('coordinate', '=', coordinate).where('status', '=', 'OPEN')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new ApplicationError(`${coordinate} of application ${application.id} was decided meanwhile`, ErrorCode.CONFLICT);
    await this.event(trx, application, actorOf(identity), status === 'GRANTED' ? 'ARBITRATE_FIELD_GRANT' : 'ARBITRATE_FIELD_UPHOLD', `${coordinate}: ${reason}`, at);
    const message = status === 'GRANTED'
      ? `协调部门(电子政务主管部门)就申请 ${application.id} 的 ${coordinate} 作出决定:予以共享,至 ${until}。理由:${reason}`
      : `协调部门(电子政务主管部门)就申请 ${application.id} 的 ${coordinate} 作出决定:维持不予共享。理由:${reason}`;
    await queueNotification(trx, [application.consumer, application.provider, COORDINATOR], 'APPLICATION_FIELD_ARBITRATED', message, at, { applicationId: application.id },
      { ...(await applicationParams(trx, application.id)), coordinate, decision: status, reason, validUntil: until });
  }

  private async event(trx: Transaction<PlatformDatabase>, application: ApplicationRecord, actor: string, action: string, reason: string, at: Date): Promise<void> {
    await trx.insertInto('application_events').values({
      id: randomUUID(), application_id: application.id, at: at.toISOString(), actor, action, from_status: application.status, to_status: application.status, reason,
      details_json: actingPersonRecord() ? JSON.stringify({ person: actingPersonRecord() }) : null,
    }).execute();
  }
}
