/**
 * Electronic seals on licence documents (R12): each issuer signs the canonical bytes of a
 * document with its own key, so that any change to the content is detectable by anyone
 * holding the issuer's public key.
 *
 * Glossary:
 * - content: canonical JSON of the licence as issued (keys sorted, no whitespace, UTF-8),
 *   so the same particulars always give the same bytes.
 * - seal key: an issuer's Ed25519 key pair; keyId names it in each seal.
 *
 * National electronic seals (GB/T 38540) use SM2; the demo uses Ed25519 because node:crypto
 * provides it everywhere. The algorithm travels with every seal, so verifiers can tell.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export const SEAL_ALGORITHM = 'Ed25519';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`canonicalJson cannot represent ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const object = value as { readonly [key: string]: JsonValue };
  // Sorted by UTF-16 code units, as RFC 8785 (JCS) sorts member names.
  const keys = Object.keys(object).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key]!)}`).join(',')}}`;
}

export interface SealKey {
  readonly keyId: string;
  /** base64 of the DER SubjectPublicKeyInfo: what verifiers get. */
  readonly publicKey: string;
  /** PKCS #8 PEM: stays with the issuer. */
  readonly privateKeyPem: string;
  readonly privateKey: KeyObject;
}

/** A new seal key for an issuer; keyId is the issuer code and a fingerprint of the public key. */
export function generateSealKey(issuerCode: string): SealKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = createHash('sha256').update(der).digest('hex').slice(0, 16);
  return {
    keyId: `${issuerCode}-${fingerprint}`,
    publicKey: der.toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateKey,
  };
}

/** The seal over a document's content: Ed25519 over its UTF-8 bytes, base64. */
export function sealContent(content: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(content, 'utf8'), privateKey).toString('base64');
}

/** Whether the signature is the issuer's seal over exactly this content. */
export function verifySeal(content: string, signature: string, publicKey: string): boolean {
  const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
  return verify(null, Buffer.from(content, 'utf8'), key, Buffer.from(signature, 'base64'));
}
