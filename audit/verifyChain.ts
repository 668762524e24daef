/**
 * Verification of the audit chain: every record and checkpoint holds, or the FIRST thing
 * that does not, in seq order:
 *
 * - CONTENT_CHANGED: a record's columns no longer hash to its stored hash;
 * - SEQ_GAP: records are missing (a deletion);
 * - SEQ_DUPLICATE: two records claim one seq (only possible with the primary key dropped);
 * - SEQ_INVALID: a record with a seq below 1 (every chain starts at 1);
 * - PREV_HASH_MISMATCH: a record does not follow the one before it (an insertion, or a
 *   deletion re-numbered to hide the gap);
 * - CHECKPOINT_MISMATCH: the chain was rewritten with recomputed hashes, so it no longer
 *   matches the head signed at a checkpoint;
 * - CHECKPOINT_SIGNATURE / CHECKPOINT_MISSING: a checkpoint forged, or removed from the middle;
 * - CHECKPOINT_BEYOND_END: the newest records were removed (a checkpoint signs a seq the
 *   chain no longer reaches);
 * - INDEX_MISMATCH (with `indexes: true`): audit_keys / audit_fields disagree with the
 *   records they index — e.g. a key row deleted to hide who read a person;
 * - PARTITION_INVALID: a record or checkpoint on a partition the trail does not have.
 *
 * The trail is one chain per partition (PostgreSQL; SQLite has partition 0 only), each
 * verified on its own and reported on its own; the first problem overall is the one with
 * the lowest seq. On SQLite seqs have no gaps, so a missing record is named (SEQ_GAP); on
 * PostgreSQL the partitions' seqs interleave (one sequence), so a record removed from the
 * middle of a chain shows as the next one not following its predecessor
 * (PREV_HASH_MISMATCH), and a removed tail as CHECKPOINT_BEYOND_END, as on SQLite.
 *
 * Within one record the checks run in that order: seq, prev_hash, content, then the
 * checkpoint at its seq. The walk is split into seq ranges (one per worker thread in
 * `verifyAuditStorage`, one in-process in `verifyAuditChain`); each range is read a batch
 * at a time (constant memory), checks its own records, and leaves the link from its first
 * record to the previous range to the combining step, which also checks the checkpoints.
 * Every record is checked against its own stored prev_hash, so ranges are independent.
 *
 * On SQLite the hash's input (prev_hash ‖ canonical form) is built by `json_object` inside
 * the database — one string per row crosses into JavaScript instead of 22 values, which is
 * most of the cost of a million records. Its escaping equals JSON.stringify's for every well-formed string
 * (checked code point by code point in the tests), and a row whose database-built form
 * does not match is re-checked the slow way, so the fast path can only save time, never
 * change a verdict.
 */
import { hash as digest, type KeyObject } from 'node:crypto';
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import type { AuditDatabase, AuditRecordRow } from './auditDatabase.ts';
import { canonicalRow, entryOf, GENESIS_HASH, HASHED_COLUMNS, recordHash } from './auditRecord.ts';
import { checkpointKeyFor, checkpointSignatureValid, keyId, type Checkpoint, type CheckpointKeys } from './checkpoint.ts';

export type ChainProblem =
  | 'CONTENT_CHANGED'
  | 'SEQ_GAP'
  | 'SEQ_DUPLICATE'
  | 'SEQ_INVALID'
  | 'PREV_HASH_MISMATCH'
  | 'CHECKPOINT_MISMATCH'
  | 'CHECKPOINT_SIGNATURE'
  | 'CHECKPOINT_MISSING'
  | 'CHECKPOINT_BEYOND_END'
  | 'INDEX_MISMATCH'
  | 'PARTITION_INVALID';

export interface BadRecord {
  /** The first record (or checkpoint seq) found wrong. */
  readonly seq: number;
  readonly problem: ChainProblem;
  readonly message: string;
  /** The partition (chain) it is on; set on what verify returns. */
  readonly partition?: number;
}

