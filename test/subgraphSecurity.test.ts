/**
 * Subgraphs answer only the gateway: a request without a valid, unexpired context signed
 * with the gateway's key gets 401 and no data. Positive control: the same request with a
 * context signed by the gateway's key is answered.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { loadOrCreateSigningKeys, SHARING_CONTEXT_HEADER, signSharingContext, type SharingContextClaims } from '../lib/sharingContext.ts';
import { contextMac, deriveSubgraphMacKey, SHARING_CONTEXT_MAC_HEADER } from '../lib/contextMac.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe('direct calls to a subgraph', () => {
  let platform: TestPlatform;
  let claims: SharingContextClaims;
  let query: string;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    claims = {
      consumer: 'psb', app: 'direct-test', purpose: 'ADMINISTRATIVE_BASIS', caseId: null, requestId: 'direct',
      policyVersion: platform.policy.current.version,
      snapshotUrl: platform.gateway.url.replace(/\/graphql$/, '/internal/policy-snapshot'),
    };
    query = JSON.stringify({ query: `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name biometricTemplate } }` });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const call = async (headers: Record<string, string>) => {
    const res = await fetch(platform.credentials.subgraphs.population!, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query });
    return { status: res.status, body: await res.json() as any };
  };

  it('answers a context signed by the gateway (positive control)', async () => {
    const key = loadOrCreateSigningKeys(platform.storage.dataDir).privateKey;
    const token = await signSharingContext(key, 'population', claims);
    const { status, body } = await call({ [SHARING_CONTEXT_HEADER]: token, [SHARING_CONTEXT_MAC_HEADER]: contextMac(deriveSubgraphMacKey(key, 'population'), token, query) });
    expect(status).toBe(200);
    expect(body.data.person.name).toBeTruthy();
  });

  it('refuses a request without a context', async () => {
    const { status, body } = await call({});
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(/x-govgraph-context/);
  });

  it('refuses a context signed with another key', async () => {
    const forged = await signSharingContext(generateKeyPairSync('ed25519').privateKey, 'population', claims);
    const { status, body } = await call({ [SHARING_CONTEXT_HEADER]: forged });
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
  });

  it('refuses an unsigned (alg: none) context', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: 'govgraph-gateway', aud: 'govgraph-subgraph', iat: now, exp: now + 60 })}.`;
    const { status, body } = await call({ [SHARING_CONTEXT_HEADER]: unsigned });
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
  });

  it('refuses an expired context and one meant for another audience', async () => {
    const key = loadOrCreateSigningKeys(platform.storage.dataDir).privateKey;
    // The platform's key, named by its kid (what every gateway context carries since keys moved to the store).
    const kid = platform.signingKeys.context().kid;
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'EdDSA', kid }).setIssuer('govgraph-gateway').setAudience('govgraph-subgraph')
      .setIssuedAt(now - 120).setExpirationTime(now - 60).sign(key);
    const a = await call({ [SHARING_CONTEXT_HEADER]: expired });
    expect(a.status).toBe(401);
    expect(a.body.errors[0].message).toMatch(/expired/);
    const otherAudience = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'EdDSA', kid }).setIssuer('govgraph-gateway').setAudience('somebody-else')
      .setIssuedAt().setExpirationTime('60s').sign(key);
    expect((await call({ [SHARING_CONTEXT_HEADER]: otherAudience })).status).toBe(401);
  });

  it('refuses the policy snapshot to anyone without a gateway-signed context', async () => {
    const url = `${claims.snapshotUrl}?version=${claims.policyVersion}`;
    expect((await fetch(url)).status).toBe(401);
    const forged = await signSharingContext(generateKeyPairSync('ed25519').privateKey, 'population', claims);
    expect((await fetch(url, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const token = await signSharingContext(loadOrCreateSigningKeys(platform.storage.dataDir).privateKey, 'population', claims);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).version).toBe(claims.policyVersion);
  });
});
