/**
 * The access audit trail (R10): an append-only, hash-chained log in its own database, with
 * the chain head signed at intervals.
 *
 * Durable before the answer: `append` resolves only once its record is committed (fsynced:
 * `synchronous = FULL` on SQLite, `synchronous_commit = on` on PostgreSQL), and the gateway
 * awaits it before it answers. GROUP COMMIT keeps that affordable: appends arriving together
 * share one transaction — a batch is written when it reaches `maxBatch` records or when its
 * oldest record has waited `maxDelayMs`, whichever comes first, and the appends that arrive
 * while a batch commits form the next one. The writer runs one transaction at a time,
 * because each record's hash depends on the one before; a second full batch may wait at
 * the writer while the first commits, so the writer never idles under load.
 *
 * On SQLite the batches are committed in a worker thread (writerThread.ts), so the fsyncs
 * never stall the gateway's event loop; reads (queries, verify) use this thread's own
 * connection. An append that is not committed within `appendTimeoutMs` is refused.
 *
 * Several processes may append to one audit database: each transaction takes the write lock
 * first (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory lock) and reads the chain head
 * inside it, so the chain stays linear.
 *
 * On PostgreSQL the trail is a fixed number of chains (partitions, `partitions`), each
 * leased by one replica at a time (partitionLeases.ts), so replicas append in parallel;
 * SQLite has one chain (partition 0). `verify` checks every partition.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OpenedDatabase, OpenOptions, StorageConfig } from '../storage/database.ts';
import { openAuditDatabase, type AuditDatabase } from './auditDatabase.ts';
import { GENESIS_HASH, prepareRecord, type AuditRecordInput, type PreparedRecord } from './auditRecord.ts';
import { signCheckpoint, type Checkpoint } from './checkpoint.ts';
import { ChainWriter, type AppendResult, type BatchWriter } from './chainWriter.ts';
import { fixPartitionCount } from './partitionCount.ts';
import { PartitionedWriter } from './partitionedWriter.ts';
import { PartitionLeases } from './partitionLeases.ts';
import { ThreadWriter } from './writerThread.ts';
import type { VerifyResult } from './verifyChain.ts';
import { verifyAuditStorage, type ParallelVerifyOptions } from './verifyParallel.ts';

/** @default 500 */
export const DEFAULT_MAX_BATCH = 500;
/** @default 2 ms */
export const DEFAULT_MAX_DELAY_MS = 2;
/** @default 1000 records */
export const DEFAULT_CHECKPOINT_EVERY = 1000;
/** @default 10 s */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 10_000;
/** @default 10 s */
export const DEFAULT_APPEND_TIMEOUT_MS = 10_000;
/**
 * How long a failed commit keeps the trail reported as unable to commit (readiness 503) when
 * no commit has succeeded since. Then the probe is ready again, so traffic comes back and
 * tries: a trail that still fails is reported again at its next failure. @default 10 s
 */
export const AUDIT_UNHEALTHY_FOR_MS = 10_000;
/** Batches handed to the writer and not yet committed. */
const MAX_IN_FLIGHT = 2;

export interface AuditLogOptions {
  /** Ed25519 private key that signs checkpoints (see loadOrCreateAuditKeys). */
  readonly signingKey: KeyObject;
  /** Most records in one transaction. @default DEFAULT_MAX_BATCH */
  readonly maxBatch?: number;
  /** Longest a record waits for companions before its batch is written. @default DEFAULT_MAX_DELAY_MS */
  readonly maxDelayMs?: number;
  /** Sign the head once this many records follow the last checkpoint. @default DEFAULT_CHECKPOINT_EVERY */
  readonly checkpointEvery?: number;
  /** …or once this long has passed with records after it. @default DEFAULT_CHECKPOINT_INTERVAL_MS */
  readonly checkpointIntervalMs?: number;
  /** Called after each checkpoint commits: publish it outside the database (logs, another store). */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => void;
  /** Statements on this thread's connection (not the SQLite writer thread's). */
  readonly onStatement?: OpenOptions['onStatement'];
  /** On SQLite, commit in a worker thread so fsyncs never block this thread's event loop. @default true */
  readonly writerThread?: boolean;
  /**
   * An append not committed this long after it was made is refused (the gateway then
   * withholds its answer) — a database that hangs must not hang every request. A refused
   * record already on its way may still be committed. @default DEFAULT_APPEND_TIMEOUT_MS
   */
  readonly appendTimeoutMs?: number;
  /** PostgreSQL pool size. @default 4 */
  readonly poolSize?: number;
  /**
   * How many partitions (chains) a new trail has; an existing trail keeps the count it was
   * created with, and a different count given here is refused. SQLite: 1 only.
   * @default DEFAULT_POSTGRES_PARTITIONS on PostgreSQL, 1 on SQLite
   */
  readonly partitions?: number;
  /** PostgreSQL: how often partition leases are checked and balanced. @default DEFAULT_LEASE_CHECK_MS */
  readonly leaseCheckMs?: number;
  /**
   * The clock (milliseconds, monotonic) the append timeout and the checkpoint interval are
   * measured by; tests inject one instead of sleeping. @default performance.now
   */
  readonly now?: () => number;
}

