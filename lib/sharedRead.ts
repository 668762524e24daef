/**
 * A read of state that other replicas change, shared by the callers who ask at the same time —
 * but never one that started before a caller asked. A change announced (by the change feed, or
 * made through this replica) while a read is in flight may have committed after that read
 * looked, so whoever asks then gets the next read, started once the current one ends and shared
 * by everyone who asked meanwhile. A burst of changes costs at most two reads, and the last
 * caller always sees its change.
 */
export class SharedRead<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly load: () => Promise<T>) {}

  /** Resolves with the result of a read that started after this call. */
  read(): Promise<T> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(() => {}, () => {}).then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<T> {
    const read: Promise<T> = this.load().finally(() => {
      if (this.running === read) this.running = null;
    });
    this.running = read;
    return read;
  }
}
