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
 * The gateway's signing keys (issue 15; in the platform store, encrypted under the platform key):
 *
 * - `signing`: every signing key — purpose, generation, kid, whether it signs now.
 * - `rotate-signing [context|audit-checkpoint]` (both by default): a new key of that purpose
 *   becomes active; the old ones stay published and keep verifying what they signed. Running
 *   replicas sign contexts with it within seconds; an audit trail signs checkpoints with it
 *   from its replica's next start.
 * - `subgraph-mac <name>`: the context MAC key of one subgraph (base64), for
 *   GOVGRAPH_SUBGRAPH_MAC_KEY of `govgraph subgraph <name>` on the department's host.
 *
 * Keys given in GOVGRAPH_PLATFORM_KEY are rotated where they are kept: set the new key there,
 * the old one in GOVGRAPH_PLATFORM_KEY_PREVIOUS, restart, then `reencrypt` (or let starts do it).
 */
import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { PlatformConfig } from './config.ts';
import { databaseName, openDatabase, type StorageConfig } from '../storage/database.ts';
import { platformSecretSealer, rotatePlatformKeyFile } from '../lib/platformKeys.ts';
import { envelopeKeyId, type SecretSealer } from '../lib/secretSealer.ts';
import { PlatformStore, type PlatformDatabase } from '../control/store/platformStore.ts';
import { sealWebhookSecretsAtRest } from '../control/notifications/webhookSecrets.ts';
import { SealKeyRegistry, type IssuerSealKeysTable } from '../control/seals/sealKeyRegistry.ts';
import { LicencesStore, type LicencesDatabase } from '../subgraphs/licences/store.ts';
import { SIGNING_KEY_PURPOSES, SigningKeyStore, type SigningKeyInfo, type SigningKeyPurpose } from '../control/keys/signingKeyStore.ts';
import { deriveSubgraphMacKey, SUBGRAPH_MAC_KEY_ENV } from '../lib/contextMac.ts';
import { platformMigrations } from '../control/store/migrations.ts';
import { pendingMigrations } from '../storage/migrate.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';

/** Stored secrets per key id (`plaintext` for values not yet encrypted), per store. */
export type SecretCensus = Record<string, Record<string, number>>;

export interface KeysReport {
  readonly currentKeyId: string;
  readonly secrets: SecretCensus;
  /** Rows re-encrypted by this run, per store. */
  readonly reencrypted?: Record<string, number>;
  readonly previousKeyIds?: readonly string[];
  readonly next?: string;
  /** Signing keys (and the MAC root) re-encrypted under the current platform key by this run. */
  readonly resealedSigningKeys?: number;
}

/** What the signing key commands answer. */
export interface SigningKeysReport {
  readonly signingKeys?: readonly SigningKeyInfo[];
  readonly rotated?: readonly SigningKeyInfo[];
  readonly subgraph?: string;
  readonly macKey?: string;
  readonly next?: string;
}

/** Whether an owner's database exists, without creating it (opening an SQLite file creates it). */
function exists(storage: StorageConfig, owner: string): boolean {
  return storage.kind !== 'sqlite' || existsSync(join(storage.dataDir, `${databaseName(owner)}.sqlite`));
}

interface Stores {
  readonly platform?: PlatformStore;
  /** The platform's signing keys, when its store has them (migration 015). */
  readonly signingKeys?: SigningKeyStore;
  /** The issuer seal-key registry, when its store has it (migration 016). */
  readonly sealKeys?: SealKeyRegistry;
  readonly licences?: Kysely<LicencesDatabase>;
}

