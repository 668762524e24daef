/**
 * Questions asked of the audit trail (R10), for the admin API and the CLI: by consumer
 * department or app, by field coordinate, by time range, by base-entity key — "who read
 * the householdAddress of person X, when, for which purpose and case" is a key lookup plus
 * a field filter (`whoRead`).
 *
 * Visibility: the platform administrator sees every record. A department administrator
 * sees the records of its own apps and administrators, and the records of accesses to its
 * own data — any coordinate it provides was requested, or one of its subgraphs was called —
 * plus administrative actions whose target is one of its coordinates. In a record of
 * another department's request, the coordinates and subgraphs of third departments are
 * left out (`redacted: true`): a provider learns who read its data, not what else they read.
 *
 * Pages are in seq order (`order`), `limit` records at a time; pass the page's `next` as
 * `after` for the following one.
 *
 * A field or key matches per record, not per entity: a record that read person X and the
 * householdAddress of several persons matches "householdAddress of X".
 */
import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { AuditDatabase, AuditFieldsTable, AuditKeysTable, AuditRecordsTable } from './auditDatabase.ts';
import { entryOf, KEY_KINDS, type AuditEntry, type EntityKey, type FieldOutcome } from './auditRecord.ts';

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

export interface AuditQuery {
  readonly kind?: 'ACCESS' | 'ADMIN';
  /** The consumer department (ACCESS) or the acting administrator's department (ADMIN). */
  readonly consumer?: string;
  /** The consumer app's (or administrator's) credential id. */
  readonly app?: string;
  /** A field coordinate, e.g. `Person.householdAddress`. */
  readonly field?: string;
  /** With `field`: only records where it was returned, or only where it was denied. */
  readonly outcome?: FieldOutcome;
  readonly key?: EntityKey;
  readonly purpose?: string;
  readonly caseId?: string;
  readonly requestId?: string;
  /** Records at or after this time (ISO 8601). */
  readonly from?: string;
  /** Records before this time (ISO 8601). */
  readonly to?: string;
  /** The cursor: the `next` of the previous page. */
  readonly after?: number;
  /** @default DEFAULT_QUERY_LIMIT, at most MAX_QUERY_LIMIT */
  readonly limit?: number;
  /** @default 'asc' */
  readonly order?: 'asc' | 'desc';
}

export type AuditViewer =
  | { readonly kind: 'platform' }
  | {
      readonly kind: 'department';
      readonly department: string;
      /** The department providing a field coordinate (the policy snapshot knows). */
      readonly providerOf: (coordinate: string) => string | null | undefined;
      /** Names of the department's own subgraphs. @default [] */
      readonly subgraphs?: readonly string[];
    };

export interface AuditPage {
  readonly records: readonly AuditEntry[];
  /** Pass as `after` for the next page; null when this page is the last. */
  readonly next: number | null;
}

export interface AuditSource {
  readonly db: Kysely<AuditDatabase>;
}

export class AuditQueryError extends Error {}

type Joined = AuditDatabase & { r: AuditRecordsTable; k: AuditKeysTable; f: AuditFieldsTable };