export type { AppendResult };

export interface AuditLogStats {
  /** Write transactions committed. */
  readonly transactions: number;
  readonly records: number;
  readonly largestBatch: number;
  readonly checkpoints: number;
  /** Transactions that failed (their appends were rejected). */
  readonly failures: number;
}

interface Pending {
  readonly record: PreparedRecord;
  readonly since: number;
  /** Once settled (committed, failed or timed out), later outcomes are ignored. */
  settled: boolean;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

type LogState = { readonly kind: 'open' } | { readonly kind: 'closing'; readonly done: Promise<void> } | { readonly kind: 'closed' };

export class AuditError extends Error {}

function settle(p: Pending, outcome: AppendResult | Error): void {
  if (p.settled) return;
  p.settled = true;
  if (outcome instanceof Error) p.reject(outcome);
  else p.resolve(outcome);
}

function option(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min) throw new RangeError(`AuditLog option ${name} must be a number ≥ ${min}, received ${String(value)}`);
  return v;
}

export class AuditLog {
  readonly publicKey: KeyObject;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly checkpointIntervalMs: number;
  private readonly appendTimeoutMs: number;
  private readonly now: () => number;
  private queue: Pending[] = [];
  /** The batches being written (at most MAX_IN_FLIGHT). */
  private readonly inFlight = new Set<readonly Pending[]>();
  private readonly sweeper: NodeJS.Timeout;
  private timer: NodeJS.Timeout | null = null;
  /** Resolved once nothing is queued or being written. */
  private idleWaiters: (() => void)[] = [];
  private checkpointWanted = false;
  private readonly checkpointTimer: NodeJS.Timeout;
  private lastCheckpointAt: number;
  /** Records committed by this log since its last checkpoint. */
  private unsigned = 0;
  private state: LogState = { kind: 'open' };
  private counters = { transactions: 0, records: 0, largestBatch: 0, checkpoints: 0, failures: 0 };
  /** The last commit that failed, while none has succeeded since. */
  private lastFailure: { readonly at: number; readonly message: string } | null = null;

  static async open(storage: StorageConfig, options: AuditLogOptions): Promise<AuditLog> {
    // A wrong key fails here, not at the first checkpoint.
    signCheckpoint(options.signingKey, { seq: 0, hash: GENESIS_HASH, prevCheckpointSeq: 0 });
    const opened = await openAuditDatabase(storage, { ...(options.onStatement ? { onStatement: options.onStatement } : {}), poolSize: options.poolSize ?? 4 });
    let leases: PartitionLeases | null = null;
    try {
      const checkpointEvery = Math.floor(option('checkpointEvery', options.checkpointEvery, DEFAULT_CHECKPOINT_EVERY, 1));
      const partitions = await fixPartitionCount(opened.db, opened.dialect, options.partitions);
      let writer: BatchWriter;
      // Set once the log exists: a partition taken over gets its head signed.
      let onAcquired: () => void = () => {};
      if (opened.dialect === 'sqlite') {
        writer = options.writerThread ?? true
          ? await ThreadWriter.start({ storage, signingKey: options.signingKey, checkpointEvery })
          : new ChainWriter(opened.db, opened.dialect, options.signingKey, checkpointEvery);
      } else {
        if (storage.kind !== 'postgres' || !opened.schema) throw new Error(`unreachable: ${opened.location} is not a PostgreSQL schema`);
        leases = await PartitionLeases.start({
          url: storage.url, schema: opened.schema, partitions,
          ...(options.leaseCheckMs !== undefined ? { checkMs: option('leaseCheckMs', options.leaseCheckMs, 0, 10) } : {}),
          onAcquired: () => onAcquired(),
        });
        writer = new PartitionedWriter(new ChainWriter(opened.db, opened.dialect, options.signingKey, checkpointEvery), leases);
      }
      const log = new AuditLog(storage, opened, writer, partitions, leases, options);
      onAcquired = () => log.signTakenOver();
      return log;
    } catch (error) {
      await leases?.close();
      await opened.close();
      throw error;
    }
  }

