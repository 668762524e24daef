/**
 * Rectification and complaints (issue 21; 003 ××市 art. 21; 004 art. 32–33) on both stores: the
 * evaluation's violations open rectification notices with a deadline, once; the department
 * answers its own (another may not); an unanswered notice is reported upward to the coordinating
 * office, marked overdue; a department complains about another, and the office accepts (opening
 * a notice) or rejects with reasons. Every step names the person acting.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli/main.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { testDialects } from '../storage/testing.ts';
import type { Identity } from '../control/store/platformStore.ts';

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;
const DAY = 86_400_000;
const NOTICE = 'id department source violationKind detail dueDate status answer escalatedAt overdue complaintId events { action actor person { name } note }';
const COMPLAINT = 'id complainant against subject status reasons noticeId events { action person { name } }';
const person = (department: string, role: 'drafter' | 'approver', name: string): Identity =>
  ({ credentialId: `session-${department}-${role}`, kind: department === 'dgo' ? 'PLATFORM_ADMIN' : 'DEPARTMENT_ADMIN', department, name, person: { id: `person-demo-${department}-${role}`, name, roles: [role.toUpperCase() as never] } });

for (const dialect of testDialects()) {
  describe(`rectification and complaints (${dialect})`, () => {
    let platform: TestPlatform;
    let offset = 0;
    beforeAll(async () => {
      platform = await startTestPlatform(dialect, { clock: () => new Date(Date.now() + offset) });
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('opens a notice per violation the evaluation finds, once; only the department addressed answers it', async () => {
      const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
      // A violation for the evaluation to find: psb leaves a consultation on mca's need unanswered past its due date.
      const need = await platform.admin('mutation($i: SharingNeedInput!) { stateSharingNeed(input: $i) { id } }', { i: { dataWanted: '出入境证件签发记录', purpose: '救助对象核查', legalBasis: '《社会救助暂行办法》第十一条', provider: 'psb' } }, platform.adminToken('mca'));
      expect(need.body.errors).toBeUndefined();
      offset = 40 * DAY;
      expect((await platform.admin('mutation { escalateOverdueSharingNeeds }')).body.data.escalateOverdueSharingNeeds).toContain(need.body.data.stateSharingNeed.id);
      expect(code(await platform.admin('mutation($y: Int!) { openRectificationNotices(year: $y) { id } }', { y: year }, platform.adminToken('psb')))).toBe('FORBIDDEN');
      // A violation the evaluation will find: a notice of the office's own, to compare, plus what the year's reports hold.
      const rows = (await platform.admin('query($y: Int!) { evaluationSummary(year: $y) { rows { department violations } } }', { y: year })).body.data.evaluationSummary.rows;
      const expected = rows.flatMap((r: any) => r.violations.map((v: string) => `${r.department}:${v}`)).sort();
      expect(expected.length).toBeGreaterThan(0);
      const opened = await platform.adminAs(person('dgo', 'approver', '吴审批'), `mutation($y: Int!) { openRectificationNotices(year: $y) { ${NOTICE} } }`, { y: year });
      expect(opened.body.errors).toBeUndefined();
      expect(opened.body.data.openRectificationNotices.map((n: any) => `${n.department}:${n.violationKind}`).sort()).toEqual(expected);
      // Once per year, department and violation.
      expect((await platform.admin('mutation($y: Int!) { openRectificationNotices(year: $y) { id } }', { y: year })).body.data.openRectificationNotices).toEqual([]);
      expect(expected).toContain('psb:NEEDS_UNANSWERED');
      offset = 0;

      const own = await platform.adminAs(person('dgo', 'approver', '吴审批'), `mutation { openRectificationNotice(department: "psb", violationKind: "APPLICATIONS_UNANSWERED", detail: "3件共享申请逾期未答复") { ${NOTICE} } }`);
      const notice = own.body.data.openRectificationNotice;
      expect(notice).toMatchObject({ department: 'psb', source: 'OFFICE', status: 'OPEN', overdue: false, events: [{ action: 'OPENED', person: { name: '吴审批' } }] });
      expect(notice.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((await platform.admin('{ notifications(unreadOnly: true) { kind } }', {}, platform.adminToken('psb'))).body.data.notifications.map((n: any) => n.kind)).toContain('RECTIFICATION_NOTICE');

      // Denial: samr neither sees nor answers psb's notice; an app reads no notices.
      expect((await platform.admin('{ rectificationNotices { id } }', {}, platform.adminToken('samr'))).body.data.rectificationNotices.map((n: any) => n.id)).not.toContain(notice.id);
      expect(code(await platform.admin('mutation($id: ID!) { answerRectificationNotice(id: $id, rectified: "x") { id } }', { id: notice.id }, platform.adminToken('samr')))).toBe('FORBIDDEN');
      expect(code(await platform.admin('{ rectificationNotices { id } }', {}, platform.appToken('psb')))).toBe('FORBIDDEN');
      expect(code(await platform.admin('mutation($id: ID!) { answerRectificationNotice(id: $id, rectified: " ") { id } }', { id: notice.id }, platform.adminToken('psb')))).toBe('BAD_USER_INPUT');
      // Positive control: psb's drafter answers.
      const answered = await platform.adminAs(person('psb', 'drafter', '王经办'), `mutation($id: ID!) { answerRectificationNotice(id: $id, rectified: "已建立每周收件箱检查制度，逾期申请已全部答复") { ${NOTICE} } }`, { id: notice.id });
      expect(answered.body.errors).toBeUndefined();
      expect(answered.body.data.answerRectificationNotice).toMatchObject({ status: 'ANSWERED', overdue: false });
      expect(answered.body.data.answerRectificationNotice.events.map((e: any) => [e.action, e.person?.name])).toEqual([['OPENED', '吴审批'], ['ANSWERED', '王经办']]);
      expect(code(await platform.admin('mutation($id: ID!) { answerRectificationNotice(id: $id, rectified: "again") { id } }', { id: notice.id }, platform.adminToken('psb')))).toBe('CONFLICT');
    });

    it('reports a notice left unanswered past its due date upward, once, marked overdue', async () => {
      const notice = (await platform.admin('mutation { openRectificationNotice(department: "samr", violationKind: "CATALOGUE_NOT_UPDATED", detail: "目录条目逾期未更新") { id dueDate } }')).body.data.openRectificationNotice;
      expect((await platform.admin('mutation { escalateOverdueRectificationNotices }')).body.data.escalateOverdueRectificationNotices).not.toContain(notice.id);
      expect(code(await platform.admin('mutation { escalateOverdueRectificationNotices }', {}, platform.adminToken('samr')))).toBe('FORBIDDEN');
      offset = 60 * DAY;
      expect((await platform.admin('mutation { escalateOverdueRectificationNotices }')).body.data.escalateOverdueRectificationNotices).toContain(notice.id);
      expect((await platform.admin('mutation { escalateOverdueRectificationNotices }')).body.data.escalateOverdueRectificationNotices).not.toContain(notice.id);
      const office = await platform.admin('{ rectificationNotices(overdueOnly: true) { id escalatedAt overdue } notifications(unreadOnly: true) { kind message } }');
      expect(office.body.data.rectificationNotices).toContainEqual({ id: notice.id, escalatedAt: expect.any(String), overdue: true });
      expect(office.body.data.notifications.map((n: any) => n.kind)).toContain('RECTIFICATION_OVERDUE');
      // Answered late: recorded, and it stays overdue.
      const late = await platform.admin('mutation($id: ID!) { answerRectificationNotice(id: $id, rectified: "已更新目录") { status overdue } }', { id: notice.id }, platform.adminToken('samr'));
      expect(late.body.data.answerRectificationNotice).toEqual({ status: 'ANSWERED', overdue: true });
      offset = 0;
    });

    it('takes complaints between departments to the coordinating office, which accepts (opening a notice) or rejects with reasons', async () => {
      const LODGE = `mutation($a: String!, $s: String!, $f: String!) { lodgeComplaint(against: $a, subject: $s, facts: $f) { ${COMPLAINT} } }`;
      expect(code(await platform.admin(LODGE, { a: 'mca', s: 'x', f: 'y' }, platform.adminToken('mca')))).toBe('BAD_USER_INPUT');
      expect(code(await platform.admin(LODGE, { a: 'psb', s: '拒绝共享', f: ' ' }, platform.adminToken('mca')))).toBe('BAD_USER_INPUT');
      const lodged = await platform.adminAs(person('mca', 'drafter', '陈经办'), LODGE, { a: 'psb', s: '无条件共享数据被拒绝', f: '申请户籍信息三次均被拒，未说明理由' });
      expect(lodged.body.errors).toBeUndefined();
      const complaint = lodged.body.data.lodgeComplaint;
      expect(complaint).toMatchObject({ complainant: 'mca', against: 'psb', status: 'OPEN', events: [{ action: 'LODGED', person: { name: '陈经办' } }] });
      // Before it is handled, the department complained of and third parties see nothing of it.
      for (const dept of ['psb', 'samr']) {
        expect((await platform.admin('{ complaints { id } }', {}, platform.adminToken(dept))).body.data.complaints.map((c: any) => c.id)).not.toContain(complaint.id);
      }
      const HANDLE = `mutation($id: ID!, $a: Boolean!, $r: String!, $n: String) { handleComplaint(id: $id, accept: $a, reasons: $r, noticeDetail: $n) { ${COMPLAINT} } }`;
      expect(code(await platform.admin(HANDLE, { id: complaint.id, a: true, r: '属实' }, platform.adminToken('mca')))).toBe('FORBIDDEN');
      const accepted = await platform.adminAs(person('dgo', 'approver', '吴审批'), HANDLE, { id: complaint.id, a: true, r: '经调查属实', n: '按目录提供户籍信息，拒绝须说明法定理由' });
      expect(accepted.body.errors).toBeUndefined();
      expect(accepted.body.data.handleComplaint).toMatchObject({ status: 'ACCEPTED', reasons: '经调查属实', noticeId: expect.any(String) });
      const psbNotices = (await platform.admin(`{ rectificationNotices(status: OPEN) { ${NOTICE} } complaints { id } }`, {}, platform.adminToken('psb'))).body.data;
      expect(psbNotices.rectificationNotices).toContainEqual(expect.objectContaining({ id: accepted.body.data.handleComplaint.noticeId, source: 'COMPLAINT', violationKind: 'COMPLAINT_UPHELD', complaintId: complaint.id }));
      expect(psbNotices.complaints.map((c: any) => c.id)).toContain(complaint.id);
      expect((await platform.admin('{ complaints { id } }', {}, platform.adminToken('samr'))).body.data.complaints.map((c: any) => c.id)).not.toContain(complaint.id);
      expect(code(await platform.admin(HANDLE, { id: complaint.id, a: false, r: 'x' }))).toBe('CONFLICT');

      const second = (await platform.admin(LODGE, { a: 'samr', s: '数据不一致', f: '企业名称与登记不符' }, platform.adminToken('mca'))).body.data.lodgeComplaint;
      expect(code(await platform.admin(HANDLE, { id: second.id, a: false, r: ' ' }))).toBe('BAD_USER_INPUT');
      const rejected = await platform.admin(HANDLE, { id: second.id, a: false, r: '经核实，数据已按异议程序更正，不属违规' });
      expect(rejected.body.data.handleComplaint).toMatchObject({ status: 'REJECTED', noticeId: null });
      expect((await platform.admin('{ notifications(unreadOnly: true) { kind } }', {}, platform.adminToken('mca'))).body.data.notifications.map((n: any) => n.kind)).toEqual(expect.arrayContaining(['COMPLAINT_ACCEPTED', 'COMPLAINT_REJECTED']));
    });

    it('the CLI lodges and handles a complaint, lists notices and needs, with reasons required', async () => {
      const run = async (token: string, ...args: string[]) => {
        const out: string[] = [];
        const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
        const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
        try {
          return { code: await runCli([...args, '--admin-url', platform.credentials.admin, '--token', token]), out: out.join('') };
        } finally {
          spy.mockRestore();
          err.mockRestore();
        }
      };
      const lodged = await run(platform.adminToken('hrss'), 'complaints', 'lodge', 'samr', '--subject', '数据更新不及时', '--description', '企业登记信息滞后一个月');
      expect(lodged.code).toBe(0);
      const complaint = JSON.parse(lodged.out);
      expect(complaint).toMatchObject({ complainant: 'hrss', against: 'samr', status: 'OPEN' });
      expect(await run(platform.credentials.platformAdminToken, 'complaints', 'handle', complaint.id, '--reject')).toMatchObject({ code: 1, out: expect.stringMatching(/missing --reason/) });
      const handled = await run(platform.credentials.platformAdminToken, 'complaints', 'handle', complaint.id, '--accept', '--reason', '属实', '--description', '按更新周期更新企业登记信息');
      expect(JSON.parse(handled.out)).toMatchObject({ status: 'ACCEPTED', noticeId: expect.any(String) });
      const notices = JSON.parse((await run(platform.adminToken('samr'), 'rectification', 'list', '--status', 'OPEN')).out);
      expect(notices.map((n: any) => n.id)).toContain(JSON.parse(handled.out).noticeId);
      expect((await run(platform.adminToken('hrss'), 'needs', 'list')).code).toBe(0);
    });
  });
}
