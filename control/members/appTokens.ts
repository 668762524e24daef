/**
 * App tokens for machines (issue 14): expiry, rotation with an overlap, last use, revocation
 * with a reason. Rotation keeps the app (its id, grants' audit, rate limits): a new token
 * replaces the current one, and the one it replaces stays valid until the overlap ends — so a
 * department can roll its systems over without a gap. A second rotation within the overlap
 * ends the oldest token at once (only the current and the one before are ever valid).
 */
import type { Kysely } from 'kysely';
import { hashToken, newToken, type PlatformDatabase } from '../store/platformStore.ts';

/** How long the previous token stays valid after a rotation. @default 24 hours */
export const DEFAULT_ROTATION_OVERLAP_MINUTES = 24 * 60;
/** At most a month of overlap: a rotation is meant to end the old token. */
export const MAX_ROTATION_OVERLAP_MINUTES = 30 * 24 * 60;

export async function rotateCredentialToken(
  db: Kysely<PlatformDatabase>, id: string, overlapMinutes: number, at: Date, expiresAt: string | null | undefined,
): Promise<{ token: string; previousValidUntil: string } | null> {
  const token = newToken('APP');
  const previousValidUntil = new Date(at.getTime() + overlapMinutes * 60_000).toISOString();
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('credentials').select(['token_hash']).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) return null;
    await trx.updateTable('credentials').set({
      token_hash: hashToken(token), previous_token_hash: row.token_hash, previous_valid_until: previousValidUntil, rotated_at: at.toISOString(),
      ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
    }).where('id', '=', id).where('token_hash', '=', row.token_hash).execute();
    return { token, previousValidUntil };
  });
}

export async function setCredentialExpiry(db: Kysely<PlatformDatabase>, id: string, expiresAt: string | null): Promise<void> {
  await db.updateTable('credentials').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}