  private constructor(
    private readonly storage: StorageConfig,
    private readonly opened: OpenedDatabase<AuditDatabase>,
    private readonly writer: BatchWriter,
    /** The trail's partitions (chains), fixed when it was created. */
    readonly partitions: number,
    private readonly leases: PartitionLeases | null,
    private readonly options: AuditLogOptions,
  ) {
    this.maxBatch = Math.floor(option('maxBatch', options.maxBatch, DEFAULT_MAX_BATCH, 1));
    this.maxDelayMs = option('maxDelayMs', options.maxDelayMs, DEFAULT_MAX_DELAY_MS, 0);
    this.checkpointIntervalMs = option('checkpointIntervalMs', options.checkpointIntervalMs, DEFAULT_CHECKPOINT_INTERVAL_MS, 10);
    this.appendTimeoutMs = option('appendTimeoutMs', options.appendTimeoutMs, DEFAULT_APPEND_TIMEOUT_MS, 10);
    this.now = options.now ?? (() => performance.now());
    this.lastCheckpointAt = this.now();
    this.sweeper = setInterval(() => this.sweep(), Math.max(5, Math.min(this.appendTimeoutMs / 4, 1000)));
    this.sweeper.unref();
    this.publicKey = createPublicKey(options.signingKey);
    this.checkpointTimer = setInterval(() => {
      if (this.unsigned === 0 || this.now() - this.lastCheckpointAt < this.checkpointIntervalMs) return;
      this.checkpointWanted = true;
      this.pump(true);
    }, Math.min(this.checkpointIntervalMs, 1000));
    this.checkpointTimer.unref();
  }

  /** The audit database, for queries (read only: writing it breaks the chain, on purpose). */
  get db(): Kysely<AuditDatabase> {
    return this.opened.db;
  }

  get dialect(): OpenedDatabase<AuditDatabase>['dialect'] {
    return this.opened.dialect;
  }

  get location(): string {
    return this.opened.location;
  }

  stats(): AuditLogStats {
    return { ...this.counters };
  }

  /** The partitions this log appends to: those it leases (PostgreSQL), or [0] (SQLite). */
  heldPartitions(): readonly number[] {
    return this.leases ? this.leases.partitions() : [0];
  }

  /** Checks and balances the partition leases now instead of at the next interval (PostgreSQL). */
  async balanceLeases(): Promise<void> {
    await this.leases?.check();
  }

  /** A partition was taken over (its replica left): sign its head, which that replica may have left unsigned. */
  private signTakenOver(): void {
    if (this.state.kind !== 'open') return;
    this.checkpointWanted = true;
    this.pump(true);
  }

  /**
   * For readiness probes: null while records can be committed; otherwise why not (the last
   * commit failed, or appends timed out, and nothing has committed since, within
   * AUDIT_UNHEALTHY_FOR_MS). Every answer waits for its record (R10), so a trail that cannot
   * commit means every data request is refused with AUDIT_UNAVAILABLE.
   */
  health(): string | null {
    if (this.state.kind !== 'open') return `the audit trail is ${this.state.kind}`;
    const failure = this.lastFailure;
    if (!failure || this.now() - failure.at > AUDIT_UNHEALTHY_FOR_MS) return null;
    return `the audit trail cannot commit records (answers are withheld with AUDIT_UNAVAILABLE): ${failure.message}`;
  }

