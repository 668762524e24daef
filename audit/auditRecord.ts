/**
 * One audit record: what the gateway (or an administrator) did, in the shape it is stored
 * and hashed.
 *
 * Glossary
 * - access record (`ACCESS`): one gateway request — who (department, app credential), why
 *   (purpose, case), what (field coordinates requested, returned, denied; base-entity keys
 *   read), how it went (status, latency) and which subgraphs were asked.
 * - admin record (`ADMIN`): an administrative action — actor, action, target, reason, details.
 * - base-entity key: the identifier of a person (`idNumber`), legal entity (`creditCode`),
 *   real-estate unit (`unitNo`) or licence (`licenceNo`); "who read person X" looks these up.
 * - canonical form: the stored row without `prev_hash` and `hash`, as a JSON object with its
 *   keys in sorted order; every value is a string, an integer or null (list-valued columns
 *   are stored, and hashed, as canonical JSON text). Same bytes as RFC 8785 (JCS) gives.
 * - hash: `hex(SHA-256(prev_hash ‖ canonical form))`, UTF-8; the first record's prev_hash
 *   is GENESIS_HASH (64 zeros). Changing, removing or inserting a record breaks the chain.
 * - partition: one of the trail's fixed number of chains (PostgreSQL; SQLite has one);
 *   prev_hash names the record before on the same partition. Its number is part of the
 *   canonical form except on partition 0 (see canonicalRow).
 */
import { hash as digest } from 'node:crypto';
import type { AuditRecordRow, AuditRecordsTable } from './auditDatabase.ts';

export const GENESIS_HASH = '0'.repeat(64);

export const KEY_KINDS = ['idNumber', 'creditCode', 'unitNo', 'licenceNo'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

export interface EntityKey {
  readonly kind: KeyKind;
  readonly value: string;
}

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface AccessRecordInput {
  readonly kind: 'ACCESS';
  /** When the request arrived (ISO 8601). @default now */
  readonly time?: string;
  readonly requestId: string;
  /** The consumer department. */
  readonly department: string;
  /** The consumer app: its credential id. */
  readonly app: string;
  readonly purpose: string | null;
  readonly caseId: string | null;
  readonly operationName: string | null;
  /** SHA-256 of the operation text as received. */
  readonly operationHash: string | null;
  /** Field coordinates the operation selected (`Person.householdAddress`). */
  readonly requested: readonly string[];
  /** The requested coordinates the caller was refused; the rest were returned. */
  readonly denied: readonly string[];
  readonly keys: readonly EntityKey[];
  readonly grantsUsed: readonly string[];
  readonly subgraphs: readonly string[];
  /** The HTTP status of the answer. */
  readonly status: number;
  readonly latencyMs: number;
}

export interface AdminRecordInput {
  readonly kind: 'ADMIN';
  /** @default now */
  readonly time?: string;
  readonly requestId?: string | null;
  /** The acting administrator's department. */
  readonly department: string;
  /** The acting administrator's credential id. */
  readonly actor: string;
  /** What was done, e.g. `setFieldPolicy`, `revokeGrant`. */
  readonly action: string;
  /** What it was done to, e.g. a field coordinate or a grant id. */
  readonly target: string;
  readonly reason: string | null;
  readonly details?: JsonValue;
}

export type AuditRecordInput = AccessRecordInput | AdminRecordInput;

/** The hashed columns of a record (everything but prev_hash and hash). */
export type RecordContent = Omit<AuditRecordsTable, 'seq' | 'partition' | 'prev_hash' | 'hash'>;

export type FieldOutcome = 'RETURNED' | 'DENIED';

/** A record ready to be chained: its columns plus the rows of the derived indexes. */
export interface PreparedRecord {
  readonly content: RecordContent;
  readonly keys: readonly EntityKey[];
  readonly fields: readonly { readonly coordinate: string; readonly outcome: FieldOutcome }[];
}

/** A stored record as queries return it. */
export interface AuditEntry {
  readonly seq: number;
  readonly kind: 'ACCESS' | 'ADMIN';
  readonly time: string;
  readonly requestId: string | null;
  readonly department: string;
  /** The consumer app (ACCESS) or the administrator (ADMIN): a credential id. */
  readonly credentialId: string;
  readonly purpose: string | null;
  readonly caseId: string | null;
  readonly operationName: string | null;
  readonly operationHash: string | null;
  readonly requested: readonly string[];
  readonly returned: readonly string[];
  readonly denied: readonly string[];
  readonly keys: readonly EntityKey[];
  readonly grantsUsed: readonly string[];
  readonly subgraphs: readonly string[];
  readonly status: number | null;
  readonly latencyMs: number | null;
  readonly action: string | null;
  readonly target: string | null;
  readonly reason: string | null;
  readonly details: JsonValue;
  readonly hash: string;
  /** Set when a department viewer sees only its own part of another department's request. */
  readonly redacted?: true;
}

/** The hashed columns in canonical (sorted) order. */
export const HASHED_COLUMNS: readonly (keyof RecordContent | 'seq')[] = ([
  'seq', 'kind', 'time', 'request_id', 'department', 'credential_id', 'purpose', 'case_id', 'operation_name', 'operation_hash',
  'requested', 'returned', 'denied', 'keys', 'grants_used', 'subgraphs', 'http_status', 'latency_ms',
  'action', 'target', 'reason', 'details',
] as const).slice().sort();

const PREFIXES = HASHED_COLUMNS.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
/** `partition` sorts right after `operation_name`. */
const PARTITION_AFTER = HASHED_COLUMNS.indexOf('operation_name');

function canonicalValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  // Integers only: anything else (a float, a bigint, a blob planted in the table) must
  // not hash like an honest row, so it is encoded in a way no honest row is.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return JSON.stringify(`!${typeof value}:${String(value)}`);
}

