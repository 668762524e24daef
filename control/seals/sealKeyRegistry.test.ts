import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStorage, testDialects, type TestStorage } from '../../storage/testing.ts';
import { sealDocument, signedData, type ElectronicSealRecord } from '../../lib/electronicSeal.ts';
import { generateSm2KeyPair, sm2PublicKeyDer, sm2PublicKeyPem } from '../../lib/sm2Signature.ts';
import { isEnvelope } from '../../lib/secretSealer.ts';
import { openTestSealRegistry, type TestSealRegistry } from './testing.ts';
import { sealKeyBinding } from './sealKeyRegistry.ts';
import { verifySealedDocument } from './verifySealedDocument.ts';

const ISSUER = { code: 'SAMR440305', name: '深圳市南山区市场监督管理局' };
const CONTENT = '{"holder":{"creditCode":"91440300MA5FXXXX0X","kind":"LEGAL_ENTITY","name":"深圳某某科技有限公司"},"licenceNo":"YZ4403052020000001","name":"营业执照","validUntil":null}';
const samrAdmin = { kind: 'DEPARTMENT_ADMIN', department: 'samr', credentialId: 'samr-admin' };
const mcaAdmin = { kind: 'DEPARTMENT_ADMIN', department: 'mca', credentialId: 'mca-admin' };
const platformAdmin = { kind: 'PLATFORM_ADMIN', department: 'dgo', credentialId: 'dgo-admin' };

