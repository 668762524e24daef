/**
 * The platform killed with SIGKILL under load (R10: nothing acknowledged is lost): every
 * request that got an answer has its audit record, and the chain verifies afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/auditLog.ts';
import { loadOrCreateAuditKeys } from '../audit/checkpoint.ts';
import { createTestStorage, type TestStorage } from '../storage/testing.ts';

describe('audit survives kill -9 of the platform under load', () => {
  let storage: TestStorage | undefined;
  afterAll(async () => {
    await storage?.cleanup();
  });

  let child: ChildProcess | undefined;
  afterAll(() => {
    // Whatever failed above, no platform is left running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('has a record for every answered request, and the chain verifies', async () => {
    storage = createTestStorage('sqlite');
    const platform = spawn(process.execPath, ['--import', 'tsx', 'platform/main.ts'], {
      env: { ...process.env, DATA_DIR: storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'inprocess', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = platform;
    let output = '';
    platform.stdout.on('data', (c) => (output += c));
    platform.stderr.on('data', (c) => (output += c));
    const credentialsFile = join(storage.dataDir, 'demo', 'credentials.json');
    const deadline = Date.now() + 120_000;
    while (!/govgraph is running/.test(output) && Date.now() < deadline && platform.exitCode === null) await new Promise((r) => setTimeout(r, 200));
    expect(output).toMatch(/govgraph is running/);
    expect(existsSync(credentialsFile)).toBe(true);
    const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    const token = credentials.departments.find((d: { code: string }) => d.code === 'mca').apps[0].token;

    const answered: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(credentials.gateway, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' },
            signal: AbortSignal.timeout(10_000),
            body: JSON.stringify({ query: `{ person(idNumber: "${credentials.samples.persons[(w + i) % credentials.samples.persons.length]}") { name householdAddress } }` }),
          });
          const body = (await res.json()) as { data?: { person?: { name?: string } } };
          if (res.ok && body.data?.person?.name) answered.push(res.headers.get('x-request-id')!);
        } catch {
          // The platform died mid-request: that request got no answer.
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Killed mid-stream once enough requests were answered (or after 30 s on a slow machine).
    const killAt = Date.now() + 30_000;
    while (answered.length < 300 && Date.now() < killAt) await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise((r) => (platform.exitCode !== null || platform.signalCode !== null ? r(null) : platform.once('exit', r)));
    platform.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await exited;
    expect(answered.length).toBeGreaterThan(20);

    const log = await AuditLog.open(storage.config, { signingKey: loadOrCreateAuditKeys(storage.dataDir).privateKey });
    try {
      const recorded = new Set<string>();
      for (let i = 0; i < answered.length; i += 500) {
        const rows = await log.db.selectFrom('audit_records').select('request_id').where('request_id', 'in', answered.slice(i, i + 500)).execute();
        for (const r of rows) recorded.add(r.request_id!);
      }
      expect(answered.filter((id) => !recorded.has(id))).toEqual([]);
      expect(await log.verify()).toMatchObject({ ok: true });
      console.log(`kill -9 under load: ${answered.length} answered requests, all recorded; chain verifies`);
    } finally {
      await log.close();
    }
  }, 240_000);
});
