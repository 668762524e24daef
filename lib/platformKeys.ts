/**
 * The platform key (R10): one AES-256 key, the same on every replica, under which stored
 * secrets are encrypted (see secretSealer.ts). Where it comes from:
 *
 * - `GOVGRAPH_PLATFORM_KEY`: base64 of 32 bytes (an orchestrator's secret store);
 * - `GOVGRAPH_PLATFORM_KEY_FILE`: a key file (below), which must exist;
 * - neither: `<DATA_DIR>/keys/platform.key`, created on first start (0600).
 *
 * A key file holds one key per line (base64 of 32 bytes; `#` comments and blank lines are
 * skipped): the first line is the current key, further lines previous keys that still
 * decrypt. `GOVGRAPH_PLATFORM_KEY_PREVIOUS` (comma-separated) adds previous keys to either.
 *
 * Rotation without a moment where some replica cannot read a secret: (1) give every replica
 * the new key as a previous key and restart them; (2) make it current (previous: the old one)
 * and restart; each start re-encrypts what is still under the old key, or run
 * `govgraph keys reencrypt`; (3) drop the old key. With the default key file,
 * `govgraph keys rotate` does (2) and the re-encryption in one step, for a single machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createPrivateFileOnce, ensurePrivateDir, restrictFile, writePrivateFile } from './privateFiles.ts';
import { localSecretSealer, PLATFORM_KEY_BYTES, platformKeyId, type SecretSealer } from './secretSealer.ts';

export type PlatformKeySource =
  | {
      readonly kind: 'environment';
      /** base64 of the current key. */
      readonly current: string;
      /** base64 of keys that still decrypt. */
      readonly previous: readonly string[];
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      /** Whether a missing file is created with a new key (the default file under DATA_DIR only). */
      readonly createIfMissing: boolean;
      readonly previous: readonly string[];
    };

/** The key file `npm start` creates when no key is given. */
export function defaultPlatformKeyFile(dataDir: string): string {
  return join(dataDir, 'keys', 'platform.key');
}

/** Reads the key source from the environment (called by loadConfig only); key material is validated here. */
export function platformKeySourceFrom(env: NodeJS.ProcessEnv, dataDir: string): PlatformKeySource {
  const previous = (env.GOVGRAPH_PLATFORM_KEY_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  previous.forEach((key, i) => decodeKey(key, `GOVGRAPH_PLATFORM_KEY_PREVIOUS (key ${i + 1})`));
  const inline = env.GOVGRAPH_PLATFORM_KEY?.trim();
  const file = env.GOVGRAPH_PLATFORM_KEY_FILE?.trim();
  if (inline && file) {
    throw new Error('set GOVGRAPH_PLATFORM_KEY or GOVGRAPH_PLATFORM_KEY_FILE, not both: they would name two different current keys');
  }
  if (inline) {
    decodeKey(inline, 'GOVGRAPH_PLATFORM_KEY');
    return { kind: 'environment', current: inline, previous };
  }
  if (file) return { kind: 'file', path: file, createIfMissing: false, previous };
  return { kind: 'file', path: defaultPlatformKeyFile(dataDir), createIfMissing: true, previous };
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64');
  if (key.length !== PLATFORM_KEY_BYTES || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new Error(`${where} must be base64 of ${PLATFORM_KEY_BYTES} random bytes (e.g. \`openssl rand -base64 32\`), received ${text.length} characters decoding to ${key.length} bytes`);
  }
  return key;
}

/** base64 of a new random key, as a key file line or GOVGRAPH_PLATFORM_KEY takes it. */
export function newPlatformKey(): string {
  return randomBytes(PLATFORM_KEY_BYTES).toString('base64');
}

function keyFileLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function keyFileText(keys: readonly string[]): string {
  return `# govgraph platform keys: the first is current, the others still decrypt. Keep this file 0600 and identical on every replica.\n${keys.join('\n')}\n`;
}

/** The keys a source names, current first (base64); creates the default key file if it is missing. */
export function platformKeys(source: PlatformKeySource): { current: Buffer; previous: Buffer[] } {
  let keys: string[];
  if (source.kind === 'environment') keys = [source.current];
  else {
    if (!existsSync(source.path)) {
      if (!source.createIfMissing) throw new Error(`GOVGRAPH_PLATFORM_KEY_FILE names ${source.path}, which does not exist; create it with one line: base64 of 32 random bytes (\`openssl rand -base64 32\`)`);
      ensurePrivateDir(dirname(dirname(source.path)));
      ensurePrivateDir(dirname(source.path));
      createPrivateFileOnce(source.path, keyFileText([newPlatformKey()]));
    } else if (source.createIfMissing) restrictFile(source.path);
    keys = keyFileLines(source.path);
    if (keys.length === 0) throw new Error(`the platform key file ${source.path} holds no key; its first line must be base64 of 32 random bytes`);
  }
  const where = source.kind === 'environment' ? 'GOVGRAPH_PLATFORM_KEY' : source.path;
  const [current, ...previous] = [...keys, ...source.previous].map((k, i) => decodeKey(k, i === 0 ? where : `previous key ${i}`));
  return { current: current!, previous };
}

/** The sealer for a key source: AES-256-GCM under its keys. */
export function platformSecretSealer(source: PlatformKeySource): SecretSealer {
  return localSecretSealer(platformKeys(source));
}

/**
 * The environment a child process (a subgraph started by the platform) needs to use the same
 * keys: the parent's configuration may not come from its own environment (tests pass one).
 * The default key file exists by then (the parent created it), so the child only reads it.
 */
export function platformKeyEnvironment(source: PlatformKeySource): Record<string, string> {
  // Every variable is set, empty when unused: the child's own environment is inherited
  // underneath, and a stray GOVGRAPH_PLATFORM_KEY there must not name another key.
  return {
    GOVGRAPH_PLATFORM_KEY: source.kind === 'environment' ? source.current : '',
    GOVGRAPH_PLATFORM_KEY_FILE: source.kind === 'file' ? source.path : '',
    GOVGRAPH_PLATFORM_KEY_PREVIOUS: source.previous.join(','),
  };
}

/**
 * Puts a new current key at the head of a key file; the old keys stay as previous keys.
 * Returns the new key's id and the ids that still decrypt.
 */
export function rotatePlatformKeyFile(path: string): { currentKeyId: string; previousKeyIds: string[] } {
  const keys = existsSync(path) ? keyFileLines(path) : [];
  const fresh = newPlatformKey();
  writePrivateFile(path, keyFileText([fresh, ...keys]));
  return {
    currentKeyId: platformKeyId(Buffer.from(fresh, 'base64')),
    previousKeyIds: keys.map((k) => platformKeyId(decodeKey(k, path))),
  };
}
