/**
 * Deadlines & limits in the console (issue 13), in Chromium: a department administrator reads
 * the values in force with their legal sources and cannot change them; the coordinating office
 * changes one with a reason — refused in the browser without one — and sees the new version in
 * the history; the department then reads the new value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openConsoleBrowser, CHROMIUM, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'deadlines & limits in the console' : `deadlines & limits in the console — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let browser: ConsoleBrowser;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    browser = await openConsoleBrowser(platform);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('shows a department the values and sources read-only; the coordinating office changes one with a reason', async () => {
    const psb = await browser.signIn('psb admin', platform.adminToken('psb'));
    await browser.go(psb, '#/deadlines');
    const catalogueRow = psb.getByTestId('setting-CATALOGUE_UPDATE_WORKING_DAYS');
    await expect.poll(() => catalogueRow.textContent()).toContain('002 art. 9');
    expect(await psb.getByTestId('setting-value-CATALOGUE_UPDATE_WORKING_DAYS').textContent()).toBe('10 个工作日');
    expect(await psb.getByTestId('setting-value-GRANT_MAX_DAYS').textContent()).toBe('1098 天');
    expect(await psb.getByTestId('settings-readonly').isVisible()).toBe(true);
    expect(await psb.getByTestId('setting-form').count()).toBe(0);

    const office = await browser.signIn('platform admin', platform.credentials.platformAdminToken);
    await browser.go(office, '#/deadlines');
    await office.getByTestId('setting-form').waitFor();
    await office.getByTestId('setting-key').selectOption('CATALOGUE_UPDATE_WORKING_DAYS');
    await office.getByTestId('setting-value').fill('15');
    await office.getByTestId('setting-save').click();
    // No reason: refused in the browser, nothing sent, nothing changed.
    await office.getByTestId('invalid-setting-reason').waitFor();
    expect((await platform.admin('{ platformSettings { version } }')).body.data.platformSettings.version).toBe(0);
    await office.getByTestId('setting-reason').fill('the city adopts the provincial 15 working days');
    await office.getByTestId('setting-save').click();
    await office.getByTestId('setting-saved').waitFor();
    await expect.poll(() => office.getByTestId('setting-value-CATALOGUE_UPDATE_WORKING_DAYS').textContent()).toBe('15 个工作日');
    const version = await office.getByTestId('settings-version-1').textContent();
    expect(version).toContain('CATALOGUE_UPDATE_WORKING_DAYS 10 → 15');
    expect(version).toContain('the city adopts the provincial 15 working days');

    await psb.reload();
    await browser.go(psb, '#/deadlines');
    await expect.poll(() => psb.getByTestId('setting-value-CATALOGUE_UPDATE_WORKING_DAYS').textContent()).toBe('15 个工作日');

    // Other pages' texts name the value in force.
    const answer = await platform.admin('mutation { changePlatformSettings(changes: [{ key: APPLICATION_ANSWER_WORKING_DAYS, value: 7 }], reason: "answers within 7 working days") { version } }');
    expect(answer.body.errors).toBeUndefined();
    const hrss = await browser.signIn('hrss app', platform.appToken('hrss'));
    await browser.go(hrss, '#/apply');
    await expect.poll(() => hrss.getByTestId('page-title').locator('xpath=..').textContent()).toContain('提供部门应在 7 个工作日内答复（R5）');
    expect(browser.offOrigin()).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
