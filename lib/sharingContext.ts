/**
 * The signed sharing context the gateway sends with every subgraph fetch: who the consumer
 * is, which app, the declared purpose, the case, the request id and the policy version the
 * request is decided under — an EdDSA (Ed25519) JWT, short-lived. Subgraphs accept nothing
 * else: unsigned, forged, expired, wrong audience or `alg: none` is 401 and no data (R10).
 *
 * Glossary:
 * - audience: the one subgraph (by registered name) a context is issued for. Departments do
 *   not trust each other, so a context one department's subgraph receives must be worthless
 *   at another's: each subgraph accepts only contexts naming itself.
 * - scope: what the context may be used for. `data`: a gateway fetch to `/graphql` (with a
 *   per-fetch MAC binding it to the exact body, lib/contextMac.ts); `sdl`: the registry's read
 *   of `{ _service { sdl } }` and nothing else (the shield refuses every data field under it);
 *   `freshness`: the catalogue's `GET /freshness`.
 */
import { createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { loadOrCreateEd25519KeyPair } from './keyFiles.ts';
import { publishedKeyId, type PublishedKeySet } from './publishedKeySet.ts';

export const SHARING_CONTEXT_HEADER = 'x-govgraph-context';
const ISSUER = 'govgraph-gateway';
/** A context is good for this long: a fetch, not a session (reused for half of it). @default 30 s */
export const SHARING_CONTEXT_TTL_SECONDS = 30;

export const CONTEXT_SCOPES = ['data', 'sdl', 'freshness'] as const;
export type ContextScope = (typeof CONTEXT_SCOPES)[number];

export interface SharingContextClaims {
  readonly consumer: string;
  readonly app: string;
  readonly purpose: string;
  readonly caseId: string | null;
  readonly requestId: string;
  readonly policyVersion: number;
  /** Where the subgraph fetches the policy snapshot of that version. */
  readonly snapshotUrl: string;
}

/** A context whose signature, issuer and expiry were checked. */
export interface VerifiedSharingContext extends SharingContextClaims {
  /** The subgraph it was issued for. */
  readonly audience: string;
  readonly scope: ContextScope;
  readonly exp: number;
}

/** Why a context was refused: the `outcome` label of `govgraph_context_verifications_total`. */
export type ContextRefusal = 'missing' | 'invalid' | 'bad_signature' | 'expired' | 'wrong_audience' | 'wrong_scope' | 'bad_mac';

export class SharingContextError extends Error {
  constructor(
    message: string,
    readonly reason: ContextRefusal = 'invalid',
    /** The consumer the context names, when its signature was good (a metrics label; never trust it otherwise). */
    readonly consumer: string | null = null,
  ) {
    super(message);
    this.name = 'SharingContextError';
  }
}

export interface SigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A key the gateway signs contexts with, named by its key id (the `kid` header), as the
 * platform store keeps it (control/keys/signingKeyStore.ts). A bare private key is named by
 * the id its public half gives.
 */
export interface ContextSigner {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

function signerOf(key: KeyObject | ContextSigner): ContextSigner {
  if ('kid' in key && 'privateKey' in key) return key;
  const privateKey = key as KeyObject;
  return { kid: publishedKeyId(createPublicKey(privateKey)), privateKey };
}

export const PUBLIC_KEY_FILE = 'gateway-context.pub.pem';
const PRIVATE_KEY_FILE = 'gateway-context.key.pem';

/** The gateway's context-signing key pair, created once under `<dataDir>/keys`. */
export function loadOrCreateSigningKeys(dataDir: string): SigningKeys {
  return loadOrCreateEd25519KeyPair(dataDir, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE);
}

export function loadPublicKey(dataDir: string): KeyObject {
  const file = join(dataDir, 'keys', PUBLIC_KEY_FILE);
  if (!existsSync(file)) throw new SharingContextError(`the gateway's public key ${file} does not exist: start the gateway once, or copy its key there`);
  return createPublicKey(readFileSync(file));
}

/**
 * The gateway's private key, read (never created) from `<dataDir>/keys`: only for a subgraph
 * run by hand on the platform's own machine, to derive its MAC key (lib/contextMac.ts).
 */
export function loadPrivateKey(dataDir: string): KeyObject {
  const file = join(dataDir, 'keys', PRIVATE_KEY_FILE);
  if (!existsSync(file)) throw new SharingContextError(`the gateway's private key ${file} does not exist: start the platform once, or pass the subgraph's MAC key in GOVGRAPH_SUBGRAPH_MAC_KEY`);
  return createPrivateKey(readFileSync(file));
}

function sign(key: KeyObject | ContextSigner, audience: string, scope: ContextScope, claims: SharingContextClaims, ttlSeconds: number): Promise<string> {
  if (!audience) throw new SharingContextError('a sharing context needs an audience: the name of the one subgraph it is sent to');
  const { kid, privateKey } = signerOf(key);
  return new SignJWT({ ...claims, scope })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'govgraph-context+jwt', kid })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(privateKey);
}

/** A data context for one subgraph (`audience`: its registered name); fetches add a MAC. */
export function signSharingContext(privateKey: KeyObject | ContextSigner, audience: string, claims: SharingContextClaims, ttlSeconds = SHARING_CONTEXT_TTL_SECONDS): Promise<string> {
  return sign(privateKey, audience, 'data', claims, ttlSeconds);
}

