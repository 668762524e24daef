/**
 * Every mistake a client can make in a request is answered with a 4xx and a specific code
 * (lib/errors.ts ErrorCode), on the data graph and on the management API alike — each case
 * paired with the same kind of request done right.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

interface Endpoint {
  readonly name: string;
  readonly url: () => string;
  readonly headers: () => Record<string, string>;
}

describe('client errors', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const endpoints: Endpoint[] = [
    { name: '/graphql', url: () => platform.gateway.url, headers: () => ({ authorization: `Bearer ${platform.appToken('mca')}`, 'x-purpose': 'ADMINISTRATIVE_BASIS' }) },
    { name: '/admin/graphql', url: () => platform.credentials.admin, headers: () => ({ authorization: `Bearer ${platform.credentials.platformAdminToken}` }) },
  ];

  const send = async (endpoint: Endpoint, init: { method?: string; body?: unknown; raw?: string; search?: string; headers?: Record<string, string> }) => {
    const method = init.method ?? 'POST';
    const res = await fetch(endpoint.url() + (init.search ? `?${init.search}` : ''), {
      method,
      headers: { ...(method === 'POST' || method === 'PUT' ? { 'content-type': 'application/json' } : {}), ...endpoint.headers(), ...init.headers },
      ...(method === 'GET' ? {} : { body: init.raw ?? JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] } };
  };
  const expectRefused = (result: Awaited<ReturnType<typeof send>>, status: number, code: string) => {
    expect({ status: result.status, code: result.body.errors?.[0]?.extensions.code }).toEqual({ status, code });
    expect(result.body.errors![0]!.message.length).toBeGreaterThan(20);
  };
  const expectAnswered = (result: Awaited<ReturnType<typeof send>>) => {
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body.data).toBeTruthy();
  };
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const get = (query: string) => `query=${encodeURIComponent(query)}`;
  const preflight = { 'apollo-require-preflight': 'true' };

  describe.each(endpoints)('$name', (endpoint) => {
    it('operationName naming no operation: 400 OPERATION_NOT_FOUND; naming one: answered', async () => {
      const query = 'query A { __typename } query B { __typename }';
      expectRefused(await send(endpoint, { body: { query, operationName: 'C' } }), 400, 'OPERATION_NOT_FOUND');
      expectAnswered(await send(endpoint, { body: { query, operationName: 'B' } }));
    });

    it('several operations and no operationName: 400 OPERATION_NAME_REQUIRED', async () => {
      const result = await send(endpoint, { body: { query: 'query A { __typename } query B { __typename }' } });
      expectRefused(result, 400, 'OPERATION_NAME_REQUIRED');
      expect(result.body.errors![0]!.message).toMatch(/"A", "B"/);
    });

    it('a subscription: 400 OPERATION_NOT_SUPPORTED; the same as a query: answered', async () => {
      expectRefused(await send(endpoint, { body: { query: 'subscription { __typename }' } }), 400, 'OPERATION_NOT_SUPPORTED');
      expectAnswered(await send(endpoint, { body: { query: 'query { __typename }' } }));
    });

    it('a persisted-query hash that does not match: 400 PERSISTED_QUERY_HASH_MISMATCH; one that does: answered', async () => {
      const query = '{ __typename }';
      expectRefused(await send(endpoint, { body: { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } } } }), 400, 'PERSISTED_QUERY_HASH_MISMATCH');
      expectRefused(await send(endpoint, { body: { query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } } }), 400, 'PERSISTED_QUERY_VERSION_UNSUPPORTED');
      expectAnswered(await send(endpoint, { body: { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } } }));
      // Registered now: the hash alone is enough.
      expectAnswered(await send(endpoint, { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } } }));
    });

    it('an unknown persisted-query hash: PERSISTED_QUERY_NOT_FOUND, with 200 as the APQ protocol has it (the client retries with the query)', async () => {
      const result = await send(endpoint, { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ never sent }') } } } });
      expect({ status: result.status, code: result.body.errors?.[0]?.extensions.code }).toEqual({ status: 200, code: 'PERSISTED_QUERY_NOT_FOUND' });
    });

    it('a body that is not JSON, or not a GraphQL request: 400 BAD_REQUEST', async () => {
      expectRefused(await send(endpoint, { raw: '{"query": ' }), 400, 'BAD_REQUEST');
      expectRefused(await send(endpoint, { body: { variables: {} } }), 400, 'BAD_REQUEST');
      expectRefused(await send(endpoint, { body: { query: 42 } }), 400, 'BAD_REQUEST');
      expectRefused(await send(endpoint, { body: { query: '{ __typename }', variables: '{}' } }), 400, 'BAD_REQUEST');
      expectRefused(await send(endpoint, { body: [{ query: '{ __typename }' }] }), 400, 'BAD_REQUEST');
    });

    it('GET: a mutation is 405 METHOD_NOT_ALLOWED, no preflight header 400 CSRF_PREFLIGHT_REQUIRED, a text content type 415; a query with the header: answered', async () => {
      expectRefused(await send(endpoint, { method: 'GET', search: get('mutation { __typename }'), headers: preflight }), 405, 'METHOD_NOT_ALLOWED');
      expectRefused(await send(endpoint, { method: 'GET', search: get('{ __typename }') }), 400, 'CSRF_PREFLIGHT_REQUIRED');
      expectRefused(await send(endpoint, { method: 'GET', search: get('{ __typename }'), headers: { ...preflight, 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectAnswered(await send(endpoint, { method: 'GET', search: get('{ __typename }'), headers: preflight }));
    });

    it('PUT: 405 METHOD_NOT_ALLOWED; an Accept nothing is served in: 406 NOT_ACCEPTABLE', async () => {
      expectRefused(await send(endpoint, { method: 'PUT', body: { query: '{ __typename }' } }), 405, 'METHOD_NOT_ALLOWED');
      expectRefused(await send(endpoint, { body: { query: '{ __typename }' }, headers: { accept: 'application/xml' } }), 406, 'NOT_ACCEPTABLE');
    });

    it('a syntax error, a field the schema lacks, a variable of the wrong type: 400 with Apollo’s codes', async () => {
      expectRefused(await send(endpoint, { body: { query: '{ __typename' } }), 400, 'GRAPHQL_PARSE_FAILED');
      expectRefused(await send(endpoint, { body: { query: '{ noSuchField }' } }), 400, 'GRAPHQL_VALIDATION_FAILED');
      const query = 'query($x: Boolean!) { __typename @include(if: $x) }';
      expectRefused(await send(endpoint, { body: { query, variables: { x: 'yes' } } }), 400, 'BAD_USER_INPUT');
      expectAnswered(await send(endpoint, { body: { query, variables: { x: true } } }));
    });
  });

  it('a mutation on the data graph, which has none: 400 OPERATION_NOT_SUPPORTED, pointing to the management API', async () => {
    const result = await send(endpoints[0]!, { body: { query: 'mutation { __typename }' } });
    expectRefused(result, 400, 'OPERATION_NOT_SUPPORTED');
    expect(result.body.errors![0]!.message).toMatch(/\/admin\/graphql/);
    // The management API has mutations: the same document is answered there.
    expectAnswered(await send(endpoints[1]!, { body: { query: 'mutation { __typename }' } }));
  });
});
