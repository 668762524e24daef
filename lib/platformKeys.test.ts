import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultPlatformKeyFile, platformKeyEnvironment, platformKeySourceFrom, platformSecretSealer, rotatePlatformKeyFile } from './platformKeys.ts';
import { envelopeKeyId, platformKeyId } from './secretSealer.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('platform key sources (R10)', () => {
  let dataDir: string;
  let umask: number;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'govgraph-keys-'));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates DATA_DIR/keys/platform.key once (0600 in 0700 folders) when no key is given, and reuses it', async () => {
    const source = platformKeySourceFrom({}, dataDir);
    expect(source).toMatchObject({ kind: 'file', path: defaultPlatformKeyFile(dataDir), createIfMissing: true });
    const first = platformSecretSealer(source);
    const file = defaultPlatformKeyFile(dataDir);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(join(dataDir, 'keys'))).toBe(0o700);
    expect(modeOf(dataDir)).toBe(0o700);
    const second = platformSecretSealer(platformKeySourceFrom({}, dataDir));
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect((await second.decrypt(await first.encrypt('x', 'b'), 'b')).toString()).toBe('x');
  });

  it('takes a key from GOVGRAPH_PLATFORM_KEY, with previous keys, and validates it', async () => {
    const key = randomBytes(32);
    const old = randomBytes(32);
    const env = { GOVGRAPH_PLATFORM_KEY: key.toString('base64'), GOVGRAPH_PLATFORM_KEY_PREVIOUS: old.toString('base64') };
    const sealer = platformSecretSealer(platformKeySourceFrom(env, dataDir));
    expect(sealer.currentKeyId).toBe(platformKeyId(key));
    const oldEnvelope = await platformSecretSealer(platformKeySourceFrom({ GOVGRAPH_PLATFORM_KEY: old.toString('base64') }, dataDir)).encrypt('x', 'b');
    expect((await sealer.decrypt(oldEnvelope, 'b')).toString()).toBe('x');
    expect(() => platformKeySourceFrom({ GOVGRAPH_PLATFORM_KEY: 'c2hvcnQ=' }, dataDir)).toThrow(/GOVGRAPH_PLATFORM_KEY must be base64 of 32 random bytes/);
    expect(() => platformKeySourceFrom({ GOVGRAPH_PLATFORM_KEY: key.toString('base64'), GOVGRAPH_PLATFORM_KEY_FILE: '/x' }, dataDir)).toThrow(/not both/);
  });

  it('a named key file must exist; the first line is current, the others previous', async () => {
    const file = join(dataDir, 'named.key');
    expect(() => platformSecretSealer(platformKeySourceFrom({ GOVGRAPH_PLATFORM_KEY_FILE: file }, dataDir))).toThrow(/does not exist/);
    const [a, b] = [randomBytes(32), randomBytes(32)];
    writeFileSync(file, `# comment\n${b.toString('base64')}\n\n${a.toString('base64')}\n`, { mode: 0o600 });
    const sealer = platformSecretSealer(platformKeySourceFrom({ GOVGRAPH_PLATFORM_KEY_FILE: file }, dataDir));
    expect(sealer.currentKeyId).toBe(platformKeyId(b));
    const underA = await platformSecretSealer(platformKeySourceFrom({ GOVGRAPH_PLATFORM_KEY: a.toString('base64') }, dataDir)).encrypt('x', 'b');
    expect((await sealer.decrypt(underA, 'b')).toString()).toBe('x');
  });

  it('rotating a key file: new envelopes under the new key, old ones still decrypt', async () => {
    const source = platformKeySourceFrom({}, dataDir);
    const before = platformSecretSealer(source);
    const envelope = await before.encrypt('x', 'b');
    const rotated = rotatePlatformKeyFile(defaultPlatformKeyFile(dataDir));
    expect(rotated.previousKeyIds).toEqual([before.currentKeyId]);
    const after = platformSecretSealer(source);
    expect(after.currentKeyId).toBe(rotated.currentKeyId);
    expect(envelopeKeyId(await after.encrypt('y', 'b'))).toBe(rotated.currentKeyId);
    expect((await after.decrypt(envelope, 'b')).toString()).toBe('x');
    expect(modeOf(defaultPlatformKeyFile(dataDir))).toBe(0o600);
    expect(readFileSync(defaultPlatformKeyFile(dataDir), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(2);
  });

  it('hands a child process the same key source, overriding a stray key in its environment', () => {
    const source = platformKeySourceFrom({}, dataDir);
    const childEnv = { GOVGRAPH_PLATFORM_KEY: randomBytes(32).toString('base64'), ...platformKeyEnvironment(source) };
    expect(platformKeySourceFrom(childEnv, dataDir)).toEqual({ ...source, createIfMissing: false });
  });
});
