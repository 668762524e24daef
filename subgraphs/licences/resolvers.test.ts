import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestSealRegistry, type TestSealRegistry } from '../../control/seals/testing.ts';
import { verifySealedDocument } from '../../control/seals/verifySealedDocument.ts';
import { parseSealRecord, type ElectronicSealRecord } from '../../lib/electronicSeal.ts';
import { DemoWorld } from '../../demo/world.ts';
import { useSubgraphForTest } from '../runtime/testing.ts';
import { canonicalJson } from './electronicSeal.ts';
import { licences } from './index.ts';
import { licenceStatus, todayInChina } from './resolvers.ts';

const world = new DemoWorld({ persons: 300, legalEntities: 60, parcels: 120 });
const MARRIAGE = 'Licence[kind=MARRIAGE_CERTIFICATE]';
// R12: the platform's issuer seal-key registry seals the seeded licences (opened before the subgraph starts).
let registryDir: string;
let seals: TestSealRegistry;
beforeAll(async () => {
  registryDir = mkdtempSync(join(tmpdir(), 'govgraph-seal-registry-'));
  seals = await openTestSealRegistry({ kind: 'sqlite', dataDir: registryDir });
});
afterAll(async () => {
  await seals?.close();
  rmSync(registryDir, { recursive: true, force: true });
});
// mca holds the row class's grant, as in the demo (platform/demoSeed.ts).
const subgraph = useSubgraphForTest(licences, {
  world,
  seals: () => seals.registry.demoSealer(),
  grants: [{ id: 'mca-marriage', consumer: 'mca', coordinate: MARRIAGE, purpose: 'ADMINISTRATIVE_BASIS', validFrom: new Date(0).toISOString(), validUntil: null, revokedAt: null }],
});

