/**
 * The audit trail's own database (owner `audit`): opened, migrated, and on SQLite switched
 * to `synchronous = FULL`, because a record acknowledged to the gateway must survive power
 * loss, not only a crash of the process (R10).
 */
import { sql, type ColumnType, type Selectable } from 'kysely';
import { openDatabase, type OpenedDatabase, type OpenOptions, type StorageConfig } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { auditMigrations } from './migrations.ts';

export const AUDIT_OWNER = 'audit';

/** SQLite page cache per audit connection, KiB. @default 65536 (64 MiB) */
export const AUDIT_CACHE_KIB = 65_536;

/** PostgreSQL returns `bigint` columns as strings; read them through `Number()`. */
type Seq = ColumnType<number | string, number, number>;

export interface AuditRecordsTable {
  seq: Seq;
  kind: string;
  time: string;
  request_id: string | null;
  department: string;
  credential_id: string;
  purpose: string | null;
  case_id: string | null;
  operation_name: string | null;
  operation_hash: string | null;
  requested: string | null;
  returned: string | null;
  denied: string | null;
  keys: string | null;
  grants_used: string | null;
  subgraphs: string | null;
  http_status: number | null;
  latency_ms: number | null;
  action: string | null;
  target: string | null;
  reason: string | null;
  details: string | null;
  /** The chain (partition) the record is on; 0 on SQLite and for records older than partitions. */
  partition: ColumnType<number, number | undefined, number>;
  prev_hash: string;
  hash: string;
}

/** A record row as read back. */
export type AuditRecordRow = Selectable<AuditRecordsTable>;

export interface AuditKeysTable {
  seq: Seq;
  key_kind: string;
  key_value: string;
}

export interface AuditFieldsTable {
  seq: Seq;
  coordinate: string;
  outcome: string;
}

export interface AuditCoordinatesTable {
  coordinate: string;
}

export interface AuditCheckpointsTable {
  seq: Seq;
  hash: string;
  prev_checkpoint_seq: Seq;
  signed_at: string;
  key_id: string;
  signature: string;
  partition: ColumnType<number, number | undefined, number>;
}

/** The trail's partitions, fixed when it was first opened (see partitionLeases.ts). */
export interface AuditPartitionsTable {
  partition: number;
  created_at: string;
}

export interface AuditDatabase {
  audit_records: AuditRecordsTable;
  audit_keys: AuditKeysTable;
  audit_fields: AuditFieldsTable;
  audit_coordinates: AuditCoordinatesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_partitions: AuditPartitionsTable;
}

/** Opens (creating and migrating if need be) the audit database. */
export async function openAuditDatabase(storage: StorageConfig, options: OpenOptions = {}): Promise<OpenedDatabase<AuditDatabase>> {
  const opened = await openDatabase<AuditDatabase>(storage, AUDIT_OWNER, options);
  try {
    if (opened.dialect === 'sqlite') {
      // openDatabase chooses NORMAL, under which a WAL commit is not fsynced: a power cut can
      // lose the last transactions. FULL fsyncs the WAL at every commit; group commit keeps
      // that to one fsync per batch. The pragma is per connection, and Kysely's SQLite
      // driver has exactly one.
      await sql`PRAGMA synchronous = FULL`.execute(opened.db);
      // The indexes take inserts all over (request ids, entity keys, coordinates); once the
      // log outgrows SQLite's default 2 MB cache every batch rereads their pages.
      await sql.raw(`PRAGMA cache_size = -${AUDIT_CACHE_KIB}`).execute(opened.db);
      const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(opened.db);
      if (rows[0]?.synchronous !== 2) {
        throw new Error(`the audit database ${opened.location} did not accept synchronous = FULL (reads ${JSON.stringify(rows[0])})`);
      }
    }
    await migrateToLatest(opened.db, auditMigrations, AUDIT_OWNER, opened.schema);
    return opened;
  } catch (error) {
    await opened.close();
    throw error;
  }
}
