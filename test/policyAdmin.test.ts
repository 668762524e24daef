/**
 * Policy administration through /admin/graphql: who may change what, validation that changes
 * nothing on bad input, new versions with history and rollback, and changes taking effect on
 * the next request — at the gateway and, with the gateway check off, in the subgraphs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

async function admin(platform: TestPlatform, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(platform.credentials.admin, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const adminToken = (p: TestPlatform, code: string) => p.credentials.departments.find((d) => d.code === code)!.adminToken;

// The office changes departments' fields here as reasoned overrides (000 art. 9; the proposal way is test/policyWorkflow.test.ts).
const SET = `mutation($c: String!, $p: FieldPolicyInput!, $r: String!) { setFieldPolicy(coordinate: $c, policy: $p, reason: $r, override: true) { version policy { sharingClass basis origin } } }`;
const ETHNICITY = (p: TestPlatform) => `{ person(idNumber: "${p.credentials.samples.persons[0]}") { name ethnicity } }`;

for (const staticPolicyCheck of [true, false]) {
  describe(`policy administration (${staticPolicyCheck ? 'gateway check + shield' : 'shield alone'})`, () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await startTestPlatform('sqlite', { staticPolicyCheck });
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('a platform administrator restricts a field, it takes effect on the next request, and rollback restores it', async () => {
      const dgo = platform.credentials.platformAdminToken;
      const before = (await admin(platform, dgo, '{ policyVersion }')).body.data.policyVersion;
      expect((await platform.query(ETHNICITY(platform))).body.data.person.ethnicity).toBeTruthy();

      const set = await admin(platform, dgo, SET, {
        c: 'Person.ethnicity', r: 'ethnicity is sensitive personal information',
        p: { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《个人信息保护法》第二十八条' },
      });
      expect(set.body.errors).toBeUndefined();
      expect(set.body.data.setFieldPolicy).toMatchObject({ version: before + 1, policy: { sharingClass: 'CONDITIONAL', origin: 'OVERRIDE' } });

      const denied = await platform.query(ETHNICITY(platform));
      expect(denied.body.data.person.name).toBeTruthy();
      expect(denied.body.data.person.ethnicity).toBeNull();
      expect(denied.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'Person.ethnicity', reason: 'NO_GRANT' });
      // The provider still reads its own field.
      expect((await platform.query(ETHNICITY(platform), { as: { department: 'psb' } })).body.data.person.ethnicity).toBeTruthy();

      const history = (await admin(platform, dgo, '{ policyHistory(limit: 5) { version kind actor reason } }')).body.data.policyHistory;
      expect(history[0]).toMatchObject({ version: before + 1, kind: 'POLICY', reason: 'ethnicity is sensitive personal information' });
      expect(history[0].actor).toMatch(/^dgo:/);

      const rollback = await admin(platform, dgo, 'mutation($v: Int!) { rollbackPolicy(toVersion: $v, reason: "restore") { version } }', { v: before });
      expect(rollback.body.data.rollbackPolicy.version).toBe(before + 2);
      const restored = await platform.query(ETHNICITY(platform));
      expect(restored.body.errors).toBeUndefined();
      expect(restored.body.data.person.ethnicity).toBeTruthy();
    });

    it('a thematic resource follows the policy of the data it is built from (@requires inputs)', async () => {
      const dgo = platform.credentials.platformAdminToken;
      const entity = platform.credentials.samples.legalEntities[0];
      const PROFILE = `{ legalEntity(creditCode: "${entity}") { name profile { creditRating riskLevel } } }`;
      const before = await platform.query(PROFILE);
      const rating = before.body.data.legalEntity.profile.creditRating;
      expect(rating).toMatch(/^[A-D]$/);
      const set = await admin(platform, dgo, SET, {
        c: 'CreditProfile.rating', r: 'ratings are shared on application only',
        p: { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《公共信用信息管理办法》' },
      });
      expect(set.body.errors).toBeUndefined();
      try {
        // mca holds no grant on the rating: the profile, built from it, does not carry it either.
        const denied = await platform.query(PROFILE);
        expect(denied.body.data.legalEntity.name).toBeTruthy();
        expect(denied.body.data.legalEntity.profile.creditRating).toBeNull();
        expect(JSON.stringify(denied.body)).not.toContain(`"${rating}"`);
        // Not even for the rating's provider: market supervision's profile subgraph is never sent
        // a rating its department holds no grant for (R8, R10; test/contextBinding.test.ts).
        const provider = await platform.query(PROFILE, { as: { department: 'ndrc' } });
        expect(provider.body.data.legalEntity.profile).toBeNull();
        expect(provider.body.errors.find((e: any) => e.extensions.coordinate === 'CreditProfile.rating').extensions).toMatchObject({ code: 'FORBIDDEN', subgraph: 'enterprise-profile' });
      } finally {
        await admin(platform, dgo, 'mutation { clearFieldPolicy(coordinate: "CreditProfile.rating", reason: "test done", override: true) { version } }');
      }
      expect((await platform.query(PROFILE)).body.data.legalEntity.profile.creditRating).toBe(rating);
    });

    it('revoking a grant takes effect on the next request', async () => {
      const source = `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { maritalStatus } }`;
      expect((await platform.query(source)).body.data.person.maritalStatus).toBeTruthy();
      const grants = (await admin(platform, adminToken(platform, 'psb'), '{ grants(consumer: "mca", coordinate: "Person.maritalStatus") { id active } }')).body.data.grants;
      expect(grants).toHaveLength(1);
      // Not the provider: the consumer's own administrator cannot revoke it, nor can another department.
      const tax = await admin(platform, adminToken(platform, 'tax'), 'mutation($id: ID!) { revokeGrant(id: $id, reason: "x") { id } }', { id: grants[0].id });
      expect(tax.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const revoked = await admin(platform, adminToken(platform, 'psb'), 'mutation($id: ID!) { revokeGrant(id: $id, reason: "purpose fulfilled") { active revokedAt } }', { id: grants[0].id });
      expect(revoked.body.data.revokeGrant.active).toBe(false);
      const after = await platform.query(source);
      expect(after.body.data.person.maritalStatus).toBeNull();
      expect(after.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'Person.maritalStatus' });
    });
  });
}

describe('policy administration rules', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('rejects a conditional field without legal basis and an unknown coordinate, changing nothing', async () => {
    const dgo = platform.credentials.platformAdminToken;
    const before = (await admin(platform, dgo, '{ policyVersion }')).body.data.policyVersion;
    const noBasis = await admin(platform, dgo, SET, { c: 'Person.ethnicity', r: 'x', p: { sharingClass: 'CONDITIONAL' } });
    expect(noBasis.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(noBasis.body.errors[0].message).toMatch(/legal basis \(R1\)/);
    const unknown = await admin(platform, dgo, SET, { c: 'Person.shoeSize', r: 'x', p: { sharingClass: 'UNCONDITIONAL' } });
    expect(unknown.body.errors[0].message).toMatch(/not a field of the supergraph; fields of Person: .*Person\.name/);
    const badPurpose = await admin(platform, dgo, SET, { c: 'Person.ethnicity', r: 'x', p: { sharingClass: 'UNCONDITIONAL', purposes: ['GOSSIP'] } });
    expect(badPurpose.body.errors[0].message).toMatch(/unknown purposes GOSSIP/);
    expect((await admin(platform, dgo, '{ policyVersion }')).body.data.policyVersion).toBe(before);
  });

  it('lets only the platform administrator set policies; a department proposes for its own fields', async () => {
    const samr = adminToken(platform, 'samr');
    const direct = await admin(platform, samr, SET, { c: 'LegalEntity.registeredCapital', r: 'x', p: { sharingClass: 'UNCONDITIONAL' } });
    expect(direct.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const app = await admin(platform, platform.appToken('mca'), SET, { c: 'Person.name', r: 'x', p: { sharingClass: 'UNCONDITIONAL' } });
    expect(app.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const PROPOSE = `mutation($c: String!, $p: FieldPolicyInput!) { proposeFieldPolicy(coordinate: $c, policy: $p, reason: "capital is commercially sensitive") { id status } }`;
    const notOwn = await admin(platform, adminToken(platform, 'psb'), PROPOSE, { c: 'LegalEntity.registeredCapital', p: { sharingClass: 'CONDITIONAL', basis: '《企业信息公示暂行条例》' } });
    expect(notOwn.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const proposal = await admin(platform, samr, PROPOSE, { c: 'LegalEntity.registeredCapital', p: { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《企业信息公示暂行条例》第十条' } });
    expect(proposal.body.data.proposeFieldPolicy.status).toBe('PENDING');

    const query = `{ legalEntity(creditCode: "${platform.credentials.samples.legalEntities[0]}") { registeredCapital } }`;
    expect((await platform.query(query)).body.data.legalEntity.registeredCapital).not.toBeNull();
    const accepted = await admin(platform, platform.credentials.platformAdminToken, 'mutation($id: ID!) { decidePolicyProposal(id: $id, accept: true, reason: "agreed") { status decidedBy } }', { id: proposal.body.data.proposeFieldPolicy.id });
    expect(accepted.body.data.decidePolicyProposal.status).toBe('ACCEPTED');
    const denied = await platform.query(query);
    expect(denied.body.data.legalEntity.registeredCapital).toBeNull();
    expect(denied.body.errors[0].extensions.coordinate).toBe('LegalEntity.registeredCapital');
  });

  it('tells a consumer what it may read, for which purposes, and what needs an application', async () => {
    const access = async (code: string) => (await admin(platform, platform.appToken(code), '{ myAccess { coordinate status readableFor applicableFor basis } }')).body.data.myAccess as any[];
    const hrss = await access('hrss');
    const of = (list: any[], c: string) => list.find((a) => a.coordinate === c);
    expect(of(hrss, 'Person.householdAddress')).toMatchObject({ status: 'APPLY', readableFor: [], applicableFor: expect.arrayContaining(['DATA_VERIFICATION']) });
    expect(of(hrss, 'Person.biometricTemplate')).toMatchObject({ status: 'NOT_SHARED', basis: expect.stringMatching(/个人信息保护法/) });
    expect(of(hrss, 'Person.name')).toMatchObject({ status: 'READ' });
    const mca = await access('mca');
    expect(of(mca, 'Person.householdAddress')).toMatchObject({ status: 'READ', readableFor: ['ADMINISTRATIVE_BASIS'], applicableFor: ['DATA_VERIFICATION'] });
    expect(of(await access('psb'), 'Person.biometricTemplate').status).toBe('OWN');
  });

  it('issues an app token once, which works until it is revoked', async () => {
    const created = await admin(platform, adminToken(platform, 'hrss'), 'mutation { createApp(name: "pension eligibility") { id token department } }');
    const { id, token, department } = created.body.data.createApp;
    expect(department).toBe('hrss');
    expect(token).toMatch(/^gga_/);
    const query = `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name } }`;
    const call = () => platform.query(query, { as: null, headers: { authorization: `Bearer ${token}`, 'x-purpose': 'WORK_REFERENCE' } });
    expect((await call()).status).toBe(200);
    const listed = (await admin(platform, adminToken(platform, 'hrss'), '{ credentials { id name } }')).body;
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await admin(platform, adminToken(platform, 'mca'), 'mutation($id: ID!) { revokeCredential(id: $id) }', { id })).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await admin(platform, adminToken(platform, 'hrss'), 'mutation($id: ID!) { revokeCredential(id: $id) }', { id })).body.data.revokeCredential).toBe(true);
    expect((await call()).status).toBe(401);
  });
});
