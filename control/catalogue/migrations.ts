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
  '002_catalogue_reviews': {
    async up(db: Kysely<any>) {
      // Issue 21 (001 art. 9–10; 002 art. 10; 000 art. 9): a provider's catalogue change waits
      // for the competent department's review; approved, it is on file (备案) and published.
      await db.schema
        .createTable('catalogue_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_code', 'text', (c) => c.notNull().references('catalogue_entries.code'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('state', 'text')
        .addColumn('update_id', 'text')
        .addColumn('note', 'text')
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('submitted_person', 'text')
        .addColumn('due_date', 'text')
        .addColumn('working_days', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('decided_person', 'text')
        .addColumn('reasons', 'text')
        .execute();
      await db.schema.createIndex('catalogue_reviews_one_pending').on('catalogue_reviews').column('entry_code').unique().where(sql.ref('status'), '=', 'PENDING').execute();
      await db.schema.createIndex('catalogue_reviews_entry').on('catalogue_reviews').columns(['entry_code', 'submitted_at']).execute();
      // What was published before review existed is on file as it stands (the first edition).
      const published = await db.selectFrom('catalogue_entries').select(['code', 'provider', 'catalogued_fingerprint', 'last_updated', 'created_at']).where('catalogued_fingerprint', 'is not', null).where('withdrawn_at', 'is', null).execute();
      for (const e of published) {
        const at = (e.last_updated ?? e.created_at) as string;
        await db.insertInto('catalogue_reviews').values({
          id: `cr-filed-${e.code as string}`, entry_code: e.code, provider: e.provider, fingerprint: e.catalogued_fingerprint, state: null, update_id: null,
          note: 'on file before catalogue review began', submitted_at: at, submitted_by: 'system:catalogue:first-edition', submitted_person: null, due_date: null, working_days: 0,
          status: 'FILED', decided_at: at, decided_by: 'system:catalogue:first-edition', decided_person: null, reasons: 'published before review and filing began: on file as it stands',
        }).execute();
      }
    },
  },
};
