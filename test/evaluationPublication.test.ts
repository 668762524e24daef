/**
 * An evaluation that evaluates (R11): INCONSISTENT_DATA for objections corrected late or left
 * open past their due date — never a correction in time, nothing for an open objection within
 * its deadline; a future year refused, the current one partial; the coordinating office's
 * all-department table; publication freezes a finished year's reports and shows them to every
 * department.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const REPORT = 'query($d: String, $y: Int!) { evaluationReport(department: $d, year: $y) { department year partial published publishedAt generatedOn violations { kind detail } json csv svg } }';
const SUMMARY = 'query($y: Int!) { evaluationSummary(year: $y) { year partial published publication { year reason } rows { department departmentName objectionsReceived objectionsResolvedOnTime objectionsInconsistent applicationsReceived violations } } }';
const PUBLISH = 'mutation($y: Int!, $r: String!) { publishEvaluationReports(year: $y, reason: $r) { year publishedAt publishedBy reason departments } }';
const RAISE = 'mutation($i: ObjectionInput!) { raiseObjection(input: $i) { id dueDate } }';
const CORRECT = 'mutation($id: ID!) { resolveObjection(id: $id, resolution: CORRECTED, note: "已更正", valueBefore: "旧值", valueAfter: "新值") { status } }';

describe.each(testDialects())('evaluation and its publication (R11) on %s', (dialect) => {
  let platform: TestPlatform;
  let now = new Date('2026-03-02T02:00:00Z'); // Monday 2 March 2026, 10:00 in China
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { clock: () => now });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const psbReport = async (year: number, token?: string) => {
    const { body } = await platform.admin(REPORT, { d: 'psb', y: year }, token);
    expect(body.errors).toBeUndefined();
    return { ...body.data.evaluationReport, report: JSON.parse(body.data.evaluationReport.json) };
  };
  const kinds = (r: { violations: { kind: string }[] }) => r.violations.map((v) => v.kind);
  const raise = async (coordinate: string) => {
    const person = platform.credentials.samples.persons[0]!;
    await platform.query(`{ person(idNumber: "${person}") { householdAddress maritalStatus } }`);
    const { body } = await platform.admin(RAISE, { i: { coordinate, entityKey: person, description: '与民政登记不一致' } }, platform.appToken('mca'));
    expect(body.errors).toBeUndefined();
    return body.data.raiseObjection as { id: string; dueDate: string };
  };

  it('counts a late correction and an objection open past due as inconsistent data, never a correction in time', async () => {
    const inTime = await raise('Person.householdAddress');
    const later = await raise('Person.maritalStatus');
    now = new Date('2026-03-04T02:00:00Z');
    expect((await platform.admin(CORRECT, { id: inTime.id }, platform.adminToken('psb'))).body.errors).toBeUndefined();

    // A correction in time, and an objection within its deadline: nothing to reproach.
    const early = await psbReport(2026);
    expect(early.partial).toBe(true);
    expect(early.report.objections).toMatchObject({ received: 2, corrected: 1, correctedOnTime: 1, correctedLate: 0, open: 1, openWithinDeadline: 1, openOverdue: 0 });
    expect(kinds(early)).not.toContain('INCONSISTENT_DATA');
    expect(early.csv).toContain('report,partial,true');

    // A year not begun is refused, for everyone.
    for (const token of [platform.adminToken('psb'), undefined]) {
      const future = await platform.admin(REPORT, { d: 'psb', y: 2027 }, token);
      expect(future.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(future.body.errors[0].message).toMatch(/2027 has not begun/);
    }
    expect((await platform.admin(SUMMARY, { y: 2027 })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');

    // The day after the due date, still open: inconsistent data.
    now = new Date(`${later.dueDate}T16:30:00Z`);
    const overdue = await psbReport(2026);
    expect(overdue.report.objections).toMatchObject({ openOverdue: 1, openWithinDeadline: 0, correctedLate: 0 });
    expect(kinds(overdue)).toContain('INCONSISTENT_DATA');

    // Corrected late: still inconsistent data, now as a late correction.
    expect((await platform.admin(CORRECT, { id: later.id }, platform.adminToken('psb'))).body.errors).toBeUndefined();
    const late = await psbReport(2026);
    expect(late.report.objections).toMatchObject({ corrected: 2, correctedOnTime: 1, correctedLate: 1, openOverdue: 0, resolvedLate: 1 });
    expect(late.violations.find((v: any) => v.kind === 'INCONSISTENT_DATA').detail).toMatch(/^1 datum\/data corrected after the objection's due date, 0 objection/);
  });

  it('publishes a finished year\'s reports once, frozen, and shows them to every department only then', async () => {
    // Open at the year's end, past due by the report's day.
    now = new Date('2026-11-16T02:00:00Z');
    const leftOpen = await raise('Person.householdAddress');
    now = new Date('2027-01-05T02:00:00Z');

    const before = await psbReport(2026);
    expect(before).toMatchObject({ partial: false, published: false, publishedAt: null });
    expect(before.report.objections).toMatchObject({ received: 3, correctedLate: 1, openOverdue: 1 });
    // Before publication: a department reads its own report only; the table is the office's.
    expect((await platform.admin(REPORT, { d: 'psb', y: 2026 }, platform.adminToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(REPORT, { d: 'tax', y: 2026 }, platform.adminToken('tax'))).body.data.evaluationReport.department).toBe('tax');
    expect((await platform.admin(SUMMARY, { y: 2026 }, platform.adminToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const table = (await platform.admin(SUMMARY, { y: 2026 })).body.data.evaluationSummary;
    expect(table).toMatchObject({ year: 2026, partial: false, published: false, publication: null });
    const departments = (await platform.admin('{ departments { code } }')).body.data.departments.map((d: any) => d.code);
    expect(table.rows.map((r: any) => r.department).sort()).toEqual([...departments].sort());
    expect(table.rows.find((r: any) => r.department === 'psb')).toMatchObject({ objectionsReceived: 3, objectionsResolvedOnTime: 1, objectionsInconsistent: 2, violations: expect.arrayContaining(['INCONSISTENT_DATA']) });

    // Only the office publishes, with a reason, a finished year.
    expect((await platform.admin(PUBLISH, { y: 2026, r: '年度评价' }, platform.adminToken('psb'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(PUBLISH, { y: 2026, r: ' ' })).body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await platform.admin(PUBLISH, { y: 2027, r: '年度评价' })).body.errors[0].message).toMatch(/2027 is not over/);
    expect((await platform.admin('{ reportPublications { year } }', {}, platform.adminToken('tax'))).body.data.reportPublications).toEqual([]);
    const published = await platform.admin(PUBLISH, { y: 2026, r: '2026年度政务信息资源共享评价' });
    expect(published.body.errors).toBeUndefined();
    expect(published.body.data.publishEvaluationReports).toMatchObject({ year: 2026, publishedAt: '2027-01-05T02:00:00.000Z', reason: '2026年度政务信息资源共享评价', departments: expect.arrayContaining(['psb', 'tax']) });
    const frozen = await psbReport(2026);
    expect(frozen).toMatchObject({ published: true, publishedAt: '2027-01-05T02:00:00.000Z', json: before.json, csv: before.csv, svg: before.svg });

    // New data: the open objection is corrected. The published report does not move.
    now = new Date('2027-01-06T02:00:00Z');
    expect((await platform.admin(CORRECT, { id: leftOpen.id }, platform.adminToken('psb'))).body.errors).toBeUndefined();
    for (const token of [undefined, platform.adminToken('psb'), platform.adminToken('tax')]) {
      const seen = await psbReport(2026, token);
      expect(seen.json).toBe(before.json);
      expect(seen.report.objections).toMatchObject({ correctedLate: 1, openOverdue: 1 });
    }
    expect((await platform.admin(PUBLISH, { y: 2026, r: 'again' })).body.errors[0].extensions.code).toBe('CONFLICT');

    // After publication every department reads every report and the table; apps still nothing.
    const seenByTax = (await platform.admin(SUMMARY, { y: 2026 }, platform.adminToken('tax'))).body.data.evaluationSummary;
    expect(seenByTax).toMatchObject({ published: true, publication: { year: 2026 } });
    expect(seenByTax.rows.find((r: any) => r.department === 'psb')).toEqual(table.rows.find((r: any) => r.department === 'psb'));
    expect((await platform.admin('{ reportPublications { year departments } }', {}, platform.adminToken('tax'))).body.data.reportPublications.map((p: any) => p.year)).toEqual([2026]);
    expect((await platform.admin(REPORT, { d: 'psb', y: 2026 }, platform.appToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const told = (await platform.admin('{ notifications { kind params { name value } } }', {}, platform.adminToken('tax'))).body.data.notifications;
    expect(told).toContainEqual({ kind: 'EVALUATION_REPORTS_PUBLISHED', params: [{ name: 'year', value: '2026' }] });
    // The current year is not published: still each department's own.
    expect((await platform.admin(REPORT, { d: 'psb', y: 2027 }, platform.adminToken('tax'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