/**
 * The registry's context to read a candidate subgraph's `{ _service { sdl } }`: scope `sdl`,
 * so the subgraph's shield refuses every data field under it; no policy to load.
 */
export function signRegistryContext(privateKey: KeyObject | ContextSigner, subgraphName: string, ttlSeconds = SHARING_CONTEXT_TTL_SECONDS): Promise<string> {
  return sign(privateKey, subgraphName, 'sdl', {
    consumer: 'registry', app: 'registry-sdl', purpose: 'REGISTRY_SDL', caseId: null, requestId: randomUUID(), policyVersion: 0, snapshotUrl: '',
  }, ttlSeconds);
}

/** The catalogue's context for `GET /freshness` of one subgraph (R2): scope `freshness`, nothing else. */
export function signFreshnessContext(privateKey: KeyObject | ContextSigner, subgraphName: string, ttlSeconds = SHARING_CONTEXT_TTL_SECONDS): Promise<string> {
  return sign(privateKey, subgraphName, 'freshness', {
    consumer: 'catalogue', app: 'catalogue-freshness', purpose: 'CATALOGUE_FRESHNESS', caseId: null, requestId: randomUUID(), policyVersion: 0, snapshotUrl: '',
  }, ttlSeconds);
}

/**
 * The key a context's `kid` names in the platform's published key set (R10): a kid the
 * platform never published, or none, is refused — a key an attacker made verifies nothing.
 */
function keyFor(keys: KeyObject | PublishedKeySet): KeyObject | ((header: { kid?: string }) => Promise<KeyObject>) {
  if (!('key' in keys && typeof keys.key === 'function')) return keys as KeyObject;
  const set = keys as PublishedKeySet;
  return async ({ kid }) => {
    if (typeof kid !== 'string' || !kid) throw new SharingContextError('the sharing context names no signing key (kid): it was not signed by a gateway of this platform', 'bad_signature');
    let key: KeyObject | undefined;
    try {
      key = await set.key(kid);
    } catch (error) {
      throw new SharingContextError(`the platform's key set could not be read to verify the sharing context: ${(error as Error).message}`, 'bad_signature');
    }
    if (!key) throw new SharingContextError(`the sharing context is signed with key ${JSON.stringify(kid.slice(0, 64))}, which the platform has not published: it is not the gateway's`, 'bad_signature');
    return key;
  };
}

/**
 * Verifies a context token; throws SharingContextError saying what is wrong and why
 * (`reason`). `audience`: the verifying subgraph's own name; `null` accepts any audience and
 * is for the gateway's own routes only, which then act on the audience the gateway signed.
 */
export async function verifySharingContext(keys: KeyObject | PublishedKeySet, token: string, audience: string | null): Promise<VerifiedSharingContext> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keyFor(keys), { algorithms: ['EdDSA'], issuer: ISSUER, requiredClaims: ['exp', 'iat', 'aud'] }));
  } catch (error) {
    if (error instanceof SharingContextError) throw error;
    // jose checks the signature before the claims: a claim error names a consumer the gateway signed.
    const signed = (error as { payload?: JWTPayload }).payload;
    const consumer = typeof signed?.consumer === 'string' ? signed.consumer : null;
    if (error instanceof joseErrors.JWTExpired) throw new SharingContextError('the sharing context has expired', 'expired', consumer);
    if (error instanceof joseErrors.JOSEAlgNotAllowed) throw new SharingContextError('the sharing context must be signed with EdDSA', 'bad_signature');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new SharingContextError('the sharing context signature is not the gateway\'s', 'bad_signature');
    throw new SharingContextError(`the sharing context is not valid: ${(error as Error).message}`, 'invalid', consumer);
  }
  const { consumer, app, purpose, caseId, requestId, policyVersion, snapshotUrl, exp, aud, scope } = payload as Record<string, unknown>;
  if (typeof consumer !== 'string' || typeof app !== 'string' || typeof purpose !== 'string' || typeof requestId !== 'string'
    || typeof policyVersion !== 'number' || typeof snapshotUrl !== 'string' || (caseId !== null && typeof caseId !== 'string')) {
    throw new SharingContextError('the sharing context lacks consumer, app, purpose, requestId, policyVersion or snapshotUrl');
  }
  if (!CONTEXT_SCOPES.includes(scope as ContextScope)) {
    throw new SharingContextError(`the sharing context has scope ${JSON.stringify(scope)}; expected one of ${CONTEXT_SCOPES.join(', ')}`, 'wrong_scope', consumer);
  }
  if (typeof aud !== 'string') throw new SharingContextError('the sharing context must name exactly one subgraph as its audience', 'wrong_audience', consumer);
  if (audience !== null && aud !== audience) {
    // R10: a context is bound to the subgraph it was sent to; replayed elsewhere it reads nothing.
    throw new SharingContextError(`the sharing context was issued for subgraph "${aud}", not for this one ("${audience}")`, 'wrong_audience', consumer);
  }
  return { consumer, app, purpose, caseId: caseId as string | null, requestId, policyVersion, snapshotUrl, exp: exp as number, audience: aud, scope: scope as ContextScope };
}
