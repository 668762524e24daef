/**
 * Writes one batch of records onto one partition's chain in one transaction: takes that
 * partition's write lock, reads its head, assigns seqs and hashes, inserts the records and
 * their index rows, signs a checkpoint of the partition when one is due, commits. Used in-process (PostgreSQL, whose commit
 * does not block the event loop) or inside the writer thread (SQLite; see writerThread.ts).
 */
import type { KeyObject } from 'node:crypto';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { AuditDatabase } from './auditDatabase.ts';
import { canonicalContent, GENESIS_HASH, recordHash, type PreparedRecord, type RecordContent } from './auditRecord.ts';
import { signCheckpoint, type Checkpoint } from './checkpoint.ts';

export interface AppendResult {
  readonly seq: number;
  readonly hash: string;
}

export interface BatchResult {
  readonly results: readonly AppendResult[];
  /** The checkpoints signed with the batch (a forced checkpoint signs every partition held). */
  readonly checkpoints: readonly Checkpoint[];
}

/** Where batches go: this thread, the writer thread, or the partitions this replica holds. */
export interface BatchWriter {
  write(records: readonly PreparedRecord[], forceCheckpoint: boolean): Promise<BatchResult>;
  close(): Promise<void>;
}

const CONTENT_COLUMNS: readonly (keyof RecordContent)[] = [
  'kind', 'time', 'request_id', 'department', 'credential_id', 'purpose', 'case_id', 'operation_name', 'operation_hash',
  'requested', 'returned', 'denied', 'keys', 'grants_used', 'subgraphs', 'http_status', 'latency_ms', 'action', 'target', 'reason', 'details',
];
const RECORD_COLUMNS: readonly string[] = ['seq', 'partition', ...CONTENT_COLUMNS, 'prev_hash', 'hash'];
const KEY_COLUMNS: readonly string[] = ['seq', 'key_kind', 'key_value'];
const FIELD_COLUMNS: readonly string[] = ['seq', 'coordinate', 'outcome'];

/** Rows per INSERT: 25 columns × 256 rows stays under SQLite's 32766 and PostgreSQL's 65535 parameters. */
const ROWS_PER_INSERT = 256;

export class ChainWriter implements BatchWriter {
  private readonly knownCoordinates = new Set<string>();
  private readonly insertSql = new Map<string, string>();
  /** Per partition, records after its last checkpoint (counted once, then kept here). */
  private readonly unsigned = new Map<number, number>();

