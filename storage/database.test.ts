import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { openDatabase } from './database.ts';
import { ensurePrivateFile } from '../lib/privateFiles.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('SQLite files are private (R10)', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'govgraph-db-'));
    // The usual umask, under which files are created world-readable unless chmodded.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the folder 0700 and the database, its WAL and shared-memory files 0600', async () => {
    const dataDir = join(root, 'data');
    const opened = await openDatabase<any>({ kind: 'sqlite', dataDir }, 'population');
    try {
      await sql`CREATE TABLE t (v TEXT)`.execute(opened.db);
      await sql`INSERT INTO t VALUES ('x')`.execute(opened.db);
      const file = join(dataDir, 'population.sqlite');
      // SQLite created -wal and -shm itself, after the open: they take the main file's mode.
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(existsSync(`${file}-shm`)).toBe(true);
      expect(modeOf(dataDir)).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect([f, modeOf(f).toString(8)]).toEqual([f, '600']);
    } finally {
      await opened.close();
    }
  });

  it('SQLite itself gives the -wal, -shm and -journal files it creates later the main file\'s mode (why a 0600 main file suffices)', () => {
    const file = join(root, 'raw.sqlite');
    ensurePrivateFile(file);
    const db = new SQLite(file);
    try {
      db.exec('CREATE TABLE t (v TEXT)');
      db.exec('BEGIN; INSERT INTO t VALUES (1);');
      // Rollback journal (the default mode) exists during a write transaction.
      expect(modeOf(`${file}-journal`)).toBe(0o600);
      db.exec('COMMIT');
      db.pragma('journal_mode = WAL');
      db.exec(`INSERT INTO t VALUES ('x')`);
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('tightens files and the folder an older version left readable', async () => {
    const dataDir = join(root, 'data');
    const first = await openDatabase<any>({ kind: 'sqlite', dataDir }, 'platform');
    await sql`CREATE TABLE t (v TEXT)`.execute(first.db);
    await first.close();
    const file = join(dataDir, 'platform.sqlite');
    chmodSync(dataDir, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(`${file}-journal`, '');
    chmodSync(`${file}-journal`, 0o644);
    const again = await openDatabase<any>({ kind: 'sqlite', dataDir }, 'platform');
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(`${file}-journal`)).toBe(0o600);
    } finally {
      await again.close();
    }
  });
});
