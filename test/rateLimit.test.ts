/**
 * Who may read the data graph, and how fast (R10): app tokens only; per-app limits on
 * requests and on distinct keys per minute, set through the admin API, so guessable keys
 * cannot be swept; a refusal is a 429 with Retry-After, and the audit trail names the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizenId } from '../schema/identifiers.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const SET = 'mutation($app: ID!, $r: Int!, $k: Int!) { setAppRateLimit(appId: $app, requestsPerMinute: $r, keysPerMinute: $k, reason: "test") { appId department requestsPerMinute keysPerMinute isDefault } }';
const CREATE_APP = 'mutation($name: String!) { createApp(name: $name) { id token } }';
const PERSONS = 'query Sweep($ids: [ID!]!) { persons(idNumbers: $ids) { name } }';

/** 100 well-formed, guessable citizen ID numbers: one birth date, sequence numbers 1–100. */
const SWEEP = Array.from({ length: 100 }, (_, i) => makeCitizenId('110101', '1990-01-01', i + 1));

describe('rate limits and app tokens on /graphql', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function post(token: string, query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() as any };
  }

  async function newApp(name: string): Promise<{ id: string; token: string }> {
    const created = await platform.admin(CREATE_APP, { name }, platform.adminToken('mca'));
    expect(created.body.errors).toBeUndefined();
    return created.body.data.createApp;
  }

  it('gives an app the defaults until its administrator lowers them; only that department or the platform may', async () => {
    const app = await newApp('sweeper');
    const read = await platform.admin('query($a: ID!) { appRateLimit(appId: $a) { requestsPerMinute keysPerMinute isDefault } }', { a: app.id }, platform.adminToken('mca'));
    expect(read.body.data.appRateLimit).toEqual({ requestsPerMinute: 600, keysPerMinute: 3000, isDefault: true });

    // Denials: another department's administrator, and the app itself.
    const otherDepartment = await platform.admin(SET, { app: app.id, r: 100, k: 30 }, platform.adminToken('psb'));
    expect(otherDepartment.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const itself = await platform.admin(SET, { app: app.id, r: 100_000, k: 100_000 }, app.token);
    expect(itself.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const nonsense = await platform.admin(SET, { app: app.id, r: 0, k: 30 }, platform.adminToken('mca'));
    expect(nonsense.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const notAnApp = await platform.admin(SET, { app: 'cred-nope', r: 10, k: 30 }, platform.adminToken('mca'));
    expect(notAnApp.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    // Positive controls: the platform administrator, then the app's own department administrator.
    const byPlatform = await platform.admin(SET, { app: app.id, r: 200, k: 40 });
    expect(byPlatform.body.data.setAppRateLimit).toMatchObject({ appId: app.id, department: 'mca', requestsPerMinute: 200, keysPerMinute: 40, isDefault: false });
    const byDepartment = await platform.admin(SET, { app: app.id, r: 100, k: 30 }, platform.adminToken('mca'));
    expect(byDepartment.body.data.setAppRateLimit).toMatchObject({ requestsPerMinute: 100, keysPerMinute: 30, isDefault: false });
    // The change is an administrative action in the audit trail.
    const audit = await platform.admin('{ auditRecords(filter: { kind: "ADMIN", order: "desc", limit: 5 }) { records { json } } }');
    expect(audit.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json).action)).toContain('setAppRateLimit');
  });

  it('refuses a sweep of 100 guessable ids with 429 and Retry-After; another app goes on; the audit trail names the app', async () => {
    const sweeper = await newApp('sweeper 2');
    expect((await platform.admin(SET, { app: sweeper.id, r: 100, k: 30 }, platform.adminToken('mca'))).body.errors).toBeUndefined();

    // Ten at a time: three batches pass (30 keys), the fourth meets the key limit.
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | null = null;
    for (let i = 0; i < SWEEP.length; i += 10) {
      const answer = await post(sweeper.token, PERSONS, { ids: SWEEP.slice(i, i + 10) });
      statuses.push(answer.status);
      if (answer.status === 429) {
        refused ??= answer;
      }
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    expect(refused!.body.data).toBeUndefined();
    expect(refused!.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'keys', perMinute: 30 });
    expect(refused!.body.errors[0].message).toMatch(/distinct keys.*limit is 30 per minute.*retry in \d+ s/);
    expect(Number(refused!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused!.retryAfter)).toBeLessThanOrEqual(60);
    // The same 100 at once: more keys than the limit in one operation.
    const atOnce = await post(sweeper.token, PERSONS, { ids: SWEEP });
    expect(atOnce.status).toBe(429);
    expect(atOnce.body.errors[0].message).toMatch(/names 100 distinct keys/);
    // Keys already looked up this minute cost nothing: re-reading them still works.
    expect((await post(sweeper.token, PERSONS, { ids: SWEEP.slice(0, 10) })).status).toBe(200);

    // Positive control: the department's other app is not affected.
    const other = await post(platform.appToken('mca'), PERSONS, { ids: SWEEP.slice(50, 60) });
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();

    // The audit trail shows who met the limit: records of the app with status 429, nothing returned.
    const audit = await platform.admin('query($app: String!) { auditRecords(filter: { app: $app, order: "desc", limit: 50 }) { records { department json } } }', { app: sweeper.id });
    const records = audit.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json));
    const limited = records.filter((r: any) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(8);
    expect(limited[0]).toMatchObject({ kind: 'ACCESS', department: 'mca', credentialId: sweeper.id, operationName: 'Sweep', returned: [] });
    expect(limited[0].denied).toContain('Person.name');
    // A refused sweep is not a read: "who read this person" does not list it.
    const whoRead = await platform.admin('query($v: String!) { auditRecords(filter: { keyKind: "idNumber", keyValue: $v, field: "Person.name", outcome: "RETURNED" }) { records { json } } }', { v: SWEEP[99] });
    expect(whoRead.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json).credentialId)).not.toContain(sweeper.id);
  });

  it('limits requests per minute too', async () => {
    const chatty = await newApp('chatty');
    await platform.admin(SET, { app: chatty.id, r: 3, k: 3000 }, platform.adminToken('mca'));
    const person = platform.credentials.samples.persons[0];
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(chatty.token, `{ person(idNumber: "${person}") { name } }`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post(chatty.token, `{ person(idNumber: "${person}") { name } }`);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'requests', perMinute: 3 });
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('answers app tokens only: an administrator\'s token gets 403 saying to use an app token', async () => {
    const query = `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }`;
    for (const token of [platform.adminToken('mca'), platform.credentials.platformAdminToken]) {
      const refused = await post(token, query);
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(refused.body.errors[0].message).toMatch(/app tokens only.*use an app token/);
    }
    // Positive control: the department's app token reads.
    const app = await post(platform.appToken('mca'), query);
    expect(app.status).toBe(200);
    expect(app.body.data.person.name).toBeTruthy();
  });
});
