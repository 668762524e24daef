/**
 * Offboarding (issue 14): a deactivated person keeps their row (history names them) and can no
 * longer act; their open drafts — pending or escalated applications, pending or contested
 * policy proposals — pass to their department's administrator, with an event on each case.
 *
 * Sessions: the management API reads every person's standing on each request
 * (personStandingPlugin.ts), so a deactivated person's session is refused on its next request
 * on every replica. Sign-in (control/signIn) may also end sessions at once by registering a
 * hook in `onPersonDeactivated`; hooks run after the deactivation committed, and a failing
 * hook is logged, never undoing it.
 */
import { defaultLogger, logLine } from '../../lib/logger.ts';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { queueNotification } from '../notifications/queueNotification.ts';

export interface PersonDeactivated {
  readonly personId: string;
  readonly department: string;
  readonly at: Date;
  /** The platform store the person was deactivated in (several platforms may share a process in tests). */
  readonly db: Kysely<PlatformDatabase>;
}

/** Called after a person's deactivation committed, e.g. to end their sessions at once. */
export const onPersonDeactivated = new Set<(event: PersonDeactivated) => void | Promise<void>>();

export interface Offboarding {
  /** Who received the open drafts: the department's administrator, or null when it has none (then any approver may take them). */
  readonly draftsTo: { readonly id: string; readonly name: string } | null;
  readonly applications: readonly string[];
  readonly proposals: readonly string[];
}

const OPEN_APPLICATIONS = ['PENDING', 'ESCALATED'];
const OPEN_PROPOSALS = ['PENDING', 'CONTESTED'];

/** Deactivates a person and passes their open drafts on; null when already deactivated. */
export async function deactivatePerson(db: Kysely<PlatformDatabase>, personId: string, actor: string, reason: string, at: Date, log: (m: string) => void = logLine(defaultLogger().child({ component: 'members' }), 'warn')): Promise<Offboarding | null> {
  const iso = at.toISOString();
  const result = await db.transaction().execute(async (trx) => {
    const person = await trx.selectFrom('people').select(['id', 'department', 'name']).where('id', '=', personId).executeTakeFirst();
    if (!person) return null;
    const updated = await trx.updateTable('people').set({ deactivated_at: iso, deactivated_by: actor, deactivation_reason: reason })
      .where('id', '=', personId).where('deactivated_at', 'is', null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return null;
    const admins = await trx.selectFrom('people').select(['id', 'name', 'roles_json']).where('department', '=', person.department)
      .where('deactivated_at', 'is', null).where('id', '!=', personId).orderBy('created_at').orderBy('id').execute();
    const admin = admins.find((p) => (JSON.parse(p.roles_json) as string[]).includes('ADMINISTRATOR'));
    const draftsTo = admin ? { id: admin.id, name: admin.name } : null;
    const applications = (await trx.selectFrom('applications').select(['id', 'status']).where('drafted_by_person', '=', personId).where('status', 'in', OPEN_APPLICATIONS).execute());
    const proposals = (await trx.selectFrom('policy_proposals').select('id').where('proposed_by_person', '=', personId).where('status', 'in', OPEN_PROPOSALS).execute()).map((r) => r.id);
    if (applications.length) {
      await trx.updateTable('applications').set({ drafted_by_person: draftsTo?.id ?? null }).where('id', 'in', applications.map((a) => a.id)).execute();
      for (const a of applications) {
        await trx.insertInto('application_events').values({
          id: randomUUID(), application_id: a.id, at: iso, actor, action: 'DRAFT_TRANSFERRED', from_status: a.status, to_status: a.status,
          reason: `${person.name} was deactivated (${reason}); the draft passes to ${draftsTo ? draftsTo.name : 'the department administrator'}`,
          details_json: JSON.stringify({ from: { id: person.id, name: person.name }, to: draftsTo }),
        }).execute();
      }
    }
    if (proposals.length) await trx.updateTable('policy_proposals').set({ proposed_by_person: draftsTo?.id ?? null }).where('id', 'in', proposals).execute();
    await queueNotification(trx, [person.department], 'PERSON_DEACTIVATED',
      `${person.name} 已停用：${reason}。其未办结的 ${applications.length + proposals.length} 件经办事项已转交${draftsTo ? ` ${draftsTo.name}` : '部门管理员'}`, at, {},
      { personId: person.id, personName: person.name, draftsTo: draftsTo?.id ?? null, transferred: applications.length + proposals.length });
    return { person, offboarding: { draftsTo, applications: applications.map((a) => a.id), proposals } };
  });
  if (!result) return null;
  for (const hook of onPersonDeactivated) {
    try {
      await hook({ personId, department: result.person.department, at, db });
    } catch (error) {
      log(`[members] a deactivation hook failed for ${personId}: ${(error as Error).message}`);
    }
  }
  return result.offboarding;
}
