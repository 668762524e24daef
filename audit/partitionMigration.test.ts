/**
 * A trail written before partitions (migration 001 only, records and checkpoints in the old
 * forms) opens, migrates, counts its records as partition 0, goes on appending and verifies
 * — on SQLite (one partition, dense seqs) and on PostgreSQL (8 partitions).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { openDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { createTestStorage, testDialects, type TestStorage } from '../storage/testing.ts';
import { AUDIT_OWNER, type AuditDatabase } from './auditDatabase.ts';
import { AuditLog } from './auditLog.ts';
import { canonicalContent, GENESIS_HASH, prepareRecord, recordHash } from './auditRecord.ts';
import { auditMigrations } from './migrations.ts';
import { signCheckpoint } from './checkpoint.ts';
import { accessRecord } from './testing.ts';
import { verifyAuditChain } from './verifyChain.ts';

describe.each(testDialects())('an audit trail from before partitions on %s', (dialect) => {
  let storage: TestStorage | null = null;
  afterEach(async () => {
    await storage?.cleanup();
    storage = null;
  });

  it('opens, keeps its records on partition 0, continues the chain and verifies', async () => {
    storage = createTestStorage(dialect);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const old = await openDatabase<AuditDatabase>(storage.config, AUDIT_OWNER);
    await migrateToLatest(old.db, { '001_audit_chain': auditMigrations['001_audit_chain']! }, AUDIT_OWNER, old.schema);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 10; seq++) {
      const { content } = prepareRecord(accessRecord({ requestId: `old-${seq}` }));
      const hash = recordHash(prev, canonicalContent(content, seq));
      await old.db.insertInto('audit_records').values({ seq, ...content, prev_hash: prev, hash } as never).execute();
      prev = hash;
    }
    const cp = signCheckpoint(privateKey, { seq: 10, hash: prev, prevCheckpointSeq: 0 });
    await old.db.insertInto('audit_checkpoints').values({ seq: 10, hash: cp.hash, prev_checkpoint_seq: 0, signed_at: cp.signedAt, key_id: cp.keyId, signature: cp.signature } as never).execute();
    await old.close();

    const log = await AuditLog.open(storage.config, { signingKey: privateKey, leaseCheckMs: 50 });
    try {
      expect(log.partitions).toBe(dialect === 'sqlite' ? 1 : 8);
      const first = await log.append(accessRecord({ requestId: 'new-1' }));
      expect(first.seq).toBe(11);
      const row = await log.db.selectFrom('audit_records').selectAll().where('seq', '=', 11).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ partition: 0, prev_hash: prev });
      expect((await log.db.selectFrom('audit_records').select('partition').where('seq', '<=', 10).execute()).every((r) => r.partition === 0)).toBe(true);
      await log.checkpoint();
      const result = await log.verify();
      expect(result).toMatchObject({ ok: true, records: 11, checkpoints: 2, unsignedTail: 0 });
      // A checkpoint of the old form, checked with the key: a wrong key fails it.
      expect(await verifyAuditChain(log.db, generateKeyPairSync('ed25519').publicKey)).toMatchObject({ ok: false, firstBad: { seq: 10, problem: 'CHECKPOINT_SIGNATURE', partition: 0 } });
      expect(await verifyAuditChain(log.db, publicKey)).toMatchObject({ ok: true });
      // The recorded count stands: another count asked for is refused, naming both.
      await expect(AuditLog.open(storage.config, { signingKey: privateKey, partitions: dialect === 'sqlite' ? 2 : 4 })).rejects.toThrow(dialect === 'sqlite' ? /SQLite has one partition/ : /created with 8 partitions and keeps them; 4 were asked for/);
    } finally {
      await log.close();
    }
  });
});
