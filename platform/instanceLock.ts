/**
 * One all-in-one platform per DATA_DIR (issue 15): a second `npm start` on a data directory in
 * use would register every subgraph again at its own ports and, when it stopped, leave the
 * first one pointing at nothing. The lock is a file, `<DATA_DIR>/govgraph.lock`, naming the
 * running instance (pid, host, URLs); a lock whose process is gone (killed, crashed) is stale
 * and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../lib/privateFiles.ts';

export const INSTANCE_LOCK_FILE = 'govgraph.lock';

/** What the lock file says about the instance holding it. */
export interface InstanceInfo {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly gateway?: string;
  readonly subgraphs?: Record<string, string>;
}

export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly holder: InstanceInfo) {
    const urls = holder.gateway ? `, gateway ${holder.gateway}${holder.subgraphs ? `, subgraphs ${Object.entries(holder.subgraphs).map(([n, u]) => `${n} ${u}`).join(', ')}` : ''}` : ' (still starting)';
    super(`DATA_DIR ${dataDir} is in use by govgraph pid ${holder.pid} on ${holder.host} (started ${holder.startedAt}${urls}). `
      + 'Stop that instance first, or give this one its own DATA_DIR; to add capacity on a shared PostgreSQL store, run `govgraph gateway` replicas instead.');
    this.name = 'DataDirInUseError';
  }
}

export interface InstanceLock {
  /** Adds the instance's addresses to the lock file, for the message a second start gets. */
  describe(urls: { gateway: string; subgraphs: Record<string, string> }): void;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): InstanceInfo | null {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as InstanceInfo;
    return Number.isInteger(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/** Takes the DATA_DIR's lock or throws DataDirInUseError naming the instance that holds it. */
export function acquireInstanceLock(dataDir: string, fileName = INSTANCE_LOCK_FILE): InstanceLock {
  ensurePrivateDir(dataDir);
  const file = join(dataDir, fileName);
  const mine: InstanceInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(mine));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const holder = readHolder(file);
    // A lock another host wrote (a DATA_DIR on a shared disk) cannot be checked from here: it holds.
    if (holder && (holder.host !== mine.host || alive(holder.pid))) throw new DataDirInUseError(dataDir, holder);
    // Stale (its process is gone) or unreadable (a crash while writing it): taken over.
    rmSync(file, { force: true });
  }
  let released = false;
  const ours = () => readHolder(file)?.pid === process.pid;
  return {
    describe(urls) {
      if (!released && ours()) writePrivateFile(file, JSON.stringify({ ...mine, ...urls }));
    },
    release() {
      if (released) return;
      released = true;
      if (ours()) rmSync(file, { force: true });
    },
  };
}
