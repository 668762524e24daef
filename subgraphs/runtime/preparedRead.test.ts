import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../storage/database.ts';
import { createTestStorage, testDialects, type TestStorage } from '../../storage/testing.ts';
import { preparedKeyRead, preparedRead } from './preparedRead.ts';

interface Db {
  people: { id: string; name: string; town: string };
}

const byIds = preparedKeyRead((db: Kysely<Db>, ids) => db.selectFrom('people').selectAll().where('id', 'in', ids).orderBy('id'));
/** The town is bound as a parameter, and named in the shape too. */
const inTownByIds = preparedRead(
  (db: Kysely<Db>, { town, ids }: { town: string; ids: readonly string[] }) => db.selectFrom('people').selectAll().where('town', '=', town).where('id', 'in', ids).orderBy('id'),
  ({ town, ids }) => ({ shape: `${town}:${ids.length}`, parameters: [town, ...ids] }),
);
/** Says the town is bound, but writes it into the SQL text, and leaves it out of the shape. */
const wrongParameters = preparedRead(
  (db: Kysely<Db>, { town, ids }: { town: string; ids: readonly string[] }) => db.selectFrom('people').selectAll().where(sql<boolean>`town = ${sql.lit(town)}`).where('id', 'in', ids).orderBy('id'),
  ({ town, ids }) => ({ shape: String(ids.length), parameters: [town, ...ids] }),
);
/** A key written into the SQL text: the compiled parameters miss it. */
const inlinedKeys = preparedKeyRead((db: Kysely<Db>, ids) => db.selectFrom('people').selectAll().where(sql<boolean>`id = ${sql.lit(ids[0])}`).orderBy('id'));

describe.each(testDialects())('reads compiled once per shape (%s)', (dialect) => {
  let storage: TestStorage;
  let opened: OpenedDatabase<Db>;
  let statements = 0;
  beforeAll(async () => {
    storage = createTestStorage(dialect);
    opened = await openDatabase<Db>(storage.config, 'prepared', { onStatement: () => statements++ });
    await opened.db.schema.createTable('people').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('name', 'text').addColumn('town', 'text').execute();
    await opened.db.insertInto('people').values([
      { id: 'p1', name: 'Li', town: 'A' },
      { id: 'p2', name: 'Wang', town: 'A' },
      { id: 'p3', name: 'Zhang', town: 'B' },
      { id: 'p4', name: 'Liu', town: 'B' },
    ]).execute();
  });
  afterAll(async () => {
    await opened?.close();
    await storage?.cleanup();
  });

  it('answers each read with its own keys, not the keys the shape was compiled with', async () => {
    expect((await byIds(opened.db, ['p1', 'p2'])).map((r) => r.name)).toEqual(['Li', 'Wang']);
    expect((await byIds(opened.db, ['p3', 'p4'])).map((r) => r.name)).toEqual(['Zhang', 'Liu']);
    expect((await byIds(opened.db, ['p4'])).map((r) => r.name)).toEqual(['Liu']);
    expect(await byIds(opened.db, ['nobody'])).toEqual([]);
  });

  it('binds every parameter of the shape anew: a filter value is not carried over from the first read', async () => {
    expect((await inTownByIds(opened.db, { town: 'A', ids: ['p1', 'p3'] })).map((r) => r.id)).toEqual(['p1']);
    expect((await inTownByIds(opened.db, { town: 'B', ids: ['p1', 'p3'] })).map((r) => r.id)).toEqual(['p3']);
  });

  it('compiles a shape whose compiled parameters differ from the ones it lists on every read (never reuses it)', async () => {
    expect((await wrongParameters(opened.db, { town: 'A', ids: ['p1', 'p3'] })).map((r) => r.id)).toEqual(['p1']);
    // Reused, the first read's inlined town A would answer p1 again.
    expect((await wrongParameters(opened.db, { town: 'B', ids: ['p1', 'p3'] })).map((r) => r.id)).toEqual(['p3']);
    expect((await inlinedKeys(opened.db, ['p1'])).map((r) => r.id)).toEqual(['p1']);
    expect((await inlinedKeys(opened.db, ['p4'])).map((r) => r.id)).toEqual(['p4']);
  });

  it('still counts every statement it runs (the batching tests read these counts)', async () => {
    const before = statements;
    await byIds(opened.db, ['p1', 'p2']);
    await byIds(opened.db, ['p2', 'p3']);
    expect(statements - before).toBe(2);
  });
});
