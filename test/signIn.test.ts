/**
 * People sign in to the console (issue 14) over real HTTP, on SQLite and PostgreSQL: the demo's
 * local accounts with password and TOTP, the session cookie and its CSRF token at the
 * management API, the session's identity in the audit trail, idle and absolute timeouts on the
 * injected clock, sign-out, the administrator's password reset, and a deactivated person's
 * session refused on the next request. Bearer tokens work exactly as before beside it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { totpCode } from '../control/signIn/totp.ts';
import type { DemoAccount } from '../platform/demoAccounts.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const MINUTE = 60_000;

interface Session { readonly cookie: string; readonly csrfToken: string; readonly me: { credentialId: string; kind: string; department: string; name: string } }

describe.each(testDialects())('signing in to the console (%s)', (dialect) => {
  let platform: TestPlatform;
  let origin: string;
  let now = new Date('2026-03-02T01:00:00.000Z');
  const advance = (ms: number) => { now = new Date(now.getTime() + ms); };
  const account = (username: string): DemoAccount => platform.demoAccounts.find((a) => a.username === username)!;

  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { clock: () => now });
    origin = new URL(platform.credentials.gateway).origin;
  }, 180_000);
  afterAll(async () => platform?.stop());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function signIn(username: string): Promise<Session> {
    const a = account(username);
    const first = await post('/auth/local/password', { username, password: a.password });
    expect(first.status).toBe(200);
    const { next, challenge } = await first.json() as { next: string; challenge: string };
    expect(next).toBe('TOTP');
    advance(30_000); // a fresh TOTP step: no code is accepted twice
    const second = await post('/auth/local/totp', { challenge, code: await totpCode(a.totpSecret, now) });
    expect(second.status).toBe(200);
    const setCookie = second.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^govgraph_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const body = await second.json() as { next: string; csrfToken: string; me: Session['me'] };
    expect(body.next).toBe('SIGNED_IN');
    return { cookie: setCookie.split(';')[0]!, csrfToken: body.csrfToken, me: body.me };
  }

  const admin = async (session: Session, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = { 'x-csrf-token': session.csrfToken }) => {
    const res = await post('/admin/graphql', { query, variables }, { cookie: session.cookie, ...headers });
    return { status: res.status, body: await res.json() as any };
  };
  const adminRecords = async (action: string) => {
    const { body } = await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }, ) { records { json } } }');
    return (body.data.auditRecords.records as { json: string }[]).map((r) => JSON.parse(r.json)).filter((r) => r.action === action);
  };

  it('seeds one local account per role for psb and the coordinating office, written to data/demo/accounts.json', () => {
    expect(platform.demoAccounts.map((a) => `${a.department}/${a.role}`)).toEqual(['psb/DRAFTER', 'psb/APPROVER', 'psb/ADMINISTRATOR', 'dgo/DRAFTER', 'dgo/APPROVER', 'dgo/ADMINISTRATOR']);
    const file = platform.demoAccountsFile;
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { accounts: DemoAccount[] };
    expect(written.accounts.map((a) => a.username)).toEqual(platform.demoAccounts.map((a) => a.username));
    expect(written.accounts[0]!.totpUri).toMatch(/^otpauth:\/\/totp\/govgraph:psb-drafter\?secret=/);
    // credentials.json keeps its fields.
    expect(Object.keys(platform.credentials)).toEqual(['gateway', 'admin', 'platformAdminToken', 'departments', 'samples', 'subgraphs']);
  });

  it('a drafter of psb signs in with password and TOTP; the management API answers for the person', async () => {
    const drafter = account('psb-drafter');
    const session = await signIn('psb-drafter');
    expect(session.me).toMatchObject({ credentialId: `session:${drafter.personId}`, kind: 'DEPARTMENT_ADMIN', department: 'psb', name: '王经办' });
    const { status, body } = await admin(session, '{ me { credentialId kind department name } }');
    expect(status).toBe(200);
    expect(body.data.me).toEqual({ credentialId: `session:${drafter.personId}`, kind: 'DEPARTMENT_ADMIN', department: 'psb', name: '王经办' });
    const state = await fetch(`${origin}/auth/session`, { headers: { cookie: session.cookie } });
    expect(await state.json()).toMatchObject({ signedIn: true, csrfToken: session.csrfToken, method: 'LOCAL', me: { person: { id: drafter.personId, roles: ['DRAFTER'] } } });
    expect((await adminRecords('SIGN_IN')).some((r) => r.credentialId === `session:${drafter.personId}` && r.department === 'psb')).toBe(true);
  });

  it('a person of the coordinating office is the platform administrator', async () => {
    const session = await signIn('dgo-approver');
    expect((await admin(session, '{ me { kind department } }')).body.data.me).toEqual({ kind: 'PLATFORM_ADMIN', department: 'dgo' });
  });

  it('refuses a wrong TOTP code and a cookie without its CSRF token; a bearer token is answered as before', async () => {
    const a = account('psb-approver');
    const first = await (await post('/auth/local/password', { username: a.username, password: a.password })).json() as { challenge: string };
    advance(30_000);
    const right = await totpCode(a.totpSecret, now);
    const wrong = await post('/auth/local/totp', { challenge: first.challenge, code: right === '123456' ? '654321' : '123456' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(((await wrong.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');

    const session = await signIn('psb-approver');
    const noToken = await admin(session, '{ me { name } }', {}, {});
    expect(noToken.status).toBe(403);
    expect(noToken.body.errors[0].extensions.code).toBe('CSRF_TOKEN_REQUIRED');
    const otherToken = await admin(session, '{ me { name } }', {}, { 'x-csrf-token': 'x'.repeat(43) });
    expect(otherToken.status).toBe(403);
    expect((await admin(session, '{ me { name } }')).body.data.me.name).toBe('赵审批');
    // A form post from another site cannot sign in: JSON only.
    const form = await fetch(`${origin}/auth/local/password`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=psb-approver&password=x' });
    expect(form.status).toBe(415);
    // A bearer token beside a cookie: the token's identity, no CSRF token needed.
    const bearer = await post('/admin/graphql', { query: '{ me { kind department credentialId } }' }, { cookie: session.cookie, authorization: `Bearer ${platform.adminToken('mca')}` });
    expect(((await bearer.json()) as any).data.me).toMatchObject({ kind: 'DEPARTMENT_ADMIN', department: 'mca' });
    expect((await platform.admin('{ me { kind } }')).body.data.me.kind).toBe('PLATFORM_ADMIN');
  });

  it('a session ends after 30 minutes unused and 12 hours after sign-in', async () => {
    const idle = await signIn('psb-approver');
    advance(29 * MINUTE);
    expect((await admin(idle, '{ me { name } }')).status).toBe(200);
    advance(30 * MINUTE + 1);
    const ended = await admin(idle, '{ me { name } }');
    expect(ended.status).toBe(401);
    expect(ended.body.errors[0].message).toMatch(/without use/);

    const busy = await signIn('psb-approver');
    for (let used = 0; used < 12 * 60 - 20; used += 20) {
      advance(20 * MINUTE);
      expect((await admin(busy, '{ me { name } }')).status).toBe(200);
    }
    advance(20 * MINUTE);
    const over = await admin(busy, '{ me { name } }');
    expect(over.status).toBe(401);
    expect(over.body.errors[0].message).toMatch(/longest duration/);
  });

  it('signs out: the session is refused afterwards, and the sign-out is audited', async () => {
    const session = await signIn('dgo-drafter');
    const out = await post('/auth/sign-out', {}, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^govgraph_session=; .*Max-Age=0/);
    expect((await admin(session, '{ me { name } }')).status).toBe(401);
    expect(await (await fetch(`${origin}/auth/session`, { headers: { cookie: session.cookie } })).json()).toEqual({ signedIn: false, reason: 'you signed out; sign in again' });
    expect((await adminRecords('SIGN_OUT')).some((r) => r.credentialId === `session:${account('dgo-drafter').personId}`)).toBe(true);
  });

  it('the department administrator resets a password (a drafter may not); the audit record names the administrator; the person\'s session ends', async () => {
    const drafter = await signIn('psb-drafter');
    const administrator = await signIn('psb-admin');
    const reset = 'mutation($id: ID!) { resetLocalPassword(id: $id, reason: "forgot the password") { username oneTimePassword } }';
    const refused = await admin(drafter, reset, { id: account('psb-approver').personId });
    expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const done = await admin(administrator, reset, { id: account('psb-drafter').personId });
    expect(done.body.data.resetLocalPassword.username).toBe('psb-drafter');
    const oneTime = done.body.data.resetLocalPassword.oneTimePassword as string;
    expect((await admin(drafter, '{ me { name } }')).status).toBe(401);
    const record = (await adminRecords('resetLocalPassword')).at(-1);
    expect(record).toMatchObject({ credentialId: `session:${account('psb-admin').personId}`, department: 'psb', target: account('psb-drafter').personId, reason: 'forgot the password' });
    expect(JSON.stringify(record)).not.toContain(oneTime);
    // The one-time password, then the TOTP code, then a password of the drafter's own.
    const first = await (await post('/auth/local/password', { username: 'psb-drafter', password: oneTime })).json() as { challenge: string };
    advance(30_000);
    const change = await (await post('/auth/local/totp', { challenge: first.challenge, code: await totpCode(account('psb-drafter').totpSecret, now) })).json() as { next: string; challenge: string };
    expect(change.next).toBe('CHANGE_PASSWORD');
    const signedIn = await post('/auth/local/change-password', { challenge: change.challenge, newPassword: 'my own new password 1' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get('set-cookie')).toMatch(/^govgraph_session=/);
    // Another department's administrator cannot reset psb's people.
    const office = await platform.admin(reset, { id: account('psb-approver').personId }, platform.adminToken('mca'));
    expect(office.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('a deactivated person\'s session is refused on the next request; a colleague\'s goes on', async () => {
    const leaver = await signIn('dgo-admin');
    const colleague = await signIn('dgo-approver');
    expect((await admin(leaver, '{ me { name } }')).status).toBe(200);
    await platform.store.db.updateTable('people').set({ deactivated_at: now.toISOString(), deactivated_by: 'test', deactivation_reason: 'left the office' }).where('id', '=', account('dgo-admin').personId).execute();
    const refused = await admin(leaver, '{ me { name } }');
    expect(refused.status).toBe(401);
    expect(refused.body.errors[0].message).toMatch(/deactivated/);
    expect((await admin(colleague, '{ me { name } }')).status).toBe(200);
  });
});
