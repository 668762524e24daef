/**
 * Schema changes are migrations, versioned in the repo next to the store that owns them.
 * Migration names sort in the order they apply (`001_init`, `002_…`); applied names are kept
 * in the owner's own `kysely_migration` table, so each department migrates independently.
 *
 * Rolling upgrades (issue 16): migrations are expand-then-contract (the rule is at the top of
 * control/store/migrations.ts), so a release's gateway keeps running on a store that the next
 * release has migrated. Migrations applied by a newer release — names this release does not
 * have, sorting after every one it has — are taken as done here, where Kysely alone would refuse
 * the store as "corrupted". An unknown name among this release's own (another branch's
 * migration) is still refused.
 */
import { Migrator, type Kysely, type Migration } from 'kysely';

export type Migrations = Readonly<Record<string, Migration>>;

/** The names applied to this store so far (none before its first migration). */
async function appliedNames(db: Kysely<any>, schema: string | null): Promise<string[]> {
  try {
    const rows = await (schema ? db.withSchema(schema) : db).selectFrom('kysely_migration').select('name').execute();
    return rows.map((r) => String(r.name));
  } catch (error) {
    // A store never migrated has no migration table yet (SQLite: "no such table"; PostgreSQL: 42P01).
    if ((error as { code?: string }).code === '42P01' || /no such table/.test((error as Error).message)) return [];
    throw error;
  }
}

/**
 * This release's migrations, and those a newer release applied (known by name only, never run
 * here): a newer release only added to the store (expand-then-contract), so this one runs on it.
 */
function withNewerReleases(applied: readonly string[], migrations: Migrations): Record<string, Migration> {
  const last = Object.keys(migrations).sort().at(-1) ?? '';
  const provided: Record<string, Migration> = { ...migrations };
  for (const name of applied) {
    if (name in migrations || name < last) continue;
    provided[name] = {
      async up() {
        throw new Error(`migration ${name} belongs to a newer release and was applied by it; this release never runs it`);
      },
    };
  }
  return provided;
}

export async function migrateToLatest(db: Kysely<any>, migrations: Migrations, owner: string, schema: string | null = null): Promise<string[]> {
  // On PostgreSQL the migration tables must be named with the owner's schema: left alone,
  // Kysely finds another owner's kysely_migration through the catalog and takes it for ours.
  // Read before the migrator runs: on SQLite it holds the one connection while it asks for the migrations.
  const provided = withNewerReleases(await appliedNames(db, schema), migrations);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => provided }, ...(schema ? { migrationTableSchema: schema } : {}) });
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
  const applied = await appliedNames(db, schema);
  const migrator = new Migrator({ db, provider: { getMigrations: async () => withNewerReleases(applied, migrations) }, ...(schema ? { migrationTableSchema: schema } : {}) });
  const all = await migrator.getMigrations();
  // Kysely's listing does not look for applied migrations it was not given: an unknown one among
  // this release's own is another branch's, and the store is not this release's to serve.
  const last = Object.keys(migrations).sort().at(-1) ?? '';
  const foreign = applied.filter((name) => !(name in migrations) && name < last);
  if (foreign.length > 0) throw new Error(`corrupted migrations: previously executed migration ${foreign.join(', ')} is missing from this release (and is not a newer release's: it sorts before ${last})`);
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