interface Answer {
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function query(source: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return (await subgraph().query(source, variables)).body as Answer;
}

const statements = () => subgraph().statements();

async function measured(source: string, variables: Record<string, unknown> = {}): Promise<{ answer: Answer; statements: number }> {
  const before = await statements();
  const answer = await query(source, variables);
  return { answer, statements: (await statements()) - before };
}

const DOCUMENT = `document { format content seal { algorithm keyId signature publicKey record signedAt issuerCode algorithmOid contentDigest } }`;

describe('licences subgraph', () => {
  it('reads a business licence with its seeded values', async () => {
    const licence = world.licencesOfEntity(0)[0]!;
    const { data, errors } = await query(
      `query($no: ID!) { licence(licenceNo: $no) { licenceNo kind name holder { __typename ... on LegalEntity { creditCode } } issuer issueDate validUntil status } }`,
      { no: licence.licenceNo },
    );
    expect(errors).toBeUndefined();
    expect(data.licence).toEqual({
      licenceNo: licence.licenceNo,
      kind: 'BUSINESS_LICENCE',
      name: '营业执照',
      holder: { __typename: 'LegalEntity', creditCode: world.legalEntity(0).creditCode },
      issuer: licence.issuer,
      issueDate: licence.issueDate,
      validUntil: null,
      status: 'VALID',
    });
  });

  it('answers null for an unknown licence number and BAD_USER_INPUT for a malformed one', async () => {
    expect((await query(`{ licence(licenceNo: "YZ44010699999999") { licenceNo } }`)).data.licence).toBeNull();
    const malformed = await query(`{ licence(licenceNo: "yz 4401") { licenceNo } }`);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.message).toMatch(/capital letters, digits and hyphens/);
  });

  it('answers licences(licenceNos:) in the order asked and refuses more than 100', async () => {
    const nos = [world.licencesOfPerson(0)[0]!.licenceNo, 'YZ44010699999999', world.licencesOfEntity(1)[0]!.licenceNo];
    const { answer, statements: cost } = await measured(`query($n: [ID!]!) { licences(licenceNos: $n) { licenceNo } }`, { n: nos });
    expect(answer.data.licences).toEqual([{ licenceNo: nos[0] }, null, { licenceNo: nos[2] }]);
    expect(cost).toBe(1);
    const tooMany = await query(`query($n: [ID!]!) { licences(licenceNos: $n) { licenceNo } }`, { n: Array.from({ length: 101 }, () => nos[0]) });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves 100 licence references with one SQL statement', async () => {
    const nos = Array.from({ length: world.size.legalEntities }, (_, j) => world.licencesOfEntity(j).map((l) => l.licenceNo)).flat()
      .concat(Array.from({ length: 100 }, (_, i) => world.licencesOfPerson(i).map((l) => l.licenceNo)).flat())
      .slice(0, 100);
    expect(nos).toHaveLength(100);
    const { answer, statements: cost } = await measured(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Licence { licenceNo status } } }`,
      { r: nos.map((licenceNo) => ({ __typename: 'Licence', licenceNo })) },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data._entities.map((l: { licenceNo: string }) => l.licenceNo)).toEqual(nos);
    expect(cost).toBe(1);
  });

  it('marks licences of revoked or cancelled entities REVOKED', async () => {
    const j = Array.from({ length: world.size.legalEntities }, (_, j) => j).find((j) => ['REVOKED', 'CANCELLED'].includes(world.legalEntity(j).status));
    expect(j).toBeDefined();
    const { data } = await query(`{ licence(licenceNo: "${world.licencesOfEntity(j!)[0]!.licenceNo}") { status } }`);
    expect(data.licence.status).toBe('REVOKED');
  });

  it('links persons and legal entities to their licences, one statement for 100 holders', async () => {
    const persons = Array.from({ length: 100 }, (_, i) => world.person(i).idNumber);
    const { answer, statements: cost } = await measured(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber licences { licenceNo holder { ... on Person { idNumber } } } } } }`,
      { r: persons.map((idNumber) => ({ __typename: 'Person', idNumber })) },
    );
    expect(cost).toBe(1);
    answer.data._entities.forEach((person: { idNumber: string; licences: { licenceNo: string; holder: { idNumber: string } }[] }, i: number) => {
      expect(person.licences.map((l) => l.licenceNo).sort()).toEqual(world.licencesOfPerson(i).map((l) => l.licenceNo).sort());
      for (const l of person.licences) expect(l.holder.idNumber).toBe(person.idNumber);
    });
    expect(answer.data._entities[0].licences.length).toBeGreaterThan(0);

    const entity = world.legalEntity(0);
    const { data } = await query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on LegalEntity { licences { licenceNo kind } } } }`,
      { r: [{ __typename: 'LegalEntity', creditCode: entity.creditCode }] },
    );
    expect(data._entities[0].licences.map((l: { kind: string }) => l.kind).sort()).toEqual(['BUSINESS_LICENCE', 'FOOD_OPERATION_PERMIT']);
  });

  it('R12: carries a sealed document whose signature verifies, and fails once the content is changed', async () => {
    const licence = world.licencesOfPerson(0).find((l) => l.kind === 'DRIVING_LICENCE')!;
    const { data, errors } = await query(`query($no: ID!) { licence(licenceNo: $no) { ${DOCUMENT} } }`, { no: licence.licenceNo });
    expect(errors).toBeUndefined();
    const { format, content, seal } = data.licence.document;
    expect(format).toBe('application/json');
    expect(seal.algorithm).toBe('SM2-with-SM3');
    expect(seal.algorithmOid).toBe('1.2.156.10197.1.501');
    expect(seal.issuerCode).toBe(licence.issuerCode);
    expect(seal.keyId).toMatch(new RegExp(`^${licence.issuerCode}-[0-9a-f]{16}$`));
    const parsed = JSON.parse(content);
    expect(parsed).toMatchObject({
      licenceNo: licence.licenceNo,
      kind: 'DRIVING_LICENCE',
      holder: { kind: 'PERSON', idNumber: licence.holderKey },
      issuer: { name: licence.issuer, code: licence.issuerCode },
      issueDate: licence.issueDate,
      validUntil: licence.validUntil,
      particulars: licence.particulars,
    });
    expect(canonicalJson(parsed)).toBe(content);
    const record = parseSealRecord(JSON.parse(seal.record)) as ElectronicSealRecord;
    expect(record.signature).toBe(seal.signature);
    expect(record.timeInfo).toBe(seal.signedAt);
    const verdict = await verifySealedDocument(seals.registry, content, record);
    expect(verdict, verdict.message).toMatchObject({ valid: true, verdict: 'VALID' });
    const forged = content.replace(licence.validUntil!, '2099-12-31');
    expect(forged).not.toBe(content);
    expect(await verifySealedDocument(seals.registry, forged, record)).toMatchObject({ valid: false, verdict: 'CONTENT_ALTERED' });
  });

  it('seals each issuer\'s licences with the same key and different issuers with different keys', async () => {
    const [marriage, driving] = world.licencesOfPerson(0);
    const business = world.licencesOfEntity(0)[0]!;
    const permit = world.licencesOfEntity(0)[1]!;
    const { data } = await query(`query($n: [ID!]!) { licences(licenceNos: $n) { ${DOCUMENT} } }`, { n: [marriage!.licenceNo, driving!.licenceNo, business.licenceNo, permit.licenceNo] });
    const keyIds = data.licences.map((l: { document: { seal: { keyId: string } } }) => l.document.seal.keyId);
    expect(keyIds[2]).toBe(keyIds[3]);
    expect(new Set(keyIds).size).toBe(3);
  });
});

describe('licenceStatus', () => {
  it('is REVOKED when revoked, EXPIRED after validUntil, VALID through validUntil and forever without one', () => {
    expect(licenceStatus({ revoked: true, validUntil: null }, '2026-01-01')).toBe('REVOKED');
    expect(licenceStatus({ revoked: true, validUntil: '2020-01-01' }, '2026-01-01')).toBe('REVOKED');
    expect(licenceStatus({ revoked: false, validUntil: '2025-12-31' }, '2026-01-01')).toBe('EXPIRED');
    expect(licenceStatus({ revoked: false, validUntil: '2026-01-01' }, '2026-01-01')).toBe('VALID');
    expect(licenceStatus({ revoked: false, validUntil: null }, '2099-01-01')).toBe('VALID');
  });

  it('counts days in China Standard Time', () => {
    // 2025-12-31T17:00Z is already 1 January 2026 in Beijing.
    expect(todayInChina(Date.UTC(2025, 11, 31, 17))).toBe('2026-01-01');
    expect(todayInChina(Date.UTC(2025, 11, 31, 15))).toBe('2025-12-31');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: '证' } })).toBe('{"a":{"c":"证","d":[true,null]},"b":1}');
  });
});

describe('licences subgraph: verification (核验, R7)', () => {
  const VERIFY = `query($no: ID!, $holder: ID!) { verifyLicence(licenceNo: $no, holderKey: $holder) { exists holderMatches valid } }`;
  const asVerifier = { consumer: 'hrss', purpose: 'DATA_VERIFICATION' };
  const all = [
    ...Array.from({ length: world.size.legalEntities }, (_, j) => world.licencesOfEntity(j)).flat(),
    ...Array.from({ length: world.size.persons }, (_, i) => world.licencesOfPerson(i)).flat(),
  ];

  it('answers yes for a licence presented by its holder, and whether it is valid today', async () => {
    const valid = all.find((l) => licenceStatus(l) === 'VALID')!;
    expect((await subgraph().query(VERIFY, { no: valid.licenceNo, holder: valid.holderKey }, asVerifier)).body).toEqual({ data: { verifyLicence: { exists: true, holderMatches: true, valid: true } } });
    const invalid = all.find((l) => licenceStatus(l) !== 'VALID');
    if (invalid) expect((await subgraph().query(VERIFY, { no: invalid.licenceNo, holder: invalid.holderKey }, asVerifier)).body.data.verifyLicence).toEqual({ exists: true, holderMatches: true, valid: false });
    const person = all.find((l) => l.holderKind === 'PERSON' && l.holderKey.endsWith('X'));
    if (person) expect((await subgraph().query(VERIFY, { no: person.licenceNo, holder: person.holderKey.toLowerCase() }, asVerifier)).body.data.verifyLicence.holderMatches).toBe(true);
  });

  it('answers false for another holder, discloses nothing of the licence, and no for unknown or malformed numbers', async () => {
    const licence = all[0]!;
    const other = all.find((l) => l.holderKey !== licence.holderKey)!;
    const { body } = await subgraph().query(VERIFY, { no: licence.licenceNo, holder: other.holderKey }, asVerifier);
    expect(body.data.verifyLicence).toEqual({ exists: true, holderMatches: false, valid: false });
    expect(JSON.stringify(body)).not.toContain(licence.holderKey);
    expect(JSON.stringify(body)).not.toContain(licence.holderName);
    for (const no of ['ZZ-000000-NOPE', 'bad no']) {
      expect((await subgraph().query(VERIFY, { no, holder: licence.holderKey }, asVerifier)).body).toEqual({ data: { verifyLicence: { exists: false, holderMatches: false, valid: false } } });
    }
  });

  it('answers only a DATA_VERIFICATION caller', async () => {
    const licence = all[0]!;
    const { body } = await subgraph().query(VERIFY, { no: licence.licenceNo, holder: licence.holderKey }, { consumer: 'hrss', purpose: 'WORK_REFERENCE' });
    expect(body.data.verifyLicence).toEqual({ exists: null, holderMatches: null, valid: null });
    expect(body.errors.map((e: any) => e.extensions.coordinate).sort()).toEqual(['LicenceVerification.exists', 'LicenceVerification.holderMatches', 'LicenceVerification.valid']);
  });
});

describe('licences subgraph: freshness', () => {
  it('reports when the library last changed, to the gateway only', async () => {
    const url = subgraph().url.replace(/\/graphql$/, '/freshness');
    expect((await fetch(url)).status).toBe(401);
    const body = (await (await fetch(url, { headers: await subgraph().contextHeaders() })).json()) as { resources: Record<string, string> };
    expect(Object.keys(body.resources)).toEqual(['Licence']);
    expect(Date.now() - Date.parse(body.resources.Licence!)).toBeLessThan(10 * 60_000);
  });
});

describe('licences subgraph: row class by kind (a marriage certificate reveals marital status)', () => {
  const married = Array.from({ length: world.size.persons }, (_, i) => i).filter((i) => world.licencesOfPerson(i).some((l) => l.kind === 'MARRIAGE_CERTIFICATE'));
  const marriage = world.licencesOfPerson(0).find((l) => l.kind === 'MARRIAGE_CERTIFICATE')!;
  const driving = world.licencesOfPerson(0).find((l) => l.kind === 'DRIVING_LICENCE')!;
  const LICENCES_OF = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber licences { licenceNo kind } } } }`;
  const representations = married.slice(0, 20).map((i) => ({ __typename: 'Person', idNumber: world.person(i).idNumber }));

  it('leaves marriage certificates out of a person\'s licences for departments without the grant, without a trace', async () => {
    expect(marriage).toBeDefined();
    for (const consumer of ['tax', 'hrss', 'samr']) {
      const { body } = await subgraph().query(LICENCES_OF, { r: representations }, { consumer });
      expect(body.errors, consumer).toBeUndefined();
      for (const [n, person] of (body.data._entities as { licences: { licenceNo: string; kind: string }[] | null }[]).entries()) {
        const i = married[n]!;
        expect(person.licences?.map((l) => l.licenceNo).sort(), consumer).toEqual(world.licencesOfPerson(i).filter((l) => l.kind !== 'MARRIAGE_CERTIFICATE').map((l) => l.licenceNo).sort());
      }
      expect(JSON.stringify(body)).not.toContain(marriage.licenceNo);
      expect(JSON.stringify(body)).not.toContain('MARRIAGE_CERTIFICATE');
    }
  });

  it('shows them to the granted department and to the provider (positive controls)', async () => {
    for (const consumer of ['mca', 'gsa']) {
      const { body } = await subgraph().query(LICENCES_OF, { r: representations }, { consumer });
      expect(body.errors, consumer).toBeUndefined();
      expect(body.data._entities.every((p: { licences: { kind: string }[] }) => p.licences.some((l) => l.kind === 'MARRIAGE_CERTIFICATE')), consumer).toBe(true);
    }
    // A grant for one purpose is none for another.
    const { body } = await subgraph().query(LICENCES_OF, { r: representations.slice(0, 1) }, { consumer: 'mca', purpose: 'WORK_REFERENCE' });
    expect(body.data._entities[0].licences.map((l: { kind: string }) => l.kind)).not.toContain('MARRIAGE_CERTIFICATE');
  });

  it('refuses a marriage certificate asked for by number: null with one FORBIDDEN error, in its place in a list', async () => {
    const single = (await subgraph().query(`query($no: ID!) { licence(licenceNo: $no) { licenceNo holder { ... on Person { idNumber } } } }`, { no: marriage.licenceNo }, { consumer: 'tax' })).body;
    expect(single.data).toEqual({ licence: null });
    expect(single.errors).toHaveLength(1);
    expect(single.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: MARRIAGE, reason: 'NO_GRANT', provider: 'gsa', sharingClass: 'CONDITIONAL' });
    expect(JSON.stringify(single)).not.toContain(marriage.holderKey);

    const list = (await subgraph().query(`query($n: [ID!]!) { licences(licenceNos: $n) { licenceNo } }`, { n: [marriage.licenceNo, driving.licenceNo] }, { consumer: 'tax' })).body;
    expect(list.data).toEqual({ licences: [null, { licenceNo: driving.licenceNo }] });
    expect(list.errors.map((e: any) => [e.path, e.extensions.coordinate])).toEqual([[['licences', 0], MARRIAGE]]);

    const granted = (await subgraph().query(`query($no: ID!) { licence(licenceNo: $no) { licenceNo kind } }`, { no: marriage.licenceNo }, { consumer: 'mca' })).body;
    expect(granted).toEqual({ data: { licence: { licenceNo: marriage.licenceNo, kind: 'MARRIAGE_CERTIFICATE' } } });
  });

  it('gives nothing of a marriage certificate fetched as an entity', async () => {
    const { body } = await subgraph().query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Licence { licenceNo kind holder { ... on Person { idNumber } } } } }`,
      { r: [{ __typename: 'Licence', licenceNo: marriage.licenceNo }, { __typename: 'Licence', licenceNo: driving.licenceNo }] },
      { consumer: 'hrss' },
    );
    expect(body.data._entities[0]).toBeNull();
    expect(body.data._entities[1]).toMatchObject({ licenceNo: driving.licenceNo, kind: 'DRIVING_LICENCE' });
    expect(body.errors.map((e: any) => e.extensions.coordinate)).toEqual([MARRIAGE]);
    expect(JSON.stringify(body.errors)).not.toContain(marriage.holderKey);
  });

  it('answers no verification about a marriage certificate to a department that may not see it', async () => {
    const VERIFY = `query($no: ID!, $holder: ID!) { verifyLicence(licenceNo: $no, holderKey: $holder) { exists holderMatches valid } }`;
    const refused = (await subgraph().query(VERIFY, { no: marriage.licenceNo, holder: marriage.holderKey }, { consumer: 'hrss', purpose: 'DATA_VERIFICATION' })).body;
    expect(refused.data.verifyLicence).toBeNull();
    expect(refused.errors.map((e: any) => e.extensions.coordinate)).toEqual([MARRIAGE]);
    const other = (await subgraph().query(VERIFY, { no: driving.licenceNo, holder: driving.holderKey }, { consumer: 'hrss', purpose: 'DATA_VERIFICATION' })).body;
    expect(other).toEqual({ data: { verifyLicence: { exists: true, holderMatches: true, valid: true } } });
  });

  it('numbers driving licences without the holder\'s citizen ID', () => {
    const numbers = Array.from({ length: world.size.persons }, (_, i) => world.licencesOfPerson(i)).flat().filter((l) => l.kind === 'DRIVING_LICENCE');
    expect(numbers.length).toBeGreaterThan(50);
    for (const l of numbers) {
      expect(l.licenceNo).toMatch(/^JSZ\d{14}$/);
      expect(l.licenceNo).not.toContain(l.holderKey.slice(6, 14)); // not even the birth date
      expect(JSON.stringify(l.particulars)).not.toContain(l.holderKey);
    }
    expect(new Set(numbers.map((l) => l.licenceNo)).size).toBe(numbers.length);
  });
});
