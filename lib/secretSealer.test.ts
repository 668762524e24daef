import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { envelopeKeyId, isEnvelope, localSecretSealer, platformKeyId, resealed, SecretSealerError } from './secretSealer.ts';

const key1 = randomBytes(32);
const key2 = randomBytes(32);

async function failure(promise: Promise<unknown>): Promise<SecretSealerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretSealerError);
    return error as SecretSealerError;
  }
  throw new Error('expected a SecretSealerError');
}

describe('local secret sealer (AES-256-GCM, R10)', () => {
  it('round-trips, names its key and never shows the plaintext', async () => {
    const sealer = localSecretSealer({ current: key1 });
    const envelope = await sealer.encrypt('s3cret webhook', 'departments.webhook_secret:ndrc');
    expect(envelope).toMatch(/^gg1:k[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(envelope).not.toContain('s3cret');
    expect(isEnvelope(envelope)).toBe(true);
    expect(envelopeKeyId(envelope)).toBe(platformKeyId(key1));
    expect(sealer.currentKeyId).toBe(platformKeyId(key1));
    expect((await sealer.decrypt(envelope, 'departments.webhook_secret:ndrc')).toString()).toBe('s3cret webhook');
    // A fresh IV each time: equal secrets do not give equal envelopes.
    expect(await sealer.encrypt('s3cret webhook', 'departments.webhook_secret:ndrc')).not.toBe(envelope);
  });

  it('a ciphertext moved to another row does not decrypt there', async () => {
    const sealer = localSecretSealer({ current: key1 });
    const envelope = await sealer.encrypt('s3cret', 'departments.webhook_secret:ndrc');
    expect((await failure(sealer.decrypt(envelope, 'departments.webhook_secret:mca'))).code).toBe('AUTHENTICATION_FAILED');
  });

  it('a changed ciphertext does not decrypt', async () => {
    const sealer = localSecretSealer({ current: key1 });
    const envelope = await sealer.encrypt('s3cret', 'b');
    const last = envelope.at(-2) === 'A' ? 'B' : 'A';
    const changed = envelope.slice(0, -2) + last + envelope.slice(-1);
    expect((await failure(sealer.decrypt(changed, 'b'))).code).toBe('AUTHENTICATION_FAILED');
  });

  it('rotation: what key 1 encrypted decrypts with key 2 current and key 1 previous, and is re-encrypted under key 2', async () => {
    const before = localSecretSealer({ current: key1 });
    const envelope = await before.encrypt('-----BEGIN PRIVATE KEY-----', 'seal_keys.private_key:k');
    const after = localSecretSealer({ current: key2, previous: [key1] });
    expect((await after.decrypt(envelope, 'seal_keys.private_key:k')).toString()).toBe('-----BEGIN PRIVATE KEY-----');
    const moved = await resealed(after, envelope, 'seal_keys.private_key:k');
    expect(envelopeKeyId(moved!)).toBe(platformKeyId(key2));
    expect(await resealed(after, moved!, 'seal_keys.private_key:k')).toBeNull();
    // Key 1 dropped: the old envelope names a key the keyring lacks; the new one still opens.
    const only2 = localSecretSealer({ current: key2 });
    expect((await failure(only2.decrypt(envelope, 'seal_keys.private_key:k'))).code).toBe('UNKNOWN_KEY');
    expect((await only2.decrypt(moved!, 'seal_keys.private_key:k')).toString()).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('resealed encrypts a plaintext value and refuses to decrypt one', async () => {
    const sealer = localSecretSealer({ current: key1 });
    const sealed = await resealed(sealer, 'plain', 'b');
    expect(isEnvelope(sealed!)).toBe(true);
    expect((await sealer.decrypt(sealed!, 'b')).toString()).toBe('plain');
    expect((await failure(sealer.decrypt('plain', 'b'))).code).toBe('NOT_AN_ENVELOPE');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => localSecretSealer({ current: randomBytes(16) })).toThrow(/32 bytes.*received 16/);
  });
});
