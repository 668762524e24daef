/** The yearly evaluation report (R11) from the platform's real state: JSON, CSV, SVG; violations named; who may read it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const REPORT = 'query($d: String, $y: Int!) { evaluationReport(department: $d, year: $y) { department violations { kind detail } advice json csv svg } }';

describe('evaluation report (R11)', () => {
  let platform: TestPlatform;
  const year = new Date().getUTCFullYear();
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('reports a provider\'s resources, applications and objections, and names the violations', async () => {
    // An objection psb verifies and corrects in time: the feedback working (R9), not inconsistent
    // data (R11). An objection concerns data the consumer used (R9): mca reads it first.
    await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { maritalStatus } }`);
    const raised = await platform.admin('mutation($i: ObjectionInput!) { raiseObjection(input: $i) { id } }', {
      i: { coordinate: 'Person.maritalStatus', entityKey: platform.credentials.samples.persons[0], description: '婚姻状况与民政登记不一致' },
    }, platform.appToken('mca'));
    await platform.admin('mutation($id: ID!) { resolveObjection(id: $id, resolution: CORRECTED, note: "已更正", valueBefore: "未婚", valueAfter: "已婚") { status } }', { id: raised.body.data.raiseObjection.id }, platform.adminToken('psb'));
    await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name householdAddress } }`);

    const { body } = await platform.admin(REPORT, { d: 'psb', y: year }, platform.adminToken('psb'));
    expect(body.errors).toBeUndefined();
    const report = JSON.parse(body.data.evaluationReport.json);
    expect(report.provided.notShared).toBeGreaterThanOrEqual(1);
    expect(report.provided.conditional).toBeGreaterThanOrEqual(3);
    // The demo applications to psb: mca's, thca's (approved at seed) and hrss's (pending).
    expect(report.applicationsAnswered.received).toBeGreaterThanOrEqual(3);
    expect(report.applicationsAnswered.onTime).toBeGreaterThanOrEqual(2);
    expect(report.applicationsAnswered.pending).toBeGreaterThanOrEqual(1);
    expect(report.objections).toMatchObject({ received: 1, corrected: 1, resolvedOnTime: 1, correctedOnTime: 1, correctedLate: 0 });
    expect(report.partial).toBe(true);
    // Usage from the audit trail: psb's data was read by mca in this test's setup.
    expect(report.usage.available).toBe(true);
    expect(report.usage.byConsumer).toEqual(expect.arrayContaining([expect.objectContaining({ consumer: 'mca', provider: 'psb' })]));
    expect(body.data.evaluationReport.violations.map((v: any) => v.kind)).not.toContain('INCONSISTENT_DATA');
    expect(body.data.evaluationReport.csv).toMatch(/^\uFEFFsection,measure,value\r\n/);
    expect(body.data.evaluationReport.csv).toContain('objections,corrected,1');
    expect(body.data.evaluationReport.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(body.data.evaluationReport.svg).not.toMatch(/<script|href=/);
  });

  it('a consumer\'s report counts the applications it made; a clean record has no violation', async () => {
    const { body } = await platform.admin(REPORT, { d: 'tax', y: year });
    const report = JSON.parse(body.data.evaluationReport.json);
    expect(report.applicationsMade.made).toBeGreaterThanOrEqual(1);
    expect(report.applicationsMade.granted).toBeGreaterThanOrEqual(1);
    expect(body.data.evaluationReport.violations).toEqual([]);
  });

  it('shows a department only its own report; apps none', async () => {
    expect((await platform.admin(REPORT, { d: 'psb', y: year }, platform.adminToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(REPORT, { y: year }, platform.appToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(REPORT, { d: 'psb', y: 1800 })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
