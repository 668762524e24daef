/** The electronic licence library's schema, as migrations (applied in name order). */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import { addUpdatedAtColumns } from '../runtime/definition.ts';

export const migrations: Migrations = {
  '001_licences_and_seal_keys': {
    async up(db: Kysely<any>) {
      // R12: one seal key per issuer. The private key stays in the department's own
      // database, encrypted under the platform key (R10; a `gg1:` envelope written by the seed;
      // rows from before that are encrypted at start by LicencesStore.sealPrivateKeysAtRest —
      // migrations have no key); a production deployment would keep it in a seal server or HSM.
      await db.schema
        .createTable('seal_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('issuer_code', 'text', (c) => c.notNull())
        .addColumn('issuer_name', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('seal_keys_issuer_code').on('seal_keys').column('issuer_code').execute();

      await db.schema
        .createTable('licences')
        .addColumn('licence_no', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('holder_kind', 'text', (c) => c.notNull())
        .addColumn('holder_key', 'text', (c) => c.notNull())
        .addColumn('holder_name', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('issuer_code', 'text', (c) => c.notNull())
        .addColumn('issue_date', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text')
        .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
        // The sealed document as issued; revocation changes `revoked`, never the content.
        .addColumn('content', 'text', (c) => c.notNull())
        // No foreign key: the seed learns its issuers while writing licences and stores
        // their keys afterwards.
        .addColumn('seal_key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('licences_holder').on('licences').columns(['holder_kind', 'holder_key']).execute();
    },
  },
  '002_updated_at_for_freshness': {
    async up(db: Kysely<any>) {
      // Revocation changes a licence without reissuing it: updated_at moves, content does not.
      await addUpdatedAtColumns(db, ['licences']);
    },
  },
  '003_sm2_seals': {
    async up(db: Kysely<any>) {
      // R12 (004 art. 22–23; GB/T 38540): the whole seal as issued (JSON of lib/electronicSeal.ts:
      // SM2 with SM3, issuer, key id, signing time, content digest), verified against the
      // platform's issuer seal-key registry. Null on a row sealed by an older version (Ed25519,
      // key in seal_keys): the platform's seed re-seals those through the registry.
      await db.schema.alterTable('licences').addColumn('seal', 'text').execute();
    },
  },
};
