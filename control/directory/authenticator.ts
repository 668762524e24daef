/**
 * Identity: `Authorization: Bearer <token>` → app (or admin) → department. Missing or
 * unknown tokens are refused with HTTP 401 before anything else happens (R10).
 */
import { HttpError } from '../../lib/http.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { hashToken, type Identity, type PlatformStore, type TokenStanding } from '../store/platformStore.ts';

/**
 * A token's identity is remembered this long. A revocation (or a new token) empties the cache of
 * every replica at once through the change feed (`tokens`); this bound is the fallback when a
 * notification is lost. @default 1000 ms
 */
export const IDENTITY_CACHE_MS = 1000;
const CACHE_LIMIT = 10_000;

/** How often a token's last use is written, at most: one write a minute per token, not one per request. @default 60 000 ms */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** Forgets cached identities (after a revocation through this replica). */
  forget(): void;
}

export function createAuthenticator(store: PlatformStore, clock: () => Date = () => new Date()): Authenticator {
  const cache = new Map<string, { standing: TokenStanding; until: number }>();
  // R10: a lookup that began before a revocation was announced must not be remembered after it.
  let generation = 0;
  const forget = () => {
    generation++;
    cache.clear();
  };
  store.changes.subscribe('tokens', forget);
  /** When this replica last wrote each credential's last use (other replicas write theirs). */
  const written = new Map<string, number>();
  const noteUse = (id: string, lastUsedAt: string | null, now: number): void => {
    const last = Math.max(written.get(id) ?? 0, lastUsedAt ? Date.parse(lastUsedAt) : 0);
    if (now - last < LAST_USED_RESOLUTION_MS) return;
    written.set(id, now);
    if (written.size > CACHE_LIMIT) written.delete(written.keys().next().value!);
    // Not awaited: a request never waits for (or fails on) its token's last-use time.
    void store.noteCredentialUse(id, new Date(now)).catch(() => written.delete(id));
  };
  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) {
        throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'send your app token as "Authorization: Bearer <token>"; a department administrator issues app tokens in /admin/graphql', { 'www-authenticate': 'Bearer realm="govgraph"' });
      }
      const token = match[1]!;
      const key = hashToken(token);
      const now = clock().getTime();
      let entry = cache.get(key);
      if (!entry || entry.until < now || entry.until - now > IDENTITY_CACHE_MS) {
        const asked = generation;
        entry = { standing: await store.tokenStanding(token, new Date(now)), until: now + IDENTITY_CACHE_MS };
        if (asked === generation) {
          cache.set(key, entry);
          if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        }
      }
      let standing = entry.standing;
      // A cached identity past its expiry is expired now, not a second later.
      if (standing.status === 'VALID' && standing.expiresAt && Date.parse(standing.expiresAt) <= now) {
        standing = { status: 'EXPIRED', credentialId: standing.identity.credentialId, expiredAt: standing.expiresAt };
      }
      switch (standing.status) {
        case 'VALID':
          noteUse(standing.identity.credentialId, standing.lastUsedAt, now);
          return standing.identity;
        case 'UNKNOWN':
          throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the token is unknown or revoked; ask your department administrator for a valid app token', { 'www-authenticate': 'Bearer realm="govgraph", error="invalid_token"' });
        case 'EXPIRED':
          throw new HttpError(401, ErrorCode.UNAUTHENTICATED, `the token of ${standing.credentialId} expired at ${standing.expiredAt}; ask your department administrator to rotate it (rotateAppToken) or issue a new one`, { 'www-authenticate': 'Bearer realm="govgraph", error="invalid_token", error_description="token expired"' });
        case 'DEPARTMENT_DEACTIVATED':
          throw new HttpError(403, ErrorCode.FORBIDDEN, `department ${standing.department} was deactivated at ${standing.deactivatedAt}: its apps and administrators are no longer accepted; the coordinating office can tell you more`);
        default:
          return unreachable(standing);
      }
    },
    forget,
  };
}

function unreachable(value: never): never {
  throw new Error(`unknown token standing ${JSON.stringify(value)}`);
}

/**
 * The data graph answers apps only (R10: access is authorized per app, and every access record
 * names the app): an administrator's token manages the platform in /admin/graphql and reads
 * no data, so an administrator cannot read around the apps' grants, rate limits and audit.
 */
export function requireAppIdentity(identity: Identity): Identity {
  if (identity.kind === 'APP') return identity;
  const holder = identity.kind === 'PLATFORM_ADMIN' ? 'the platform administrator' : `a department administrator of ${identity.department}`;
  throw new HttpError(403, ErrorCode.FORBIDDEN, `this token belongs to ${holder}; /graphql answers app tokens only — use an app token (an administrator issues one with createApp in /admin/graphql), and use this token in /admin/graphql`);
}
