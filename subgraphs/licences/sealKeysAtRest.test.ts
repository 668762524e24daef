import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DemoWorld } from '../../demo/world.ts';
import { openDatabase, type OpenedDatabase } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { createTestStorage, testDialects, type TestStorage } from '../../storage/testing.ts';
import { envelopeKeyId, isEnvelope, localSecretSealer } from '../../lib/secretSealer.ts';
import { licences } from './index.ts';
import { seedLicences } from './seed.ts';
import { LicencesStore, sealKeyBinding, type LicencesDatabase } from './store.ts';

const world = new DemoWorld({ persons: 40, legalEntities: 12, parcels: 10 });
const key1 = randomBytes(32);
const key2 = randomBytes(32);

// Seals are made by the platform's issuer seal-key registry now (control/seals, its own tests);
// a database sealed by an older version still holds Ed25519 keys here, which stay encrypted (R10).
describe.each(testDialects())('older issuers\' private seal keys stay encrypted (R10, R12) on %s', (dialect) => {
  let storage: TestStorage;
  let opened: OpenedDatabase<LicencesDatabase>;
  const sealer = localSecretSealer({ current: key1 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  beforeAll(async () => {
    storage = createTestStorage(dialect);
    opened = await openDatabase<LicencesDatabase>(storage.config, 'licences');
    await migrateToLatest(opened.db, licences.migrations, 'licences', opened.schema);
    await opened.db.insertInto('seal_keys').values({ key_id: 'SAMR440305-legacy', issuer_code: 'SAMR440305', issuer_name: '南山区市场监督管理局', algorithm: 'Ed25519', public_key: 'x', private_key: pem, created_at: new Date().toISOString() }).execute();
  });
  afterAll(async () => {
    await opened?.close();
    await storage?.cleanup();
  });

  it('a key stored as PEM is encrypted in place at start, once, and decrypts to the same key', async () => {
    expect(await licences.sealSecretsAtRest!(opened.db, sealer)).toBe(1);
    expect(await licences.sealSecretsAtRest!(opened.db, sealer)).toBe(0);
    const row = await opened.db.selectFrom('seal_keys').select('private_key').executeTakeFirstOrThrow();
    expect(isEnvelope(row.private_key)).toBe(true);
    expect((await sealer.decrypt(row.private_key, sealKeyBinding('SAMR440305-legacy'))).toString()).toBe(pem);
    expect(await new LicencesStore(opened.db).privateSealKey('SAMR440305-legacy', sealer)).not.toBeNull();
  });

  it('after a rotation of the platform key it is re-encrypted under the new key', async () => {
    const rotated = localSecretSealer({ current: key2, previous: [key1] });
    expect(await licences.sealSecretsAtRest!(opened.db, rotated)).toBe(1);
    const row = await opened.db.selectFrom('seal_keys').select('private_key').executeTakeFirstOrThrow();
    expect(envelopeKeyId(row.private_key)).toBe(rotated.currentKeyId);
  });

  it('the seed refuses to run without the issuer seal-key registry, and writes nothing', async () => {
    await expect(seedLicences(opened.db, world, { secrets: sealer })).rejects.toThrow(/issuer seal-key registry/);
    expect(await opened.db.selectFrom('licences').select('licence_no').executeTakeFirst()).toBeUndefined();
  });
});
