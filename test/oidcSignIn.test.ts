/**
 * Signing in through the province's identity service (issue 14), end to end over real HTTP
 * against a real OpenID provider (oidc-provider 9, test/fixtures/oidcProvider.ts): the platform
 * sends the browser there with PKCE, exchanges the code, verifies the ID token with jose against
 * the provider's JWKS, maps the claims to a department and roles, creates and links the person,
 * and opens a session the management API answers. Refusals (unknown department, no role, a
 * callback this browser did not start) are paired with a sign-in that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { DEFAULT_CLAIMS_MAPPING, DEFAULT_SIGN_IN_SETTINGS } from '../control/signIn/signInSettings.ts';
import { browse, CookieJar, openTestOpenIdProvider, type TestOpenIdProvider } from './fixtures/oidcProvider.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.each(testDialects())('OpenID Connect sign-in against oidc-provider (%s)', (dialect) => {
  let idp: TestOpenIdProvider;
  let platform: TestPlatform;
  let origin: string;

  beforeAll(async () => {
    idp = await openTestOpenIdProvider();
    platform = await startTestPlatform(dialect, {
      signIn: {
        ...DEFAULT_SIGN_IN_SETTINGS,
        oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, scopes: 'openid profile govgraph', label: '统一身份认证登录', claims: DEFAULT_CLAIMS_MAPPING, newPeople: 'create' },
      },
    });
    origin = new URL(platform.credentials.gateway).origin;
    idp.start(`${origin}/auth/oidc/callback`);
    idp.accounts.set('alice', { name: '孙丽', department: 'psb', roles: ['drafter', 'approver'] });
    idp.accounts.set('bob', { name: '周强', department: 'no-such-department', roles: ['drafter'] });
    idp.accounts.set('carol', { name: '吴敏', department: 'psb', roles: ['auditor'] });
    idp.accounts.set('dave', { name: '郑伟', department: 'dgo', roles: ['ADMINISTRATOR'] });
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
    await idp?.close();
  });

  async function signIn(account: string) {
    idp.signInAs = account;
    const jar = new CookieJar();
    const result = await browse(`${origin}/auth/oidc/start`, jar);
    return { jar, ...result };
  }

  async function me(jar: CookieJar) {
    const state = await fetch(`${origin}/auth/session`, { headers: { cookie: jar.header() } });
    const { csrfToken } = await state.json() as { csrfToken: string };
    const res = await fetch(`${origin}/admin/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: jar.header(), 'x-csrf-token': csrfToken },
      body: JSON.stringify({ query: '{ me { credentialId kind department name } }' }),
    });
    return { status: res.status, body: await res.json() as any };
  }

  const adminRecords = async (action: string) => {
    const { body } = await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }) { records { json } } }');
    return (body.data.auditRecords.records as { json: string }[]).map((r) => JSON.parse(r.json)).filter((r) => r.action === action);
  };

  it('offers the identity service on the console\'s sign-in', async () => {
    expect(await (await fetch(`${origin}/auth/methods`)).json()).toEqual({ local: true, oidc: { label: '统一身份认证登录', start: '/auth/oidc/start' } });
  });

  it('signs a person of psb in with code and PKCE; the person is created, linked, and answered for by the management API', async () => {
    const { jar, url, visited, response } = await signIn('alice');
    expect(visited[1]).toMatch(new RegExp(`^${idp.issuer}/auth\\?`));
    const authorize = new URL(visited[1]!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(url).toBe(`${origin}/console`);
    expect(response.status).toBe(200);
    expect(jar.get('govgraph_session')).toBeTruthy();
    const { status, body } = await me(jar);
    expect(status).toBe(200);
    expect(body.data.me).toMatchObject({ kind: 'DEPARTMENT_ADMIN', department: 'psb', name: '孙丽', credentialId: expect.stringMatching(/^session:person-/) });
    const personId = (body.data.me.credentialId as string).slice('session:'.length);
    const person = await platform.store.db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
    expect(JSON.parse(person.roles_json)).toEqual(['DRAFTER', 'APPROVER']);
    const record = (await adminRecords('SIGN_IN')).find((r) => r.credentialId === `session:${personId}`);
    expect(record).toMatchObject({ department: 'psb', target: 'alice', details: { method: 'OIDC', issuer: idp.issuer } });

    // The second sign-in is the same person; the identity service's roles are brought over.
    idp.accounts.set('alice', { name: '孙丽', department: 'psb', roles: ['approver'] });
    const again = await signIn('alice');
    expect((await me(again.jar)).body.data.me.credentialId).toBe(`session:${personId}`);
    const after = await platform.store.db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
    expect(JSON.parse(after.roles_json)).toEqual(['APPROVER']);
    expect((await platform.store.db.selectFrom('people').selectAll().where('name', '=', '孙丽').execute())).toHaveLength(1);
  });

  it('a person of the coordinating office is the platform administrator', async () => {
    const { jar } = await signIn('dave');
    expect((await me(jar)).body.data.me).toMatchObject({ kind: 'PLATFORM_ADMIN', department: 'dgo', name: '郑伟' });
  });

  it('refuses an unknown department and a person with no role, with a page saying why and no session', async () => {
    const bob = await signIn('bob');
    expect(bob.response.status).toBe(403);
    const page = await bob.response.text();
    expect(page).toContain('无法登录');
    expect(page).toContain('no-such-department');
    expect(bob.jar.get('govgraph_session')).toBeUndefined();
    const carol = await signIn('carol');
    expect(carol.response.status).toBe(403);
    expect(await carol.response.text()).toContain('no role');
    expect(carol.jar.get('govgraph_session')).toBeUndefined();
    const failures = await adminRecords('SIGN_IN_FAILED');
    expect(failures.map((r) => r.target)).toEqual(expect.arrayContaining(['bob', 'carol']));
    expect(await platform.store.db.selectFrom('people').selectAll().where('name', 'in', ['周强', '吴敏']).execute()).toEqual([]);
  });

  it('refuses a callback this browser did not start, and a callback used twice', async () => {
    idp.signInAs = 'alice';
    const jar = new CookieJar();
    // Stop at our callback: the provider's answer, with its code and state.
    let url = `${origin}/auth/oidc/start`;
    for (let i = 0; i < 20 && !url.startsWith(`${origin}/auth/oidc/callback`); i++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(res);
      url = new URL(res.headers.get('location')!, url).toString();
    }
    expect(url).toContain('code=');
    // Someone else's browser (no state cookie) given this link: refused.
    const stranger = await browse(url, new CookieJar());
    expect(stranger.response.status).toBe(401);
    expect(await stranger.response.text()).toContain('登录请求已失效');
    // The browser that started it: signed in (positive control) — once.
    const own = await browse(url, jar);
    expect(own.url).toBe(`${origin}/console`);
    expect(jar.get('govgraph_session')).toBeTruthy();
  });
});
