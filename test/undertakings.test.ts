/**
 * Use undertakings (issue 21; 003 ××市 art. 12): once an application is approved, an
 * administrator of the consuming department accepts a use undertaking — purpose, no onward
 * transfer, retention — recorded with the grant, as an application event and in the audit
 * trail. Reads do not wait for it yet (control/applications/undertakings.ts says why).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const APPLY = 'mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id } }';
const APPROVE = 'mutation($id: ID!) { approveApplication(id: $id, reason: "conditions met") { id grants { id awaitingUndertaking undertaking { purpose } } } }';
const UNDERTAKE = 'mutation($id: ID!, $p: String!, $n: Boolean!, $d: Int!) { undertakeApplication(id: $id, purpose: $p, noOnwardTransfer: $n, retentionDays: $d) { applicationId consumer purpose noOnwardTransfer retentionDays acceptedBy } }';
const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;

describe.each(testDialects())('use undertakings on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('records the consumer\'s undertaking with the grant, in the events and the audit trail; only the consumer gives it, once, with no onward transfer', async () => {
    const [application] = (await platform.admin(APPLY, { input: {
      coordinates: ['Person.maritalStatus'], purpose: 'ADMINISTRATIVE_BASIS', justification: '养老保险待遇资格认证', legalBasis: '《社会保险法》第五十八条', requestedUntil: '2027-06-30',
    } }, platform.appToken('hrss'))).body.data.applyForAccess;
    // Not before approval.
    expect(code(await platform.admin(UNDERTAKE, { id: application.id, p: '资格认证', n: true, d: 365 }, platform.adminToken('hrss')))).toBe('CONFLICT');
    const approved = await platform.admin(APPROVE, { id: application.id }, platform.adminToken('psb'));
    expect(approved.body.data.approveApplication.grants[0]).toMatchObject({ awaitingUndertaking: true, undertaking: null });
    // The provider cannot give it for the consumer; no undertaking without no onward transfer; a retention in range.
    expect(code(await platform.admin(UNDERTAKE, { id: application.id, p: '资格认证', n: true, d: 365 }, platform.adminToken('psb')))).toBe('FORBIDDEN');
    const onward = await platform.admin(UNDERTAKE, { id: application.id, p: '资格认证', n: false, d: 365 }, platform.adminToken('hrss'));
    expect(code(onward)).toBe('BAD_USER_INPUT');
    expect(onward.body.errors[0].message).toMatch(/noOnwardTransfer: true.*003 ××市 art\. 12/);
    expect(code(await platform.admin(UNDERTAKE, { id: application.id, p: '资格认证', n: true, d: 0 }, platform.adminToken('hrss')))).toBe('BAD_USER_INPUT');
    // Positive control: the consumer's administrator accepts it.
    const accepted = await platform.admin(UNDERTAKE, { id: application.id, p: '养老保险待遇资格认证，仅用于本次认证', n: true, d: 180 }, platform.adminToken('hrss'));
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data.undertakeApplication).toMatchObject({ applicationId: application.id, consumer: 'hrss', noOnwardTransfer: true, retentionDays: 180 });
    expect(code(await platform.admin(UNDERTAKE, { id: application.id, p: 'again', n: true, d: 30 }, platform.adminToken('hrss')))).toBe('CONFLICT');
    const shown = await platform.admin('query($id: ID!) { application(id: $id) { undertaking { retentionDays } events { action reason } grants { awaitingUndertaking undertaking { purpose noOnwardTransfer retentionDays } } } }', { id: application.id }, platform.adminToken('hrss'));
    const a = shown.body.data.application;
    expect(a.undertaking).toEqual({ retentionDays: 180 });
    expect(a.grants[0]).toEqual({ awaitingUndertaking: false, undertaking: { purpose: '养老保险待遇资格认证，仅用于本次认证', noOnwardTransfer: true, retentionDays: 180 } });
    expect(a.events.map((e: any) => e.action)).toEqual(['SUBMIT', 'APPROVE', 'UNDERTAKE']);
    expect(a.events[2].reason).toMatch(/不向第三方提供；保存 180 日/);
    const audit = (await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }) { records { json } } }')).body.data.auditRecords.records.map((r: any) => JSON.parse(r.json));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'undertakeApplication', department: 'hrss' }));
  });

  it('gives the demo\'s seeded grants a seeded undertaking', async () => {
    const grants = (await platform.admin('{ grants(consumer: "mca") { awaitingUndertaking undertaking { noOnwardTransfer } } }')).body.data.grants;
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) expect(g).toEqual({ awaitingUndertaking: false, undertaking: { noOnwardTransfer: true } });
  });
});