/** The test oracle: OpenSSL 3.0's own SM2 verification (distid = the GB/T 35276 default user id) and SM3. */
function opensslVerifies(dir: string, seal: ElectronicSealRecord, publicKeyHex: string): boolean {
  writeFileSync(join(dir, 'tbs'), signedData(seal));
  writeFileSync(join(dir, 'sig'), Buffer.from(seal.signature, 'base64'));
  writeFileSync(join(dir, 'pub.pem'), sm2PublicKeyPem(publicKeyHex));
  try {
    execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(dir, 'pub.pem'), '-rawin', '-in', join(dir, 'tbs'),
      '-digest', 'sm3', '-sigfile', join(dir, 'sig'), '-pkeyopt', 'distid:1234567812345678'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
function opensslSm3Base64(dir: string, content: string): string {
  writeFileSync(join(dir, 'content'), content);
  return execFileSync('openssl', ['dgst', '-sm3', '-binary', join(dir, 'content')]).toString('base64');
}

describe.each(testDialects())('the issuer seal-key registry (R12; 004 art. 22–23) on %s', (dialect) => {
  let storage: TestStorage;
  let seals: TestSealRegistry;
  let dir: string;
  let now = new Date('2026-03-01T00:00:00.000Z');
  const later = (ms: number) => { now = new Date(now.getTime() + ms); };
  beforeAll(async () => {
    storage = createTestStorage(dialect);
    seals = await openTestSealRegistry(storage.config, () => now);
    dir = mkdtempSync(join(tmpdir(), 'govgraph-seal-oracle-'));
  });
  afterAll(async () => {
    await seals?.close();
    await storage?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const seal = () => seals.registry.seal({ content: CONTENT, propertyInfo: 'licence:YZ4403052020000001;application/json', issuer: ISSUER });

  it('refuses a key for another department\'s issuer and a key without a reason; makes one for its own (positive control)', async () => {
    await expect(seals.registry.rotate(mcaAdmin, { issuerCode: ISSUER.code, issuerName: ISSUER.name, reason: 'first key' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(seals.registry.rotate(platformAdmin, { issuerCode: ISSUER.code, issuerName: ISSUER.name, reason: 'first key' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(seals.registry.rotate(samrAdmin, { issuerCode: ISSUER.code, issuerName: ISSUER.name, reason: '  ' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(await seals.registry.keys({ issuerCode: ISSUER.code })).toEqual([]);
    const key = await seals.registry.rotate(samrAdmin, { issuerCode: ISSUER.code, issuerName: ISSUER.name, reason: 'first key' });
    expect(key).toMatchObject({ department: 'samr', issuerCode: ISSUER.code, algorithm: 'SM2-with-SM3', validUntil: null, revokedAt: null, createdBy: 'samr:samr-admin' });
    expect(key.keyId).toMatch(/^SAMR440305-[0-9a-f]{16}$/);
    // Once samr keeps the issuer, mca may not rotate its keys either.
    await expect(seals.registry.rotate(mcaAdmin, { issuerCode: ISSUER.code, reason: 'take over' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('stores the private key as an envelope under the platform key, bound to its row', async () => {
    const [key] = await seals.registry.keys({ issuerCode: ISSUER.code });
    const row = await seals.opened.db.selectFrom('issuer_seal_keys' as never).selectAll().where('key_id' as never, '=', key!.keyId as never).executeTakeFirstOrThrow() as { private_key: string };
    expect(isEnvelope(row.private_key)).toBe(true);
    expect(row.private_key).not.toMatch(/^[0-9a-f]{64}$/);
    await expect(seals.secrets.decrypt(row.private_key, sealKeyBinding('SAMR440305-other'))).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED' });
  });

  it('seals that openssl verifies (SM2/SM3, distid 1234567812345678) and whose digest is openssl\'s SM3 of the content', async () => {
    later(1000);
    const sealed = await seal();
    const key = (await seals.registry.key(ISSUER.code, sealed.signerKeyId))!;
    expect(sealed).toMatchObject({ version: 4, signatureAlgorithm: '1.2.156.10197.1.501', dataHashAlgorithm: '1.2.156.10197.1.401', sealInfo: { esId: ISSUER.code, name: ISSUER.name }, timeInfo: now.toISOString() });
    expect(opensslVerifies(dir, sealed, key.publicKey)).toBe(true);
    expect(sealed.dataHash).toBe(opensslSm3Base64(dir, CONTENT));
    expect(await verifySealedDocument(seals.registry, CONTENT, sealed, now)).toMatchObject({ valid: true, verdict: 'VALID' });
    // The oracle can fail: a changed signing time breaks the signature for openssl too.
    expect(opensslVerifies(dir, { ...sealed, timeInfo: '2020-01-01T00:00:00.000Z' }, key.publicKey)).toBe(false);
  });

  it('refuses altered content, and a document re-signed with a substituted key (the key swapped into the document)', async () => {
    const sealed = await seal();
    const altered = CONTENT.replace('"validUntil":null', '"validUntil":"2099-12-31"');
    expect(await verifySealedDocument(seals.registry, altered, sealed, now)).toMatchObject({ valid: false, verdict: 'CONTENT_ALTERED' });
    // The forger's own key, its public half carried in the document, under the issuer's key id…
    const forger = generateSm2KeyPair();
    const forged = sealDocument({ content: altered, propertyInfo: sealed.propertyInfo, issuer: ISSUER, signedAt: now }, { keyId: sealed.signerKeyId, ...forger });
    expect(forged.signerPublicKey).toBe(sm2PublicKeyDer(forger.publicKey).toString('base64'));
    expect(opensslVerifies(dir, forged, forger.publicKey)).toBe(true); // genuine under the key it carries…
    expect(await verifySealedDocument(seals.registry, altered, forged, now)).toMatchObject({ valid: false, verdict: 'BAD_SIGNATURE' }); // …not under the registry's
    // …or under a key id of its own: the registry holds no such key of that issuer.
    const ownId = sealDocument({ content: altered, propertyInfo: sealed.propertyInfo, issuer: ISSUER, signedAt: now }, { keyId: 'SAMR440305-0123456789abcdef', ...forger });
    expect(await verifySealedDocument(seals.registry, altered, ownId, now)).toMatchObject({ valid: false, verdict: 'UNKNOWN_KEY' });
    // A genuine key id of another issuer does not lend itself: lookup is by issuer and key id.
    const other = await seals.registry.rotate(mcaAdmin, { issuerCode: 'MCA440305', issuerName: '南山区民政局', reason: 'first key' });
    const borrowed = { ...sealed, signerKeyId: other.keyId };
    expect(await verifySealedDocument(seals.registry, CONTENT, borrowed, now)).toMatchObject({ valid: false, verdict: 'UNKNOWN_KEY' });
  });

  it('rotation: new seals use the new key, the old key\'s seals keep verifying', async () => {
    later(1000);
    const before = await seal();
    later(1000);
    const rotated = await seals.registry.rotate(samrAdmin, { issuerCode: ISSUER.code, reason: 'yearly rotation' });
    later(1000);
    const after = await seal();
    expect(after.signerKeyId).toBe(rotated.keyId);
    expect(before.signerKeyId).not.toBe(rotated.keyId);
    expect((await seals.registry.key(ISSUER.code, before.signerKeyId))!.validUntil).not.toBeNull();
    expect(await verifySealedDocument(seals.registry, CONTENT, before, now)).toMatchObject({ valid: true, verdict: 'VALID' });
    expect(await verifySealedDocument(seals.registry, CONTENT, after, now)).toMatchObject({ valid: true, verdict: 'VALID' });
    expect(opensslVerifies(dir, after, rotated.publicKey)).toBe(true);
  });

  it('revocation: seals made before the revocation time verify, seals from then on fail; only the keeping department or the platform administrator revokes', async () => {
    later(1000);
    const early = await seal();
    const keyId = early.signerKeyId;
    later(1000);
    const revokeFrom = new Date(now.getTime() - 500).toISOString();
    later(1000);
    await expect(seals.registry.revoke(mcaAdmin, { keyId, reason: 'not ours' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect((await seals.registry.keyById(keyId))!.revokedAt).toBeNull();
    const revoked = await seals.registry.revoke(samrAdmin, { keyId, reason: 'key compromised', from: revokeFrom });
    expect(revoked).toMatchObject({ revokedAt: revokeFrom, revocationReason: 'key compromised', revokedBy: 'samr:samr-admin' });
    expect(await verifySealedDocument(seals.registry, CONTENT, early, now)).toMatchObject({ valid: true, verdict: 'VALID' });
    // A seal made (or dated) after the revocation time with the same key fails.
    const pair = { keyId, privateKey: '', publicKey: revoked.publicKey };
    const row = await seals.opened.db.selectFrom('issuer_seal_keys' as never).select('private_key' as never).where('key_id' as never, '=', keyId as never).executeTakeFirstOrThrow() as { private_key: string };
    const stolen = { ...pair, privateKey: (await seals.secrets.decrypt(row.private_key, sealKeyBinding(keyId))).toString() };
    const afterRevocation = sealDocument({ content: CONTENT, propertyInfo: early.propertyInfo, issuer: ISSUER, signedAt: now }, stolen);
    expect(opensslVerifies(dir, afterRevocation, revoked.publicKey)).toBe(true);
    expect(await verifySealedDocument(seals.registry, CONTENT, afterRevocation, now)).toMatchObject({ valid: false, verdict: 'KEY_REVOKED' });
    // The issuer has no current key until its department makes one; sealing says so.
    await expect(seal()).rejects.toThrow(/no valid seal key: .*rotateSealKey/);
    await expect(seals.registry.revoke(platformAdmin, { keyId, reason: 'again' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const other = (await seals.registry.keys({ issuerCode: 'MCA440305' }))[0]!;
    expect(await seals.registry.revoke(platformAdmin, { keyId: other.keyId, reason: 'incident response' })).toMatchObject({ revokedBy: 'dgo:dgo-admin' });
  });
});