  /**
   * Adds a record; resolves with its seq once it is committed, rejects if it could not be.
   * A malformed record throws at once (TypeError), never reaching a batch.
   */
  append(input: AuditRecordInput): Promise<AppendResult> {
    if (this.state.kind !== 'open') return Promise.reject(new AuditError(`the audit log ${this.opened.location} is ${this.state.kind}; no record can be added`));
    const record = prepareRecord(input);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ record, since: this.now(), settled: false, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.pump(false);
      // While a batch is being written, the next one gathers until it is done.
      else if (this.inFlight.size === 0) this.timer ??= setTimeout(() => this.pump(true), this.maxDelayMs);
    });
  }

  /** Signs the current head now (if records follow the last checkpoint); resolves once committed. */
  checkpoint(): Promise<void> {
    this.checkpointWanted = true;
    this.pump(true);
    return this.idle();
  }

  /** Walks the whole chain (see verifyChain.ts) as it stood when the walk began; appends may go on meanwhile. */
  verify(options?: ParallelVerifyOptions): Promise<VerifyResult> {
    return verifyAuditStorage(this.storage, this.opened.db, this.publicKey, options);
  }

  /** Writes what is queued, signs the head, and closes the database. */
  close(): Promise<void> {
    switch (this.state.kind) {
      case 'closed':
        return Promise.resolve();
      case 'closing':
        return this.state.done;
      case 'open': {
        const done = (async () => {
          clearInterval(this.checkpointTimer);
          clearInterval(this.sweeper);
          this.checkpointWanted = true;
          this.pump(true);
          await this.idle();
          await this.writer.close();
          await this.opened.close();
          this.state = { kind: 'closed' };
        })();
        this.state = { kind: 'closing', done };
        return done;
      }
      default:
        throw new Error(`unreachable audit log state ${JSON.stringify(this.state satisfies never)}`);
    }
  }

  /**
   * Sends batches to the writer. A batch goes when it is full, or — with nothing being
   * written — when its oldest record has waited maxDelayMs (`now`) or the previous batch
   * has just committed. A second, full batch may follow one still being written, so the
   * writer never waits for this thread to hand it the next (it writes them in order).
   */
  private pump(now: boolean): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inFlight.size < MAX_IN_FLIGHT) {
      const full = this.queue.length >= this.maxBatch;
      const due = now && this.inFlight.size === 0 && (this.queue.length > 0 || this.checkpointWanted);
      if (!full && !due) break;
      const batch = this.queue.splice(0, this.maxBatch);
      const forceCheckpoint = this.checkpointWanted;
      this.checkpointWanted = false;
      this.inFlight.add(batch);
      void this.commit(batch, forceCheckpoint).finally(() => {
        this.inFlight.delete(batch);
        // Appends that arrived meanwhile have waited long enough: they go now.
        this.pump(true);
      });
    }
    if (this.inFlight.size === 0 && this.queue.length === 0 && !this.checkpointWanted) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.queue.length === 0 && !this.checkpointWanted) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses appends waiting longer than appendTimeoutMs, queued or in flight. */
  private sweep(): void {
    const limit = this.now() - this.appendTimeoutMs;
    const oldestInFlight = Math.min(...[...this.inFlight].map((b) => b[0]?.since ?? Number.POSITIVE_INFINITY));
    if (!(this.queue[0] && this.queue[0].since < limit) && !(oldestInFlight < limit)) return;
    const error = new AuditError(`the audit record was not committed to ${this.opened.location} within ${this.appendTimeoutMs} ms`);
    this.lastFailure = { at: this.now(), message: error.message };
    const expired = (p: Pending) => p.since < limit;
    for (const batch of this.inFlight) for (const p of batch) if (expired(p)) settle(p, error);
    // Queued records never reach the database once refused.
    const waiting: Pending[] = [];
    for (const p of this.queue) {
      if (expired(p)) settle(p, error);
      else waiting.push(p);
    }
    this.queue = waiting;
  }

  private async commit(batch: readonly Pending[], forceCheckpoint: boolean): Promise<void> {
    let results: readonly AppendResult[];
    let checkpoints: readonly Checkpoint[];
    try {
      ({ results, checkpoints } = await this.writer.write(batch.map((p) => p.record), forceCheckpoint));
    } catch (cause) {
      this.counters.failures++;
      const error = new AuditError(`the audit records could not be committed to ${this.opened.location}: ${(cause as Error).message}`, { cause });
      this.lastFailure = { at: this.now(), message: error.message };
      for (const p of batch) settle(p, error);
      return;
    }
    this.lastFailure = null;
    this.counters.transactions++;
    this.counters.records += batch.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    this.unsigned += batch.length;
    batch.forEach((p, i) => settle(p, results[i]!));
    // A forced checkpoint signs every partition held; with several partitions, one signed
    // by count leaves the others' records unsigned.
    if (forceCheckpoint || (checkpoints.length > 0 && this.partitions === 1)) {
      this.lastCheckpointAt = this.now();
      this.unsigned = 0;
    }
    if (checkpoints.length > 0) {
      this.counters.checkpoints += checkpoints.length;
      for (const checkpoint of checkpoints) {
        try {
          this.options.onCheckpoint?.(checkpoint);
        } catch {
          // A failing publisher must not fail the appends that are already committed.
        }
      }
    }
  }
}
