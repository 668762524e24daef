/**
 * Tampering with the audit tables by raw SQL, as someone with write access to the database
 * would: verify must name the first bad record each time, walking the chain as one range
 * and as two (1–50 and 51–100, as two worker threads would, so some tampering sits on the
 * boundary); a few cases run on real worker threads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createTestStorage, testDialects, type TestStorage } from '../storage/testing.ts';
import { dropDatabase, type OpenedDatabase } from '../storage/database.ts';
import { AuditLog } from './auditLog.ts';
import { AUDIT_OWNER, openAuditDatabase, type AuditDatabase } from './auditDatabase.ts';
import { canonicalRow, recordHash } from './auditRecord.ts';
import { checkpointMessage, signCheckpoint } from './checkpoint.ts';
import { accessRecord } from './testing.ts';
import { verifyAuditChain, verifyWith, walkRange, type ChainProblem, type VerifyResult } from './verifyChain.ts';
import { verifyAuditStorage } from './verifyParallel.ts';

type Db = Kysely<AuditDatabase>;

interface Case {
  readonly name: string;
  readonly tamper: (db: Db, context: { privateKey: KeyObject }) => Promise<void>;
  readonly expected: { readonly seq: number; readonly problem: ChainProblem } | 'ok';
  /**
   * What PostgreSQL finds instead: its seqs come from a sequence shared by the partitions,
   * so a record missing from a chain shows as the next one not following its predecessor.
   */
  readonly onPostgres?: { readonly seq: number; readonly problem: ChainProblem };
  readonly indexes?: boolean;
  readonly dialects?: readonly string[];
  /** Also on real worker threads. */
  readonly threads?: boolean;
}

async function row(db: Db, seq: number) {
  return db.selectFrom('audit_records').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
}

/** Moves records ≥ from one seq up, leaving a hole at `from`. */
async function shiftUp(db: Db, from: number): Promise<void> {
  await sql`update audit_records set seq = -seq where seq >= ${from}`.execute(db);
  await sql`update audit_records set seq = 1 - seq where seq < 0`.execute(db);
}

async function insertForged(db: Db, seq: number, department: string): Promise<void> {
  const template = await row(db, seq);
  const prev = (await row(db, seq - 1)).hash;
  await shiftUp(db, seq);
  const forged = { ...template, seq, department, prev_hash: prev };
  // Hashed correctly, as a careful forger would.
  forged.hash = recordHash(prev, canonicalRow(forged, seq));
  await db.insertInto('audit_records').values(forged).execute();
}

