/**
 * A subgraph started for its own tests, with the real protection on: a fresh gateway key
 * pair (and the subgraph's context MAC key derived from it, as the platform does), a policy
 * snapshot built from the subgraph's SDL defaults, and a context signed for this subgraph as
 * the caller the test names (by default the providing department, which reads all its own
 * fields), MACed over each request's body.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { StorageConfig } from '../../storage/database.ts';
import { localSecretSealer } from '../../lib/secretSealer.ts';
import type { DemoWorld } from '../../demo/world.ts';
import type { DocumentSealer } from '../../lib/electronicSeal.ts';
import { SHARING_CONTEXT_HEADER, signSharingContext, type SharingContextClaims } from '../../lib/sharingContext.ts';
import { contextMac, deriveSubgraphMacKey, SHARING_CONTEXT_MAC_HEADER } from '../../lib/contextMac.ts';
import { fieldsUnderPolicy } from '../../policies/fieldsUnderPolicy.ts';
import { PolicySnapshot, effectiveFieldPolicies } from '../../policies/snapshot.ts';
import { DEMO_DEPARTMENTS, DEMO_PURPOSES } from '../../demo/departments.ts';
import type { Grant } from '../../policies/model.ts';
import type { SubgraphDefinition } from './definition.ts';
import { startSubgraphServer, type RunningSubgraph } from './server.ts';

export interface TestSubgraph extends RunningSubgraph {
  /**
   * Headers carrying a valid signed context for `caller` (default: the provider itself) and,
   * given the exact body to send, its MAC (required at `/graphql`; `/freshness` takes none).
   */
  contextHeaders(caller?: Partial<Pick<SharingContextClaims, 'consumer' | 'purpose' | 'caseId'>>, body?: string): Promise<Record<string, string>>;
  /** POSTs GraphQL with a signed context. */
  query(query: string, variables?: Record<string, unknown>, caller?: Partial<Pick<SharingContextClaims, 'consumer' | 'purpose' | 'caseId'>>): Promise<{ status: number; body: any }>;
  /** SQL statements the subgraph has run so far (govgraph_db_statements_total): what batching is measured by. */
  statements(): Promise<number>;
}

/**
 * The test file's subgraph, over a fresh SQLite directory: started before the file's tests,
 * stopped and its directory removed after them. Call the returned function inside tests.
 */
export function useSubgraphForTest(
  definition: SubgraphDefinition,
  options: { world?: DemoWorld; grants?: readonly Grant[]; log?: (message: string) => void; seals?: () => DocumentSealer } = {},
): () => TestSubgraph {
  let dataDir: string | undefined;
  let running: TestSubgraph | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `govgraph-${definition.name}-`));
    const { seals, ...rest } = options;
    running = await startSubgraphForTest(definition, { storage: { kind: 'sqlite', dataDir }, ...rest, ...(seals ? { seals: seals() } : {}) });
  });
  afterAll(async () => {
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return () => {
    if (!running) throw new Error(`the ${definition.name} subgraph is used outside a test (it starts in beforeAll)`);
    return running;
  };
}

export async function startSubgraphForTest(
  definition: SubgraphDefinition,
  options: { storage: StorageConfig; world?: DemoWorld; grants?: readonly Grant[]; log?: (message: string) => void; seals?: DocumentSealer },
): Promise<TestSubgraph> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const snapshot = new PolicySnapshot({
    version: 1,
    fields: effectiveFieldPolicies(fieldsUnderPolicy([definition]), []),
    grants: options.grants ?? [],
    departments: DEMO_DEPARTMENTS.map((d) => ({ code: d.code, jurisdiction: d.jurisdiction })),
    purposes: DEMO_PURPOSES.map((p) => p.code),
  });
  const macKey = deriveSubgraphMacKey(privateKey, definition.name);
  const running = await startSubgraphServer(definition, {
    storage: options.storage,
    ...(options.world ? { world: options.world } : {}),
    // A fresh platform key, like the fresh gateway key pair: seeds encrypt their secrets (R10).
    secrets: localSecretSealer({ current: randomBytes(32) }),
    ...(options.seals ? { seals: options.seals } : {}),
    security: { mode: 'enforced', publicKey, macKey, snapshots: async () => snapshot },
    log: options.log ?? (() => {}),
  });
  const contextHeaders: TestSubgraph['contextHeaders'] = async (caller = {}, body) => {
    const token = await signSharingContext(privateKey, definition.name, {
      consumer: caller.consumer ?? definition.department,
      app: `${caller.consumer ?? definition.department}-test-app`,
      purpose: caller.purpose ?? 'ADMINISTRATIVE_BASIS',
      caseId: caller.caseId ?? null,
      requestId: 'test',
      policyVersion: 1,
      snapshotUrl: 'http://127.0.0.1:1/unused',
    });
    return { [SHARING_CONTEXT_HEADER]: token, ...(body === undefined ? {} : { [SHARING_CONTEXT_MAC_HEADER]: contextMac(macKey, token, body) }) };
  };
  return Object.assign(running, {
    contextHeaders,
    async query(query: string, variables: Record<string, unknown> = {}, caller = {}) {
      const body = JSON.stringify({ query, variables });
      const res = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await contextHeaders(caller, body)) },
        body,
      });
      return { status: res.status, body: await res.json() };
    },
    async statements() {
      return (await running.metrics.dbStatements.get()).values.reduce((sum, v) => sum + v.value, 0);
    },
  });
}
