/**
 * Issue 15: gateway replicas share one platform store and its signing keys.
 *
 * - a replica (`startGatewayReplica`, what `govgraph gateway` runs) starts with no subgraph,
 *   seeds nothing and re-publishes nothing; its contexts are accepted by the same subgraph
 *   processes the all-in-one started, which trust the platform's published key set (JWKS);
 * - a rotated context key is picked up by the subgraphs (unknown kid: the key set is fetched
 *   again); a key or kid the platform never published is refused, beside the positive control;
 * - the audit checkpoint key rotates too: `audit verify` passes over checkpoints of the old and
 *   the new key, and fails when given the old key alone;
 * - a second all-in-one start on the DATA_DIR in use is refused, naming the running one;
 * - a subgraph child killed with SIGKILL is restarted on its address and reads recover.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { loadConfig, type PlatformConfig } from '../platform/config.ts';
import { startGatewayReplica, startPlatform, type RunningPlatform, type RunningReplica } from '../platform/startPlatform.ts';
import { publishedCheckpointKeys, runSigningKeysCommand } from '../platform/keysCommand.ts';
import { runAuditCommand } from '../audit/cli.ts';
import { AUDIT_PUBLIC_KEY_FILE } from '../audit/checkpoint.ts';
import { SHARING_CONTEXT_HEADER, signSharingContext, type SharingContextClaims } from '../lib/sharingContext.ts';
import { contextMac, SHARING_CONTEXT_MAC_HEADER } from '../lib/contextMac.ts';
import { publishedKeyId } from '../lib/publishedKeySet.ts';
import { PUBLISH_LEAD_MS } from '../control/keys/gatewayKeys.ts';
import { createTestStorage, testDialects, type TestStorage } from '../storage/testing.ts';
import { join } from 'node:path';

const PERSON_QUERY = 'query($id: ID!) { person(idNumber: $id) { name householdAddress } }';

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe.each(testDialects())('gateway replicas on one store (%s)', (dialect) => {
  let storage: TestStorage;
  let config: PlatformConfig;
  let platform: RunningPlatform;
  let replica: RunningReplica;
  const lines: string[] = [];
  let mcaToken: string;
  let person: string;

  const read = async (gatewayUrl: string) => post(gatewayUrl, { query: PERSON_QUERY, variables: { id: person } }, { authorization: `Bearer ${mcaToken}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' });
  const versions = async () => Number((await platform.store.db.selectFrom('supergraph_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    storage = createTestStorage(dialect);
    config = { ...loadConfig({ DATA_DIR: storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'process' }), storage: storage.config };
    platform = await startPlatform(config, { log: (line) => lines.push(line) });
    mcaToken = platform.credentials.departments.find((d) => d.code === 'mca')!.apps[0]!.token;
    person = platform.credentials.samples.persons[0]!;
  }, 400_000);
  afterAll(async () => {
    await replica?.close();
    await platform?.close();
    await storage?.cleanup();
  });

  it('a second all-in-one start on the DATA_DIR in use is refused, naming the running instance', async () => {
    await expect(startPlatform(config, { log: () => {} })).rejects.toThrow(new RegExp(`in use by govgraph pid ${process.pid} .*gateway ${platform.gateway.url.replaceAll('.', '\\.')}`));
    // Refused before touching anything: the first instance still answers.
    expect((await read(platform.gateway.url)).body.data.person.name).toBeTruthy();
  });

  it('a replica starts without re-publishing, and the same subgraph processes accept both replicas\' contexts', async () => {
    const before = await versions();
    replica = await startGatewayReplica({ ...config, port: 0 }, { log: () => {} });
    console.log(`[measure] ${dialect}: gateway replica started in ${replica.startMs} ms`);
    expect(await versions(), 'a replica\'s start registers nothing').toBe(before);
    expect(replica.signingKeys.context().kid).toBe(platform.signingKeys.context().kid);
    for (const url of [platform.gateway.url, replica.gateway.url]) {
      const { status, body } = await read(url);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.person.householdAddress).toBeTruthy();
    }
    // Both publish the same key set, read from the store.
    const jwks = await Promise.all([platform.gateway.url, replica.gateway.url].map(async (u) => (await fetch(new URL('/.well-known/jwks.json', u))).json()));
    expect(jwks[0]).toEqual(jwks[1]);
    expect(jwks[0].keys.map((k: { kid: string }) => k.kid)).toContain(platform.signingKeys.context().kid);
    expect(JSON.stringify(jwks[0])).not.toMatch(/"d"/);
  });

  it('a rotated context key signs on every replica and the subgraphs accept it (unknown kid: key set fetched again)', async () => {
    const old = platform.signingKeys.context().kid;
    const { rotated } = await runSigningKeysCommand('rotate-signing', ['context'], config);
    const fresh = rotated![0]!.kid;
    expect(fresh).not.toBe(old);
    // What the replicas' 5-second poll does, once the new key has been published for the lead time.
    await replica.signingKeys.refresh();
    expect(replica.signingKeys.context().kid, 'not signing with a key published a moment ago').toBe(old);
    await new Promise((r) => setTimeout(r, PUBLISH_LEAD_MS + 100));
    await replica.signingKeys.refresh();
    await platform.signingKeys.refresh();
    expect(replica.signingKeys.context().kid).toBe(fresh);
    for (const url of [replica.gateway.url, platform.gateway.url]) {
      const { body } = await read(url);
      expect(body.errors).toBeUndefined();
      expect(body.data.person.householdAddress).toBeTruthy();
    }
    const kids = ((await (await fetch(new URL('/.well-known/jwks.json', replica.gateway.url))).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([old, fresh]));
  });

  it('a key or kid the platform never published is refused by the subgraph process; the platform\'s key is accepted', async () => {
    const population = platform.subgraphs.find((s) => s.name === 'population')!.url;
    const { macKey } = await runSigningKeysCommand('subgraph-mac', ['population'], config);
    const mac = Buffer.from(macKey!, 'base64');
    const body = JSON.stringify({ query: 'query($id: ID!) { _entities(representations: [{ __typename: "Person", idNumber: $id }]) { ... on Person { name } } }', variables: { id: person } });
    const claims: SharingContextClaims = {
      consumer: 'mca', app: 'attacker', purpose: 'ADMINISTRATIVE_BASIS', caseId: null, requestId: 'r-1', policyVersion: platform.policy.current.version,
      snapshotUrl: `${new URL(platform.gateway.url).origin}/internal/policy-snapshot`,
    };
    const send = async (token: string) => {
      const res = await fetch(population, { method: 'POST', headers: { 'content-type': 'application/json', [SHARING_CONTEXT_HEADER]: token, [SHARING_CONTEXT_MAC_HEADER]: contextMac(mac, token, body) }, body });
      return { status: res.status, body: await res.json() as any };
    };
    // Positive control: the platform's active key, through the same path.
    const good = await send(await signSharingContext(platform.signingKeys.context(), 'population', claims));
    expect(good.status).toBe(200);
    expect(good.body.data._entities[0].name).toBeTruthy();
    // An attacker's own key under its own kid: not published.
    const attacker = generateKeyPairSync('ed25519').privateKey;
    const own = await send(await signSharingContext(attacker, 'population', claims));
    expect(own.status).toBe(401);
    expect(own.body.errors[0].message).toMatch(/not published/);
    expect(own.body.data ?? null).toBeNull();
    // The attacker's key under the platform's kid: the signature does not hold.
    const borrowed = await send(await signSharingContext({ kid: platform.signingKeys.context().kid, privateKey: attacker }, 'population', claims));
    expect(borrowed.status).toBe(401);
    expect(borrowed.body.errors[0].message).toMatch(/signature/);
    // A kid that is a key id of no published key, and a header with an embedded key: refused.
    const forged = await new SignJWT({ ...claims, scope: 'data' }).setProtectedHeader({ alg: 'EdDSA', kid: publishedKeyId(generateKeyPairSync('ed25519').publicKey), jwk: attacker.export({ format: 'jwk' }) as never })
      .setIssuer('govgraph-gateway').setAudience('population').setIssuedAt().setExpirationTime('30s').sign(attacker);
    expect((await send(forged)).status).toBe(401);
  });

  it('a rotated checkpoint key: audit verify passes over both keys\' checkpoints, and fails with the old key alone', { timeout: 120_000 }, async () => {
    const oldKid = platform.signingKeys.auditCheckpoint.kid;
    const { rotated } = await runSigningKeysCommand('rotate-signing', ['audit-checkpoint'], config);
    // A replica started now signs checkpoints with the new key; its close writes one.
    const third = await startGatewayReplica({ ...config, port: 0 }, { log: () => {} });
    expect(third.signingKeys.auditCheckpoint.kid).toBe(rotated![0]!.kid);
    expect((await read(third.gateway.url)).body.data.person.name).toBeTruthy();
    await third.close();
    // The first replica's records after that, and its own checkpoint with the old key.
    expect((await read(replica.gateway.url)).body.data.person.name).toBeTruthy();
    await replica.close();
    replica = undefined as never;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const published = await publishedCheckpointKeys(config.storage);
    expect(published.length).toBe(2);
    const ok = await runAuditCommand(['verify'], { dataDir: config.dataDir, storage: config.storage, checkpointKeys: () => publishedCheckpointKeys(config.storage) }, io);
    console.log(`[measure] ${dialect}: audit verify over two replicas' checkpoints and two keys: ${out.join(' ')}`);
    expect(ok, out.join('\n')).toBe(0);
    // The first key file is the old key (the all-in-one's first key): alone it cannot verify the new key's checkpoint.
    const onlyOld: string[] = [];
    const failed = await runAuditCommand(['verify', '--public-key', join(config.dataDir, 'keys', AUDIT_PUBLIC_KEY_FILE)], { dataDir: config.dataDir, storage: config.storage }, { out: (l) => onlyOld.push(l), err: (l) => onlyOld.push(l) });
    expect(failed).toBe(1);
    expect(onlyOld.join('\n')).toMatch(/CHECKPOINT_SIGNATURE/);
    expect(oldKid).not.toBe(rotated![0]!.kid);
  });

  it('a subgraph child killed with SIGKILL is restarted on its address, logged, and reads recover', { timeout: 150_000 }, async () => {
    const before = platform.subgraphProcesses().population!;
    expect(before.pid).toBeGreaterThan(0);
    process.kill(before.pid!, 'SIGKILL');
    const deadline = Date.now() + 90_000;
    let recovered = false;
    while (Date.now() < deadline) {
      const now = platform.subgraphProcesses().population!;
      if (now.restarts >= 1) {
        const { body } = await read(platform.gateway.url);
        if (body.data?.person?.name && !body.errors) {
          recovered = true;
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(recovered, lines.filter((l) => l.includes('population')).join('\n')).toBe(true);
    expect(platform.subgraphProcesses().population!.pid).not.toBe(before.pid);
    expect(lines.some((l) => /subgraph population exited \(signal SIGKILL\); restarting in \d+ ms \(attempt 1\)/.test(l))).toBe(true);
    expect(lines.some((l) => /subgraph population restarted/.test(l))).toBe(true);
  });
});
