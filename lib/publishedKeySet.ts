/**
 * The platform's published key set (R10): the public halves of every Ed25519 key the gateway
 * replicas sign with, as a JWKS (RFC 7517), each named by its key id. Subgraphs verify sharing
 * contexts against it and auditors verify checkpoints against it, so a context or checkpoint
 * any replica signed verifies anywhere, and an old key keeps verifying what it signed after a
 * rotation.
 *
 * Glossary:
 * - key id (kid): the first 16 hex digits of SHA-256 over the public key (SPKI DER) — derived,
 *   so every replica and verifier names a key the same way (the audit checkpoint's keyId is
 *   the same formula).
 * - key set: where a verifier looks a kid up. Static (given once), or remote (the gateway's
 *   `/.well-known/jwks.json`, fetched, cached, and fetched again when a kid is unknown, at most
 *   once per cooldown: a flood of made-up kids costs one fetch a second, not one per request).
 */
import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, type JWK } from 'jose';

export interface PublishedJwk extends JWK {
  readonly kid: string;
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
}

export interface PublishedJwks {
  readonly keys: readonly PublishedJwk[];
}

/** Where a verifier finds the public key a kid names; undefined: the platform never published it. */
export interface PublishedKeySet {
  key(kid: string): Promise<KeyObject | undefined>;
}

/** Where subgraphs fetch the context keys on a gateway (or through the load balancer). */
export const CONTEXT_JWKS_PATH = '/.well-known/jwks.json';
/** Where auditors fetch the audit checkpoint keys. */
export const AUDIT_JWKS_PATH = '/.well-known/audit-keys.json';

/** The least time between two fetches caused by an unknown kid. @default 1 s */
export const UNKNOWN_KID_COOLDOWN_MS = 1_000;
/** A fetched key set is fetched again after this long even when every kid is known (a key withdrawn). @default 10 min */
export const KEY_SET_MAX_AGE_MS = 600_000;

export function publishedKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function toPublishedJwk(publicKey: KeyObject): PublishedJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError(`a published key is an Ed25519 public key, received ${jwk.kty} ${jwk.crv ?? ''}`);
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: publishedKeyId(publicKey), alg: 'EdDSA', use: 'sig' };
}

/**
 * The keys of a JWKS document, by kid. A key whose kid is not the one its bytes give is
 * refused: a kid is a name for exactly one key, never a label an editor of the document picks.
 */
export function publishedKeys(jwks: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const list = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new TypeError('a key set is a JSON object { "keys": [ … ] } (RFC 7517)');
  for (const jwk of list as JWK[]) {
    if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') continue;
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    const kid = publishedKeyId(key);
    if (jwk.kid !== undefined && jwk.kid !== kid) throw new TypeError(`key set entry names kid ${JSON.stringify(jwk.kid)}, but its key's id is ${kid}`);
    keys.set(kid, key);
  }
  return keys;
}

export function toPublishedJwks(publicKeys: Iterable<KeyObject>): PublishedJwks {
  return { keys: [...publicKeys].map(toPublishedJwk) };
}

/** A key set given once (a launcher's environment, a file, a test). */
export function staticKeySet(keys: Iterable<KeyObject> | ReadonlyMap<string, KeyObject>): PublishedKeySet {
  const byId = keys instanceof Map ? new Map(keys) : new Map([...(keys as Iterable<KeyObject>)].map((k) => [publishedKeyId(k), k] as const));
  return { key: async (kid) => byId.get(kid) };
}

/**
 * The key set at `url` (the platform's JWKS): fetched on first use, cached, fetched again for
 * an unknown kid at most once per `cooldownMs`. Offline-safe: the URL is the platform's own.
 */
export function remoteKeySet(url: string | URL, { cooldownMs = UNKNOWN_KID_COOLDOWN_MS, maxAgeMs = KEY_SET_MAX_AGE_MS, timeoutMs = 5_000 } = {}): PublishedKeySet {
  const jwks = createRemoteJWKSet(new URL(url), { cooldownDuration: cooldownMs, cacheMaxAge: maxAgeMs, timeoutDuration: timeoutMs });
  return {
    async key(kid) {
      try {
        const key = await jwks({ alg: 'EdDSA', kid });
        // jose hands back a CryptoKey; the kid is checked against the key's own bytes (as publishedKeys does).
        const object = key instanceof KeyObject ? key : KeyObject.from(key);
        return publishedKeyId(object) === kid ? object : undefined;
      } catch (error) {
        if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) return undefined;
        throw error;
      }
    },
  };
}

/** Every key of `first`, then of `second` for what `first` does not know. */
export function eitherKeySet(first: PublishedKeySet, second: PublishedKeySet): PublishedKeySet {
  return { key: async (kid) => (await first.key(kid)) ?? second.key(kid) };
}
