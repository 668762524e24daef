/**
 * The one query layer every store goes through: Kysely over an SQLite file (the embedded
 * default) or PostgreSQL (when DATABASE_URL is a postgres URL). Queries are written once
 * against Kysely and run unchanged on both dialects.
 *
 * Each owner (a department's subgraph, the platform store) gets its own database: a file
 * `<name>.sqlite` under the data directory, or a PostgreSQL schema `<name>` selected through
 * `search_path`, so its tables never mix with another department's.
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent, type SqliteDatabase } from 'kysely';
import { ensurePrivateDir, ensurePrivateFile, restrictFile } from '../lib/privateFiles.ts';

export type StorageConfig =
  | { readonly kind: 'sqlite'; readonly dataDir: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Prepended to every schema name, so tests (or two platforms) can share one server. */
      readonly schemaPrefix?: string;
    };

export interface OpenedDatabase<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: StorageConfig['kind'];
  /** Where the data lives, for messages: a file path or `postgres schema <name>`. */
  readonly location: string;
  /** The PostgreSQL schema holding the owner's tables; null on SQLite. */
  readonly schema: string | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Called once per SQL statement executed; feeds `govgraph_db_statements_total`. */
  readonly onStatement?: (event: LogEvent) => void;
  /** Largest number of pooled PostgreSQL connections. @default 10 */
  readonly poolSize?: number;
  /**
   * Told about faults of pooled PostgreSQL connections nobody was using (an operator's
   * pg_terminate_backend, a server restart): the connection is dropped and the next query
   * opens a new one. Without a listener such an error would end the process.
   * @default a line on stderr
   */
  readonly onConnectionError?: (error: Error) => void;
}

/**
 * The `application_name` of every connection an owner's pool opens: `govgraph <schema>`, so an
 * operator (or a test) sees in pg_stat_activity which platform and store a backend serves.
 */
export function applicationName(schema: string): string {
  // PostgreSQL keeps 63 bytes of it.
  return `govgraph ${schema}`.slice(0, 63);
}

/** How long a new PostgreSQL connection may take before the query waiting for it fails (and is answered 503). */
export const CONNECT_TIMEOUT_MS = 5_000;

const SAFE_NAME = /^[a-z][a-z0-9_]*$/;

/** Files SQLite keeps beside a database file. */
const SQLITE_COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** `schemaPrefix`: GOVGRAPH_SCHEMA_PREFIX, for two platforms (or a test's processes) on one PostgreSQL database. */
export function storageConfigFrom(databaseUrl: string | undefined, dataDir: string, schemaPrefix?: string): StorageConfig {
  if (databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl)) return { kind: 'postgres', url: databaseUrl, ...(schemaPrefix ? { schemaPrefix } : {}) };
  if (databaseUrl) {
    throw new Error(
      `DATABASE_URL must be a postgres:// or postgresql:// URL, received ${JSON.stringify(databaseUrl)}; ` +
        'unset it to use the embedded SQLite files under DATA_DIR',
    );
  }
  return { kind: 'sqlite', dataDir };
}

/** The owner's name as a file or schema name: `legal-person` becomes `legal_person`. */
export function databaseName(owner: string, config?: StorageConfig): string {
  const prefix = config?.kind === 'postgres' ? (config.schemaPrefix ?? '') : '';
  const name = prefix + owner.replaceAll('-', '_');
  if (!SAFE_NAME.test(name)) throw new Error(`database owner name ${JSON.stringify(owner)} must be lower-case letters, digits, - or _`);
  return name;
}

