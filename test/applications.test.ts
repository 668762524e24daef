/**
 * Conditional sharing applications (R5) end to end: apply → inbox with due date → approve →
 * the query succeeds → revoke → denied; refusals and contests; the coordinating office's
 * arbitration; escalation on the right day across holidays; racing approvals; notifications
 * and webhook delivery with retries.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../control/notifications/webhookDelivery.ts';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const APPLY = `mutation($input: ApplicationInput!) { applyForAccess(input: $input) { id status provider dueDate decisionReason fields { coordinate approved } } }`;
const APPROVE = `mutation($id: ID!, $c: [String!], $u: String) { approveApplication(id: $id, coordinates: $c, validUntil: $u, reason: "conditions met") { id status approvedUntil grants { id coordinate purpose validUntil } } }`;
const APPROVE_REFUSING = `mutation($id: ID!, $c: [String!], $u: String, $r: [FieldRefusalInput!]) { approveApplication(id: $id, coordinates: $c, validUntil: $u, reason: "conditions met", refusals: $r) { id status approvedUntil grants { id coordinate purpose validUntil } } }`;
const input = (coordinates: string[], purpose = 'ADMINISTRATIVE_BASIS') => ({
  coordinates, purpose, justification: '养老保险待遇资格认证', legalBasis: '《社会保险法》第五十八条', requestedUntil: '2027-06-30',
});

describe.each(testDialects())('applications on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('shows the demo world\'s pending hrss application in the psb inbox with its due date', async () => {
    const { body } = await platform.admin('{ inbox { consumer purpose status submittedAt dueDate fields { coordinate } } }', {}, platform.adminToken('psb'));
    const hrss = body.data.inbox.find((a: any) => a.consumer === 'hrss');
    expect(hrss).toMatchObject({ purpose: 'DATA_VERIFICATION', status: 'PENDING', fields: [{ coordinate: 'Person.householdAddress' }] });
    const due = await platform.admin('query($d: String!) { workingDays(after: $d, count: 10) { date } }', { d: new Date(Date.parse(hrss.submittedAt) + 8 * 3600_000).toISOString().slice(0, 10) });
    expect(hrss.dueDate).toBe(due.body.data.workingDays.date);
  });

  it('walks apply → approve → read → revoke → denied', async () => {
    const query = `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { maritalStatus } }`;
    const before = await platform.query(query, { as: { department: 'hrss' } });
    expect(before.body.errors[0].extensions.reason).toBe('NO_GRANT');

    const applied = await platform.admin(APPLY, { input: input(['Person.maritalStatus']) }, platform.appToken('hrss'));
    expect(applied.body.errors).toBeUndefined();
    const [application] = applied.body.data.applyForAccess;
    expect(application).toMatchObject({ status: 'PENDING', provider: 'psb' });
    expect(application.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Only the provider answers.
    const notProvider = await platform.admin(APPROVE, { id: application.id }, platform.adminToken('hrss'));
    expect(notProvider.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const approved = await platform.admin(APPROVE, { id: application.id }, platform.adminToken('psb'));
    expect(approved.body.data.approveApplication).toMatchObject({ status: 'APPROVED', grants: [{ coordinate: 'Person.maritalStatus', purpose: 'ADMINISTRATIVE_BASIS' }] });

    const granted = await platform.query(query, { as: { department: 'hrss' } });
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data.person.maritalStatus).toBeTruthy();

    const grantId = approved.body.data.approveApplication.grants[0].id;
    const revoked = await platform.admin('mutation($id: ID!) { revokeGrant(id: $id, reason: "benefit claim closed") { active } }', { id: grantId }, platform.adminToken('psb'));
    expect(revoked.body.data.revokeGrant.active).toBe(false);
    const after = await platform.query(query, { as: { department: 'hrss' } });
    expect(after.body.data.person.maritalStatus).toBeNull();
    expect(after.body.errors[0].extensions.reason).toBe('NO_GRANT');

    const events = await platform.admin('query($id: ID!) { application(id: $id) { events { action actor toStatus reason } } }', { id: application.id }, platform.adminToken('hrss'));
    expect(events.body.data.application.events.map((e: any) => e.action)).toEqual(['SUBMIT', 'APPROVE']);
    expect(events.body.data.application.events[1].actor).toMatch(/^psb:/);
  });

  it('takes only real calendar days in range: 400 BAD_USER_INPUT for the rest, in every date argument', async () => {
    const refusals = [
      ['9999-99-99', /requestedUntil is not a day of the calendar, received "9999-99-99"/],
      ['2027-02-30', /requestedUntil is not a day of the calendar/],
      ['2101-01-01', /requestedUntil must be from 2000-01-01 to 2100-12-31/],
      ['2020-01-01', /requestedUntil must not be before today/],
      ['2027-6-30', /YYYY-MM-DD/],
    ] as const;
    for (const [until, message] of refusals) {
      const refused = await platform.admin(APPLY, { input: { ...input(['Person.maritalStatus']), requestedUntil: until } }, platform.appToken('hrss'));
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(refused.body.errors[0].message).toMatch(message);
    }
    const badFrom = await platform.admin(APPLY, { input: { ...input(['Person.maritalStatus']), requestedFrom: '2027-02-29' } }, platform.appToken('hrss'));
    expect(badFrom.body.errors[0].message).toMatch(/requestedFrom is not a day of the calendar/);

    // Positive control: a real date applies; approval then refuses a malformed validUntil and takes a real one.
    const [application] = (await platform.admin(APPLY, { input: input(['Person.maritalStatus']) }, platform.appToken('hrss'))).body.data.applyForAccess;
    const malformed = await platform.admin(APPROVE, { id: application.id, u: '2027-02-30' }, platform.adminToken('psb'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ message: expect.stringMatching(/validUntil is not a day/), extensions: { code: 'BAD_USER_INPUT' } });
    const approved = await platform.admin(APPROVE, { id: application.id, u: '2027-02-28' }, platform.adminToken('psb'));
    expect(approved.body.data.approveApplication.approvedUntil).toBe('2027-02-28');

    const days = await platform.admin('{ workingDays(after: "2027-02-30", count: 1) { date } }');
    expect(days.body.errors[0]).toMatchObject({ message: expect.stringMatching(/after is not a day/), extensions: { code: 'BAD_USER_INPUT' } });
    expect((await platform.admin('{ workingDays(after: "2026-02-26", count: 1) { date } }')).body.data.workingDays.date).toBe('2026-02-27');
    const audit = await platform.admin('{ auditRecords(filter: { from: "2027-02-30T00:00:00Z" }) { next } }');
    expect(audit.body.errors[0]).toMatchObject({ message: expect.stringMatching(/from is not a day/), extensions: { code: 'BAD_USER_INPUT' } });
    expect((await platform.admin('{ auditRecords(filter: { from: "2026-01-01T00:00:00Z", limit: 1 }) { next } }')).body.errors).toBeUndefined();
  });

  it('approves fewer fields and a shorter period than asked', async () => {
    const applied = await platform.admin(APPLY, { input: input(['Parcel.rightHolders', 'Parcel.mortgages']) }, platform.appToken('hrss'));
    const [application] = applied.body.data.applyForAccess;
    const longer = await platform.admin(APPROVE, { id: application.id, u: '2030-01-01' }, platform.adminToken('nr'));
    expect(longer.body.errors[0].message).toMatch(/shorter than asked, not longer/);
    // Each field left out carries its refusal (R5; test/fieldRefusals.test.ts has the rest).
    const refusals = [{ coordinate: 'Parcel.mortgages', ground: 'PERSONAL_PRIVACY', text: '抵押权人为自然人' }];
    const approved = await platform.admin(APPROVE_REFUSING, { id: application.id, c: ['Parcel.rightHolders'], u: '2027-01-31', r: refusals }, platform.adminToken('nr'));
    expect(approved.body.data.approveApplication.approvedUntil).toBe('2027-01-31');
    expect(approved.body.data.approveApplication.grants.map((g: any) => g.coordinate)).toEqual(['Parcel.rightHolders']);
    const read = await platform.query(`{ parcel(unitNo: "${platform.credentials.samples.parcels[0]}") { rightHolders { rightType } mortgages { mortgagee } } }`, { as: { department: 'hrss' } });
    expect(read.body.data.parcel.rightHolders.length).toBeGreaterThan(0);
    expect(read.body.data.parcel.mortgages).toBeNull();
  });

  it('needs no application for unconditional fields and refuses not-shared ones at once with their basis', async () => {
    const unconditional = await platform.admin(APPLY, { input: input(['Person.name']) }, platform.appToken('hrss'));
    expect(unconditional.body.errors[0].message).toMatch(/shared unconditionally: no application is needed/);
    const refused = await platform.admin(APPLY, { input: input(['Person.biometricTemplate']) }, platform.appToken('hrss'));
    const [application] = refused.body.data.applyForAccess;
    expect(application.status).toBe('REFUSED');
    expect(application.decisionReason).toMatch(/个人信息保护法/);
    const contested = await platform.admin('mutation($id: ID!) { contestApplication(id: $id, reason: "needed for identity verification") { status escalationCause } }', { id: application.id }, platform.appToken('hrss'));
    expect(contested.body.data.contestApplication).toMatchObject({ status: 'ESCALATED', escalationCause: 'CONTESTED' });
    const grantAnyway = await platform.admin('mutation($id: ID!) { arbitrateApplication(id: $id, grant: true, reason: "x") { status } }', { id: application.id });
    expect(grantAnyway.body.errors[0].message).toMatch(/classed not shared/);
    const upheld = await platform.admin('mutation($id: ID!) { arbitrateApplication(id: $id, grant: false, reason: "biometric data stays with public security") { status decisionReason } }', { id: application.id });
    expect(upheld.body.data.arbitrateApplication.status).toBe('UPHELD_ON_ARBITRATION');
  });

  it('requires a reason to reject; a contested rejection can be granted by the coordinating office', async () => {
    const [application] = (await platform.admin(APPLY, { input: input(['Licence.document']) }, platform.appToken('hrss'))).body.data.applyForAccess;
    const noReason = await platform.admin('mutation($id: ID!) { rejectApplication(id: $id, reason: " ") { status } }', { id: application.id }, platform.adminToken('gsa'));
    expect(noReason.body.errors[0].message).toMatch(/must state its reason/);
    const rejected = await platform.admin('mutation($id: ID!) { rejectApplication(id: $id, reason: "the matter does not need the full document") { status decisionReason } }', { id: application.id }, platform.adminToken('gsa'));
    expect(rejected.body.data.rejectApplication.status).toBe('REJECTED');
    const query = `{ licence(licenceNo: "${platform.credentials.samples.licences[0]}") { document { content } } }`;
    expect((await platform.query(query, { as: { department: 'hrss' } })).body.data.licence.document).toBeNull();
    await platform.admin('mutation($id: ID!) { contestApplication(id: $id, reason: "pension rules require the original") { status } }', { id: application.id }, platform.adminToken('hrss'));
    const queue = await platform.admin('{ escalations { id escalationCause } }');
    expect(queue.body.data.escalations.map((a: any) => a.id)).toContain(application.id);
    expect((await platform.admin('{ escalations { id } }', {}, platform.adminToken('psb'))).body.errors[0].extensions.code).toBe('FORBIDDEN');
    const granted = await platform.admin('mutation($id: ID!) { arbitrateApplication(id: $id, grant: true, reason: "R12: the sealed original counts as the paper one") { status grants { coordinate } } }', { id: application.id });
    expect(granted.body.data.arbitrateApplication.status).toBe('GRANTED_ON_ARBITRATION');
    const read = await platform.query(query, { as: { department: 'hrss' } });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.licence.document.content).toBeTruthy();
  });

  it('lets two racing approvals create one grant', async () => {
    const [application] = (await platform.admin(APPLY, { input: input(['Person.deathDate']) }, platform.appToken('tax'))).body.data.applyForAccess;
    const results = await Promise.all([0, 1, 2].map(() => platform.admin(APPROVE, { id: application.id }, platform.adminToken('psb'))));
    const ok = results.filter((r) => !r.body.errors);
    expect(ok).toHaveLength(1);
    for (const r of results.filter((r) => r.body.errors)) expect(r.body.errors[0].extensions.code).toBe('CONFLICT');
    const grants = await platform.admin('{ grants(consumer: "tax", coordinate: "Person.deathDate") { id } }');
    expect(grants.body.data.grants).toHaveLength(1);
  });

  it('queues notifications and delivers them to a webhook, retrying until it answers', async () => {
    const received: { body: string; signature: string | undefined }[] = [];
    let failures = 2;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failures-- > 0) {
          res.writeHead(500).end();
          return;
        }
        received.push({ body, signature: req.headers['x-govgraph-signature'] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const set = await platform.admin('mutation($u: String!) { setWebhook(url: $u, secret: "s3cret") { webhookUrl } }', { u: url }, platform.adminToken('ndrc'));
      expect(set.body.data.setWebhook.webhookUrl).toBe(url);
      // Read back by its own administrator and the platform administrator; hidden from other departments.
      const DEPARTMENTS = '{ departments { code webhookUrl } }';
      const webhookOf = (body: any) => body.data.departments.find((d: { code: string }) => d.code === 'ndrc').webhookUrl;
      expect(webhookOf((await platform.admin(DEPARTMENTS, {}, platform.adminToken('ndrc'))).body)).toBe(url);
      expect(webhookOf((await platform.admin(DEPARTMENTS)).body)).toBe(url);
      expect(webhookOf((await platform.admin(DEPARTMENTS, {}, platform.adminToken('mca'))).body)).toBeNull();
      expect(webhookOf((await platform.admin(DEPARTMENTS, {}, platform.appToken('ndrc'))).body)).toBeNull();
      await platform.admin(APPLY, { input: input(['Person.credit']) }, platform.appToken('mca'));
      const listed = await platform.admin('{ notifications(unreadOnly: true) { kind message } }', {}, platform.adminToken('ndrc'));
      expect(listed.body.data.notifications[0]).toMatchObject({ kind: 'APPLICATION_SUBMITTED' });
      const deadline = Date.now() + 20_000;
      while (received.length === 0 && Date.now() < deadline) {
        await platform.webhooks.runOnce();
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ kind: 'APPLICATION_SUBMITTED', department: 'ndrc' });
      expect(received[0]!.signature).toBe(signPayload('s3cret', received[0]!.body));
    } finally {
      server.close();
    }
  });
});

describe('escalation on the right day (R5, working days with holidays)', () => {
  let platform: TestPlatform;
  let now = new Date('2026-02-12T02:00:00Z'); // Thursday 12 February 2026, 10:00 in China
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite', { clock: () => now });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function applyAt(at: string, coordinate: string): Promise<{ id: string; dueDate: string }> {
    now = new Date(at);
    const { body } = await platform.admin(APPLY, { input: { ...input([coordinate]), requestedFrom: at.slice(0, 10) } }, platform.appToken('hrss'));
    expect(body.errors).toBeUndefined();
    return body.data.applyForAccess[0];
  }

  async function statusAt(at: string, id: string): Promise<string> {
    now = new Date(at);
    await platform.admin('mutation { escalateOverdueApplications }');
    return (await platform.admin('query($id: ID!) { application(id: $id) { status } }', { id })).body.data.application.status;
  }

  it('counts 10 working days across the Spring Festival and escalates the day after', async () => {
    const application = await applyAt('2026-02-12T02:00:00Z', 'Person.household');
    expect(application.dueDate).toBe('2026-03-04');
    expect(await statusAt('2026-02-27T02:00:00Z', application.id)).toBe('PENDING');
    // 23:59 on the due day, China time: still the provider's to answer.
    expect(await statusAt('2026-03-04T15:59:00Z', application.id)).toBe('PENDING');
    // 00:01 the next day, China time: to the coordinating office.
    expect(await statusAt('2026-03-04T16:01:00Z', application.id)).toBe('ESCALATED');
    const { body } = await platform.admin('query($id: ID!) { application(id: $id) { escalationCause events { action actor } } }', { id: application.id });
    expect(body.data.application.escalationCause).toBe('OVERDUE');
    expect(body.data.application.events.at(-1)).toMatchObject({ action: 'ESCALATE', actor: 'system:deadline' });
  });

  it('counts across National Day 2026', async () => {
    const application = await applyAt('2026-09-28T01:00:00Z', 'Person.deathDate');
    expect(application.dueDate).toBe('2026-10-16');
    expect(await statusAt('2026-10-16T15:00:00Z', application.id)).toBe('PENDING');
    expect(await statusAt('2026-10-16T16:00:01Z', application.id)).toBe('ESCALATED');
  });
});
