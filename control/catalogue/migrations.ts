/**
 * The catalogue's own database (owner `catalogue`): what was published and when, the update
 * tasks with their deadlines (R3), and what the providers last said about freshness.
 *
 * - `catalogue_entries`: one row per resource code; the fingerprint and state last published.
 * - `catalogue_updates`: update tasks; at most one open per entry (a partial unique index, so
 *   that two gateway replicas reconciling at once open one task, not two).
 * - `catalogue_publications`: every publication, for the yearly evaluation of timeliness (R11).
 * - `catalogue_freshness`: per resource type, the provider's last reported change.
 */
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';

export const catalogueMigrations: Migrations = {
  '001_catalogue': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('catalogue_entries')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('type_name', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('release_date', 'text')
        .addColumn('last_updated', 'text')
        .addColumn('catalogued_fingerprint', 'text')
        .addColumn('catalogued_state', 'text')
        .addColumn('withdrawn_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('catalogue_updates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_code', 'text', (c) => c.notNull().references('catalogue_entries.code'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('causes', 'text', (c) => c.notNull())
        .addColumn('changed_items', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('opened_by', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'integer')
        .addColumn('due_date', 'text')
        .addColumn('working_days', 'integer', (c) => c.notNull())
        .addColumn('due_problem', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'text')
        .addColumn('resolution', 'text')
        .execute();
      await db.schema.createIndex('catalogue_updates_one_open').on('catalogue_updates').column('entry_code').unique().where(sql.ref('closed_at'), 'is', null).execute();
      await db.schema.createIndex('catalogue_updates_due').on('catalogue_updates').columns(['closed_at', 'due_date']).execute();
      await db.schema
        .createTable('catalogue_publications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_code', 'text', (c) => c.notNull().references('catalogue_entries.code'))
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('update_id', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('catalogue_publications_entry').on('catalogue_publications').columns(['entry_code', 'published_at']).execute();
      await db.schema
        .createTable('catalogue_freshness')
        .addColumn('type_name', 'text', (c) => c.primaryKey())
        .addColumn('subgraph', 'text', (c) => c.notNull())
        .addColumn('last_changed', 'text')
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
    },
  },
};