export async function openDatabase<DB>(config: StorageConfig, owner: string, options: OpenOptions = {}): Promise<OpenedDatabase<DB>> {
  const name = databaseName(owner, config);
  const log = options.onStatement
    ? (event: LogEvent) => options.onStatement!(event)
    : undefined;
  if (config.kind === 'sqlite') {
    // R10: personal data, tokens and sealed secrets live here; only the platform's user reads
    // them. The file is made 0600 before SQLite opens it: SQLite creates its -wal, -shm and
    // -journal files with the main file's permissions, whatever the umask.
    ensurePrivateDir(config.dataDir);
    const file = join(config.dataDir, `${name}.sqlite`);
    ensurePrivateFile(file);
    const sqlite = new SQLite(file);
    // WAL lets readers proceed while a writer commits; NORMAL sync is durable across a
    // process crash (the WAL is fsynced at checkpoints), which is what we promise here.
    sqlite.pragma('journal_mode = WAL');
    // Companion files an older version left world-readable are tightened too.
    for (const suffix of SQLITE_COMPANION_SUFFIXES) restrictFile(file + suffix);
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), ...(log ? { log } : {}) });
    return { db, dialect: 'sqlite', location: file, schema: null, close: () => db.destroy() };
  }
  const admin = new pg.Client({ connectionString: config.url, application_name: applicationName(name) });
  // Its statements reject if the connection dies; the event must not end the process too.
  admin.on('error', () => {});
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${name}"`);
  } catch (error) {
    // Two processes creating the same schema at once race on the catalog; the loser's
    // unique violation means the schema exists, which is all we wanted.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${name}`,
    application_name: applicationName(name),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A pooled connection that dies while idle (terminated, server restarted) is removed from
  // the pool, which emits 'error': logged, never fatal. Queries in flight on a dying
  // connection reject (the request is answered 503: lib/databaseFaults.ts) and the broken
  // client is not reused; the next query connects anew, so the store heals by itself once
  // PostgreSQL accepts connections again.
  const onConnectionError = options.onConnectionError
    ?? ((error: Error) => console.error(`[storage] ${name}: a pooled PostgreSQL connection failed and was dropped: ${error.message}`));
  pool.on('error', onConnectionError);
  // pg-pool listens only while a connection is idle; a connection checked out (between the
  // statements of a transaction) that dies would emit an unheard 'error' and end the
  // process. Its next statement fails instead, and pg-pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
  return { db, dialect: 'postgres', location: `postgres schema ${name}`, schema: name, close: () => db.destroy() };
}

/** Prepared statements kept per SQLite connection. @default 256 */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every statement it runs. Preparing costs as much as
 * running for the small reads of a request, and far more for the audit trail's 256-row
 * inserts, so each connection keeps its most recent statements prepared, keyed by SQL text
 * (least recently used dropped first). A statement still being iterated (`busy`) is not
 * handed out twice: that caller gets a fresh one.
 */
function withStatementCache(sqlite: SQLite.Database, capacity = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      const cached = statements.get(text);
      if (cached && !cached.busy) {
        statements.delete(text);
        statements.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (!cached) {
        statements.set(text, statement);
        if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      }
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

/** Removes an owner's database entirely (the seed command's --reset). */
export async function dropDatabase(config: StorageConfig, owner: string): Promise<void> {
  const name = databaseName(owner, config);
  if (config.kind === 'sqlite') {
    const { rmSync } = await import('node:fs');
    for (const suffix of ['', ...SQLITE_COMPANION_SUFFIXES]) rmSync(join(config.dataDir, `${name}.sqlite${suffix}`), { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: config.url, application_name: applicationName(name) });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Bytes an owner's database takes on disk (SQLite file and WAL, or the PostgreSQL schema's relations). */
export async function databaseSize(config: StorageConfig, owner: string): Promise<number> {
  const name = databaseName(owner, config);
  if (config.kind === 'sqlite') {
    const { statSync, existsSync } = await import('node:fs');
    let total = 0;
    for (const suffix of ['', '-wal']) {
      const file = join(config.dataDir, `${name}.sqlite${suffix}`);
      if (existsSync(file)) total += statSync(file).size;
    }
    return total;
  }
  const client = new pg.Client({ connectionString: config.url, application_name: applicationName(name) });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [name],
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}
