import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { testDialects } from '../storage/testing.ts';
import { AuditLog } from './auditLog.ts';
import { accessRecord, openTestAuditLog, type TestAuditLog } from './testing.ts';

describe.each(testDialects())('audit log on %s', (dialect) => {
  let t: TestAuditLog | null = null;
  afterEach(async () => {
    await t?.cleanup();
    t = null;
  });

  it('appends, reads back and verifies (and the positive control of the tamper tests: an untouched log verifies)', async () => {
    t = await openTestAuditLog(dialect);
    const first = await t.log.append(accessRecord({ requested: ['Person.name', 'Person.householdAddress'], denied: ['Person.householdAddress'], caseId: '民〔2025〕12号' }));
    const second = await t.log.append({ kind: 'ADMIN', department: 'platform', actor: 'cred-admin', action: 'setFieldPolicy', target: 'Person.householdAddress', reason: 'R5 review', details: { to: 'CONDITIONAL', purposes: ['B', 'A'] } });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    const rows = await t.log.db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
    expect(rows[0]).toMatchObject({ kind: 'ACCESS', returned: '["Person.name"]', denied: '["Person.householdAddress"]', case_id: '民〔2025〕12号', prev_hash: '0'.repeat(64), hash: first.hash });
    expect(rows[1]).toMatchObject({ kind: 'ADMIN', action: 'setFieldPolicy', details: '{"purposes":["B","A"],"to":"CONDITIONAL"}', prev_hash: first.hash });
    expect(await t.log.db.selectFrom('audit_fields').select(['seq', 'coordinate', 'outcome']).orderBy('coordinate').execute()).toEqual([
      { seq: expect.anything(), coordinate: 'Person.householdAddress', outcome: 'DENIED' },
      { seq: expect.anything(), coordinate: 'Person.name', outcome: 'RETURNED' },
    ]);
    const result = await t.log.verify();
    expect(result).toMatchObject({ ok: true, records: 2, head: { seq: 2, hash: second.hash } });
  });

  it('batches concurrent appends into few transactions, and each append resolves only once its record is committed', async () => {
    t = await openTestAuditLog(dialect, { maxBatch: 100, maxDelayMs: 2 });
    const results = await Promise.all(Array.from({ length: 500 }, async (_, i) => {
      const { seq } = await t!.log.append(accessRecord({ requestId: `batch-${i}` }));
      // Visible from another connection than the writer's only once committed.
      const row = await t!.log.db.selectFrom('audit_records').select(['seq', 'request_id']).where('seq', '=', seq).executeTakeFirst();
      return { seq, row };
    }));
    for (const { seq, row } of results) expect(row).toEqual({ seq: expect.anything(), request_id: expect.stringMatching(/^batch-/) });
    expect(new Set(results.map((r) => r.seq)).size).toBe(500);
    const stats = t.log.stats();
    expect(stats.records).toBe(500);
    expect(stats.transactions).toBeLessThanOrEqual(10);
    expect(stats.largestBatch).toBe(100);
    expect((await t.log.verify()).ok).toBe(true);
  });

  it('counts its transactions the same way the database sees them (in-process writer)', async () => {
    let commits = 0;
    t = await openTestAuditLog(dialect, {
      writerThread: false,
      maxBatch: 1000,
      onStatement: (event) => {
        if (event.query.sql === 'COMMIT') commits++;
      },
    });
    await Promise.all(Array.from({ length: 500 }, () => t!.log.append(accessRecord())));
    expect(commits).toBe(t.log.stats().transactions);
    expect(commits).toBeLessThanOrEqual(3);
  });

  it('a lone append is written within a few milliseconds, not held for companions', async () => {
    t = await openTestAuditLog(dialect, { maxDelayMs: 2 });
    await t.log.append(accessRecord());
    const started = performance.now();
    await t.log.append(accessRecord());
    expect(performance.now() - started).toBeLessThan(500);
    expect(t.log.stats().transactions).toBe(2);
  });

  it('signs the head every checkpointEvery records and on close; the chain continues across reopenings', async () => {
    const signed: number[] = [];
    t = await openTestAuditLog(dialect, { checkpointEvery: 10, maxBatch: 10, onCheckpoint: (c) => signed.push(c.seq) });
    for (let i = 0; i < 25; i++) await t.log.append(accessRecord());
    expect(signed).toEqual([10, 20]);
    const reopened = await t.reopen();
    expect(signed).toEqual([10, 20, 25]);
    const { seq } = await reopened.append(accessRecord());
    expect(seq).toBe(26);
    const checkpoints = await reopened.db.selectFrom('audit_checkpoints').select(['seq', 'prev_checkpoint_seq']).orderBy('seq').execute();
    expect(checkpoints.map((c) => [Number(c.seq), Number(c.prev_checkpoint_seq)])).toEqual([[10, 0], [20, 10], [25, 20]]);
    expect(await reopened.verify()).toMatchObject({ ok: true, records: 26, checkpoints: 3, unsignedTail: 1 });
  });

  it('signs the head after checkpointIntervalMs when records follow the last checkpoint', async () => {
    // The interval timer is faked and the clock injected: the test decides when time passes.
    let clock = 0;
    const signed: number[] = [];
    let onSigned: (() => void) | null = null;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      t = await openTestAuditLog(dialect, {
        checkpointEvery: 1_000_000, checkpointIntervalMs: 50, now: () => clock,
        onCheckpoint: (c) => {
          signed.push(c.seq);
          onSigned?.();
        },
      });
      await t.log.append(accessRecord());
      // The timer fires, but the interval has not passed on the log's clock: nothing is signed.
      clock = 49;
      vi.advanceTimersByTime(50);
      // A later append commits after anything the timer could have started.
      await t.log.append(accessRecord());
      expect(signed).toEqual([]);
      clock = 50;
      const signing = new Promise<void>((resolve) => {
        onSigned = resolve;
      });
      vi.advanceTimersByTime(50);
      await signing;
      expect(signed).toEqual([2]);
      expect(t.log.stats().checkpoints).toBe(1);
      await t.cleanup();
      t = null;
    } finally {
      vi.useRealTimers();
    }
  });

  it('verifies a live log: appends and checkpoints made during the walk are left out together', async () => {
    t = await openTestAuditLog(dialect, { checkpointEvery: 5, maxBatch: 5 });
    let appending = true;
    // Each walk starts once the writers have made progress (no fixed sleeps): 20 more records.
    let appended = 0;
    let progress: { readonly target: number; readonly resolve: () => void } | null = null;
    const moreRecords = (n: number) => new Promise<void>((resolve) => {
      progress = { target: appended + n, resolve };
    });
    const writers = Array.from({ length: 8 }, async () => {
      while (appending) {
        await t!.log.append(accessRecord());
        appended++;
        if (progress && appended >= progress.target) {
          progress.resolve();
          progress = null;
        }
      }
    });
    const results = [];
    for (let i = 0; i < 5; i++) {
      await moreRecords(20);
      results.push(await t.log.verify());
    }
    appending = false;
    await Promise.all(writers);
    for (const result of results) expect(result).toMatchObject({ ok: true });
    expect(t.log.stats().checkpoints).toBeGreaterThan(5);
  });

  it('rejects misuse at once, naming the contract', async () => {
    t = await openTestAuditLog(dialect);
    expect(() => t!.log.append({ ...accessRecord(), kind: 'READ' } as never)).toThrow(/kind must be "ACCESS" or "ADMIN", received "READ"/);
    expect(() => t!.log.append(accessRecord({ status: 42 }))).toThrow(/status must be an HTTP status/);
    expect(() => t!.log.append(accessRecord({ keys: [{ kind: 'passport' as never, value: 'x' }] }))).toThrow(/keys must be \{ kind: idNumber \| creditCode \| unitNo \| licenceNo/);
    expect(() => t!.log.append({ kind: 'ADMIN', department: 'p', actor: 'a', action: 'x', target: 'y', reason: null, details: { n: Number.NaN } })).toThrow(/details.n must be JSON/);
    await expect(AuditLog.open(t.storage.config, { signingKey: generateKeyPairSync('x25519').privateKey })).rejects.toThrow(/must be an Ed25519 private key/);
  });

  it('stores what callers cannot break: lone surrogates and NUL become U+FFFD, and the record still verifies', async () => {
    t = await openTestAuditLog(dialect);
    await t.log.append(accessRecord({ keys: [{ kind: 'idNumber', value: 'a\uD800b\u0000c' }], operationName: '\uDC00' }));
    const row = await t.log.db.selectFrom('audit_keys').select('key_value').executeTakeFirstOrThrow();
    expect(row.key_value).toBe('a\uFFFDb\uFFFDc');
    expect((await t.log.verify()).ok).toBe(true);
  });

  it('refuses an append not committed within appendTimeoutMs, and carries on once the database frees up', async () => {
    t = await openTestAuditLog(dialect, { appendTimeoutMs: 300 });
    await t.log.append(accessRecord());
    // Someone else holds the chain's write lock.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding!: Promise<void>;
    if (dialect === 'sqlite') {
      const other = new SQLite(join(t.storage.dataDir, 'audit.sqlite'));
      other.exec('BEGIN IMMEDIATE');
      holding = released.then(() => {
        other.exec('ROLLBACK');
        other.close();
      });
    } else {
      holding = new Promise<void>((locked) => {
        void t!.log.db.connection().execute(async (conn) => {
          // Every partition's write lock (the one each transaction takes).
          for (let p = 0; p < t!.log.partitions; p++) await sql`select pg_advisory_lock(hashtext('govgraph-audit:' || current_schema()), ${p}::int)`.execute(conn);
          locked();
          await released;
          await sql`select pg_advisory_unlock_all()`.execute(conn);
        });
      });
      await holding;
      holding = released;
    }
    const started = performance.now();
    await expect(t.log.append(accessRecord())).rejects.toThrow(/was not committed to .* within 300 ms/);
    expect(performance.now() - started).toBeLessThan(3000);
    release();
    await holding;
    const { seq } = await t.log.append(accessRecord());
    expect(seq).toBeGreaterThanOrEqual(3); // the refused record may still have been committed
    expect((await t.log.verify()).ok).toBe(true);
  });

  it('refuses appends after close, and a batch that cannot commit rejects every append in it', async () => {
    t = await openTestAuditLog(dialect, { writerThread: false });
    await t.log.append(accessRecord());
    // Make the next commit fail half-way: its key rows have nowhere to go.
    await sql`drop table audit_keys`.execute(t.log.db);
    const failed = await Promise.allSettled([t.log.append(accessRecord()), t.log.append(accessRecord())]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((failed[0] as PromiseRejectedResult).reason)).toMatch(/could not be committed/);
    expect(t.log.stats().failures).toBe(1);
    await t.log.close();
    await expect(t.log.append(accessRecord())).rejects.toThrow(/is closed; no record can be added/);
  });
});
