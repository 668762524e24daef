/**
 * Acting approvers (代理审批人, issue 14): a department administrator names a person of the
 * department approver for a period [validFrom, validUntil) — e.g. while the approver is away.
 * During it the person has the APPROVER role (personStanding.ts); the drafter of a case still
 * may not approve it. Ending a period early keeps the record.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PlatformDatabase } from '../store/platformStore.ts';

export interface ActingApprover {
  readonly id: string; readonly department: string; readonly personId: string; readonly validFrom: string; readonly validUntil: string;
  readonly reason: string; readonly namedAt: string; readonly namedBy: string; readonly endedAt: string | null; readonly endedBy: string | null;
}

function view(r: PlatformDatabase['acting_approvers']): ActingApprover {
  return {
    id: r.id, department: r.department, personId: r.person_id, validFrom: r.valid_from, validUntil: r.valid_until, reason: r.reason,
    namedAt: r.named_at, namedBy: r.named_by, endedAt: r.ended_at, endedBy: r.ended_by,
  };
}

export async function nameActingApprover(db: Kysely<PlatformDatabase>, a: { department: string; personId: string; validFrom: string; validUntil: string; reason: string; namedBy: string; at: Date }): Promise<ActingApprover> {
  const row: PlatformDatabase['acting_approvers'] = {
    id: `acting-${randomUUID()}`, department: a.department, person_id: a.personId, valid_from: a.validFrom, valid_until: a.validUntil, reason: a.reason,
    named_at: a.at.toISOString(), named_by: a.namedBy, ended_at: null, ended_by: null,
  };
  await db.insertInto('acting_approvers').values(row).execute();
  return view(row);
}

export async function actingApproverById(db: Kysely<PlatformDatabase>, id: string): Promise<ActingApprover | null> {
  const row = await db.selectFrom('acting_approvers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? view(row) : null;
}

export async function actingApproversOf(db: Kysely<PlatformDatabase>, department: string): Promise<ActingApprover[]> {
  return (await db.selectFrom('acting_approvers').selectAll().where('department', '=', department).orderBy('valid_from', 'desc').execute()).map(view);
}

/** Ends a period now; false when it had already ended. */
export async function endActingApprover(db: Kysely<PlatformDatabase>, id: string, actor: string, at: Date): Promise<boolean> {
  const result = await db.updateTable('acting_approvers').set({ ended_at: at.toISOString(), ended_by: actor }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
