/** For tests: an issuer seal-key registry over a fresh platform database of the given storage, with the demo's departments. */
import { randomBytes } from 'node:crypto';
import { DEMO_DEPARTMENTS } from '../../demo/departments.ts';
import { localSecretSealer, type SecretSealer } from '../../lib/secretSealer.ts';
import { openDatabase, type OpenedDatabase, type StorageConfig } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { platformMigrations } from '../store/migrations.ts';
import { PlatformStore, type PlatformDatabase } from '../store/platformStore.ts';
import { SealKeyRegistry } from './sealKeyRegistry.ts';

export interface TestSealRegistry {
  readonly registry: SealKeyRegistry;
  readonly store: PlatformStore;
  readonly secrets: SecretSealer;
  readonly opened: OpenedDatabase<PlatformDatabase>;
  close(): Promise<void>;
}

export async function openTestSealRegistry(storage: StorageConfig, clock?: () => Date): Promise<TestSealRegistry> {
  const opened = await openDatabase<PlatformDatabase>(storage, 'platform');
  await migrateToLatest(opened.db, platformMigrations, 'platform', opened.schema);
  const secrets = localSecretSealer({ current: randomBytes(32) });
  const store = new PlatformStore(opened.db, secrets);
  for (const d of DEMO_DEPARTMENTS) await store.upsertDepartment({ code: d.code, name: d.name, nameEn: d.nameEn, role: d.role, jurisdiction: d.jurisdiction });
  return { registry: new SealKeyRegistry(opened.db, secrets, clock), store, secrets, opened, close: () => opened.close() };
}
