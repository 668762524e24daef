/**
 * The signed sharing context the gateway sends with every subgraph fetch: who the consumer
 * is, which app, the declared purpose, the case, the request id and the policy version the
 * request is decided under — an EdDSA (Ed25519) JWT, short-lived. Subgraphs accept nothing
 * else: unsigned, forged, expired, wrong audience or `alg: none` is 401 and no data (R10).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { loadOrCreateEd25519KeyPair } from './keyFiles.ts';

export const SHARING_CONTEXT_HEADER = 'x-govgraph-context';
const ISSUER = 'govgraph-gateway';
const AUDIENCE = 'govgraph-subgraph';
/** A context is good for this long: a fetch, not a session. @default 60 s */
export const SHARING_CONTEXT_TTL_SECONDS = 60;

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

export class SharingContextError extends Error {}

export interface SigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
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

export async function signSharingContext(privateKey: KeyObject, claims: SharingContextClaims, ttlSeconds = SHARING_CONTEXT_TTL_SECONDS): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'govgraph-context+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(privateKey);
}

/** Verifies a context token; throws SharingContextError saying what is wrong. */
export async function verifySharingContext(publicKey: KeyObject, token: string): Promise<SharingContextClaims & { exp: number }> {
  try {
    const { payload } = await jwtVerify(token, publicKey, { algorithms: ['EdDSA'], issuer: ISSUER, audience: AUDIENCE, requiredClaims: ['exp', 'iat'] });
    const { consumer, app, purpose, caseId, requestId, policyVersion, snapshotUrl, exp } = payload as Record<string, unknown>;
    if (typeof consumer !== 'string' || typeof app !== 'string' || typeof purpose !== 'string' || typeof requestId !== 'string'
      || typeof policyVersion !== 'number' || typeof snapshotUrl !== 'string' || (caseId !== null && typeof caseId !== 'string')) {
      throw new SharingContextError('the sharing context lacks consumer, app, purpose, requestId, policyVersion or snapshotUrl');
    }
    return { consumer, app, purpose, caseId: caseId as string | null, requestId, policyVersion, snapshotUrl, exp: exp as number };
  } catch (error) {
    if (error instanceof SharingContextError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new SharingContextError('the sharing context has expired');
    if (error instanceof joseErrors.JOSEAlgNotAllowed) throw new SharingContextError('the sharing context must be signed with EdDSA');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new SharingContextError('the sharing context signature is not the gateway\'s');
    throw new SharingContextError(`the sharing context is not valid: ${(error as Error).message}`);
  }
}