/**
 * The canonical form of a stored row. Hot in `verify` (a million rows in seconds): plain
 * concatenation, one JSON.stringify per string value.
 *
 * A record on partition 0 (every record on SQLite, and every record written before
 * partitions) has the form it always had; on any other partition the form also holds
 * `"partition"`, so moving a record to another chain changes its hash. The two forms never
 * coincide (one has the key, the other not), so the form stays a one-to-one function of the
 * row.
 */
export function canonicalRow(row: object, seq: number): string {
  const columns = row as Readonly<Record<string, unknown>>;
  const partition = columns.partition;
  let out = '';
  for (let i = 0; i < HASHED_COLUMNS.length; i++) {
    const name = HASHED_COLUMNS[i]!;
    out += PREFIXES[i]! + canonicalValue(name === 'seq' ? seq : columns[name]);
    if (i === PARTITION_AFTER && partition !== 0 && partition !== undefined) out += `,"partition":${canonicalValue(partition)}`;
  }
  return `${out}}`;
}

/**
 * canonicalRow for content that prepareRecord produced (strings, safe integers and nulls
 * only): the same bytes, from one native JSON.stringify of an object whose keys are
 * inserted in sorted order. The append path's share of the hashing cost.
 */
export function canonicalContent(c: RecordContent, seq: number, partition = 0): string {
  return JSON.stringify({
    action: c.action, case_id: c.case_id, credential_id: c.credential_id, denied: c.denied, department: c.department, details: c.details,
    grants_used: c.grants_used, http_status: c.http_status, keys: c.keys, kind: c.kind, latency_ms: c.latency_ms, operation_hash: c.operation_hash,
    operation_name: c.operation_name, ...(partition !== 0 ? { partition } : {}), purpose: c.purpose, reason: c.reason, request_id: c.request_id, requested: c.requested, returned: c.returned,
    seq, subgraphs: c.subgraphs, target: c.target, time: c.time,
  });
}

export function recordHash(prevHash: string, canonical: string): string {
  return digest('sha256', prevHash + canonical, 'hex');
}

/** JSON with object keys sorted at every level (RFC 8785 for the values used here). */
export function canonicalJson(value: unknown, path = 'details'): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(storable(value));
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} must be JSON: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).map(([k, v]) => [storable(k), v] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`${path} must be JSON, received a ${typeof value}`);
  }
}

const KEY_KIND_SET: ReadonlySet<string> = new Set(KEY_KINDS);

/**
 * Strings as both databases store them: a lone surrogate would come back from SQLite as
 * U+FFFD and PostgreSQL refuses NUL, so a record holding either would either fail its own
 * hash on verify or fail the whole batch it is in. Callers control some of these strings
 * (variables), so they are made storable here.
 */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function storable(value: string): string {
  return SUSPECT.test(value) ? value.replace(UNSTORABLE, '\uFFFD') : value;
}

function text(value: unknown, name: string, { optional = false } = {}): string | null {
  if (value === null || value === undefined) {
    if (optional) return null;
    throw new TypeError(`audit record ${name} is required, received ${String(value)}`);
  }
  if (typeof value !== 'string') throw new TypeError(`audit record ${name} must be a string, received ${typeof value}`);
  return storable(value);
}

function sortedSet(values: readonly unknown[] | undefined, name: string): string[] {
  if (!Array.isArray(values)) throw new TypeError(`audit record ${name} must be an array of strings, received ${typeof values}`);
  for (const v of values) if (typeof v !== 'string') throw new TypeError(`audit record ${name} must hold strings only, received ${typeof v}`);
  return [...new Set((values as string[]).map(storable))].sort();
}

function isoTime(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`audit record time must be an ISO 8601 date-time, received ${JSON.stringify(value)}`);
  // One fixed-width UTC form, so stored times sort as strings and hash the same everywhere.
  return new Date(ms).toISOString();
}

