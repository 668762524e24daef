/**
 * Identity: `Authorization: Bearer <token>` → app (or admin) → department. Missing or
 * unknown tokens are refused with HTTP 401 before anything else happens (R10).
 */
import { localizable } from '../../lib/messages.ts';
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
        throw unauthenticated(localizable('auth.noToken'), { 'www-authenticate': 'Bearer realm="govgraph"' });
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
          throw unauthenticated(localizable('auth.unknownToken'), { 'www-authenticate': 'Bearer realm="govgraph", error="invalid_token"' });
        case 'EXPIRED':
          throw unauthenticated(localizable('auth.expired', { credential: standing.credentialId, at: standing.expiredAt }), { 'www-authenticate': 'Bearer realm="govgraph", error="invalid_token", error_description="token expired"' });
        case 'DEPARTMENT_DEACTIVATED':
          {
            const said = localizable('auth.departmentDeactivated', { department: standing.department, at: standing.deactivatedAt });
            throw new HttpError(403, ErrorCode.FORBIDDEN, said.message, {}, said.i18n);
          }
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
  const said = localizable('auth.adminTokenOnData', { holder });
  throw new HttpError(403, ErrorCode.FORBIDDEN, said.message, {}, said.i18n);
}

function unauthenticated(said: ReturnType<typeof localizable>, headers: Readonly<Record<string, string>>): HttpError {
  return new HttpError(401, ErrorCode.UNAUTHENTICATED, said.message, headers, said.i18n);
}
