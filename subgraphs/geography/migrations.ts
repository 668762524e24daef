/** The natural resources department's schema (divisions and the real-estate register), as migrations. */
import type { Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import { addUpdatedAtColumns } from '../runtime/definition.ts';

export const migrations: Migrations = {
  '001_divisions_and_real_estate': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('divisions')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('parent_code', 'text')
        .addColumn('full_name', 'text', (c) => c.notNull())
        .addColumn('boundary', 'text', (c) => c.notNull())
        // The boundary's bounding box, so divisionsAt filters candidates in SQL before the
        // exact point-in-polygon test reads their boundaries.
        .addColumn('min_lng', 'double precision', (c) => c.notNull())
        .addColumn('min_lat', 'double precision', (c) => c.notNull())
        .addColumn('max_lng', 'double precision', (c) => c.notNull())
        .addColumn('max_lat', 'double precision', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('divisions_parent_code').on('divisions').column('parent_code').execute();
      await db.schema.createIndex('divisions_bounding_box').on('divisions').columns(['min_lng', 'max_lng', 'min_lat', 'max_lat']).execute();

      await db.schema
        .createTable('parcels')
        .addColumn('unit_no', 'text', (c) => c.primaryKey())
        .addColumn('division', 'text', (c) => c.notNull().references('divisions.code'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('land_use', 'text', (c) => c.notNull())
        .addColumn('area', 'double precision', (c) => c.notNull())
        .addColumn('geometry', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('right_holdings')
        .addColumn('unit_no', 'text', (c) => c.notNull().references('parcels.unit_no'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('holder_kind', 'text', (c) => c.notNull())
        .addColumn('holder_key', 'text', (c) => c.notNull())
        .addColumn('holder_name', 'text', (c) => c.notNull())
        .addColumn('right_type', 'text', (c) => c.notNull())
        .addColumn('share_percent', 'double precision', (c) => c.notNull())
        .addColumn('certificate_no', 'text', (c) => c.notNull())
        .addColumn('registered_date', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('right_holdings_pk', ['unit_no', 'seq'])
        .execute();
      await db.schema.createIndex('right_holdings_holder').on('right_holdings').columns(['holder_kind', 'holder_key']).execute();

      await db.schema
        .createTable('mortgages')
        .addColumn('registration_no', 'text', (c) => c.primaryKey())
        .addColumn('unit_no', 'text', (c) => c.notNull().references('parcels.unit_no'))
        .addColumn('mortgagee', 'text', (c) => c.notNull())
        .addColumn('amount', 'double precision', (c) => c.notNull())
        .addColumn('registered_date', 'text', (c) => c.notNull())
        .addColumn('term_end', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('mortgages_unit_no').on('mortgages').column('unit_no').execute();
    },
  },
  '002_updated_at_for_freshness': {
    async up(db: Kysely<any>) {
      await addUpdatedAtColumns(db, ['divisions', 'parcels', 'right_holdings', 'mortgages']);
    },
  },
};
