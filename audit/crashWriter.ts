/**
 * Helper of the crash test (auditLog.crash.test.ts): appends records as fast as it can
 * from several concurrent loops and prints each acknowledged seq on its own line — a seq is
 * printed only after its append resolved, i.e. after its commit. The test kill -9's this
 * process mid-stream and checks that every printed seq survived.
 *
 *   node --import tsx audit/crashWriter.ts '<StorageConfig JSON>' <keyDir> [concurrency] [leaseCheckMs]
 */
import { writeSync } from 'node:fs';
import type { StorageConfig } from '../storage/database.ts';
import { AuditLog } from './auditLog.ts';
import { loadOrCreateAuditKeys } from './checkpoint.ts';

const [storageJson, keyDir, concurrencyArg, leaseCheckArg] = process.argv.slice(2);
if (!storageJson || !keyDir) {
  process.stderr.write('usage: crashWriter.ts <StorageConfig JSON> <keyDir> [concurrency]\n');
  process.exit(2);
}
const storage = JSON.parse(storageJson) as StorageConfig;
const log = await AuditLog.open(storage, { signingKey: loadOrCreateAuditKeys(keyDir).privateKey, checkpointEvery: 200, ...(leaseCheckArg ? { leaseCheckMs: Number(leaseCheckArg) } : {}) });
const concurrency = Number(concurrencyArg ?? 32);
let n = 0;
// writeSync: the line is in the pipe before the next append starts, never buffered in
// this process where a kill would lose it.
process.stderr.write('ready\n');
await Promise.all(Array.from({ length: concurrency }, async () => {
  for (;;) {
    const i = n++;
    const { seq } = await log.append({
      kind: 'ACCESS', requestId: `crash-${i}`, department: 'mca', app: 'crash-app', purpose: 'ADMINISTRATIVE_BASIS', caseId: null,
      operationName: 'Crash', operationHash: null, requested: ['Person.name', 'Person.householdAddress'], denied: [],
      keys: [{ kind: 'idNumber', value: `crash-${i}` }], grantsUsed: [], subgraphs: ['population'], status: 200, latencyMs: 1,
    });
    writeSync(1, `${seq}\n`);
  }
}));
