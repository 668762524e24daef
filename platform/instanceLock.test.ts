import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, INSTANCE_LOCK_FILE } from './instanceLock.ts';

describe('one all-in-one instance per DATA_DIR', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'govgraph-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses while a live process holds the lock, naming its pid and URLs; free again once released', async () => {
    const dataDir = dir();
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dataDir, INSTANCE_LOCK_FILE), JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: 'then', gateway: 'http://127.0.0.1:4000/graphql' }));
      expect(() => acquireInstanceLock(dataDir)).toThrow(new RegExp(`in use by govgraph pid ${holder.pid} .*gateway http://127\\.0\\.0\\.1:4000/graphql`));
      // Refused without touching the holder's lock.
      expect(JSON.parse(readFileSync(join(dataDir, INSTANCE_LOCK_FILE), 'utf8')).pid).toBe(holder.pid);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a stale lock whose process was killed (positive control: a fresh lock is ours, and released)', () => {
    const dataDir = dir();
    const dead = spawnSync('true').pid;
    writeFileSync(join(dataDir, INSTANCE_LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), startedAt: 'then' }));
    const lock = acquireInstanceLock(dataDir);
    expect(JSON.parse(readFileSync(join(dataDir, INSTANCE_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    expect(() => acquireInstanceLock(dataDir)).toThrow(/in use by govgraph pid/);
    lock.release();
    expect(existsSync(join(dataDir, INSTANCE_LOCK_FILE))).toBe(false);
    acquireInstanceLock(dataDir).release();
  });
});
