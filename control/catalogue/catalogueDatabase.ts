/** The catalogue's own database (owner `catalogue`): its tables, opened and migrated. */
import { openDatabase, type OpenedDatabase, type OpenOptions, type StorageConfig } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { catalogueMigrations } from './migrations.ts';

export const CATALOGUE_OWNER = 'catalogue';

export interface CatalogueDatabase {
  catalogue_entries: {
    code: string;
    type_name: string;
    provider: string;
    release_date: string | null;
    last_updated: string | null;
    catalogued_fingerprint: string | null;
    /** JSON of the EntryState last published. */
    catalogued_state: string | null;
    withdrawn_at: string | null;
    created_at: string;
  };
  catalogue_updates: {
    id: string;
    entry_code: string;
    provider: string;
    /** JSON array of ChangeCause. */
    causes: string;
    /** JSON array of coordinates. */
    changed_items: string;
    reason: string;
    opened_at: string;
    opened_by: string;
    policy_version: number | null;
    due_date: string | null;
    working_days: number;
    due_problem: string | null;
    closed_at: string | null;
    closed_by: string | null;
    resolution: string | null;
  };
  catalogue_publications: {
    id: string;
    entry_code: string;
    published_at: string;
    published_by: string;
    fingerprint: string;
    update_id: string | null;
    note: string | null;
  };
  /** 002: review and filing (备案) of a provider's catalogue change by the coordinating office (catalogueReview.ts). */
  catalogue_reviews: {
    id: string; entry_code: string; provider: string; fingerprint: string;
    /** JSON of the EntryState submitted (null for what was on file before review began). */
    state: string | null; update_id: string | null; note: string | null;
    submitted_at: string; submitted_by: string; submitted_person: string | null; due_date: string | null; working_days: number;
    status: string; decided_at: string | null; decided_by: string | null; decided_person: string | null; reasons: string | null;
  };
  catalogue_freshness: {
    type_name: string;
    subgraph: string;
    last_changed: string | null;
    checked_at: string;
    error: string | null;
  };
}

export async function openCatalogueDatabase(storage: StorageConfig, options: OpenOptions = {}): Promise<OpenedDatabase<CatalogueDatabase>> {
  const opened = await openDatabase<CatalogueDatabase>(storage, CATALOGUE_OWNER, options);
  try {
    await migrateToLatest(opened.db, catalogueMigrations, CATALOGUE_OWNER, opened.schema);
    return opened;
  } catch (error) {
    await opened.close();
    throw error;
  }
}
