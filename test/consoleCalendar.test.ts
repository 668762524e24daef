/**
 * The working-day calendar in the console (issue 13), in Chromium, with the clock at
 * 2026-12-20: the coordinating office sees the banner that the 2027 notice is missing, a
 * provider's inbox marks the provisional deadline 暂定, the office enters the notice as lines
 * of `YYYY-MM-DD 名称` (a wrong line is refused and nothing changes), and the mark and the
 * banner go; a department administrator sees the years but no form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, openConsoleBrowser, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'the working-day calendar in the console (Chromium)' : `the working-day calendar in the console — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let browser: ConsoleBrowser;
  const now = new Date('2026-12-20T02:00:00Z');
  let applicationId = '';
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', { clock: () => now });
    browser = await openConsoleBrowser(platform);
    const { body } = await platform.admin(`mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id dueDate } }`, {
      input: { coordinates: ['Person.maritalStatus'], purpose: 'ADMINISTRATIVE_BASIS', justification: '养老保险待遇资格认证', legalBasis: '《社会保险法》第五十八条', requestedUntil: '2027-06-30' },
    }, platform.appToken('hrss'));
    applicationId = body.data.applyForAccess[0].id;
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('marks the provider\'s provisional deadline 暂定 in its applications and warns that the 2027 notice is missing', async () => {
    const psb = await browser.signIn('psb admin', platform.adminToken('psb'));
    await browser.go(psb, '#/applications');
    const row = psb.getByTestId(`application-${applicationId}`);
    await row.getByTestId('provisional').waitFor();
    expect(await row.getByTestId('provisional').textContent()).toBe('暂定');
    expect(await psb.getByTestId('calendar-warning').textContent()).toContain('2027 年放假通知尚未录入');
    await browser.go(psb, '#/calendar');
    await psb.getByTestId('calendar-year-2027').waitFor();
    expect(await psb.getByTestId('calendar-year-2027').textContent()).toContain('暂定');
    expect(await psb.getByTestId('notice-form').count()).toBe(0);
  });

  it('lets the coordinating office enter the 2027 notice; a wrong line is refused first', async () => {
    const office = await browser.signIn('platform admin', platform.credentials.platformAdminToken);
    await office.getByTestId('calendar-warning').waitFor();
    await browser.go(office, '#/calendar');
    await office.getByTestId('notice-form').waitFor();
    await office.locator('#notice-year').fill('2027');
    await office.locator('#notice-holidays').fill('2027-01-01 元旦\n2027-02-06 春节\n2027-02-07 春节');
    await office.locator('#notice-workdays').fill('2027-01-04 元旦'); // a Monday
    await office.locator('#notice-reason').fill('国务院办公厅关于2027年部分节假日安排的通知');
    await office.getByTestId('notice-submit').click();
    await office.getByTestId('error-message').waitFor();
    expect(await office.getByTestId('error-message').textContent()).toContain('2027-01-04 is not a Saturday or Sunday');
    expect(await office.getByTestId('calendar-year-2027').textContent()).toContain('暂定');

    await office.locator('#notice-workdays').fill('2027-01-02 元旦');
    await office.getByTestId('notice-submit').click();
    await office.getByTestId('notice-entered').waitFor();
    expect(await office.getByTestId('notice-entered').textContent()).toMatch(/2027 年通知已录入/);
    await office.getByTestId('calendar-year-2027').filter({ hasText: '已录入通知' }).waitFor();
    expect(await office.getByTestId('calendar-year-2027').textContent()).toContain('2027-01-02');

    const { body } = await platform.admin('query($id: ID!) { application(id: $id) { dueDate dueDateProvisional } }', { id: applicationId });
    expect(body.data.application).toEqual({ dueDate: '2027-01-04', dueDateProvisional: false });
    await office.reload();
    await office.getByTestId('calendar-years').waitFor();
    expect(await office.getByTestId('calendar-warning').count()).toBe(0);
    expect(browser.offOrigin()).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
