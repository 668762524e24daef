/** Audit logs for tests: a fresh private database per call (SQLite file or PostgreSQL schema) and a fresh key. */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createTestStorage, type TestDialect, type TestStorage } from '../storage/testing.ts';
import { AuditLog, type AuditLogOptions } from './auditLog.ts';
import type { AccessRecordInput } from './auditRecord.ts';

export interface TestAuditLog {
  readonly log: AuditLog;
  readonly storage: TestStorage;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Closes the log (if still open) and opens it again on the same database. */
  reopen(options?: Partial<AuditLogOptions>): Promise<AuditLog>;
  cleanup(): Promise<void>;
}

export async function openTestAuditLog(dialect: TestDialect, options: Partial<AuditLogOptions> = {}): Promise<TestAuditLog> {
  const storage = createTestStorage(dialect);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const open = (extra: Partial<AuditLogOptions> = {}) => AuditLog.open(storage.config, { signingKey: privateKey, ...options, ...extra });
  const logs: AuditLog[] = [await open()];
  return {
    get log() {
      return logs[logs.length - 1]!;
    },
    storage,
    privateKey,
    publicKey,
    async reopen(extra) {
      await logs[logs.length - 1]!.close();
      logs.push(await open(extra));
      return logs[logs.length - 1]!;
    },
    async cleanup() {
      for (const log of logs) await log.close();
      await storage.cleanup();
    },
  };
}

let counter = 0;

/** An access record like the gateway's, with overrides. */
export function accessRecord(overrides: Partial<AccessRecordInput> = {}): AccessRecordInput {
  const i = counter++;
  return {
    kind: 'ACCESS',
    requestId: `req-${i}`,
    department: 'mca',
    app: 'cred-mca-app',
    purpose: 'ADMINISTRATIVE_BASIS',
    caseId: null,
    operationName: 'PersonFile',
    operationHash: 'f'.repeat(64),
    requested: ['Person.name', 'Person.householdAddress'],
    denied: [],
    keys: [{ kind: 'idNumber', value: `11010119900101${String(i % 10000).padStart(4, '0')}` }],
    grantsUsed: [],
    subgraphs: ['population'],
    status: 200,
    latencyMs: 5,
    ...overrides,
  };
}
