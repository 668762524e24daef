/**
 * A sign-in half done, kept server-side for a few minutes: the TOTP step after a right password,
 * the forced password change after a one-time password, an OpenID Connect round trip (state,
 * nonce, PKCE verifier). The client holds an opaque random id; the store keeps its SHA-256, so
 * a read of the database gives no one a way to finish another's sign-in.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken, type PlatformDatabase } from '../store/platformStore.ts';

export type ChallengeKind = 'LOCAL_TOTP' | 'LOCAL_PASSWORD_CHANGE' | 'OIDC';

/** How long a challenge may be answered. @default 5 min */
export const CHALLENGE_TTL_MS = 5 * 60_000;

export class SignInChallenges {
  constructor(private readonly db: Kysely<PlatformDatabase>) {}

  async issue(kind: ChallengeKind, payload: Record<string, unknown>, now: Date, ttlMs = CHALLENGE_TTL_MS): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.db.deleteFrom('sign_in_challenges').where('expires_at', '<', now.toISOString()).execute();
    await this.db.insertInto('sign_in_challenges')
      .values({ id_hash: hashToken(id), kind, payload_json: JSON.stringify(payload), expires_at: new Date(now.getTime() + ttlMs).toISOString() })
      .execute();
    return id;
  }

  /** The payload of a live challenge of this kind (it stays, for another try), or null. */
  async peek<T>(kind: ChallengeKind, id: unknown, now: Date): Promise<T | null> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
    const row = await this.db.selectFrom('sign_in_challenges').selectAll()
      .where('id_hash', '=', hashToken(id)).where('kind', '=', kind).executeTakeFirst();
    if (!row || Date.parse(row.expires_at) <= now.getTime()) return null;
    return JSON.parse(row.payload_json) as T;
  }

  /** Uses a challenge up: true for exactly one caller (two replicas racing: one wins). */
  async consume(kind: ChallengeKind, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('sign_in_challenges').where('id_hash', '=', hashToken(id)).where('kind', '=', kind).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
