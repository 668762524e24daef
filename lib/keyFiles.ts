/**
 * Ed25519 key pairs kept as PEM files under `<dataDir>/keys`: created once, read on every
 * start. Used for the gateway's sharing-context key and the audit trail's checkpoint key.
 * Both files are 0600 and the folders 0700 (R10), whatever the umask: the public half is not
 * secret, but nothing under DATA_DIR is left for other users to read or to find.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createPrivateFileOnce, ensurePrivateDir, restrictFile, writePrivateFile } from './privateFiles.ts';

export interface Ed25519KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function loadOrCreateEd25519KeyPair(dataDir: string, privateFile: string, publicFile: string): Ed25519KeyPair {
  ensurePrivateDir(dataDir);
  const dir = ensurePrivateDir(join(dataDir, 'keys'));
  const privatePath = join(dir, privateFile);
  const publicPath = join(dir, publicFile);
  if (!existsSync(privatePath)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    // Two processes starting at once: one key wins, and both go on with it.
    createPrivateFileOnce(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  // A key file an older version wrote 0644 is tightened.
  restrictFile(privatePath);
  const privateKey = createPrivateKey(readFileSync(privatePath));
  const publicKey = createPublicKey(privateKey);
  if (!existsSync(publicPath)) writePrivateFile(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  restrictFile(publicPath);
  return { privateKey, publicKey };
}
