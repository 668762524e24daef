/**
 * The audit database's schema (owner `audit`: its own SQLite file or PostgreSQL schema, so
 * no other store's credentials can write it).
 *
 * `audit_records` is the hash chain itself; `audit_keys`, `audit_fields` and
 * `audit_coordinates` are indexes derived from it (rebuildable, checked by
 * `verify({ indexes: true })`); `audit_checkpoints` holds the signed chain heads.
 *
 * `002_audit_partitions`: the trail is a fixed number of chains (partitions, see
 * partitionLeases.ts), each record and checkpoint naming its partition; records written
 * before it are partition 0. `audit_partitions` lists the partitions, chosen once when
 * the trail is first opened. On PostgreSQL seqs come from a sequence, so writers of
 * different partitions never wait for each other for a number.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Migrations } from '../storage/migrate.ts';

export const auditMigrations: Migrations = {
  '001_audit_chain': {
    async up(db: Kysely<any>) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      // On SQLite only `INTEGER PRIMARY KEY` is the rowid (one B-tree, append-ordered); on
      // PostgreSQL a 32-bit seq would run out after two billion requests.
      const seqType = sqlite ? 'integer' : 'bigint';
      await db.schema
        .createTable('audit_records')
        .addColumn('seq', seqType, (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('department', 'text', (c) => c.notNull())
        .addColumn('credential_id', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text')
        .addColumn('case_id', 'text')
        .addColumn('operation_name', 'text')
        .addColumn('operation_hash', 'text')
        .addColumn('requested', 'text')
        .addColumn('returned', 'text')
        .addColumn('denied', 'text')
        .addColumn('keys', 'text')
        .addColumn('grants_used', 'text')
        .addColumn('subgraphs', 'text')
        .addColumn('http_status', 'integer')
        .addColumn('latency_ms', 'integer')
        .addColumn('action', 'text')
        .addColumn('target', 'text')
        .addColumn('reason', 'text')
        .addColumn('details', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_records_department').on('audit_records').columns(['department', 'seq']).execute();
      await db.schema.createIndex('audit_records_time').on('audit_records').columns(['time']).execute();
      await db.schema.createIndex('audit_records_request').on('audit_records').columns(['request_id']).execute();

      // Clustered by record on SQLite (WITHOUT ROWID): one B-tree written in append order,
      // plus the lookup index — "who read person X" is one index range scan.
      const clustered = sqlite ? sql`without rowid` : sql``;
      await db.schema
        .createTable('audit_keys')
        .addColumn('seq', seqType, (c) => c.notNull())
        .addColumn('key_kind', 'text', (c) => c.notNull())
        .addColumn('key_value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_keys_pk', ['seq', 'key_kind', 'key_value'])
        .modifyEnd(clustered)
        .execute();
      await db.schema.createIndex('audit_keys_lookup').on('audit_keys').columns(['key_kind', 'key_value', 'seq']).execute();
      await db.schema
        .createTable('audit_fields')
        .addColumn('seq', seqType, (c) => c.notNull())
        .addColumn('coordinate', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_fields_pk', ['seq', 'coordinate'])
        .modifyEnd(clustered)
        .execute();
      await db.schema.createIndex('audit_fields_coordinate').on('audit_fields').columns(['coordinate', 'seq']).execute();
      // Every coordinate ever recorded, so a department's visibility can be turned into a
      // short IN list without scanning audit_fields.
      await db.schema
        .createTable('audit_coordinates')
        .addColumn('coordinate', 'text', (c) => c.primaryKey())
        .execute();

      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('seq', seqType, (c) => c.primaryKey())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('prev_checkpoint_seq', seqType, (c) => c.notNull())
        .addColumn('signed_at', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '002_audit_partitions': {
    async up(db: Kysely<any>) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      // O(1) on both databases: the default is kept in the catalog, no row is rewritten.
      await db.schema.alterTable('audit_records').addColumn('partition', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('audit_checkpoints').addColumn('partition', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createTable('audit_partitions').addColumn('partition', 'integer', (c) => c.primaryKey()).addColumn('created_at', 'text', (c) => c.notNull()).execute();
      if (!sqlite) {
        // A partition's head and its walk are index range scans. (SQLite has one partition:
        // its rowid order is the chain's.)
        await db.schema.createIndex('audit_records_partition').on('audit_records').columns(['partition', 'seq']).execute();
        await db.schema.createIndex('audit_checkpoints_partition').on('audit_checkpoints').columns(['partition', 'seq']).execute();
        // CACHE 1: every nextval is larger than any handed out before it, to any session, so
        // within a partition (written under its lock) seqs grow along the chain.
        await sql`create sequence audit_record_seq as bigint cache 1`.execute(db);
        await sql`select setval('audit_record_seq', greatest((select max(seq) from audit_records), 1), (select max(seq) from audit_records) is not null)`.execute(db);
      }
    },
  },
};
