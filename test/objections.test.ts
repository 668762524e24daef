/** Doubt and error feedback (R9): a consumer flags a datum, the provider verifies and resolves it, the consumer is told. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizenId } from '../schema/identifiers.ts';
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
  const RESOLVE = 'mutation($id: ID!, $r: ObjectionResolution!, $n: String!, $b: String, $a: String) { resolveObjection(id: $id, resolution: $r, note: $n, valueBefore: $b, valueAfter: $a) { status resolvedBy resolutionNote } }';

  it('routes an objection to the collector, who resolves it; the consumer is told and reading goes on', async () => {
    const person = platform.credentials.samples.persons[0];
    // R9: an objection concerns data the consumer used — mca reads it first.
    expect((await platform.query(`{ person(idNumber: "${person}") { householdAddress } }`)).body.data.person.householdAddress).toBeTruthy();
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
    const resolved = await platform.admin(RESOLVE, { id: objection.id, r: 'CORRECTED', n: '已核实，户籍迁出登记已更新', b: '原户籍地址', a: '已迁出' }, platform.adminToken('psb'));
    expect(resolved.body.data.resolveObjection).toMatchObject({ status: 'CORRECTED', resolvedBy: expect.stringMatching(/^psb:/) });
    const told = await platform.admin('{ notifications(unreadOnly: true) { kind message } }', {}, platform.adminToken('mca'));
    expect(told.body.data.notifications.map((n: any) => n.kind)).toContain('OBJECTION_CORRECTED');
    const again = await platform.admin(RESOLVE, { id: objection.id, r: 'CONFIRMED', n: 'x' }, platform.adminToken('psb'));
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('takes objections only on data the raiser\'s department was returned: never read, not readable or no such record are refused alike', async () => {
    const person = platform.credentials.samples.persons[1]!;
    const raise = (coordinate: string, entityKey: string, as = 'hrss') =>
      platform.admin(RAISE, { i: { coordinate, entityKey, description: '与申请材料不一致' } }, platform.appToken(as));
    const refusals = [
      await raise('Person.name', person), // readable, but hrss never read it
      await raise('Person.name', makeCitizenId('110101', '1900-01-01', 1)), // no such person
    ];
    // A field hrss may not read: asking for it returns it denied, which is no read either.
    const denied = await platform.query(`{ person(idNumber: "${person}") { biometricTemplate } }`, { as: { department: 'hrss' } });
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    refusals.push(await raise('Person.biometricTemplate', person));
    for (const refused of refusals) {
      expect(refused.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(refused.body.errors[0].message).toMatch(/hrss has not been returned Person\.\w+ of this record.*read it through \/graphql/);
    }
    // Another department's read does not count for hrss.
    await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'mca' } });
    expect((await raise('Person.name', person)).body.errors[0].extensions.code).toBe('FORBIDDEN');
    // Positive control: once hrss has read the name of that person, it may flag it.
    expect((await platform.query(`{ person(idNumber: "${person}") { name } }`, { as: { department: 'hrss', purpose: 'WORK_REFERENCE' } })).body.data.person.name).toBeTruthy();
    const raised = await raise('Person.name', person);
    expect(raised.body.errors).toBeUndefined();
    expect(raised.body.data.raiseObjection).toMatchObject({ status: 'OPEN', provider: 'psb' });
  });

  it('posts objection notifications to https or loopback webhooks only, naming the objection, never the citizen', async () => {
    const refusedUrl = await platform.admin('mutation($u: String!) { setWebhook(url: $u, secret: "s") { webhookUrl } }', { u: 'http://hooks.psb.example/govgraph' }, platform.adminToken('psb'));
    expect(refusedUrl.body.errors[0]).toMatchObject({ message: expect.stringMatching(/must use https/), extensions: { code: 'BAD_USER_INPUT' } });
    const httpsUrl = await platform.admin('mutation($u: String!) { setWebhook(url: $u, secret: "s") { webhookUrl } }', { u: 'https://hooks.psb.example/govgraph' }, platform.adminToken('psb'));
    expect(httpsUrl.body.data.setWebhook.webhookUrl).toBe('https://hooks.psb.example/govgraph');

    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      expect((await platform.admin('mutation($u: String!) { setWebhook(url: $u, secret: "s") { webhookUrl } }', { u: url }, platform.adminToken('psb'))).body.data.setWebhook.webhookUrl).toBe(url);
      const person = platform.credentials.samples.persons[2]!;
      await platform.query(`{ person(idNumber: "${person}") { householdAddress } }`);
      const description = `户籍地址与 ${person} 本人陈述不符`;
      const raised = await platform.admin(RAISE, { i: { coordinate: 'Person.householdAddress', entityKey: person, description } }, platform.appToken('mca'));
      const id = raised.body.data.raiseObjection.id;
      const deadline = Date.now() + 20_000;
      while (received.length === 0 && Date.now() < deadline) {
        await platform.webhooks.runOnce();
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(received).toHaveLength(1);
      const payload = JSON.parse(received[0]!);
      expect(payload).toMatchObject({ kind: 'OBJECTION_RAISED', department: 'psb', objectionId: id });
      expect(payload.message).toContain(id);
      expect(payload.message).toContain('Person.householdAddress');
      expect(received[0]).not.toContain(person);
      expect(received[0]).not.toContain('本人陈述');
      // The platform's own notification says no more; the objection itself holds the record for its parties.
      const listed = await platform.admin('{ notifications { message } objections(status: OPEN) { id entityKey description } }', {}, platform.adminToken('psb'));
      expect(JSON.stringify(listed.body.data.notifications)).not.toContain(person);
      expect(listed.body.data.objections.find((o: any) => o.id === id)).toMatchObject({ entityKey: person, description });
    } finally {
      server.close();
      await platform.admin('mutation { setWebhook(url: null) { webhookUrl } }', {}, platform.adminToken('psb'));
    }
  });

  it('refuses an objection without a description or on an unknown field, recording nothing', async () => {
    const before = (await platform.admin('{ objections { id } }', {}, platform.adminToken('hrss'))).body.data.objections.length;
    const empty = await platform.admin(RAISE, { i: { coordinate: 'Person.name', entityKey: 'x', description: ' ' } }, platform.appToken('hrss'));
    expect(empty.body.errors[0].message).toMatch(/describe what is wrong/);
    const unknown = await platform.admin(RAISE, { i: { coordinate: 'Person.shoeSize', entityKey: 'x', description: 'y' } }, platform.appToken('hrss'));
    expect(unknown.body.errors[0].message).toMatch(/not a field/);
    expect((await platform.admin('{ objections { id } }', {}, platform.adminToken('hrss'))).body.data.objections).toHaveLength(before);
  });
});
