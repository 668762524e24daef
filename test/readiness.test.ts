/**
 * Honest probes (issue 15). Before: /readyz and /healthz stayed 200 while every read was
 * refused with AUDIT_UNAVAILABLE, and while every subgraph fetch was refused with 401 (whose
 * error showed the subgraph's internal URL). Now /readyz is 503 naming the reason, /healthz
 * stays liveness, and both come back by themselves once the fault is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { testDialects } from '../storage/testing.ts';
import { PolicyState } from '../control/policies/policyState.ts';
import type { Identity } from '../control/store/platformStore.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const PERSON = 'query($id: ID!) { person(idNumber: $id) { idNumber name } }';
const TESTER: Identity = { credentialId: 'system:test', kind: 'PLATFORM_ADMIN', department: 'dgo', name: 'readiness test' };

describe.each(testDialects())('readiness on %s', (dialect) => {
  let platform: TestPlatform;
  let origin: string;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
    origin = new URL(platform.gateway.url).origin;
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });
  const probe = async (path: '/readyz' | '/healthz') => {
    const res = await fetch(`${origin}${path}`);
    return { status: res.status, body: await res.json() as { status: string; reasons?: string[] } };
  };
  const person = () => platform.query(PERSON, { variables: { id: platform.credentials.samples.persons[0] } });

  it('is not ready while the audit trail cannot commit (every read refused), and ready again once it can', async () => {
    // Positive control: ready, and the read is answered.
    expect((await probe('/readyz')).status).toBe(200);
    expect((await person()).status).toBe(200);
    // A fault every commit hits, like a full disk: the database refuses the audit rows.
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'simulated: disk full'); END`.execute(platform.audit.db);
    } else {
      await sql`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated: disk full'; END $$`.execute(platform.audit.db);
      await sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_records FOR EACH ROW EXECUTE FUNCTION refuse_audit()`.execute(platform.audit.db);
    }
    try {
      const refused = await person();
      expect(refused.status).toBe(503);
      expect(refused.body.errors[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
      const ready = await probe('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.reasons?.join('\n')).toMatch(/audit trail cannot commit records/);
      // Liveness: the process is fine; restarting it would not help.
      expect(await probe('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    } finally {
      await sql`DROP TRIGGER refuse_audit${sql.raw(dialect === 'postgres' ? ' ON audit_records' : '')}`.execute(platform.audit.db);
      if (dialect === 'postgres') await sql`DROP FUNCTION refuse_audit()`.execute(platform.audit.db);
    }
    expect((await person()).status).toBe(200);
    expect((await probe('/readyz')).status).toBe(200);
  }, 30_000);

  it('is not ready while a subgraph refuses the gateway\'s sharing context (401), without showing its address; ready again once it accepts', async () => {
    const population = platform.registry.current.subgraphs.find((s) => s.name === 'population')!;
    // A population subgraph that does not trust this gateway's key (another replica's, say).
    const stranger: Server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? 200 : 401, { 'content-type': 'application/json' });
      res.end(req.url === '/healthz' ? '{"status":"ok"}' : JSON.stringify({ errors: [{ message: 'the sharing context signature is not the gateway\'s', extensions: { code: 'UNAUTHENTICATED' } }] }));
    });
    await new Promise<void>((r) => stranger.listen(0, '127.0.0.1', r));
    const port = (stranger.address() as AddressInfo).port;
    const all = platform.registry.current.subgraphs.map(({ name, department, url, sdl }) => ({ name, department, url, sdl }));
    const publish = (url: string) => platform.registry.publishAll(TESTER, all.map((s) => (s.name === 'population' ? { ...s, url } : s)), 'readiness test: the population subgraph moves');
    try {
      await publish(`http://127.0.0.1:${port}/graphql`);
      const refused = await person();
      expect(refused.body.errors[0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'population' });
      expect(JSON.stringify(refused.body)).not.toContain(String(port));
      const ready = await probe('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.reasons?.join('\n')).toMatch(/the population subgraph refuses the gateway's sharing context \(HTTP 401 since .*\): the sharing context signature is not the gateway's/);
      expect(JSON.stringify(ready.body)).not.toContain(String(port));
      expect((await probe('/healthz')).status).toBe(200);
    } finally {
      await publish(population.url);
      stranger.closeAllConnections();
      await new Promise((r) => stranger.close(r));
    }
    // Positive control: the real subgraph accepts the context; the next answer clears the mark.
    const answered = await person();
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data.person.name).toBeTruthy();
    expect((await probe('/readyz')).status).toBe(200);
  }, 30_000);
});

describe('the policy snapshot\'s readiness', () => {
  it('reports a missing snapshot with the store\'s error, and nothing once one is loaded', async () => {
    let failing = true;
    const store = {
      currentVersion: async () => 1,
      policySource: async () => {
        if (failing) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        return { version: 1, row: null, grants: [], departments: [], purposes: [] };
      },
    };
    const policy = new PolicyState(store as never, async () => []);
    expect(policy.readiness()).toMatch(/the policy snapshot is missing \(not loaded yet\)/);
    await policy.refresh().catch(() => {});
    expect(policy.readiness()).toMatch(/the policy snapshot is missing \(not loaded yet: connect ECONNREFUSED/);
    failing = false;
    await policy.refresh();
    expect(policy.readiness()).toBeNull();
  });
});
