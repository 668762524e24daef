import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DemoWorld } from '../../demo/world.ts';
import { openDatabase, type OpenedDatabase } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { createTestStorage, testDialects, type TestStorage } from '../../storage/testing.ts';
import { envelopeKeyId, isEnvelope, localSecretSealer, SecretSealerError } from '../../lib/secretSealer.ts';
import { sealContent } from './electronicSeal.ts';
import { licences } from './index.ts';
import { seedLicences } from './seed.ts';
import { LicencesStore, sealKeyBinding, type LicencesDatabase } from './store.ts';

const world = new DemoWorld({ persons: 40, legalEntities: 12, parcels: 10 });
const key1 = randomBytes(32);
const key2 = randomBytes(32);

describe.each(testDialects())('issuers\' private seal keys are stored encrypted (R10, R12) on %s', (dialect) => {
  let storage: TestStorage;
  let opened: OpenedDatabase<LicencesDatabase>;
  let store: LicencesStore;
  const sealer = localSecretSealer({ current: key1 });
  beforeAll(async () => {
    storage = createTestStorage(dialect);
    opened = await openDatabase<LicencesDatabase>(storage.config, 'licences');
    await migrateToLatest(opened.db, licences.migrations, 'licences', opened.schema);
    await seedLicences(opened.db, world, { secrets: sealer });
    store = new LicencesStore(opened.db);
  });
  afterAll(async () => {
    await opened?.close();
    await storage?.cleanup();
  });

  const sealKeys = () => opened.db.selectFrom('seal_keys').selectAll().orderBy('key_id').execute();

  it('the seed writes envelopes, never PEM, and the decrypted key is the one that sealed the licences', async () => {
    const rows = await sealKeys();
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      expect(isEnvelope(row.private_key)).toBe(true);
      expect(row.private_key).not.toContain('PRIVATE KEY');
    }
    const licence = await opened.db.selectFrom('licences').selectAll().limit(1).executeTakeFirstOrThrow();
    const privateKey = await store.privateSealKey(licence.seal_key_id, sealer);
    // Ed25519 is deterministic: the decrypted key reproduces the stored seal exactly.
    expect(sealContent(licence.content, privateKey!)).toBe(licence.signature);
  });

  it('an issuer\'s ciphertext copied into another issuer\'s row does not decrypt', async () => {
    const [a, b] = await sealKeys();
    await opened.db.updateTable('seal_keys').set({ private_key: a!.private_key }).where('key_id', '=', b!.key_id).execute();
    try {
      await expect(store.privateSealKey(b!.key_id, sealer)).rejects.toMatchObject({ code: 'AUTHENTICATION_FAILED' });
      await expect(store.privateSealKey(b!.key_id, sealer)).rejects.toBeInstanceOf(SecretSealerError);
    } finally {
      await opened.db.updateTable('seal_keys').set({ private_key: b!.private_key }).where('key_id', '=', b!.key_id).execute();
    }
  });

  it('a database seeded before encryption is encrypted in place at start, once', async () => {
    const [row] = await sealKeys();
    const pem = (await store.privateSealKey(row!.key_id, sealer))!.export({ type: 'pkcs8', format: 'pem' }).toString();
    await opened.db.updateTable('seal_keys').set({ private_key: pem }).where('key_id', '=', row!.key_id).execute();
    expect(await licences.sealSecretsAtRest!(opened.db, sealer)).toBe(1);
    expect(await licences.sealSecretsAtRest!(opened.db, sealer)).toBe(0);
    const after = await opened.db.selectFrom('seal_keys').select('private_key').where('key_id', '=', row!.key_id).executeTakeFirstOrThrow();
    expect(isEnvelope(after.private_key)).toBe(true);
    expect((await sealer.decrypt(after.private_key, sealKeyBinding(row!.key_id))).toString()).toBe(pem);
  });

  it('after a rotation (key 2 current, key 1 previous) keys still decrypt and are re-encrypted under key 2', async () => {
    const rotated = localSecretSealer({ current: key2, previous: [key1] });
    const [row] = await sealKeys();
    expect(await store.privateSealKey(row!.key_id, rotated)).not.toBeNull();
    const count = (await sealKeys()).length;
    expect(await licences.sealSecretsAtRest!(opened.db, rotated)).toBe(count);
    for (const r of await sealKeys()) expect(envelopeKeyId(r.private_key)).toBe(rotated.currentKeyId);
    await expect(store.privateSealKey(row!.key_id, localSecretSealer({ current: key1 }))).rejects.toMatchObject({ code: 'UNKNOWN_KEY' });
  });

  it('the seed refuses to run without the platform key', async () => {
    await expect(seedLicences(opened.db, world)).rejects.toThrow(/needs the platform key/);
  });
});
