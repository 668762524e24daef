/**
 * Changes pushed between two platforms over the same SQLite files in one process (issue 15: the
 * in-process change feed, storage/changeFeed.ts). Before, a second replica held a revoked token's
 * identity for up to 1 s and an old policy snapshot until its next one-second poll; now both
 * follow the change before its answer is back. (On PostgreSQL the same is measured across
 * processes by test/replicasBehindNginx.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { startPlatform, type RunningPlatform } from '../platform/startPlatform.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe('changes pushed to a second platform in the same process (sqlite)', () => {
  let platform: TestPlatform;
  let replica: RunningPlatform;
  // The second platform's own DATA_DIR (one all-in-one instance per DATA_DIR: its lock), over the
  // first's store, given the first's platform key as every replica is.
  const replicaDir = mkdtempSync(join(tmpdir(), 'govgraph-replica-'));
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    replica = await startPlatform({ ...loadConfig({ DATA_DIR: replicaDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'inprocess', GOVGRAPH_PLATFORM_KEY_FILE: join(platform.storage.dataDir, 'keys', 'platform.key') }), storage: platform.storage.config }, { log: () => {} });
  }, 120_000);
  afterAll(async () => {
    await replica?.close();
    await platform?.stop();
    rmSync(replicaDir, { recursive: true, force: true });
  });

  const onReplica = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(replica.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: await res.json() as any };
  };

  it('a token revoked through the first is refused by the second at once, though it was in its identity cache', async () => {
    const created = await platform.admin('mutation { createApp(department: "mca", name: "撤销传播") { id token } }');
    expect(created.body.errors).toBeUndefined();
    const { id, token } = created.body.data.createApp;
    const id0 = platform.credentials.samples.persons[0];
    const q = 'query($id: ID!) { person(idNumber: $id) { name } }';
    // Positive control, which also puts the identity in the replica's cache.
    expect((await onReplica(token, q, { id: id0 })).body.data.person.name).toBeTruthy();
    const revoked = await platform.admin('mutation($id: ID!) { revokeCredential(id: $id) }', { id });
    expect(revoked.body.data.revokeCredential).toBe(true);
    // No wait: before the feed, this answered 200 for up to IDENTITY_CACHE_MS.
    expect((await onReplica(token, q, { id: id0 })).status).toBe(401);
  });

  it('policy versions made through the first are the second\'s snapshot within moments, not at its next one-second poll', async () => {
    const set = await platform.admin(`mutation { setFieldPolicy(coordinate: "Person.ethnicity", override: true, reason: "推送测试",
      policy: { sharingClass: NOT_SHARED, basis: "《个人信息保护法》第二十八条" }) { version } }`);
    expect(set.body.errors).toBeUndefined();
    const denied = set.body.data.setFieldPolicy.version as number;
    const ethnicity = async () => (await onReplica(platform.appToken('mca'), 'query($id: ID!) { person(idNumber: $id) { ethnicity } }', { id: platform.credentials.samples.persons[0] })).body;
    await expect.poll(ethnicity, { timeout: 3000, interval: 20 }).toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })] });
    // Five flips, each in force on the replica within 400 ms: a replica polling every second
    // would be on time for all five about once in a hundred runs.
    for (let round = 0; round < 5; round++) {
      const to = round % 2 === 0 ? denied - 1 : denied;
      const made = await platform.admin('mutation($v: Int!) { rollbackPolicy(toVersion: $v, reason: "推送测试") { version } }', { v: to });
      expect(made.body.errors).toBeUndefined();
      const latest = made.body.data.rollbackPolicy.version as number;
      await expect.poll(() => replica.policy.current.version, { timeout: 400, interval: 5 }).toBe(latest);
      const body = await ethnicity();
      if (to === denied) expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      else expect(body.data.person.ethnicity).toBeTruthy();
    }
  });
});
