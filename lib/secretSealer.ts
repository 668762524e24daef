/**
 * Secrets stored encrypted (R10): issuers' private seal keys (R12) and departments' webhook
 * secrets never reach a database in plain text.
 *
 * Glossary:
 * - sealer: what encrypts and decrypts a secret; here AES-256-GCM under the platform key,
 *   behind an interface a KMS or HSM client can implement instead (it would keep the key
 *   and answer the same two calls).
 * - envelope: the stored text, `gg1:<keyId>:<iv>:<ciphertext+tag>` (base64url parts). The
 *   key id says which key of the keyring opens it, so keys can be rotated.
 * - binding (AAD): names the row and column a ciphertext belongs to, e.g.
 *   `departments.webhook_secret:ndrc`; it is authenticated, not stored, so a ciphertext
 *   copied into another row does not decrypt there.
 * - keyring: the current key (encrypts) and previous keys (still decrypt).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SecretSealer {
  /** Key id new envelopes are made under. */
  readonly currentKeyId: string;
  /** An envelope of `plaintext`, bound to `binding`. */
  encrypt(plaintext: string | Uint8Array, binding: string): Promise<string>;
  /** The plaintext of an envelope made for `binding`; throws SecretSealerError otherwise. */
  decrypt(envelope: string, binding: string): Promise<Buffer>;
}

/** Every envelope starts with this: what is not an envelope is a plaintext secret. */
export const ENVELOPE_PREFIX = 'gg1:';

export const SecretSealerErrorCode = {
  /** The value is not a `gg1:` envelope (a plaintext secret, or damaged). */
  NOT_AN_ENVELOPE: 'NOT_AN_ENVELOPE',
  /** Made under a key the keyring does not hold (rotated out, or another platform's). */
  UNKNOWN_KEY: 'UNKNOWN_KEY',
  /** Changed, or made for another row (binding), or under another key with the same id. */
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
} as const;
export type SecretSealerErrorCode = (typeof SecretSealerErrorCode)[keyof typeof SecretSealerErrorCode];

export class SecretSealerError extends Error {
  constructor(readonly code: SecretSealerErrorCode, message: string) {
    super(message);
    this.name = 'SecretSealerError';
  }
}

export function isEnvelope(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX);
}

/** The key id an envelope names, or null when the value is not an envelope. */
export function envelopeKeyId(value: string): string | null {
  if (!isEnvelope(value)) return null;
  return value.slice(ENVELOPE_PREFIX.length).split(':', 1)[0] ?? null;
}

/** AES-256 key length in bytes. */
export const PLATFORM_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key's id: derived from the key, so every replica given the same key names it the same. */
export function platformKeyId(key: Uint8Array): string {
  // A hash of a 256-bit random key reveals nothing usable about it.
  return `k${createHash('sha256').update('govgraph platform key id\0').update(key).digest('base64url').slice(0, 16)}`;
}

export interface Keyring {
  /** Encrypts. */
  readonly current: Uint8Array;
  /** Decrypt only: what envelopes made before a rotation were made under. */
  readonly previous?: readonly Uint8Array[];
}

/** The local sealer: AES-256-GCM, a random 96-bit IV per envelope, key chosen by id. */
export function localSecretSealer(keyring: Keyring): SecretSealer {
  const keys = new Map<string, Uint8Array>();
  for (const key of [keyring.current, ...(keyring.previous ?? [])]) {
    if (key.length !== PLATFORM_KEY_BYTES) throw new Error(`a platform key is ${PLATFORM_KEY_BYTES} bytes (AES-256), received ${key.length}`);
    keys.set(platformKeyId(key), key);
  }
  const currentKeyId = platformKeyId(keyring.current);
  const associated = (keyId: string, binding: string) => Buffer.from(`${ENVELOPE_PREFIX}${keyId}\0${binding}`, 'utf8');
  return {
    currentKeyId,
    async encrypt(plaintext, binding) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.get(currentKeyId)!, iv);
      cipher.setAAD(associated(currentKeyId, binding));
      const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
      const sealed = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
      return `${ENVELOPE_PREFIX}${currentKeyId}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
    },
    async decrypt(envelope, binding) {
      const parts = isEnvelope(envelope) ? envelope.slice(ENVELOPE_PREFIX.length).split(':') : [];
      if (parts.length !== 3) {
        throw new SecretSealerError('NOT_AN_ENVELOPE', `the secret for ${binding} is not a ${ENVELOPE_PREFIX}<keyId>:<iv>:<ciphertext> envelope; a plaintext secret must be encrypted first`);
      }
      const [keyId, ivText, sealedText] = parts as [string, string, string];
      const key = keys.get(keyId);
      if (!key) {
        throw new SecretSealerError('UNKNOWN_KEY', `the secret for ${binding} was encrypted under platform key ${keyId}, which this keyring (${[...keys.keys()].join(', ')}) does not hold; add it as a previous key (GOVGRAPH_PLATFORM_KEY_PREVIOUS or a further line of the key file)`);
      }
      const iv = Buffer.from(ivText, 'base64url');
      const sealed = Buffer.from(sealedText, 'base64url');
      if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
        throw new SecretSealerError('NOT_AN_ENVELOPE', `the secret for ${binding} is a damaged envelope (IV ${iv.length} bytes, sealed part ${sealed.length} bytes)`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(associated(keyId, binding));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new SecretSealerError('AUTHENTICATION_FAILED', `the secret for ${binding} does not authenticate: it was changed, or it belongs to another row`);
      }
    },
  };
}

/**
 * The value to store after a rotation: a plaintext secret or an envelope under a previous key
 * comes back encrypted under the current key; an envelope under the current key is returned
 * as it is (null). What every "encrypt what is still plain" start-up step and the rotation
 * command share.
 */
export async function resealed(sealer: SecretSealer, stored: string, binding: string): Promise<string | null> {
  if (!isEnvelope(stored)) return sealer.encrypt(stored, binding);
  if (envelopeKeyId(stored) === sealer.currentKeyId) return null;
  return sealer.encrypt(await sealer.decrypt(stored, binding), binding);
}
