/**
 * One writer of ADMIN records (R10): the audit plugin's record of a mutation and a record
 * written by hand (checkSubgraph's) name the acting administrator the same way.
 */
import { describe, expect, it } from 'vitest';
import { ApolloServer } from '@apollo/server';
import type { AuditLog } from '../../audit/auditLog.ts';
import type { AuditRecordInput } from '../../audit/auditRecord.ts';
import { adminAuditPlugin, appendAdminRecord, type AdminActor } from './adminAudit.ts';

function actor(fail = false): AdminActor & { records: AuditRecordInput[] } {
  const records: AuditRecordInput[] = [];
  const audit = {
    append: async (input: AuditRecordInput) => {
      if (fail) throw new Error('disk full');
      records.push(input);
      return {} as never;
    },
  } as unknown as AuditLog;
  return { identity: { credentialId: 'cred-mca-admin', kind: 'DEPARTMENT_ADMIN', department: 'mca', name: 'mca admin' } as AdminActor['identity'], audit, records };
}

async function server() {
  const s = new ApolloServer<AdminActor>({
    typeDefs: 'type Query { ok: Boolean } type Mutation { setNote(id: ID!, note: String, reason: String!): Boolean refuse(id: ID!): Boolean }',
    resolvers: { Mutation: { setNote: () => true, refuse: () => null } },
    plugins: [adminAuditPlugin<AdminActor>()],
  });
  await s.start();
  return s;
}

describe('ADMIN audit records', () => {
  it('records a successful mutation, and a hand-written record, with the same who', async () => {
    const ctx = actor();
    const s = await server();
    await s.executeOperation({ query: 'mutation($n: String) { setNote(id: "n1", note: $n, reason: "typo") refuse(id: "n2") }', variables: { n: 'hello' } }, { contextValue: ctx });
    await appendAdminRecord(ctx, { action: 'checkSubgraph', target: 'social-assistance', reason: null, details: { outcome: 'OK' } });
    await s.stop();
    const who = { kind: 'ADMIN', department: 'mca', actor: 'cred-mca-admin' };
    // The refused mutation (null result) is not recorded.
    expect(ctx.records).toEqual([
      { ...who, action: 'setNote', target: 'n1', reason: 'typo', details: { id: 'n1', note: 'hello', reason: 'typo' } },
      { ...who, action: 'checkSubgraph', target: 'social-assistance', reason: null, details: { outcome: 'OK' } },
    ]);
  });

  it('reports a done change whose record could not be written as AUDIT_UNAVAILABLE', async () => {
    const s = await server();
    const result = await s.executeOperation({ query: 'mutation { setNote(id: "n1", reason: "r") }' }, { contextValue: actor(true) });
    await s.stop();
    const body = result.body.kind === 'single' ? result.body.singleResult : null;
    expect(body?.data).toEqual({ setNote: true });
    expect(body?.errors).toEqual([{ message: 'setNote was done, but its audit record was not written: disk full', extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
  });
});
