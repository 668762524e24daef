/**
 * The person acting in the current management request (issue 14), for the records it leaves:
 * policy versions, proposals, application events and drafts, notifications. The management
 * API runs each of a person's mutations inside `actAs` (control/members/personRoles.ts), so a
 * record written anywhere below — in a service, in a transaction, in a store helper — names
 * the person without every signature carrying them. Work outside a request (the deadline
 * sweep, the demo seed) and bare tokens run with nobody: the records name the credential only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** The person as records name them (structurally platformStore's PersonRef; kept here so the store can import this module). */
export interface PersonRef {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
}

const current = new AsyncLocalStorage<PersonRef>();

/** Runs `work` with `person` as the acting person (none: as today, the credential only). */
export function actAs<T>(person: PersonRef | undefined, work: () => T): T {
  return person ? current.run(person, work) : work();
}

/** The person acting now, or undefined for a bare token, an app or background work. */
export function actingPerson(): PersonRef | undefined {
  return current.getStore();
}

/** `{ id, name }` of the person acting now, for a record's details; null when nobody. */
export function actingPersonRecord(): { id: string; name: string } | null {
  const person = current.getStore();
  return person ? { id: person.id, name: person.name } : null;
}
