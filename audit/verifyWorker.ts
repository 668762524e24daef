/**
 * A worker thread of `verifyAuditStorage`: opens its own connection to the audit database
 * and walks one seq range of one partition (see verifyChain.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type StorageConfig } from '../storage/database.ts';
import { AUDIT_OWNER, type AuditDatabase } from './auditDatabase.ts';
import { walkRange, type VerifyOptions } from './verifyChain.ts';

export interface VerifyWorkerData {
  readonly storage: StorageConfig;
  readonly lo: number;
  readonly hi: number;
  readonly partition: number;
  readonly options: VerifyOptions;
}

export type VerifyWorkerMessage =
  | { readonly ok: true; readonly result: Awaited<ReturnType<typeof walkRange>> }
  | { readonly ok: false; readonly error: string };

const { storage, lo, hi, partition, options } = workerData as VerifyWorkerData;
const opened = await openDatabase<AuditDatabase>(storage, AUDIT_OWNER, { poolSize: 1 });
let message: VerifyWorkerMessage;
try {
  message = { ok: true, result: await walkRange(opened.db, lo, hi, options, partition) };
} catch (error) {
  message = { ok: false, error: (error as Error).stack ?? String(error) };
} finally {
  await opened.close();
}
parentPort!.postMessage(message);
