/**
 * Audit trail benchmark (SQLite, synchronous = FULL):
 *
 *   tsx audit/bench.ts [--appenders 256] [--seconds 10] [--records 1000000] [--dir DIR] [--database-url postgres://…]
 *
 * 1. sustained append rate: `--appenders` concurrent loops, each appending and awaiting
 *    its commit, for `--seconds` (target ≥ 10,000 records/s) — with the SQLite writer
 *    thread (the default) and in this thread, with how long this thread's event loop was
 *    held up meanwhile (what the gateway's requests would feel);
 * 2. verify: the log filled up to `--records` records, then `verify()` timed
 *    (target ≤ 10 s for 1,000,000). With `--dir` an existing log there is reused.
 *    The writer-thread append of 1. is measured again on the full log first.
 *
 * Records look like the gateway's: eight coordinates requested, one denied, one key.
 */
import { timeOrderedUuid } from '../lib/requestId.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from './auditLog.ts';
import type { AccessRecordInput } from './auditRecord.ts';
import { loadOrCreateAuditKeys } from './checkpoint.ts';
import { dropDatabase, type StorageConfig } from '../storage/database.ts';

const { values } = parseArgs({
  options: {
    appenders: { type: 'string', default: '256' },
    seconds: { type: 'string', default: '10' },
    records: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
    'skip-append': { type: 'boolean', default: false },
    /** Measure on PostgreSQL instead (a private schema, dropped afterwards). */
    'database-url': { type: 'string' },
  },
});
const appenders = Number(values.appenders);
const seconds = Number(values.seconds);
const target = Number(values.records);
const dataDir = values.dir ?? mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'govgraph-audit-bench-'));
const schemaPrefix = `bench_${process.pid}_`;
const storage: StorageConfig = values['database-url'] ? { kind: 'postgres', url: values['database-url'], schemaPrefix } : { kind: 'sqlite', dataDir };
const keys = loadOrCreateAuditKeys(dataDir);

const FIELDS = ['Person.name', 'Person.gender', 'Person.birthDate', 'Person.ethnicity', 'Person.householdAddress', 'Person.householdDivision', 'Person.maritalStatus', 'Person.idNumber'];
let n = 0;
function record(): AccessRecordInput {
  const i = n++;
  return {
    kind: 'ACCESS',
    requestId: timeOrderedUuid(),
    department: ['mca', 'samr', 'hrss', 'nr'][i % 4]!,
    app: `app-${i % 16}`,
    purpose: 'ADMINISTRATIVE_BASIS',
    caseId: i % 3 === 0 ? `民〔2025〕${i % 1000}号` : null,
    operationName: 'PersonFile',
    operationHash: 'a3f1c2e4b5d6978877665544332211009988776655443322110099887766554',
    requested: FIELDS,
    denied: ['Person.householdAddress'],
    keys: [{ kind: 'idNumber', value: `11010119900101${String(i % 10000).padStart(4, '0')}` }],
    grantsUsed: ['grant-mca-marital'],
    subgraphs: ['population'],
    status: 200,
    latencyMs: 12,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

console.log(`audit bench: ${storage.kind === 'sqlite' ? `${dataDir} (SQLite, synchronous = FULL)` : `PostgreSQL schema ${schemaPrefix}audit (synchronous_commit = on)`}, ${appenders} appenders, ${seconds} s; verify at ${target.toLocaleString('en')} records`);

async function sustained(writerThread: boolean, label = ''): Promise<void> {
  const log = await AuditLog.open(storage, { signingKey: keys.privateKey, writerThread });
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const before = log.stats();
  // How late a 1 ms timer fires: the stall a request in flight would see.
  const stalls: number[] = [];
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    stalls.push(now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  await Promise.all(Array.from({ length: appenders }, async () => {
    while (performance.now() < until) {
      const t = performance.now();
      await log.append(record());
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(probe);
  stalls.push(performance.now() - last - 1);
  stalls.sort((a, b) => a - b);
  const after = log.stats();
  const records = after.records - before.records;
  const transactions = after.transactions - before.transactions;
  latencies.sort((a, b) => a - b);
  console.log(`append (${writerThread ? 'writer thread' : 'in this thread'}${label}): ${records} records in ${elapsed.toFixed(2)} s = ${Math.round(records / elapsed).toLocaleString('en')} records/s; ` +
    `${transactions} transactions (${(records / transactions).toFixed(0)} records each); append latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms; ` +
    `a 1 ms timer fired ${stalls.length} times, late by p99 ${percentile(stalls, 0.99).toFixed(1)} ms, max ${(stalls[stalls.length - 1] ?? 0).toFixed(1)} ms`);
  await log.close();
}

if (!values['skip-append']) {
  await sustained(true);
  await sustained(false);
}

{
  // Fill to the target as fast as the log takes it: large batches, many appenders.
  const log = await AuditLog.open(storage, { signingKey: keys.privateKey, maxBatch: 2000 });
  const head = await log.db.selectFrom('audit_records').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst();
  let have = Number(head?.max ?? 0);
  const fillStarted = performance.now();
  const filled = have;
  while (have < target) {
    const chunk = Math.min(20_000, target - have);
    await Promise.all(Array.from({ length: chunk }, () => log.append(record())));
    have += chunk;
  }
  if (have > filled) console.log(`filled ${have - filled} records in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);
  await log.close();
}

// Sustained again on the full log: its indexes no longer fit in a few pages.
if (!values['skip-append']) await sustained(true, `, log at ${target.toLocaleString('en')} records`);

{
  const log = await AuditLog.open(storage, { signingKey: keys.privateKey });
  for (const workers of [undefined, 1]) {
    const result = await log.verify(workers ? { workers } : {});
    if (!result.ok) {
      console.log(`verify FAILED: ${JSON.stringify(result.firstBad)}`);
      process.exitCode = 1;
      break;
    }
    console.log(`verify (${workers ? 'in this thread' : `${Math.min(availableParallelism(), 4)} worker threads`}): ${result.records.toLocaleString('en')} records, ${result.checkpoints} checkpoints in ${result.seconds.toFixed(2)} s = ${Math.round(result.records / result.seconds).toLocaleString('en')} records/s`);
  }
  await log.close();
}
if (storage.kind === 'postgres') await dropDatabase(storage, 'audit');
if (!values.dir) rmSync(dataDir, { recursive: true, force: true });
