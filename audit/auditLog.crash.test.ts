/**
 * Durable before the answer, tested the hard way: a child process appends as fast as it can
 * and prints every seq whose append resolved; it is killed with SIGKILL mid-stream (twice,
 * the second writer continuing the first one's chain), and every printed seq must be in
 * the log, which must verify.
 *
 * SIGKILL tests a crash of the process, not a power cut (the page cache survives a killed
 * process); that a committed record also survives power loss rests on synchronous = FULL,
 * which openAuditDatabase sets and checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestStorage, testDialects, type TestStorage } from '../storage/testing.ts';
import { AuditLog } from './auditLog.ts';
import { loadOrCreateAuditKeys } from './checkpoint.ts';

const WRITER = fileURLToPath(new URL('./crashWriter.ts', import.meta.url));

/** Runs the writer until it has acknowledged at least `acks` records, then kills it; returns what it acknowledged. */
function appendUntilKilled(storage: TestStorage, acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(storage.config), storage.dataDir, '32'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let partial = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the crash writer acknowledged only ${acknowledged.length} records in 90 s; stderr: ${stderr}`));
    }, 90_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) acknowledged.push(Number(line));
      // Killed at an arbitrary moment after the threshold, usually with appends in flight.
      if (acknowledged.length >= acks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the crash writer exited with ${code ?? signal} before it was killed; stderr: ${stderr}`));
      // A line cut by the kill was not fully printed: its append is not counted as acknowledged.
      else resolve(acknowledged);
    });
  });
}

describe.each(testDialects())('audit log crash on %s', (dialect) => {
  let storage: TestStorage | null = null;
  afterEach(async () => {
    await storage?.cleanup();
    storage = null;
  });

  it('keeps every acknowledged record through kill -9, and the chain verifies', async () => {
    storage = createTestStorage(dialect);
    const first = await appendUntilKilled(storage, 1500);
    const second = await appendUntilKilled(storage, 1000 + Math.floor(Math.random() * 500));
    const acknowledged = [...first, ...second];
    expect(acknowledged.length).toBeGreaterThanOrEqual(2500);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    // The second writer continued the first one's chain.
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));

    const log = await AuditLog.open(storage.config, { signingKey: loadOrCreateAuditKeys(storage.dataDir).privateKey });
    try {
      const present = new Set<number>();
      for (let i = 0; i < acknowledged.length; i += 1000) {
        const rows = await log.db.selectFrom('audit_records').select('seq').where('seq', 'in', acknowledged.slice(i, i + 1000)).execute();
        for (const r of rows) present.add(Number(r.seq));
      }
      expect(acknowledged.filter((seq) => !present.has(seq))).toEqual([]);
      const result = await log.verify();
      expect(result).toMatchObject({ ok: true });
      expect(result.ok && result.records).toBeGreaterThanOrEqual(Math.max(...acknowledged));
    } finally {
      await log.close();
    }
  }, 240_000);
});
