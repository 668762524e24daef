/**
 * SQLite batches are written in a worker thread. better-sqlite3 is synchronous: in the
 * gateway's thread every commit — inserts plus the fsync that `synchronous = FULL` makes
 * it wait for, milliseconds each — would stop every request in flight. In the worker the
 * gateway's event loop keeps running, and the appends that arrive during a commit form
 * the next batch (group commit at its most natural).
 */
import type { Worker } from 'node:worker_threads';
import type { PreparedRecord } from './auditRecord.ts';
import type { BatchResult, BatchWriter } from './chainWriter.ts';
import { startTsWorker } from './tsWorker.ts';
import type { WriterReply, WriterRequest, WriterWorkerData } from './writerWorker.ts';

export class ThreadWriter implements BatchWriter {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: BatchResult) => void; reject: (error: Error) => void }>();
  private closed: Promise<void> | null = null;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WriterReply) => {
      if (reply.type === 'written' || reply.type === 'error') {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.type === 'written') waiter?.resolve(reply.result);
        else waiter?.reject(new Error(reply.error));
      }
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the audit writer thread exited (code ${code})`)));
  }

  static start(data: WriterWorkerData): Promise<ThreadWriter> {
    return new Promise((resolve, reject) => {
      const worker = startTsWorker(new URL('./writerWorker.ts', import.meta.url), data);
      const onExit = (code: number) => reject(new Error(`the audit writer thread exited (code ${code}) before it was ready`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (reply: WriterReply) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (reply.type === 'ready') resolve(new ThreadWriter(worker));
        else {
          reject(new Error(`the audit writer thread did not start: ${reply.type === 'failed' ? reply.error : reply.type}`));
          void worker.terminate();
        }
      });
    });
  }

  write(records: readonly PreparedRecord[], forceCheckpoint: boolean): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'write', id, records, forceCheckpoint } satisfies WriterRequest);
    });
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      if (this.failure) {
        resolve();
        return;
      }
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' } satisfies WriterRequest);
    });
    return this.closed;
  }
}
