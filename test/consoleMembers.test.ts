/**
 * 成员管理 in the console (issue 14), in Chromium: the coordinating office adds a purpose and a
 * person of a department with roles, and deactivates the person with a reason — refused in the
 * browser without one; a department administrator sees its own people, not the departments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openConsoleBrowser, CHROMIUM, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'members in the console' : `members in the console — skipped: no Chromium at ${CHROMIUM}`, () => {
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

  it('the office adds a purpose and a person with roles, and deactivates the person with a reason', async () => {
    const office = await browser.signIn('platform admin', platform.credentials.platformAdminToken);
    await browser.go(office, '#/members?department=mca');
    await office.getByTestId('members-departments').waitFor();
    await expect.poll(() => office.getByTestId('department-psb').textContent()).toContain('省公安厅');

    await office.locator('#purpose-code').fill('SOCIAL_ASSISTANCE_REVIEW');
    await office.locator('#purpose-name').fill('社会救助审核');
    await office.locator('#purpose-basis').fill('《社会救助暂行办法》第十一条');
    await office.locator('#purpose-reason').fill('新增目的');
    await office.getByTestId('add-purpose-submit').click();
    await expect.poll(() => office.getByTestId('purpose-SOCIAL_ASSISTANCE_REVIEW').textContent()).toContain('《社会救助暂行办法》第十一条');

    await office.locator('#person-name').fill('钱经办');
    await office.getByTestId('person-role-APPROVER').check();
    await office.locator('#person-reason').fill('入职');
    await office.getByTestId('add-person-submit').click();
    const people = async () => (await platform.admin('{ people(department: "mca") { id name roles deactivatedAt } }')).body.data.people as { id: string; name: string; roles: string[]; deactivatedAt: string | null }[];
    await expect.poll(async () => (await people()).find((p) => p.name === '钱经办')?.roles).toEqual(['DRAFTER', 'APPROVER']);
    const id = (await people()).find((p) => p.name === '钱经办')!.id;
    await expect.poll(() => office.getByTestId(`person-${id}`).textContent()).toContain('经办人、审批人');

    await office.getByTestId(`deactivate-person-${id}`).click();
    await office.getByTestId(`deactivate-person-${id}-confirm`).click();
    await office.getByTestId(`deactivate-person-${id}-invalid`).waitFor();
    expect((await people()).find((p) => p.id === id)!.deactivatedAt).toBeNull();
    await office.getByTestId(`deactivate-person-${id}-reason`).fill('调离');
    await office.getByTestId(`deactivate-person-${id}-confirm`).click();
    await office.getByTestId('person-deactivated').waitFor();
    await expect.poll(() => office.getByTestId(`person-${id}`).textContent()).toContain('已停用');

    // A department administrator sees its own people only, not the departments or purposes.
    const mca = await browser.signIn('mca admin', platform.adminToken('mca'));
    await browser.go(mca, '#/members');
    await expect.poll(() => mca.getByTestId('members-people').textContent()).toContain('钱经办');
    expect(await mca.getByTestId('members-departments').count()).toBe(0);
    expect(browser.offOrigin()).toEqual([]);
  });
});
