/**
 * Graceful shutdown of `npm start` (platform/main.ts) under load (issue 15). Before: SIGTERM
 * cut every request in flight (ECONNRESET, some of them already audited), exit code 130 in
 * 0.4 s, no final checkpoint. Now: readiness 503 and new connections refused at once, requests
 * in flight answered in full, the audit trail closed with a checkpoint, exit 0.
 *
 * The requests are kept in flight deterministically: the population subgraph's process is
 * stopped (SIGSTOP) while they wait for it, and continued after the SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAuditCommand } from '../audit/cli.ts';

const MAIN = fileURLToPath(new URL('../platform/main.ts', import.meta.url));

interface Answer { status: number; body: string; error?: string }

/** One POST on its own connection (no keep-alive), so a reset shows as an error, not a retry. */
function post(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(body);
  });
}

describe('graceful shutdown of npm start', () => {
  let dataDir: string;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<{ code: number | null; signal: string | null }>;
  let gateway: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'govgraph-shutdown-'));
    child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'process', SUBGRAPH_TIMEOUT_MS: '60000', GOVGRAPH_SHUTDOWN_GRACE_MS: '30000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    const started = performance.now();
    while (!/GraphQL gateway\s+(\S+)/.test(output)) {
      if (child.exitCode !== null) throw new Error(`platform exited before it was ready:\n${output}`);
      if (performance.now() - started > 150_000) throw new Error(`platform not ready in time:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    gateway = /GraphQL gateway\s+(\S+)/.exec(output)![1]!;
  }, 180_000);
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      for (const pid of childPids(child.pid!)) { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } }
      child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM: ready no more, new connections refused, requests in flight answered in full, final checkpoint, exit 0', async () => {
    const credentials = JSON.parse(readFileSync(join(dataDir, 'demo', 'credentials.json'), 'utf8'));
    const token = credentials.departments.find((d: { code: string }) => d.code === 'mca').apps[0].token;
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' };
    const ids: string[] = credentials.samples.persons;
    const ask = (id: string) => post(gateway, headers, JSON.stringify({ query: 'query($id: ID!) { person(idNumber: $id) { idNumber name } }', variables: { id } }));
    // Positive control: the request is answered while all is well.
    const control = await ask(ids[0]!);
    expect(control.status, control.body).toBe(200);

    const population = childPids(child.pid!).find((pid) => commandOf(pid).includes('population'));
    expect(population, 'the population subgraph runs as a child process').toBeDefined();
    process.kill(population!, 'SIGSTOP');
    const inFlight = Array.from({ length: 8 }, (_, i) => ask(ids[i % ids.length]!));
    // A load balancer's probe, its request line sent before the SIGTERM, the rest after.
    const origin = new URL(gateway);
    const probe = connect(Number(origin.port), origin.hostname);
    await new Promise((r) => probe.once('connect', r));
    probe.write('GET /readyz HTTP/1.1\r\nHost: gateway\r\n');
    let probeAnswer = '';
    probe.on('data', (c: Buffer) => { probeAnswer += c.toString(); });
    await new Promise((r) => setTimeout(r, 500));

    const signalledAt = performance.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    probe.write('\r\n');
    // New connections are refused while the requests in flight are still waiting.
    const late = await ask(ids[0]!);
    expect(late.error).toBe('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 300));
    expect(probeAnswer).toMatch(/^HTTP\/1\.1 503/);
    expect(probeAnswer).toMatch(/"status":"stopping"/);
    expect(child.exitCode, 'still finishing its requests').toBeNull();

    process.kill(population!, 'SIGCONT');
    const answers = await Promise.all(inFlight);
    const { code, signal } = await exited;
    const stopMs = Math.round(performance.now() - signalledAt);
    console.log(`SIGTERM with ${inFlight.length} requests in flight: statuses ${answers.map((a) => a.status || a.error).join(',')}, exit ${code} after ${stopMs} ms`);
    expect(answers.filter((a) => a.error), 'no request in flight was cut').toEqual([]);
    for (const a of answers) {
      expect(a.status, a.body).toBe(200);
      expect(JSON.parse(a.body).data.person.name).toBeTruthy();
    }
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/govgraph stopped/);

    // The audit trail: every record signed by the final checkpoint, and the chain verifies.
    const out: string[] = [];
    const verified = await runAuditCommand(['verify'], { dataDir, storage: { kind: 'sqlite', dataDir } }, { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(verified, out.join('\n')).toBe(0);
    expect(out[0]).toMatch(/, 0 after the last checkpoint;/);
  }, 120_000);
});

function childPids(parent: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' }).split('\n').map((l) => Number(l.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
