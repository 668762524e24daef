/**
 * A person signs in to the console in Chromium (issue 14): the demo's psb drafter, with username
 * and password, then the TOTP code; sees their department's pages; signs out and is back on the
 * sign-in page, the session over on the server too (a reload does not bring it back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../control/signIn/totp.ts';
import { CHROMIUM, hasChromium, openConsoleBrowser, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'console sign-in in Chromium' : `console sign-in in Chromium — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    browser = await openConsoleBrowser(platform);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('signs in locally with TOTP, sees psb\'s pages, and signs out to the sign-in page', async () => {
    const drafter = platform.demoAccounts.find((a) => a.username === 'psb-drafter')!;
    const page = await browser.newPage('psb drafter');
    await page.goto(`${browser.origin}/console`);
    await page.getByTestId('local-signin-form').waitFor();
    expect(await page.getByTestId('oidc-signin').count()).toBe(0);
    await page.getByTestId('username-input').fill(drafter.username);
    await page.getByTestId('password-input').fill('not the password');
    await page.getByTestId('local-signin').click();
    await expect.poll(() => page.getByTestId('local-signin-problem').textContent()).toMatch(/wrong/);
    await page.getByTestId('password-input').fill(drafter.password);
    await page.getByTestId('local-signin').click();
    await page.getByTestId('totp-input').waitFor();
    await page.getByTestId('totp-input').fill(await totpCode(drafter.totpSecret, new Date()));
    await page.getByTestId('local-signin').click();
    await page.getByTestId('whoami').waitFor();
    expect(await page.getByTestId('whoami-department').textContent()).toBe('省公安厅');
    expect(await page.getByTestId('whoami').textContent()).toContain('王经办');
    // A provider's pages: its inbox of applications; no platform sections.
    expect(await page.getByTestId('nav-inbox').count()).toBe(1);
    expect(await page.getByTestId('nav-escalations').count()).toBe(0);
    await page.getByTestId('nav-inbox').click();
    await page.waitForFunction(() => window.location.hash.startsWith('#/inbox'));
    // The session is a cookie the page cannot read, not a token in storage.
    expect(await page.evaluate(() => [document.cookie, sessionStorage.length, localStorage.length])).toEqual(['', 0, 0]);
    await page.reload();
    await page.getByTestId('whoami').waitFor();

    await page.getByTestId('signout').click();
    await page.getByTestId('local-signin-form').waitFor();
    await page.reload();
    await page.getByTestId('local-signin-form').waitFor();
    expect(await page.getByTestId('whoami').count()).toBe(0);
    expect(browser.offOrigin()).toEqual([]);
    // The wrong password's 401 is the one error the browser logs.
    expect(browser.problems.filter((p) => !/status of 401/.test(p.text))).toEqual([]);
  });
});