const cases: Case[] = [
  { name: 'untouched', tamper: async () => {}, expected: 'ok', threads: true },
  { name: 'untouched, indexes too', tamper: async () => {}, expected: 'ok', indexes: true },
  { name: 'content of record 37 edited', tamper: async (db) => void (await sql`update audit_records set department = 'samr' where seq = 37`.execute(db)), expected: { seq: 37, problem: 'CONTENT_CHANGED' } },
  { name: 'content of record 51 edited (first of the second range)', tamper: async (db) => void (await sql`update audit_records set returned = '[]' where seq = 51`.execute(db)), expected: { seq: 51, problem: 'CONTENT_CHANGED' }, threads: true },
  { name: 'record 37 deleted', tamper: async (db) => void (await sql`delete from audit_records where seq = 37`.execute(db)), expected: { seq: 38, problem: 'SEQ_GAP' }, onPostgres: { seq: 38, problem: 'PREV_HASH_MISMATCH' } },
  { name: 'record 51 deleted (range boundary)', tamper: async (db) => void (await sql`delete from audit_records where seq = 51`.execute(db)), expected: { seq: 52, problem: 'SEQ_GAP' }, onPostgres: { seq: 52, problem: 'PREV_HASH_MISMATCH' }, threads: true },
  { name: 'record 50 deleted (range boundary)', tamper: async (db) => void (await sql`delete from audit_records where seq = 50`.execute(db)), expected: { seq: 51, problem: 'SEQ_GAP' }, onPostgres: { seq: 51, problem: 'PREV_HASH_MISMATCH' } },
  { name: 'records 37–42 deleted and the rest renumbered', tamper: async (db) => void (await sql`delete from audit_records where seq between 37 and 42`.execute(db), await sql`update audit_records set seq = 6 - seq where seq > 42`.execute(db), await sql`update audit_records set seq = -seq where seq < 0`.execute(db)), expected: { seq: 37, problem: 'PREV_HASH_MISMATCH' } },
  { name: 'a correctly hashed record inserted at 37', tamper: (db) => insertForged(db, 37, 'samr'), expected: { seq: 38, problem: 'PREV_HASH_MISMATCH' } },
  { name: 'a correctly hashed record inserted at 51', tamper: (db) => insertForged(db, 51, 'samr'), expected: { seq: 52, problem: 'PREV_HASH_MISMATCH' } },
  {
    name: 'a record appended with a made-up hash',
    tamper: async (db) => {
      const last = await row(db, 100);
      await db.insertInto('audit_records').values({ ...last, seq: 101, request_id: 'forged', prev_hash: last.hash, hash: 'e'.repeat(64) }).execute();
    },
    expected: { seq: 101, problem: 'CONTENT_CHANGED' },
  },
  {
    name: 'record 37 edited and every hash after it recomputed',
    tamper: async (db) => {
      let prev = (await row(db, 36)).hash;
      for (let seq = 37; seq <= 100; seq++) {
        const r = { ...(await row(db, seq)), ...(seq === 37 ? { department: 'samr' } : {}), prev_hash: prev };
        r.hash = recordHash(prev, canonicalRow(r, seq));
        await db.updateTable('audit_records').set({ department: r.department, prev_hash: r.prev_hash, hash: r.hash }).where('seq', '=', seq).execute();
        prev = r.hash;
      }
    },
    expected: { seq: 50, problem: 'CHECKPOINT_MISMATCH' },
  },
  { name: 'checkpoint 50 deleted', tamper: async (db) => void (await sql`delete from audit_checkpoints where seq = 50`.execute(db)), expected: { seq: 75, problem: 'CHECKPOINT_MISSING' } },
  {
    name: 'checkpoint 50 re-signed with another key',
    tamper: async (db) => {
      const cp = await db.selectFrom('audit_checkpoints').selectAll().where('seq', '=', 50).executeTakeFirstOrThrow();
      const forged = signCheckpoint(generateKeyPairSync('ed25519').privateKey, { seq: 50, hash: cp.hash, prevCheckpointSeq: Number(cp.prev_checkpoint_seq) }, cp.signed_at);
      await db.updateTable('audit_checkpoints').set({ signature: forged.signature }).where('seq', '=', 50).execute();
    },
    expected: { seq: 50, problem: 'CHECKPOINT_SIGNATURE' },
  },
  { name: 'records 90–100 truncated', tamper: async (db) => void (await sql`delete from audit_records where seq >= 90`.execute(db)), expected: { seq: 90, problem: 'CHECKPOINT_BEYOND_END' } },
  {
    name: 'records 90–100 truncated with their checkpoint: undetectable in the database, as documented',
    tamper: async (db) => void (await sql`delete from audit_records where seq >= 90`.execute(db), await sql`delete from audit_checkpoints where seq = 100`.execute(db)),
    expected: 'ok',
  },
  { name: 'a record with seq 0', tamper: async (db) => void (await db.insertInto('audit_records').values({ ...(await row(db, 1)), seq: 0 }).execute()), expected: { seq: 0, problem: 'SEQ_INVALID' } },
  { name: 'records 80 and 30 edited: 30 is first', tamper: async (db) => void (await sql`update audit_records set purpose = 'X' where seq in (80, 30)`.execute(db)), expected: { seq: 30, problem: 'CONTENT_CHANGED' } },
  { name: 'record 60 edited and record 20 deleted: 21 is first', tamper: async (db) => void (await sql`update audit_records set purpose = 'X' where seq = 60`.execute(db), await sql`delete from audit_records where seq = 20`.execute(db)), expected: { seq: 21, problem: 'SEQ_GAP' }, onPostgres: { seq: 21, problem: 'PREV_HASH_MISMATCH' } },
  { name: 'a key row of record 37 deleted: the chain holds', tamper: async (db) => void (await sql`delete from audit_keys where seq = 37`.execute(db)), expected: 'ok' },
  { name: 'a key row of record 37 deleted: the index check finds it', tamper: async (db) => void (await sql`delete from audit_keys where seq = 37`.execute(db)), expected: { seq: 37, problem: 'INDEX_MISMATCH' }, indexes: true },
  { name: 'a field row planted for record 60', tamper: async (db) => void (await sql`insert into audit_fields (seq, coordinate, outcome) values (60, 'Person.photo', 'RETURNED')`.execute(db)), expected: { seq: 60, problem: 'INDEX_MISMATCH' }, indexes: true, threads: true },
  { name: 'a BLOB planted in record 44 (the database-built canonical form refuses it)', tamper: async (db) => void (await sql`update audit_records set details = x'00ff' where seq = 44`.execute(db)), expected: { seq: 44, problem: 'CONTENT_CHANGED' }, dialects: ['sqlite'] },
  { name: 'a float planted in record 45', tamper: async (db) => void (await sql`update audit_records set latency_ms = 5.5 where seq = 45`.execute(db)), expected: { seq: 45, problem: 'CONTENT_CHANGED' } },
];

