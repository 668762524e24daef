/**
 * The web console end to end, in a real browser: the whole platform in-process, Debian's
 * Chromium driven by playwright-core. Each user has a browser context of its own (its own
 * sessionStorage), as if on a different machine.
 *
 * Across every page the suite records each request the browser made and each console error,
 * page error and CSP violation: the console must load nothing from anywhere but the platform
 * (government networks have no internet) and must run clean under its CSP.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Problem { page: string; text: string }

/** The browser's own log line for the refused sign-in: the one console error the suite expects. */
const expected401 = (p: Problem) => p.page === 'wrong token' && /status of 401/.test(p.text);

const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(hasChromium ? 'web console in Chromium' : `web console in Chromium — skipped: no Chromium at ${CHROMIUM} (Debian package "chromium")`, () => {
  let platform: TestPlatform;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const requests: string[] = [];
  const problems: Problem[] = [];

  /** The field the consumer applies for, found from the API, and who provides it. */
  let field: { coordinate: string; purpose: string; provider: string };
  let providerName: string;
  let applicationId: string;
  let consumer: Page;

  const departmentName = (code: string) => platform.credentials.departments.find((d) => d.code === code)!.name;

  /** A fresh browser context (own sessionStorage) with every request and problem recorded. */
  async function newPage(label: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    // Surfaced as console errors so that the same check catches them.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push({ page: label, text: m.text() });
    });
    page.on('pageerror', (e) => problems.push({ page: label, text: `page error: ${e.message}` }));
    return page;
  }

  async function signIn(label: string, token: string): Promise<Page> {
    const page = await newPage(label);
    await page.goto(`${origin}/console`);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('signin').click();
    await page.getByTestId('whoami').waitFor();
    return page;
  }

  async function go(page: Page, hash: string): Promise<void> {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
  }

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    origin = new URL(platform.credentials.gateway).origin;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const { body } = await platform.admin('{ myAccess { coordinate status applicableFor } }', {}, platform.adminToken('mca'));
    const applicable = (body.data.myAccess as { coordinate: string; status: string; applicableFor: string[] }[]).find((f) => f.status === 'APPLY' && f.applicableFor.length > 0);
    expect(applicable, 'the demo gives mca at least one conditional field it may apply for').toBeDefined();
    const policy = await platform.admin('query($c: String!) { fieldPolicy(coordinate: $c) { provider } }', { c: applicable!.coordinate });
    field = { coordinate: applicable!.coordinate, purpose: applicable!.applicableFor[0]!, provider: policy.body.data.fieldPolicy.provider };
    providerName = departmentName(field.provider);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
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
    const page = await newPage('wrong token');
    await page.goto(`${origin}/console`);
    await page.getByTestId('signin').click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/Paste your token/);
    await page.getByTestId('token-input').fill('not-a-real-token');
    await page.getByTestId('signin').click();
    await page.getByTestId('error-code').waitFor();
    expect(await page.getByTestId('error-code').textContent()).toBe('UNAUTHENTICATED');
    expect(await page.getByTestId('error-message').textContent()).toMatch(/unknown or revoked/);
    expect(await page.getByTestId('whoami').count()).toBe(0);
    expect(await page.locator('nav').count()).toBe(0);
    expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
    // Chromium logs the 401 answer itself; that one is expected here (and excused in the last test).
    const mine = problems.filter((p) => p.page === 'wrong token');
    expect(mine.every(expected401), JSON.stringify(mine)).toBe(true);
  });

  it('a consumer department sees its access, applies for a conditional field and sees the application pending', async () => {
    consumer = await signIn('mca', platform.adminToken('mca'));
    expect(await consumer.getByTestId('whoami-department').textContent()).toBe(departmentName('mca'));
    expect(await consumer.getByTestId('overview-department').textContent()).toContain(departmentName('mca'));
    // A consumer department has no inbox and no platform sections.
    expect(await consumer.getByTestId('nav-inbox').count()).toBe(0);
    expect(await consumer.getByTestId('nav-registry').count()).toBe(0);

    await consumer.getByTestId('nav-access').click();
    const row = consumer.getByTestId(`access-row-${field.coordinate}`);
    await row.waitFor();
    expect(await row.getByTestId('access-status').textContent()).toBe('needs application');
    expect(await row.getByTestId('access-readable').textContent()).not.toContain(field.purpose);
    expect(await row.textContent()).toContain('CONDITIONAL');

    await row.getByTestId(`apply-${field.coordinate}`).click();
    await consumer.getByTestId('apply-form').waitFor();
    expect(await consumer.locator('#coordinates').inputValue()).toBe(field.coordinate);
    // The form says what is missing before anything is sent.
    await consumer.locator('#purpose').selectOption('');
    await consumer.getByTestId('apply-submit').click();
    await consumer.getByTestId('invalid-justification').waitFor();
    expect(await consumer.getByTestId('invalid-purpose').textContent()).toMatch(/purpose/);
    expect(await consumer.getByTestId('invalid-legalBasis').textContent()).toMatch(/legal basis/);

    await consumer.locator('#purpose').selectOption(field.purpose);
    await consumer.locator('#justification').fill('最低生活保障家庭经济状况核对 (minimum living allowance review)');
    await consumer.locator('#legalBasis').fill('《社会救助暂行办法》第十一条');
    await consumer.getByTestId('apply-submit').click();
    const success = consumer.getByTestId('apply-success');
    await success.waitFor();
    expect(await success.textContent()).toContain('PENDING');
    expect(await success.textContent()).toContain(field.provider);
    applicationId = (await consumer.getByTestId('created-application').first().textContent())!.trim();
    expect(applicationId).toMatch(/^app-/);

    await go(consumer, '#/applications?role=CONSUMER');
    const listed = consumer.getByTestId(`application-${applicationId}`);
    await listed.waitFor();
    expect(await listed.getByTestId('application-status').textContent()).toBe('PENDING');
  });

  it('shows the API\'s refusal with its code when an application makes no sense', async () => {
    await go(consumer, '#/apply?coordinates=Person.name&purpose=WORK_REFERENCE');
    await consumer.locator('#justification').fill('reference');
    await consumer.locator('#legalBasis').fill('none needed');
    await consumer.getByTestId('apply-submit').click();
    await consumer.getByTestId('error-code').waitFor();
    expect(await consumer.getByTestId('error-code').textContent()).toBe('BAD_USER_INPUT');
    expect(await consumer.getByTestId('error-message').textContent()).toMatch(/shared unconditionally/);
    expect(await consumer.getByTestId('apply-success').count()).toBe(0);
  });

  it('the providing department approves it from its inbox; the consumer then sees it approved and readable', async () => {
    const provider = await signIn(field.provider, platform.adminToken(field.provider));
    expect(await provider.getByTestId('whoami-department').textContent()).toBe(providerName);
    await provider.getByTestId('nav-inbox').click();
    const card = provider.getByTestId(`inbox-${applicationId}`);
    await card.waitFor();
    expect(await card.textContent()).toContain(field.coordinate);
    // A rejection must state its reason (R5): the form refuses before asking the API.
    await card.getByTestId(`decide-${applicationId}-reject`).click();
    await expect(card.getByRole('alert').first().textContent()).resolves.toMatch(/states its reason/);
    await card.getByTestId(`decide-${applicationId}-reason`).fill('核对所需，同意 (needed for the review)');
    await card.getByTestId(`decide-${applicationId}-approve`).click();
    await provider.getByTestId('decision-done').waitFor();
    await expect.poll(() => provider.getByTestId(`inbox-${applicationId}`).count()).toBe(0);

    await go(consumer, `#/applications/${applicationId}`);
    await consumer.getByTestId('application-title').waitFor();
    expect(await consumer.getByTestId('application-status').textContent()).toBe('APPROVED');
    expect(await consumer.getByTestId('application-facts').textContent()).toContain('needed for the review');
    await go(consumer, '#/access');
    const row = consumer.getByTestId(`access-row-${field.coordinate}`);
    await row.waitFor();
    expect(await row.getByTestId('access-status').textContent()).toBe('readable');
    expect(await row.getByTestId('access-readable').textContent()).toContain(field.purpose);
    expect(await consumer.getByTestId('grants-table').textContent()).toContain(field.coordinate);
  });

  it('an app token sees the developer sections only; a hidden section reached by URL shows no data', async () => {
    const app = await signIn('mca app', platform.appToken('mca'));
    expect(await app.getByTestId('nav-access').count()).toBe(1);
    expect(await app.getByTestId('nav-apps').count()).toBe(0);
    expect(await app.getByTestId('nav-audit').count()).toBe(0);
    await go(app, '#/audit');
    await app.getByTestId('not-for-you').waitFor();
    expect(await app.getByTestId('audit-table').count()).toBe(0);
  });

  it('the platform administrator reads the audit trail, an evaluation report with its chart, and the registry', async () => {
    // One data request, so that the trail holds an access record as well as the admin actions above.
    const read = await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }`);
    expect(read.status).toBe(200);

    const admin = await signIn('dgo', platform.credentials.platformAdminToken);
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
    await go(admin, `#/reports?department=${field.provider}&year=${year}`);
    const chart = admin.getByTestId('report-chart');
    await chart.waitFor();
    await expect.poll(() => chart.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(100);
    expect(await admin.getByTestId('report').textContent()).toContain(providerName);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('report-csv').click()]);
    expect(download.suggestedFilename()).toBe(`evaluation-${field.provider}-${year}.csv`);

    // A policy change states its reason; the console says so before asking the API.
    await go(admin, '#/policies?provider=psb&field=Person.ethnicity');
    const editor = admin.getByTestId('policy-editor');
    await editor.waitFor();
    await editor.getByTestId('policy-submit').click();
    await admin.getByTestId('invalid-policy-reason').waitFor();
    await admin.locator('#policy-reason').fill('民族 stays unconditional: confirmed at the 2026 catalogue review');
    await editor.getByTestId('policy-submit').click();
    expect(await admin.getByTestId('policy-saved').textContent()).toMatch(/Person\.ethnicity: policy version \d+ is in force/);
    await expect.poll(() => admin.getByTestId('policy-Person.ethnicity').textContent()).toContain('OVERRIDE');

    await admin.getByTestId('nav-registry').click();
    const population = admin.getByTestId('subgraph-population');
    await population.waitFor();
    expect(await population.textContent()).toMatch(/healthy/);
    expect(await admin.getByTestId('versions-table').locator('tbody tr').count()).toBeGreaterThan(0);
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
    expect(requests.length).toBeGreaterThan(10);
    // data: is the report chart; blob:<origin> the report download, both made in the page itself.
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith(`blob:${origin}/`));
    expect(foreign).toEqual([]);
    expect(problems.filter((p) => !expected401(p))).toEqual([]);
  });
});
