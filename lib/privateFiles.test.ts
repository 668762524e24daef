import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateFileOnce, ensurePrivateDir, ensurePrivateFile, restrictFile, writePrivateFile } from './privateFiles.ts';

const modeOf = (path: string) => statSync(path).mode & 0o7777;

describe('private files and folders (R10)', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'govgraph-private-'));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates folders 0700 and tightens an existing one', () => {
    const dir = join(root, 'a', 'b');
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    chmodSync(dir, 0o755);
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  it('refuses a shared sticky folder such as /tmp rather than taking it over', () => {
    const shared = join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    expect(() => ensurePrivateDir(shared)).toThrow(/shared folder.*folder of its own/);
    expect(modeOf(shared)).toBe(0o1777);
  });

  it('writes files 0600, replacing an existing 0644 one, and leaves no temporary file', () => {
    const file = join(root, 'credentials.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    writePrivateFile(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(root)).toEqual(['credentials.json']);
  });

  it('creates a file once: the second writer keeps the first content', () => {
    const file = join(root, 'platform.key');
    expect(createPrivateFileOnce(file, 'first')).toBe(true);
    expect(createPrivateFileOnce(file, 'second')).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(root)).toEqual(['platform.key']);
  });

  it('creates an empty file 0600 or tightens an existing one, keeping its content', () => {
    const file = join(root, 'x.sqlite');
    ensurePrivateFile(file);
    expect(modeOf(file)).toBe(0o600);
    writeFileSync(file, 'data');
    chmodSync(file, 0o644);
    ensurePrivateFile(file);
    expect(modeOf(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('data');
  });

  it('restrictFile ignores a file that does not exist', () => {
    expect(() => restrictFile(join(root, 'missing-wal'))).not.toThrow();
  });
});
