/**
 * Identity: `Authorization: Bearer <token>` → app (or admin) → department. Missing or
 * unknown tokens are refused with HTTP 401 before anything else happens (R10).
 */
import { HttpError } from '../../lib/http.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { hashToken, type Identity, type PlatformStore } from '../store/platformStore.ts';

/**
 * A token's identity is remembered this long. A revocation (or a new token) empties the cache of
 * every replica at once through the change feed (`tokens`); this bound is the fallback when a
 * notification is lost. @default 1000 ms
 */
export const IDENTITY_CACHE_MS = 1000;
const CACHE_LIMIT = 10_000;

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** Forgets cached identities (after a revocation through this replica). */
  forget(): void;
}

export function createAuthenticator(store: PlatformStore): Authenticator {
  const cache = new Map<string, { identity: Identity | null; until: number }>();
  // R10: a lookup that began before a revocation was announced must not be remembered after it.
  let generation = 0;
  const forget = () => {
    generation++;
    cache.clear();
  };
  store.changes.subscribe('tokens', forget);
  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match) {
        throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'send your app token as "Authorization: Bearer <token>"; a department administrator issues app tokens in /admin/graphql', { 'www-authenticate': 'Bearer realm="govgraph"' });
      }
      const token = match[1]!;
      const key = hashToken(token);
      const now = Date.now();
      let entry = cache.get(key);
      if (!entry || entry.until < now) {
        const asked = generation;
        entry = { identity: await store.identityByToken(token), until: now + IDENTITY_CACHE_MS };
        if (asked === generation) {
          cache.set(key, entry);
          if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        }
      }
      if (!entry.identity) {
        throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the token is unknown or revoked; ask your department administrator for a valid app token', { 'www-authenticate': 'Bearer realm="govgraph", error="invalid_token"' });
      }
      return entry.identity;
    },
    forget,
  };
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