describe.each(testDialects())('verify after tampering on %s', (dialect) => {
  let storage: TestStorage;
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let opened: OpenedDatabase<AuditDatabase>;

  beforeAll(async () => {
    storage = createTestStorage(dialect);
    ({ privateKey, publicKey } = generateKeyPairSync('ed25519'));
  });
  afterAll(async () => {
    await opened?.close();
    await storage.cleanup();
  });

  /** A fresh log of 100 records with checkpoints at 25, 50, 75 and 100. */
  async function freshLog(): Promise<Db> {
    await opened?.close();
    await dropDatabase(storage.config, AUDIT_OWNER);
    const log = await AuditLog.open(storage.config, { signingKey: privateKey, maxBatch: 5, checkpointEvery: 25, writerThread: false });
    for (let i = 0; i < 100; i += 5) await Promise.all(Array.from({ length: 5 }, (_, j) => log.append(accessRecord({ requestId: `r${i + j}`, keys: [{ kind: 'idNumber', value: `p${(i + j) % 7}` }] }))));
    await log.close();
    opened = await openAuditDatabase(storage.config);
    return opened.db;
  }

  const check = (result: VerifyResult, expected: Case['expected']) => {
    if (expected === 'ok') expect(result).toMatchObject({ ok: true });
    else expect(result.ok ? result : result.firstBad).toMatchObject(expected);
  };

  for (const c of cases.filter((c) => !c.dialects || c.dialects.includes(dialect)).map((c) => (dialect === 'postgres' && c.onPostgres ? { ...c, expected: c.onPostgres } : c))) {
    it(`${c.name} → ${c.expected === 'ok' ? 'ok' : `${c.expected.problem} at ${c.expected.seq}`}`, async () => {
      const db = await freshLog();
      await c.tamper(db, { privateKey });
      const options = c.indexes ? { indexes: true } : {};
      const inProcess = await verifyAuditChain(db, publicKey, options);
      check(inProcess, c.expected);
      const split = await verifyWith(db, publicKey, 2, (lo, hi, partition) => walkRange(db, lo, hi, options, partition), options);
      check(split, c.expected);
      if (!inProcess.ok && !split.ok) expect(split.firstBad).toEqual(inProcess.firstBad);
      if (c.threads) {
        const threads = await verifyAuditStorage(storage.config, db, publicKey, { ...options, workers: 2, parallelFrom: 0 });
        check(threads, c.expected);
        if (!inProcess.ok && !threads.ok) expect(threads.firstBad).toEqual(inProcess.firstBad);
      }
    });
  }

  it('names the first bad record in a message that says what is wrong', async () => {
    const db = await freshLog();
    await sql`delete from audit_records where seq between 37 and 39`.execute(db);
    const result = await verifyAuditChain(db, publicKey);
    expect(result.ok ? null : result.firstBad.message).toMatch(dialect === 'sqlite'
      ? /^records 37–39 are missing: the chain jumps from 36 to 40$/
      : /^record 40 says it follows hash [0-9a-f]{64}, but record 36, the one before it on its chain, has hash [0-9a-f]{64}: a record was inserted or removed before 40$/);
  });

  it('checks checkpoints against the key it is given', async () => {
    const db = await freshLog();
    const result = await verifyAuditChain(db, generateKeyPairSync('ed25519').publicKey);
    expect(result.ok ? null : result.firstBad).toMatchObject({ seq: 25, problem: 'CHECKPOINT_SIGNATURE', message: expect.stringMatching(/names key [0-9a-f]{16}; the key given is [0-9a-f]{16}/) });
    expect(checkpointMessage({ seq: 1, hash: 'h', prevCheckpointSeq: 0, signedAt: 't' }).toString()).toBe('govgraph-audit-checkpoint/1\n1\nh\n0\nt');
  });
});
