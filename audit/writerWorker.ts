/**
 * The SQLite writer thread (see writerThread.ts): owns its own connection to the audit
 * database and writes the batches it is sent, one at a time, replying after each commit.
 */
import type { KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { StorageConfig } from '../storage/database.ts';
import { openAuditDatabase } from './auditDatabase.ts';
import type { PreparedRecord } from './auditRecord.ts';
import { ChainWriter, type BatchResult } from './chainWriter.ts';

export interface WriterWorkerData {
  readonly storage: StorageConfig;
  readonly signingKey: KeyObject;
  readonly checkpointEvery: number;
}

export type WriterRequest =
  | { readonly type: 'write'; readonly id: number; readonly records: readonly PreparedRecord[]; readonly forceCheckpoint: boolean }
  | { readonly type: 'close' };

export type WriterReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'written'; readonly id: number; readonly result: BatchResult }
  | { readonly type: 'error'; readonly id: number; readonly error: string }
  | { readonly type: 'closed' };

const port = parentPort!;
const { storage, signingKey, checkpointEvery } = workerData as WriterWorkerData;
const send = (reply: WriterReply) => port.postMessage(reply);

try {
  const opened = await openAuditDatabase(storage);
  const writer = new ChainWriter(opened.db, opened.dialect, signingKey, checkpointEvery, () => opened.close());
  // Requests are handled strictly in order: the chain is one sequence.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: WriterRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'close') {
        await writer.close();
        send({ type: 'closed' });
        port.close();
        return;
      }
      try {
        send({ type: 'written', id: request.id, result: await writer.write(request.records, request.forceCheckpoint) });
      } catch (error) {
        send({ type: 'error', id: request.id, error: (error as Error).message });
      }
    });
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'failed', error: (error as Error).stack ?? String(error) });
  port.close();
}
