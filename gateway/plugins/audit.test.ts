/**
 * gateway/plugins/audit.ts over plain node:http and Apollo Server 5, as the gateway runs it
 * (lib/http.ts): the record is committed before the answer is written, and an answer
 * whose record cannot be written is withheld with HTTP 503 AUDIT_UNAVAILABLE.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { executeGraphQL, parseJsonBody, readBody } from '../../lib/http.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { auditPlugin } from './audit.ts';
import type { GatewayContext } from '../requestContext.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import type { AuditLog } from '../../audit/auditLog.ts';
import type { AccessRecordInput } from '../../audit/auditRecord.ts';
import { openTestAuditLog, type TestAuditLog } from '../../audit/testing.ts';

const typeDefs = `#graphql
  type Query {
    person(idNumber: ID!): Person
    persons(idNumbers: [ID!]!): [Person]!
    legalEntity(creditCode: ID!): LegalEntity
  }
  type Person { idNumber: ID! name: String householdAddress: String employer: LegalEntity }
  type LegalEntity { creditCode: ID! name: String }
`;
const person = (idNumber: string) => ({ idNumber, name: `name of ${idNumber}`, householdAddress: null, employer: { creditCode: `CC-${idNumber}`, name: 'employer' } });
const resolvers = {
  Query: {
    person: (_: unknown, { idNumber }: { idNumber: string }) => (idNumber === 'boom' ? (() => { throw new GraphQLError('boom'); })() : person(idNumber)),
    persons: (_: unknown, { idNumbers }: { idNumbers: string[] }) => idNumbers.map(person),
    legalEntity: (_: unknown, { creditCode }: { creditCode: string }) => ({ creditCode, name: 'x' }),
  },
};

function context(): GatewayContext {
  return {
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    identity: { credentialId: 'cred-mca-app', kind: 'APP', department: 'mca', name: 'mca app' } as GatewayContext['identity'],
    snapshot: {} as PolicySnapshot,
    subgraphsCalled: new Set(['population', 'legal-person']),
    stage: {
      name: 'checked',
      caller: { department: 'mca', app: 'cred-mca-app', purpose: 'ADMINISTRATIVE_BASIS', caseId: '民〔2025〕7号' },
      access: { requested: ['Person.name', 'Person.householdAddress', 'Person.idNumber'], denied: ['Person.householdAddress'], grantsUsed: ['grant-1'] },
    },
  };
}

interface Running {
  readonly url: string;
  readonly contexts: GatewayContext[];
  close(): Promise<void>;
}

async function serve(log: Pick<AuditLog, 'append'>, extraPlugins: ApolloServerPlugin<GatewayContext>[] = [], onAnswer?: () => void): Promise<Running> {
  const apollo = new ApolloServer<GatewayContext>({ typeDefs, resolvers, plugins: [...extraPlugins, auditPlugin(log as AuditLog)] });
  await apollo.start();
  const contexts: GatewayContext[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = parseJsonBody(await readBody(req));
      const ctx = context();
      contexts.push(ctx);
      if (onAnswer) res.once('prefinish', onAnswer);
      await executeGraphQL(apollo, req, res, body, async () => ctx);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    contexts,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

const post = (url: string, query: string, variables?: Record<string, unknown>, operationName?: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables, operationName }) });

describe('audit plugin', () => {
  let running: Running | null = null;
  let t: TestAuditLog | null = null;
  afterEach(async () => {
    await running?.close();
    await t?.cleanup();
    running = null;
    t = null;
  });

  it('records who asked, what was requested, returned and denied, the keys read (aliases and variables too), and the outcome', async () => {
    t = await openTestAuditLog('sqlite');
    running = await serve(t.log);
    const query = `query PersonFile($id: ID!) {
      p: person(idNumber: $id) { who: idNumber name householdAddress employer { c: creditCode } }
      persons(idNumbers: ["110101199001010022", "110101199001010033"]) { idNumber }
      ...More
    }
    fragment More on Query { legalEntity(creditCode: "91110000100000000A") { name } }
    query Other { person(idNumber: "never-executed") { name } }`;
    const res = await post(running.url, query, { id: '110101199001010011' }, 'PersonFile');
    expect(res.status).toBe(200);
    expect((await res.json()).data.p.who).toBe('110101199001010011');
    // The answer has arrived, so the record must be there already.
    const entry = (await t.log.db.selectFrom('audit_records').selectAll().execute())[0]!;
    expect(entry).toMatchObject({
      kind: 'ACCESS',
      request_id: running.contexts[0]!.requestId,
      department: 'mca',
      credential_id: 'cred-mca-app',
      purpose: 'ADMINISTRATIVE_BASIS',
      case_id: '民〔2025〕7号',
      operation_name: 'PersonFile',
      operation_hash: createHash('sha256').update(query).digest('hex'),
      requested: '["Person.householdAddress","Person.idNumber","Person.name"]',
      returned: '["Person.idNumber","Person.name"]',
      denied: '["Person.householdAddress"]',
      grants_used: '["grant-1"]',
      subgraphs: '["legal-person","population"]',
      http_status: 200,
    });
    expect(JSON.parse(entry.keys!)).toEqual([
      ['creditCode', '91110000100000000A'],
      ['creditCode', 'CC-110101199001010011'],
      ['idNumber', '110101199001010011'],
      ['idNumber', '110101199001010022'],
      ['idNumber', '110101199001010033'],
    ]);
    expect((await t.log.verify()).ok).toBe(true);
  });

  it('holds the answer until the record is committed', async () => {
    // Ordered events instead of a fixed sleep: the server's answer must come after the commit.
    const events: string[] = [];
    let release!: () => void;
    let appendCalled!: () => void;
    const called = new Promise<void>((resolve) => {
      appendCalled = resolve;
    });
    const appended: AccessRecordInput[] = [];
    const log = {
      append: (record: AccessRecordInput) => {
        appended.push(record);
        events.push('append');
        appendCalled();
        return new Promise<{ seq: number; hash: string }>((resolve) => {
          release = () => {
            events.push('committed');
            resolve({ seq: 1, hash: 'h' });
          };
        });
      },
    };
    running = await serve(log as unknown as AuditLog, [], () => events.push('answered'));
    const response = post(running.url, '{ person(idNumber: "1") { name } }');
    await called;
    // Every chance to answer early: many turns of the event loop (the answer would be written
    // within a few), measured in turns, not milliseconds.
    for (let i = 0; i < 100; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['append']);
    release();
    expect((await response).status).toBe(200);
    expect(events).toEqual(['append', 'committed', 'answered']);
    expect(appended).toHaveLength(1);
  });

  it('withholds the answer with 503 AUDIT_UNAVAILABLE when the record cannot be written', async () => {
    running = await serve({ append: () => Promise.reject(new Error('disk full')) });
    const res = await post(running.url, '{ person(idNumber: "110101199001010011") { name householdAddress } }');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = await res.json();
    expect(body.data).toBeUndefined();
    expect(JSON.stringify(body)).not.toContain('name of');
    expect(body.errors).toEqual([{ message: expect.stringMatching(/withheld because its access could not be recorded/), extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } }]);
  });

  it('records refused and failed operations too, with their status', async () => {
    t = await openTestAuditLog('sqlite');
    running = await serve(t.log);
    expect((await post(running.url, '{ person(idNumber: "1") { nope } }')).status).toBe(400);
    expect((await post(running.url, '{ person(idNumber: "boom") { name } }')).status).toBe(200);
    const rows = await t.log.db.selectFrom('audit_records').select(['http_status', 'keys']).orderBy('seq').execute();
    expect(rows).toEqual([{ http_status: 400, keys: '[["idNumber","1"]]' }, { http_status: 200, keys: '[["idNumber","boom"]]' }]);
  });

  it('names the operation as sent, even when another plugin swaps in a rewritten document and hash', async () => {
    t = await openTestAuditLog('sqlite');
    const rewriter: ApolloServerPlugin<GatewayContext> = {
      async requestDidStart() {
        return {
          async didResolveOperation(requestContext) {
            (requestContext as { queryHash: string }).queryHash = 'rewritten';
          },
        };
      },
    };
    running = await serve(t.log, [rewriter]);
    const query = '{ person(idNumber: "1") { name } }';
    await post(running.url, query);
    const row = await t.log.db.selectFrom('audit_records').select('operation_hash').executeTakeFirstOrThrow();
    expect(row.operation_hash).toBe(createHash('sha256').update(query).digest('hex'));
  });
});
