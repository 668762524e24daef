/**
 * The audit trail's partitions on PostgreSQL (skipped without DATABASE_URL): several
 * AuditLog instances on one trail are replicas — they share the partitions out, append in
 * parallel, every record lands on exactly one chain, and verify checks them all; a replica
 * killed with kill -9 mid-stream loses no acknowledged record and the survivor continues
 * its chains; tampering on any partition is found and named with its partition.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createTestStorage, type TestStorage } from '../storage/testing.ts';
import { AuditLog } from './auditLog.ts';
import { loadOrCreateAuditKeys } from './checkpoint.ts';
import { accessRecord } from './testing.ts';

const WRITER = fileURLToPath(new URL('./crashWriter.ts', import.meta.url));
const postgres = !!process.env.DATABASE_URL;

/** Polls `condition` (balancing the logs' leases meanwhile) until it holds; fails after 30 s. */
async function until(logs: readonly AuditLog[], condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; held: ${logs.map((l) => `[${l.heldPartitions().join(',')}]`).join(' ')}`);
    for (const log of logs) await log.balanceLeases();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!postgres)('audit trail partitions on postgres', () => {
  let storage: TestStorage | null = null;
  const logs: AuditLog[] = [];
  let child: ChildProcess | null = null;
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = null;
    for (const log of logs.splice(0)) await log.close();
    await storage?.cleanup();
    storage = null;
  });

  const open = async () => {
    const log = await AuditLog.open(storage!.config, { signingKey: loadOrCreateAuditKeys(storage!.dataDir).privateKey, partitions: 8, leaseCheckMs: 50, checkpointEvery: 50, maxBatch: 20 });
    logs.push(log);
    return log;
  };

  it.each([2, 3])('%i replicas share the 8 partitions out, append in parallel, and every record is on exactly one chain', async (replicas) => {
    storage = createTestStorage('postgres');
    for (let i = 0; i < replicas; i++) await open();
    // Balanced: disjoint, all 8 held, nobody more than ceil(8 / replicas).
    await until(logs, () => {
      const held = logs.map((l) => l.heldPartitions());
      return new Set(held.flat()).size === 8 && held.flat().length === 8 && held.every((h) => h.length >= Math.floor(8 / replicas) && h.length <= Math.ceil(8 / replicas));
    }, 'the partitions are shared out');
    const acknowledged = (await Promise.all(logs.map((log, r) => Promise.all(Array.from({ length: 300 }, (_, i) => log.append(accessRecord({ requestId: `r${r}-${i}` }))))))).flat();
    expect(new Set(acknowledged.map((a) => a.seq)).size).toBe(300 * replicas);

    const db = logs[0]!.db;
    const rows = await db.selectFrom('audit_records').select(['seq', 'partition', 'request_id']).execute();
    expect(rows).toHaveLength(300 * replicas);
    // Each replica wrote only to partitions it held.
    for (const [r, log] of logs.entries()) {
      const mine = new Set(log.heldPartitions());
      expect(rows.filter((row) => row.request_id!.startsWith(`r${r}-`)).every((row) => mine.has(row.partition))).toBe(true);
    }
    for (const log of logs) await log.checkpoint();
    const result = await logs[0]!.verify();
    expect(result).toMatchObject({ ok: true, records: 300 * replicas, unsignedTail: 0 });
    expect(result.partitions).toHaveLength(8);
    // Every record on exactly one chain: the chains' counts add up to the table's.
    expect(result.partitions.reduce((n, p) => n + p.records, 0)).toBe(rows.length);
    expect(result.partitions.filter((p) => p.records > 0).length).toBeGreaterThanOrEqual(replicas);

    // Tampering on any partition is found and named with it; the others still verify.
    const victim = rows.filter((row) => row.partition === logs[replicas - 1]!.heldPartitions()[0]).sort((a, b) => Number(a.seq) - Number(b.seq))[10]!;
    await sql`update audit_records set department = 'samr' where seq = ${victim.seq}`.execute(db);
    const tampered = await logs[0]!.verify({ workers: 1 });
    expect(tampered.ok ? null : tampered.firstBad).toMatchObject({ seq: Number(victim.seq), partition: victim.partition, problem: 'CONTENT_CHANGED' });
    expect(tampered.partitions.filter((p) => !p.ok).map((p) => p.partition)).toEqual([victim.partition]);
    // Moving a record to another chain is found too (the partition is hashed).
    await sql`update audit_records set department = 'mca', partition = ${(victim.partition + 1) % 8} where seq = ${victim.seq}`.execute(db);
    const moved = await logs[0]!.verify({ workers: 1 });
    expect(moved.ok).toBe(false);
    expect(moved.partitions.filter((p) => !p.ok).map((p) => p.partition).sort()).toEqual([victim.partition, (victim.partition + 1) % 8].sort());
  }, 120_000);

  it('a replica killed mid-stream loses no acknowledged record; the survivor takes its partitions over and continues their chains', async () => {
    storage = createTestStorage('postgres');
    loadOrCreateAuditKeys(storage.dataDir);
    // Replica B, a process of its own, starts first and holds all 8 partitions.
    const acknowledged: number[] = [];
    child = spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(storage.config), storage.dataDir, '16', '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) acknowledged.push(Number(line));
    });
    await until([], () => acknowledged.length >= 200, 'replica B appends');
    // Replica A joins: B gives up half.
    const a = await open();
    await until([a], () => a.heldPartitions().length === 4, 'A holds 4 partitions');
    const bHeld = [0, 1, 2, 3].filter((p) => !a.heldPartitions().includes(p));
    expect(bHeld).toEqual([0, 1, 2, 3]);
    await Promise.all(Array.from({ length: 100 }, () => a.append(accessRecord())));
    const before = acknowledged.length;
    await until([a], () => acknowledged.length >= before + 300, 'B appends more');
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = null;

    // A takes B's partitions over at its next check (B's session, and its locks, are gone).
    await until([a], () => a.heldPartitions().length === 8, 'A holds all 8 partitions');
    const db = a.db;
    const lastOfB = await db.selectFrom('audit_records').select((eb) => eb.fn.max('seq').as('seq')).where('partition', '=', 0).executeTakeFirstOrThrow();
    // A's next records go to its lowest partition, 0 — B's chain, continued.
    const next = await a.append(accessRecord({ requestId: 'after-takeover' }));
    const row = await db.selectFrom('audit_records').selectAll().where('seq', '=', next.seq).executeTakeFirstOrThrow();
    expect(row.partition).toBe(0);
    const previous = await db.selectFrom('audit_records').select('hash').where('seq', '=', Number(lastOfB.seq)).executeTakeFirstOrThrow();
    expect(row.prev_hash).toBe(previous.hash);

    // Nothing B acknowledged was lost.
    const present = new Set<number>();
    for (let i = 0; i < acknowledged.length; i += 1000) {
      for (const r of await db.selectFrom('audit_records').select('seq').where('seq', 'in', acknowledged.slice(i, i + 1000)).execute()) present.add(Number(r.seq));
    }
    expect(acknowledged.filter((seq) => !present.has(seq))).toEqual([]);
    await a.checkpoint();
    const result = await a.verify();
    expect(result).toMatchObject({ ok: true, unsignedTail: 0 });
    expect(result.ok && result.records).toBeGreaterThanOrEqual(acknowledged.length + 101);
  }, 120_000);
});
