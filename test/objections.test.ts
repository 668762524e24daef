/** Doubt and error feedback (R9): a consumer flags a datum, the provider verifies and resolves it, the consumer is told. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './harness.ts';

describe('data objections (R9)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const RAISE = 'mutation($i: ObjectionInput!) { raiseObjection(input: $i) { id status provider dueDate } }';
  const RESOLVE = 'mutation($id: ID!, $r: ObjectionResolution!, $n: String!) { resolveObjection(id: $id, resolution: $r, note: $n) { status resolvedBy resolutionNote } }';

  it('routes an objection to the collector, who resolves it; the consumer is told and reading goes on', async () => {
    const person = platform.credentials.samples.persons[0];
    const raised = await platform.admin(RAISE, { i: { coordinate: 'Person.householdAddress', entityKey: person, expectedValue: '已迁出', description: '申请人已于2025年迁出该户籍地址' } }, platform.appToken('mca'));
    expect(raised.body.errors).toBeUndefined();
    const objection = raised.body.data.raiseObjection;
    expect(objection).toMatchObject({ status: 'OPEN', provider: 'psb' });
    expect(objection.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The citizen's business goes on: the datum is still readable meanwhile.
    expect((await platform.query(`{ person(idNumber: "${person}") { householdAddress } }`)).body.data.person.householdAddress).toBeTruthy();

    const inbox = await platform.admin('{ objections(status: OPEN) { id coordinate } notifications(unreadOnly: true) { kind } }', {}, platform.adminToken('psb'));
    expect(inbox.body.data.objections.map((o: any) => o.id)).toContain(objection.id);
    expect(inbox.body.data.notifications.map((n: any) => n.kind)).toContain('OBJECTION_RAISED');

    const wrongDepartment = await platform.admin(RESOLVE, { id: objection.id, r: 'CORRECTED', n: 'x' }, platform.adminToken('samr'));
    expect(wrongDepartment.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const resolved = await platform.admin(RESOLVE, { id: objection.id, r: 'CORRECTED', n: '已核实，户籍迁出登记已更新' }, platform.adminToken('psb'));
    expect(resolved.body.data.resolveObjection).toMatchObject({ status: 'CORRECTED', resolvedBy: expect.stringMatching(/^psb:/) });
    const told = await platform.admin('{ notifications(unreadOnly: true) { kind message } }', {}, platform.adminToken('mca'));
    expect(told.body.data.notifications.map((n: any) => n.kind)).toContain('OBJECTION_CORRECTED');
    const again = await platform.admin(RESOLVE, { id: objection.id, r: 'CONFIRMED', n: 'x' }, platform.adminToken('psb'));
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('refuses an objection without a description or on an unknown field, recording nothing', async () => {
    const empty = await platform.admin(RAISE, { i: { coordinate: 'Person.name', entityKey: 'x', description: ' ' } }, platform.appToken('hrss'));
    expect(empty.body.errors[0].message).toMatch(/describe what is wrong/);
    const unknown = await platform.admin(RAISE, { i: { coordinate: 'Person.shoeSize', entityKey: 'x', description: 'y' } }, platform.appToken('hrss'));
    expect(unknown.body.errors[0].message).toMatch(/not a field/);
    expect((await platform.admin('{ objections { id } }', {}, platform.adminToken('hrss'))).body.data.objections).toHaveLength(0);
  });
});