/** One partition's chain, as verify found it. */
export interface PartitionVerifyResult {
  readonly partition: number;
  readonly ok: boolean;
  /** Records verified (before the first bad one, if any). */
  readonly records: number;
  readonly checkpoints: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly unsignedTail: number;
  readonly firstBad: BadRecord | null;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly records: number;
      readonly checkpoints: number;
      readonly head: { readonly seq: number; readonly hash: string } | null;
      /** Records after the newest checkpoint: their removal could not be detected. */
      readonly unsignedTail: number;
      readonly seconds: number;
      /** Each partition's chain (one on SQLite). */
      readonly partitions: readonly PartitionVerifyResult[];
    }
  | {
      readonly ok: false;
      /** Records before the first bad one (of its partition; every record of the partitions that verify). */
      readonly records: number;
      readonly firstBad: BadRecord;
      readonly seconds: number;
      readonly partitions: readonly PartitionVerifyResult[];
    };

export interface VerifyOptions {
  /** Also check audit_keys and audit_fields against the records. Slower (parses every record). @default false */
  readonly indexes?: boolean;
  /** Records read per query. @default 5000 */
  readonly batchSize?: number;
}

/** Where a problem sits in the order of checks of one seq (lower comes first). */
const STEP: Record<ChainProblem, number> = {
  SEQ_INVALID: 0,
  SEQ_DUPLICATE: 0,
  SEQ_GAP: 0,
  PREV_HASH_MISMATCH: 1,
  CONTENT_CHANGED: 2,
  INDEX_MISMATCH: 3,
  CHECKPOINT_SIGNATURE: 4,
  CHECKPOINT_MISSING: 4,
  CHECKPOINT_MISMATCH: 4,
  CHECKPOINT_BEYOND_END: 4,
  PARTITION_INVALID: 0,
};

function earlier(a: BadRecord | null, b: BadRecord | null): BadRecord | null {
  if (!a) return b;
  if (!b) return a;
  if (a.seq !== b.seq) return a.seq < b.seq ? a : b;
  return STEP[a.problem] <= STEP[b.problem] ? a : b;
}

/** What one seq range found; the link of its first record to the range before is not checked. */
export interface RangeResult {
  readonly records: number;
  readonly first: { readonly seq: number; readonly prevHash: string } | null;
  readonly last: { readonly seq: number; readonly hash: string } | null;
  /** The first problem among the range's own checks. */
  readonly firstBad: BadRecord | null;
}

export interface ChainRow {
  readonly seq: number | string;
  readonly hash: string;
  /** prev_hash ‖ canonical form, as the database built it (SQLite); absent when `columns` is given. */
  readonly input?: string;
  readonly columns?: AuditRecordRow;
}

const JSON_OBJECT_ARGS = HASHED_COLUMNS.map((c) => `'${c}', "${c}"`).join(', ');

function isSqlite(db: Kysely<AuditDatabase>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** A partition's records after `after` up to `last`, as the walk reads them (exported for the test of SQLite's rendering). */
export async function readChain(db: Kysely<AuditDatabase>, sqlite: boolean, after: number, last: number, limit: number, partition = 0): Promise<readonly ChainRow[]> {
  // The database-built form is partition 0's (no "partition" key); SQLite has no other.
  if (sqlite && partition === 0) {
    try {
      // One string per row, the hash's whole input; prev_hash is its first 64 characters.
      const { rows } = await sql<{ seq: number; hash: string; input: string }>`
        select "seq", "hash", "prev_hash" || json_object(${sql.raw(JSON_OBJECT_ARGS)}) as "input"
        from "audit_records" where "partition" = 0 and "seq" > ${after} and "seq" <= ${last} order by "seq" limit ${limit}`.execute(db);
      return rows;
    } catch {
      // json_object refuses a BLOB: someone wrote one. The slow path reports the row.
    }
  }
  const rows = await db.selectFrom('audit_records').selectAll().where('partition', '=', partition).where('seq', '>', after).where('seq', '<=', last).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ seq: r.seq, hash: r.hash, columns: r }));
}

async function storedPrevHash(db: Kysely<AuditDatabase>, seq: number): Promise<string> {
  const row = await db.selectFrom('audit_records').select('prev_hash').where('seq', '=', seq).executeTakeFirst();
  return row?.prev_hash ?? '(none)';
}

/** The authoritative check of one row whose database-built canonical form did not match. */
async function matchesSlowly(db: Kysely<AuditDatabase>, row: ChainRow): Promise<boolean> {
  if (row.columns) return false;
  const full = await db.selectFrom('audit_records').selectAll().where('seq', '=', Number(row.seq)).executeTakeFirst();
  return !!full && full.hash === row.hash && recordHash(full.prev_hash, canonicalRow(full, Number(row.seq))) === row.hash;
}

class Found extends Error {
  constructor(readonly bad: BadRecord) {
    super(bad.message);
  }
}

