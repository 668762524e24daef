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
    // Chinese by default (the department's language setting, 020_department_language).
    expect(body.data.evaluationReport.csv).toMatch(/^\uFEFF部分 \(section\),指标 \(measure\),值 \(value\)\r\n/);
    expect(body.data.evaluationReport.svg).toContain('无条件共享字段');
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

  it('makes the CSV header and chart labels in the reading department\'s language, which its administrator sets', async () => {
    const SET = 'mutation($d: String!, $l: String!) { setDepartmentLanguage(department: $d, language: $l, reason: "英文报表") { code language } }';
    const other = await platform.admin(SET, { d: 'hrss', l: 'en' }, platform.adminToken('mca'));
    expect(other.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await platform.admin(SET, { d: 'mca', l: 'fr' }, platform.adminToken('mca'));
    expect(bad.body.errors[0].message).toMatch(/language is zh or en, received "fr"/);
    const set = await platform.admin(SET, { d: 'mca', l: 'en' }, platform.adminToken('mca'));
    expect(set.body.data.setDepartmentLanguage).toEqual({ code: 'mca', language: 'en' });
    const english = (await platform.admin(REPORT, { d: 'mca', y: year }, platform.adminToken('mca'))).body.data.evaluationReport;
    expect(english.csv).toMatch(/^\uFEFFsection,measure,value\r\n/);
    expect(english.svg).toContain('Unconditional fields');
    // Another reader keeps its own language: hrss, Chinese by default.
    const chinese = (await platform.admin(REPORT, { d: 'hrss', y: year }, platform.adminToken('hrss'))).body.data.evaluationReport;
    expect(chinese.csv).toMatch(/^\uFEFF部分 \(section\)/);
    const listed = await platform.admin('{ departments { code language } }', {}, platform.adminToken('mca'));
    expect(listed.body.data.departments).toEqual(expect.arrayContaining([{ code: 'mca', language: 'en' }, { code: 'psb', language: 'zh' }]));
  });

  it('shows a department only its own report; apps none', async () => {
    expect((await platform.admin(REPORT, { d: 'psb', y: year }, platform.adminToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(REPORT, { y: year }, platform.appToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(REPORT, { d: 'psb', y: 1800 })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
