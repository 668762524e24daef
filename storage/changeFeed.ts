/**
 * Changes pushed to every replica, not polled: a replica that changes what others keep in memory
 * (a policy version, a revoked token, a supergraph) publishes a topic, and every replica sharing
 * the store hears it within milliseconds and re-reads. Polling stays as the fallback wherever it
 * existed: a lost notification costs at most the old poll's delay, never a wrong answer.
 *
 * - PostgreSQL: NOTIFY on one channel per store (`<schema>:changes`, so platforms sharing a server
 *   under different schemas do not hear each other), LISTEN on a connection of its own. NOTIFY is
 *   transactional: published inside the change's transaction, it is delivered when (and only if)
 *   the change commits, so no replica re-reads before the change is visible. The listening
 *   connection reconnects with backoff after a blip; notifications sent meanwhile are lost, so
 *   after a reconnect every subscribed topic is reported changed once.
 * - SQLite (one process, possibly several platforms in it, as tests run replicas): an in-process
 *   emitter per database file. A topic published inside a transaction is emitted after it commits.
 *
 * Glossary:
 * - topic: what changed, one of CHANGE_TOPICS; subscribers re-read what they keep of it.
 * - payload: an optional hint (an id), never the data itself: subscribers read the store.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { applicationName, type OpenedDatabase, type StorageConfig } from './database.ts';

/**
 * Every topic, with who publishes it and who listens. Add a topic here (with its line) before
 * publishing it; publishing an unknown topic throws.
 */
export const CHANGE_TOPICS = [
  /** A new policy version (field policies, ownership): PolicyState re-reads the snapshot. */
  'policy',
  /** A grant made or revoked (it comes with a policy version too): PolicyState re-reads. */
  'grants',
  /** An app or administrator token issued or revoked: every authenticator drops its identity cache. */
  'tokens',
  /** A supergraph version published (publish, rollback, start): every registry syncs, every gateway swaps. */
  'registry',
  /** The platform settings changed (control/settings): read on each use, published for whoever keeps them. */
  'settings',
  /** A holiday notice entered (control/calendar): every replica lays the notices over its calendar again. */
  'calendar',
  /** A person's sessions ended (people deactivated, signed out everywhere): sessions kept in memory are dropped. */
  'sessions',
] as const;

export type ChangeTopic = (typeof CHANGE_TOPICS)[number];

export type ChangeHandler = (payload: string | undefined) => void;

/** Where the replica writes the change; a Kysely transaction publishes with its commit. */
type Executor = Kysely<any>;

export interface ChangeFeed {
  readonly kind: 'postgres' | 'sqlite' | 'none';
  /**
   * Tells every replica (this one included) that `topic` changed. Pass the change's transaction
   * as `within` so the notice goes out with the commit and not at all on rollback. The payload is
   * a hint of at most 1000 characters. Inside a transaction on SQLite, this returns at once and the
   * emission waits for the commit: do not expect subscribers to have run when it resolves.
   */
  publish(topic: ChangeTopic, payload?: string, within?: Executor): Promise<void>;
  /** Calls `handler` on every change of `topic` (from any replica); returns the unsubscribe. */
  subscribe(topic: ChangeTopic, handler: ChangeHandler): () => void;
  /** Stops listening; publishing still works (it is a statement in the caller's transaction). */
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** Told about a listening connection lost, and when it is back. @default a line on stderr */
  readonly log?: (message: string) => void;
  /** First reconnect delay, doubled each failure up to RECONNECT_MAX_MS. @default 100 */
  readonly reconnectMs?: number;
}

/** The longest wait between two attempts to get the listening connection back. */
export const RECONNECT_MAX_MS = 5_000;
const PAYLOAD_LIMIT = 1000;

/** A feed that tells nobody: stores opened without one (tools, unit tests) rely on polling. */
export const NO_CHANGE_FEED: ChangeFeed = {
  kind: 'none',
  async publish(topic) {
    checkTopic(topic);
  },
  subscribe(topic) {
    checkTopic(topic);
    return () => {};
  },
  async close() {},
};

function checkTopic(topic: string, payload?: string): void {
  if (!(CHANGE_TOPICS as readonly string[]).includes(topic)) {
    throw new Error(`change topic ${JSON.stringify(topic)} is not one of ${CHANGE_TOPICS.join(', ')}; add it to CHANGE_TOPICS (storage/changeFeed.ts) with who publishes and who listens`);
  }
  if (payload !== undefined && payload.length > PAYLOAD_LIMIT) {
    throw new Error(`a change payload is a hint of at most ${PAYLOAD_LIMIT} characters (an id), received ${payload.length}: subscribers read the data from the store`);
  }
}

/** The channel of a store: its schema's name, so that platforms sharing a PostgreSQL server stay apart. */
export function changeChannel(schema: string): string {
  return `${schema}:changes`;
}

/** The feed of an opened store (the platform's database): LISTEN/NOTIFY on PostgreSQL, in-process on SQLite. */
export async function openChangeFeed<DB>(config: StorageConfig, opened: OpenedDatabase<DB>, options: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  if (config.kind === 'sqlite' || !opened.schema) return inProcessFeed(opened, options.log ?? ((m) => console.error(m)));
  return postgresFeed(config.url, opened.schema, opened.db as Executor, options);
}

