/**
 * The policy workflow in the console, in Chromium (issue 13): the coordinating office proposes
 * a reclassification of psb's field, psb contests it from its inbox, the office applies it on
 * review; the history shows the change, and the office reverts it after seeing the field's
 * grants and recent readers — confirming over a later change of the same field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, openConsoleBrowser, CHROMIUM, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'policy workflow in the console' : `policy workflow in the console — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let browser: ConsoleBrowser;
  let office: Page;
  let psb: Page;
  let applied: number;
  const ethnicity = async (department: string) => {
    const { body } = await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { ethnicity } }`, { as: { department } });
    return body.data.person.ethnicity as string | null;
  };

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    browser = await openConsoleBrowser(platform);
    // hrss reads the field first: the revert panel lists it among the recent readers.
    expect(await ethnicity('hrss')).toBeTruthy();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('the office proposes a reclassification of psb\'s field; psb contests it; the office applies it on review', async () => {
    office = await browser.signIn('office', platform.credentials.platformAdminToken);
    await browser.go(office, '#/policies?provider=psb&field=Person.ethnicity');
    const editor = office.getByTestId('policy-editor');
    await editor.waitFor();
    expect(await editor.getByTestId('policy-submit').textContent()).toBe('向 psb 提议');
    await office.locator('#policy-class').selectOption('NOT_SHARED');
    await office.locator('#policy-basis').fill('《个人信息保护法》第二十八条');
    await office.locator('#policy-reason').fill('民族 is sensitive personal information');
    await editor.getByTestId('policy-submit').click();
    expect(await office.getByTestId('policy-saved').textContent()).toMatch(/已发送至 psb，由其接受或提出异议/);
    expect(await ethnicity('hrss')).toBeTruthy();

    psb = await browser.signIn('psb', platform.adminToken('psb'));
    await browser.go(psb, '#/proposals');
    const row = psb.getByTestId('reclassification-Person.ethnicity');
    await row.waitFor();
    expect(await row.textContent()).toContain('PENDING');
    // Contesting needs a reason.
    await row.getByRole('button', { name: '提出异议' }).click();
    await row.getByRole('alert').waitFor();
    await row.getByLabel('理由').fill('ethnicity is needed by every civil affairs office');
    await row.getByRole('button', { name: '提出异议' }).click();
    expect(await psb.getByTestId('reclassification-done').textContent()).toMatch(/已提出异议/);
    await expect.poll(() => row.textContent()).toContain('CONTESTED');

    await browser.go(office, '#/proposals');
    const contested = office.getByTestId('reclassification-Person.ethnicity');
    await contested.waitFor();
    expect(await contested.textContent()).toContain('ethnicity is needed by every civil affairs office');
    await contested.getByLabel('理由').fill('the 2026 review keeps it restricted');
    await contested.getByRole('button', { name: '采纳' }).click();
    const done = (await office.getByTestId('reclassification-done').textContent())!;
    applied = Number(/策略版本 (\d+)/.exec(done)![1]);
    expect(await ethnicity('hrss')).toBeNull();
    expect(await ethnicity('psb')).toBeTruthy();
  });

  it('the history shows the change; reverting it shows the readers first and must be confirmed over a later change', async () => {
    // A later change of the same field, by reasoned override.
    const later = await platform.admin(`mutation { setFieldPolicy(coordinate: "Person.ethnicity", override: true, reason: "conditional after all",
      policy: { sharingClass: CONDITIONAL, purposes: ["ADMINISTRATIVE_BASIS"], basis: "《个人信息保护法》第二十八条" }) { version } }`);
    expect(later.body.errors).toBeUndefined();
    const laterVersion = later.body.data.setFieldPolicy.version as number;

    await browser.go(office, '#/history');
    const change = office.getByTestId(`change-${applied}-Person.ethnicity`);
    await change.waitFor();
    expect(await change.textContent()).toMatch(/UNCONDITIONAL.*→.*NOT_SHARED/);
    await change.getByTestId(`revert-${applied}-Person.ethnicity`).click();
    const panel = office.getByTestId('revert-panel');
    await panel.getByTestId('revert-restores').waitFor();
    expect(await panel.getByTestId('reader-hrss').count()).toBe(1);
    expect(await panel.getByTestId('revert-later-changes').textContent()).toContain(`版本 ${laterVersion}`);
    await panel.getByTestId('revert-reason').fill('the classification is reviewed again next year');
    expect(await panel.getByTestId('revert-submit').isDisabled()).toBe(true);
    await panel.getByTestId('revert-confirm-later').check();
    await panel.getByTestId('revert-submit').click();
    expect(await office.getByTestId('policy-rolled-back').textContent()).toMatch(/Person\.ethnicity：已撤回版本 \d+ 的变更；策略版本 \d+ 已生效/);
    expect(await ethnicity('hrss')).toBeTruthy();
    expect((await platform.admin('{ fieldPolicy(coordinate: "Person.ethnicity") { sharingClass } }')).body.data.fieldPolicy.sharingClass).toBe('UNCONDITIONAL');

  });

  it('psb accepts a proposal from its inbox: applied as a new version; the office sees it accepted', async () => {
    const proposed = await platform.admin(`mutation { proposeReclassification(coordinate: "Person.maritalStatus", reason: "marital status needs a case number",
      policy: { sharingClass: CONDITIONAL, purposes: ["ADMINISTRATIVE_BASIS"], basis: "《个人信息保护法》第二十八条", caseIdRequired: true }) { id } }`);
    expect(proposed.body.errors).toBeUndefined();
    // psb is still on #/proposals: leave and come back so the page loads the new proposal.
    await browser.go(psb, '#/overview');
    await browser.go(psb, '#/proposals');
    const row = psb.getByTestId('reclassification-Person.maritalStatus');
    await row.waitFor();
    await row.getByRole('button', { name: '接受' }).click();
    const done = (await psb.getByTestId('reclassification-done').textContent())!;
    expect(done).toMatch(/已接受：Person\.maritalStatus 已在策略版本 \d+ 中重新分类/);
    expect((await platform.admin('{ fieldPolicy(coordinate: "Person.maritalStatus") { caseIdRequired } }')).body.data.fieldPolicy.caseIdRequired).toBe(true);
    await browser.go(office, '#/proposals');
    await expect.poll(() => office.getByTestId('reclassification-Person.maritalStatus').textContent()).toContain('ACCEPTED');

    expect(browser.offOrigin()).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
