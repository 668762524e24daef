/**
 * Ed25519 key pairs kept as PEM files under `<dataDir>/keys`: created once (private key
 * 0600, folder 0700), read on every start. Used for the gateway's sharing-context key and the
 * audit trail's checkpoint key.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface Ed25519KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function loadOrCreateEd25519KeyPair(dataDir: string, privateFile: string, publicFile: string): Ed25519KeyPair {
  const dir = join(dataDir, 'keys');
  const privatePath = join(dir, privateFile);
  if (!existsSync(privatePath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(privatePath, 0o600);
    writeFileSync(join(dir, publicFile), publicKey.export({ type: 'spki', format: 'pem' }));
  }
  const privateKey = createPrivateKey(readFileSync(privatePath));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
