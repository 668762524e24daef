/** Reads of the electronic licence library. Every read is by known licence numbers or holders. */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { preparedKeyRead, preparedRead } from '../runtime/preparedRead.ts';
import type { LicenceKind } from '../../demo/world.ts';
import { resealed, type SecretSealer } from '../../lib/secretSealer.ts';
import type { ElectronicSealRecord } from '../../lib/electronicSeal.ts';

export interface LicencesDatabase {
  /**
   * Issuers' Ed25519 keys of licences sealed before migration 003 (R12 now: the platform's
   * issuer seal-key registry, control/seals). Kept so that an older database still opens and its
   * private keys stay encrypted; nothing new is written here.
   */
  seal_keys: {
    key_id: string;
    issuer_code: string;
    issuer_name: string;
    algorithm: string;
    /** base64 DER SubjectPublicKeyInfo. */
    public_key: string;
    /**
     * PKCS #8 PEM, encrypted under the platform key (R10, R12): a `gg1:` envelope bound to
     * `sealKeyBinding(key_id)`. Never read by a request; only issuing a licence needs it.
     */
    private_key: string;
    created_at: string;
  };
  licences: {
    licence_no: string;
    kind: string;
    name: string;
    holder_kind: string;
    /** idNumber of a PERSON, creditCode of a LEGAL_ENTITY. */
    holder_key: string;
    holder_name: string;
    issuer: string;
    issuer_code: string;
    issue_date: string;
    valid_until: string | null;
    revoked: number;
    /** Canonical JSON of the licence as issued: the bytes the seal signs. */
    content: string;
    seal_key_id: string;
    /** base64 signature of the seal (SM2 over the seal's signed part; Ed25519 over content on rows sealed before migration 003). */
    signature: string;
    /** JSON of the seal (lib/electronicSeal.ts, GB/T 38540 shape); null on a row not yet re-sealed with SM2. */
    seal: string | null;
    updated_at: string | null;
  };
}

export type HolderKind = 'PERSON' | 'LEGAL_ENTITY';

export interface Licence {
  readonly licenceNo: string;
  readonly kind: LicenceKind;
  readonly name: string;
  readonly holderKind: HolderKind;
  readonly holderKey: string;
  readonly issuer: string;
  readonly issueDate: string;
  /** null: valid long-term (长期). */
  readonly validUntil: string | null;
  readonly revoked: boolean;
  readonly content: string;
  readonly sealKeyId: string;
  readonly signature: string;
  /** The SM2 seal (R12); null on a row sealed by an older version and not yet re-sealed. */
  readonly seal: ElectronicSealRecord | null;
}

export interface PublicSealKey {
  readonly keyId: string;
  readonly algorithm: string;
  readonly publicKey: string;
}

function toLicence(row: LicencesDatabase['licences']): Licence {
  return {
    licenceNo: row.licence_no,
    kind: row.kind as LicenceKind,
    name: row.name,
    holderKind: row.holder_kind as HolderKind,
    holderKey: row.holder_key,
    issuer: row.issuer,
    issueDate: row.issue_date,
    validUntil: row.valid_until,
    revoked: row.revoked === 1,
    content: row.content,
    sealKeyId: row.seal_key_id,
    signature: row.signature,
    seal: row.seal ? JSON.parse(row.seal) as ElectronicSealRecord : null,
  };
}

/** What an issuer's encrypted private key is bound to: copied into another key's row, it does not decrypt. */
export function sealKeyBinding(keyId: string): string {
  return `seal_keys.private_key:${keyId}`;
}

// By-key reads, compiled once per number of keys (subgraphs/runtime/preparedRead.ts).
const LICENCES_BY_NUMBERS = preparedKeyRead((db: Kysely<LicencesDatabase>, licenceNos) =>
  db.selectFrom('licences').selectAll().where('licence_no', 'in', licenceNos));
/** The holder kind is part of the shape and of the parameters (preparedRead's contract). */
const LICENCES_HELD_BY = preparedRead(
  (db: Kysely<LicencesDatabase>, { kind, holderKeys }: { kind: HolderKind; holderKeys: readonly string[] }) => db
    .selectFrom('licences')
    .selectAll()
    .where('holder_kind', '=', kind)
    .where('holder_key', 'in', holderKeys)
    .orderBy('holder_key')
    .orderBy('issue_date')
    .orderBy('licence_no'),
  ({ kind, holderKeys }) => ({ shape: `${kind}:${holderKeys.length}`, parameters: [kind, ...holderKeys] }),
);

export class LicencesStore {
  constructor(private readonly db: Kysely<LicencesDatabase>) {}

  async licencesByNumbers(licenceNos: readonly string[]): Promise<Licence[]> {
    const rows = await LICENCES_BY_NUMBERS(this.db, licenceNos);
    return rows.map(toLicence);
  }

  async licencesHeldBy(kind: HolderKind, holderKeys: readonly string[]): Promise<Licence[]> {
    const rows = await LICENCES_HELD_BY(this.db, { kind, holderKeys });
    return rows.map(toLicence);
  }

  /** Public halves only: private keys never leave this store's seed. */
  async sealKeysByIds(keyIds: readonly string[]): Promise<PublicSealKey[]> {
    const rows = await this.db
      .selectFrom('seal_keys')
      .select(['key_id', 'algorithm', 'public_key'])
      .where('key_id', 'in', keyIds)
      .execute();
    return rows.map((r) => ({ keyId: r.key_id, algorithm: r.algorithm, publicKey: r.public_key }));
  }

  /**
   * An issuer's private seal key, decrypted for the one thing that needs it: sealing a newly
   * issued document. Null when there is no such key.
   */
  async privateSealKey(keyId: string, secrets: SecretSealer): Promise<KeyObject | null> {
    const row = await this.db.selectFrom('seal_keys').select('private_key').where('key_id', '=', keyId).executeTakeFirst();
    if (!row) return null;
    return createPrivateKey(await secrets.decrypt(row.private_key, sealKeyBinding(keyId)));
  }

  /**
   * Encrypts private keys a database seeded before keys were encrypted still holds as PEM,
   * and re-encrypts those under a previous platform key (R10). Idempotent; a row is replaced
   * only if it still holds what was read. Returns rows rewritten.
   */
  async sealPrivateKeysAtRest(secrets: SecretSealer): Promise<number> {
    const rows = await this.db.selectFrom('seal_keys').select(['key_id', 'private_key']).execute();
    let rewritten = 0;
    for (const row of rows) {
      const next = await resealed(secrets, row.private_key, sealKeyBinding(row.key_id));
      if (next === null) continue;
      const result = await this.db.updateTable('seal_keys').set({ private_key: next })
        .where('key_id', '=', row.key_id).where('private_key', '=', row.private_key).executeTakeFirst();
      rewritten += Number(result.numUpdatedRows);
    }
    return rewritten;
  }
}
