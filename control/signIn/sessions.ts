/**
 * Server-side console sessions (issue 14, R10). The browser holds an opaque random id in an
 * HttpOnly cookie; the store keeps its SHA-256. Each request resolves the session afresh —
 * one indexed read of the session with its person, one of the department, no cache — so a
 * session ended on one replica, or whose person or department was deactivated, is refused on
 * the next request on every replica.
 *
 * Glossary
 * - idle timeout: the session is over when unused for `idleMs` (last use is written at most
 *   every TOUCH_INTERVAL_MS, so idleness is measured to within that).
 * - absolute timeout: the session is over `absoluteMs` after sign-in, however busy.
 * - CSRF token: HMAC-SHA256 of the session id; cookie-authenticated requests to the management
 *   API must carry it in `X-CSRF-Token` (a page of another site can send the cookie but cannot
 *   read the id, so cannot make the token).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken, type Identity, type PersonRole, type PlatformDatabase } from '../store/platformStore.ts';
import type { SessionSettings } from './signInSettings.ts';

/** How a session was opened. */
export type SignInMethod = 'LOCAL' | 'OIDC';

/** Why a session is over, as the person is told. */
export type SessionEnd = 'SIGNED_OUT' | 'IDLE_TIMEOUT' | 'ABSOLUTE_TIMEOUT' | 'PERSON_DEACTIVATED' | 'DEPARTMENT_DEACTIVATED' | 'PASSWORD_RESET' | 'UNKNOWN';

/** Last use is written no more often than this (one write per request would be wasteful). */
export const TOUCH_INTERVAL_MS = 30_000;

/** The credential id a person's session acts under: audit records and every `…By` column name the person. */
export function sessionCredentialId(personId: string): string {
  return `session:${personId}`;
}

export function csrfTokenOf(sessionId: string): string {
  return createHmac('sha256', sessionId).update('govgraph csrf v1').digest('base64url');
}

export function csrfTokenMatches(sessionId: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenOf(sessionId));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type SessionResolution =
  | { readonly live: true; readonly identity: Identity; readonly method: SignInMethod; readonly expiresAt: string }
  | { readonly live: false; readonly end: SessionEnd };

export class Sessions {
  constructor(private readonly db: Kysely<PlatformDatabase>, private readonly settings: SessionSettings) {}

  /** Opens a session; the id is returned once (for the cookie) and kept only hashed. */
  async open(personId: string, method: SignInMethod, now: Date): Promise<{ id: string; expiresAt: string }> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.settings.absoluteMs).toISOString();
    await this.db.insertInto('sign_in_sessions').values({
      id_hash: hashToken(id), person_id: personId, method, created_at: now.toISOString(), last_seen_at: now.toISOString(), expires_at: expiresAt, ended_at: null, end_reason: null,
    }).execute();
    return { id, expiresAt };
  }

  async resolve(id: string, now: Date): Promise<SessionResolution> {
    if (id.length === 0 || id.length > 100) return { live: false, end: 'UNKNOWN' };
    const idHash = hashToken(id);
    const row = await this.db.selectFrom('sign_in_sessions')
      .innerJoin('people', 'people.id', 'sign_in_sessions.person_id')
      .select(['sign_in_sessions.method', 'sign_in_sessions.created_at', 'sign_in_sessions.last_seen_at', 'sign_in_sessions.expires_at', 'sign_in_sessions.ended_at', 'sign_in_sessions.end_reason',
        'people.id as person_id', 'people.name', 'people.roles_json', 'people.department', 'people.deactivated_at'])
      .where('sign_in_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return { live: false, end: 'UNKNOWN' };
    if (row.ended_at) return { live: false, end: (row.end_reason ?? 'SIGNED_OUT') as SessionEnd };
    // The department's row, whole: a deactivation column (issue 14, members) is honoured when the store has one.
    const department = await this.db.selectFrom('departments').selectAll().where('code', '=', row.department).executeTakeFirst() as (PlatformDatabase['departments'] & { deactivated_at?: string | null }) | undefined;
    const end: SessionEnd | null =
      row.deactivated_at ? 'PERSON_DEACTIVATED'
        : !department || department.deactivated_at ? 'DEPARTMENT_DEACTIVATED'
          : Date.parse(row.expires_at) <= now.getTime() ? 'ABSOLUTE_TIMEOUT'
            : now.getTime() - Date.parse(row.last_seen_at) >= this.settings.idleMs ? 'IDLE_TIMEOUT'
              : null;
    if (end) {
      await this.end(id, end, now);
      return { live: false, end };
    }
    if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_INTERVAL_MS) {
      await this.db.updateTable('sign_in_sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).where('ended_at', 'is', null).execute();
    }
    const roles = JSON.parse(row.roles_json) as PersonRole[];
    const identity: Identity = {
      credentialId: sessionCredentialId(row.person_id),
      // The coordinating office's people act for the platform; anyone else's for their department.
      kind: department!.role === 'COORDINATOR' ? 'PLATFORM_ADMIN' : 'DEPARTMENT_ADMIN',
      department: row.department, name: row.name,
      person: { id: row.person_id, name: row.name, roles },
    };
    return { live: true, identity, method: row.method as SignInMethod, expiresAt: row.expires_at };
  }

  /** Ends one session; false when it was already over. */
  async end(id: string, reason: SessionEnd, now: Date): Promise<boolean> {
    const result = await this.db.updateTable('sign_in_sessions').set({ ended_at: now.toISOString(), end_reason: reason })
      .where('id_hash', '=', hashToken(id)).where('ended_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Ends every open session of a person (a password reset); how many were open. */
  async endAllOf(personId: string, reason: SessionEnd, now: Date): Promise<number> {
    const result = await this.db.updateTable('sign_in_sessions').set({ ended_at: now.toISOString(), end_reason: reason })
      .where('person_id', '=', personId).where('ended_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
