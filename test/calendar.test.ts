/**
 * A calendar that never blocks work (issue 13): with the clock at 2026-12-20, after the last
 * year `chinese-days` knows, applications are submitted, approved and escalated on provisional
 * deadlines; the coordinating office enters the 2027 notice (validated, platform administrator
 * only, audited), which recomputes every open deadline without ever moving one earlier, tells
 * the departments of each move, and reaches every replica; the warning that next year's
 * notice is missing shows on the API, /metrics and /readyz.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { WorkingDayCalendar } from '../policies/workingDays.ts';
import { CalendarNotices } from '../control/calendar/calendarNotices.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { startGatewayReplica, type RunningReplica } from '../platform/startPlatform.ts';
import { loadConfig } from '../platform/config.ts';

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status dueDate dueDateProvisional } }`;
const APPLICATION = 'query($id: ID!) { application(id: $id) { status dueDate dueDateProvisional } }';
const ENTER = `mutation($year: Int!, $h: [CalendarDayInput!]!, $w: [CalendarDayInput!]!, $reason: String!) {
  enterCalendarNotice(year: $year, holidays: $h, adjustedWorkdays: $w, reason: $reason) {
    year { year source enteredBy reason holidays { date name } adjustedWorkdays { date name } }
    recomputed { subject id oldDueDate computedDueDate dueDate provisional }
  } }`;
const YEARS = '{ calendarYears { year source enteredBy reason } calendarWarning { year message } }';
const day = (date: string, name: string) => ({ date, name });
/** 2027's statutory days as a notice would list them, with Saturday 2 January worked for 元旦. */
const NOTICE_2027 = {
  year: 2027,
  h: [day('2027-01-01', '元旦'), ...['05', '06', '07', '08', '09', '10', '11'].map((d) => day(`2027-02-${d}`, '春节'))],
  w: [day('2027-01-02', '元旦')],
};

