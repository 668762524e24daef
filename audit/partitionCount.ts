/**
 * How many partitions (chains) the audit trail has: chosen when the trail is first opened
 * and recorded in `audit_partitions`, then fixed — replicas coming and going, or a changed
 * setting, never multiply chains. Records written before partitions existed are on
 * partition 0. SQLite has one writer at a time, hence one partition.
 */
import type { Kysely } from 'kysely';
import type { AuditDatabase } from './auditDatabase.ts';

/** Partitions of a new trail on PostgreSQL. @default 8 */
export const DEFAULT_POSTGRES_PARTITIONS = 8;
/** The most partitions a trail may have (each is a chain verified on its own). */
export const MAX_PARTITIONS = 1024;

/**
 * The trail's partition count, recording `requested` (or the default) if the trail has none
 * yet. A count asked for explicitly that differs from the recorded one is refused, naming both.
 */
export async function fixPartitionCount(db: Kysely<AuditDatabase>, dialect: 'sqlite' | 'postgres', requested: number | undefined): Promise<number> {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > MAX_PARTITIONS)) {
    throw new RangeError(`the audit trail's partition count must be an integer from 1 to ${MAX_PARTITIONS}, received ${String(requested)}`);
  }
  if (dialect === 'sqlite' && requested !== undefined && requested !== 1) {
    throw new RangeError(`an audit trail on SQLite has one partition (one writer at a time), ${requested} were asked for: use PostgreSQL for partitions`);
  }
  const wanted = requested ?? (dialect === 'sqlite' ? 1 : DEFAULT_POSTGRES_PARTITIONS);
  let rows = await db.selectFrom('audit_partitions').select('partition').orderBy('partition').execute();
  if (rows.length === 0) {
    const createdAt = new Date().toISOString();
    // Two replicas starting together: the first one's rows stand, the other's add nothing.
    await db.insertInto('audit_partitions').values(Array.from({ length: wanted }, (_, partition) => ({ partition, created_at: createdAt })))
      .onConflict((oc) => oc.column('partition').doNothing()).execute();
    rows = await db.selectFrom('audit_partitions').select('partition').orderBy('partition').execute();
  }
  if (rows.some((r, i) => Number(r.partition) !== i)) {
    throw new Error(`the audit trail's partitions are recorded as ${rows.map((r) => r.partition).join(', ')}, not 0…${rows.length - 1}: audit_partitions was changed by hand`);
  }
  if (requested !== undefined && requested !== rows.length) {
    throw new RangeError(`the audit trail was created with ${rows.length} partitions and keeps them; ${requested} were asked for`);
  }
  return rows.length;
}
