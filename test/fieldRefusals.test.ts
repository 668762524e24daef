/**
 * Field refusals and field contests (R5; 000 art. 13), end to end through /admin/graphql and
 * the data graph: a partial approval names a legal ground and text for each field left out;
 * the consumer contests one refused field on its own; the coordinating office grants or
 * upholds that field alone; application and grant events are notified with their parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status } }`;
const FIELDS = 'fields { coordinate approved refusal { ground lawName text refusedBy } contest { status reason decisionReason grantedUntil } }';
const APPROVE = `mutation($id: ID!, $c: [String!], $r: [FieldRefusalInput!]) {
  approveApplication(id: $id, coordinates: $c, reason: "conditions met", refusals: $r) { id status grants { coordinate } ${FIELDS} } }`;
/** An approval with no reason at all: nothing to give the fields left out. */
const APPROVE_WITHOUT_REASON = `mutation($id: ID!, $c: [String!]) { approveApplication(id: $id, coordinates: $c) { id status } }`;
const APPLICATION = `query($id: ID!) { application(id: $id) { status grants { coordinate active } events { action reason } ${FIELDS} } }`;
const CONTEST = `mutation($id: ID!, $c: String!) { contestApplicationField(id: $id, coordinate: $c, reason: "the benefit review needs the mortgages") { status ${FIELDS} } }`;
const ARBITRATE = `mutation($id: ID!, $c: String!, $g: Boolean!, $u: String) {
  arbitrateApplicationField(id: $id, coordinate: $c, grant: $g, reason: "R5: needed for the duty named", validUntil: $u) { status grants { coordinate } ${FIELDS} } }`;
const NOTIFICATIONS = '{ notifications(limit: 200) { kind applicationId params { name value } } }';
const PRIVACY = { coordinate: 'Parcel.mortgages', ground: 'PERSONAL_PRIVACY', text: '抵押权人为自然人,涉及个人隐私' };

const input = (coordinates: string[]) => ({
  coordinates, purpose: 'ADMINISTRATIVE_BASIS', justification: '最低生活保障家庭经济状况核对', legalBasis: '《社会救助暂行办法》第十一条', requestedUntil: '2027-06-30',
});
const paramsOf = (n: { params: { name: string; value: string | null }[] }) => Object.fromEntries(n.params.map((p) => [p.name, p.value]));

