/**
 * The shape every department subgraph exports, so the platform (and any test) can start,
 * seed or compose any of them the same way — in one process or as a department's own.
 */
import type { DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../storage/migrate.ts';
import type { DemoWorld } from '../../demo/world.ts';
import type { RowAttributes, SharingRequestContext } from '../../policies/shieldRules.ts';
import type { SecretSealer } from '../../lib/secretSealer.ts';
import type { DocumentSealer } from '../../lib/electronicSeal.ts';

export interface SubgraphContext<DB, Loaders> {
  readonly db: Kysely<DB>;
  /** Created for this request only: a cache must never be shared between callers who hold different grants. */
  readonly loaders: Loaders;
  /** The verified caller and the policy snapshot the request is decided under (absent only in the benchmark baseline). */
  readonly sharing?: SharingRequestContext['sharing'];
}

/** What a seed may need beyond its database and the world. */
export interface SeedContext {
  /** Encrypts secrets before they are written (R10); subgraphs that store none ignore it. */
  readonly secrets?: SecretSealer;
  /**
   * Seals documents with their issuers' keys from the issuer seal-key registry (R12), which the
   * platform keeps; a subgraph whose seed seals (licences) refuses to seed without it.
   */
  readonly seals?: DocumentSealer;
}

export interface SeedReport {
  /** Rows written per table. */
  readonly rows: Readonly<Record<string, number>>;
}

export interface SubgraphDefinition<DB = any, Loaders = any> {
  /** The subgraph's name in the supergraph, e.g. `population`. */
  readonly name: string;
  /** Code of the department that provides it, e.g. `psb`. */
  readonly department: string;
  readonly description: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: GraphQLResolverMap<SubgraphContext<DB, Loaders>>;
  readonly migrations: Migrations;
  createLoaders(db: Kysely<DB>): Loaders;
  /** Row values that policy row conditions may test (`Person.householdDivision` → a division code). */
  readonly rowAttributes?: RowAttributes;
  /** Whether the department's database already holds the demo world. */
  isSeeded(db: Kysely<DB>): Promise<boolean>;
  /** Writes the department's part of the demo world. */
  seed(db: Kysely<DB>, world: DemoWorld, context?: SeedContext): Promise<SeedReport>;
  /**
   * Encrypts secrets the database still holds in plain text (written by an older version) or
   * under a previous platform key; called at every start right after the migrations, with
   * the platform's sealer (R10). Idempotent. Returns how many rows it rewrote.
   */
  sealSecretsAtRest?(db: Kysely<DB>, secrets: SecretSealer): Promise<number>;
  /**
   * Its seed seals documents (R12) and needs `SeedContext.seals`: the platform seeds it, with
   * the issuer seal-key registry, before starting it.
   */
  readonly sealsDocuments?: boolean;
  /**
   * When the data of each resource the subgraph owns last changed: type name → ISO timestamp
   * (null: no data yet). Served at `GET /freshness` for the catalogue's "last update" beside
   * the declared update cycle (R2). Reads maxima of indexed timestamp columns, never a record.
   */
  freshness?(db: Kysely<DB>): Promise<Freshness>;
}

/** Type name of a resource → when its data last changed (ISO timestamp), null when there is none. */
export type Freshness = Readonly<Record<string, string | null>>;

/**
 * The latest of several ISO timestamp columns (`[table, column]`), each read as its own
 * `max()` so that each uses its index; null when every table is empty.
 */
export async function latestChange(db: Kysely<any>, columns: readonly (readonly [table: string, column: string])[]): Promise<string | null> {
  const maxima = await Promise.all(columns.map(async ([table, column]) => {
    const row = await db.selectFrom(table).select(sql<string | null>`max(${sql.ref(column)})`.as('latest')).executeTakeFirst();
    return row?.latest ?? null;
  }));
  let latest: number | null = null;
  for (const value of maxima) {
    if (value === null) continue;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`latestChange: ${JSON.stringify(value)} is not an ISO timestamp`);
    if (latest === null || ms > latest) latest = ms;
  }
  return latest === null ? null : new Date(latest).toISOString();
}

/**
 * For a migration: `updated_at` (ISO timestamp, written with every change) on each table of a
 * resource, indexed — with `indexOnly`, tables that have the column already — so that
 * `freshness` reads each table's latest change with one index lookup. Rows written before the
 * migration count as changed when it ran.
 */
export async function addUpdatedAtColumns(db: Kysely<any>, tables: readonly string[], indexOnly: readonly string[] = []): Promise<void> {
  const now = new Date().toISOString();
  for (const table of tables) {
    await db.schema.alterTable(table).addColumn('updated_at', 'text').execute();
    await db.updateTable(table).set({ updated_at: now }).execute();
  }
  for (const table of [...tables, ...indexOnly]) await db.schema.createIndex(`${table}_updated_at`).on(table).column('updated_at').execute();
}
