/** The access audit trail through the platform: every answered read recorded before the answer, "who read this record", visibility, admin actions. */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const RECORDS = 'query($f: AuditFilter) { auditRecords(filter: $f) { records { seq kind department purpose caseId json } next } }';

describe('audit trail (R10)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('answers who read the household address of a person, when, for which purpose and case', async () => {
    const person = platform.credentials.samples.persons[0]!;
    const read = await platform.query(`{ person(idNumber: "${person}") { name householdAddress } }`, { as: { department: 'mca', caseId: 'MJ-2026-017' } });
    expect(read.body.data.person.householdAddress).toBeTruthy();
    // The record was committed before the answer: it is there at once.
    const { body } = await platform.admin(RECORDS, { f: { field: 'Person.householdAddress', outcome: 'RETURNED', keyKind: 'idNumber', keyValue: person } }, platform.adminToken('psb'));
    expect(body.errors).toBeUndefined();
    const record = body.data.auditRecords.records.at(-1);
    expect(record).toMatchObject({ kind: 'ACCESS', department: 'mca', purpose: 'ADMINISTRATIVE_BASIS', caseId: 'MJ-2026-017' });
    const full = JSON.parse(record.json);
    expect(JSON.stringify(full)).toContain('population');
    // A department that neither provides nor consumed it sees nothing of it.
    const other = await platform.admin(RECORDS, { f: { keyKind: 'idNumber', keyValue: person, field: 'Person.householdAddress' } }, platform.adminToken('tax'));
    expect(other.body.data.auditRecords.records).toEqual([]);
    // Apps read no audit trail.
    expect((await platform.admin(RECORDS, { f: {} }, platform.appToken('mca'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('records a Chinese matter number, sent percent-encoded or as raw UTF-8 bytes', async () => {
    const person = platform.credentials.samples.persons[1]!;
    const caseId = '民〔2026〕17号';
    const encoded = await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'mca', caseId: encodeURIComponent(caseId) } });
    expect(encoded.status).toBe(200);
    // Raw bytes, as a client that does not encode sends them (fetch refuses to).
    const body = JSON.stringify({ query: `{ person(idNumber: "${person}") { name } }` });
    const url = new URL(platform.gateway.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(Buffer.concat([
          Buffer.from(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nConnection: close\r\n` +
            `Authorization: Bearer ${platform.appToken('mca')}\r\nX-Purpose: ADMINISTRATIVE_BASIS\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Case-Id: `),
          Buffer.from(caseId, 'utf8'),
          Buffer.from(`\r\n\r\n${body}`),
        ]));
      });
      let answer = '';
      socket.on('data', (c) => (answer += c));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    const { body: audit } = await platform.admin(RECORDS, { f: { caseId } });
    expect(audit.errors).toBeUndefined();
    expect(audit.data.auditRecords.records).toHaveLength(2);
    expect(audit.data.auditRecords.records.every((r: { caseId: string }) => r.caseId === caseId)).toBe(true);
    // A matter number that is not UTF-8 is refused, and nothing is read.
    const bad = await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'mca', caseId: '%E6%B0' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/X-Case-Id/);
    expect(bad.body.data?.person).toBeUndefined();
  });

  it('records denied fields and administrative actions with their reason', async () => {
    const person = platform.credentials.samples.persons[0]!;
    await platform.query(`{ person(idNumber: "${person}") { householdAddress } }`, { as: { department: 'hrss', purpose: 'DATA_VERIFICATION' } });
    const denied = await platform.admin(RECORDS, { f: { consumer: 'hrss', field: 'Person.householdAddress', outcome: 'DENIED' } });
    expect(denied.body.data.auditRecords.records.length).toBeGreaterThan(0);
    await platform.admin('mutation { setFieldPolicy(coordinate: "Person.ethnicity", policy: { sharingClass: UNCONDITIONAL }, reason: "audit test", override: true) { version } }');
    const admin = await platform.admin(RECORDS, { f: { kind: 'ADMIN', order: 'desc', limit: 5 } });
    const action = admin.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json)).find((r: any) => r.action === 'setFieldPolicy');
    expect(action).toMatchObject({ target: 'Person.ethnicity', reason: 'audit test' });
  });
});