/**
 * Checks a partition's records with lo ≤ seq ≤ hi: consecutive seqs from lo on SQLite (the
 * first record's seq is judged by the caller, who knows the range before), each linked to
 * the one before it (except the first), each hashing to its stored hash.
 */
export async function walkRange(db: Kysely<AuditDatabase>, lo: number, hi: number, options: VerifyOptions = {}, partition = 0): Promise<RangeResult> {
  const batchSize = options.batchSize ?? 5000;
  const sqlite = isSqlite(db);
  // SQLite's seqs have no gaps; PostgreSQL's partitions interleave theirs.
  const dense = sqlite;
  let records = 0;
  let first: RangeResult['first'] = null;
  let expectedSeq = lo;
  let prevHash: string | null = null;
  let prevSeq = lo - 1;
  let cursor = lo - 1;
  try {
    for (;;) {
      const rows = await readChain(db, sqlite, cursor, hi, batchSize, partition);
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        const rowPrev = row.input !== undefined ? row.input.slice(0, 64) : row.columns!.prev_hash;
        if (prevHash === null) {
          first = { seq, prevHash: rowPrev };
        } else {
          if (seq < expectedSeq) throw new Found({ seq, problem: 'SEQ_DUPLICATE', message: `record ${seq} appears more than once` });
          if (dense && seq > expectedSeq) throw new Found(gap(expectedSeq - 1, seq));
          if (rowPrev !== prevHash) throw new Found(prevMismatch(seq, row.input === undefined ? rowPrev : await storedPrevHash(db, seq), prevSeq, prevHash));
        }
        // recordHash(prev_hash, canonical form), from the one string.
        const input = row.input ?? row.columns!.prev_hash + canonicalRow(row.columns!, seq);
        if (digest('sha256', input, 'hex') !== row.hash && !(await matchesSlowly(db, row))) {
          throw new Found({ seq, problem: 'CONTENT_CHANGED', message: `record ${seq}'s content does not match its hash: it was changed after it was written` });
        }
        prevHash = row.hash;
        prevSeq = seq;
        expectedSeq = seq + 1;
        records++;
      }
      const batchLast = Number(rows[rows.length - 1]!.seq);
      if (options.indexes) {
        const full = await db.selectFrom('audit_records').selectAll().where('partition', '=', partition).where('seq', '>', cursor).where('seq', '<=', batchLast).orderBy('seq').execute();
        await checkIndexes(db, full);
      }
      cursor = batchLast;
    }
    return { records, first, last: prevHash === null ? null : { seq: prevSeq, hash: prevHash }, firstBad: null };
  } catch (error) {
    if (error instanceof Found) return { records, first, last: null, firstBad: error.bad };
    throw error;
  }
}

function gap(lastPresent: number, seq: number): BadRecord {
  const missing = seq - lastPresent === 2 ? `record ${lastPresent + 1} is` : `records ${lastPresent + 1}–${seq - 1} are`;
  return { seq, problem: 'SEQ_GAP', message: `${missing} missing: the chain jumps from ${lastPresent} to ${seq}` };
}

function prevMismatch(seq: number, stored: string, previousSeq: number, actual: string): BadRecord {
  return { seq, problem: 'PREV_HASH_MISMATCH', message: `record ${seq} says it follows hash ${stored}, but record ${previousSeq}, the one before it on its chain, has hash ${actual}: a record was inserted or removed before ${seq}` };
}

