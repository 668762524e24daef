/**
 * The gateway replicas' signing keys, kept in the platform store (issue 15, R10): every replica
 * signs with the same key, so a context or checkpoint any of them signed verifies anywhere.
 *
 * Glossary:
 * - purpose: what a key signs — `context` (sharing contexts to subgraphs, published at
 *   `/.well-known/jwks.json`) or `audit-checkpoint` (the audit chain's signed heads, published
 *   at `/.well-known/audit-keys.json`). A key signs for one purpose only.
 * - generation: 1, 2, … per purpose; the highest is the active key (it signs), every one keeps
 *   verifying what it signed. A rotation adds the next generation; two replicas rotating at
 *   once cannot both add it (unique per purpose and generation).
 * - private half: an Ed25519 PKCS#8 key, encrypted under the platform key every replica is
 *   given (lib/secretSealer.ts), bound to its kid: copied into another row it does not open.
 * - context MAC root: the secret each subgraph's context MAC key is derived from
 *   (lib/contextMac.ts), in `platform_secrets`, encrypted the same way; not rotated with the
 *   signing key, so subgraphs keep their MAC keys across a rotation.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { publishedKeyId } from '../../lib/publishedKeySet.ts';
import { resealed, type SecretSealer } from '../../lib/secretSealer.ts';

export const SIGNING_KEY_PURPOSES = ['context', 'audit-checkpoint'] as const;
export type SigningKeyPurpose = (typeof SIGNING_KEY_PURPOSES)[number];

export interface SigningKeyTables {
  signing_keys: {
    kid: string;
    purpose: string;
    generation: number;
    public_key: string;
    private_key: string;
    created_at: string;
    created_by: string;
  };
  platform_secrets: {
    name: string;
    value: string;
    created_at: string;
  };
}

/** A key that signs: its id and private half. */
export interface ActiveSigningKey {
  readonly kid: string;
  readonly generation: number;
  readonly privateKey: KeyObject;
}

/** What `govgraph keys status` shows of a key: never its private half. */
export interface SigningKeyInfo {
  readonly kid: string;
  readonly purpose: SigningKeyPurpose;
  readonly generation: number;
  readonly active: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly sealedUnder: string;
}

const MAC_ROOT = 'context-mac-root';
const MAC_ROOT_BYTES = 32;

const privateBinding = (kid: string) => `signing_keys.private_key:${kid}`;
const secretBinding = (name: string) => `platform_secrets.value:${name}`;

export class SigningKeyStore {
  private readonly db: Kysely<SigningKeyTables>;

  /** `sealer`: null for a reader of public keys only (an auditor without the platform key). */
  constructor(db: Kysely<any>, private readonly sealerOrNull: SecretSealer | null) {
    this.db = db as Kysely<SigningKeyTables>;
  }

  private get sealer(): SecretSealer {
    if (!this.sealerOrNull) throw new Error('reading or writing a private signing key needs the platform key');
    return this.sealerOrNull;
  }

  /**
   * The platform's first key of `purpose`, once: `bootstrap` (a key file an older version
   * kept under DATA_DIR/keys, so what it signed keeps verifying) or a new key. Replicas
   * starting together on an empty store all end with the same key: the first insert wins.
   */
  async ensure(purpose: SigningKeyPurpose, by: string, bootstrap?: KeyObject): Promise<void> {
    const existing = await this.db.selectFrom('signing_keys').select('kid').where('purpose', '=', purpose).limit(1).executeTakeFirst();
    if (existing) return;
    await this.insert(purpose, 1, bootstrap ?? generateKeyPairSync('ed25519').privateKey, by);
  }