describe.each(testDialects())('the working-day calendar on %s', (dialect) => {
  let platform: TestPlatform;
  /** A second replica on the same storage: a notice entered on the first counts here without a restart. */
  let replica: RunningReplica;
  let now = new Date('2026-12-20T02:00:00Z'); // Sunday 20 December 2026, 10:00 in China
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { clock: () => now });
    // The dates below count catalogue updates in 15 working days (001 art. 10, the 003 template
    // art. 6), which a province under those measures sets; the default is 10 (002 art. 9).
    const days = await platform.admin('mutation { changePlatformSettings(changes: [{ key: CATALOGUE_UPDATE_WORKING_DAYS, value: 15 }], reason: "the province counts 15 working days") { version } }');
    expect(days.body.errors).toBeUndefined();
    // A gateway replica (`govgraph gateway`): a second all-in-one start on a DATA_DIR in use is refused.
    replica = await startGatewayReplica({ ...loadConfig({ DATA_DIR: platform.storage.dataDir, PORT: '0', GOVGRAPH_SUBGRAPHS: 'inprocess' }), storage: platform.storage.config }, { log: () => {}, clock: () => now });
  });
  afterAll(async () => {
    await replica?.close();
    await platform?.stop();
  });

  async function applyAt(at: string, coordinate: string): Promise<{ id: string; status: string; dueDate: string; dueDateProvisional: boolean }> {
    now = new Date(at);
    const { body } = await platform.admin(APPLY, {
      input: { coordinates: [coordinate], purpose: 'ADMINISTRATIVE_BASIS', justification: '养老保险待遇资格认证', legalBasis: '《社会保险法》第五十八条', requestedUntil: '2027-06-30' },
    }, platform.appToken('hrss'));
    expect(body.errors).toBeUndefined();
    return body.data.applyForAccess[0];
  }

  it('warns from 1 October that the 2027 notice is missing: the API, a /metrics gauge and a line in /readyz (still 200)', async () => {
    const { body } = await platform.admin(YEARS, {}, platform.adminToken('hrss'));
    expect(body.data.calendarWarning).toMatchObject({ year: 2027, message: expect.stringContaining('2027 年放假通知尚未录入') });
    expect(body.data.calendarYears.map((y: any) => [y.year, y.source])).toEqual([[2025, 'OFFICIAL_PACKAGE'], [2026, 'OFFICIAL_PACKAGE'], [2027, 'PROVISIONAL']]);
    const base = platform.gateway.url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^govgraph_calendar_next_year_missing\{[^}]*\} 1$/m);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).calendar).toMatch(/2027 年放假通知尚未录入/);
  });

  it('submits and approves an application on a provisional deadline (counting 1 January 2027 as 元旦)', async () => {
    // Mon 21 Dec … Thu 31 Dec are the first 9 working days; 1 Jan is 元旦; Mon 4 Jan the 10th.
    const approved = await applyAt('2026-12-20T02:00:00Z', 'Person.maritalStatus');
    expect(approved).toMatchObject({ status: 'PENDING', dueDate: '2027-01-04', dueDateProvisional: true });
    const notes = await platform.admin('{ notifications { kind applicationId params { name value } } }', {}, platform.adminToken('psb'));
    const submitted = notes.body.data.notifications.find((n: any) => n.kind === 'APPLICATION_SUBMITTED' && n.applicationId === approved.id);
    expect(Object.fromEntries(submitted.params.map((p: any) => [p.name, p.value]))).toMatchObject({ dueDate: '2027-01-04', provisional: 'true' });
    const answer = await platform.admin('mutation($id: ID!) { approveApplication(id: $id, reason: "conditions met") { status dueDateProvisional } }', { id: approved.id }, platform.adminToken('psb'));
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.approveApplication).toEqual({ status: 'APPROVED', dueDateProvisional: true });
    const inbox = await platform.admin('query($d: String!) { workingDays(after: $d, count: 10) { date provisional } }', { d: '2026-12-20' });
    expect(inbox.body.data.workingDays).toEqual({ date: '2027-01-04', provisional: true });
    const before = await platform.admin('{ workingDays(after: "2026-11-20", count: 10) { date provisional } }');
    expect(before.body.data.workingDays).toEqual({ date: '2026-12-04', provisional: false });
  });

  it('escalates an application unanswered after its provisional deadline', async () => {
    const overdue = await applyAt('2026-12-20T03:00:00Z', 'Person.household');
    expect(overdue).toMatchObject({ dueDate: '2027-01-04', dueDateProvisional: true });
    // Wed 30 Dec: 31 Dec, [1 Jan], 4–8 Jan, 11–14 Jan: due Thu 14 January.
    const open = await applyAt('2026-12-30T02:00:00Z', 'Person.deathDate');
    expect(open).toMatchObject({ dueDate: '2027-01-14', dueDateProvisional: true });
    ids.open = open.id;
    // An objection (R9: mca read the datum first) and a catalogue update task (R3) opened the same day.
    const read = await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }`);
    expect(read.body.errors).toBeUndefined();
    const raised = await platform.admin('mutation($i: ObjectionInput!) { raiseObjection(input: $i) { id dueDate dueDateProvisional } }', {
      i: { coordinate: 'Person.name', entityKey: platform.credentials.samples.persons[0], description: '姓名与民政登记不一致' },
    }, platform.appToken('mca'));
    expect(raised.body.errors).toBeUndefined();
    expect(raised.body.data.raiseObjection).toMatchObject({ dueDate: '2027-01-14', dueDateProvisional: true });
    ids.objection = raised.body.data.raiseObjection.id;
    const reported = await platform.admin('mutation { reportCatalogueChange(code: "GSA-LIC-001", cause: LAW_CHANGED, reason: "《电子签名法》修订") { id dueDate dueDateProvisional } }');
    // 15 working days: 31 Dec, 4–8, 11–15, 18–21 January.
    expect(reported.body.data.reportCatalogueChange).toMatchObject({ dueDate: '2027-01-21', dueDateProvisional: true });
    ids.task = reported.body.data.reportCatalogueChange.id;
    now = new Date('2027-01-05T02:00:00Z');
    const swept = await platform.admin('mutation { escalateOverdueApplications }');
    expect(swept.body.data.escalateOverdueApplications).toContain(overdue.id);
    expect(swept.body.data.escalateOverdueApplications).not.toContain(open.id);
    expect((await platform.admin(APPLICATION, { id: overdue.id })).body.data.application).toMatchObject({ status: 'ESCALATED', dueDateProvisional: true });
  });

  it('refuses a notice from a department administrator or an app, and refuses a wrong notice, changing nothing', async () => {
    const reason = '国务院办公厅关于2027年部分节假日安排的通知';
    for (const token of [platform.adminToken('psb'), platform.appToken('hrss')]) {
      const { body } = await platform.admin(ENTER, { ...NOTICE_2027, reason }, token);
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    const wrong = [
      { ...NOTICE_2027, h: [...NOTICE_2027.h, day('2026-12-31', '元旦')] },
      { ...NOTICE_2027, h: [...NOTICE_2027.h, day('2027-02-30', '春节')] },
      { ...NOTICE_2027, w: [day('2027-01-04', '元旦')] }, // a Monday
      { ...NOTICE_2027, w: [day('2027-02-06', '春节')] }, // a holiday too
      { ...NOTICE_2027, h: [...NOTICE_2027.h, day('2027-01-01', '元旦')] }, // twice
    ];
    const messages: string[] = [];
    for (const notice of wrong) {
      const { body } = await platform.admin(ENTER, { ...notice, reason });
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      messages.push(body.errors[0].message);
    }
    expect(messages).toEqual([
      expect.stringContaining('holiday 2026-12-31 is not in 2027'),
      expect.stringContaining('"2027-02-30" is not a real date'),
      expect.stringContaining('2027-01-04 is not a Saturday or Sunday'),
      expect.stringContaining('2027-02-06 cannot be both a holiday and an adjusted working day'),
      expect.stringContaining('2027-01-01 is listed twice as a holiday'),
    ]);
    const blank = await platform.admin(ENTER, { ...NOTICE_2027, reason: ' ' });
    expect(blank.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const { body } = await platform.admin(YEARS);
    expect(body.data.calendarYears.find((y: any) => y.year === 2027).source).toBe('PROVISIONAL');
    expect((await platform.admin(APPLICATION, { id: ids.open })).body.data.application).toMatchObject({ dueDate: '2027-01-14', dueDateProvisional: true });
  });

  it('enters the 2027 notice: the open deadline is no longer provisional and never earlier than announced; audited; on a second replica too', async () => {
    const reason = '国务院办公厅关于2027年部分节假日安排的通知';
    const { body } = await platform.admin(ENTER, { ...NOTICE_2027, reason });
    expect(body.errors).toBeUndefined();
    expect(body.data.enterCalendarNotice.year).toMatchObject({ year: 2027, source: 'NOTICE', reason, adjustedWorkdays: [{ date: '2027-01-02', name: '元旦' }] });
    // With Saturday 2 January worked the notice gives Wednesday 13 January; 14 January was announced and stays.
    expect(body.data.enterCalendarNotice.recomputed).toContainEqual({
      subject: 'APPLICATION', id: ids.open, oldDueDate: '2027-01-14', computedDueDate: '2027-01-13', dueDate: '2027-01-14', provisional: false,
    });
    expect((await platform.admin(APPLICATION, { id: ids.open })).body.data.application).toEqual({ status: 'PENDING', dueDate: '2027-01-14', dueDateProvisional: false });
    expect(body.data.enterCalendarNotice.recomputed).toEqual(expect.arrayContaining([
      { subject: 'OBJECTION', id: ids.objection, oldDueDate: '2027-01-14', computedDueDate: '2027-01-13', dueDate: '2027-01-14', provisional: false },
      { subject: 'CATALOGUE_UPDATE', id: ids.task, oldDueDate: '2027-01-21', computedDueDate: '2027-01-20', dueDate: '2027-01-21', provisional: false },
    ]));
    const objections = await platform.admin('{ objections { id dueDate dueDateProvisional } }', {}, platform.adminToken('psb'));
    expect(objections.body.data.objections.find((o: any) => o.id === ids.objection)).toMatchObject({ dueDate: '2027-01-14', dueDateProvisional: false });
    const tasks = await platform.admin('{ catalogueUpdates { id dueDate dueDateProvisional } }');
    expect(tasks.body.data.catalogueUpdates.find((u: any) => u.id === ids.task)).toMatchObject({ dueDate: '2027-01-21', dueDateProvisional: false });
    const years = await platform.admin(YEARS, {}, platform.appToken('hrss'));
    expect(years.body.data.calendarWarning).toBeNull();
    expect(years.body.data.calendarYears.find((y: any) => y.year === 2027)).toMatchObject({ source: 'NOTICE', reason, enteredBy: expect.stringMatching(/^dgo:/) });
    const base = platform.gateway.url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^govgraph_calendar_next_year_missing\{[^}]*\} 0$/m);
    expect((await (await fetch(`${base}/readyz`)).json()).calendar).toBeUndefined();
    const audited = await platform.admin('query($f: AuditFilter) { auditRecords(filter: $f) { records { json } } }', { f: { kind: 'ADMIN', order: 'desc', limit: 5 } });
    const record = audited.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json)).find((r: any) => r.action === 'enterCalendarNotice');
    expect(record).toMatchObject({ target: '2027', reason });
    // The other replica, running on the same database, counts with the notice within its one-second poll.
    // (workingDays reads the calendar as it is; only the poll brings the notice.)
    const onReplica = async () => (await (await fetch(replica.gateway.url.replace(/\/graphql$/, '/admin/graphql'), {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.credentials.platformAdminToken}` },
      body: JSON.stringify({ query: '{ workingDays(after: "2026-12-31", count: 1) { date provisional } }' }),
    })).json()).data.workingDays;
    const deadline = Date.now() + 5000;
    while ((await onReplica()).provisional && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await onReplica()).toEqual({ date: '2027-01-02', provisional: false });
    // The same, for a process that only reads the store: a refresh takes it.
    const reader = new CalendarNotices({ store: platform.store, calendar: WorkingDayCalendar.official() });
    expect(reader.calendar.sourceOf(2027)).toBe('PROVISIONAL');
    await reader.refresh();
    expect(reader.calendar.sourceOf(2027)).toBe('NOTICE');
  });

  it('a corrected notice that gives a later date moves the deadline and tells both departments', async () => {
    const { body } = await platform.admin(ENTER, {
      year: 2027, h: [...NOTICE_2027.h, day('2027-01-04', '元旦')], w: [], reason: '更正：1月4日补休',
    });
    expect(body.errors).toBeUndefined();
    // 31 Dec, [1 Jan], [4 Jan], 5–8 Jan, 11–15 Jan: Friday 15 January.
    expect(body.data.enterCalendarNotice.recomputed).toContainEqual({
      subject: 'APPLICATION', id: ids.open, oldDueDate: '2027-01-14', computedDueDate: '2027-01-15', dueDate: '2027-01-15', provisional: false,
    });
    for (const department of ['hrss', 'psb']) {
      const notes = await platform.admin('{ notifications { kind applicationId params { name value } } }', {}, platform.adminToken(department));
      const moved = notes.body.data.notifications.find((n: any) => n.kind === 'DEADLINE_RECOMPUTED' && n.applicationId === ids.open);
      expect(moved, department).toBeDefined();
      expect(Object.fromEntries(moved.params.map((p: any) => [p.name, p.value]))).toMatchObject({ oldDueDate: '2027-01-14', dueDate: '2027-01-15', provisional: 'false', subject: 'APPLICATION' });
    }
    expect((await platform.admin(APPLICATION, { id: ids.open })).body.data.application.dueDate).toBe('2027-01-15');
    expect(body.data.enterCalendarNotice.recomputed).toEqual(expect.arrayContaining([
      expect.objectContaining({ subject: 'OBJECTION', id: ids.objection, oldDueDate: '2027-01-14', dueDate: '2027-01-15' }),
      expect.objectContaining({ subject: 'CATALOGUE_UPDATE', id: ids.task, oldDueDate: '2027-01-21', dueDate: '2027-01-22' }),
    ]));
    const tasks = await platform.admin('{ catalogueUpdates { id dueDate } }');
    expect(tasks.body.data.catalogueUpdates.find((u: any) => u.id === ids.task).dueDate).toBe('2027-01-22');
  });

  it('a recomputed deadline counts the working days in force when the application was submitted, not those of today', async () => {
    const set = (value: number) => platform.admin(`mutation { changePlatformSettings(changes: [{ key: APPLICATION_ANSWER_WORKING_DAYS, value: ${value} }], reason: "省政府规定答复期限") { version } }`);
    now = new Date('2026-12-21T02:00:00Z');
    expect((await set(15)).body.errors).toBeUndefined();
    const longer = await applyAt('2026-12-21T03:00:00Z', 'Person.householdAddress');
    now = new Date('2026-12-22T02:00:00Z');
    expect((await set(10)).body.errors).toBeUndefined();
    const { body } = await platform.admin(ENTER, { year: 2027, h: [...NOTICE_2027.h, day('2027-01-04', '元旦'), day('2027-01-05', '元旦')], w: [], reason: '更正：1月4日、5日补休' });
    expect(body.errors).toBeUndefined();
    const counted = async (count: number) => (await platform.admin(`{ workingDays(after: "2026-12-21", count: ${count}) { date } }`)).body.data.workingDays.date;
    const recomputed = body.data.enterCalendarNotice.recomputed.find((r: any) => r.id === longer.id);
    // Fifteen working days, as announced at submission; ten would be the setting of today.
    expect(recomputed.computedDueDate).toBe(await counted(15));
    expect(recomputed.computedDueDate).not.toBe(await counted(10));
    expect(recomputed.dueDate).toBe(recomputed.computedDueDate);
  });
});
