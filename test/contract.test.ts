/**
 * The public contract, pinned: the data graph's and the management API's SDL, every public
 * error code, and the HTTP status and code of each kind of refusal a client meets. Moving
 * code around (the layout of the repository) must leave this file's snapshot identical;
 * changing the contract on purpose means updating the snapshot in the same commit.
 */
import { buildClientSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../lib/errors.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe('public contract', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps the data graph, the management API and the error codes', async () => {
    const data = await platform.query(getIntrospectionQuery(), { as: { department: 'mca', purpose: null } });
    const admin = await platform.admin(getIntrospectionQuery());
    const contract = [
      '# data graph (/graphql)',
      printSchema(buildClientSchema(data.body.data)),
      '# management API (/admin/graphql)',
      printSchema(buildClientSchema(admin.body.data)),
      '# error codes',
      ...Object.values(ErrorCode).sort(),
      '',
    ].join('\n');
    await expect(contract).toMatchFileSnapshot('./__snapshots__/contract.graphql');
  });

  it('answers each kind of refusal with the same status and code', async () => {
    const person = platform.credentials.samples.persons[0]!;
    const raw = async (path: string, init: RequestInit) => {
      const res = await fetch(new URL(path, platform.gateway.url), init);
      const body = (await res.json().catch(() => null)) as { errors?: { extensions?: { code?: string } }[]; code?: string } | null;
      return `${res.status} ${body?.errors?.[0]?.extensions?.code ?? body?.code ?? '-'}`;
    };
    const post = (headers: Record<string, string>, body: unknown, path = '/graphql') =>
      raw(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const app = { authorization: `Bearer ${platform.appToken('tax')}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' };
    const cases: Record<string, string> = {
      'no token': await post({}, { query: '{ __typename }' }),
      'unknown token': await post({ authorization: 'Bearer nope' }, { query: '{ __typename }' }),
      'administrator token on /graphql': await post({ authorization: `Bearer ${platform.adminToken('tax')}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' }, { query: `{ person(idNumber: "${person}") { name } }` }),
      'no purpose': await post({ authorization: app.authorization }, { query: `{ person(idNumber: "${person}") { name } }` }),
      'unknown purpose': await post({ ...app, 'x-purpose': 'CURIOSITY' }, { query: `{ person(idNumber: "${person}") { name } }` }),
      'denied field': await post(app, { query: `{ person(idNumber: "${person}") { householdAddress } }` }),
      'denied field, strict': await post({ ...app, 'x-sharing-mode': 'strict' }, { query: `{ person(idNumber: "${person}") { householdAddress } }` }),
      'bad citizen id': await post(app, { query: '{ person(idNumber: "123") { name } }' }),
      'malformed JSON': await post(app, '{"query": '),
      'syntax error': await post(app, { query: '{ person(' }),
      'unknown field': await post(app, { query: '{ nothing }' }),
      'unknown operationName': await post(app, { query: 'query A { __typename }', operationName: 'B' }),
      'mutation on /graphql': await post(app, { query: 'mutation { __typename }' }),
      'too deep': await post(app, { query: `{ person(idNumber: "${person}") ${'{ legalRepresentativeOf { legalRepresentative '.repeat(7)}{ name }${' } }'.repeat(7)} }` }),
      'fragment bomb': await post(app, { query: `query { ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Query { __typename }` }),
      'admin: app token on an administrators\' mutation': await post({ authorization: `Bearer ${platform.appToken('tax')}` }, { query: 'mutation { setFieldPolicy(coordinate: "Person.name", policy: { sharingClass: UNCONDITIONAL }, reason: "x") { __typename } }' }, '/admin/graphql'),
      'admin: no token': await post({}, { query: '{ me { department } }' }, '/admin/graphql'),
      'no route': await raw('/nowhere', { method: 'GET' }),
    };
    expect(cases).toMatchSnapshot();
  });
});