  /** The context MAC root, once: `bootstrap` (the seed of a key file's key, so K_s is unchanged) or random bytes. */
  async ensureMacRoot(bootstrap?: Buffer): Promise<void> {
    const existing = await this.db.selectFrom('platform_secrets').select('name').where('name', '=', MAC_ROOT).executeTakeFirst();
    if (existing) return;
    const root = bootstrap ?? randomBytes(MAC_ROOT_BYTES);
    await this.db.insertInto('platform_secrets')
      .values({ name: MAC_ROOT, value: await this.sealer.encrypt(root, secretBinding(MAC_ROOT)), created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  async macRoot(): Promise<Buffer> {
    const row = await this.db.selectFrom('platform_secrets').select('value').where('name', '=', MAC_ROOT).executeTakeFirst();
    if (!row) throw new Error('the platform store holds no context MAC root: run `govgraph migrate` (or start the platform once)');
    return this.sealer.decrypt(row.value, secretBinding(MAC_ROOT));
  }

  /**
   * A new key of `purpose` becomes active; the old ones keep verifying. Two rotations at once
   * (two replicas, two operators) add two generations, one after the other.
   */
  async rotate(purpose: SigningKeyPurpose, by: string): Promise<SigningKeyInfo> {
    const { privateKey } = generateKeyPairSync('ed25519');
    for (let attempt = 0; ; attempt++) {
      const top = await this.db.selectFrom('signing_keys').select((eb) => eb.fn.max('generation').as('top')).where('purpose', '=', purpose).executeTakeFirst();
      const generation = Number(top?.top ?? 0) + 1;
      if (await this.insert(purpose, generation, privateKey, by)) {
        return (await this.list()).find((k) => k.kid === publishedKeyId(createPublicKey(privateKey)))!;
      }
      if (attempt >= 10) throw new Error(`could not add generation ${generation} of the ${purpose} key: other rotations keep winning`);
    }
  }

  /**
   * The key of `purpose` that signs now: the highest generation published at least `leadMs`
   * ago (so every gateway's published key set, read at most a second old, holds it before any
   * replica signs with it); the newest when none is that old (a new platform).
   */
  async active(purpose: SigningKeyPurpose, leadMs = 0): Promise<ActiveSigningKey> {
    const rows = await this.db.selectFrom('signing_keys').select(['kid', 'generation', 'private_key', 'created_at'])
      .where('purpose', '=', purpose).orderBy('generation', 'desc').limit(5).execute();
    const row = rows.find((r) => Date.now() - Date.parse(r.created_at) >= leadMs) ?? rows[0];
    if (!row) throw new Error(`the platform store holds no ${purpose} signing key: run \`govgraph migrate\` (or start the platform once)`);
    const pem = await this.sealer.decrypt(row.private_key, privateBinding(row.kid));
    const privateKey = createPrivateKey(pem);
    // A row whose private half is not its kid's key (edited by hand) must not sign under that name.
    if (publishedKeyId(createPublicKey(privateKey)) !== row.kid) throw new Error(`signing key ${row.kid}: its private half is another key's`);
    return { kid: row.kid, generation: Number(row.generation), privateKey };
  }

  /** Every public key of `purpose` the platform ever made, by kid: what verifiers trust. */
  async publicKeys(purpose: SigningKeyPurpose): Promise<Map<string, KeyObject>> {
    const rows = await this.db.selectFrom('signing_keys').select(['kid', 'public_key']).where('purpose', '=', purpose).orderBy('generation', 'desc').execute();
    const keys = new Map<string, KeyObject>();
    for (const row of rows) {
      const key = createPublicKey(row.public_key);
      // The kid is the key's own id: a row renamed by hand publishes nothing.
      if (publishedKeyId(key) === row.kid) keys.set(row.kid, key);
    }
    return keys;
  }

  async list(): Promise<SigningKeyInfo[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('purpose').orderBy('generation').execute();
    const top = new Map<string, number>();
    for (const r of rows) top.set(r.purpose, Math.max(top.get(r.purpose) ?? 0, Number(r.generation)));
    return rows.map((r) => ({
      kid: r.kid, purpose: r.purpose as SigningKeyPurpose, generation: Number(r.generation), active: top.get(r.purpose) === Number(r.generation),
      createdAt: r.created_at, createdBy: r.created_by, sealedUnder: r.private_key.split(':')[1] ?? 'plaintext',
    }));
  }

  /** Private halves and the MAC root under the current platform key (after a platform key rotation); returns how many changed. */
  async reseal(): Promise<number> {
    let changed = 0;
    for (const row of await this.db.selectFrom('signing_keys').select(['kid', 'private_key']).execute()) {
      const value = await resealed(this.sealer, row.private_key, privateBinding(row.kid));
      if (value === null) continue;
      await this.db.updateTable('signing_keys').set({ private_key: value }).where('kid', '=', row.kid).execute();
      changed++;
    }
    for (const row of await this.db.selectFrom('platform_secrets').select(['name', 'value']).execute()) {
      const value = await resealed(this.sealer, row.value, secretBinding(row.name));
      if (value === null) continue;
      await this.db.updateTable('platform_secrets').set({ value }).where('name', '=', row.name).execute();
      changed++;
    }
    return changed;
  }

  /** Stored private halves and secrets per platform key id, for `govgraph keys status`. */
  async sealedValues(): Promise<string[]> {
    const keys = await this.db.selectFrom('signing_keys').select('private_key').execute();
    const secrets = await this.db.selectFrom('platform_secrets').select('value').execute();
    return [...keys.map((k) => k.private_key), ...secrets.map((s) => s.value)];
  }

  /** Whether the row went in (false: another replica's rotation or first key took that generation or that kid). */
  private async insert(purpose: SigningKeyPurpose, generation: number, privateKey: KeyObject, by: string): Promise<boolean> {
    const publicKey = createPublicKey(privateKey);
    const kid = publishedKeyId(publicKey);
    const sealed = await this.sealer.encrypt(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, privateBinding(kid));
    const result = await this.db.insertInto('signing_keys')
      .values({
        kid, purpose, generation, public_key: publicKey.export({ type: 'spki', format: 'pem' }) as string, private_key: sealed,
        created_at: new Date().toISOString(), created_by: by,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
