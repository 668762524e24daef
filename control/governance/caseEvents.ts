/**
 * The steps of a governance case — a sharing need, a rectification notice, a complaint — each
 * with who took it: the credential and, when a person acts (issue 14), that person
 * (control/store/actingPerson.ts). The management API's audit trail records every mutation as
 * well (adminAudit.ts); these rows are the case's own history, shown with the case.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { actingPersonRecord } from '../store/actingPerson.ts';
import type { Identity, PlatformDatabase } from '../store/platformStore.ts';

export type CaseKind = 'NEED' | 'RECTIFICATION' | 'COMPLAINT';

export interface CaseEvent {
  readonly at: string;
  readonly action: string;
  /** `department:credential`, or `system:…` for the deadline sweep. */
  readonly actor: string;
  readonly person: { readonly id: string; readonly name: string } | null;
  readonly note: string | null;
}

export function actorOf(identity: Identity): string {
  return `${identity.department}:${identity.credentialId}`;
}

/** Records one step, in the caller's transaction, naming the person acting now (if any). */
export async function recordCaseEvent(trx: Transaction<PlatformDatabase> | Kysely<PlatformDatabase>, kind: CaseKind, caseId: string, action: string, actor: string, at: Date, note: string | null = null): Promise<void> {
  const person = actingPersonRecord();
  await trx.insertInto('case_events').values({
    // Sortable: the time, then this process's clock (two steps in one millisecond keep their order).
    id: `${at.toISOString()}:${process.hrtime.bigint().toString().padStart(20, '0')}:${randomUUID().slice(0, 8)}`, case_kind: kind, case_id: caseId, at: at.toISOString(), action, actor, person_id: person?.id ?? null, person_name: person?.name ?? null, note,
  }).execute();
}

/** A case's steps, oldest first. */
export async function caseEvents(db: Kysely<PlatformDatabase>, kind: CaseKind, caseId: string): Promise<CaseEvent[]> {
  const rows = await db.selectFrom('case_events').selectAll().where('case_kind', '=', kind).where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => ({ at: r.at, action: r.action, actor: r.actor, person: r.person_id ? { id: r.person_id, name: r.person_name ?? r.person_id } : null, note: r.note }));
}
