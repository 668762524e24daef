import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { accessRecord, openTestAuditLog, type TestAuditLog } from './testing.ts';
import { AuditQueryError, queryAudit, whoRead, type AuditViewer } from './queries.ts';

const PROVIDERS: Record<string, string> = { Person: 'psb', LegalEntity: 'samr', Parcel: 'nr' };
const providerOf = (coordinate: string) => PROVIDERS[coordinate.split('.')[0]!] ?? null;
const platform: AuditViewer = { kind: 'platform' };
const psb: AuditViewer = { kind: 'department', department: 'psb', providerOf, subgraphs: ['population'] };
const samr: AuditViewer = { kind: 'department', department: 'samr', providerOf, subgraphs: ['legal-person'] };
const P1 = { kind: 'idNumber', value: '110101199001010011' } as const;
const E1 = { kind: 'creditCode', value: '91110000100000000A' } as const;

describe.each(testDialects())('audit queries on %s', (dialect) => {
  let t: TestAuditLog;
  const seqs: Record<string, number> = {};

  beforeAll(async () => {
    t = await openTestAuditLog(dialect);
    const add = async (name: string, record: Parameters<typeof t.log.append>[0]) => {
      seqs[name] = (await t.log.append(record)).seq;
    };
    await add('mcaReadsP1', accessRecord({ time: '2025-03-01T09:00:00Z', department: 'mca', app: 'cred-mca', caseId: '民〔2025〕1号', requested: ['Person.name', 'Person.householdAddress'], keys: [P1], subgraphs: ['population'] }));
    await add('samrReadsE1AndRep', accessRecord({ time: '2025-03-02T09:00:00Z', department: 'samr', app: 'cred-samr', requested: ['LegalEntity.name', 'Person.name'], keys: [E1, { kind: 'idNumber', value: '110101199001010022' }], subgraphs: ['legal-person', 'population'] }));
    await add('hrssDeniedP1', accessRecord({ time: '2025-03-03T09:00:00Z', department: 'hrss', app: 'cred-hrss', purpose: 'SOCIAL_SECURITY', requested: ['Person.householdAddress'], denied: ['Person.householdAddress'], keys: [P1], subgraphs: [] }));
    await add('mcaReadsE1', accessRecord({ time: '2025-03-04T09:00:00Z', department: 'mca', app: 'cred-mca', requested: ['LegalEntity.name'], keys: [E1], subgraphs: ['legal-person'] }));
    await add('nrViaPopulation', accessRecord({ time: '2025-03-05T09:00:00Z', department: 'nr', app: 'cred-nr', requested: ['Parcel.area'], keys: [{ kind: 'unitNo', value: 'U1' }], subgraphs: ['geography', 'population'] }));
    await add('platformSetsPolicy', { kind: 'ADMIN', time: '2025-03-06T09:00:00Z', department: 'platform', actor: 'cred-admin', action: 'setFieldPolicy', target: 'Person.householdAddress', reason: 'review', details: { sharingClass: 'CONDITIONAL' } });
    await add('samrProposes', { kind: 'ADMIN', time: '2025-03-07T09:00:00Z', department: 'samr', actor: 'cred-samr-admin', action: 'proposeFieldPolicy', target: 'LegalEntity.name', reason: null });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const names = (records: readonly { seq: number }[]) => records.map((r) => Object.keys(seqs).find((k) => seqs[k] === r.seq));

  it('the platform administrator sees every record, a page at a time', async () => {
    const first = await queryAudit(t.log, platform, { limit: 3 });
    expect(names(first.records)).toEqual(['mcaReadsP1', 'samrReadsE1AndRep', 'hrssDeniedP1']);
    const second = await queryAudit(t.log, platform, { limit: 3, after: first.next! });
    expect(names(second.records)).toEqual(['mcaReadsE1', 'nrViaPopulation', 'platformSetsPolicy']);
    const third = await queryAudit(t.log, platform, { limit: 3, after: second.next! });
    expect(names(third.records)).toEqual(['samrProposes']);
    expect(third.next).toBeNull();
    const newest = await queryAudit(t.log, platform, { limit: 2, order: 'desc' });
    expect(names(newest.records)).toEqual(['samrProposes', 'platformSetsPolicy']);
    expect(names((await queryAudit(t.log, platform, { limit: 2, order: 'desc', after: newest.next! })).records)).toEqual(['nrViaPopulation', 'mcaReadsE1']);
  });

  it('filters by consumer department, app, purpose, kind and time range', async () => {
    expect(names((await queryAudit(t.log, platform, { consumer: 'mca' })).records)).toEqual(['mcaReadsP1', 'mcaReadsE1']);
    expect(names((await queryAudit(t.log, platform, { app: 'cred-hrss' })).records)).toEqual(['hrssDeniedP1']);
    expect(names((await queryAudit(t.log, platform, { purpose: 'SOCIAL_SECURITY' })).records)).toEqual(['hrssDeniedP1']);
    expect(names((await queryAudit(t.log, platform, { kind: 'ADMIN' })).records)).toEqual(['platformSetsPolicy', 'samrProposes']);
    expect(names((await queryAudit(t.log, platform, { from: '2025-03-02T09:00:00Z', to: '2025-03-04T09:00:00Z' })).records)).toEqual(['samrReadsE1AndRep', 'hrssDeniedP1']);
    expect(names((await queryAudit(t.log, platform, { from: '2025-03-02T17:00:01+08:00', to: '2025-03-03T17:00:01+08:00' })).records)).toEqual(['hrssDeniedP1']);
  });

  it('filters by field coordinate, returned or denied', async () => {
    expect(names((await queryAudit(t.log, platform, { field: 'Person.householdAddress' })).records)).toEqual(['mcaReadsP1', 'hrssDeniedP1']);
    expect(names((await queryAudit(t.log, platform, { field: 'Person.householdAddress', outcome: 'RETURNED' })).records)).toEqual(['mcaReadsP1']);
    expect(names((await queryAudit(t.log, platform, { field: 'Person.householdAddress', outcome: 'DENIED' })).records)).toEqual(['hrssDeniedP1']);
    expect(names((await queryAudit(t.log, platform, { field: 'Person.name', limit: 1, order: 'desc' })).records)).toEqual(['samrReadsE1AndRep']);
  });

  it('answers "who read the householdAddress of person P1, when, for which purpose and case"', async () => {
    expect(names((await queryAudit(t.log, platform, { key: P1 })).records)).toEqual(['mcaReadsP1', 'hrssDeniedP1']);
    const page = await whoRead(t.log, platform, P1, 'Person.householdAddress');
    expect(page.records.map((r) => ({ time: r.time, department: r.department, app: r.credentialId, purpose: r.purpose, caseId: r.caseId }))).toEqual([
      { time: '2025-03-01T09:00:00.000Z', department: 'mca', app: 'cred-mca', purpose: 'ADMINISTRATIVE_BASIS', caseId: '民〔2025〕1号' },
    ]);
    expect((await whoRead(t.log, platform, P1, 'Person.name')).records.map((r) => r.seq)).toEqual([seqs.mcaReadsP1]);
    expect((await whoRead(t.log, platform, { kind: 'idNumber', value: 'nobody' }, 'Person.name')).records).toEqual([]);
  });

  it('a department administrator sees accesses to its data and its own records, with third departments left out', async () => {
    const seen = await queryAudit(t.log, psb, {});
    expect(names(seen.records)).toEqual(['mcaReadsP1', 'samrReadsE1AndRep', 'hrssDeniedP1', 'nrViaPopulation', 'platformSetsPolicy']);
    const samrRecord = seen.records.find((r) => r.seq === seqs.samrReadsE1AndRep)!;
    expect(samrRecord).toMatchObject({ requested: ['Person.name'], returned: ['Person.name'], subgraphs: ['population'], redacted: true });
    expect(samrRecord.keys).toEqual([E1, { kind: 'idNumber', value: '110101199001010022' }]);

    const samrSeen = await queryAudit(t.log, samr, {});
    expect(names(samrSeen.records)).toEqual(['samrReadsE1AndRep', 'mcaReadsE1', 'samrProposes']);
    expect(samrSeen.records[0]).not.toHaveProperty('redacted');
    expect(samrSeen.records[0]!.requested).toEqual(['LegalEntity.name', 'Person.name']);

    // Filters apply within what is visible.
    expect(names((await queryAudit(t.log, samr, { key: P1 })).records)).toEqual([]);
    expect(names((await queryAudit(t.log, psb, { key: P1, field: 'Person.householdAddress', outcome: 'DENIED' })).records)).toEqual(['hrssDeniedP1']);
    expect(names((await queryAudit(t.log, { kind: 'department', department: 'hrss', providerOf }, {})).records)).toEqual(['hrssDeniedP1']);
  });

  it('refuses malformed questions, saying what is expected', async () => {
    await expect(queryAudit(t.log, platform, { limit: 0 })).rejects.toThrow(AuditQueryError);
    await expect(queryAudit(t.log, platform, { limit: 5000 })).rejects.toThrow(/limit must be an integer from 1 to 1000/);
    await expect(queryAudit(t.log, platform, { outcome: 'DENIED' })).rejects.toThrow(/give field as well/);
    await expect(queryAudit(t.log, platform, { from: 'yesterday' })).rejects.toThrow(/from must be an ISO 8601 date-time/);
    await expect(queryAudit(t.log, platform, { key: { kind: 'passport' as never, value: 'x' } })).rejects.toThrow(/key must be/);
  });
});
