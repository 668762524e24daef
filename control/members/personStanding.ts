/**
 * Whether a person may act now, and with which roles (issue 14). Read from the store on every
 * management request a person makes — not from the session or Identity — so a deactivation, a
 * role change or an acting approver's period takes effect on the next request on every replica.
 *
 * Glossary:
 * - effective roles: the person's own roles, plus APPROVER while an acting-approver period
 *   (代理审批人, named by the department administrator) covers now.
 */
import type { Kysely } from 'kysely';
import type { PersonRole, PlatformDatabase } from '../store/platformStore.ts';

export type PersonStanding =
  | { readonly status: 'ACTIVE'; readonly id: string; readonly name: string; readonly department: string; readonly roles: readonly PersonRole[]; readonly actingApproverUntil: string | null }
  | { readonly status: 'UNKNOWN'; readonly id: string }
  | { readonly status: 'DEACTIVATED'; readonly id: string; readonly name: string; readonly at: string }
  | { readonly status: 'DEPARTMENT_DEACTIVATED'; readonly id: string; readonly name: string; readonly department: string; readonly at: string };

export async function personStanding(db: Kysely<PlatformDatabase>, personId: string, now: Date): Promise<PersonStanding> {
  const row = await db.selectFrom('people').leftJoin('departments', 'departments.code', 'people.department')
    .select(['people.id', 'people.name', 'people.department', 'people.roles_json', 'people.deactivated_at', 'departments.deactivated_at as department_deactivated_at'])
    .where('people.id', '=', personId).executeTakeFirst();
  if (!row) return { status: 'UNKNOWN', id: personId };
  if (row.deactivated_at) return { status: 'DEACTIVATED', id: row.id, name: row.name, at: row.deactivated_at };
  if (row.department_deactivated_at) return { status: 'DEPARTMENT_DEACTIVATED', id: row.id, name: row.name, department: row.department, at: row.department_deactivated_at };
  const roles = new Set(JSON.parse(row.roles_json) as PersonRole[]);
  const acting = await actingApproverUntil(db, row.id, now);
  if (acting) roles.add('APPROVER');
  return { status: 'ACTIVE', id: row.id, name: row.name, department: row.department, roles: [...roles], actingApproverUntil: acting };
}

/** The end of the acting-approver period covering `now`, if any (periods are [from, until)). */
export async function actingApproverUntil(db: Kysely<PlatformDatabase>, personId: string, now: Date): Promise<string | null> {
  const at = now.toISOString();
  const row = await db.selectFrom('acting_approvers').select('valid_until').where('person_id', '=', personId).where('ended_at', 'is', null)
    .where('valid_from', '<=', at).where('valid_until', '>', at).orderBy('valid_until', 'desc').executeTakeFirst();
  return row?.valid_until ?? null;
}