  constructor(
    private readonly db: Kysely<AuditDatabase>,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly signingKey: KeyObject,
    private readonly checkpointEvery: number,
    /** Closes the connection, when this writer owns it. */
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  async write(records: readonly PreparedRecord[], forceCheckpoint: boolean, partition = 0): Promise<BatchResult> {
    let written: { result: BatchResult; unsigned: number };
    try {
      written = await this.inWriteTransaction(partition, (trx) => this.writeBatch(trx, records, forceCheckpoint, partition));
    } catch (error) {
      // Whether the transaction committed is unknown: count again next time.
      this.unsigned.delete(partition);
      throw error;
    }
    this.unsigned.set(partition, written.unsigned);
    for (const record of records) for (const f of record.fields) this.knownCoordinates.add(f.coordinate);
    return written.result;
  }

  close(): Promise<void> {
    return this.onClose();
  }

  /**
   * The seqs of the next `n` records. SQLite (one partition, one writer at a time) counts on
   * from the head, so its seqs have no gaps; PostgreSQL draws them from the trail's sequence
   * (after taking the partition's lock, so they grow along the partition's chain), and the
   * partitions' seqs interleave.
   */
  private async nextSeqs(trx: Kysely<AuditDatabase>, head: number, n: number): Promise<number[]> {
    if (this.dialect === 'sqlite' || n === 0) return Array.from({ length: n }, (_, i) => head + i + 1);
    const { rows } = await sql<{ seq: string }>`select nextval('audit_record_seq') as "seq" from generate_series(1, ${n})`.execute(trx);
    return rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  }

  private async writeBatch(trx: Kysely<AuditDatabase>, batch: readonly PreparedRecord[], forceCheckpoint: boolean, partition: number): Promise<{ result: BatchResult; unsigned: number }> {
    const head = await trx.selectFrom('audit_records').select(['seq', 'hash']).where('partition', '=', partition).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const seqs = await this.nextSeqs(trx, head ? Number(head.seq) : 0, batch.length);
    let seq = head ? Number(head.seq) : 0;
    let prev = head?.hash ?? GENESIS_HASH;
    const records: unknown[] = [];
    const keyRows: unknown[] = [];
    const fieldRows: unknown[] = [];
    const newCoordinates = new Set<string>();
    const results: AppendResult[] = [];
    for (const [i, record] of batch.entries()) {
      seq = seqs[i]!;
      const hash = recordHash(prev, canonicalContent(record.content, seq, partition));
      records.push(seq, partition);
      for (const column of CONTENT_COLUMNS) records.push(record.content[column]);
      records.push(prev, hash);
      for (const k of record.keys) keyRows.push(seq, k.kind, k.value);
      for (const f of record.fields) {
        fieldRows.push(seq, f.coordinate, f.outcome);
        if (!this.knownCoordinates.has(f.coordinate)) newCoordinates.add(f.coordinate);
      }
      results.push({ seq, hash });
      prev = hash;
    }
    await this.insertRows(trx, 'audit_records', RECORD_COLUMNS, records);
    await this.insertRows(trx, 'audit_keys', KEY_COLUMNS, keyRows);
    await this.insertRows(trx, 'audit_fields', FIELD_COLUMNS, fieldRows);
    if (newCoordinates.size > 0) {
      await trx.insertInto('audit_coordinates').values([...newCoordinates].map((coordinate) => ({ coordinate }))).onConflict((oc) => oc.column('coordinate').doNothing()).execute();
    }
    const last = await trx.selectFrom('audit_checkpoints').select('seq').where('partition', '=', partition).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const lastCheckpointSeq = last ? Number(last.seq) : 0;
    // SQLite's seqs have no gaps: the count is the difference (and stays exact with several
    // processes appending to one file).
    let unsigned = this.dialect === 'sqlite' ? seq - lastCheckpointSeq : this.unsigned.get(partition);
    if (unsigned === undefined) {
      // Once per partition and process (or after a failed commit): this writer may have
      // taken the partition over from another replica.
      const counted = await trx.selectFrom('audit_records').select((eb) => eb.fn.countAll<number | string>().as('n')).where('partition', '=', partition).where('seq', '>', lastCheckpointSeq).executeTakeFirstOrThrow();
      unsigned = Number(counted.n);
    } else if (this.dialect !== 'sqlite') {
      unsigned += batch.length;
    }
    const checkpoints: Checkpoint[] = [];
    if (seq > lastCheckpointSeq && unsigned > 0 && (forceCheckpoint || unsigned >= this.checkpointEvery)) {
      const checkpoint = signCheckpoint(this.signingKey, { partition, seq, hash: prev, prevCheckpointSeq: lastCheckpointSeq });
      await trx.insertInto('audit_checkpoints').values({
        partition, seq: checkpoint.seq, hash: checkpoint.hash, prev_checkpoint_seq: checkpoint.prevCheckpointSeq,
        signed_at: checkpoint.signedAt, key_id: checkpoint.keyId, signature: checkpoint.signature,
      }).execute();
      checkpoints.push(checkpoint);
      unsigned = 0;
    }
    return { result: { results, checkpoints }, unsigned };
  }

  /**
   * Multi-row INSERTs of flat values. Rows go in chunks of ROWS_PER_INSERT, the rest in
   * power-of-two chunks, so a table sees at most eight distinct statements whatever the
   * batch size: their SQL text is built once here, and a statement cache below (see the
   * report of the audit work) would prepare each once.
   */
  private async insertRows(trx: Kysely<AuditDatabase>, table: string, columns: readonly string[], values: readonly unknown[]): Promise<void> {
    const width = columns.length;
    let rows = values.length / width;
    let start = 0;
    while (rows > 0) {
      let n = ROWS_PER_INSERT;
      while (n > rows) n >>= 1;
      await trx.executeQuery(CompiledQuery.raw(this.insertText(table, columns, n), values.slice(start * width, (start + n) * width)));
      start += n;
      rows -= n;
    }
  }

  private insertText(table: string, columns: readonly string[], rows: number): string {
    const key = `${table}:${rows}`;
    let text = this.insertSql.get(key);
    if (!text) {
      let n = 0;
      const placeholder = this.dialect === 'postgres' ? () => `$${++n}` : () => '?';
      const tuple = () => `(${columns.map(placeholder).join(',')})`;
      text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: rows }, tuple).join(',')}`;
      this.insertSql.set(key, text);
    }
    return text;
  }

  /**
   * One write transaction holding the partition's write lock, so several processes can
   * append to one partition and its chain stays linear — whoever holds the partition's
   * lease (partitionLeases.ts): the lease spreads the work, this lock keeps it correct.
   * (Kysely's own transactions begin DEFERRED on SQLite, which lets two writers both read
   * the head and then collide.)
   */
  private inWriteTransaction<T>(partition: number, fn: (trx: Kysely<AuditDatabase>) => Promise<T>): Promise<T> {
    const sqlite = this.dialect === 'sqlite';
    return this.db.connection().execute(async (conn) => {
      await sql.raw(sqlite ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(conn);
      try {
        if (!sqlite) {
          // Durable at commit whatever the server's default, and one writer per audit schema.
          await sql`SET LOCAL synchronous_commit = on`.execute(conn);
          await sql`SELECT pg_advisory_xact_lock(hashtext('govgraph-audit:' || current_schema()), ${partition}::int)`.execute(conn);
        }
        const result = await fn(conn);
        await sql.raw('COMMIT').execute(conn);
        return result;
      } catch (error) {
        await sql.raw('ROLLBACK').execute(conn).catch(() => {});
        throw error;
      }
    });
  }
}
