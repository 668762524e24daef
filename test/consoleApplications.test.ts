/**
 * The application workflow's refused fields in the console, in Chromium (R5): the provider
 * approves part of an application, giving the field it leaves out a legal ground and text; the
 * consumer reads that reason and contests the field; the coordinating office grants that field
 * alone from its escalations; the consumer's access then shows the field readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, openConsoleBrowser, type ConsoleBrowser } from './fixtures/consoleBrowser.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const REFUSED = 'Parcel.mortgages';
const GRANTED = 'Parcel.rightHolders';

describe.skipIf(!hasChromium)(hasChromium ? 'refused fields in the console (Chromium)' : `refused fields in the console — skipped: no Chromium at ${CHROMIUM}`, () => {
  let platform: TestPlatform;
  let browser: ConsoleBrowser;
  let applicationId: string;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    browser = await openConsoleBrowser(platform);
    const { body } = await platform.admin('mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id } }', {
      input: { coordinates: [GRANTED, REFUSED], purpose: 'ADMINISTRATIVE_BASIS', justification: '最低生活保障家庭经济状况核对', legalBasis: '《社会救助暂行办法》第十一条', requestedUntil: '2027-06-30' },
    }, platform.adminToken('hrss'));
    applicationId = body.data.applyForAccess[0].id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('provider refuses one field with a ground, consumer contests it, office grants it, consumer reads it', async () => {
    // The provider: leaving a field out asks for its ground and text before anything is sent.
    const provider = await browser.signIn('nr admin', platform.adminToken('nr'));
    await browser.go(provider, '#/inbox');
    const card = provider.getByTestId(`inbox-${applicationId}`);
    await card.waitFor();
    // The card says how many working days are left to answer (R5), from the platform's calendar.
    await expect.poll(async () => (await card.getByTestId('days-left').textContent()) ?? '').toMatch(/^(剩余 \d+ 个工作日|今日到期)$/);
    await card.getByRole('checkbox', { name: REFUSED }).uncheck();
    const prefix = `decide-${applicationId}`;
    await card.getByTestId(`${prefix}-approve`).click();
    await expect(card.getByTestId(`${prefix}-refusal-${REFUSED}`).getByRole('alert').textContent()).resolves.toMatch(/法律依据/);
    await card.getByTestId(`${prefix}-refusal-${REFUSED}-ground`).selectOption('PERSONAL_PRIVACY');
    await card.getByTestId(`${prefix}-refusal-${REFUSED}-text`).fill('抵押权人为自然人,涉及个人隐私');
    await card.getByTestId(`${prefix}-approve`).click();
    await provider.getByTestId('decision-done').waitFor();

    // The consumer: sees the reason of the refused field and contests that field alone.
    const consumer = await browser.signIn('hrss admin', platform.adminToken('hrss'));
    await browser.go(consumer, `#/applications/${applicationId}`);
    const refusal = consumer.getByTestId(`refusal-${REFUSED}`);
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/个人隐私.*抵押权人为自然人/);
    // The partial approval's notification names the refused field, its ground and reason, in Chinese.
    await browser.go(consumer, '#/notifications');
    const refusedNote = consumer.getByTestId('refused-field').first();
    await refusedNote.waitFor();
    expect(await refusedNote.textContent()).toBe(`未准予 ${REFUSED}：涉及个人隐私，理由：抵押权人为自然人,涉及个人隐私`);
    await browser.go(consumer, `#/applications/${applicationId}`);
    await refusal.waitFor();
    expect(await consumer.getByTestId(`refusal-${GRANTED}`).count()).toBe(0);
    await consumer.getByTestId(`contest-field-${REFUSED}-reason`).fill('低保核对需要核实抵押情况');
    await consumer.getByTestId(`contest-field-${REFUSED}-submit`).click();
    await expect.poll(async () => (await consumer.getByTestId(`contest-${REFUSED}`).textContent()) ?? '').toMatch(/协调办公室处理中/);
    expect(await consumer.getByTestId(`contest-field-${REFUSED}`).count()).toBe(0);

    // The coordinating office: the field is in its escalations, with its refusal; it grants that field.
    const office = await browser.signIn('office', platform.credentials.platformAdminToken);
    await browser.go(office, '#/escalations');
    const escalation = office.getByTestId(`inbox-${applicationId}`);
    await escalation.waitFor();
    expect(await escalation.getByTestId(`refusal-${REFUSED}`).textContent()).toContain('抵押权人为自然人');
    await escalation.getByTestId(`arbitrate-field-${REFUSED}-grant`).click();
    await expect(escalation.getByRole('alert').first().textContent()).resolves.toMatch(/仲裁须说明理由/);
    await escalation.getByTestId(`arbitrate-field-${REFUSED}-reason`).fill('履行低保审核职责确需使用 (R5)');
    await escalation.getByTestId(`arbitrate-field-${REFUSED}-grant`).click();
    await office.getByTestId('decision-done').waitFor();

    // The consumer's access now shows the field readable.
    await browser.go(consumer, '#/access');
    const row = consumer.getByTestId(`access-row-${REFUSED}`);
    await row.waitFor();
    await expect.poll(async () => row.getByTestId('access-status').textContent()).toBe('可读取');

    expect(browser.offOrigin()).toEqual([]);
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
