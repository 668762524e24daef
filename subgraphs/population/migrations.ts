/** The population register's schema, as migrations (applied in name order). */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import { addUpdatedAtColumns } from '../runtime/definition.ts';

export const migrations: Migrations = {
  '001_household_register': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('households')
        .addColumn('household_no', 'text', (c) => c.primaryKey())
        .addColumn('division', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('head_id_number', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('persons')
        .addColumn('id_number', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('gender', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text', (c) => c.notNull())
        .addColumn('ethnicity', 'text')
        .addColumn('household_no', 'text', (c) => c.notNull().references('households.household_no'))
        .addColumn('household_relation', 'text', (c) => c.notNull())
        .addColumn('household_division', 'text', (c) => c.notNull())
        .addColumn('household_address', 'text', (c) => c.notNull())
        .addColumn('marital_status', 'text')
        .addColumn('biometric_template', 'text')
        .addColumn('deceased', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('death_date', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('persons_household_no').on('persons').column('household_no').execute();
    },
  },
  '002_updated_at_for_freshness': {
    async up(db: Kysely<any>) {
      await addUpdatedAtColumns(db, ['households'], ['persons']);
    },
  },
};
