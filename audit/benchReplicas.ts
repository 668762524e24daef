/**
 * Audit appends per second with several replicas on one PostgreSQL trail (issue 15):
 *
 *   tsx audit/benchReplicas.ts --database-url postgres://… [--replicas 1,3] [--appenders 128] [--seconds 10] [--partitions 8]
 *
 * For each replica count, that many processes each open an AuditLog on one fresh trail
 * (a private schema, dropped afterwards), wait until the partitions are shared out, then
 * run `--appenders` concurrent append loops for `--seconds`; the appends acknowledged by
 * all of them per second are printed, and the trail verified.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AuditLog } from './auditLog.ts';
import { loadOrCreateAuditKeys } from './checkpoint.ts';
import { dropDatabase, type StorageConfig } from '../storage/database.ts';
import { accessRecord } from './testing.ts';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' }, replicas: { type: 'string', default: '1,3' }, appenders: { type: 'string', default: '128' },
    seconds: { type: 'string', default: '10' }, partitions: { type: 'string', default: '8' },
    child: { type: 'string' }, dir: { type: 'string' },
  },
});

if (values.child) {
  // One replica: open, say so, wait for the go (a line on stdin), append, print the count.
  const storage = JSON.parse(values.child) as StorageConfig;
  const log = await AuditLog.open(storage, { signingKey: loadOrCreateAuditKeys(values.dir!).privateKey, partitions: Number(values.partitions), leaseCheckMs: 100 });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const end = Date.now() + Number(values.seconds) * 1000;
  let count = 0;
  await Promise.all(Array.from({ length: Number(values.appenders) }, async () => {
    while (Date.now() < end) {
      await log.append(accessRecord());
      count++;
    }
  }));
  const held = log.heldPartitions().join(',');
  await log.close();
  process.stdout.write(`${JSON.stringify({ count, held })}\n`);
  process.exit(0);
}

const url = values['database-url'];
if (!url) throw new Error('--database-url is required (the bench measures PostgreSQL partitions)');
const self = fileURLToPath(import.meta.url);
for (const replicas of values.replicas!.split(',').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-audit-replicas-'));
  const storage: StorageConfig = { kind: 'postgres', url, schemaPrefix: `benchrep_${process.pid}_${replicas}_` };
  loadOrCreateAuditKeys(dir);
  // Create the trail once, so the replicas do not race to record the partition count.
  await (await AuditLog.open(storage, { signingKey: loadOrCreateAuditKeys(dir).privateKey, partitions: Number(values.partitions) })).close();
  let ready = 0;
  let go: () => void = () => {};
  const allReady = new Promise<void>((resolve) => (go = resolve));
  const children = Array.from({ length: replicas }, () => spawn(process.execPath, ['--import', 'tsx', self, '--child', JSON.stringify(storage), '--dir', dir,
    '--seconds', values.seconds!, '--appenders', values.appenders!, '--partitions', values.partitions!], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const results = Promise.all(children.map((child) => new Promise<{ count: number; held: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('ready\n') && !out.includes('counted')) {
        out = out.replace('ready\n', 'counted');
        if (++ready === replicas) go();
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.replace('counted', '').trim()) as { count: number; held: string }) : reject(new Error(`replica exited with ${code}`))));
  })));
  await allReady;
  // The leases settle within a few checks (100 ms each).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const child of children) child.stdin.end('go\n');
  const counted = await results;
  const total = counted.reduce((n, r) => n + r.count, 0);
  const log = await AuditLog.open(storage, { signingKey: loadOrCreateAuditKeys(dir).privateKey });
  const verified = await log.verify();
  await log.close();
  console.log(`${replicas} replica(s), ${values.appenders} appenders each, ${values.seconds} s: ${Math.round(total / Number(values.seconds))} appends/s (per replica: ${counted.map((r) => `${r.count} on [${r.held}]`).join('; ')}); verify ${verified.ok ? `ok, ${verified.records} records` : `FAILED: ${verified.firstBad.message}`}`);
  await dropDatabase(storage, 'audit');
  rmSync(dir, { recursive: true, force: true });
}
