/**
 * Storage for tests: the same test runs on SQLite (always) and on PostgreSQL (when
 * DATABASE_URL is set, as CI sets it). Each call gets fresh, private databases: a new
 * temporary directory, or a unique schema prefix on the shared PostgreSQL server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StorageConfig } from './database.ts';

export interface TestStorage {
  readonly dialect: StorageConfig['kind'];
  readonly config: StorageConfig;
  /** A private data directory (credentials, world file; SQLite files when dialect is sqlite). */
  readonly dataDir: string;
  /** Removes everything this storage created. */
  cleanup(): Promise<void>;
}

export type TestDialect = StorageConfig['kind'];

/** The dialects this run can test: SQLite always, PostgreSQL when DATABASE_URL says so. */
export function testDialects(): TestDialect[] {
  return process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

export function createTestStorage(dialect: TestDialect): TestStorage {
  const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-test-'));
  if (dialect === 'sqlite') {
    return { dialect, config: { kind: 'sqlite', dataDir }, dataDir, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('createTestStorage("postgres") needs DATABASE_URL');
  const schemaPrefix = `t${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;
  return {
    dialect,
    config: { kind: 'postgres', url, schemaPrefix },
    dataDir,
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${schemaPrefix}%`]);
        for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
