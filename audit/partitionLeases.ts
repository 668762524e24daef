/**
 * Leases of the audit trail's partitions among gateway replicas (PostgreSQL).
 *
 * The trail is a fixed number of chains (partitions, fixed when the trail is created: see
 * partitionCount.ts), so replicas coming and going never multiply chains. Each replica
 * leases some of them — a session-level advisory lock per partition, held on a connection
 * of its own — and appends only to those, so appends of different replicas never wait for
 * each other. When a replica dies its session ends, PostgreSQL frees its locks, and the
 * others take its partitions over at their next check, continuing each chain from its last
 * record (the writer reads the partition's head inside its transaction).
 *
 * Every replica also holds a shared "present" lock, so all of them can count the replicas:
 * each aims at ceil(partitions / replicas) partitions, takes free ones while it has fewer,
 * and gives up its highest-numbered ones while it has more and another replica has fewer
 * than floor(partitions / replicas). Three replicas on eight partitions settle at 3, 3, 2.
 *
 * A lease spreads the work; it is not what keeps a chain linear. Every write transaction
 * takes the partition's transaction lock too (chainWriter.ts), so a replica that has lost
 * its lease connection, or holds no partition (more replicas than partitions), still
 * appends correctly — to a partition another replica holds, waiting for its lock.
 */
import pg from 'pg';
import { applicationName } from '../storage/database.ts';

/** @default 1 s */
export const DEFAULT_LEASE_CHECK_MS = 1000;

/** The second key of the shared lock every replica holds (partition numbers are below it). */
const PRESENT = 2_147_483_647;

export interface PartitionLeaseOptions {
  readonly url: string;
  /** The audit trail's PostgreSQL schema: the leases are per trail. */
  readonly schema: string;
  readonly partitions: number;
  /** How often leases are checked and balanced. @default DEFAULT_LEASE_CHECK_MS */
  readonly checkMs?: number;
  /** Partitions just taken (at start, or over from a replica that left). */
  readonly onAcquired?: (partitions: readonly number[]) => void;
  /** The lease connection failed (it is opened again at the next check). @default console.error */
  readonly onError?: (error: Error) => void;
}

export class PartitionLeases {
  private client: pg.Client | null = null;
  private pid = 0;
  private readonly held = new Set<number>();
  private readonly timer: NodeJS.Timeout;
  private checking: Promise<void> | null = null;
  private closed = false;

  static async start(options: PartitionLeaseOptions): Promise<PartitionLeases> {
    const leases = new PartitionLeases(options);
    await leases.check();
    return leases;
  }

  private constructor(private readonly options: PartitionLeaseOptions) {
    this.timer = setInterval(() => void this.check(), options.checkMs ?? DEFAULT_LEASE_CHECK_MS);
    this.timer.unref();
  }

  /** The partitions this replica holds, lowest first. */
  partitions(): readonly number[] {
    return [...this.held].sort((a, b) => a - b);
  }

  /** Where to append while holding none: a partition picked by this session, shared under its lock. */
  fallback(): number {
    return this.pid % this.options.partitions;
  }

  /** Checks and balances the leases now (also runs every checkMs). */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.checking ??= this.balance()
      .catch((error: Error) => {
        this.drop(error);
      })
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  /** Ends the lease session: its locks are freed for the other replicas at once. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.checking;
    const client = this.client;
    this.client = null;
    this.held.clear();
    await client?.end().catch(() => {});
  }

  private drop(error: Error): void {
    const client = this.client;
    this.client = null;
    this.held.clear();
    void client?.end().catch(() => {});
    if (!this.closed) (this.options.onError ?? ((e: Error) => console.error(`[audit] partition leases of ${this.options.schema}: ${e.message}`)))(error);
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: applicationName(`${this.options.schema} leases`) });
    // A lease connection that dies (terminated, server restarted) loses its locks: noted
    // here, taken again at the next check — never an unhandled 'error' event.
    client.on('error', (error) => {
      if (this.client === client) this.drop(error);
    });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid, pg_advisory_lock_shared(hashtext($1), $2)', [this.lockName(), PRESENT]);
    this.pid = rows[0]!.pid;
    return client;
  }

  private lockName(): string {
    return `govgraph-audit-lease:${this.options.schema}`;
  }

  private async balance(): Promise<void> {
    this.client ??= await this.connect();
    const client = this.client;
    const { partitions } = this.options;
    // Two-key advisory locks show in pg_locks with the first key in classid (as an unsigned
    // 32-bit number), the second in objid, objsubid 2.
    const { rows } = await client.query<{ key: string; pid: number }>(
      `select objid::bigint as key, pid from pg_locks
       where locktype = 'advisory' and objsubid = 2 and granted
         and database = (select oid from pg_database where datname = current_database())
         and classid::bigint = (hashtext($1)::bigint & 4294967295)`,
      [this.lockName()],
    );
    const owner = new Map<number, number>();
    const counts = new Map<number, number>([[this.pid, 0]]);
    for (const row of rows) {
      const key = Number(row.key);
      if (key === PRESENT) {
        if (!counts.has(row.pid)) counts.set(row.pid, 0);
      } else if (key < partitions) {
        owner.set(key, row.pid);
        counts.set(row.pid, (counts.get(row.pid) ?? 0) + 1);
      }
    }
    this.held.clear();
    for (const [partition, pid] of owner) if (pid === this.pid) this.held.add(partition);
    const replicas = counts.size;
    const want = Math.ceil(partitions / replicas);
    const acquired: number[] = [];
    if (this.held.size < want) {
      for (let p = 0; p < partitions && this.held.size < want; p++) {
        if (owner.has(p)) continue;
        const { rows: got } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1), $2) as ok', [this.lockName(), p]);
        if (got[0]!.ok) {
          this.held.add(p);
          acquired.push(p);
        }
      }
    } else if (this.held.size > want && [...counts.values()].some((n) => n < Math.floor(partitions / replicas))) {
      for (const p of this.partitions().slice(want).reverse()) {
        this.held.delete(p);
        await client.query('select pg_advisory_unlock(hashtext($1), $2)', [this.lockName(), p]);
      }
    }
    if (acquired.length > 0) this.options.onAcquired?.(acquired);
  }
}