async function withStores<T>(storage: StorageConfig, secrets: SecretSealer, work: (stores: Stores) => Promise<T>): Promise<T> {
  const platformDb = exists(storage, 'platform') ? await openDatabase<PlatformDatabase>(storage, 'platform') : null;
  const licencesDb = exists(storage, 'licences') ? await openDatabase<LicencesDatabase>(storage, 'licences') : null;
  try {
    const pending = platformDb ? await pendingMigrations(platformDb.db, platformMigrations, platformDb.schema) : [];
    const migrated = platformDb && !pending.includes('015_signing_keys');
    return await work({
      ...(platformDb ? { platform: new PlatformStore(platformDb.db, secrets) } : {}),
      ...(platformDb && migrated ? { signingKeys: new SigningKeyStore(platformDb.db, secrets) } : {}),
      ...(platformDb && !pending.includes('016_seal_keys') ? { sealKeys: new SealKeyRegistry(platformDb.db, secrets) } : {}),
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
  if (stores.signingKeys) result['signing_keys.private_key'] = tally(await stores.signingKeys.sealedValues());
  if (stores.sealKeys && stores.platform) {
    const rows = await (stores.platform.db as unknown as Kysely<IssuerSealKeysTable>).selectFrom('issuer_seal_keys').select('private_key').execute();
    result['issuer_seal_keys.private_key'] = tally(rows.map((r) => r.private_key));
  }
  return result;
}

async function reencrypt(stores: Stores, secrets: SecretSealer): Promise<Record<string, number>> {
  return {
    ...(stores.platform ? { 'departments.webhook_secret': await sealWebhookSecretsAtRest(stores.platform) } : {}),
    ...(stores.licences ? { 'seal_keys.private_key': await new LicencesStore(stores.licences).sealPrivateKeysAtRest(secrets) } : {}),
    // R10, R12: issuers' private seal keys under the new platform key too.
    ...(stores.sealKeys ? { 'issuer_seal_keys.private_key': await stores.sealKeys.sealAtRest() } : {}),
  };
}

/** `govgraph keys signing | rotate-signing | subgraph-mac`: the signing keys in the platform store. */
export async function runSigningKeysCommand(command: string, args: readonly string[], config: Pick<PlatformConfig, 'storage' | 'platformKey'>): Promise<SigningKeysReport> {
  const secrets = platformSecretSealer(config.platformKey);
  return withStores(config.storage, secrets, async ({ signingKeys }) => {
    if (!signingKeys) throw new Error('the platform store has no signing keys yet: run `govgraph migrate` (or start the platform once)');
    if (command === 'signing') return { signingKeys: await signingKeys.list() };
    if (command === 'subgraph-mac') {
      const name = args[0];
      if (!name || !SUBGRAPHS.some((s) => s.name === name)) throw new Error(`usage: govgraph keys subgraph-mac <${SUBGRAPHS.map((s) => s.name).join('|')}>`);
      return { subgraph: name, macKey: deriveSubgraphMacKey(await signingKeys.macRoot(), name).toString('base64'), next: `give it to that subgraph only, as ${SUBGRAPH_MAC_KEY_ENV}` };
    }
    const which = args[0];
    if (which !== undefined && !(SIGNING_KEY_PURPOSES as readonly string[]).includes(which)) throw new Error(`usage: govgraph keys rotate-signing [${SIGNING_KEY_PURPOSES.join('|')}] (received ${JSON.stringify(which)})`);
    const purposes = which ? [which as SigningKeyPurpose] : [...SIGNING_KEY_PURPOSES];
    const rotated: SigningKeyInfo[] = [];
    for (const purpose of purposes) rotated.push(await signingKeys.rotate(purpose, 'govgraph keys rotate-signing'));
    return {
      rotated,
      signingKeys: await signingKeys.list(),
      next: 'replicas sign contexts with the new key within 5 s; each audit trail signs checkpoints with it from its next start; the old keys stay published and keep verifying',
    };
  });
}

/**
 * The platform's published checkpoint keys, every generation (`govgraph audit verify`): read
 * from the platform store without the platform key; empty when the store has none yet.
 */
export async function publishedCheckpointKeys(storage: StorageConfig): Promise<KeyObject[]> {
  if (!exists(storage, 'platform')) return [];
  const platformDb = await openDatabase<PlatformDatabase>(storage, 'platform');
  try {
    if ((await pendingMigrations(platformDb.db, platformMigrations, platformDb.schema)).includes('015_signing_keys')) return [];
    return [...(await new SigningKeyStore(platformDb.db, null).publicKeys('audit-checkpoint')).values()];
  } finally {
    await platformDb.close();
  }
}

/** The signing key commands (runSigningKeysCommand) beside the platform key's. */
export const SIGNING_KEY_COMMANDS: readonly string[] = ['signing', 'rotate-signing', 'subgraph-mac'];

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
        currentKeyId: secrets.currentKeyId, reencrypted: await reencrypt(stores, secrets),
        ...(stores.signingKeys ? { resealedSigningKeys: await stores.signingKeys.reseal() } : {}),
        secrets: await census(stores),
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
        ...(stores.signingKeys ? { resealedSigningKeys: await stores.signingKeys.reseal() } : {}),
        secrets: await census(stores),
        next: `restart every process that reads ${keyFile}; drop a previous key from the file once \`govgraph keys status\` shows no secret under it`,
      }));
    }
    default:
      throw new Error(`usage: govgraph keys status|reencrypt|rotate|signing|rotate-signing [context|audit-checkpoint]|subgraph-mac <subgraph> (received ${JSON.stringify(command)})`);
  }
}