/** Handlers by topic, each called in turn; a failing handler is logged and does not stop the others. */
class Subscribers {
  private readonly handlers = new Map<string, Set<ChangeHandler>>();

  constructor(private readonly log: (message: string) => void) {}

  add(topic: ChangeTopic, handler: ChangeHandler): () => void {
    checkTopic(topic);
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => void set.delete(handler);
  }

  deliver(topic: string, payload: string | undefined): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.log(`[changes] a handler of ${topic} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Every topic someone listens to. */
  topics(): string[] {
    return [...this.handlers].filter(([, set]) => set.size > 0).map(([topic]) => topic);
  }
}

// --- SQLite: one emitter per database file, shared by every platform of this process ------------

const emitters = new Map<string, { emitter: EventEmitter; users: number }>();

function inProcessFeed<DB>(opened: OpenedDatabase<DB>, log: (message: string) => void): ChangeFeed {
  const key = opened.location;
  let entry = emitters.get(key);
  if (!entry) emitters.set(key, (entry = { emitter: new EventEmitter(), users: 0 }));
  entry.users++;
  entry.emitter.setMaxListeners(0);
  const { emitter } = entry;
  const subscribers = new Subscribers(log);
  const listener = ({ topic, payload }: { topic: string; payload: string | undefined }) => subscribers.deliver(topic, payload);
  emitter.on('change', listener);
  const db = opened.db as Executor;
  let closed = false;
  return {
    kind: 'sqlite',
    async publish(topic, payload, within) {
      checkTopic(topic, payload);
      const emit = () => emitter.emit('change', { topic, payload });
      if (!within?.isTransaction) return void emit();
      // Kysely's SQLite driver has one connection, held by the transaction until it commits or
      // rolls back: a statement on the store itself runs only then. Not awaited, or the
      // transaction would wait for itself. (A rollback emits too: subscribers re-read, harmlessly.)
      void sql`select 1`.execute(db).then(emit, emit);
    },
    subscribe: (topic, handler) => subscribers.add(topic, handler),
    async close() {
      if (closed) return;
      closed = true;
      emitter.off('change', listener);
      if (--entry.users === 0) emitters.delete(key);
    },
  };
}

// --- PostgreSQL: NOTIFY in the change's transaction, LISTEN on a connection of its own ----------

async function postgresFeed(url: string, schema: string, db: Executor, options: ChangeFeedOptions): Promise<ChangeFeed> {
  const log = options.log ?? ((m: string) => console.error(m));
  const firstDelay = options.reconnectMs ?? 100;
  const channel = changeChannel(schema);
  const subscribers = new Subscribers(log);
  let client: pg.Client | null = null;
  let closed = false;
  let delay = firstDelay;
  let retry: NodeJS.Timeout | null = null;

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== channel || !message.payload) return;
    let parsed: { topic?: unknown; payload?: unknown };
    try {
      parsed = JSON.parse(message.payload) as typeof parsed;
    } catch {
      return log(`[changes] ${channel}: a notification that is not ours was ignored`);
    }
    if (typeof parsed.topic !== 'string') return;
    subscribers.deliver(parsed.topic, typeof parsed.payload === 'string' ? parsed.payload : undefined);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: applicationName(`${schema} changes`), keepAlive: true });
    // A listening connection that dies (terminated, server restarted) reconnects; never fatal.
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    next.on('notification', onNotification);
    try {
      await next.connect();
      await next.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      next.removeAllListeners('end');
      next.on('error', () => {});
      void next.end().catch(() => {});
      throw error;
    }
    client = next;
  };

  const lost = (which: pg.Client, error: Error) => {
    if (client !== which || closed) return;
    client = null;
    which.removeAllListeners('end');
    void which.end().catch(() => {});
    log(`[changes] ${channel}: the listening connection was lost (${error.message}); reconnecting, polling meanwhile`);
    schedule();
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(() => {
        delay = firstDelay;
        log(`[changes] ${channel}: listening again; every topic is re-read once (notifications may have been missed)`);
        for (const topic of subscribers.topics()) subscribers.deliver(topic, undefined);
      }, (error: unknown) => {
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
        log(`[changes] ${channel}: reconnect failed (${(error as Error).message}); next try in ${delay} ms`);
        schedule();
      });
    }, delay);
    retry.unref();
  };

  try {
    await connect();
  } catch (error) {
    // The store answered a moment ago; a replica still starts, on polling, and keeps trying.
    log(`[changes] ${channel}: could not listen (${(error as Error).message}); polling until the connection is back`);
    schedule();
  }

  return {
    kind: 'postgres',
    async publish(topic, payload, within) {
      checkTopic(topic, payload);
      // In the change's transaction: delivered at its commit, dropped with its rollback.
      await sql`select pg_notify(${channel}, ${JSON.stringify({ topic, payload })})`.execute(within ?? db);
    },
    subscribe: (topic, handler) => subscribers.add(topic, handler),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = null;
      const last = client;
      client = null;
      if (last) {
        last.removeAllListeners('end');
        await last.end().catch(() => {});
      }
    },
  };
}