function isoBound(value: string | undefined, name: string): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AuditQueryError(`${name} must be an ISO 8601 date-time such as 2025-01-31T00:00:00Z, received ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function queryAudit(source: AuditSource, viewer: AuditViewer, query: AuditQuery = {}): Promise<AuditPage> {
  const { db } = source;
  const limit = query.limit ?? DEFAULT_QUERY_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) throw new AuditQueryError(`limit must be an integer from 1 to ${MAX_QUERY_LIMIT}, received ${String(query.limit)}`);
  if (query.after !== undefined && !Number.isSafeInteger(query.after)) throw new AuditQueryError(`after must be a record seq (an integer), received ${String(query.after)}`);
  if (query.key && (!(KEY_KINDS as readonly string[]).includes(query.key.kind) || typeof query.key.value !== 'string')) {
    throw new AuditQueryError(`key must be { kind: ${KEY_KINDS.join(' | ')}, value }, received ${JSON.stringify(query.key)}`);
  }
  if (query.outcome && !query.field) throw new AuditQueryError('outcome filters a field: give field as well');
  if (query.outcome && query.outcome !== 'RETURNED' && query.outcome !== 'DENIED') throw new AuditQueryError(`outcome must be RETURNED or DENIED, received ${JSON.stringify(query.outcome)}`);
  const from = isoBound(query.from, 'from');
  const to = isoBound(query.to, 'to');
  const order = query.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new AuditQueryError(`order must be asc or desc, received ${JSON.stringify(order)}`);

  const own = viewer.kind === 'department' ? await ownCoordinates(db, viewer) : null;

  // The most selective index drives the scan, in seq order, so a page stops after `limit`
  // rows: the key index, else the coordinate index, else the records themselves.
  const driver = query.key ? 'k' : query.field ? 'f' : 'r';
  // One builder type for the three shapes; each shape only names its own tables.
  let q = (driver === 'k'
    ? db.selectFrom('audit_keys as k').innerJoin('audit_records as r', 'r.seq', 'k.seq').where('k.key_kind', '=', query.key!.kind).where('k.key_value', '=', query.key!.value)
    : driver === 'f'
      ? db.selectFrom('audit_fields as f').innerJoin('audit_records as r', 'r.seq', 'f.seq').where('f.coordinate', '=', query.field!)
      : db.selectFrom('audit_records as r')) as unknown as SelectQueryBuilder<Joined, 'r' | 'k' | 'f', object>;
  const seqColumn = driver === 'k' ? 'k.seq' : driver === 'f' ? 'f.seq' : 'r.seq';
  if (driver === 'f' && query.outcome) q = q.where('f.outcome', '=', query.outcome);
  if (driver === 'k' && query.field) {
    q = q.where((eb) => eb.exists(eb.selectFrom('audit_fields as f2').select(sql.lit(1).as('one')).whereRef('f2.seq', '=', 'r.seq').where('f2.coordinate', '=', query.field!)
      .$if(!!query.outcome, (sub) => sub.where('f2.outcome', '=', query.outcome!))));
  }
  if (query.kind) q = q.where('r.kind', '=', query.kind);
  if (query.consumer) q = q.where('r.department', '=', query.consumer);
  if (query.app) q = q.where('r.credential_id', '=', query.app);
  if (query.purpose) q = q.where('r.purpose', '=', query.purpose);
  if (query.caseId) q = q.where('r.case_id', '=', query.caseId);
  if (query.requestId) q = q.where('r.request_id', '=', query.requestId);
  if (from) q = q.where('r.time', '>=', from);
  if (to) q = q.where('r.time', '<', to);
  if (query.after !== undefined) q = q.where(seqColumn, order === 'asc' ? '>' : '<', query.after);
  if (viewer.kind === 'department') {
    const department = viewer.department;
    const coordinates = own!;
    const subgraphs = viewer.subgraphs ?? [];
    q = q.where((eb) => {
      const visible: Expression<SqlBool>[] = [eb('r.department', '=', department)];
      if (coordinates.length > 0) {
        visible.push(eb.and([
          eb('r.kind', '=', 'ACCESS'),
          eb.exists(eb.selectFrom('audit_fields as fv').select(sql.lit(1).as('one')).whereRef('fv.seq', '=', 'r.seq').where('fv.coordinate', 'in', coordinates)),
        ]));
        visible.push(eb.and([eb('r.kind', '=', 'ADMIN'), eb('r.target', 'in', coordinates)]));
      }
      for (const name of subgraphs) {
        visible.push(eb.and([eb('r.kind', '=', 'ACCESS'), sql<SqlBool>`${sql.ref('r.subgraphs')} like ${`%${escapeLike(JSON.stringify(name))}%`} escape '\\'`]));
      }
      return eb.or(visible);
    });
  }
  const rows = await q.selectAll('r').orderBy(seqColumn, order).limit(limit).execute();
  const records = rows.map((row) => {
    const entry = entryOf(row);
    return viewer.kind === 'department' && entry.department !== viewer.department ? redact(entry, viewer) : entry;
  });
  return { records, next: records.length === limit ? records[records.length - 1]!.seq : null };
}

/** "Who read `field` of the entity with this key, when, for which purpose and case": the records that returned it. */
export function whoRead(source: AuditSource, viewer: AuditViewer, key: EntityKey, field: string, page: Pick<AuditQuery, 'after' | 'limit' | 'order' | 'from' | 'to'> = {}): Promise<AuditPage> {
  return queryAudit(source, viewer, { ...page, kind: 'ACCESS', key, field, outcome: 'RETURNED' });
}

/** Coordinates ever recorded that the viewer's department provides. */
async function ownCoordinates(db: Kysely<AuditDatabase>, viewer: Extract<AuditViewer, { kind: 'department' }>): Promise<string[]> {
  const all = await db.selectFrom('audit_coordinates').select('coordinate').execute();
  return all.map((r) => r.coordinate).filter((c) => viewer.providerOf(c) === viewer.department);
}

function redact(entry: AuditEntry, viewer: Extract<AuditViewer, { kind: 'department' }>): AuditEntry {
  if (entry.kind !== 'ACCESS') return entry;
  const subgraphs = new Set(viewer.subgraphs ?? []);
  const ownCoordinate = (c: string) => viewer.providerOf(c) === viewer.department;
  return {
    ...entry,
    requested: entry.requested.filter(ownCoordinate),
    returned: entry.returned.filter(ownCoordinate),
    denied: entry.denied.filter(ownCoordinate),
    subgraphs: entry.subgraphs.filter((s) => subgraphs.has(s)),
    redacted: true,
  };
}
