/**
 * The per-fetch MAC that binds a data-scope sharing context to the one request it travels
 * with. The signed context is reused for a few seconds per (subgraph, caller, version) to keep
 * Ed25519 off the hot path; the MAC, cheap (one SHA-256 of the body, one HMAC), makes each use
 * good for exactly one document and one set of variables: R10, a captured context reads
 * nothing else.
 *
 *   K_s = HKDF-SHA256(ikm = the platform's context MAC root (32 bytes, kept encrypted in the
 *                     platform store; on a platform started before keys moved there, the raw
 *                     seed of its first context-signing key, so K_s did not change),
 *                     salt = empty, info = "govgraph subgraph context mac v1:" + subgraph name)
 *
 * The root is not a signing key: rotating the signing key leaves every K_s as it was, so a
 * subgraph keeps its MAC key across rotations.
 *   mac = HMAC-SHA256(K_s, token || SHA-256(body bytes)), sent base64url in `x-govgraph-context-mac`
 *
 * Each subgraph holds only its own K_s, so it can check MACs but never make one another
 * subgraph would accept.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

export const SHARING_CONTEXT_MAC_HEADER = 'x-govgraph-context-mac';
/** How the platform hands a child-process subgraph its MAC key (base64); never a file. */
export const SUBGRAPH_MAC_KEY_ENV = 'GOVGRAPH_SUBGRAPH_MAC_KEY';
const INFO_PREFIX = 'govgraph subgraph context mac v1:';
const KEY_BYTES = 32;

/** The MAC root an Ed25519 private key gives: its raw seed (how K_s was derived before the root was stored). */
export function macRootOfKey(privateKey: KeyObject): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') throw new Error(`the context-signing key must be an Ed25519 private key (got ${jwk.crv ?? jwk.kty})`);
  return Buffer.from(jwk.d, 'base64url');
}

/** K_s for one subgraph, from the MAC root (or the Ed25519 key whose seed is the root). */
export function deriveSubgraphMacKey(root: KeyObject | Buffer, subgraphName: string): Buffer {
  const ikm = Buffer.isBuffer(root) ? root : macRootOfKey(root);
  if (ikm.length !== KEY_BYTES) throw new Error(`the context MAC root is ${KEY_BYTES} bytes, received ${ikm.length}`);
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), INFO_PREFIX + subgraphName, KEY_BYTES));
}

/** Reads a MAC key given in base64 (the environment variable), refusing anything but 32 bytes. */
export function parseMacKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${SUBGRAPH_MAC_KEY_ENV} must be ${KEY_BYTES} bytes in base64; got ${key.length} bytes`);
  return key;
}

function macBytes(key: Buffer, token: string, body: string): Buffer {
  // The body is hashed as UTF-8, the bytes the fetch puts on the wire and readBody decodes.
  const bodyHash = createHash('sha256').update(body, 'utf8').digest();
  return createHmac('sha256', key).update(token, 'utf8').update(bodyHash).digest();
}

export function contextMac(key: Buffer, token: string, body: string): string {
  return macBytes(key, token, body).toString('base64url');
}

/** Whether `mac` (the header's value) is the MAC of this token and body under `key`; constant time. */
export function verifyContextMac(key: Buffer, token: string, body: string, mac: string): boolean {
  const given = Buffer.from(mac, 'base64url');
  const expected = macBytes(key, token, body);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
