/**
 * The needs register (issue 21; 000 art. 9, 13; 004 art. 15–16), through the management API on
 * both stores: a need the catalogue meets is offered its entries; one it does not goes to the
 * named provider for consultation, then to the coordinating office; an unanswered consultation
 * escalates; the evaluation counts consultations answered on time. Another department sees and
 * answers nothing of a need that is not its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { testDialects } from '../storage/testing.ts';
import type { Identity } from '../control/store/platformStore.ts';

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;
const DAY = 86_400_000;
const NEED = 'id consumer provider status consultationDue answer answerGround decision overdue escalatedAt matches { coordinate provider access } events { action actor person { id name } note }';
const STATE = `mutation($i: SharingNeedInput!) { stateSharingNeed(input: $i) { ${NEED} } }`;
const ANSWER = `mutation($id: ID!, $a: SharingNeedAnswer!, $g: SharingNeedRefusalGround, $r: String!) { answerSharingNeed(id: $id, answer: $a, ground: $g, reasons: $r) { ${NEED} } }`;

for (const dialect of testDialects()) {
  describe(`needs register (${dialect})`, () => {
    let platform: TestPlatform;
    let offset = 0;
    const person = (department: string, role: 'drafter' | 'approver'): Identity => {
      const name = { mca: { drafter: '陈经办', approver: '林审批' }, psb: { drafter: '王经办', approver: '赵审批' }, dgo: { drafter: '周经办', approver: '吴审批' } }[department]![role];
      return { credentialId: `session-${department}-${role}`, kind: department === 'dgo' ? 'PLATFORM_ADMIN' : 'DEPARTMENT_ADMIN', department, name, person: { id: `person-demo-${department}-${role}`, name, roles: [role.toUpperCase() as never] } };
    };

    beforeAll(async () => {
      platform = await startTestPlatform(dialect, { clock: () => new Date(Date.now() + offset) });
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('matches a need to catalogue entries and offers them; another department neither sees nor settles it', async () => {
      const stated = await platform.adminAs(person('mca', 'drafter'), STATE, { i: { dataWanted: 'Person.householdAddress 户籍地址', purpose: '最低生活保障家庭经济状况核对', legalBasis: '《社会救助暂行办法》第十一条' } });
      expect(stated.body.errors).toBeUndefined();
      const need = stated.body.data.stateSharingNeed;
      expect(need).toMatchObject({ consumer: 'mca', status: 'MATCHED', provider: null });
      expect(need.matches).toContainEqual({ coordinate: 'Person.householdAddress', provider: 'psb', access: expect.stringMatching(/READ|APPLY/) });
      expect(need.events[0]).toMatchObject({ action: 'STATED', person: { id: 'person-demo-mca-drafter', name: '陈经办' } });

      // Denial: samr is no party — it reads nothing of the need and may not settle it.
      const seen = await platform.admin('query($id: ID!) { sharingNeed(id: $id) { id } sharingNeeds { id } }', { id: need.id }, platform.adminToken('samr'));
      expect(seen.body.data.sharingNeed).toBeNull();
      expect(seen.body.data.sharingNeeds.map((n: any) => n.id)).not.toContain(need.id);
      const foreign = await platform.admin('mutation($id: ID!) { markSharingNeedMet(id: $id) { status } }', { id: need.id }, platform.adminToken('samr'));
      expect(code(foreign)).toBe('FORBIDDEN');
      // Positive control: its consumer marks it met, once.
      const met = await platform.admin('mutation($id: ID!) { markSharingNeedMet(id: $id, note: "已按目录申请") { status } }', { id: need.id }, platform.adminToken('mca'));
      expect(met.body.data.markSharingNeedMet.status).toBe('MET');
      expect(code(await platform.admin('mutation($id: ID!) { markSharingNeedMet(id: $id) { status } }', { id: need.id }, platform.adminToken('mca')))).toBe('CONFLICT');
    });

    it('sends an unmatched need to the named provider; a refusal names its ground, then the coordinating office decides', async () => {
      const input = { dataWanted: '船舶登记证书编号', purpose: '渔船救助对象核查', legalBasis: '《社会救助暂行办法》第十一条' };
      const before = (await platform.admin('{ sharingNeeds { id } }', {}, platform.adminToken('mca'))).body.data.sharingNeeds.length;
      const noProvider = await platform.admin(STATE, { i: input }, platform.adminToken('mca'));
      expect(code(noProvider)).toBe('BAD_USER_INPUT');
      expect(noProvider.body.errors[0].message).toMatch(/name the department likely to hold the data/);
      expect((await platform.admin('{ sharingNeeds { id } }', {}, platform.adminToken('mca'))).body.data.sharingNeeds).toHaveLength(before);

      const need = (await platform.admin(STATE, { i: { ...input, provider: 'psb', description: '目录中未见相关信息项' } }, platform.adminToken('mca'))).body.data.stateSharingNeed;
      expect(need).toMatchObject({ status: 'CONSULTING', provider: 'psb', matches: [] });
      expect(need.consultationDue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const inbox = await platform.admin('{ sharingNeeds(status: CONSULTING) { id } notifications(unreadOnly: true) { kind } }', {}, platform.adminToken('psb'));
      expect(inbox.body.data.sharingNeeds.map((n: any) => n.id)).toContain(need.id);
      expect(inbox.body.data.notifications.map((n: any) => n.kind)).toContain('NEED_CONSULTATION');

      // Denial: only the consulted department answers.
      expect(code(await platform.admin(ANSWER, { id: need.id, a: 'CAN_PROVIDE', r: '可以' }, platform.adminToken('hrss')))).toBe('FORBIDDEN');
      expect(code(await platform.admin(ANSWER, { id: need.id, a: 'CAN_PROVIDE', r: '可以' }, platform.adminToken('mca')))).toBe('FORBIDDEN');
      // 000 art. 13: a refusal without an admitted ground is refused, and changes nothing.
      const groundless = await platform.admin(ANSWER, { id: need.id, a: 'CANNOT_PROVIDE', r: '不方便' }, platform.adminToken('psb'));
      expect(code(groundless)).toBe('BAD_USER_INPUT');
      const refused = await platform.adminAs(person('psb', 'drafter'), ANSWER, { id: need.id, a: 'CANNOT_PROVIDE', g: 'OTHER_LEGAL', r: '该数据由海事部门采集，本部门不掌握' });
      expect(refused.body.errors).toBeUndefined();
      expect(refused.body.data.answerSharingNeed).toMatchObject({ status: 'AWAITING_DECISION', answer: 'CANNOT_PROVIDE', answerGround: 'OTHER_LEGAL' });

      const DECIDE = 'mutation($id: ID!) { decideSharingNeed(id: $id, decision: NOT_PROVIDE, reasons: "协商不成：数据不在本级政务部门") { status decision events { action person { name } } } }';
      expect(code(await platform.admin(DECIDE, { id: need.id }, platform.adminToken('psb')))).toBe('FORBIDDEN');
      const decided = await platform.adminAs(person('dgo', 'approver'), DECIDE, { id: need.id });
      expect(decided.body.errors).toBeUndefined();
      expect(decided.body.data.decideSharingNeed).toMatchObject({ status: 'DECIDED_NOT_PROVIDE', decision: 'NOT_PROVIDE' });
      expect(decided.body.data.decideSharingNeed.events.map((e: any) => [e.action, e.person?.name ?? null])).toEqual([
        ['STATED', null], ['CONSULTATION_OPENED', null], ['ANSWERED_CANNOT_PROVIDE', '王经办'], ['DECIDED_NOT_PROVIDE', '吴审批'],
      ]);
      const told = await platform.admin('{ notifications(unreadOnly: true) { kind } }', {}, platform.adminToken('mca'));
      expect(told.body.data.notifications.map((n: any) => n.kind)).toEqual(expect.arrayContaining(['NEED_CONSULTATION_FAILED', 'NEED_DECIDED']));
    });

    it('escalates a consultation left unanswered past its due date, once, and the evaluation counts it', async () => {
      const need = (await platform.admin(STATE, { i: { dataWanted: '出入境证件签发记录', purpose: '救助对象出境核查', legalBasis: '《社会救助暂行办法》第十一条', provider: 'psb' } }, platform.adminToken('mca'))).body.data.stateSharingNeed;
      expect(need.status).toBe('CONSULTING');
      // Within the deadline nothing escalates.
      expect((await platform.admin('mutation { escalateOverdueSharingNeeds }')).body.data.escalateOverdueSharingNeeds).not.toContain(need.id);
      expect(code(await platform.admin('mutation { escalateOverdueSharingNeeds }', {}, platform.adminToken('psb')))).toBe('FORBIDDEN');
      offset = 40 * DAY;
      const swept = await platform.admin('mutation { escalateOverdueSharingNeeds }');
      expect(swept.body.data.escalateOverdueSharingNeeds).toContain(need.id);
      expect((await platform.admin('mutation { escalateOverdueSharingNeeds }')).body.data.escalateOverdueSharingNeeds).not.toContain(need.id);
      const after = await platform.admin(`query($id: ID!) { sharingNeed(id: $id) { ${NEED} } notifications(unreadOnly: true) { kind } }`, { id: need.id });
      expect(after.body.data.sharingNeed).toMatchObject({ status: 'AWAITING_DECISION', escalatedAt: expect.any(String) });
      expect(after.body.data.notifications.map((n: any) => n.kind)).toContain('NEED_OVERDUE');
      // Too late to answer now: the coordinating office has it.
      expect(code(await platform.admin(ANSWER, { id: need.id, a: 'CAN_PROVIDE', r: '可以' }, platform.adminToken('psb')))).toBe('CONFLICT');

      const year = new Date(Date.now() + offset + 8 * 3_600_000).getUTCFullYear();
      const consultedYear = Number(need.consultationDue.slice(0, 4));
      const summary = await platform.admin('query($y: Int!) { evaluationSummary(year: $y) { rows { department needsReceived needsAnsweredOnTime needsLateOrUnanswered violations } } }', { y: Math.min(year, consultedYear) });
      expect(summary.body.errors).toBeUndefined();
      const psb = summary.body.data.evaluationSummary.rows.find((r: any) => r.department === 'psb');
      expect(psb.needsReceived).toBeGreaterThanOrEqual(2);
      expect(psb.needsLateOrUnanswered).toBeGreaterThanOrEqual(1);
      expect(psb.violations).toContain('NEEDS_UNANSWERED');
      const mca = summary.body.data.evaluationSummary.rows.find((r: any) => r.department === 'mca');
      expect(mca.needsReceived).toBe(0);
    });
  });
}
