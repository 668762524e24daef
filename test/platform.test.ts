/**
 * The whole platform on free ports, on each storage dialect: the foundation's promises —
 * samples resolve across departments, lookups are batched, the public schema hides the
 * federation internals, and the health routes answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

async function statementCount(subgraphUrl: string, name: string): Promise<number> {
  const text = await (await fetch(subgraphUrl.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`govgraph_db_statements_total{subgraph="${name}"`));
  if (!line) throw new Error(`no govgraph_db_statements_total for ${name} in /metrics`);
  return Number(line.split(' ').pop());
}

describe.each(testDialects())('platform on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('writes credentials.json with the gateway, samples and subgraph URLs', () => {
    const credentials = JSON.parse(readFileSync(platform.credentialsFile, 'utf8'));
    expect(credentials.gateway).toBe(platform.gateway.url);
    expect(credentials.admin).toMatch(/\/admin\/graphql$/);
    expect(credentials.samples.persons[0]).toMatch(/^\d{17}[\dX]$/);
    expect(credentials.departments.map((d: { code: string }) => d.code)).toEqual(
      expect.arrayContaining(['psb', 'samr', 'nr', 'ndrc', 'gsa', 'mca', 'tax', 'hrss', 'dgo']),
    );
    for (const subgraph of platform.subgraphs) expect(credentials.subgraphs[subgraph.name]).toBe(subgraph.url);
  });

  it('resolves every sample person through the gateway', async () => {
    for (const idNumber of platform.credentials.samples.persons) {
      const { status, body } = await platform.query('query($id: ID!) { person(idNumber: $id) { idNumber name gender birthDate } }', { variables: { id: idNumber } });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.person.idNumber).toBe(idNumber);
      expect(body.data.person.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      // The birth date is the one encoded in the citizen ID number.
      expect(body.data.person.birthDate.replaceAll('-', '')).toBe(idNumber.slice(6, 14));
    }
  });

  it('answers a malformed citizen ID with BAD_USER_INPUT naming the problem, and an unknown one with null', async () => {
    const bad = await platform.query('{ person(idNumber: "110105194912310021") { name } }');
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/check character/);
    const unknown = await platform.query('{ person(idNumber: "11010519491231002X") { name } }');
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data.person).toBeNull();
  });

  it('reads 100 persons with one SQL statement', async () => {
    const population = platform.subgraphs.find((s) => s.name === 'population')!;
    const ids = (await import('../demo/worldFile.ts')).loadWorld(platform.storage.dataDir);
    const idNumbers = Array.from({ length: 100 }, (_, i) => ids.person(i + 10).idNumber);
    const before = await statementCount(population.url, 'population');
    const { body } = await platform.query('query($ids: [ID!]!) { persons(idNumbers: $ids) { idNumber name } }', { variables: { ids: idNumbers } });
    const after = await statementCount(population.url, 'population');
    expect(body.errors).toBeUndefined();
    expect(body.data.persons.map((p: { idNumber: string }) => p.idNumber)).toEqual(idNumbers);
    expect(after - before).toBe(1);
  });

  it('does not expose _entities or _service in the public schema', async () => {
    const { body } = await platform.query('{ __schema { queryType { fields { name } } } }');
    const names = body.data.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('person');
    expect(names).not.toContain('_entities');
    expect(names).not.toContain('_service');
    const direct = await platform.query('{ _service { sdl } }');
    expect(direct.body.errors[0].message).toMatch(/_service/);
  });

  it('serves health, readiness and metrics', async () => {
    const base = platform.gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).subgraphs.population).toBe('ok');
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('govgraph_http_requests_total');
  });

  it('serves a locally bundled GraphiQL to browsers, loading nothing from elsewhere', async () => {
    const base = platform.gateway.url.replace(/\/graphql$/, '');
    const html = await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('/graphiql/graphiql.js');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const script = await fetch(`${base}/graphiql/graphiql.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });
});
