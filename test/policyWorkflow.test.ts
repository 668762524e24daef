/**
 * The policy workflow (issue 13), through /admin/graphql and the data graph: the coordinating
 * office's change of a department's field is a proposal the department accepts or contests
 * (000 art. 9) or a reasoned override; the department and the field's grantees are told;
 * history shows each version's changes; reverting one change leaves later changes to other
 * fields in place, and a later change to the same field must be confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';
import { testDialects } from '../storage/testing.ts';

const SET = `mutation($c: String!, $p: FieldPolicyInput!, $r: String!, $o: Boolean) { setFieldPolicy(coordinate: $c, policy: $p, reason: $r, override: $o) { version policy { sharingClass origin } } }`;
const PROPOSE = `mutation($c: String!, $p: FieldPolicyInput!, $r: String!) { proposeReclassification(coordinate: $c, policy: $p, reason: $r) { id status direction department currentClass proposal { sharingClass } } }`;
const ACCEPT = `mutation($id: ID!) { acceptReclassification(id: $id, reason: "agreed") { status appliedVersion decidedBy decisionReason } }`;
const CONTEST = `mutation($id: ID!, $r: String!) { contestReclassification(id: $id, reason: $r) { status contestReason contestedBy } }`;
const REVIEW = `mutation($id: ID!, $a: Boolean!, $r: String!) { reviewReclassification(id: $id, apply: $a, reason: $r) { status decisionReason appliedVersion } }`;
const REVERT = `mutation($v: Int!, $c: String!, $r: String!, $confirm: Boolean) { revertPolicyChange(version: $v, coordinate: $c, reason: $r, confirmLaterChanges: $confirm) { version policy { sharingClass origin } laterChanges { version } } }`;
const PREVIEW = `query($v: Int!, $c: String!) { policyRevertPreview(version: $v, coordinate: $c) {
  change { kind } restores { sharingClass } current { sharingClass } laterChanges { version actor reason change { kind after { sharingClass } } }
  grants { consumer purpose active } recentReaders { consumer requests } readersSince } }`;
const CONDITIONAL = (basis: string) => ({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis });

type Notice = { kind: string; params: Record<string, string | null> };

async function notifications(platform: TestPlatform, department: string): Promise<Notice[]> {
  const token = department === 'dgo' ? platform.credentials.platformAdminToken : platform.adminToken(department);
  const body = (await platform.admin('{ notifications(limit: 200) { kind params { name value } } }', {}, token)).body;
  return body.data.notifications.map((n: any) => ({ kind: n.kind, params: Object.fromEntries(n.params.map((p: any) => [p.name, p.value])) }));
}

const code = (r: { body: any }) => r.body.errors?.[0]?.extensions?.code;

for (const dialect of testDialects()) {
  describe(`policy workflow (${dialect})`, () => {
    let platform: TestPlatform;
    let person: string;
    const read = (fields: string, department: string, headers: Record<string, string> = {}) =>
      platform.query(`{ person(idNumber: "${person}") { ${fields} } }`, { as: { department }, headers });
    const version = async () => (await platform.admin('{ policyVersion }')).body.data.policyVersion as number;

    beforeAll(async () => {
      platform = await startTestPlatform(dialect);
      person = platform.credentials.samples.persons[0]!;
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('refuses a change of a department\'s field declared not to be an override (override: false): it is an override or a proposal', async () => {
      const before = await version();
      const plain = await platform.admin(SET, { c: 'Person.ethnicity', r: 'sensitive', o: false, p: CONDITIONAL('《个人信息保护法》第二十八条') });
      expect(code(plain)).toBe('BAD_USER_INPUT');
      expect(plain.body.errors[0].message).toMatch(/psb's field.*000 art\. 9.*proposeReclassification.*override: true/);
      expect(await version()).toBe(before);
      expect((await read('ethnicity', 'hrss')).body.data.person.ethnicity).toBeTruthy();
      // Positive control: the same call without the flag is the reasoned override it always was (the
      // management API's contract: override defaults to true), applied at once and then undone here.
      const applied = await platform.admin(SET, { c: 'Person.ethnicity', r: 'sensitive', p: CONDITIONAL('《个人信息保护法》第二十八条') });
      expect(applied.body.errors).toBeUndefined();
      expect(await version()).toBe(before + 1);
      const cleared = await platform.admin('mutation { clearFieldPolicy(coordinate: "Person.ethnicity", reason: "undo the control") { version } }');
      expect(cleared.body.errors).toBeUndefined();
    });

    it('reverting one change restores that field and leaves a later change to another field in place', async () => {
      // hrss reads ethnicity (unconditional) and not the household address (conditional, no grant).
      const start = await read('ethnicity householdAddress', 'hrss');
      expect(start.body.data.person.ethnicity).toBeTruthy();
      expect(start.body.errors.find((e: any) => e.extensions.coordinate === 'Person.householdAddress').extensions.reason).toBe('NO_GRANT');

      const v1 = (await platform.admin(SET, { c: 'Person.ethnicity', r: 'ethnicity is sensitive', o: true, p: CONDITIONAL('《个人信息保护法》第二十八条') })).body.data.setFieldPolicy.version;
      const v2 = (await platform.admin(SET, { c: 'Person.householdAddress', r: 'addresses open to all departments', o: true, p: { sharingClass: 'UNCONDITIONAL' } })).body.data.setFieldPolicy.version;
      expect(v2).toBe(v1 + 1);
      const between = await read('ethnicity householdAddress', 'hrss');
      expect(between.body.data.person.householdAddress).toBeTruthy();
      expect(between.body.data.person.ethnicity).toBeNull();
      expect(between.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'Person.ethnicity' });
      expect((await read('ethnicity', 'psb')).body.data.person.ethnicity).toBeTruthy();

      // History as changes: each version's diff, with author and reason.
      const history = (await platform.admin(`{ policyHistory(limit: 3) { version actor reason changes { coordinate kind before { sharingClass } after { sharingClass } attributes sdlDefault { sharingClass } provider } } }`)).body.data.policyHistory;
      const of = (v: number) => history.find((h: any) => h.version === v);
      expect(of(v2)).toMatchObject({ reason: 'addresses open to all departments', actor: expect.stringMatching(/^dgo:/), changes: [{ coordinate: 'Person.householdAddress', kind: 'CHANGED', before: { sharingClass: 'CONDITIONAL' }, after: { sharingClass: 'UNCONDITIONAL' }, sdlDefault: { sharingClass: 'CONDITIONAL' }, provider: 'psb' }] });
      expect(of(v1).changes).toEqual([expect.objectContaining({ coordinate: 'Person.ethnicity', kind: 'SET', attributes: ['sharingClass', 'purposes', 'basis'] })]);

      // Preview: nothing later on ethnicity; hrss read it lately. The provider may look, another department not.
      const preview = (await platform.admin(PREVIEW, { v: v1, c: 'Person.ethnicity' })).body.data.policyRevertPreview;
      expect(preview).toMatchObject({ change: { kind: 'SET' }, restores: null, current: { sharingClass: 'CONDITIONAL' }, laterChanges: [] });
      expect(preview.recentReaders.map((r: any) => r.consumer)).toContain('hrss');
      expect((await platform.admin(PREVIEW, { v: v1, c: 'Person.ethnicity' }, platform.adminToken('psb'))).body.data.policyRevertPreview.change.kind).toBe('SET');
      expect(code(await platform.admin(PREVIEW, { v: v1, c: 'Person.ethnicity' }, platform.adminToken('tax')))).toBe('FORBIDDEN');
      expect(code(await platform.admin(REVERT, { v: v1, c: 'Person.ethnicity', r: 'x' }, platform.adminToken('psb')))).toBe('FORBIDDEN');
      expect(code(await platform.admin(REVERT, { v: v2, c: 'Person.ethnicity', r: 'x' }))).toBe('BAD_USER_INPUT');

      const reverted = (await platform.admin(REVERT, { v: v1, c: 'Person.ethnicity', r: 'classification was premature' })).body.data.revertPolicyChange;
      expect(reverted).toMatchObject({ version: v2 + 1, policy: { sharingClass: 'UNCONDITIONAL', origin: 'SDL' }, laterChanges: [] });
      const after = await read('ethnicity householdAddress', 'hrss');
      expect(after.body.errors).toBeUndefined();
      expect(after.body.data.person.ethnicity).toBeTruthy();
      expect(after.body.data.person.householdAddress).toBeTruthy();
      const policies = (await platform.admin('{ a: fieldPolicy(coordinate: "Person.ethnicity") { sharingClass } b: fieldPolicy(coordinate: "Person.householdAddress") { sharingClass origin } }')).body.data;
      expect(policies).toEqual({ a: { sharingClass: 'UNCONDITIONAL' }, b: { sharingClass: 'UNCONDITIONAL', origin: 'OVERRIDE' } });
      const revertVersion = (await platform.admin('{ policyHistory(limit: 1) { kind reason changes { coordinate kind } } }')).body.data.policyHistory[0];
      expect(revertVersion).toEqual({ kind: 'REVERT', reason: `revert version ${v1}'s change to Person.ethnicity: classification was premature`, changes: [{ coordinate: 'Person.ethnicity', kind: 'CLEARED' }] });

      // The override told the provider and the field's grantees (mca holds a grant on the address), not others.
      const reclassified = (await notifications(platform, 'mca')).find((n) => n.kind === 'FIELD_RECLASSIFIED' && n.params.coordinate === 'Person.householdAddress');
      expect(reclassified?.params).toMatchObject({ fromClass: 'CONDITIONAL', toClass: 'UNCONDITIONAL', version: String(v2), via: 'OVERRIDE', reason: 'addresses open to all departments' });
      expect((await notifications(platform, 'psb')).some((n) => n.kind === 'FIELD_RECLASSIFIED' && n.params.version === String(v2))).toBe(true);
      expect((await notifications(platform, 'tax')).some((n) => n.kind === 'FIELD_RECLASSIFIED')).toBe(false);
    });

    it('a later change to the same field is named, and the revert must be confirmed', async () => {
      const vx = (await platform.admin(SET, { c: 'Person.ethnicity', r: 'first', o: true, p: CONDITIONAL('《个人信息保护法》第二十八条') })).body.data.setFieldPolicy.version;
      const vy = (await platform.admin(SET, { c: 'Person.ethnicity', r: 'second', o: true, p: { sharingClass: 'NOT_SHARED', basis: '《个人信息保护法》第二十八条' } })).body.data.setFieldPolicy.version;
      const previewed = await platform.admin(PREVIEW, { v: vx, c: 'Person.ethnicity' });
      expect(previewed.body.errors).toBeUndefined();
      const preview = previewed.body.data.policyRevertPreview;
      expect(preview.laterChanges).toEqual([{ version: vy, actor: expect.stringMatching(/^dgo:/), reason: 'second', change: { kind: 'CHANGED', after: { sharingClass: 'NOT_SHARED' } } }]);
      const before = await version();
      const refused = await platform.admin(REVERT, { v: vx, c: 'Person.ethnicity', r: 'undo first' });
      expect(code(refused)).toBe('CONFLICT');
      expect(refused.body.errors[0].message).toMatch(new RegExp(`changed again after version ${vx}: version ${vy} .*second.*confirmLaterChanges: true`));
      expect(refused.body.errors[0].extensions.laterVersions).toEqual([vy]);
      expect(await version()).toBe(before);
      expect((await read('ethnicity', 'hrss')).body.data.person.ethnicity).toBeNull();

      const confirmed = (await platform.admin(REVERT, { v: vx, c: 'Person.ethnicity', r: 'undo both', confirm: true })).body.data.revertPolicyChange;
      expect(confirmed).toMatchObject({ version: before + 1, policy: { sharingClass: 'UNCONDITIONAL' }, laterChanges: [{ version: vy }] });
      expect((await read('ethnicity', 'hrss')).body.data.person.ethnicity).toBeTruthy();
      const again = await platform.admin(REVERT, { v: vx, c: 'Person.ethnicity', r: 'once more', confirm: true });
      expect(code(again)).toBe('BAD_USER_INPUT');
      expect(again.body.errors[0].message).toMatch(/already has the policy it had before version \d+ \(restored by version \d+\): there is nothing to revert/);
    });

    it('the department accepts the office\'s proposal: applied as a new version; its grantees are told; another department may not answer', async () => {
      const proposed = (await platform.admin(PROPOSE, { c: 'Person.maritalStatus', r: 'marital status needs a case number', p: { ...CONDITIONAL('《个人信息保护法》第二十八条'), caseIdRequired: true } })).body.data.proposeReclassification;
      expect(proposed).toMatchObject({ status: 'PENDING', direction: 'TO_DEPARTMENT', department: 'psb', currentClass: 'CONDITIONAL' });
      expect(code(await platform.admin(PROPOSE, { c: 'Person.maritalStatus', r: 'again', p: { sharingClass: 'UNCONDITIONAL' } }))).toBe('CONFLICT');
      expect((await notifications(platform, 'psb')).find((n) => n.kind === 'POLICY_PROPOSED')?.params).toMatchObject({ coordinate: 'Person.maritalStatus', proposalId: proposed.id, reason: 'marital status needs a case number' });
      expect((await notifications(platform, 'mca')).some((n) => n.kind === 'POLICY_PROPOSED' && n.params.proposalId === proposed.id)).toBe(true);

      // Not another department, not the office, not the old way: only psb answers.
      expect(code(await platform.admin(ACCEPT, { id: proposed.id }, platform.adminToken('tax')))).toBe('FORBIDDEN');
      expect(code(await platform.admin(CONTEST, { id: proposed.id, r: 'no' }, platform.adminToken('tax')))).toBe('FORBIDDEN');
      expect(code(await platform.admin(ACCEPT, { id: proposed.id }))).toBe('FORBIDDEN');
      expect(code(await platform.admin('mutation($id: ID!) { decidePolicyProposal(id: $id, accept: true, reason: "x") { status } }', { id: proposed.id }))).toBe('FORBIDDEN');
      expect((await platform.admin('{ reclassifications(status: PENDING) { id } }', {}, platform.adminToken('tax'))).body.data.reclassifications).toEqual([]);
      expect((await platform.admin('{ reclassifications(status: PENDING) { id } }', {}, platform.adminToken('psb'))).body.data.reclassifications).toEqual([{ id: proposed.id }]);
      expect((await read('maritalStatus', 'mca')).body.data.person.maritalStatus).toBeTruthy();

      const accepted = (await platform.admin(ACCEPT, { id: proposed.id }, platform.adminToken('psb'))).body.data.acceptReclassification;
      expect(accepted).toMatchObject({ status: 'ACCEPTED', appliedVersion: await version(), decidedBy: expect.stringMatching(/^psb:/), decisionReason: 'agreed' });
      const noCase = await read('maritalStatus', 'mca');
      expect(noCase.body.data.person.maritalStatus).toBeNull();
      expect(noCase.body.errors[0].extensions).toMatchObject({ coordinate: 'Person.maritalStatus', reason: 'CASE_ID_REQUIRED' });
      expect((await read('maritalStatus', 'mca', { 'x-case-id': 'MZ-2026-001' })).body.data.person.maritalStatus).toBeTruthy();
      const told = (await notifications(platform, 'mca')).find((n) => n.kind === 'FIELD_RECLASSIFIED' && n.params.proposalId === proposed.id);
      expect(told?.params).toMatchObject({ via: 'ACCEPTED_BY_DEPARTMENT', version: String(accepted.appliedVersion), fromClass: 'CONDITIONAL', toClass: 'CONDITIONAL' });
      expect((await notifications(platform, 'dgo')).find((n) => n.kind === 'POLICY_PROPOSAL_DECIDED' && n.params.proposalId === proposed.id)?.params.outcome).toBe('ACCEPTED');
      expect(code(await platform.admin(ACCEPT, { id: proposed.id }, platform.adminToken('psb')))).toBe('CONFLICT');
    });

    it('a department\'s own proposal still goes to the office, which decides it; the decision is kept and the department told', async () => {
      const OWN = `mutation($p: FieldPolicyInput!) { proposeFieldPolicy(coordinate: "Person.ethnicity", policy: $p, reason: "ethnicity on application only") { id direction } }`;
      const DECIDE = `mutation($id: ID!, $a: Boolean!, $r: String!) { decidePolicyProposal(id: $id, accept: $a, reason: $r) { status decisionReason appliedVersion } }`;
      const p = CONDITIONAL('《个人信息保护法》第二十八条');
      const first = (await platform.admin(OWN, { p }, platform.adminToken('psb'))).body.data.proposeFieldPolicy;
      expect(first.direction).toBe('FROM_DEPARTMENT');
      // psb cannot answer its own proposal as if the office had sent it.
      expect(code(await platform.admin(ACCEPT, { id: first.id }, platform.adminToken('psb')))).toBe('BAD_USER_INPUT');
      expect((await platform.admin(DECIDE, { id: first.id, a: false, r: 'not before the catalogue review' })).body.data.decidePolicyProposal)
        .toEqual({ status: 'REJECTED', decisionReason: 'not before the catalogue review', appliedVersion: null });
      expect((await notifications(platform, 'psb')).find((n) => n.kind === 'POLICY_PROPOSAL_DECIDED' && n.params.proposalId === first.id)?.params)
        .toMatchObject({ outcome: 'REJECTED', reason: 'not before the catalogue review' });
      expect((await read('ethnicity', 'hrss')).body.data.person.ethnicity).toBeTruthy();

      const second = (await platform.admin(OWN, { p }, platform.adminToken('psb'))).body.data.proposeFieldPolicy;
      const accepted = (await platform.admin(DECIDE, { id: second.id, a: true, r: 'agreed at the review' })).body.data.decidePolicyProposal;
      expect(accepted).toEqual({ status: 'ACCEPTED', decisionReason: 'agreed at the review', appliedVersion: await version() });
      expect((await read('ethnicity', 'hrss')).body.data.person.ethnicity).toBeNull();
      expect((await read('ethnicity', 'psb')).body.data.person.ethnicity).toBeTruthy();
      expect((await notifications(platform, 'psb')).find((n) => n.kind === 'POLICY_PROPOSAL_DECIDED' && n.params.proposalId === second.id)?.params)
        .toMatchObject({ outcome: 'ACCEPTED', version: String(accepted.appliedVersion) });
    });

    it('a contested proposal goes to the office, which withdraws or applies it with reasons', async () => {
      const capital = `{ legalEntity(creditCode: "${platform.credentials.samples.legalEntities[0]}") { registeredCapital } }`;
      const propose = async () => (await platform.admin(PROPOSE, { c: 'LegalEntity.registeredCapital', r: 'capital is commercially sensitive', p: CONDITIONAL('《企业信息公示暂行条例》第十条') })).body.data.proposeReclassification.id as string;
      const first = await propose();
      const contested = (await platform.admin(CONTEST, { id: first, r: 'capital is public under the disclosure rules' }, platform.adminToken('samr'))).body.data.contestReclassification;
      expect(contested).toMatchObject({ status: 'CONTESTED', contestReason: 'capital is public under the disclosure rules', contestedBy: expect.stringMatching(/^samr:/) });
      expect((await notifications(platform, 'dgo')).find((n) => n.kind === 'POLICY_PROPOSAL_CONTESTED' && n.params.proposalId === first)?.params.reason).toBe('capital is public under the disclosure rules');
      expect(code(await platform.admin(REVIEW, { id: first, a: true, r: 'x' }, platform.adminToken('samr')))).toBe('FORBIDDEN');
      const withdrawn = (await platform.admin(REVIEW, { id: first, a: false, r: 'samr is right' })).body.data.reviewReclassification;
      expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', decisionReason: 'samr is right', appliedVersion: null });
      expect((await platform.query(capital)).body.data.legalEntity.registeredCapital).not.toBeNull();

      const second = await propose();
      // The office cannot apply what the department has not answered: that is an override.
      expect(code(await platform.admin(REVIEW, { id: second, a: true, r: 'now' }))).toBe('CONFLICT');
      await platform.admin(CONTEST, { id: second, r: 'still public' }, platform.adminToken('samr'));
      const applied = (await platform.admin(REVIEW, { id: second, a: true, r: 'the 2026 rules restrict it' })).body.data.reviewReclassification;
      expect(applied).toMatchObject({ status: 'APPLIED_ON_REVIEW', appliedVersion: await version() });
      const denied = await platform.query(capital);
      expect(denied.body.data.legalEntity.registeredCapital).toBeNull();
      expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'LegalEntity.registeredCapital' });
      expect((await platform.query(capital, { as: { department: 'samr' } })).body.data.legalEntity.registeredCapital).not.toBeNull();
      const decided = (await notifications(platform, 'samr')).filter((n) => n.kind === 'POLICY_PROPOSAL_DECIDED').map((n) => n.params.outcome);
      expect(decided.sort()).toEqual(['APPLIED_ON_REVIEW', 'WITHDRAWN']);
      expect((await notifications(platform, 'samr')).find((n) => n.kind === 'FIELD_RECLASSIFIED')?.params).toMatchObject({ via: 'APPLIED_ON_REVIEW', fromClass: 'UNCONDITIONAL', toClass: 'CONDITIONAL' });
    });
  });
}
