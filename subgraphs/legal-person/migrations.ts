/** Market supervision's registration schema, as migrations (applied in name order). */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import { addUpdatedAtColumns } from '../runtime/definition.ts';

export const migrations: Migrations = {
  '001_market_entity_register': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('legal_entities')
        .addColumn('credit_code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('registered_capital', 'double precision', (c) => c.notNull())
        .addColumn('established_date', 'text', (c) => c.notNull())
        .addColumn('registered_division', 'text', (c) => c.notNull())
        .addColumn('registered_address', 'text', (c) => c.notNull())
        .addColumn('business_scope', 'text', (c) => c.notNull())
        .addColumn('registration_authority', 'text', (c) => c.notNull())
        .addColumn('legal_representative', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Person.legalRepresentativeOf looks entities up by the representative's ID number.
      await db.schema.createIndex('legal_entities_legal_representative').on('legal_entities').column('legal_representative').execute();
      // The primary keys lead with credit_code, which is how both child tables are read.
      await db.schema
        .createTable('shareholders')
        .addColumn('credit_code', 'text', (c) => c.notNull().references('legal_entities.credit_code'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('holder_key', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('subscribed_capital', 'double precision', (c) => c.notNull())
        .addColumn('share_percent', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('shareholders_pk', ['credit_code', 'position'])
        .execute();
      await db.schema
        .createTable('annual_reports')
        .addColumn('credit_code', 'text', (c) => c.notNull().references('legal_entities.credit_code'))
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('submitted_date', 'text', (c) => c.notNull())
        .addColumn('employees', 'integer', (c) => c.notNull())
        .addColumn('operating_revenue', 'double precision', (c) => c.notNull())
        .addColumn('total_tax', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('annual_reports_pk', ['credit_code', 'year'])
        .execute();
    },
  },
  '002_updated_at_for_freshness': {
    async up(db: Kysely<any>) {
      await addUpdatedAtColumns(db, ['shareholders', 'annual_reports'], ['legal_entities']);
    },
  },
};
