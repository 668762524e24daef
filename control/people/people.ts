/**
 * People (issue 14): named accounts that belong to a department, with roles. A person acts in
 * the management API and the console through a signed-in session (control/signIn); apps stay
 * machine credentials. Every record a person's action leaves names the person (R10).
 *
 * Glossary:
 * - drafter (经办人): prepares a case — an application, a policy proposal, an answer.
 * - approver (审批人): decides a case; never the case's own drafter.
 * - department administrator: manages the department's people and apps.
 * A person of the coordinating office (the COORDINATOR department) acts for the office, with
 * the same roles; such a session is a PLATFORM_ADMIN identity, anyone else's a DEPARTMENT_ADMIN.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PersonRef, PersonRole, PlatformDatabase } from '../store/platformStore.ts';

export type { PersonRef, PersonRole };
export const PERSON_ROLES: readonly PersonRole[] = ['DRAFTER', 'APPROVER', 'ADMINISTRATOR'];

export interface Person extends PersonRef {
  readonly department: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Deactivation keeps the person (history names them) and refuses new use. */
  readonly deactivatedAt: string | null;
  readonly deactivatedBy: string | null;
  readonly deactivationReason: string | null;
}

function toPerson(row: PlatformDatabase['people']): Person {
  return {
    id: row.id, department: row.department, name: row.name, roles: JSON.parse(row.roles_json) as PersonRole[],
    createdAt: row.created_at, createdBy: row.created_by,
    deactivatedAt: row.deactivated_at, deactivatedBy: row.deactivated_by, deactivationReason: row.deactivation_reason,
  };
}

export interface NewPerson {
  readonly department: string;
  readonly name: string;
  readonly roles: readonly PersonRole[];
}

/** Adds a person; validation (department exists and is active, roles known) is the caller's. */
export async function insertPerson(db: Kysely<PlatformDatabase>, person: NewPerson, actor: string, now: Date): Promise<Person> {
  const row: PlatformDatabase['people'] = {
    id: `person-${randomUUID()}`, department: person.department, name: person.name, roles_json: JSON.stringify([...new Set(person.roles)]),
    created_at: now.toISOString(), created_by: actor, deactivated_at: null, deactivated_by: null, deactivation_reason: null,
  };
  await db.insertInto('people').values(row).execute();
  return toPerson(row);
}

export async function personById(db: Kysely<PlatformDatabase>, id: string): Promise<Person | null> {
  const row = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPerson(row) : null;
}

export async function peopleOf(db: Kysely<PlatformDatabase>, department: string): Promise<Person[]> {
  const rows = await db.selectFrom('people').selectAll().where('department', '=', department).orderBy('created_at').orderBy('id').execute();
  return rows.map(toPerson);
}
