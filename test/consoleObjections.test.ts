/**
 * The console's objection follow-ups and evaluation publication, in Chromium, one role each:
 * the provider corrects with the value before and after; the reader told sees them, a
 * department that never read the datum does not; the coordinating office sees the escalated
 * objection, the all-department table, and publishes a finished year; a department then reads
 * another department's published report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, openConsoleBrowser, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'objections and reports in the console (Chromium)' : `objections and reports in the console — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let browser: ConsoleBrowser;
  let now = new Date('2026-11-16T02:00:00Z'); // Monday 16 November 2026, 10:00 in China
  let corrected: string;
  let overdue: { id: string; dueDate: string };
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', { clock: () => now });
    browser = await openConsoleBrowser(platform);
    const [overduePerson, person] = platform.credentials.samples.persons as string[];
    await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'hrss', purpose: 'WORK_REFERENCE' } });
    await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'mca' } });
    const raise = async (as: string, coordinate: string, entityKey: string, extra: Record<string, string> = {}) => {
      const { body } = await platform.admin('mutation($i: ObjectionInput!) { raiseObjection(input: $i) { id dueDate } }', { i: { coordinate, entityKey, description: '与登记不一致', ...extra } }, platform.appToken(as));
      expect(body.errors).toBeUndefined();
      return body.data.raiseObjection as { id: string; dueDate: string };
    };
    corrected = (await raise('hrss', 'Person.name', person!, { observedValue: '王五', expectedValue: '王伍' })).id;
    await platform.query(`{ person(idNumber: "${overduePerson}") { householdAddress } }`);
    overdue = await raise('mca', 'Person.householdAddress', overduePerson!);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('the provider corrects with the value before and after; the reader told sees them, another department not', async () => {
    const psb = await browser.signIn('psb', platform.adminToken('psb'));
    await browser.go(psb, '#/objections');
    const row = psb.locator('[data-testid="objections-table"] tr', { hasText: 'Person.name' });
    await row.getByTestId('resolve-note').fill('已核对户籍档案并更正');
    await row.getByTestId('resolve-before').fill('');
    await row.getByTestId('resolve-corrected').click();
    expect(await row.getByTestId('resolve-invalid').textContent()).toMatch(/更正前后的值/);
    await row.getByTestId('resolve-before').fill('王五');
    await row.getByTestId('resolve-after').fill('王伍');
    await row.getByTestId('resolve-corrected').click();
    const shown = psb.locator('[data-testid="objections-table"] tr', { hasText: 'Person.name' }).getByTestId('objection-correction');
    await shown.waitFor();
    expect(await shown.textContent()).toBe('王五 → 王伍');
    const stored = (await platform.admin('query($id: ID) { objectionCorrections(objectionId: $id) { valueBefore valueAfter } }', { id: corrected })).body.data.objectionCorrections;
    expect(stored).toEqual([{ valueBefore: '王五', valueAfter: '王伍' }]);

    const reader = await browser.signIn('mca', platform.adminToken('mca'));
    await browser.go(reader, '#/objections');
    const corrections = reader.getByTestId('corrections-table');
    await corrections.waitFor();
    expect(await corrections.textContent()).toContain('王五 → 王伍');
    expect(await corrections.textContent()).toContain('Person.name');

    const other = await browser.signIn('samr', platform.adminToken('samr'));
    await browser.go(other, '#/objections');
    await other.getByText('没有更正。').waitFor();
    expect(await other.locator('body').textContent()).not.toContain('王伍');
  });

  it('the office sees the objection escalated past its due date', async () => {
    now = new Date(`${overdue.dueDate}T16:30:00Z`);
    expect((await platform.admin('mutation { escalateOverdueObjections }')).body.data.escalateOverdueObjections).toContain(overdue.id);
    const office = await browser.signIn('office', platform.credentials.platformAdminToken);
    await browser.go(office, '#/objections');
    const escalated = office.getByTestId('escalated-objections');
    await escalated.waitFor();
    expect(await escalated.textContent()).toContain('Person.householdAddress');
    expect(await escalated.textContent()).toContain(overdue.dueDate);
  });

  it('the office publishes a finished year from the all-department table; a department then reads another\'s published report', async () => {
    const tax = await browser.signIn('tax', platform.adminToken('tax'));
    // Before publication: psb's report is not tax's to choose; tax sees its own.
    await browser.go(tax, '#/reports?year=2025&department=psb');
    await tax.getByTestId('report').waitFor();
    expect(await tax.getByTestId('report').locator('h2').textContent()).toContain('(tax)');
    expect(await tax.getByTestId('summary-table').count()).toBe(0);

    const office = await browser.signIn('office reports', platform.credentials.platformAdminToken);
    await browser.go(office, '#/reports?year=2025');
    const table = office.getByTestId('summary-table');
    await table.waitFor();
    expect(await table.textContent()).toContain('(psb)');
    await office.getByTestId('publish-reports').click();
    await office.getByTestId('publish-reports-reason').fill('2025年度政务信息资源共享评价');
    await office.getByTestId('publish-reports-confirm').click();
    // The table reloads as published (nothing left to publish), the report as stored, the list with the year.
    await office.getByTestId('report-published').waitFor();
    await office.getByText('全部部门 —— 2025 年度 · 已发布').waitFor();
    expect(await office.getByTestId('publish-reports').count()).toBe(0);
    await office.getByTestId('published-reports').getByText('2025年度政务信息资源共享评价').waitFor();

    await browser.go(tax, '#/reports?year=2025&department=psb');
    await tax.reload();
    await tax.getByTestId('report').locator('h2', { hasText: '(psb)' }).waitFor();
    await tax.getByTestId('report-published').waitFor();
    await tax.getByTestId('summary-table').waitFor();
    expect(await tax.getByTestId('published-reports').textContent()).toContain('2025');
    // The current year is reported to date.
    await browser.go(tax, '#/reports?year=2026');
    await tax.getByTestId('report-partial').waitFor();

    expect(browser.offOrigin()).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
