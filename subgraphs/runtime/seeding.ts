/** Bulk writes for seeding: multi-row inserts in chunks, inside one transaction per table. */
import { sql, type Kysely } from 'kysely';

/**
 * Rows per INSERT. SQLite allows 32,766 bound values per statement and PostgreSQL 65,535;
 * 300 rows of up to ~20 columns stays below both.
 */
export const SEED_CHUNK_ROWS = 300;

export async function insertRows<T extends Record<string, unknown>>(
  db: Kysely<any>,
  table: string,
  rows: Iterable<T>,
  chunkRows = SEED_CHUNK_ROWS,
): Promise<number> {
  let count = 0;
  let chunk: T[] = [];
  const flush = async (trx: Kysely<any>) => {
    if (chunk.length === 0) return;
    await trx.insertInto(table).values(chunk).execute();
    count += chunk.length;
    chunk = [];
  };
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length >= chunkRows) await flush(trx);
    }
    await flush(trx);
  });
  return count;
}

/** Whether a table has at least one row. */
export async function hasRows(db: Kysely<any>, table: string): Promise<boolean> {
  const row = await db.selectFrom(table).select(sql<number>`1`.as('one')).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** SQLite has no boolean type; both dialects store flags as 0/1 integers. */
export const flag = (value: boolean): number => (value ? 1 : 0);
