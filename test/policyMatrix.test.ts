/**
 * The demo world's sharing policy, end to end through the gateway: every denial is paired
 * with a positive control (the entitled caller does get the value). Run twice: with the
 * gateway's static check (the normal path) and with it switched off, where graphql-shield in
 * the subgraphs must deny the same fields alone (defence in depth).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../storage/testing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

interface Case {
  readonly name: string;
  /** The selection on the sample entity. */
  readonly query: (samples: TestPlatform['credentials']['samples']) => string;
  /** Path of the value in `data`. */
  readonly path: readonly (string | number)[];
  readonly coordinate: string;
  readonly denied: { readonly department: string; readonly purpose: string; readonly reason: string; readonly sharingClass: string };
  readonly allowed: { readonly department: string; readonly purpose: string };
}

const person = (s: TestPlatform['credentials']['samples'], i = 0) => s.persons[i]!;

const CASES: readonly Case[] = [
  {
    name: 'conditional household address: no grant vs granted consumer',
    query: (s) => `{ person(idNumber: "${person(s)}") { name householdAddress } }`,
    path: ['person', 'householdAddress'],
    coordinate: 'Person.householdAddress',
    denied: { department: 'hrss', purpose: 'DATA_VERIFICATION', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'conditional household address: purpose not allowed vs allowed purpose',
    query: (s) => `{ person(idNumber: "${person(s)}") { householdAddress } }`,
    path: ['person', 'householdAddress'],
    coordinate: 'Person.householdAddress',
    denied: { department: 'mca', purpose: 'WORK_REFERENCE', reason: 'PURPOSE_NOT_ALLOWED', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'conditional marital status',
    query: (s) => `{ person(idNumber: "${person(s)}") { maritalStatus } }`,
    path: ['person', 'maritalStatus'],
    coordinate: 'Person.maritalStatus',
    denied: { department: 'tax', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'not-shared biometric template: another department vs the provider itself',
    query: (s) => `{ person(idNumber: "${person(s)}") { biometricTemplate } }`,
    path: ['person', 'biometricTemplate'],
    coordinate: 'Person.biometricTemplate',
    denied: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NOT_SHARED', sharingClass: 'NOT_SHARED' },
    allowed: { department: 'psb', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'conditional real estate of a person (natural resources)',
    query: (s) => `{ person(idNumber: "${person(s)}") { realEstate { unitNo } } }`,
    path: ['person', 'realEstate'],
    coordinate: 'Person.realEstate',
    denied: { department: 'hrss', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'tax', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'conditional shareholders of a legal entity',
    query: (s) => `{ legalEntity(creditCode: "${s.legalEntities[0]}") { name shareholders { name sharePercent } } }`,
    path: ['legalEntity', 'shareholders'],
    coordinate: 'LegalEntity.shareholders',
    denied: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'tax', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'conditional right holders of a parcel',
    query: (s) => `{ parcel(unitNo: "${s.parcels[0]}") { rightHolders { rightType } } }`,
    path: ['parcel', 'rightHolders'],
    coordinate: 'Parcel.rightHolders',
    denied: { department: 'tax', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'nr', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'conditional mortgages of a parcel',
    query: (s) => `{ parcel(unitNo: "${s.parcels[0]}") { mortgages { mortgagee } } }`,
    path: ['parcel', 'mortgages'],
    coordinate: 'Parcel.mortgages',
    denied: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'nr', purpose: 'WORK_REFERENCE' },
  },
  {
    name: 'conditional signed licence document',
    query: (s) => `{ licence(licenceNo: "${s.licences[0]}") { document { content } } }`,
    path: ['licence', 'document'],
    coordinate: 'Licence.document',
    denied: { department: 'hrss', purpose: 'ADMINISTRATIVE_BASIS', reason: 'NO_GRANT', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'gsa', purpose: 'ADMINISTRATIVE_BASIS' },
  },
  {
    name: 'row condition: a district consumer outside vs inside its jurisdiction',
    // samples.persons[3] is registered in Yuexiu (440104); persons[0] in Tianhe (440106).
    query: (s) => `{ person(idNumber: "${person(s, 3)}") { householdAddress } }`,
    path: ['person', 'householdAddress'],
    coordinate: 'Person.householdAddress',
    denied: { department: 'thca', purpose: 'ADMINISTRATIVE_BASIS', reason: 'OUT_OF_JURISDICTION', sharingClass: 'CONDITIONAL' },
    allowed: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS' },
  },
];

const valueAt = (data: unknown, path: readonly (string | number)[]) =>
  path.reduce<unknown>((v, k) => (v === null || v === undefined ? v : (v as Record<string | number, unknown>)[k]), data);

for (const staticPolicyCheck of [true, false]) {
  describe.each(testDialects())(`sharing policy matrix (${staticPolicyCheck ? 'gateway check + shield' : 'shield alone'}) on %s`, (dialect) => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await startTestPlatform(dialect, { staticPolicyCheck });
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it.each(CASES)('$name', async (c) => {
      const source = c.query(platform.credentials.samples);
      const denied = await platform.query(source, { as: c.denied });
      expect(denied.status).toBe(200);
      expect(valueAt(denied.body.data, c.path)).toBeNull();
      const errors = denied.body.errors.filter((e: any) => e.extensions?.coordinate === c.coordinate);
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: c.coordinate, sharingClass: c.denied.sharingClass, reason: c.denied.reason });
      expect(errors[0].path).toEqual(c.path);
      if (c.denied.sharingClass === 'CONDITIONAL') expect(errors[0].extensions.howToApply).toMatch(/apply/);
      if (c.denied.sharingClass !== 'UNCONDITIONAL') expect(errors[0].extensions.basis).toMatch(/《/);

      const allowed = await platform.query(source, { as: c.allowed });
      expect(allowed.body.errors).toBeUndefined();
      const value = valueAt(allowed.body.data, c.path);
      expect(value).not.toBeNull();
      expect(value).not.toBeUndefined();
      if (Array.isArray(value)) expect(value.length).toBeGreaterThan(0);
    });

    it('the district consumer does read the address of a resident of its own district', async () => {
      const { body } = await platform.query(`{ person(idNumber: "${platform.credentials.samples.persons[0]}") { householdAddress } }`, { as: { department: 'thca' } });
      expect(body.errors).toBeUndefined();
      expect(body.data.person.householdAddress).toMatch(/天河区/);
    });

    it('returns the rest of the data beside a denied field, and unconditional fields to everyone', async () => {
      const source = `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name gender birthDate householdDivision { code } householdAddress } }`;
      for (const department of ['mca', 'tax', 'hrss', 'thca', 'dgo', 'samr']) {
        const { body } = await platform.query(source, { as: { department, purpose: 'WORK_REFERENCE' } });
        expect(body.data.person.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
        expect(body.data.person.householdDivision.code).toMatch(/^\d{9}$/);
        expect(body.data.person.householdAddress).toBeNull();
        expect(body.errors).toHaveLength(1);
      }
    });

    it('denies each aliased or fragment occurrence of a field and keeps the others', async () => {
      const id = platform.credentials.samples.persons[0];
      const source = `query { p: person(idNumber: "${id}") { ...F home: householdAddress n: name ... on Person { status: maritalStatus } } }
        fragment F on Person { householdAddress birthDate }`;
      const { body } = await platform.query(source, { as: { department: 'hrss', purpose: 'DATA_VERIFICATION' } });
      expect(body.data.p).toEqual({ householdAddress: null, birthDate: expect.any(String), home: null, n: expect.any(String), status: null });
      const coordinates = body.errors.map((e: any) => e.extensions.coordinate).sort();
      expect(coordinates).toEqual(['Person.householdAddress', 'Person.householdAddress', 'Person.maritalStatus']);
      const granted = await platform.query(source, { as: { department: 'mca' } });
      expect(granted.body.errors).toBeUndefined();
      expect(granted.body.data.p.home).toBe(granted.body.data.p.householdAddress);
      expect(granted.body.data.p.status).toMatch(/MARRIED|UNMARRIED|DIVORCED|WIDOWED/);
    });

    it('reaches nested persons by the same policy (household members, legal representative)', async () => {
      const code = platform.credentials.samples.legalEntities[0];
      const source = `{ legalEntity(creditCode: "${code}") { legalRepresentative { name maritalStatus biometricTemplate } } }`;
      const denied = await platform.query(source, { as: { department: 'tax' } });
      expect(denied.body.data.legalEntity.legalRepresentative.name).toBeTruthy();
      expect(denied.body.data.legalEntity.legalRepresentative.maritalStatus).toBeNull();
      expect(denied.body.data.legalEntity.legalRepresentative.biometricTemplate).toBeNull();
      const allowed = await platform.query(source, { as: { department: 'psb' } });
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data.legalEntity.legalRepresentative.biometricTemplate).toMatch(/^FMR1:/);
    });
  });
}

describe('request contract', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
  });
  afterAll(async () => {
    await platform?.stop();
  });
  const source = () => `{ person(idNumber: "${platform.credentials.samples.persons[0]}") { name householdAddress } }`;

  it('refuses a missing or unknown token with 401 and a clear message', async () => {
    const none = await platform.query(source(), { as: null });
    expect(none.status).toBe(401);
    expect(none.body.errors[0].message).toMatch(/Authorization: Bearer/);
    const unknown = await platform.query(source(), { as: null, headers: { authorization: 'Bearer gga_not-a-token', 'x-purpose': 'ADMINISTRATIVE_BASIS' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a missing, unknown or double purpose with 400 naming the purposes', async () => {
    const missing = await platform.query(source(), { as: { department: 'mca', purpose: null } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].extensions.code).toBe('PURPOSE_REQUIRED');
    expect(missing.body.errors[0].message).toMatch(/ADMINISTRATIVE_BASIS.*WORK_REFERENCE/);
    const unknown = await platform.query(source(), { as: { department: 'mca', purpose: 'CURIOSITY' } });
    expect(unknown.status).toBe(400);
    const two = await platform.query(source(), { as: { department: 'mca', purpose: 'ADMINISTRATIVE_BASIS, WORK_REFERENCE' } });
    expect(two.status).toBe(400);
    // Positive control: the same request with one registered purpose is answered.
    const ok = await platform.query(source(), { as: { department: 'mca' } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.person.householdAddress).toBeTruthy();
  });

  it('counts operations and denied fields by reason in /metrics', async () => {
    await platform.query(source(), { as: { department: 'hrss', purpose: 'DATA_VERIFICATION' } });
    const text = await (await fetch(platform.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/govgraph_denied_fields_total\{reason="NO_GRANT",coordinate="Person.householdAddress"[^}]*\} [1-9]/);
    expect(text).toMatch(/govgraph_operations_total\{consumer="hrss",outcome="partial"[^}]*\} [1-9]/);
    expect(text).toMatch(/govgraph_operation_duration_seconds_bucket/);
    expect(text).toMatch(/govgraph_audit_commit_seconds_count\{[^}]*\} [1-9]/);
  });

  it('lets a schema-only (introspection) query through without a purpose', async () => {
    const { status, body } = await platform.query('{ __schema { queryType { name } } }', { as: { department: 'mca', purpose: null } });
    expect(status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('Query');
  });

  it('in strict mode refuses the whole operation when any field is denied', async () => {
    const strict = await platform.query(source(), { as: { department: 'hrss', purpose: 'DATA_VERIFICATION' }, headers: { 'x-sharing-mode': 'strict' } });
    expect(strict.status).toBe(403);
    expect(strict.body.data).toBeUndefined();
    expect(strict.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'Person.householdAddress' });
    const entitled = await platform.query(source(), { as: { department: 'mca' }, headers: { 'x-sharing-mode': 'strict' } });
    expect(entitled.status).toBe(200);
    expect(entitled.body.data.person.householdAddress).toBeTruthy();
  });
});
