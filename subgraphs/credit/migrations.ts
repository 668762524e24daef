/** Development and reform's public credit schema, as migrations (applied in name order). */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import { addUpdatedAtColumns } from '../runtime/definition.ts';

export const migrations: Migrations = {
  '001_public_credit_records': {
    async up(db: Kysely<any>) {
      // A profile is identified by its subject; the primary keys lead with (subject_kind,
      // subject_key), which is how every table is read.
      await db.schema
        .createTable('credit_profiles')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_key', 'text', (c) => c.notNull())
        .addColumn('rating', 'text')
        .addColumn('dishonest', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_date', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('credit_profiles_pk', ['subject_kind', 'subject_key'])
        .execute();
      await db.schema
        .createTable('penalties')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_key', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('decision_no', 'text', (c) => c.notNull())
        .addColumn('authority', 'text', (c) => c.notNull())
        .addColumn('decision_date', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('penalties_pk', ['subject_kind', 'subject_key', 'position'])
        .addForeignKeyConstraint('penalties_profile_fk', ['subject_kind', 'subject_key'], 'credit_profiles', ['subject_kind', 'subject_key'])
        .execute();
      await db.schema
        .createTable('commendations')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_key', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('authority', 'text', (c) => c.notNull())
        .addColumn('awarded_date', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('commendations_pk', ['subject_kind', 'subject_key', 'position'])
        .addForeignKeyConstraint('commendations_profile_fk', ['subject_kind', 'subject_key'], 'credit_profiles', ['subject_kind', 'subject_key'])
        .execute();
    },
  },
  '002_updated_at_for_freshness': {
    async up(db: Kysely<any>) {
      await addUpdatedAtColumns(db, ['credit_profiles', 'penalties', 'commendations']);
    },
  },
};
