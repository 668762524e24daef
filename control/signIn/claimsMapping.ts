/**
 * From the identity service's claims to who signs in (issue 14): the subject, the name, the
 * department and the roles, by the configured claim names and value maps (ClaimsMapping).
 * Pure: what the claims do not say clearly is refused with the reason, never guessed.
 */
import { PERSON_ROLES, type PersonRole } from '../people/people.ts';
import type { ClaimsMapping } from './signInSettings.ts';

export interface MappedIdentity {
  readonly subject: string;
  readonly name: string;
  readonly department: string;
  readonly roles: readonly PersonRole[];
}

export type ClaimsOutcome = { readonly ok: true; readonly identity: MappedIdentity } | { readonly ok: false; readonly reason: string };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : null;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => (text(v) ? [text(v)!] : []));
  const single = text(value);
  return single ? single.split(/[\s,]+/).filter(Boolean) : [];
}

/** `known`: the department codes that exist and are active. */
export function mapClaims(claims: Readonly<Record<string, unknown>>, mapping: ClaimsMapping, known: ReadonlySet<string>): ClaimsOutcome {
  const subject = text(claims[mapping.subject]);
  if (!subject) return { ok: false, reason: `the identity service's token has no "${mapping.subject}" claim (the person's identifier)` };
  const raw = text(claims[mapping.department]);
  if (!raw) return { ok: false, reason: `the identity service's token has no "${mapping.department}" claim (the department)` };
  const department = mapping.departmentMap[raw] ?? raw;
  if (!known.has(department)) return { ok: false, reason: `the department "${raw}" is not a member of this platform (or is deactivated)` };
  const roles = [...new Set(list(claims[mapping.roles]).flatMap((r) => {
    const role = mapping.roleMap[r] ?? r.toUpperCase();
    return (PERSON_ROLES as readonly string[]).includes(role) ? [role as PersonRole] : [];
  }))];
  if (roles.length === 0) return { ok: false, reason: `the identity service gives this person no role on this platform (claim "${mapping.roles}": drafter, approver or administrator)` };
  const name = text(claims[mapping.name]) ?? subject;
  return { ok: true, identity: { subject, name, department, roles } };
}
