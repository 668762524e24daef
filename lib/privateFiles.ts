/**
 * Files and folders only the platform's own user may read (R10): DATA_DIR holds personal
 * data, tokens and keys, so every folder under it is 0700 and every file 0600.
 *
 * Modes are set with an explicit chmod after creation, never left to the `mode` argument
 * alone: that argument is filtered through the process umask and only applies when the
 * path is new, so an existing 0644 file (written by an older version) would stay readable.
 * Library code never changes the umask: it is process-wide and other code relies on it.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** rwx for the owner only. */
export const PRIVATE_DIR_MODE = 0o700;
/** rw for the owner only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and missing parents) and makes `dir` itself 0700. A shared folder such as
 * /tmp (sticky bit, writable by all) is refused rather than taken over: DATA_DIR must be a
 * folder of its own.
 */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const { mode } = statSync(dir);
  if ((mode & 0o1000) !== 0 && (mode & 0o002) !== 0) {
    throw new Error(`${dir} is a shared folder (sticky, writable by everyone); give the platform a folder of its own, e.g. ${join(dir, 'govgraph')}`);
  }
  if ((mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

/** Makes an existing file 0600; a missing one is left missing (SQLite's -wal/-shm come and go). */
export function restrictFile(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Creates `path` empty if it does not exist (0600 from the first byte on), or tightens it to
 * 0600 if it does. Used before SQLite opens a database file: SQLite would create it with
 * 0644 under the usual umask, and it gives its -wal, -shm and -journal files the main
 * file's permissions, so the main file must be private before the first write.
 */
export function ensurePrivateFile(path: string): void {
  const fd = openSync(path, 'a', PRIVATE_FILE_MODE);
  closeSync(fd);
  chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Writes `path` with `data`, 0600, replacing it atomically: a reader sees the old content or
 * the new, never half of it, and the content is never readable by others, not even briefly.
 */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  const temporary = temporaryPath(path);
  writeTemporary(temporary, data);
  try {
    renameSync(temporary, path);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
}

/**
 * Writes `path` with `data`, 0600, only if it does not exist yet; returns whether this call
 * created it. Safe when several processes start at once (two replicas, a subgraph started by
 * hand): exactly one wins, and the others never see a partly written file, because the
 * complete file is linked into place (link fails when the name exists).
 */
export function createPrivateFileOnce(path: string, data: string | Uint8Array): boolean {
  if (existsSync(path)) return false;
  const temporary = temporaryPath(path);
  writeTemporary(temporary, data);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function temporaryPath(path: string): string {
  return join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
}

function writeTemporary(temporary: string, data: string | Uint8Array): void {
  // 'wx': a fresh name, never an existing file (or a link someone planted there).
  const fd = openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    chmodSync(temporary, PRIVATE_FILE_MODE);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
}
