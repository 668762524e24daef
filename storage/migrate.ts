/**
 * Schema changes are migrations, versioned in the repo next to the store that owns them.
 * Migration names sort in the order they apply (`001_init`, `002_…`); applied names are kept
 * in the owner's own `kysely_migration` table, so each department migrates independently.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';

export type Migrations = Readonly<Record<string, Migration>>;

export async function migrateToLatest(db: Kysely<any>, migrations: Migrations, owner: string, schema: string | null = null): Promise<string[]> {
  // On PostgreSQL the migration tables must be named with the owner's schema: left alone,
  // Kysely finds another owner's kysely_migration through the catalog and takes it for ours.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) }, ...(schema ? { migrationTableSchema: schema } : {}) });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's migrator lists tables across every schema of the PostgreSQL database; another
  // owner's schema dropped at that instant (tests clean up in parallel) fails the listing.
  // That is not our migration's fault: list again.
  for (let attempt = 0; attempt < 3 && (error as { code?: string } | undefined)?.code === '3F000'; attempt++) {
    ({ error, results } = await migrator.migrateToLatest());
  }
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} of ${owner} failed: ${cause}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations of `owner` not applied yet (a gateway replica refuses to start on an old schema: `govgraph migrate` first). */
export async function pendingMigrations(db: Kysely<any>, migrations: Migrations, schema: string | null = null): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