/** Validates an input and computes its columns and index rows; throws TypeError on misuse. */
export function prepareRecord(input: AuditRecordInput): PreparedRecord {
  if (input === null || typeof input !== 'object') throw new TypeError(`an audit record must be an object, received ${String(input)}`);
  if (input.kind === 'ACCESS') {
    const denied = sortedSet(input.denied, 'denied');
    const requested = sortedSet([...sortedSet(input.requested, 'requested'), ...denied], 'requested');
    const deniedSet = new Set(denied);
    const returned = requested.filter((c) => !deniedSet.has(c));
    if (!Array.isArray(input.keys)) throw new TypeError(`audit record keys must be an array of { kind, value }, received ${typeof input.keys}`);
    const keyMap = new Map<string, EntityKey>();
    for (const key of input.keys) {
      if (!key || !KEY_KIND_SET.has(key.kind) || typeof key.value !== 'string') {
        throw new TypeError(`audit record keys must be { kind: ${KEY_KINDS.join(' | ')}, value: string }, received ${JSON.stringify(key)}`);
      }
      const value = storable(key.value);
      keyMap.set(`${key.kind}\u0000${value}`, { kind: key.kind, value });
    }
    const keys = [...keyMap.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
    if (!Number.isInteger(input.status) || input.status < 100 || input.status > 599) {
      throw new TypeError(`audit record status must be an HTTP status (100–599), received ${String(input.status)}`);
    }
    if (typeof input.latencyMs !== 'number' || !Number.isFinite(input.latencyMs) || input.latencyMs < 0) {
      throw new TypeError(`audit record latencyMs must be a non-negative number, received ${String(input.latencyMs)}`);
    }
    const content: RecordContent = {
      kind: 'ACCESS',
      time: isoTime(input.time),
      request_id: text(input.requestId, 'requestId'),
      department: text(input.department, 'department')!,
      credential_id: text(input.app, 'app')!,
      purpose: text(input.purpose, 'purpose', { optional: true }),
      case_id: text(input.caseId, 'caseId', { optional: true }),
      operation_name: text(input.operationName, 'operationName', { optional: true }),
      operation_hash: text(input.operationHash, 'operationHash', { optional: true }),
      requested: JSON.stringify(requested),
      returned: JSON.stringify(returned),
      denied: JSON.stringify(denied),
      keys: JSON.stringify(keys.map((k) => [k.kind, k.value])),
      grants_used: JSON.stringify(sortedSet(input.grantsUsed, 'grantsUsed')),
      subgraphs: JSON.stringify(sortedSet(input.subgraphs, 'subgraphs')),
      http_status: input.status,
      latency_ms: Math.round(input.latencyMs),
      action: null,
      target: null,
      reason: null,
      details: null,
    };
    return { content, keys, fields: requested.map((coordinate) => ({ coordinate, outcome: deniedSet.has(coordinate) ? 'DENIED' : 'RETURNED' })) };
  }
  if (input.kind === 'ADMIN') {
    const content: RecordContent = {
      kind: 'ADMIN',
      time: isoTime(input.time),
      request_id: text(input.requestId, 'requestId', { optional: true }),
      department: text(input.department, 'department')!,
      credential_id: text(input.actor, 'actor')!,
      purpose: null,
      case_id: null,
      operation_name: null,
      operation_hash: null,
      requested: null,
      returned: null,
      denied: null,
      keys: null,
      grants_used: null,
      subgraphs: null,
      http_status: null,
      latency_ms: null,
      action: text(input.action, 'action'),
      target: text(input.target, 'target'),
      reason: text(input.reason, 'reason', { optional: true }),
      details: canonicalJson(input.details ?? null),
    };
    return { content, keys: [], fields: [] };
  }
  throw new TypeError(`an audit record's kind must be "ACCESS" or "ADMIN", received ${JSON.stringify((input as { kind?: unknown }).kind)}`);
}

function list(value: string | null): string[] {
  return value === null ? [] : (JSON.parse(value) as string[]);
}

/** A stored row as an entry (for queries; verify never parses rows). */
export function entryOf(row: AuditRecordRow): AuditEntry {
  return {
    seq: Number(row.seq),
    kind: row.kind as AuditEntry['kind'],
    time: row.time,
    requestId: row.request_id,
    department: row.department,
    credentialId: row.credential_id,
    purpose: row.purpose,
    caseId: row.case_id,
    operationName: row.operation_name,
    operationHash: row.operation_hash,
    requested: list(row.requested),
    returned: list(row.returned),
    denied: list(row.denied),
    keys: row.keys === null ? [] : (JSON.parse(row.keys) as [KeyKind, string][]).map(([kind, value]) => ({ kind, value })),
    grantsUsed: list(row.grants_used),
    subgraphs: list(row.subgraphs),
    status: row.http_status,
    latencyMs: row.latency_ms,
    action: row.action,
    target: row.target,
    reason: row.reason,
    details: row.details === null ? null : (JSON.parse(row.details) as JsonValue),
    hash: row.hash,
  };
}