/** Compares the index rows of a batch's seq range with what its (already verified) records say. */
async function checkIndexes(db: Kysely<AuditDatabase>, rows: readonly AuditRecordRow[]): Promise<void> {
  if (rows.length === 0) return;
  // The batch's own seqs: on PostgreSQL other partitions' records sit between them.
  const seqs = rows.map((r) => Number(r.seq));
  const [keyRows, fieldRows] = await Promise.all([
    db.selectFrom('audit_keys').select(['seq', 'key_kind', 'key_value']).where('seq', 'in', seqs).execute(),
    db.selectFrom('audit_fields').select(['seq', 'coordinate', 'outcome']).where('seq', 'in', seqs).execute(),
  ]);
  const actual = new Map<number, string[]>();
  const add = (seq: number, item: string) => {
    const list = actual.get(seq);
    if (list) list.push(item);
    else actual.set(seq, [item]);
  };
  for (const k of keyRows) add(Number(k.seq), `key ${k.key_kind}=${k.key_value}`);
  for (const f of fieldRows) add(Number(f.seq), `field ${f.coordinate} ${f.outcome}`);
  for (const row of rows) {
    const entry = entryOf(row);
    const expected = [
      ...entry.keys.map((k) => `key ${k.kind}=${k.value}`),
      ...entry.returned.map((c) => `field ${c} RETURNED`),
      ...entry.denied.map((c) => `field ${c} DENIED`),
    ].sort();
    const found = (actual.get(entry.seq) ?? []).sort();
    if (expected.length !== found.length || expected.some((e, i) => e !== found[i])) {
      const missing = expected.filter((e) => !found.includes(e));
      const extra = found.filter((f) => !expected.includes(f));
      throw new Found({
        seq: entry.seq,
        problem: 'INDEX_MISMATCH',
        message: `the index rows of record ${entry.seq} disagree with it${missing.length ? `; missing: ${missing.join(', ')}` : ''}${extra.length ? `; extra: ${extra.join(', ')}` : ''}`,
      });
    }
  }
}

interface CheckpointResult {
  readonly checkpoints: number;
  readonly lastSeq: number;
  readonly firstBad: BadRecord | null;
}

/**
 * Checks every checkpoint of a partition: its signature, its link to the one before, and
 * that the partition's record at its seq still has the hash it signed. (That stored hash
 * matching the record's content is the walk's part.)
 */
async function checkCheckpoints(db: Kysely<AuditDatabase>, publicKeys: CheckpointKeys, head: number, checkpointHead: number, partition: number): Promise<CheckpointResult> {
  const ids = (Array.isArray(publicKeys) ? publicKeys : [publicKeys as KeyObject]).map(keyId);
  const given = ids.length === 1 ? `the key given is ${ids[0]}` : `the keys given are ${ids.join(', ')}`;
  let cursor = Number.MIN_SAFE_INTEGER;
  let lastSeq = 0;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_checkpoints').selectAll().where('partition', '=', partition).where('seq', '>', cursor).where('seq', '<=', checkpointHead).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) return { checkpoints: count, lastSeq, firstBad: null };
    cursor = Number(rows[rows.length - 1]!.seq);
    const seqs = rows.map((r) => Number(r.seq));
    const stored = new Map((await db.selectFrom('audit_records').select(['seq', 'hash']).where('partition', '=', partition).where('seq', 'in', seqs).execute()).map((r) => [Number(r.seq), r.hash]));
    for (const r of rows) {
      const cp: Checkpoint = { partition, seq: Number(r.seq), hash: r.hash, prevCheckpointSeq: Number(r.prev_checkpoint_seq), signedAt: r.signed_at, keyId: r.key_id, signature: r.signature };
      const fail = (problem: ChainProblem, message: string, seq = cp.seq): CheckpointResult => ({ checkpoints: count, lastSeq, firstBad: { seq, problem, message } });
      if (cp.seq > head) {
        return fail('CHECKPOINT_BEYOND_END', `the chain ends at record ${head}, but a checkpoint signed at ${cp.signedAt} covers records up to ${cp.seq}: records ${head + 1}–${cp.seq} (at least) were removed`, head + 1);
      }
      if (cp.seq < 1) return fail('CHECKPOINT_MISMATCH', `the checkpoint at seq ${cp.seq} names no record`);
      const publicKey = checkpointKeyFor(publicKeys, cp.keyId);
      if (!publicKey || !checkpointSignatureValid(publicKey, cp)) {
        const other = !publicKey ? ` (it names key ${cp.keyId}; ${given})` : '';
        return fail('CHECKPOINT_SIGNATURE', `the checkpoint at seq ${cp.seq} (signed at ${cp.signedAt}) does not carry a valid signature${other}`);
      }
      if (cp.prevCheckpointSeq !== lastSeq) {
        return fail('CHECKPOINT_MISSING', `the checkpoint at seq ${cp.seq} follows the one at seq ${cp.prevCheckpointSeq}, but the previous checkpoint present is at seq ${lastSeq}: a checkpoint was removed`);
      }
      const hash = stored.get(cp.seq);
      // A missing record is the walk's finding (a gap, or the next record not following).
      if (hash !== undefined && hash !== cp.hash) {
        return fail('CHECKPOINT_MISMATCH', `record ${cp.seq} has hash ${hash}, but the checkpoint signed at ${cp.signedAt} holds ${cp.hash}: records ${lastSeq + 1}–${cp.seq} were rewritten and re-hashed`);
      }
      lastSeq = cp.seq;
      count++;
    }
  }
}

