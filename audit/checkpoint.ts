/**
 * Signed checkpoints of the audit chain (R10). A hash chain alone shows that records were
 * changed only to someone who did not recompute the hashes after the change; the signed
 * head pins the chain up to a seq with a key the database's writers do not need to hold
 * (an Ed25519 key, separate from the gateway's sharing-context key), so rewriting history
 * up to a checkpoint needs the key too.
 *
 * Each checkpoint also names the previous checkpoint's seq, so removing one from the middle
 * shows. What no in-database mechanism can show is the loss of the newest records together
 * with the checkpoints after them: publish checkpoints elsewhere (`onCheckpoint`) for that.
 */
import { loadOrCreateEd25519KeyPair } from '../lib/keyFiles.ts';
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Checkpoint {
  /** The chain (partition) whose head it signs; 0 on SQLite. Absent means 0. */
  readonly partition?: number;
  readonly seq: number;
  readonly hash: string;
  /** The seq of the checkpoint before this one; 0 for the first. */
  readonly prevCheckpointSeq: number;
  readonly signedAt: string;
  /** Which key signed it: the first 16 hex digits of SHA-256 over the public key (SPKI DER). */
  readonly keyId: string;
  /** Ed25519 signature over `checkpointMessage(...)`, base64. */
  readonly signature: string;
}

export const AUDIT_PUBLIC_KEY_FILE = 'audit-checkpoint.pub.pem';
const AUDIT_PRIVATE_KEY_FILE = 'audit-checkpoint.key.pem';

export interface AuditKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * The bytes a checkpoint signs; the prefix keeps the signature from meaning anything else.
 * Partition 0 keeps the first form (checkpoints signed before partitions still verify);
 * any other partition signs its number too, so a checkpoint cannot be moved to another chain.
 */
export function checkpointMessage(c: Pick<Checkpoint, 'partition' | 'seq' | 'hash' | 'prevCheckpointSeq' | 'signedAt'>): Buffer {
  const partition = c.partition ?? 0;
  if (partition === 0) return Buffer.from(`govgraph-audit-checkpoint/1\n${c.seq}\n${c.hash}\n${c.prevCheckpointSeq}\n${c.signedAt}`, 'utf8');
  return Buffer.from(`govgraph-audit-checkpoint/2\n${partition}\n${c.seq}\n${c.hash}\n${c.prevCheckpointSeq}\n${c.signedAt}`, 'utf8');
}

export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function signCheckpoint(privateKey: KeyObject, head: { partition?: number; seq: number; hash: string; prevCheckpointSeq: number }, signedAt = new Date().toISOString()): Checkpoint {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`the audit checkpoint key must be an Ed25519 private key, received a ${privateKey.type} ${privateKey.asymmetricKeyType ?? ''} key`);
  }
  const unsigned = { ...head, signedAt };
  return {
    ...unsigned,
    keyId: keyId(createPublicKey(privateKey)),
    signature: sign(null, checkpointMessage(unsigned), privateKey).toString('base64'),
  };
}

/**
 * The keys a verifier trusts: one key, or the platform's published set (issue 15: every
 * replica signs with the store's key, and a rotated-out key keeps verifying what it signed).
 */
export type CheckpointKeys = KeyObject | readonly KeyObject[];

/** The trusted key a checkpoint names by its keyId, if any. */
export function checkpointKeyFor(keys: CheckpointKeys, checkpointKeyId: string): KeyObject | undefined {
  return (Array.isArray(keys) ? keys : [keys as KeyObject]).find((k) => keyId(k) === checkpointKeyId);
}

export function checkpointSignatureValid(publicKey: KeyObject, checkpoint: Checkpoint): boolean {
  try {
    return verify(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The audit checkpoint key pair, created once under `<dataDir>/keys` (private key 0600). */
export function loadOrCreateAuditKeys(dataDir: string): AuditKeys {
  return loadOrCreateEd25519KeyPair(dataDir, AUDIT_PRIVATE_KEY_FILE, AUDIT_PUBLIC_KEY_FILE);
}

/** The public half only, for an auditor who verifies without being able to sign. */
export function loadAuditPublicKey(dataDir: string): KeyObject {
  const file = join(dataDir, 'keys', AUDIT_PUBLIC_KEY_FILE);
  if (!existsSync(file)) throw new Error(`the audit checkpoint public key ${file} does not exist: start the gateway once (it creates the key), or copy the key there`);
  return createPublicKey(readFileSync(file));
}
