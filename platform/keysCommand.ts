/**
 * `govgraph keys status | reencrypt | rotate` — the platform key (R10), run locally against the
 * stores like the audit commands:
 *
 * - `status`: the current key id, the previous ones, and how many stored secrets each key
 *   (or plain text) holds — a previous key can be dropped once it holds none.
 * - `reencrypt`: every stored secret under the current key (what each start does as well).
 * - `rotate`: with a key file (the default DATA_DIR/keys/platform.key, or
 *   GOVGRAPH_PLATFORM_KEY_FILE), puts a new key first, keeps the old ones as previous, and
 *   re-encrypts. Running processes still hold the old keyring: restart them (every replica
 *   reading the same key file) before they need a secret written under the new key.
 *
 * Keys given in GOVGRAPH_PLATFORM_KEY are rotated where they are kept: set the new key there,
 * the old one in GOVGRAPH_PLATFORM_KEY_PREVIOUS, restart, then `reencrypt` (or let starts do it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { PlatformConfig } from './config.ts';
import { databaseName, openDatabase, type StorageConfig } from '../storage/database.ts';
import { platformSecretSealer, rotatePlatformKeyFile } from '../lib/platformKeys.ts';
import { envelopeKeyId, type SecretSealer } from '../lib/secretSealer.ts';
import { PlatformStore, type PlatformDatabase } from '../control/store/platformStore.ts';
import { sealWebhookSecretsAtRest } from '../control/notifications/webhookSecrets.ts';
import { LicencesStore, type LicencesDatabase } from '../subgraphs/licences/store.ts';

/** Stored secrets per key id (`plaintext` for values not yet encrypted), per store. */
export type SecretCensus = Record<string, Record<string, number>>;

export interface KeysReport {
  readonly currentKeyId: string;
  readonly secrets: SecretCensus;
  /** Rows re-encrypted by this run, per store. */
  readonly reencrypted?: Record<string, number>;
  readonly previousKeyIds?: readonly string[];
  readonly next?: string;
}

/** Whether an owner's database exists, without creating it (opening an SQLite file creates it). */
function exists(storage: StorageConfig, owner: string): boolean {
  return storage.kind !== 'sqlite' || existsSync(join(storage.dataDir, `${databaseName(owner)}.sqlite`));
}

interface Stores {
  readonly platform?: PlatformStore;
  readonly licences?: Kysely<LicencesDatabase>;
}

async function withStores<T>(storage: StorageConfig, secrets: SecretSealer, work: (stores: Stores) => Promise<T>): Promise<T> {
  const platformDb = exists(storage, 'platform') ? await openDatabase<PlatformDatabase>(storage, 'platform') : null;
  const licencesDb = exists(storage, 'licences') ? await openDatabase<LicencesDatabase>(storage, 'licences') : null;
  try {
    return await work({
      ...(platformDb ? { platform: new PlatformStore(platformDb.db, secrets) } : {}),
      ...(licencesDb ? { licences: licencesDb.db } : {}),
    });
  } finally {
    await platformDb?.close();
    await licencesDb?.close();
  }
}

function tally(values: readonly (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) {
    if (value === null) continue;
    const key = envelopeKeyId(value) ?? 'plaintext';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function census(stores: Stores): Promise<SecretCensus> {
  const result: SecretCensus = {};
  if (stores.platform) {
    const rows = await stores.platform.db.selectFrom('departments').select('webhook_secret').execute();
    result['departments.webhook_secret'] = tally(rows.map((r) => r.webhook_secret));
  }
  if (stores.licences) {
    const rows = await stores.licences.selectFrom('seal_keys').select('private_key').execute();
    result['seal_keys.private_key'] = tally(rows.map((r) => r.private_key));
  }
  return result;
}

async function reencrypt(stores: Stores, secrets: SecretSealer): Promise<Record<string, number>> {
  return {
    ...(stores.platform ? { 'departments.webhook_secret': await sealWebhookSecretsAtRest(stores.platform) } : {}),
    ...(stores.licences ? { 'seal_keys.private_key': await new LicencesStore(stores.licences).sealPrivateKeysAtRest(secrets) } : {}),
  };
}

export async function runKeysCommand(command: string | undefined, config: Pick<PlatformConfig, 'storage' | 'platformKey'>): Promise<KeysReport> {
  switch (command) {
    case 'status':
    case undefined: {
      const secrets = platformSecretSealer(config.platformKey);
      return withStores(config.storage, secrets, async (stores) => ({ currentKeyId: secrets.currentKeyId, secrets: await census(stores) }));
    }
    case 'reencrypt': {
      const secrets = platformSecretSealer(config.platformKey);
      return withStores(config.storage, secrets, async (stores) => ({
        currentKeyId: secrets.currentKeyId, reencrypted: await reencrypt(stores, secrets), secrets: await census(stores),
      }));
    }
    case 'rotate': {
      if (config.platformKey.kind !== 'file') {
        throw new Error('the platform key comes from GOVGRAPH_PLATFORM_KEY: rotate it where it is kept (new key there, the old one in GOVGRAPH_PLATFORM_KEY_PREVIOUS), restart, then run `govgraph keys reencrypt`');
      }
      // The key file exists (created if it is the default) before a key is put in front of it.
      platformSecretSealer(config.platformKey);
      const rotated = rotatePlatformKeyFile(config.platformKey.path);
      const secrets = platformSecretSealer(config.platformKey);
      const keyFile = config.platformKey.path;
      return withStores(config.storage, secrets, async (stores) => ({
        currentKeyId: secrets.currentKeyId,
        previousKeyIds: rotated.previousKeyIds,
        reencrypted: await reencrypt(stores, secrets),
        secrets: await census(stores),
        next: `restart every process that reads ${keyFile}; drop a previous key from the file once \`govgraph keys status\` shows no secret under it`,
      }));
    }
    default:
      throw new Error(`usage: govgraph keys status|reencrypt|rotate (received ${JSON.stringify(command)})`);
  }
}