describe.each(testDialects())('field refusals and contests on %s', (dialect) => {
  let platform: TestPlatform;
  let parcelQuery: string;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
    parcelQuery = `{ parcel(unitNo: "${platform.credentials.samples.parcels[0]}") { rightHolders { rightType } mortgages { mortgagee } } }`;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function applyFor(coordinates: string[]): Promise<string> {
    const { body } = await platform.admin(APPLY, { input: input(coordinates) }, platform.appToken('hrss'));
    expect(body.errors).toBeUndefined();
    return body.data.applyForAccess[0].id;
  }

  async function notificationsOf(department: string, applicationId: string) {
    const { body } = await platform.admin(NOTIFICATIONS, {}, platform.adminToken(department));
    return (body.data.notifications as { kind: string; applicationId: string | null; params: { name: string; value: string | null }[] }[])
      .filter((n) => n.applicationId === applicationId);
  }

  it('refuses a partial approval without a reason for each field left out, naming them, and changes nothing', async () => {
    const id = await applyFor(['Parcel.rightHolders', 'Parcel.mortgages']);
    const bare = await platform.admin(APPROVE_WITHOUT_REASON, { id, c: ['Parcel.rightHolders'] }, platform.adminToken('nr'));
    expect(bare.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bare.body.errors[0].message).toMatch(/none was given for Parcel\.mortgages/);
    const noLaw = await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'], r: [{ coordinate: 'Parcel.mortgages', ground: 'LAW_OR_REGULATION', text: 'forbidden by law' }] }, platform.adminToken('nr'));
    expect(noLaw.body.errors[0]).toMatchObject({ message: expect.stringMatching(/Parcel\.mortgages: name the law or regulation/), extensions: { code: 'BAD_USER_INPUT' } });
    const granted = await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'], r: [{ ...PRIVACY, coordinate: 'Parcel.rightHolders' }] }, platform.adminToken('nr'));
    expect(granted.body.errors[0].message).toMatch(/Parcel\.rightHolders is granted: a refusal is only for a field left out/);
    const after = await platform.admin(APPLICATION, { id }, platform.adminToken('hrss'));
    expect(after.body.data.application).toMatchObject({ status: 'PENDING', grants: [] });
    expect(after.body.data.application.fields.every((f: any) => f.refusal === null && f.approved === null)).toBe(true);
    // Positive control: with a ground and text for the field left out, it is recorded.
    const ok = await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'], r: [{ coordinate: 'Parcel.mortgages', ground: 'LAW_OR_REGULATION', lawName: '《不动产登记暂行条例》第二十八条', text: '仅限权利人及利害关系人查询' }] }, platform.adminToken('nr'));
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.approveApplication.fields.find((f: any) => f.coordinate === 'Parcel.mortgages').refusal)
      .toMatchObject({ ground: 'LAW_OR_REGULATION', lawName: '《不动产登记暂行条例》第二十八条', text: '仅限权利人及利害关系人查询', refusedBy: expect.stringMatching(/^nr:/) });
  });

  it('gives a field left out the approval\'s reason, on ground OTHER, when a client sends only that (as before refusals existed)', async () => {
    const id = await applyFor(['Parcel.rightHolders', 'Parcel.mortgages']);
    const approved = await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'] }, platform.adminToken('nr'));
    expect(approved.body.errors).toBeUndefined();
    const fields = approved.body.data.approveApplication.fields as any[];
    expect(fields.find((f) => f.coordinate === 'Parcel.mortgages')).toMatchObject({ approved: false, refusal: { ground: 'OTHER', lawName: null, text: 'conditions met' } });
    expect(fields.find((f) => f.coordinate === 'Parcel.rightHolders')).toMatchObject({ approved: true, refusal: null });
  });

  it('contests a refused field alone; the office grants that field only, and the consumer reads it through the gateway', async () => {
    const id = await applyFor(['Parcel.rightHolders', 'Parcel.mortgages']);
    await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'], r: [PRIVACY] }, platform.adminToken('nr'));
    // The refusal: shown to the consumer (its app too), the provider and the coordinating office.
    for (const token of [platform.appToken('hrss'), platform.adminToken('hrss'), platform.adminToken('nr'), undefined]) {
      const { body } = await platform.admin(APPLICATION, { id }, token);
      expect(body.data.application.fields.find((f: any) => f.coordinate === 'Parcel.mortgages')).toMatchObject({ approved: false, refusal: { ground: 'PERSONAL_PRIVACY', text: PRIVACY.text } });
    }
    // A third department gets nothing: not the application, not in its list, and it cannot contest.
    expect((await platform.admin(APPLICATION, { id }, platform.adminToken('mca'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const listed = await platform.admin(`{ applications { id ${FIELDS} } }`, {}, platform.adminToken('mca'));
    expect(listed.body.data.applications.map((a: any) => a.id)).not.toContain(id);
    expect((await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('mca'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    // The approved field cannot be contested; the refused one can, by the consumer.
    expect((await platform.admin(CONTEST, { id, c: 'Parcel.rightHolders' }, platform.adminToken('hrss'))).body.errors[0].message).toMatch(/was not refused/);
    const contested = await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.appToken('hrss'));
    expect(contested.body.errors).toBeUndefined();
    expect(contested.body.data.contestApplicationField).toMatchObject({ status: 'APPROVED' });
    expect(contested.body.data.contestApplicationField.fields.find((f: any) => f.coordinate === 'Parcel.mortgages').contest).toMatchObject({ status: 'OPEN' });
    // The approved field's grant stays in force; the contested one is not readable yet.
    const before = await platform.query(parcelQuery, { as: { department: 'hrss' } });
    expect(before.body.data.parcel.rightHolders.length).toBeGreaterThan(0);
    expect(before.body.data.parcel.mortgages).toBeNull();
    expect(before.body.errors.map((e: any) => e.extensions.reason)).toContain('NO_GRANT');
    // In the office's escalations, with its refusal; a second contest is refused.
    const queue = await platform.admin(`{ escalations { id status ${FIELDS} } }`);
    const escalated = queue.body.data.escalations.find((a: any) => a.id === id);
    expect(escalated.fields.find((f: any) => f.coordinate === 'Parcel.mortgages')).toMatchObject({ refusal: { ground: 'PERSONAL_PRIVACY' }, contest: { status: 'OPEN' } });
    expect((await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('hrss'))).body.errors[0].extensions.code).toBe('CONFLICT');
    // Only the coordinating office arbitrates.
    expect((await platform.admin(ARBITRATE, { id, c: 'Parcel.mortgages', g: true }, platform.adminToken('nr'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await platform.admin(ARBITRATE, { id, c: 'Parcel.rightHolders', g: true })).body.errors[0].message).toMatch(/not contested/);
    const granted = await platform.admin(ARBITRATE, { id, c: 'Parcel.mortgages', g: true, u: '2027-03-31' });
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data.arbitrateApplicationField.grants.map((g: any) => g.coordinate).sort()).toEqual(['Parcel.mortgages', 'Parcel.rightHolders']);
    expect(granted.body.data.arbitrateApplicationField.fields.find((f: any) => f.coordinate === 'Parcel.mortgages'))
      .toMatchObject({ approved: true, contest: { status: 'GRANTED', decisionReason: 'R5: needed for the duty named', grantedUntil: '2027-03-31' } });
    const after = await platform.query(parcelQuery, { as: { department: 'hrss' } });
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.parcel.mortgages).not.toBeNull();
    // Final: no second contest, no second arbitration; out of the escalations.
    expect((await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('hrss'))).body.errors[0].extensions.code).toBe('CONFLICT');
    expect((await platform.admin(ARBITRATE, { id, c: 'Parcel.mortgages', g: false })).body.errors[0].extensions.code).toBe('CONFLICT');
    expect((await platform.admin('{ escalations { id } }')).body.data.escalations.map((a: any) => a.id)).not.toContain(id);
    // Notified with parameters: the partial approval, the contest and the decision.
    const kinds = (await notificationsOf('hrss', id)).map((n) => [n.kind, paramsOf(n)] as const);
    expect(kinds.find(([k]) => k === 'APPLICATION_APPROVED')?.[1]).toMatchObject({ partial: 'true', approvedCoordinates: 'Parcel.rightHolders', refusedCoordinates: 'Parcel.mortgages', provider: 'nr' });
    // The partial approval names the refused field's ground and reason, for the console to show.
    const refusals = JSON.parse(kinds.find(([k]) => k === 'APPLICATION_APPROVED')![1].refusals!) as { coordinate: string; ground: string; text: string }[];
    expect(refusals).toEqual([expect.objectContaining({ coordinate: 'Parcel.mortgages', ground: 'PERSONAL_PRIVACY', text: expect.stringContaining('抵押权人为自然人') })]);
    expect(kinds.find(([k]) => k === 'APPLICATION_FIELD_CONTESTED')?.[1]).toMatchObject({ coordinate: 'Parcel.mortgages', ground: 'PERSONAL_PRIVACY' });
    expect(kinds.find(([k]) => k === 'APPLICATION_FIELD_ARBITRATED')?.[1]).toMatchObject({ coordinate: 'Parcel.mortgages', decision: 'GRANTED', validUntil: '2027-03-31' });
    expect((await notificationsOf('dgo', id)).map((n) => n.kind)).toEqual(expect.arrayContaining(['APPLICATION_FIELD_CONTESTED', 'APPLICATION_FIELD_ARBITRATED']));
    expect(await notificationsOf('mca', id)).toEqual([]);
  });

  it('upholds a contested field with the office\'s reason; the other fields stay as they were', async () => {
    const id = await applyFor(['Parcel.rightHolders', 'Parcel.mortgages']);
    await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'], r: [{ coordinate: 'Parcel.mortgages', ground: 'COMMERCIAL_SECRET', text: '涉及金融机构商业秘密' }] }, platform.adminToken('nr'));
    await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('hrss'));
    const upheld = await platform.admin(ARBITRATE, { id, c: 'Parcel.mortgages', g: false });
    expect(upheld.body.data.arbitrateApplicationField.grants.map((g: any) => g.coordinate)).toEqual(['Parcel.rightHolders']);
    expect(upheld.body.data.arbitrateApplicationField.fields.find((f: any) => f.coordinate === 'Parcel.mortgages'))
      .toMatchObject({ approved: false, refusal: { ground: 'COMMERCIAL_SECRET' }, contest: { status: 'UPHELD', decisionReason: 'R5: needed for the duty named' } });
    expect((await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('hrss'))).body.errors[0].extensions.code).toBe('CONFLICT');
    const events = (await platform.admin(APPLICATION, { id }, platform.adminToken('hrss'))).body.data.application.events.map((e: any) => e.action);
    expect(events).toEqual(['SUBMIT', 'APPROVE', 'CONTEST_FIELD', 'ARBITRATE_FIELD_UPHOLD']);
  });

  it('lets one of two racing contests, and one of two racing decisions, win', async () => {
    const id = await applyFor(['Parcel.rightHolders', 'Parcel.mortgages']);
    await platform.admin(APPROVE, { id, c: ['Parcel.rightHolders'], r: [PRIVACY] }, platform.adminToken('nr'));
    const contests = await Promise.all([0, 1, 2].map(() => platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('hrss'))));
    expect(contests.filter((r) => !r.body.errors)).toHaveLength(1);
    for (const r of contests.filter((r) => r.body.errors)) expect(r.body.errors[0].extensions.code).toBe('CONFLICT');
    const decisions = await Promise.all([true, true, false].map((g) => platform.admin(ARBITRATE, { id, c: 'Parcel.mortgages', g })));
    expect(decisions.filter((r) => !r.body.errors)).toHaveLength(1);
    for (const r of decisions.filter((r) => r.body.errors)) expect(r.body.errors[0].extensions.code).toBe('CONFLICT');
    const grants = (await platform.admin(APPLICATION, { id })).body.data.application.grants.filter((g: any) => g.coordinate === 'Parcel.mortgages');
    expect(grants.length).toBeLessThanOrEqual(1);
  });

  it('gives every field of a rejection a refusal; a full rejection is still contested whole', async () => {
    const id = await applyFor(['Parcel.rightHolders', 'Parcel.mortgages']);
    const rejected = await platform.admin(`mutation($id: ID!, $r: [FieldRefusalInput!]) { rejectApplication(id: $id, reason: "no matter pending", refusals: $r) { status ${FIELDS} } }`,
      { id, r: [{ coordinate: 'Parcel.mortgages', ground: 'STATE_SECRET', text: '涉密不动产' }] }, platform.adminToken('nr'));
    expect(rejected.body.errors).toBeUndefined();
    const refusals = Object.fromEntries(rejected.body.data.rejectApplication.fields.map((f: any) => [f.coordinate, f.refusal]));
    expect(refusals).toMatchObject({ 'Parcel.mortgages': { ground: 'STATE_SECRET', text: '涉密不动产' }, 'Parcel.rightHolders': { ground: 'OTHER', text: 'no matter pending' } });
    expect((await platform.admin(CONTEST, { id, c: 'Parcel.mortgages' }, platform.adminToken('hrss'))).body.errors[0].message).toMatch(/contest a rejection or refusal whole/);
    const whole = await platform.admin('mutation($id: ID!) { contestApplication(id: $id, reason: "needed") { status } }', { id }, platform.adminToken('hrss'));
    expect(whole.body.data.contestApplication.status).toBe('ESCALATED');
  });

  it('records the legal basis of a not-shared field refused at once', async () => {
    const { body } = await platform.admin(`mutation($input: ApplicationInput!) { applyForAccess(input: $input) { status ${FIELDS} } }`, { input: input(['Person.biometricTemplate']) }, platform.appToken('hrss'));
    expect(body.data.applyForAccess[0].status).toBe('REFUSED');
    expect(body.data.applyForAccess[0].fields[0].refusal).toMatchObject({ ground: 'LAW_OR_REGULATION', lawName: expect.stringMatching(/个人信息保护法/), refusedBy: 'system:not-shared' });
  });

  it('notifies submission and a revoked grant with their parameters, to the consumer and the provider', async () => {
    const id = await applyFor(['Person.maritalStatus']);
    const submitted = (await notificationsOf('psb', id)).find((n) => n.kind === 'APPLICATION_SUBMITTED')!;
    expect(paramsOf(submitted)).toMatchObject({ applicationId: id, consumer: 'hrss', provider: 'psb', coordinates: 'Person.maritalStatus', dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    await platform.admin(APPROVE, { id }, platform.adminToken('psb'));
    expect(paramsOf((await notificationsOf('hrss', id)).find((n) => n.kind === 'APPLICATION_APPROVED')!)).toMatchObject({ partial: 'false', refusedCoordinates: '' });
    const grantId = (await platform.admin('query($id: ID!) { application(id: $id) { grants { id } } }', { id }, platform.adminToken('psb'))).body.data.application.grants[0].id;
    const revoked = await platform.admin('mutation($id: ID!) { revokeGrant(id: $id, reason: "case closed") { active } }', { id: grantId }, platform.adminToken('psb'));
    expect(revoked.body.data.revokeGrant.active).toBe(false);
    for (const department of ['hrss', 'psb']) {
      const notice = (await notificationsOf(department, id)).find((n) => n.kind === 'GRANT_REVOKED');
      expect(paramsOf(notice!)).toMatchObject({ grantId, coordinate: 'Person.maritalStatus', reason: 'case closed', consumer: 'hrss' });
    }
    expect((await notificationsOf('mca', id))).toEqual([]);
  });
});
