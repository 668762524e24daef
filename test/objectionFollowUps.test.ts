/**
 * What follows an objection (R9): a CORRECTED resolution records the datum's value before and
 * after, seen by the parties, the coordinating office and the departments told because they
 * read the datum — no one else; an objection left open past its due date goes to the
 * coordinating office, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const RAISE = 'mutation($i: ObjectionInput!) { raiseObjection(input: $i) { id status dueDate } }';
const RESOLVE = `mutation($id: ID!, $r: ObjectionResolution!, $n: String!, $b: String, $a: String) {
  resolveObjection(id: $id, resolution: $r, note: $n, valueBefore: $b, valueAfter: $a) { status valueBefore valueAfter correctedAt }
}`;
const CORRECTIONS = 'query($id: ID) { objectionCorrections(objectionId: $id) { objectionId provider coordinate entityKey valueBefore valueAfter correctedAt note } }';
const NOTIFICATIONS = '{ notifications(limit: 1000) { kind message params { name value } } }';

describe.each(testDialects())('objection follow-ups (R9) on %s', (dialect) => {
  let platform: TestPlatform;
  let now = new Date('2026-11-02T02:00:00Z'); // Monday 2 November 2026, 10:00 in China
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { clock: () => now });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const notificationsOf = async (token: string, objectionId: string) =>
    ((await platform.admin(NOTIFICATIONS, {}, token)).body.data.notifications as { kind: string; message: string; params: { name: string; value: string }[] }[])
      .filter((n) => n.params.some((p) => p.name === 'objectionId' && p.value === objectionId));

  it('records a correction\'s value before and after, shown to the parties, the office and the readers told — not to others', async () => {
    const person = platform.credentials.samples.persons[1]!;
    // Two departments read the name: hrss (which flags it) and mca (a reader to be told).
    expect((await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'hrss', purpose: 'WORK_REFERENCE' } })).body.data.person.name).toBeTruthy();
    expect((await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'mca' } })).body.data.person.name).toBeTruthy();
    const raised = await platform.admin(RAISE, { i: { coordinate: 'Person.name', entityKey: person, observedValue: '张三', expectedValue: '张叁', description: '姓名用字与身份证不符' } }, platform.appToken('hrss'));
    expect(raised.body.errors).toBeUndefined();
    const id = raised.body.data.raiseObjection.id as string;
    const psb = platform.adminToken('psb');

    // CORRECTED without both values, with equal ones, or CONFIRMED with values: refused, nothing changed.
    const refusals = [
      await platform.admin(RESOLVE, { id, r: 'CORRECTED', n: '已更正' }, psb),
      await platform.admin(RESOLVE, { id, r: 'CORRECTED', n: '已更正', b: '张三' }, psb),
      await platform.admin(RESOLVE, { id, r: 'CORRECTED', n: '已更正', b: '张三', a: ' 张三 ' }, psb),
      await platform.admin(RESOLVE, { id, r: 'CONFIRMED', n: '无误', b: '张三', a: '张叁' }, psb),
    ];
    for (const refused of refusals) expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(refusals[0]!.body.errors[0].message).toMatch(/valueBefore and valueAfter/);
    const untouched = (await platform.admin('{ objections { id status valueBefore } }', {}, psb)).body.data.objections.find((o: any) => o.id === id);
    expect(untouched).toEqual({ id, status: 'OPEN', valueBefore: null });
    expect(await notificationsOf(platform.adminToken('hrss'), id)).toEqual([]);

    now = new Date('2026-11-04T02:00:00Z');
    const resolved = await platform.admin(RESOLVE, { id, r: 'CORRECTED', n: '已核对户籍档案并更正', b: '张三', a: '张叁' }, psb);
    expect(resolved.body.errors).toBeUndefined();
    expect(resolved.body.data.resolveObjection).toEqual({ status: 'CORRECTED', valueBefore: '张三', valueAfter: '张叁', correctedAt: '2026-11-04T02:00:00.000Z' });

    const correction = { objectionId: id, provider: 'psb', coordinate: 'Person.name', entityKey: person, valueBefore: '张三', valueAfter: '张叁', correctedAt: '2026-11-04T02:00:00.000Z', note: '已核对户籍档案并更正' };
    // The reader told (mca), the consumer (hrss), the provider and the office see it.
    for (const token of [platform.adminToken('mca'), platform.appToken('mca'), platform.adminToken('hrss'), psb, platform.credentials.platformAdminToken]) {
      expect((await platform.admin(CORRECTIONS, { id }, token)).body.data.objectionCorrections).toEqual([correction]);
    }
    expect((await platform.admin(CORRECTIONS, {}, platform.adminToken('mca'))).body.data.objectionCorrections).toContainEqual(correction);
    // A department that never read the datum sees nothing of it.
    expect((await platform.admin(CORRECTIONS, { id }, platform.adminToken('samr'))).body.data.objectionCorrections).toEqual([]);
    expect((await platform.admin(CORRECTIONS, {}, platform.adminToken('samr'))).body.data.objectionCorrections.map((c: any) => c.objectionId)).not.toContain(id);
    expect((await platform.admin('{ objections { id } }', {}, platform.adminToken('samr'))).body.data.objections.map((o: any) => o.id)).not.toContain(id);
    expect(await notificationsOf(platform.adminToken('samr'), id)).toEqual([]);

    // The reader and the consumer are told, by parameters naming the objection; never the values or the citizen.
    for (const department of ['mca', 'hrss']) {
      const told = await notificationsOf(platform.adminToken(department), id);
      expect(told.map((n) => n.kind)).toEqual(['OBJECTION_CORRECTED']);
      expect(Object.fromEntries(told[0]!.params.map((p) => [p.name, p.value]))).toMatchObject({ objectionId: id, coordinate: 'Person.name', provider: 'psb', resolution: 'CORRECTED', correctionRecorded: 'true' });
      const text = JSON.stringify(told[0]);
      for (const secret of [person, '张三', '张叁']) expect(text).not.toContain(secret);
    }
  });

  it('escalates an objection open past its due date to the coordinating office once, telling it and the provider', async () => {
    now = new Date('2026-11-05T02:00:00Z');
    const person = platform.credentials.samples.persons[0]!;
    await platform.query(`{ person(idNumber: "${person}") { householdAddress } }`);
    const raised = await platform.admin(RAISE, { i: { coordinate: 'Person.householdAddress', entityKey: person, description: '地址门牌号有误' } }, platform.appToken('mca'));
    const { id, dueDate } = raised.body.data.raiseObjection as { id: string; dueDate: string };
    const escalate = async () => (await platform.admin('mutation { escalateOverdueObjections }')).body.data.escalateOverdueObjections as string[];

    // 23:00 on the due day, China time: still the provider's.
    now = new Date(`${dueDate}T15:00:00Z`);
    expect(await escalate()).not.toContain(id);
    expect((await platform.admin('{ escalatedObjections { id } }')).body.data.escalatedObjections.map((o: any) => o.id)).not.toContain(id);

    // 00:30 the next day: to the coordinating office, once however often the sweep runs.
    now = new Date(`${dueDate}T16:30:00Z`);
    const runs = [await escalate(), await escalate(), await escalate()];
    expect(runs.slice(1).flat()).not.toContain(id);
    for (const token of [platform.credentials.platformAdminToken, platform.adminToken('psb')]) {
      const told = await notificationsOf(token, id);
      expect(told.map((n) => n.kind)).toEqual(['OBJECTION_OVERDUE']);
      expect(Object.fromEntries(told[0]!.params.map((p) => [p.name, p.value]))).toMatchObject({ objectionId: id, coordinate: 'Person.householdAddress', dueDate });
      expect(JSON.stringify(told[0])).not.toContain(person);
    }
    expect(await notificationsOf(platform.adminToken('mca'), id)).toEqual([]);
    const listed = (await platform.admin('{ escalatedObjections { id status provider dueDate escalatedAt } }')).body.data.escalatedObjections;
    expect(listed).toContainEqual({ id, status: 'OPEN', provider: 'psb', dueDate, escalatedAt: `${dueDate}T16:30:00.000Z` });

    // The office's list and sweep are the office's: the provider and apps are refused.
    for (const token of [platform.adminToken('psb'), platform.appToken('psb')]) {
      expect((await platform.admin('{ escalatedObjections { id } }', {}, token)).body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect((await platform.admin('mutation { escalateOverdueObjections }', {}, token)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    }

    // Resolved late: off the open list, still in the full one.
    await platform.admin(RESOLVE, { id, r: 'CONFIRMED', n: '经核实地址无误' }, platform.adminToken('psb'));
    expect((await platform.admin('{ escalatedObjections { id } }')).body.data.escalatedObjections.map((o: any) => o.id)).not.toContain(id);
    expect((await platform.admin('{ escalatedObjections(includeResolved: true) { id status } }')).body.data.escalatedObjections).toContainEqual({ id, status: 'CONFIRMED' });
  });
});
