/**
 * A hostile department against the registry (issue: departments are mutually untrusted).
 * hrss's administrator tries to take over, co-resolve, classify or receive other departments'
 * fields through every Federation 2 directive; each attempt is refused naming the owner and
 * the rule (R8), and each is paired with a legitimate extension that still publishes and
 * answers. Re-publish and rollback never change a provider.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON_SDL } from '../schema/federation.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

const CHECK = `query($i: SubgraphInput!) { checkSubgraph(input: $i) { ok ownershipErrors claims composition { message } classificationErrors } }`;
const PUBLISH = `mutation($input: SubgraphInput!, $reason: String!) {
  publishSubgraph(input: $input, reason: $reason) { version { version subgraphs } check { ok ownershipErrors claims } } }`;
const POLICY = `query($c: String!) { fieldPolicy(coordinate: $c) { provider sharingClass origin subgraph } }`;

/** A loopback server that records what reaches it (it must receive nothing a check refuses). */
async function captureServer(host: string, answer: (req: IncomingMessage, body: string) => { status: number; body: string }) {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      const reply = answer(req, body);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/graphql`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('registry attacks by a hostile department (R8)', () => {
  let platform: TestPlatform;
  let person: string;
  let hrssUrl: string;
  let closeHrss: () => Promise<void>;
  const hrss = () => platform.adminToken('hrss');

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    person = platform.credentials.samples.persons[0]!;
    // hrss's "subgraph": only its address matters for SDL-given checks (it is on loopback, an allowed host).
    const server = await captureServer('127.0.0.1', () => ({ status: 200, body: '{"data":null}' }));
    hrssUrl = server.url;
    closeHrss = server.close;
  });
  afterAll(async () => {
    await closeHrss?.();
    await platform?.stop();
  });

  const check = async (sdl: string, token = hrss(), name = 'hrss-records', url = hrssUrl) =>
    (await platform.admin(CHECK, { i: { name, url, sdl: COMMON_SDL + sdl } }, token)).body;

  it('attack 1 — root-field takeover: @override(from: "population") on Query.person is refused, naming psb and R8', async () => {
    const sdl = `type Query { person(idNumber: ID!): Person @override(from: "population") }
type Person @key(fields: "idNumber") { idNumber: ID! }`;
    const body = await check(sdl);
    expect(body.data.checkSubgraph.ok).toBe(false);
    expect(body.data.checkSubgraph.ownershipErrors.join('\n')).toMatch(/Query\.person is psb's.*R8/);
    const published = await platform.admin(PUBLISH, { input: { name: 'hrss-records', url: hrssUrl, sdl: COMMON_SDL + sdl }, reason: 'takeover' }, hrss());
    expect(published.body.errors[0].extensions.code).toBe('CHECK_FAILED');
    // Positive control: the person is still answered by population, for mca with its grant.
    const read = await platform.query(`{ person(idNumber: "${person}") { idNumber householdAddress } }`, { as: { department: 'mca' } });
    expect(read.body.data.person.idNumber).toBe(person);
    expect(read.body.data.person.householdAddress).toEqual(expect.any(String));
  });

  it('attack 2 — provider by registration order: a progressive @override with its own @sharing is refused, and a routine re-publish of population changes no provider', async () => {
    const sdl = `type Person @key(fields: "idNumber") {
  idNumber: ID!
  householdAddress: String @override(from: "population", label: "percent(0)") @sharing(class: "UNCONDITIONAL")
  maritalStatus: String @override(from: "population", label: "percent(0)") @sharing(class: "UNCONDITIONAL")
  biometricTemplate: String @override(from: "population", label: "percent(0)") @sharing(class: "UNCONDITIONAL")
}`;
    const body = await check(sdl);
    expect(body.data.checkSubgraph.ok).toBe(false);
    expect(body.data.checkSubgraph.ownershipErrors.join('\n')).toMatch(/Person\.biometricTemplate is psb's/);

    // psb redeploys population unchanged: the providers and classes stay psb's.
    const population = platform.registry.current.subgraphs.find((s) => s.name === 'population')!;
    const republished = await platform.admin(PUBLISH, { input: { name: 'population', url: population.url, sdl: population.sdl }, reason: 'routine redeploy' }, platform.adminToken('psb'));
    expect(republished.body.errors).toBeUndefined();
    const policy = (await platform.admin(POLICY, { c: 'Person.biometricTemplate' }, platform.adminToken('hrss'))).body.data.fieldPolicy;
    expect(policy).toMatchObject({ provider: 'psb', sharingClass: 'NOT_SHARED', subgraph: 'population' });
    for (const department of ['tax', 'hrss', 'mca', 'samr']) {
      const read = await platform.query(`{ person(idNumber: "${person}") { name biometricTemplate } }`, { as: { department, purpose: 'WORK_REFERENCE' } });
      expect(read.body.data.person.biometricTemplate).toBeNull();
      expect(read.body.errors.find((e: any) => e.extensions.coordinate === 'Person.biometricTemplate')?.extensions.reason).toBe('NOT_SHARED');
      expect(read.body.data.person.name).toEqual(expect.any(String));
    }
    // Positive control: the provider reads its own not-shared field.
    const own = await platform.query(`{ person(idNumber: "${person}") { biometricTemplate } }`, { as: { department: 'psb', purpose: 'WORK_REFERENCE' } });
    expect(own.body.data.person.biometricTemplate).toEqual(expect.any(String));
  });

  it('attack 3 — checkSubgraph with an app token fetches nothing; an administrator fetches only from the department\'s hosts; remote answers are not echoed', async () => {
    const trap = await captureServer('127.0.0.2', () => ({ status: 200, body: '{"secret":"remote body that must not be echoed"}' }));
    try {
      const asApp = await platform.admin(CHECK, { i: { name: 'hrss-records', url: trap.url } }, platform.appToken('hrss'));
      expect(asApp.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const offHost = await platform.admin(CHECK, { i: { name: 'hrss-records', url: trap.url } }, hrss());
      expect(offHost.body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(offHost.body.errors[0].message).toMatch(/127\.0\.0\.2 is not one of hrss's registered subgraph hosts/);
      expect(trap.received).toHaveLength(0);
    } finally {
      await trap.close();
    }
    // On an allowed host: the remote body is not echoed, and an open port reads like a closed one.
    const liar = await captureServer('127.0.0.1', () => ({ status: 200, body: '{"secret":"remote body that must not be echoed"}' }));
    try {
      const open = await platform.admin(CHECK, { i: { name: 'hrss-records', url: liar.url } }, hrss());
      await liar.close();
      const closed = await platform.admin(CHECK, { i: { name: 'hrss-records', url: liar.url } }, hrss());
      expect(open.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(open.body)).not.toMatch(/remote body/);
      expect(open.body.errors[0].message).toBe(closed.body.errors[0].message);
      // What the registry sent: a context for that subgraph, which reads no data at population.
      const context = liar.received[0]!.headers['x-govgraph-context'] as string;
      expect(JSON.parse(liar.received[0]!.body).query).toMatch(/_service/);
      const population = platform.registry.current.subgraphs.find((s) => s.name === 'population')!;
      const replay = await fetch(population.url, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-govgraph-context': context },
        body: JSON.stringify({ query: `{ person(idNumber: "${person}") { householdAddress maritalStatus } }` }),
      });
      const replayed = await replay.json().catch(() => null) as { data?: { person?: unknown } } | null;
      expect(replayed?.data?.person ?? null).toBeNull();
    } finally {
      await liar.close().catch(() => undefined);
    }
    // Checks are in the audit trail like publishes.
    const audit = await platform.admin('{ auditRecords(filter: { kind: "ADMIN" }) { records { json } } }');
    expect(audit.body.data.auditRecords.records.some((r: any) => /"action":"checkSubgraph"/.test(r.json) && /hrss-records/.test(r.json))).toBe(true);
  });

  const hostile: readonly (readonly [string, string, RegExp])[] = [
    ['@shareable copy of a root field', `type Query { person(idNumber: ID!): Person @shareable }\ntype Person @key(fields: "idNumber") { idNumber: ID! }`, /Query\.person is psb's/],
    ['redefining another department\'s field without directives', `type Person @key(fields: "idNumber") { idNumber: ID! name: String }`, /Person\.name is psb's/],
    ['@shareable on another department\'s field', `type Person @key(fields: "idNumber") { idNumber: ID! householdAddress: String @shareable }`, /Person\.householdAddress is psb's/],
    ['@key on fields other than the owner\'s', `type Person @key(fields: "name") { name: String hrssNote: String @sharing(class: "UNCONDITIONAL") }`, /@key\(fields: "name"\) on Person.*psb's key fields \(idNumber\)/],
    ['@provides of another department\'s field', `type Query { hrssPerson(idNumber: ID!): Person @provides(fields: "householdAddress") @sharing(class: "UNCONDITIONAL") }\ntype Person @key(fields: "idNumber") { idNumber: ID! householdAddress: String @external }`, /@provides\(fields: "householdAddress"\).*psb's/],
    ['@requires of a conditional field the department holds no grant for', `type Person @key(fields: "idNumber") { idNumber: ID! maritalStatus: String @external hrssMarried: Boolean @requires(fields: "maritalStatus") @sharing(class: "UNCONDITIONAL") }`, /@requires\(fields: "maritalStatus"\).*hrss may not read it/],
    ['@requires of a not-shared field', `type Person @key(fields: "idNumber") { idNumber: ID! biometricTemplate: String @external hrssBio: String @requires(fields: "biometricTemplate") @sharing(class: "UNCONDITIONAL") }`, /@requires\(fields: "biometricTemplate"\)/],
    ['@inaccessible on another department\'s type', `type Person @key(fields: "idNumber") @inaccessible { idNumber: ID! }`, /@inaccessible on Person/],
    ['@inaccessible on another department\'s key field', `type Person @key(fields: "idNumber") { idNumber: ID! @inaccessible }`, /@inaccessible on Person\.idNumber/],
    ['@catalogue on another department\'s type', `type Person @key(fields: "idNumber") @catalogue(name: "x", nameEn: "x", code: "HRSS-X-001", updateCycle: "DAILY") { idNumber: ID! }`, /@catalogue on Person/],
    ['@sharing on another department\'s @external field', `type Person @key(fields: "idNumber") { idNumber: ID! name: String @external @sharing(class: "NOT_SHARED", basis: "x") }`, /@sharing on Person\.name/],
    ['implementing another department\'s type as an interface', `interface Person @key(fields: "idNumber") { idNumber: ID! }`, /interface Person is psb's/],
    ['adding members to another department\'s union', `union Party = Person | LegalEntity | HrssThing\ntype HrssThing { id: ID! @sharing(class: "UNCONDITIONAL") }\ntype Person @key(fields: "idNumber") { idNumber: ID! }\ntype LegalEntity @key(fields: "creditCode") { creditCode: ID! }`, /union Party is .*adds HrssThing/],
    ['adding values to another department\'s enum', `enum MaritalStatus { UNMARRIED MARRIED DIVORCED WIDOWED SECRET }\ntype Query { hrssStatus: MaritalStatus @sharing(class: "UNCONDITIONAL") }`, /enum MaritalStatus is psb's.*adds SECRET/],
    ['@composeDirective of a department\'s own directive', `extend schema @composeDirective(name: "@hrssLabel")\ndirective @hrssLabel on FIELD_DEFINITION\ntype Query { hrssOnly: String @sharing(class: "UNCONDITIONAL") }`, /@composeDirective\(name: "@hrssLabel"\)/],
    ['@tag on another department\'s type', `type Person @key(fields: "idNumber") @tag(name: "hrss") { idNumber: ID! }`, /@tag on Person/],
    ['a renamed @override (import as @o)', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{ name: "@override", as: "@o" }])\ntype Query { person(idNumber: ID!): Person @o(from: "population") }\ntype Person @key(fields: "idNumber") { idNumber: ID! }`, /Query\.person is psb's/],
  ];

  for (const [what, sdl, expected] of hostile) {
    it(`refuses ${what}`, async () => {
      const body = await check(sdl);
      expect(body.errors).toBeUndefined();
      expect(body.data.checkSubgraph.ok).toBe(false);
      expect(body.data.checkSubgraph.ownershipErrors.join('\n')).toMatch(expected);
    });
  }

  it('refuses Federation 1 SDL (every field implicitly shareable)', async () => {
    const body = (await platform.admin(CHECK, { i: { name: 'hrss-records', url: hrssUrl, sdl: 'extend type Person @key(fields: "idNumber") { idNumber: ID! @external name: String }' } }, hrss())).body;
    expect(body.data.checkSubgraph.ok).toBe(false);
    expect(body.data.checkSubgraph.ownershipErrors.join('\n')).toMatch(/Federation 1 subgraph/);
  });

  it('positive control — a legitimate extension (own fields on psb\'s Person, own type) publishes, is owned by hrss, and answers; re-publish and rollback change no provider', async () => {
    const sdl = `type Person @key(fields: "idNumber") {
  idNumber: ID!
  name: String @external
  employment: EmploymentRecord @requires(fields: "name") @sharing(class: "UNCONDITIONAL")
}
type EmploymentRecord @catalogue(name: "就业登记信息", nameEn: "Employment registration", code: "HRSS-EMP-001", updateCycle: "MONTHLY") {
  employer: String @sharing(class: "UNCONDITIONAL")
}`;
    const checked = await check(sdl);
    expect(checked.data.checkSubgraph.ownershipErrors).toEqual([]);
    expect(checked.data.checkSubgraph.claims).toEqual(expect.arrayContaining(['Person.employment', 'EmploymentRecord', 'EmploymentRecord.employer']));
    const before = (await platform.admin('{ supergraphVersions(limit: 1) { version } }')).body.data.supergraphVersions[0].version;
    const providersBefore = await Promise.all(['Person.name', 'Person.householdAddress', 'Person.realEstate', 'Person.licences'].map(async (c) => (await platform.admin(POLICY, { c })).body.data.fieldPolicy));
    const published = await platform.admin(PUBLISH, { input: { name: 'hrss-records', url: hrssUrl, sdl: COMMON_SDL + sdl }, reason: 'employment notes' }, hrss());
    expect(published.body.errors).toBeUndefined();
    const owners = (await platform.admin('{ schemaOwners(department: "hrss") { element department subgraph } }', {}, hrss())).body.data.schemaOwners;
    expect(owners).toContainEqual({ element: 'Person.employment', department: 'hrss', subgraph: 'hrss-records' });
    expect((await platform.admin(POLICY, { c: 'Person.employment' })).body.data.fieldPolicy.provider).toBe('hrss');

    // Rolled back to before hrss joined, and published again: the providers never move.
    const rolled = await platform.admin('mutation($v: Int!) { rollbackSupergraph(toVersion: $v, reason: "drill") { version } }', { v: before });
    expect(rolled.body.errors).toBeUndefined();
    const again = await platform.admin(PUBLISH, { input: { name: 'hrss-records', url: hrssUrl, sdl: COMMON_SDL + sdl }, reason: 'again' }, hrss());
    expect(again.body.errors).toBeUndefined();
    const providersAfter = await Promise.all(['Person.name', 'Person.householdAddress', 'Person.realEstate', 'Person.licences'].map(async (c) => (await platform.admin(POLICY, { c })).body.data.fieldPolicy));
    expect(providersAfter).toEqual(providersBefore);
    expect(providersAfter.map((p) => p.provider)).toEqual(['psb', 'psb', 'nr', 'gsa']);
    // The field itself is claimed by hrss for good: psb cannot take it.
    const psbTakes = await check(`type Person @key(fields: "idNumber") @catalogue(name: "人口基础信息", nameEn: "x", code: "PSB-POP-001", updateCycle: "REAL_TIME") { idNumber: ID! employment: String @sharing(class: "UNCONDITIONAL") }`, platform.adminToken('psb'), 'population', platform.registry.current.subgraphs.find((s) => s.name === 'population')!.url);
    expect(psbTakes.data.checkSubgraph.ownershipErrors.join('\n')).toMatch(/Person\.employment is hrss's/);
  });

  it('only the coordinating office transfers ownership and sets a department\'s hosts', async () => {
    const byPsb = await platform.admin('mutation { transferOwnership(element: "Person.maritalStatus", toDepartment: "mca", reason: "x") { department } }', {}, platform.adminToken('psb'));
    expect(byPsb.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const hosts = await platform.admin('mutation { setDepartmentHosts(department: "hrss", hosts: ["evil.example"], reason: "x") }', {}, hrss());
    expect(hosts.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // Positive control: the platform administrator does both; the provider follows the owner at once.
    const moved = await platform.admin('mutation { transferOwnership(element: "Person.ethnicity", toDepartment: "mca", reason: "民政部门为该数据项的权威来源（演示）") { element department } }');
    expect(moved.body.errors).toBeUndefined();
    expect(moved.body.data.transferOwnership).toEqual({ element: 'Person.ethnicity', department: 'mca' });
    expect((await platform.admin(POLICY, { c: 'Person.ethnicity' })).body.data.fieldPolicy.provider).toBe('mca');
    const back = await platform.admin('mutation { transferOwnership(element: "Person.ethnicity", toDepartment: "psb", reason: "演示结束") { department } }');
    expect(back.body.data.transferOwnership.department).toBe('psb');
    const set = await platform.admin('mutation { setDepartmentHosts(department: "hrss", hosts: ["127.0.0.1", "hrss-subgraph.gov.example"], reason: "人社部门子图部署地址") }');
    expect(set.body.data.setDepartmentHosts).toEqual(['127.0.0.1', 'hrss-subgraph.gov.example']);
  });
});