/** Splits seqs 1..head into `parts` contiguous ranges of at least `minSize` seqs. */
export function seqRanges(head: number, parts: number, minSize = 10_000): { lo: number; hi: number }[] {
  const n = Math.max(1, Math.min(parts, Math.ceil(head / minSize)));
  const size = Math.ceil(head / n);
  return Array.from({ length: n }, (_, i) => ({ lo: i * size + 1, hi: i === n - 1 ? head : (i + 1) * size }));
}

export interface ChainExtent {
  readonly low: number;
  readonly head: number;
  readonly count: number;
  /** The newest checkpoint's seq, read in the same statement as the rest. */
  readonly checkpointHead: number;
}

/**
 * A partition's extent — smallest and largest seq, row count, newest checkpoint — from one
 * statement, i.e. one snapshot: on a live log, records and checkpoints committed after it
 * are left out together, so a checkpoint signed meanwhile is not taken for one whose
 * records were removed. Without a partition: the whole trail's.
 */
export async function chainExtent(db: Kysely<AuditDatabase>, partition?: number): Promise<ChainExtent> {
  const where = partition === undefined ? sql`` : sql`where "partition" = ${partition}`;
  const { rows } = await sql<{ low: number | string | null; head: number | string | null; count: number | string; checkpoint_head: number | string | null }>`
    select (select min("seq") from "audit_records" ${where}) as "low", (select max("seq") from "audit_records" ${where}) as "head",
           (select count(*) from "audit_records" ${where}) as "count", (select max("seq") from "audit_checkpoints" ${where}) as "checkpoint_head"`.execute(db);
  const row = rows[0]!;
  return { low: Number(row.low ?? 1), head: Number(row.head ?? 0), count: Number(row.count), checkpointHead: Number(row.checkpoint_head ?? 0) };
}

/** Walks one partition's records lo ≤ seq ≤ hi (in this thread, or in a worker). */
export type RangeWalker = (lo: number, hi: number, partition: number) => Promise<RangeResult>;

/** The partitions recorded for the trail (1 for a trail never opened since partitions came). */
async function partitionCount(db: Kysely<AuditDatabase>): Promise<number> {
  const row = await db.selectFrom('audit_partitions').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Math.max(1, Number(row.n));
}

/** A record or checkpoint on a partition the trail does not have. */
async function strayPartition(db: Kysely<AuditDatabase>, partitions: number): Promise<BadRecord | null> {
  for (const table of ['audit_records', 'audit_checkpoints'] as const) {
    const stray = await db.selectFrom(table).select(['seq', 'partition']).where((eb) => eb.or([eb('partition', '<', 0), eb('partition', '>=', partitions)])).orderBy('seq').limit(1).executeTakeFirst();
    if (stray) {
      const what = table === 'audit_records' ? `record ${stray.seq}` : `the checkpoint at seq ${stray.seq}`;
      return { seq: Number(stray.seq), partition: Number(stray.partition), problem: 'PARTITION_INVALID', message: `${what} is on partition ${stray.partition}, but the trail has partitions 0–${partitions - 1}: it was moved or inserted` };
    }
  }
  return null;
}

/**
 * Verifies one partition with its ranges walked by `walk` while this connection checks its
 * checkpoints, then puts the findings in seq order.
 */
