/**
 * `verify` over worker threads: a million records are mostly the database's work of
 * reading them and building their canonical form plus one SHA-256 each — per record, with
 * no dependency between records (each is checked against its own stored prev_hash), so
 * seq ranges go to one worker per core, each with its own connection.
 */
import { availableParallelism } from 'node:os';
import type { CheckpointKeys } from './checkpoint.ts';
import type { Kysely } from 'kysely';
import type { StorageConfig } from '../storage/database.ts';
import type { AuditDatabase } from './auditDatabase.ts';
import { chainExtent, verifyAuditChain, verifyWith, type RangeResult, type VerifyOptions, type VerifyResult } from './verifyChain.ts';
import type { VerifyWorkerData, VerifyWorkerMessage } from './verifyWorker.ts';
import { startTsWorker } from './tsWorker.ts';

export interface ParallelVerifyOptions extends VerifyOptions {
  /** Worker threads; 1 verifies in this thread. @default os.availableParallelism(), at most 4 */
  readonly workers?: number;
  /** Below this many records a worker's start-up costs more than it saves. @default 50000 */
  readonly parallelFrom?: number;
}

export async function verifyAuditStorage(storage: StorageConfig, db: Kysely<AuditDatabase>, publicKey: CheckpointKeys, options: ParallelVerifyOptions = {}): Promise<VerifyResult> {
  const workers = options.workers ?? Math.min(availableParallelism(), 4);
  const { head } = await chainExtent(db);
  const parallelFrom = options.parallelFrom ?? 50_000;
  if (workers <= 1 || head < parallelFrom || head < 2) return verifyAuditChain(db, publicKey, options);
  const walkOptions: VerifyOptions = { ...(options.indexes !== undefined ? { indexes: options.indexes } : {}), ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}) };
  return verifyWith(db, publicKey, workers, (lo, hi, partition) => walkInWorker({ storage, lo, hi, partition, options: walkOptions }), options);
}

function walkInWorker(data: VerifyWorkerData): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./verifyWorker.ts', import.meta.url), data);
    let settled = false;
    worker.once('message', (message: VerifyWorkerMessage) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`audit verify worker for records ${data.lo}–${data.hi} of partition ${data.partition} failed: ${message.error}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`audit verify worker for records ${data.lo}–${data.hi} of partition ${data.partition} exited with code ${code} before reporting`));
    });
  });
}
