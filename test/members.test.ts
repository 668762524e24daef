/**
 * Members, people with roles, and app tokens (issue 14), through the management API and the
 * data graph: the coordinating office adds a department, a purpose and people; a person's
 * decisions need the approver role (their own or an acting approver's period) and are never on
 * their own draft; deactivation refuses new use and keeps history; app tokens expire, rotate
 * with an overlap and record their last use. People act through an Identity carrying `person`,
 * as sign-in's sessions will give them (platform.adminAs).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { testDialects } from '../storage/testing.ts';
import type { Identity } from '../control/store/platformStore.ts';
import { runCli } from '../cli/main.ts';

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;
const message = (r: { body: any }) => String(r.body.errors?.[0]?.message ?? '');
const MINUTE = 60_000;

const ADD_PERSON = 'mutation($i: PersonInput!, $r: String!) { addPerson(input: $i, reason: $r) { id name department roles effectiveRoles } }';
const APPLY = 'mutation($i: ApplicationInput!) { applyForAccess(input: $i) { id provider status draftedBy { id name } } }';
const APPROVE = 'mutation($id: ID!) { approveApplication(id: $id, reason: "meets the conditions") { id status events { action actor person { id name } } } }';
const REJECT = 'mutation($id: ID!) { rejectApplication(id: $id, reason: "not needed for this purpose") { id status } }';

for (const dialect of testDialects()) {
  describe(`members, roles and app tokens (${dialect})`, () => {
    let platform: TestPlatform;
    let offset = 0;
    const people: Record<string, { id: string; name: string; department: string; roles: string[] }> = {};
    /** A person's identity, as a session of sign-in carries it: the office's are PLATFORM_ADMIN, others DEPARTMENT_ADMIN. */
    const as = (key: string): Identity => {
      const p = people[key]!;
      return { credentialId: `session-${key}`, kind: p.department === 'dgo' ? 'PLATFORM_ADMIN' : 'DEPARTMENT_ADMIN', department: p.department, name: p.name, person: { id: p.id, name: p.name, roles: p.roles as never } };
    };
    const read = (token: string, purpose = 'ADMINISTRATIVE_BASIS') => fetch(platform.credentials.gateway, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
      body: JSON.stringify({ query: `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }` }),
    }).then(async (res) => ({ status: res.status, body: await res.json() as any }));
    const until = () => new Date(Date.now() + offset + 200 * 86_400_000).toISOString().slice(0, 10);
    const application = (coordinates: string[], purpose = 'ADMINISTRATIVE_BASIS') =>
      ({ coordinates, purpose, justification: '最低生活保障家庭经济状况核对', legalBasis: '《社会救助暂行办法》第十一条', requestedUntil: until() });

    beforeAll(async () => {
      platform = await startTestPlatform(dialect, { clock: () => new Date(Date.now() + offset) });
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('the coordinating office adds a department and a purpose, each with a reason; a blank reason changes nothing', async () => {
      const input = { code: 'gzmz', name: '广州市民政局', nameEn: 'Guangzhou Civil Affairs Bureau', provider: false, consumer: true, jurisdiction: '440100', subgraphHosts: ['gzmz.example.gov.cn'] };
      const blank = await platform.admin('mutation($i: DepartmentInput!) { addDepartment(input: $i, reason: " ") { code } }', { i: input });
      expect(code(blank)).toBe('BAD_USER_INPUT');
      expect((await platform.admin('{ departments { code } }')).body.data.departments.map((d: any) => d.code)).not.toContain('gzmz');

      const added = await platform.admin('mutation($i: DepartmentInput!) { addDepartment(input: $i, reason: "市级民政部门接入") { code name nameEn role provider consumer jurisdiction subgraphHosts deactivatedAt } }', { i: input });
      expect(added.body.errors).toBeUndefined();
      expect(added.body.data.addDepartment).toEqual({ code: 'gzmz', name: '广州市民政局', nameEn: 'Guangzhou Civil Affairs Bureau', role: 'CONSUMER', provider: false, consumer: true, jurisdiction: '440100', subgraphHosts: ['gzmz.example.gov.cn'], deactivatedAt: null });
      // A department administrator may not add departments (positive control: the office just did).
      const byDepartment = await platform.admin('mutation($i: DepartmentInput!) { addDepartment(input: $i, reason: "r") { code } }', { i: { ...input, code: 'gzmz2' } }, platform.adminToken('mca'));
      expect(code(byDepartment)).toBe('FORBIDDEN');

      const purpose = await platform.admin('mutation($i: PurposeInput!) { addPurpose(input: $i, reason: "社会救助审核") { code name nameEn legalBasis deactivatedAt } }', {
        i: { code: 'SOCIAL_ASSISTANCE_REVIEW', name: '社会救助审核', nameEn: 'Social assistance review', legalBasis: '《社会救助暂行办法》第十一条' },
      });
      expect(purpose.body.data.addPurpose).toEqual({ code: 'SOCIAL_ASSISTANCE_REVIEW', name: '社会救助审核', nameEn: 'Social assistance review', legalBasis: '《社会救助暂行办法》第十一条', deactivatedAt: null });
      const audit = await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }) { records { json } } }');
      const actions = audit.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json));
      expect(actions.find((r: any) => r.action === 'addDepartment')).toMatchObject({ target: 'gzmz', reason: '市级民政部门接入' });
      expect(actions.find((r: any) => r.action === 'addPurpose')).toMatchObject({ target: 'SOCIAL_ASSISTANCE_REVIEW', reason: '社会救助审核' });
    });

    it('the CLI adds a purpose and lists the departments, with a reason required', async () => {
      const run = async (...args: string[]) => {
        const out: string[] = [];
        const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
        const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { out.push(String(chunk)); return true; });
        try {
          return { code: await runCli([...args, '--admin-url', platform.credentials.admin, '--token', platform.credentials.platformAdminToken]), out: out.join('') };
        } finally {
          spy.mockRestore();
          err.mockRestore();
        }
      };
      const noReason = await run('purposes', 'add', 'CLI_PURPOSE', '--name', '命令行', '--basis', '《政务数据共享管理办法》');
      expect(noReason).toMatchObject({ code: 1, out: expect.stringMatching(/missing --reason/) });
      const added = await run('purposes', 'add', 'CLI_PURPOSE', '--name', '命令行', '--basis', '《政务数据共享管理办法》', '--reason', '测试');
      expect(added.code).toBe(0);
      expect(JSON.parse(added.out)).toMatchObject({ code: 'CLI_PURPOSE', legalBasis: '《政务数据共享管理办法》' });
      const listed = await run('departments', 'list');
      expect(JSON.parse(listed.out).map((d: any) => d.code)).toContain('gzmz');
    });

    it('adds people with roles; a department administrator adds to its own department only', async () => {
      const add = async (key: string, department: string, name: string, roles: string[], token?: string) => {
        const r = await platform.admin(ADD_PERSON, { i: { department, name, roles }, r: 'onboarding' }, token);
        expect(r.body.errors).toBeUndefined();
        people[key] = r.body.data.addPerson;
      };
      await add('gzDrafter', 'gzmz', '陈经办', ['DRAFTER']);
      await add('gzAdmin', 'gzmz', '李管理', ['ADMINISTRATOR']);
      await add('psbDrafter', 'psb', '王经办', ['DRAFTER'], platform.adminToken('psb'));
      await add('psbApprover', 'psb', '赵审批', ['APPROVER'], platform.adminToken('psb'));
      await add('office1', 'dgo', '周处长', ['DRAFTER', 'APPROVER']);
      await add('office2', 'dgo', '吴科长', ['APPROVER']);
      // A department administrator cannot add people to another department, nor to the office.
      for (const department of ['mca', 'dgo']) {
        const refused = await platform.admin(ADD_PERSON, { i: { department, name: '钱某', roles: ['APPROVER'] }, r: 'r' }, platform.adminToken('psb'));
        expect(code(refused)).toBe('FORBIDDEN');
      }
      const psbPeople = (await platform.admin('{ people { id name roles } }', {}, platform.adminToken('psb'))).body.data.people;
      // The demo's people (one per role, fixed ids) and the two just added.
      expect(psbPeople).toEqual(expect.arrayContaining([
        { id: 'person-demo-psb-administrator', name: '孙管理', roles: ['ADMINISTRATOR'] },
        { id: people.psbDrafter!.id, name: '王经办', roles: ['DRAFTER'] }, { id: people.psbApprover!.id, name: '赵审批', roles: ['APPROVER'] },
      ]));
      expect(psbPeople).toHaveLength(5);
      // A person's identity: `me` names them.
      const me = await platform.adminAs(as('gzAdmin'), '{ me { department person { name roles } } }');
      expect(me.body.data.me).toEqual({ department: 'gzmz', person: { name: '李管理', roles: ['ADMINISTRATOR'] } });
    });

    it('an app issued by the department administrator reads with the new purpose', async () => {
      const issued = await platform.adminAs(as('gzAdmin'), 'mutation { createApp(name: "低保核对系统") { id token department } }');
      expect(issued.body.errors).toBeUndefined();
      expect(issued.body.data.createApp.department).toBe('gzmz');
      const credentials = await platform.adminAs(as('gzAdmin'), '{ credentials { id issuedByPerson } }');
      expect(credentials.body.data.credentials).toContainEqual({ id: issued.body.data.createApp.id, issuedByPerson: people.gzAdmin!.id });
      const res = await read(issued.body.data.createApp.token, 'SOCIAL_ASSISTANCE_REVIEW');
      expect(res).toMatchObject({ status: 200 });
      expect(res.body.data.person.name).toBeTruthy();
      // A drafter is not an administrator: issuing apps is refused (role missing).
      const refused = await platform.adminAs(as('gzDrafter'), 'mutation { createApp(name: "x") { id } }');
      expect(code(refused)).toBe('FORBIDDEN');
      expect(message(refused)).toMatch(/needs the ADMINISTRATOR role/);
    });

    let appId = '';
    it('a decision needs the approver role: the drafter is refused, the approver decides, and records name the person', async () => {
      const applied = await platform.adminAs(as('gzDrafter'), APPLY, { i: application(['Person.householdAddress']) });
      expect(applied.body.errors).toBeUndefined();
      appId = applied.body.data.applyForAccess[0].id;
      expect(applied.body.data.applyForAccess[0]).toMatchObject({ provider: 'psb', status: 'PENDING', draftedBy: { id: people.gzDrafter!.id, name: '陈经办' } });

      const byDrafter = await platform.adminAs(as('psbDrafter'), APPROVE, { id: appId });
      expect(code(byDrafter)).toBe('FORBIDDEN');
      expect(message(byDrafter)).toMatch(/approveApplication needs the APPROVER role; 王经办/);
      expect((await platform.admin('query($id: ID!) { application(id: $id) { status } }', { id: appId })).body.data.application.status).toBe('PENDING');

      const approved = await platform.adminAs(as('psbApprover'), APPROVE, { id: appId });
      expect(approved.body.errors).toBeUndefined();
      expect(approved.body.data.approveApplication.status).toBe('APPROVED');
      const events = approved.body.data.approveApplication.events;
      expect(events.find((e: any) => e.action === 'SUBMIT').person).toEqual({ id: people.gzDrafter!.id, name: '陈经办' });
      expect(events.find((e: any) => e.action === 'APPROVE')).toMatchObject({ actor: 'psb:session-psbApprover', person: { id: people.psbApprover!.id, name: '赵审批' } });

      const audit = await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }) { records { json } } }');
      const record = audit.body.data.auditRecords.records.map((r: any) => JSON.parse(r.json)).find((r: any) => r.action === 'approveApplication' && r.target === appId);
      expect(record).toMatchObject({ credentialId: 'session-psbApprover', details: { person: { id: people.psbApprover!.id, name: '赵审批' } } });
      const notices = await platform.admin('{ notifications(limit: 50) { kind applicationId } }', {}, platform.adminToken('psb'));
      expect(notices.body.data.notifications.some((n: any) => n.applicationId === appId)).toBe(true);
      // A bare token keeps deciding as before (backward compatible): no person, no role needed.
      const other = await platform.adminAs(as('gzDrafter'), APPLY, { i: application(['Person.maritalStatus']) });
      const bare = await platform.admin(REJECT, { id: other.body.data.applyForAccess[0].id }, platform.adminToken('psb'));
      expect(bare.body.errors).toBeUndefined();
    });

    it('the approver of a case is never its drafter: the office person who drafted a reclassification cannot review it; another approver can', async () => {
      const proposed = await platform.adminAs(as('office1'), 'mutation { proposeReclassification(coordinate: "Person.gender", policy: { sharingClass: CONDITIONAL, purposes: ["ADMINISTRATIVE_BASIS"], basis: "《个人信息保护法》第二十八条" }, reason: "性别属于敏感个人信息") { id proposedByPerson { name } } }');
      expect(proposed.body.errors).toBeUndefined();
      const id = proposed.body.data.proposeReclassification.id;
      expect(proposed.body.data.proposeReclassification.proposedByPerson).toEqual({ name: '周处长' });
      const contested = await platform.admin('mutation($id: ID!) { contestReclassification(id: $id, reason: "性别为基础信息，应无条件共享") { status } }', { id }, platform.adminToken('psb'));
      expect(contested.body.data.contestReclassification.status).toBe('CONTESTED');

      const REVIEW = 'mutation($id: ID!) { reviewReclassification(id: $id, apply: false, reason: "维持无条件共享") { status } }';
      const own = await platform.adminAs(as('office1'), REVIEW, { id });
      expect(code(own)).toBe('FORBIDDEN');
      expect(message(own)).toMatch(/周处长 .* drafted proposal .* may not decide it/);
      const other = await platform.adminAs(as('office2'), REVIEW, { id });
      expect(other.body.errors).toBeUndefined();
      expect(other.body.data.reviewReclassification.status).toBe('WITHDRAWN');
    });

    it('an acting approver decides during the period named by the department administrator, and not after it ends', async () => {
      const first = (await platform.adminAs(as('gzDrafter'), APPLY, { i: application(['Person.maritalStatus']) })).body.data.applyForAccess[0].id;
      const second = (await platform.adminAs(as('gzDrafter'), APPLY, { i: application(['Person.household']) })).body.data.applyForAccess[0].id;
      // A drafter cannot name themself; the administrator names them, with a reason.
      const self = await platform.adminAs(as('psbDrafter'), 'mutation($p: ID!) { nameActingApprover(personId: $p, validFrom: "2020-01-01", validUntil: "2020-01-02", reason: "r") { id } }', { p: people.psbDrafter!.id });
      expect(code(self)).toBe('FORBIDDEN');
      const now = Date.now() + offset;
      const named = await platform.admin('mutation($p: ID!, $f: String!, $u: String!) { nameActingApprover(personId: $p, validFrom: $f, validUntil: $u, reason: "赵审批休假") { id active person { effectiveRoles } } }', {
        p: people.psbDrafter!.id, f: new Date(now - MINUTE).toISOString(), u: new Date(now + 60 * MINUTE).toISOString(),
      }, platform.adminToken('psb'));
      expect(named.body.errors).toBeUndefined();
      expect(named.body.data.nameActingApprover).toMatchObject({ active: true, person: { effectiveRoles: ['DRAFTER', 'APPROVER'] } });

      const approved = await platform.adminAs(as('psbDrafter'), APPROVE, { id: first });
      expect(approved.body.errors).toBeUndefined();
      expect(approved.body.data.approveApplication.status).toBe('APPROVED');

      offset += 61 * MINUTE; // the period is over
      const after = await platform.adminAs(as('psbDrafter'), REJECT, { id: second });
      expect(code(after)).toBe('FORBIDDEN');
      // Positive control: the approver still decides it.
      expect((await platform.adminAs(as('psbApprover'), REJECT, { id: second })).body.data.rejectApplication.status).toBe('REJECTED');
    });

    it('app tokens: expiry is refused with 401 saying so; rotation keeps both tokens for the overlap, then only the new one', async () => {
      const created = await platform.admin('mutation { createApp(department: "gzmz", name: "批量核验") { id token } }');
      const { id, token: old } = created.body.data.createApp;
      expect((await read(old)).status).toBe(200);

      const rotated = await platform.adminAs(as('gzAdmin'), 'mutation($id: ID!) { rotateAppToken(id: $id, reason: "季度轮换", overlapMinutes: 10) { id token previousValidUntil } }', { id });
      expect(rotated.body.errors).toBeUndefined();
      const fresh = rotated.body.data.rotateAppToken.token;
      expect(fresh).not.toBe(old);
      expect((await read(old)).status).toBe(200);
      expect((await read(fresh)).status).toBe(200);
      offset += 11 * MINUTE;
      const stale = await read(old);
      expect(stale.status).toBe(401);
      expect((await read(fresh)).status).toBe(200);

      const expiresAt = new Date(Date.now() + offset + 5 * MINUTE).toISOString();
      const set = await platform.admin('mutation($id: ID!, $e: String) { setAppExpiry(id: $id, expiresAt: $e, reason: "试运行期限") { expiresAt } }', { id, e: expiresAt });
      expect(set.body.data.setAppExpiry.expiresAt).toBe(expiresAt);
      expect((await read(fresh)).status).toBe(200);
      offset += 6 * MINUTE;
      const expired = await read(fresh);
      expect(expired.status).toBe(401);
      expect(JSON.stringify(expired.body)).toMatch(/expired at/);
    });

    it('records when a token was last used, at most once a minute', async () => {
      const created = await platform.admin('mutation { createApp(department: "gzmz", name: "台账") { id token } }');
      const { id, token } = created.body.data.createApp;
      const lastUsed = async () => ((await platform.admin('{ credentials(department: "gzmz") { id lastUsedAt } }')).body.data.credentials.find((c: any) => c.id === id).lastUsedAt as string | null);
      expect(await lastUsed()).toBeNull();
      await read(token);
      await vi.waitFor(async () => expect(await lastUsed()).not.toBeNull(), { timeout: 10_000 });
      const first = (await lastUsed())!;
      await read(token);
      await new Promise((r) => setTimeout(r, 300));
      expect(await lastUsed()).toBe(first);
      offset += 2 * MINUTE;
      await read(token);
      await vi.waitFor(async () => expect(Date.parse((await lastUsed())!)).toBeGreaterThan(Date.parse(first)), { timeout: 10_000 });
    });

    it('deactivation keeps history and refuses new use: purpose, person (drafts pass to the administrator), department', async () => {
      // Purpose: refused for new requests and applications; still listed, with when and why.
      const app = (await platform.admin('mutation { createApp(department: "mca", name: "核对") { token } }')).body.data.createApp.token;
      expect((await read(app, 'SOCIAL_ASSISTANCE_REVIEW')).status).toBe(200);
      const gone = await platform.admin('mutation { deactivatePurpose(purpose: "SOCIAL_ASSISTANCE_REVIEW", reason: "并入行政依据") { deactivatedAt deactivationReason } }');
      expect(gone.body.data.deactivatePurpose.deactivationReason).toBe('并入行政依据');
      const refusedRead = await read(app, 'SOCIAL_ASSISTANCE_REVIEW');
      expect(refusedRead.status).toBe(400);
      expect(JSON.stringify(refusedRead.body)).toMatch(/deactivated/);
      expect((await read(app, 'ADMINISTRATIVE_BASIS')).status).toBe(200);
      const refusedApply = await platform.adminAs(as('gzDrafter'), APPLY, { i: application(['Person.householdAddress'], 'SOCIAL_ASSISTANCE_REVIEW') });
      expect(code(refusedApply)).toBe('BAD_USER_INPUT');
      const listed = (await platform.admin('{ purposes { code deactivatedAt } }')).body.data.purposes;
      expect(listed.find((p: any) => p.code === 'SOCIAL_ASSISTANCE_REVIEW').deactivatedAt).toBeTruthy();

      // Person: their open draft passes to the department administrator; they cannot act any more.
      const open = (await platform.adminAs(as('gzDrafter'), APPLY, { i: application(['Person.realEstate']) })).body.data.applyForAccess[0].id;
      const selfOff = await platform.adminAs(as('gzAdmin'), 'mutation($p: ID!) { deactivatePerson(personId: $p, reason: "r") { person { id } } }', { p: people.gzAdmin!.id });
      expect(code(selfOff)).toBe('BAD_USER_INPUT');
      const off = await platform.adminAs(as('gzAdmin'), 'mutation($p: ID!) { deactivatePerson(personId: $p, reason: "调离") { person { deactivatedAt effectiveRoles } draftsTo { name } transferredApplications } }', { p: people.gzDrafter!.id });
      expect(off.body.errors).toBeUndefined();
      expect(off.body.data.deactivatePerson).toMatchObject({ person: { effectiveRoles: [] }, draftsTo: { name: '李管理' } });
      expect(off.body.data.deactivatePerson.transferredApplications).toContain(open);
      const moved = await platform.admin('query($id: ID!) { application(id: $id) { draftedBy { name } events { action } } }', { id: open });
      expect(moved.body.data.application.draftedBy).toEqual({ name: '李管理' });
      expect(moved.body.data.application.events.map((e: any) => e.action)).toContain('DRAFT_TRANSFERRED');
      const dead = await platform.adminAs(as('gzDrafter'), '{ me { name } }');
      expect(dead.status).toBe(401);
      expect(message(dead)).toMatch(/deactivated/);
      expect((await platform.adminAs(as('gzAdmin'), '{ me { name } }')).body.data.me).toBeTruthy();

      // Department: its apps and people are refused; it and its history stay.
      const gzApp = (await platform.admin('mutation { createApp(department: "gzmz", name: "最后一个") { token } }')).body.data.createApp.token;
      expect((await read(gzApp)).status).toBe(200);
      const deactivated = await platform.admin('mutation { deactivateDepartment(department: "gzmz", reason: "机构改革，职能划入省民政厅") { deactivatedAt deactivationReason } }');
      expect(deactivated.body.data.deactivateDepartment.deactivationReason).toBe('机构改革，职能划入省民政厅');
      const refused = await read(gzApp);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toMatch(/department gzmz was deactivated/);
      const adminRefused = await platform.adminAs(as('gzAdmin'), '{ me { name } }');
      expect(adminRefused.status).toBe(403);
      expect((await platform.admin('{ departments { code deactivatedAt } }')).body.data.departments.find((d: any) => d.code === 'gzmz').deactivatedAt).toBeTruthy();
      expect((await platform.admin('query($id: ID!) { application(id: $id) { consumer status } }', { id: appId })).body.data.application).toEqual({ consumer: 'gzmz', status: 'APPROVED' });
      // Positive control: another department's app reads as before.
      expect((await read(platform.appToken('mca'))).status).toBe(200);
    });
  });
}
