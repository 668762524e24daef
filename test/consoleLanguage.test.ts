/**
 * The console speaks Chinese first, in Chromium: a zh-CN browser gets `<html lang="zh-CN">` and
 * Chinese labels, English is one click away and remembered; an English browser gets English.
 * And at 1440 × 900 the row actions (My access' Apply, Field policies' Edit) are on screen,
 * not behind a horizontal scroll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { CHROMIUM, hasChromium, openConsoleBrowser, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

/** Whether the element's box lies inside the viewport (not scrolled off to the right or below). */
async function inViewport(locator: Locator, viewport: { width: number; height: number }): Promise<boolean> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  return !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
}

describe.skipIf(!hasChromium)(hasChromium ? 'console languages and layout (Chromium)' : `console languages — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let zh: ConsoleBrowser;
  let en: ConsoleBrowser;
  const wide = { width: 1440, height: 900 };
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    zh = await openConsoleBrowser(platform, { locale: 'zh-CN', viewport: wide });
    en = await openConsoleBrowser(platform, { locale: 'en-US', viewport: wide });
  }, 120_000);
  afterAll(async () => {
    await zh?.close();
    await en?.close();
    await platform?.stop();
  });

  it('serves the page in the language the browser asks for, Chinese by default', async () => {
    const page = (accept?: string) => fetch(`${zh.origin}/console`, { headers: accept ? { 'accept-language': accept } : {} }).then((r) => r.text());
    expect(await page('zh-CN,zh;q=0.9')).toContain('<html lang="zh-CN">');
    expect(await page('en-US,en;q=0.9')).toContain('<html lang="en">');
    expect(await page('fr-FR')).toContain('<html lang="zh-CN">');
    expect(await page()).toContain('<html lang="zh-CN">');
  });

  it('a zh-CN browser reads Chinese labels; English is one click away and remembered', async () => {
    const mca = await zh.signIn('mca zh', platform.adminToken('mca'));
    expect(await mca.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await mca.getByTestId('nav-access').textContent()).toBe('我的权限');
    expect(await mca.getByTestId('signout').textContent()).toBe('退出登录');
    await zh.go(mca, '#/access');
    await mca.getByTestId('page-title').filter({ hasText: '我的权限' }).waitFor();
    // Sharing classes by Chinese name, the code kept beside; fields with their catalogue item name.
    const table = mca.getByTestId('access-table');
    await table.waitFor();
    expect(await table.textContent()).toContain('有条件共享');
    expect(await table.textContent()).toContain('CONDITIONAL');
    expect(await mca.getByTestId('access-row-Person.name').getByTestId('item-name').textContent()).toMatch(/[\u4e00-\u9fff]/);

    await mca.getByTestId('language-en').click();
    expect(await mca.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await mca.getByTestId('nav-access').textContent()).toBe('My access');
    await mca.reload();
    await mca.getByTestId('whoami').waitFor();
    expect(await mca.getByTestId('nav-access').textContent()).toBe('My access');
    expect(await mca.evaluate(() => document.documentElement.lang)).toBe('en');
    await mca.getByTestId('language-zh-CN').click();
    expect(await mca.getByTestId('nav-access').textContent()).toBe('我的权限');
    expect(zh.problems).toEqual([]);
  });

  it('an English browser gets English', async () => {
    const page = await en.newPage('en sign-in');
    await page.goto(`${en.origin}/console`);
    expect(await page.getByTestId('signin').textContent()).toBe('Sign in');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('at 1440 × 900 the row actions are on screen without scrolling sideways', async () => {
    const mca = await zh.signIn('mca wide', platform.adminToken('mca'));
    await zh.go(mca, '#/access?');
    const apply = mca.locator('[data-testid^="apply-"]').first();
    await apply.waitFor();
    expect(await inViewport(apply, wide)).toBe(true);

    const office = await zh.signIn('office wide', platform.credentials.platformAdminToken);
    await zh.go(office, '#/policies');
    const edit = office.locator('[data-testid^="edit-"]').first();
    await edit.waitFor();
    expect(await inViewport(edit, wide)).toBe(true);
    expect(zh.offOrigin()).toEqual([]);
  });
});
