/**
 * Deadlines and limits as versioned platform settings (issue 13), end to end through the
 * management API with an injected clock: who may change them, validation that changes
 * nothing, versions and the audit trail; a changed answer period applies to new applications
 * while open ones keep their due date, as does a new objection's verification period; the catalogue's update days reach the task, its notices
 * and the evaluation report; the longest grant refuses an approval beyond it; the expiry
 * warning goes once, on its working day, to the grant's consumer and provider only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate, WorkingDayCalendar } from '../policies/workingDays.ts';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const SETTINGS = '{ platformSettings { version changedBy reason settings { key value defaultValue unit min max source sourceEn } history { version actor reason changes { key from to } } } }';
const CHANGE = 'mutation($changes: [PlatformSettingInput!]!, $reason: String!) { changePlatformSettings(changes: $changes, reason: $reason) { version changedBy reason settings { key value } } }';
const APPLY = 'mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status dueDate } }';
const NOTIFICATIONS = '{ notifications(limit: 500) { kind message params { name value } } }';
const calendar = WorkingDayCalendar.official();
const DAY = 86_400_000;
const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * DAY).toISOString().slice(0, 10);
/** 10:00 in China on a date. */
const at = (date: string) => new Date(`${date}T02:00:00Z`);

describe.each(testDialects())('platform settings on %s', (dialect) => {
  let platform: TestPlatform;
  // Monday 2 March 2026, 10:00 in China.
  let now = at('2026-03-02');
  const change = (changes: { key: string; value: number }[], reason = 'adopted by the coordinating office', token?: string) =>
    platform.admin(CHANGE, { changes, reason }, token);
  const apply = (coordinate: string, requestedUntil: string) => platform.admin(APPLY, {
    input: { coordinates: [coordinate], purpose: 'ADMINISTRATIVE_BASIS', justification: '养老保险待遇资格认证', legalBasis: '《社会保险法》第五十八条', requestedUntil },
  }, platform.appToken('hrss'));
  const notices = async (department: string, kind: string) => {
    const { body } = await platform.admin(NOTIFICATIONS, {}, platform.adminToken(department));
    expect(body.errors).toBeUndefined();
    return (body.data.notifications as { kind: string; message: string; params: { name: string; value: string }[] }[])
      .filter((n) => n.kind === kind).map((n) => ({ message: n.message, ...Object.fromEntries(n.params.map((p) => [p.name, p.value])) }));
  };

  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { clock: () => now });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('shows every credential the defaults with their legal sources; only the platform administrator changes them, with a reason, audited', async () => {
    const read = await platform.admin(SETTINGS, {}, platform.appToken('hrss'));
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.platformSettings).toMatchObject({ version: 0, changedBy: 'system:defaults', history: [{ version: 0 }] });
    const byKey = Object.fromEntries(read.body.data.platformSettings.settings.map((s: any) => [s.key, s]));
    expect(byKey).toMatchObject({
      APPLICATION_ANSWER_WORKING_DAYS: { value: 10, defaultValue: 10, unit: 'WORKING_DAYS', sourceEn: expect.stringContaining('art. 10') },
      CATALOGUE_UPDATE_WORKING_DAYS: { value: 10, unit: 'WORKING_DAYS', source: expect.stringContaining('002 第九条'), sourceEn: expect.stringContaining('002 art. 9') },
      OBJECTION_VERIFICATION_WORKING_DAYS: { value: 10 },
      GRANT_MAX_DAYS: { value: 1098, unit: 'DAYS' },
      GRANT_EXPIRY_WARNING_WORKING_DAYS: { value: 10 },
    });

    // Denials, each paired with the positive control below.
    for (const token of [platform.adminToken('psb'), platform.appToken('psb')]) {
      const denied = await change([{ key: 'APPLICATION_ANSWER_WORKING_DAYS', value: 5 }], 'psb wants more time', token);
      expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    // Bad input: refused whole, naming each problem, nothing stored.
    const bad = await change([{ key: 'APPLICATION_ANSWER_WORKING_DAYS', value: 5 }, { key: 'GRANT_MAX_DAYS', value: 0 }, { key: 'CATALOGUE_UPDATE_WORKING_DAYS', value: 61 }]);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/GRANT_MAX_DAYS .* from 1 to 3660, received 0.*CATALOGUE_UPDATE_WORKING_DAYS .* from 1 to 60, received 61/);
    const noReason = await change([{ key: 'APPLICATION_ANSWER_WORKING_DAYS', value: 5 }], '  ');
    expect(noReason.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/reason/) });
    const unchanged = await change([{ key: 'APPLICATION_ANSWER_WORKING_DAYS', value: 10 }]);
    expect(unchanged.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/already 10/) });
    expect((await platform.admin(SETTINGS)).body.data.platformSettings.version).toBe(0);

    const catalogueDays = await change([{ key: 'CATALOGUE_UPDATE_WORKING_DAYS', value: 12 }], 'the province adopts 12 working days');
    expect(catalogueDays.body.errors).toBeUndefined();
    expect(catalogueDays.body.data.changePlatformSettings).toMatchObject({ version: 1, changedBy: expect.stringMatching(/^dgo:/), reason: 'the province adopts 12 working days' });
    const history = (await platform.admin(SETTINGS, {}, platform.adminToken('psb'))).body.data.platformSettings.history;
    expect(history).toEqual([
      { version: 1, actor: expect.stringMatching(/^dgo:/), reason: 'the province adopts 12 working days', changes: [{ key: 'CATALOGUE_UPDATE_WORKING_DAYS', from: 10, to: 12 }] },
      expect.objectContaining({ version: 0 }),
    ]);
    const audit = await platform.admin('{ auditRecords(filter: { kind: "ADMIN", limit: 500 }) { records { json } } }');
    const records = audit.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json));
    expect(records.filter((r: any) => r.action === 'changePlatformSettings')).toEqual([expect.objectContaining({ reason: 'the province adopts 12 working days' })]);
  });

  it('gives a new application the answer days in force; an open one keeps its due date', async () => {
    const first = await apply('Person.maritalStatus', '2026-12-31');
    expect(first.body.errors).toBeUndefined();
    const open = first.body.data.applyForAccess[0];
    expect(open.dueDate).toBe(calendar.addWorkingDays('2026-03-02', 10));

    expect((await change([{ key: 'APPLICATION_ANSWER_WORKING_DAYS', value: 5 }], 'answers within a week')).body.errors).toBeUndefined();
    const second = await apply('Person.household', '2026-12-31');
    expect(second.body.data.applyForAccess[0].dueDate).toBe(calendar.addWorkingDays('2026-03-02', 5));
    const kept = await platform.admin('query($id: ID!) { application(id: $id) { dueDate } }', { id: open.id });
    expect(kept.body.data.application.dueDate).toBe(open.dueDate);
  });

  it('gives a new objection the verification days in force', async () => {
    expect((await change([{ key: 'OBJECTION_VERIFICATION_WORKING_DAYS', value: 3 }], 'verify within three working days')).body.errors).toBeUndefined();
    const person = platform.credentials.samples.persons[0];
    // R9: an objection concerns data the consumer used — mca reads it first.
    expect((await platform.query(`{ person(idNumber: "${person}") { householdAddress } }`)).body.data.person.householdAddress).toBeTruthy();
    const raised = await platform.admin('mutation($i: ObjectionInput!) { raiseObjection(input: $i) { dueDate } }',
      { i: { coordinate: 'Person.householdAddress', entityKey: person, description: '申请人已迁出该户籍地址' } }, platform.appToken('mca'));
    expect(raised.body.errors).toBeUndefined();
    expect(raised.body.data.raiseObjection.dueDate).toBe(calendar.addWorkingDays('2026-03-02', 3));
  });

  it('opens a catalogue update due in the configured days, tells psb, then psb and the office once when overdue; the report names the days', async () => {
    const set = await platform.admin(`mutation { setFieldPolicy(coordinate: "Person.ethnicity", reason: "ethnicity is sensitive personal information", override: true,
      policy: { sharingClass: CONDITIONAL, purposes: ["ADMINISTRATIVE_BASIS"], basis: "《个人信息保护法》第二十八条" }) { version } }`);
    expect(set.body.errors).toBeUndefined();
    const { body } = await platform.admin('{ catalogueUpdates(provider: "psb") { id entryCode dueDate workingDays } }');
    const task = body.data.catalogueUpdates.find((u: any) => u.entryCode === 'PSB-POP-001');
    expect(task).toMatchObject({ workingDays: 12, dueDate: calendar.addWorkingDays('2026-03-02', 12) });
    expect(await notices('psb', 'CATALOGUE_UPDATE_OPENED')).toEqual([expect.objectContaining({ entryCode: 'PSB-POP-001', dueDate: task.dueDate, workingDays: '12' })]);
    expect(await notices('samr', 'CATALOGUE_UPDATE_OPENED')).toEqual([]);

    now = at(addDays(task.dueDate, 1));
    expect(await platform.catalogue.noticeUpdates()).toBe(1);
    expect(await platform.catalogue.noticeUpdates()).toBe(0);
    for (const department of ['psb', 'dgo']) {
      expect(await notices(department, 'CATALOGUE_UPDATE_OVERDUE')).toEqual([expect.objectContaining({ entryCode: 'PSB-POP-001', dueDate: task.dueDate })]);
    }
    expect(await notices('hrss', 'CATALOGUE_UPDATE_OVERDUE')).toEqual([]);

    const report = await platform.admin('{ evaluationReport(department: "psb", year: 2026) { violations { kind detail } advice } }');
    expect(report.body.errors).toBeUndefined();
    const { violations, advice } = report.body.data.evaluationReport;
    expect(violations).toContainEqual({ kind: 'CATALOGUE_NOT_UPDATED', detail: expect.stringContaining('R3: within 12 working days') });
    expect(advice).toContainEqual(expect.stringContaining('within 12 working days'));
    expect(JSON.stringify(report.body.data)).not.toMatch(/15 working days/);
  });

  it('refuses a grant longer than the longest grant, naming the setting, and approves one within it', async () => {
    now = at('2026-04-01');
    const applied = await apply('Person.deathDate', '2026-12-31');
    expect(applied.body.errors).toBeUndefined();
    const { id } = applied.body.data.applyForAccess[0];
    expect((await change([{ key: 'GRANT_MAX_DAYS', value: 90 }], 'grants for a quarter at most')).body.errors).toBeUndefined();

    const APPROVE = 'mutation($id: ID!, $u: String) { approveApplication(id: $id, validUntil: $u) { status approvedUntil grants { id validUntil } } }';
    const tooLong = await platform.admin(APPROVE, { id }, platform.adminToken('psb'));
    expect(tooLong.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/at most 90 days \(setting GRANT_MAX_DAYS.*2026-06-30/) });
    expect((await platform.admin('query($id: ID!) { application(id: $id) { status } }', { id })).body.data.application.status).toBe('PENDING');
    const refusedApply = await apply('Person.nativePlace', '2026-12-31');
    expect(refusedApply.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/at most 90 days \(setting GRANT_MAX_DAYS/) });

    const approved = await platform.admin(APPROVE, { id, u: '2026-06-30' }, platform.adminToken('psb'));
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data.approveApplication).toMatchObject({ status: 'APPROVED', approvedUntil: '2026-06-30' });
  });

  it('warns the consumer and the provider once, on the configured working day before the grant\'s last day', async () => {
    const { body } = await platform.admin('{ grants(consumer: "hrss", coordinate: "Person.deathDate", includeInactive: true) { id validUntil } }');
    const grant = body.data.grants[0];
    const lastDay = chinaDate(Date.parse(grant.validUntil) - 1);
    expect(lastDay).toBe('2026-06-30');
    // The first day whose horizon of 10 working days reaches the last day.
    let warnDay = '2026-06-01';
    while (calendar.addWorkingDays(warnDay, 10) < lastDay) warnDay = addDays(warnDay, 1);
    expect(calendar.workingDaysBetween(warnDay, lastDay)).toBe(10);

    now = at(addDays(warnDay, -1));
    expect(await platform.grantExpiryWarnings.sweep()).not.toContain(grant.id);
    now = at(warnDay);
    // Two sweeps at once (two replicas): one of them sends it.
    const [first, second] = await Promise.all([platform.grantExpiryWarnings.sweep(), platform.grantExpiryWarnings.sweep()]);
    expect([...first, ...second].filter((id) => id === grant.id)).toHaveLength(1);
    expect(await platform.grantExpiryWarnings.sweep()).not.toContain(grant.id);

    for (const department of ['hrss', 'psb']) {
      expect((await notices(department, 'GRANT_EXPIRING')).filter((n: any) => n.grantId === grant.id))
        .toEqual([expect.objectContaining({ grantId: grant.id, coordinate: 'Person.deathDate', consumer: 'hrss', validUntil: '2026-06-30' })]);
    }
    for (const department of ['mca', 'dgo', 'samr']) {
      expect((await notices(department, 'GRANT_EXPIRING')).filter((n: any) => n.grantId === grant.id)).toEqual([]);
    }
  });
});
