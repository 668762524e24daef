/**
 * The web console end to end, in a real browser: the whole platform in-process, Debian's
 * Chromium driven by playwright-core. Each user has a browser context of its own (its own
 * sessionStorage), as if on a different machine.
 *
 * Across every page the suite records each request the browser made and each console error,
 * page error and CSP violation: the console must load nothing from anywhere but the platform
 * (government networks have no internet) and must run clean under its CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningSubgraph } from '../subgraphs/runtime/server.ts';
import { socialAssistance, startSocialAssistance } from './fixtures/socialAssistance.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { DEMO_PURPOSES } from '../demo/departments.ts';
import { CHROMIUM, hasChromium, openConsoleBrowser, type ConsoleBrowser, type ConsoleProblem } from './fixtures/consoleBrowser.ts';

/** The browser's own log line for the refused sign-in: the one console error the suite expects. */
const expected401 = (p: ConsoleProblem) => p.page === 'wrong token' && /status of 401/.test(p.text);

describe.skipIf(!hasChromium)(hasChromium ? 'web console in Chromium' : `web console in Chromium — skipped: no Chromium at ${CHROMIUM} (Debian package "chromium")`, () => {
  let platform: TestPlatform;
  /** Every page's requests and problems are recorded (test/fixtures/consoleBrowser.ts). */
  let browser: ConsoleBrowser;
  let origin: string;

  /** The field the consumer applies for, found from the API, and who provides it. */
  let field: { coordinate: string; purpose: string; provider: string };
  let providerName: string;
  let applicationId: string;
  let consumer: Page;
  /** Taxation's administrator: a department that neither provides the field nor owns the sixth subgraph. */
  let tax: Page;
  /** The providing department's administrator, signed in when it approves the application. */
  let provider: Page;
  /** The platform administrator, signed in when it reads the audit trail. */
  let admin: Page;
  /** The policy version the platform administrator's override made. */
  let overrideVersion: number;
  /** A sixth subgraph civil affairs registers from the console (test/fixtures/socialAssistance.ts). */
  let sixth: RunningSubgraph;
  let person: string;
  /** The supergraph version that still has SocialAssistance.since, before the breaking change. */
  let beforeBreaking: number;

  const departmentName = (code: string) => platform.credentials.departments.find((d) => d.code === code)!.name;
  /** A purpose as the console shows it: by its Chinese name (the demo's purposes). */
  const purposeName = (code: string) => DEMO_PURPOSES.find((p) => p.code === code)?.name ?? code;

  /** Civil affairs reads its own social assistance field through the gateway (which also puts it in the audit trail). */
  const readAssistance = () => platform.query(`{ person(idNumber: "${person}") { socialAssistance { kind since } } }`, { as: { department: 'mca' } });

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    browser = await openConsoleBrowser(platform);
    origin = browser.origin;
    const { body } = await platform.admin('{ myAccess { coordinate status applicableFor } }', {}, platform.adminToken('mca'));
    const applicable = (body.data.myAccess as { coordinate: string; status: string; applicableFor: string[] }[]).find((f) => f.status === 'APPLY' && f.applicableFor.length > 0);
    expect(applicable, 'the demo gives mca at least one conditional field it may apply for').toBeDefined();
    const policy = await platform.admin('query($c: String!) { fieldPolicy(coordinate: $c) { provider } }', { c: applicable!.coordinate });
    field = { coordinate: applicable!.coordinate, purpose: applicable!.applicableFor[0]!, provider: policy.body.data.fieldPolicy.provider };
    providerName = departmentName(field.provider);
    person = platform.credentials.samples.persons[0]!;
    sixth = await startSocialAssistance(platform.storage, [person]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sixth?.close();
    await platform?.stop();
  });

  it('redirects / to the console and serves it with its CSP', async () => {
    const root = await fetch(`${origin}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console');
    const page = await fetch(`${origin}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toContain('/console/assets/console.js');
    expect((await fetch(`${origin}/console/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('refuses a wrong token with the API\'s reason and shows no data', async () => {
    const page = await browser.newPage('wrong token');
    await page.goto(`${origin}/console`);
    await page.getByTestId('signin').click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/请粘贴令牌/);
    await page.getByTestId('token-input').fill('not-a-real-token');
    await page.getByTestId('signin').click();
    await page.getByTestId('error-code').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('UNAUTHENTICATED');
    // The browser asks for zh-CN, so the API's message is Chinese (lib/messages.ts); the code is the same.
    expect(await page.getByTestId('error-message').textContent()).toMatch(/令牌无效或已吊销/);
    expect(await page.getByTestId('whoami').count()).toBe(0);
    expect(await page.locator('nav').count()).toBe(0);
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
    // Chromium logs the 401 answer itself; that one is expected here (and excused in the last test).
    const mine = browser.problems.filter((p) => p.page === 'wrong token');
    expect(mine.every(expected401), JSON.stringify(mine)).toBe(true);
  });

  it('a consumer department sees its access, applies for a conditional field and sees the application pending', async () => {
    consumer = await browser.signIn('mca', platform.adminToken('mca'));
    expect(await consumer.getByTestId('whoami-department').textContent()).toBe(departmentName('mca'));
    expect(await consumer.getByTestId('overview-department').textContent()).toContain(departmentName('mca'));
    // A consumer department has no inbox and no platform sections, but may register a subgraph of its own.
    expect(await consumer.getByTestId('nav-inbox').count()).toBe(0);
    expect(await consumer.getByTestId('nav-history').count()).toBe(0);
    expect(await consumer.getByTestId('nav-escalations').count()).toBe(0);
    expect(await consumer.getByTestId('nav-registry').count()).toBe(1);

    await consumer.getByTestId('nav-access').click();
    const row = consumer.getByTestId(`access-row-${field.coordinate}`);
    await row.waitFor();
    expect(await row.getByTestId('access-status').textContent()).toBe('需申请');
    expect(await row.getByTestId('access-readable').textContent()).not.toContain(purposeName(field.purpose));
    expect(await row.textContent()).toContain('CONDITIONAL');

    await row.getByTestId(`apply-${field.coordinate}`).click();
    await consumer.getByTestId('apply-form').waitFor();
    expect(await consumer.locator('#coordinates').inputValue()).toBe(field.coordinate);
    // The form says what is missing before anything is sent.
    await consumer.locator('#purpose').selectOption('');
    await consumer.getByTestId('apply-submit').click();
    await consumer.getByTestId('invalid-justification').waitFor();
    expect(await consumer.getByTestId('invalid-purpose').textContent()).toMatch(/用途/);
    expect(await consumer.getByTestId('invalid-legalBasis').textContent()).toMatch(/法律依据/);

    await consumer.locator('#purpose').selectOption(field.purpose);
    await consumer.locator('#justification').fill('最低生活保障家庭经济状况核对 (minimum living allowance review)');
    await consumer.locator('#legalBasis').fill('《社会救助暂行办法》第十一条');
    await consumer.getByTestId('apply-submit').click();
    const success = consumer.getByTestId('apply-success');
    await success.waitFor();
    expect(await success.getByTestId('created-status').textContent()).toBe('待答复');
    expect(await success.getByTestId('created-status').getAttribute('title')).toBe('PENDING');
    expect(await success.textContent()).toContain(field.provider);
    applicationId = (await consumer.getByTestId('created-application').first().textContent())!.trim();
    expect(applicationId).toMatch(/^app-/);

    await browser.go(consumer, '#/applications?role=CONSUMER');
    const listed = consumer.getByTestId(`application-${applicationId}`);
    await listed.waitFor();
    expect(await listed.getByTestId('application-status').textContent()).toBe('待答复');
  });

  it('shows the API\'s refusal with its code when an application makes no sense', async () => {
    await browser.go(consumer, '#/apply?coordinates=Person.name&purpose=WORK_REFERENCE');
    await consumer.locator('#justification').fill('reference');
    await consumer.locator('#legalBasis').fill('none needed');
    await consumer.getByTestId('apply-submit').click();
    await consumer.getByTestId('error-code').waitFor();
    expect(await consumer.getByTestId('error-code').textContent()).toBe('BAD_USER_INPUT');
    expect(await consumer.getByTestId('error-message').textContent()).toMatch(/shared unconditionally/);
    expect(await consumer.getByTestId('apply-success').count()).toBe(0);
  });

  it('the providing department approves it from its inbox; the consumer then sees it approved and readable', async () => {
    provider = await browser.signIn(field.provider, platform.adminToken(field.provider));
    expect(await provider.getByTestId('whoami-department').textContent()).toBe(providerName);
    await provider.getByTestId('nav-inbox').click();
    const card = provider.getByTestId(`inbox-${applicationId}`);
    await card.waitFor();
    expect(await card.textContent()).toContain(field.coordinate);
    // A rejection must state its reason (R5): the form refuses before asking the API.
    await card.getByTestId(`decide-${applicationId}-reject`).click();
    await expect(card.getByRole('alert').first().textContent()).resolves.toMatch(/须说明理由/);
    await card.getByTestId(`decide-${applicationId}-reason`).fill('核对所需，同意 (needed for the review)');
    await card.getByTestId(`decide-${applicationId}-approve`).click();
    await provider.getByTestId('decision-done').waitFor();
    await expect.poll(() => provider.getByTestId(`inbox-${applicationId}`).count()).toBe(0);

    await browser.go(consumer, `#/applications/${applicationId}`);
    await consumer.getByTestId('application-title').waitFor();
    expect(await consumer.getByTestId('application-status').textContent()).toBe('已批准');
    expect(await consumer.getByTestId('application-facts').textContent()).toContain('needed for the review');
    await browser.go(consumer, '#/access');
    const row = consumer.getByTestId(`access-row-${field.coordinate}`);
    await row.waitFor();
    expect(await row.getByTestId('access-status').textContent()).toBe('可读取');
    expect(await row.getByTestId('access-readable').textContent()).toContain(purposeName(field.purpose));
    expect(await consumer.getByTestId('grants-table').textContent()).toContain(field.coordinate);
  });

  it('the providing department revokes the grant, stating why; the consumer must apply again', async () => {
    const { body } = await platform.admin('query($c: String!) { grants(consumer: "mca", coordinate: $c) { id purpose } }', { c: field.coordinate });
    const grant = (body.data.grants as { id: string; purpose: string }[]).find((g) => g.purpose === field.purpose)!;
    expect(grant, 'the approval made a grant').toBeDefined();
    const revoke = `revoke-grant-${grant.id}`;

    // The consumer sees the grant it holds; revoking it is for the field's provider.
    await browser.go(consumer, '#/grants');
    const held = consumer.getByTestId(`grant-${grant.id}`);
    await held.waitFor();
    expect(await held.getByTestId('grant-state').textContent()).toBe('有效');
    expect(await held.getByTestId(revoke).count()).toBe(0);

    await browser.go(provider, '#/grants?side=given');
    const row = provider.getByTestId(`grant-${grant.id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(departmentName('mca'));
    await row.getByTestId(revoke).click();
    // A revocation states its reason: the console says so before asking the API.
    await row.getByTestId(`${revoke}-confirm`).click();
    await row.getByTestId(`${revoke}-invalid`).waitFor();
    await row.getByTestId(`${revoke}-reason`).fill('核对已完成，不再需要 (the review is finished)');
    await row.getByTestId(`${revoke}-confirm`).click();
    expect(await provider.getByTestId('grant-revoked').textContent()).toMatch(new RegExp(`mca 不能再为.+读取 ${field.coordinate.replace('.', '\\.')}`));
    // Only active grants are listed until the user asks for the others.
    await expect.poll(() => row.count()).toBe(0);
    // The box follows the URL (#/grants?inactive=1), so it is ticked once the hash changed: click, then wait for the row.
    await provider.getByTestId('grants-inactive').click();
    await row.waitFor();
    expect(await provider.getByTestId('grants-inactive').isChecked()).toBe(true);
    expect(await row.getByTestId('grant-state').textContent()).toMatch(/^已撤销/);
    expect(await row.getByTestId(revoke).count()).toBe(0);

    await browser.go(consumer, '#/access');
    const access = consumer.getByTestId(`access-row-${field.coordinate}`);
    await access.waitFor();
    expect(await access.getByTestId('access-status').textContent()).toBe('需申请');
    expect(await access.getByTestId(`apply-${field.coordinate}`).count()).toBe(1);
  });

  it('a department checks a new subgraph and publishes it with a reason; another department is refused by the API', async () => {
    const sdl = socialAssistance([person]).typeDefs.loc!.source.body;
    await consumer.getByTestId('nav-registry').click();
    await consumer.getByTestId('subgraph-form').waitFor();
    // The form checks the shape of what it sends first.
    await consumer.getByTestId('subgraph-check').click();
    await consumer.getByTestId('invalid-subgraph-name').waitFor();
    expect(await consumer.getByTestId('invalid-subgraph-url').count()).toBe(1);
    await consumer.locator('#subgraph-name').fill('social-assistance');
    await consumer.locator('#subgraph-url').fill(sixth.url);
    await consumer.locator('#subgraph-sdl').fill(sdl);
    await consumer.getByTestId('subgraph-check').click();
    await consumer.getByTestId('check-result').waitFor();
    expect(await consumer.getByTestId('check-outcome').textContent()).toBe('通过检查');
    expect(await consumer.getByTestId('check-composes').count()).toBe(1);
    expect(await consumer.getByTestId('check-no-breaking').count()).toBe(1);
    await consumer.getByTestId('subgraph-publish').click();
    await consumer.getByTestId('invalid-publish-reason').waitFor();
    await consumer.locator('#publish-reason').fill('社会救助 joins the platform (social assistance)');
    await consumer.getByTestId('subgraph-publish').click();
    const done = (await consumer.getByTestId('registry-done').textContent())!;
    expect(done).toMatch(/已发布 social-assistance：超图版本 \d+ 已启用/);
    const version = Number(/超图版本 (\d+)/.exec(done)![1]);
    await expect.poll(() => consumer.getByTestId(`version-${version}`).textContent()).toContain('social-assistance');
    expect(await consumer.getByTestId('subgraph-social-assistance').textContent()).toContain('mca');
    await expect.poll(async () => (await readAssistance()).body.data?.person?.socialAssistance?.since).toBe('2024-03-01');

    // Taxation may not change civil affairs' subgraph: the console shows the API's refusal as given.
    tax = await browser.signIn('tax', platform.adminToken('tax'));
    await tax.getByTestId('nav-registry').click();
    await tax.getByTestId('subgraph-social-assistance').waitFor();
    expect(await tax.getByTestId('change-social-assistance').count()).toBe(0);
    await tax.locator('#subgraph-name').fill('social-assistance');
    await tax.locator('#subgraph-url').fill(sixth.url);
    await tax.locator('#subgraph-sdl').fill(sdl);
    await tax.getByTestId('subgraph-check').click();
    await tax.getByTestId('error-code').waitFor();
    expect(await tax.getByTestId('error-code').textContent()).toBe('FORBIDDEN');
    expect(await tax.getByTestId('error-message').textContent()).toMatch(/cannot register a subgraph for mca/);
    expect(await tax.getByTestId('check-result').count()).toBe(0);
  });

  it('a breaking change shows who used the field and is published only once the department accepts it', async () => {
    beforeBreaking = (await platform.admin('{ supergraphVersions(limit: 1) { version } }')).body.data.supergraphVersions[0].version;
    const sdl = socialAssistance([person]).typeDefs.loc!.source.body.replace(/\n\s*since: Date[^\n]*/, '');
    await consumer.getByTestId('change-social-assistance').click();
    expect(await consumer.locator('#subgraph-url').inputValue()).toBe(sixth.url);
    await consumer.locator('#subgraph-sdl').fill(sdl);
    await consumer.getByTestId('subgraph-check').click();
    const breaking = consumer.getByTestId('check-breaking');
    await breaking.waitFor();
    expect(await breaking.textContent()).toContain('SocialAssistance.since');
    // mca itself read the field in the test above: the audit trail says so.
    const usage = consumer.getByTestId('usage-mca-SocialAssistance.since');
    await usage.waitFor();
    expect(await usage.textContent()).toContain(departmentName('mca'));
    // Rolling the supergraph back is the platform administrator's.
    expect(await consumer.getByTestId(`rollback-supergraph-${beforeBreaking}`).count()).toBe(0);

    await consumer.locator('#publish-reason').fill('发放起始日期 moves to the payments resource (drop since)');
    await consumer.getByTestId('subgraph-publish').click();
    expect(await consumer.getByTestId('invalid-accept-breaking').textContent()).toMatch(/1 breaking change/);
    expect((await platform.admin('{ supergraphVersions(limit: 1) { version } }')).body.data.supergraphVersions[0].version).toBe(beforeBreaking);

    await consumer.getByTestId('accept-breaking').check();
    await consumer.getByTestId('subgraph-publish').click();
    await expect.poll(() => consumer.getByTestId('registry-done').textContent()).toContain(`超图版本 ${beforeBreaking + 1} 已启用`);
    await expect.poll(() => consumer.getByTestId(`version-${beforeBreaking + 1}`).count()).toBe(1);
    await expect.poll(async () => (await readAssistance()).body.errors?.[0]?.message).toMatch(/Cannot query field "since"/);
  });

  it('a department administrator sets its webhook, the URL checked first, and removes it', async () => {
    await consumer.getByTestId('nav-settings').click();
    await consumer.getByTestId('webhook-form').waitFor();
    await consumer.locator('#webhook-url').fill('ftp://oa.mca.example/hook');
    await consumer.getByTestId('webhook-save').click();
    expect(await consumer.getByTestId('invalid-webhook-url').textContent()).toMatch(/Not an http\(s\) URL/);
    const url = 'http://127.0.0.1:9/mca/govgraph-notifications';
    await consumer.locator('#webhook-url').fill(url);
    await consumer.locator('#webhook-secret').fill('s3cret-for-the-hmac');
    await consumer.getByTestId('webhook-save').click();
    expect(await consumer.getByTestId('webhook-saved').textContent()).toMatch(/以新密钥签名/);
    expect(await consumer.getByTestId('webhook-url').textContent()).toBe(url);
    await consumer.getByTestId('webhook-clear').click();
    await consumer.getByTestId('webhook-clear-confirm').click();
    await expect.poll(() => consumer.getByTestId('webhook-saved').textContent()).toMatch(/Webhook 已移除/);
    expect(await consumer.getByTestId('webhook-url').count()).toBe(0);
  });

  it('the providing department reports a change of law for its catalogue entry; the updated entry, filed by the office, is published', async () => {
    const { body } = await platform.admin('query($p: String) { catalogue(provider: $p) { code provider { code } } }', { p: field.provider });
    const code = (body.data.catalogue as { code: string; provider: { code: string } }[]).find((e) => e.provider.code === field.provider)!.code;

    // Another department reads the entry but does not maintain it.
    await browser.go(tax, `#/catalogue?view=full&entry=${code}`);
    await tax.getByTestId(`catalogue-entry-${code}`).waitFor();
    expect(await tax.getByTestId(`entry-actions-${code}`).count()).toBe(0);

    await browser.go(provider, `#/catalogue?view=full&entry=${code}`);
    const actions = provider.getByTestId(`entry-actions-${code}`);
    await actions.waitFor();
    await actions.getByTestId(`report-change-${code}`).click();
    await provider.getByTestId(`invalid-report-reason-${code}`).waitFor();
    await provider.locator(`#report-reason-${code}`).fill('《居民身份证法》修订 (the ID card law was amended)');
    await actions.getByTestId(`report-change-${code}`).click();
    await expect.poll(() => provider.getByTestId('catalogue-done').textContent()).toMatch(new RegExp(`${code} 的更新任务 \\S+ 已开启`));

    await provider.getByTestId('catalogue-tab-updates').click();
    const task = provider.getByTestId(`update-${code}`);
    await task.waitFor();
    expect(await task.textContent()).toContain('the ID card law was amended');
    await task.getByTestId(`publish-entry-${code}`).click();
    // 001 art. 9–10: the department's publication goes to the coordinating office for review and filing first.
    await expect.poll(() => provider.getByTestId('catalogue-done').textContent()).toContain(`${code} 已提交协调机构审核备案`);
    const pending = await platform.admin('query($p: String) { catalogueReviews(status: PENDING, provider: $p) { id entryCode } }', { p: field.provider });
    const review = (pending.body.data.catalogueReviews as { id: string; entryCode: string }[]).find((r) => r.entryCode === code)!;
    expect(review).toBeTruthy();
    const filed = await platform.admin('mutation($id: ID!) { fileCatalogueChange(id: $id) { status } }', { id: review.id });
    expect(filed.body.data.fileCatalogueChange.status).toBe('FILED');
    // Filed: published, and the update task is done.
    await browser.go(provider, `#/catalogue?view=full&entry=${code}`);
    await provider.getByTestId('catalogue-tab-updates').click();
    await expect.poll(() => provider.getByTestId(`update-${code}`).count()).toBe(0);
  });

  it('an app token sees the developer sections only; a hidden section reached by URL shows no data', async () => {
    const app = await browser.signIn('mca app', platform.appToken('mca'));
    expect(await app.getByTestId('nav-access').count()).toBe(1);
    for (const id of ['apps', 'audit', 'grants', 'registry', 'settings']) expect(await app.getByTestId(`nav-${id}`).count()).toBe(0);
    await browser.go(app, '#/audit');
    await app.getByTestId('not-for-you').waitFor();
    expect(await app.getByTestId('audit-table').count()).toBe(0);
  });

  it('the platform administrator reads the audit trail, an evaluation report with its chart, and the registry', async () => {
    // One data request, so that the trail holds an access record as well as the admin actions above.
    const read = await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }`);
    expect(read.status).toBe(200);

    admin = await browser.signIn('dgo', platform.credentials.platformAdminToken);
    for (const id of ['escalations', 'policies', 'history', 'registry', 'audit', 'reports']) expect(await admin.getByTestId(`nav-${id}`).count()).toBe(1);
    expect(await admin.getByTestId('nav-apply').count()).toBe(0);

    await admin.getByTestId('nav-audit').click();
    const table = admin.getByTestId('audit-table');
    await table.waitFor();
    expect(await table.textContent()).toContain('approveApplication');
    await admin.getByTestId('audit-kind').selectOption('ACCESS');
    await admin.getByTestId('audit-search').click();
    await expect.poll(async () => (await table.textContent()) ?? '').not.toContain('approveApplication');
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await table.textContent()).toContain('ACCESS');

    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    await browser.go(admin, `#/reports?department=${field.provider}&year=${year}`);
    const chart = admin.getByTestId('report-chart');
    await chart.waitFor();
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    expect(await admin.getByTestId('report').textContent()).toContain(providerName);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('report-csv').click()]);
    expect(download.suggestedFilename()).toBe(`evaluation-${field.provider}-${year}.csv`);

    // A policy change states its reason; the console says so before asking the API.
    await browser.go(admin, '#/policies?provider=psb&field=Person.ethnicity');
    const editor = admin.getByTestId('policy-editor');
    await editor.waitFor();
    await editor.getByTestId('policy-submit').click();
    await admin.getByTestId('invalid-policy-reason').waitFor();
    await admin.locator('#policy-reason').fill('民族 stays unconditional: confirmed at the 2026 catalogue review');
    // psb's field (000 art. 9): set at once only as a declared override, else proposed to psb (test/consolePolicies.test.ts).
    await editor.getByTestId('policy-override').check();
    await editor.getByTestId('policy-submit').click();
    const saved = (await admin.getByTestId('policy-saved').textContent())!;
    expect(saved).toMatch(/Person\.ethnicity：策略版本 \d+ 已生效/);
    overrideVersion = Number(/策略版本 (\d+)/.exec(saved)![1]);
    await expect.poll(() => admin.getByTestId('policy-Person.ethnicity').textContent()).toContain('OVERRIDE');

    await admin.getByTestId('nav-registry').click();
    const population = admin.getByTestId('subgraph-population');
    await population.waitFor();
    expect(await population.textContent()).toMatch(/healthy/);
    expect(await admin.getByTestId('versions-table').locator('tbody tr').count()).toBeGreaterThan(0);
  });

  it('the platform administrator rolls the policies back; the history shows the rollback', async () => {
    const target = overrideVersion - 1;
    await browser.go(admin, '#/history');
    const row = admin.getByTestId(`history-${target}`);
    await row.waitFor();
    expect(await admin.getByTestId(`history-${overrideVersion}`).textContent()).toContain('民族 stays unconditional');
    await row.getByTestId(`rollback-policy-${target}`).click();
    await row.getByTestId(`rollback-policy-${target}-confirm`).click();
    await row.getByTestId(`rollback-policy-${target}-invalid`).waitFor();
    await row.getByTestId(`rollback-policy-${target}-reason`).fill('the ethnicity override was made in error');
    await row.getByTestId(`rollback-policy-${target}-confirm`).click();
    const done = (await admin.getByTestId('policy-rolled-back').textContent())!;
    expect(done).toContain(`恢复为版本 ${target} 的字段策略`);
    const version = Number(/策略版本 (\d+)/.exec(done)![1]);
    await expect.poll(() => admin.getByTestId('policy-version').textContent()).toBe(String(version));
    const newest = admin.getByTestId(`history-${version}`);
    expect(await newest.textContent()).toContain('ROLLBACK');
    expect(await newest.textContent()).toContain(`rollback to version ${target}: the ethnicity override was made in error`);
    await browser.go(admin, '#/policies?provider=psb');
    // Back to its SDL default: the override the administrator set above is gone.
    await expect.poll(() => admin.getByTestId('policy-Person.ethnicity').textContent()).not.toContain('OVERRIDE');
    expect(await admin.getByTestId('policy-Person.ethnicity').textContent()).toContain('SDL');
  });

  it('the platform administrator rolls the supergraph back to the version before the breaking change', async () => {
    const rollback = `rollback-supergraph-${beforeBreaking}`;
    await browser.go(admin, '#/registry');
    const row = admin.getByTestId(`version-${beforeBreaking}`);
    await row.waitFor();
    await row.getByTestId(rollback).click();
    await row.getByTestId(`${rollback}-confirm`).click();
    await row.getByTestId(`${rollback}-invalid`).waitFor();
    await row.getByTestId(`${rollback}-reason`).fill('the payments resource is not ready: keep since for now');
    await row.getByTestId(`${rollback}-confirm`).click();
    const done = (await admin.getByTestId('registry-done').textContent())!;
    expect(done).toContain(`恢复为版本 ${beforeBreaking} 的 schema`);
    const version = Number(/超图版本 (\d+)/.exec(done)![1]);
    const newest = admin.getByTestId(`version-${version}`);
    await expect.poll(() => newest.textContent()).toContain('keep since for now');
    expect(await newest.textContent()).toContain('ROLLBACK');
    await expect.poll(async () => (await readAssistance()).body.data?.person?.socialAssistance?.since).toBe('2024-03-01');
  });

  it('keeps the token in sessionStorage only, survives a reload and forgets it on sign-out', async () => {
    expect(await consumer.evaluate(() => [Object.keys(sessionStorage), localStorage.length])).toEqual([['govgraph.console.token'], 0]);
    await consumer.reload();
    await consumer.getByTestId('whoami').waitFor();
    await consumer.getByTestId('signout').click();
    await consumer.getByTestId('signin-form').waitFor();
    expect(await consumer.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('loaded nothing from outside the platform and ran without errors or CSP violations', () => {
    expect(browser.requests.length).toBeGreaterThan(10);
    // data: is the report chart; blob:<origin> the report download, both made in the page itself.
    const foreign = browser.requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith(`blob:${origin}/`));
    expect(foreign).toEqual([]);
    expect(browser.problems.filter((p) => !expected401(p))).toEqual([]);
  });
});
