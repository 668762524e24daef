import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type OpenedDatabase } from './database.ts';
import { createTestStorage, testDialects, type TestStorage } from './testing.ts';
import { changeChannel, NO_CHANGE_FEED, openChangeFeed, type ChangeFeed, type ChangeTopic } from './changeFeed.ts';

interface Db { notes: { id: number; text: string } }

/** Resolves with the next payload `feed` hears on `topic`, or 'timeout'. */
function next(feed: ChangeFeed, topic: ChangeTopic, ms = 5000): Promise<string | undefined | 'timeout'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { off(); resolve('timeout'); }, ms);
    const off = feed.subscribe(topic, (payload) => { clearTimeout(timer); off(); resolve(payload); });
  });
}

describe.each(testDialects())('change feed (%s)', (dialect) => {
  let storage: TestStorage;
  let db: OpenedDatabase<Db>;
  let other: OpenedDatabase<Db>;
  /** Two replicas over one store: each has its own connection(s) and its own feed. */
  let a: ChangeFeed;
  let b: ChangeFeed;
  const logs: string[] = [];
  beforeAll(async () => {
    storage = createTestStorage(dialect);
    db = await openDatabase<Db>(storage.config, 'platform');
    other = await openDatabase<Db>(storage.config, 'platform');
    await db.db.schema.createTable('notes').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('text', 'text', (c) => c.notNull()).execute();
    a = await openChangeFeed(storage.config, db, { log: (m) => logs.push(m) });
    b = await openChangeFeed(storage.config, other, { log: (m) => logs.push(m), reconnectMs: 50 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.close();
    await other?.close();
    await storage?.cleanup();
  });

  it('a topic published by one replica reaches the other (and itself), with its payload; other topics are not told', async () => {
    const onB = next(b, 'tokens');
    const onA = next(a, 'tokens');
    const unrelated = next(b, 'registry', 300);
    await a.publish('tokens', 'cred-1');
    expect(await onB).toBe('cred-1');
    expect(await onA).toBe('cred-1');
    expect(await unrelated).toBe('timeout');
  });

  it('published inside a transaction: heard only after the commit, when the change is visible to the other replica', async () => {
    let seen: unknown = 'not yet';
    const heard = new Promise<void>((resolve) => {
      const off = b.subscribe('policy', () => {
        off();
        // What a subscriber does: re-read through its own connection.
        void other.db.selectFrom('notes').select('text').where('id', '=', 1).executeTakeFirst().then((row) => { seen = row?.text; resolve(); });
      });
    });
    await db.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, text: 'version 2' }).execute();
      await a.publish('policy', '2', trx);
      // Still inside: nobody may hear of it before the commit.
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toBe('not yet');
    });
    await heard;
    expect(seen).toBe('version 2');
  });

  it('a transaction rolled back publishes nothing on PostgreSQL (on SQLite, at most a harmless re-read)', async () => {
    const heard = next(b, 'grants', 500);
    await expect(db.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 2, text: 'lost' }).execute();
      await a.publish('grants', 'g', trx);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    const result = await heard;
    if (dialect === 'postgres') expect(result).toBe('timeout');
    expect(await other.db.selectFrom('notes').select('id').where('id', '=', 2).executeTakeFirst()).toBeUndefined();
    // Positive control: the same publish committed is heard.
    const again = next(b, 'grants');
    await db.db.transaction().execute(async (trx) => a.publish('grants', 'g2', trx));
    expect(await again).toBe('g2');
  });

  it('refuses an unknown topic and a payload that is data rather than a hint, naming the contract', async () => {
    await expect(a.publish('people' as ChangeTopic)).rejects.toThrow(/not one of policy, grants, tokens/);
    expect(() => a.subscribe('people' as ChangeTopic, () => {})).toThrow(/CHANGE_TOPICS/);
    await expect(a.publish('tokens', 'x'.repeat(1001))).rejects.toThrow(/at most 1000 characters/);
    await expect(NO_CHANGE_FEED.publish('nope' as ChangeTopic)).rejects.toThrow(/not one of/);
  });

  it('a failing handler does not keep the others from hearing', async () => {
    const off = b.subscribe('settings', () => { throw new Error('boom'); });
    const heard = next(b, 'settings');
    await a.publish('settings');
    expect(await heard).toBeUndefined();
    off();
    expect(logs.some((l) => l.includes('a handler of settings failed: boom'))).toBe(true);
  });

  it.runIf(dialect === 'postgres')('after its listening connection is terminated: reconnects, reports every subscribed topic once, and hears new changes', async () => {
    const url = process.env.DATABASE_URL!;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const calendar: (string | undefined)[] = [];
      const offCalendar = b.subscribe('calendar', (p) => calendar.push(p));
      const resynced = next(b, 'registry', 10_000);
      const name = `govgraph ${other.schema} changes`.slice(0, 63);
      const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
      expect(killed.rowCount, 'both replicas\' listening connections are named in pg_stat_activity').toBe(2);
      // Nothing was published: the reconnect itself tells every subscriber to re-read.
      expect(await resynced).toBeUndefined();
      expect(calendar).toEqual([undefined]);
      expect(logs.some((l) => l.includes('listening again'))).toBe(true);
      const heard = next(b, 'calendar');
      await a.publish('calendar', '2027');
      expect(await heard).toBe('2027');
      offCalendar();
    } finally {
      await admin.end();
    }
  });

  it.runIf(dialect === 'postgres')('platforms on other schemas of the same server do not hear each other', async () => {
    const elsewhere = createTestStorage('postgres');
    const theirs = await openDatabase<Db>(elsewhere.config, 'platform');
    const feed = await openChangeFeed(elsewhere.config, theirs);
    try {
      expect(changeChannel(theirs.schema!)).not.toBe(changeChannel(db.schema!));
      const stray = next(feed, 'tokens', 400);
      const ours = next(b, 'tokens');
      await a.publish('tokens', 'ours');
      expect(await ours).toBe('ours');
      expect(await stray).toBe('timeout');
      // Positive control: their own change reaches them.
      const own = next(feed, 'tokens');
      await sql`select 1`.execute(theirs.db);
      await feed.publish('tokens', 'theirs');
      expect(await own).toBe('theirs');
    } finally {
      await feed.close();
      await theirs.close();
      await elsewhere.cleanup();
    }
  });
});