async function verifyPartition(db: Kysely<AuditDatabase>, publicKey: CheckpointKeys, partition: number, parts: number, walk: RangeWalker, options: VerifyOptions): Promise<PartitionVerifyResult> {
  const dense = isSqlite(db);
  const { low, head, count, checkpointHead } = await chainExtent(db, partition);
  const ranges = head > 0 ? seqRanges(head, parts, 1) : [];
  const [results, checkpoints] = await Promise.all([Promise.all(ranges.map((r) => walk(r.lo, r.hi, partition))), checkCheckpoints(db, publicKey, head, checkpointHead, partition)]);

  let bad: BadRecord | null = low < 1 ? { seq: low, problem: 'SEQ_INVALID', message: `record ${low} has a seq below 1: it was inserted` } : null;
  let previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  let records = 0;
  for (const result of bad ? [] : results) {
    const { first } = result;
    if (first) {
      if (dense && first.seq !== previous.seq + 1) bad = gap(previous.seq, first.seq);
      else if (first.prevHash !== previous.hash) bad = prevMismatch(first.seq, first.prevHash, previous.seq, previous.hash);
    }
    bad ??= result.firstBad;
    if (bad) break;
    records += result.records;
    if (result.last) previous = result.last;
  }
  bad = earlier(bad, checkpoints.firstBad);
  // Ranges cannot see a second row with a seq they already passed between batches; the
  // row count can.
  if (!bad && count !== records) {
    const dup = await db.selectFrom('audit_records').select('seq').groupBy('seq').having((eb) => eb.fn.countAll(), '>', 1).orderBy('seq').limit(1).executeTakeFirst();
    bad = { seq: Number(dup?.seq ?? head), problem: 'SEQ_DUPLICATE', message: `the table holds ${count} records but the chain has ${records}${dup ? `: record ${dup.seq} appears more than once` : ''}` };
  }
  if (bad) {
    let before = Math.max(0, bad.seq - 1);
    if (!dense) {
      const row = await db.selectFrom('audit_records').select((eb) => eb.fn.countAll<number | string>().as('n')).where('partition', '=', partition).where('seq', '<', bad.seq).executeTakeFirstOrThrow();
      before = Number(row.n);
    }
    return { partition, ok: false, records: before, checkpoints: checkpoints.checkpoints, head: null, unsignedTail: 0, firstBad: { ...bad, partition } };
  }
  let unsignedTail = head - checkpoints.lastSeq;
  if (!dense && unsignedTail > 0) {
    const row = await db.selectFrom('audit_records').select((eb) => eb.fn.countAll<number | string>().as('n')).where('partition', '=', partition).where('seq', '>', checkpoints.lastSeq).where('seq', '<=', head).executeTakeFirstOrThrow();
    unsignedTail = Number(row.n);
  }
  return { partition, ok: true, records, checkpoints: checkpoints.checkpoints, head: head > 0 ? { seq: previous.seq, hash: previous.hash } : null, unsignedTail, firstBad: null };
}

/**
 * Verifies every partition, each with its ranges walked by `walk` (in-process or in
 * workers), and reports each; the first problem overall is the one with the lowest seq.
 */
export async function verifyWith(db: Kysely<AuditDatabase>, publicKey: CheckpointKeys, parts: number, walk: RangeWalker, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 10) / 100;
  const count = await partitionCount(db);
  const partitions: PartitionVerifyResult[] = [];
  for (let p = 0; p < count; p++) partitions.push(await verifyPartition(db, publicKey, p, parts, walk, options));
  let bad: BadRecord | null = await strayPartition(db, count);
  for (const result of partitions) bad = earlier(bad, result.firstBad);
  if (!bad && options.indexes) bad = await orphanIndexRows(db);
  const records = partitions.reduce((n, r) => n + r.records, 0);
  if (bad) return { ok: false, records, firstBad: bad, seconds: seconds(), partitions };
  const newest = partitions.reduce<PartitionVerifyResult['head']>((h, r) => (r.head && (!h || r.head.seq > h.seq) ? r.head : h), null);
  return {
    ok: true,
    records,
    checkpoints: partitions.reduce((n, r) => n + r.checkpoints, 0),
    head: newest,
    unsignedTail: partitions.reduce((n, r) => n + r.unsignedTail, 0),
    seconds: seconds(),
    partitions,
  };
}

/** Verifies on one connection, in this thread. */
export function verifyAuditChain(db: Kysely<AuditDatabase>, publicKey: CheckpointKeys, options: VerifyOptions = {}): Promise<VerifyResult> {
  return verifyWith(db, publicKey, 1, (lo, hi, partition) => walkRange(db, lo, hi, options, partition), options);
}

/** Index rows for a seq the chain does not hold (planted, or left by a deleted record). */
async function orphanIndexRows(db: Kysely<AuditDatabase>): Promise<BadRecord | null> {
  for (const table of ['audit_keys', 'audit_fields'] as const) {
    const orphan = await db.selectFrom(table).select('seq')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('audit_records').select('audit_records.seq').whereRef('audit_records.seq', '=', `${table}.seq`))))
      .orderBy('seq').limit(1).executeTakeFirst();
    if (orphan) return { seq: Number(orphan.seq), problem: 'INDEX_MISMATCH', message: `${table} has rows for record ${orphan.seq}, which the chain does not hold` };
  }
  return null;
}
