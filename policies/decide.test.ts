import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { decideField, outOfJurisdiction, rowDenial, withinJurisdiction } from './decide.ts';
import { fieldsUnderPolicy, SharingDirectiveError } from './fieldsUnderPolicy.ts';
import { parseRowCoordinate, type Caller, type FieldPolicy, type Grant, type PolicyOverride } from './model.ts';
import { PolicySnapshot, effectiveFieldPolicies } from './snapshot.ts';
import { validateOverride } from './validate.ts';

const MARRIAGE = 'Licence[kind=MARRIAGE_CERTIFICATE]';

const population = {
  name: 'population',
  department: 'psb',
  typeDefs: parse(`
    type Person @key(fields: "idNumber") @catalogue(code: "PSB-POP-001") {
      idNumber: ID!
      maritalStatus: String @sharing(class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "PIPL art. 28")
    }
  `),
};

const licences = {
  name: 'licences',
  department: 'gsa',
  typeDefs: parse(`
    type Licence @key(fields: "licenceNo") @catalogue(code: "GSA-LIC-001") {
      licenceNo: ID!
      kind: LicenceKind @sharing(class: "UNCONDITIONAL")
        @rowClass(value: "MARRIAGE_CERTIFICATE", class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS", "WORK_REFERENCE"], basis: "PIPL art. 28", reveals: "Person.maritalStatus")
      name: String @sharing(class: "UNCONDITIONAL")
    }
    enum LicenceKind { BUSINESS_LICENCE MARRIAGE_CERTIFICATE DRIVING_LICENCE }
  `),
};

const PURPOSES = ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE', 'DATA_VERIFICATION'];

function snapshot(overrides: PolicyOverride[] = [], grants: Grant[] = []): PolicySnapshot {
  return new PolicySnapshot({
    version: 1,
    fields: effectiveFieldPolicies(fieldsUnderPolicy([population, licences]), overrides),
    grants,
    departments: [],
    purposes: PURPOSES,
  });
}

const grant = (consumer: string, coordinate: string, purpose = 'ADMINISTRATIVE_BASIS'): Grant => ({
  id: `${consumer}-${coordinate}`, consumer, coordinate, purpose, validFrom: new Date(0).toISOString(), validUntil: null, revokedAt: null,
});

const caller = (department: string, purpose = 'ADMINISTRATIVE_BASIS'): Caller => ({ department, app: `${department}-app`, purpose, caseId: null });

const ROWS = [{ coordinate: MARRIAGE, field: 'kind', value: 'MARRIAGE_CERTIFICATE' }];
const marriage = { licenceNo: 'J440106-2019-0000001', kind: 'MARRIAGE_CERTIFICATE' };
const driving = { licenceNo: 'JSZ44010000000001', kind: 'DRIVING_LICENCE' };

describe('row classes: declared in SDL, carried in the snapshot', () => {
  it('reads @rowClass from the classifying field, beside its @sharing', () => {
    const kind = fieldsUnderPolicy([licences]).find((f) => f.coordinate === 'Licence.kind')!;
    expect(kind.sharing?.sharingClass).toBe('UNCONDITIONAL');
    expect(kind.rowClasses).toEqual([{
      coordinate: MARRIAGE, value: 'MARRIAGE_CERTIFICATE', reveals: 'Person.maritalStatus',
      sharing: { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE'], basis: 'PIPL art. 28', caseIdRequired: false },
    }]);
    // The list of fields stays a list of fields: the catalogue places each.
    expect(fieldsUnderPolicy([licences]).map((f) => f.coordinate)).not.toContain(MARRIAGE);
  });

  it('refuses a value the field cannot have, and a restricted class without a legal basis (R1)', () => {
    const bad = (directive: string) => ({ ...licences, typeDefs: parse(`type Licence { kind: LicenceKind ${directive} } enum LicenceKind { MARRIAGE_CERTIFICATE }`) });
    expect(() => fieldsUnderPolicy([bad('@rowClass(value: "DIVORCE", class: "CONDITIONAL", basis: "x")')])).toThrow(/value must be one of MARRIAGE_CERTIFICATE, received "DIVORCE"/);
    expect(() => fieldsUnderPolicy([bad('@rowClass(value: "MARRIAGE_CERTIFICATE", class: "CONDITIONAL")')])).toThrow(SharingDirectiveError);
  });

  it('answers a row coordinate by lookup, and lists fields only when iterated', () => {
    const s = snapshot();
    expect(s.fields.get(MARRIAGE)).toMatchObject({ sharingClass: 'CONDITIONAL', provider: 'gsa', subgraph: 'licences', origin: 'SDL' });
    expect(s.fields.has(MARRIAGE)).toBe(true);
    expect([...s.fields.keys()]).not.toContain(MARRIAGE);
    expect([...s.rowClasses.keys()]).toEqual([MARRIAGE]);
    expect(s.rowClassesOf('Licence')).toEqual([{ coordinate: MARRIAGE, field: 'kind', value: 'MARRIAGE_CERTIFICATE' }]);
    expect(s.rowClassesOf('Person')).toEqual([]);
    // Serializable: the subgraphs rebuild the same snapshot from its data.
    const copy = new PolicySnapshot(JSON.parse(JSON.stringify(s.data)));
    expect(copy.fields.get(MARRIAGE)).toEqual(s.fields.get(MARRIAGE));
    expect(parseRowCoordinate(MARRIAGE)).toEqual({ typeName: 'Licence', field: 'kind', value: 'MARRIAGE_CERTIFICATE' });
    expect(parseRowCoordinate('Licence.kind')).toBeNull();
  });
});

describe('row classes: the same decision as a field', () => {
  it('withholds a marriage certificate from a department without the grant, never a driving licence', () => {
    const s = snapshot([], [grant('mca', MARRIAGE), grant('tax', 'Person.maritalStatus')]);
    for (const department of ['tax', 'hrss', 'samr']) {
      const denial = rowDenial(s, caller(department), ROWS, marriage);
      expect(denial, department).toMatchObject({ coordinate: MARRIAGE, sharingClass: 'CONDITIONAL', reason: 'NO_GRANT', provider: 'gsa' });
      expect(denial!.howToApply).toMatch(/apply through the platform for Licence\[kind=MARRIAGE_CERTIFICATE\]/);
      expect(rowDenial(s, caller(department), ROWS, driving)).toBeNull();
    }
    // A grant for the attribute is not one for the row (tax holds Person.maritalStatus only).
    expect(decideField(s, caller('tax'), 'Person.maritalStatus').allowed).toBe(true);
    // Positive controls: the granted consumer, and the provider itself.
    expect(rowDenial(s, caller('mca'), ROWS, marriage)).toBeNull();
    expect(decideField(s, caller('mca'), MARRIAGE)).toMatchObject({ allowed: true, grantId: `mca-${MARRIAGE}` });
    expect(rowDenial(s, caller('gsa', 'DATA_VERIFICATION'), ROWS, marriage)).toBeNull();
    // A grant for one purpose is no grant for another.
    expect(rowDenial(s, caller('mca', 'DATA_VERIFICATION'), ROWS, marriage)?.reason).toBe('PURPOSE_NOT_ALLOWED');
  });

  it('is never less restricted than the attribute the row reveals', () => {
    // Declared for ADMINISTRATIVE_BASIS and WORK_REFERENCE; marital status allows ADMINISTRATIVE_BASIS only.
    expect(snapshot().fields.get(MARRIAGE)!.purposes).toEqual(['ADMINISTRATIVE_BASIS']);
    const override = (coordinate: string, sharingClass: PolicyOverride['sharingClass'], purposes: string[] = [], basis: string | null = 'basis'): PolicyOverride =>
      ({ coordinate, sharingClass, purposes, basis, caseIdRequired: coordinate === 'Person.maritalStatus', condition: null });
    // An administrator opening the row up does not open it beyond the attribute…
    const opened = snapshot([override(MARRIAGE, 'UNCONDITIONAL', [], null)], []).fields.get(MARRIAGE)!;
    expect(opened).toMatchObject({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: 'PIPL art. 28', caseIdRequired: false, origin: 'OVERRIDE' });
    // A case number the attribute asks for, the row asks for too.
    expect(snapshot([override('Person.maritalStatus', 'CONDITIONAL', ['ADMINISTRATIVE_BASIS'])]).fields.get(MARRIAGE)!.caseIdRequired).toBe(true);
    // …and closing the attribute closes the row with it.
    const closed = snapshot([override('Person.maritalStatus', 'NOT_SHARED')], [grant('mca', MARRIAGE)]);
    expect(closed.fields.get(MARRIAGE)).toMatchObject({ sharingClass: 'NOT_SHARED', purposes: [] });
    expect(rowDenial(closed, caller('mca'), ROWS, marriage)?.reason).toBe('NOT_SHARED');
    // Purposes neither side shares: nobody but the provider reads the row.
    expect(snapshot([override('Person.maritalStatus', 'CONDITIONAL', ['DATA_VERIFICATION']), override(MARRIAGE, 'CONDITIONAL', ['WORK_REFERENCE'])]).fields.get(MARRIAGE)!.sharingClass).toBe('NOT_SHARED');
  });

  it('takes an administrator\'s override like a field, and refuses what a row class cannot be', () => {
    const context = { fields: fieldsUnderPolicy([population, licences]), purposes: PURPOSES, rowAttributes: ['Person.householdDivision'] };
    const base = { coordinate: MARRIAGE, sharingClass: 'NOT_SHARED' as const, purposes: [], basis: 'PIPL art. 28', caseIdRequired: false, condition: null };
    expect(validateOverride(base, context)).toEqual([]);
    expect(validateOverride({ ...base, basis: null }, context)).toEqual([expect.stringMatching(/need a legal basis \(R1\)/)]);
    expect(validateOverride({ ...base, coordinate: 'Licence[kind=DRIVING_LICENCE]' }, context)).toEqual([expect.stringMatching(/not a row class of the supergraph; row classes of Licence: Licence\[kind=MARRIAGE_CERTIFICATE\]/)]);
    expect(validateOverride({ ...base, condition: { kind: 'CONSUMER_JURISDICTION', attribute: 'Person.householdDivision' } }, context)).toEqual([expect.stringMatching(/takes no row condition/)]);
    const withOverride = snapshot([base], [grant('mca', MARRIAGE)]);
    expect(rowDenial(withOverride, caller('mca'), ROWS, marriage)?.reason).toBe('NOT_SHARED');
  });

  it('memoizes per request, by coordinate', () => {
    const s = snapshot();
    const decisions = new Map();
    // A row class the snapshot lacks (an older or sliced one) denies its rows, even to the provider.
    const unknown = [{ coordinate: 'Licence[kind=DRIVING_LICENCE]', field: 'kind', value: 'DRIVING_LICENCE' }];
    expect(rowDenial(s, caller('gsa'), unknown, driving)?.reason).toBe('UNCLASSIFIED');
    rowDenial(s, caller('tax'), ROWS, marriage, decisions);
    rowDenial(s, caller('tax'), ROWS, driving, decisions);
    expect([...decisions.keys()]).toEqual([MARRIAGE]);
  });
});

describe('decideField: every branch', () => {
  const NOW = Date.parse('2026-03-01T00:00:00Z');
  const policy = (coordinate: string, sharingClass: FieldPolicy['sharingClass'], extra: Partial<FieldPolicy> = {}): FieldPolicy => ({
    coordinate, sharingClass, purposes: [], basis: sharingClass === 'UNCONDITIONAL' ? null : 'PIPL art. 28', caseIdRequired: false,
    condition: null, provider: 'psb', subgraph: 'population', origin: 'SDL', ...extra,
  });
  const inJurisdiction = { kind: 'CONSUMER_JURISDICTION', attribute: 'Person.householdDivision' } as const;
  const window = (consumer: string, coordinate: string, validFrom: string, validUntil: string | null, extra: Partial<Grant> = {}): Grant => ({
    id: `${consumer}:${coordinate}:${validFrom}`, consumer, coordinate, purpose: 'ADMINISTRATIVE_BASIS', validFrom, validUntil, revokedAt: null, ...extra,
  });
  const s = new PolicySnapshot({
    version: 7,
    fields: [
      policy('Person.name', 'UNCONDITIONAL'),
      policy('Person.registeredName', 'UNCONDITIONAL', { condition: inJurisdiction }),
      policy('Person.biometricTemplate', 'NOT_SHARED'),
      policy('Person.criminalRecord', 'UNCONDITIONAL', { purposes: ['JUDICIAL'], caseIdRequired: true }),
      policy('Person.householdAddress', 'CONDITIONAL', { purposes: ['ADMINISTRATIVE_BASIS'], condition: inJurisdiction }),
      policy('Person.disability', 'CONDITIONAL', { caseIdRequired: true }),
      policy('Person.ethnicity', 'CONDITIONAL', { basis: null, origin: 'UNCLASSIFIED' }),
    ],
    grants: [
      window('mca', 'Person.householdAddress', '2026-01-01T00:00:00Z', '2026-12-31T00:00:00Z'),
      window('tax', 'Person.householdAddress', '2025-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), // expired
      window('hrss', 'Person.householdAddress', '2026-04-01T00:00:00Z', null), // not yet valid
      window('samr', 'Person.householdAddress', '2026-01-01T00:00:00Z', null, { revokedAt: '2026-02-15T00:00:00Z' }),
      window('mca', 'Person.biometricTemplate', '2026-01-01T00:00:00Z', null), // a grant never opens NOT_SHARED
      window('mca', 'Person.disability', '2026-01-01T00:00:00Z', null),
      window('mca', 'Person.ethnicity', '2026-01-01T00:00:00Z', null, { purpose: 'WORK_REFERENCE' }),
    ],
    departments: [{ code: 'mca', jurisdiction: '440106' }, { code: 'tax', jurisdiction: null }],
    purposes: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE', 'JUDICIAL'],
  });
  const who = (department: string, purpose = 'ADMINISTRATIVE_BASIS', caseId: string | null = null): Caller => ({ department, app: `${department}-app`, purpose, caseId });
  const decide = (caller: Caller, coordinate: string) => decideField(s, caller, coordinate, NOW);
  const reasonOf = (caller: Caller, coordinate: string) => {
    const decision = decide(caller, coordinate);
    return decision.allowed ? 'ALLOWED' : decision.denial.reason;
  };

  it('lets the provider read its own fields, whatever the class, purpose, case or grant', () => {
    for (const coordinate of ['Person.biometricTemplate', 'Person.householdAddress', 'Person.criminalRecord', 'Person.disability', 'Person.ethnicity']) {
      expect(decide(who('psb', 'WORK_REFERENCE'), coordinate), coordinate).toEqual({ allowed: true, grantId: null, rowCondition: null });
    }
  });

  it('refuses a NOT_SHARED field to every other department, a grant for it notwithstanding', () => {
    const decision = decide(who('mca'), 'Person.biometricTemplate');
    expect(decision).toEqual({
      allowed: false,
      denial: {
        coordinate: 'Person.biometricTemplate', sharingClass: 'NOT_SHARED', reason: 'NOT_SHARED', basis: 'PIPL art. 28', provider: 'psb',
        howToApply: null, unclassified: false, message: 'Person.biometricTemplate is not shared with other departments',
      },
    });
  });

  it('allows an UNCONDITIONAL field for any purpose, or only for its purposes and with a case number when it asks for them', () => {
    expect(decide(who('tax', 'WORK_REFERENCE'), 'Person.name')).toEqual({ allowed: true, grantId: null, rowCondition: null });
    const wrongPurpose = decide(who('tax', 'ADMINISTRATIVE_BASIS', 'case-1'), 'Person.criminalRecord');
    expect(wrongPurpose).toMatchObject({ allowed: false, denial: { reason: 'PURPOSE_NOT_ALLOWED', sharingClass: 'UNCONDITIONAL', howToApply: null } });
    expect(!wrongPurpose.allowed && wrongPurpose.denial.message).toBe('Person.criminalRecord may be read only for JUDICIAL; the declared purpose is ADMINISTRATIVE_BASIS');
    const noCase = decide(who('tax', 'JUDICIAL'), 'Person.criminalRecord');
    expect(noCase).toMatchObject({ allowed: false, denial: { reason: 'CASE_ID_REQUIRED', message: expect.stringMatching(/X-Case-Id/) } });
    expect(decide(who('tax', 'JUDICIAL', 'case-1'), 'Person.criminalRecord')).toEqual({ allowed: true, grantId: null, rowCondition: null });
  });

  it('allows a CONDITIONAL field only with a grant in force for that purpose, naming the grant', () => {
    expect(decide(who('mca'), 'Person.householdAddress')).toEqual({ allowed: true, grantId: 'mca:Person.householdAddress:2026-01-01T00:00:00Z', rowCondition: inJurisdiction });
    const none = decide(who('gsa'), 'Person.householdAddress');
    expect(none).toMatchObject({ allowed: false, denial: { reason: 'NO_GRANT', sharingClass: 'CONDITIONAL', unclassified: false } });
    expect(!none.allowed && none.denial.message).toBe('Person.householdAddress is conditional and your department (gsa) holds no grant for it for purpose ADMINISTRATIVE_BASIS');
    expect(!none.allowed && none.denial.howToApply).toBe(
      'apply through the platform for Person.householdAddress for one of ADMINISTRATIVE_BASIS (admin API: applyForAccess; provider: psb; answered within the answer period the coordinating office sets, 10 working days by default, with the due date on the application — R5)',
    );
    // Expired, not yet valid, revoked: as good as none.
    expect(reasonOf(who('tax'), 'Person.householdAddress')).toBe('NO_GRANT');
    expect(reasonOf(who('hrss'), 'Person.householdAddress')).toBe('NO_GRANT');
    expect(reasonOf(who('samr'), 'Person.householdAddress')).toBe('NO_GRANT');
    // The window's edges: valid from its first instant, no longer at its last.
    expect(decideField(s, who('hrss'), 'Person.householdAddress', Date.parse('2026-04-01T00:00:00Z')).allowed).toBe(true);
    expect(decideField(s, who('mca'), 'Person.householdAddress', Date.parse('2026-12-31T00:00:00Z')).allowed).toBe(false);
    expect(decideField(s, who('samr'), 'Person.householdAddress', Date.parse('2026-02-14T00:00:00Z')).allowed).toBe(false); // revoked is revoked, whenever
    // The purpose is checked before the grant.
    expect(reasonOf(who('mca', 'WORK_REFERENCE'), 'Person.householdAddress')).toBe('PURPOSE_NOT_ALLOWED');
  });

  it('asks a granted CONDITIONAL field for its case number after the grant', () => {
    expect(reasonOf(who('gsa'), 'Person.disability')).toBe('NO_GRANT');
    expect(reasonOf(who('mca'), 'Person.disability')).toBe('CASE_ID_REQUIRED');
    expect(decide(who('mca', 'ADMINISTRATIVE_BASIS', '民〔2026〕17号'), 'Person.disability')).toMatchObject({ allowed: true, grantId: expect.stringContaining('Person.disability') });
    // Any purpose (the policy lists none), but the grant is per purpose.
    expect(reasonOf(who('mca', 'WORK_REFERENCE', 'c'), 'Person.disability')).toBe('NO_GRANT');
  });

  it('treats an UNCLASSIFIED field as conditional and says so', () => {
    const decision = decide(who('tax'), 'Person.ethnicity');
    expect(decision).toMatchObject({ allowed: false, denial: { reason: 'UNCLASSIFIED', sharingClass: 'CONDITIONAL', unclassified: true, basis: null } });
    expect(!decision.allowed && decision.denial.message).toMatch(/has not been classified by its provider \(psb\)/);
    expect(decide(who('mca', 'WORK_REFERENCE'), 'Person.ethnicity')).toMatchObject({ allowed: true, grantId: expect.any(String) });
  });

  it('fails closed on a coordinate the snapshot does not know, even for the department that might provide it', () => {
    for (const department of ['psb', 'mca']) {
      expect(decide(who(department), 'Person.shoeSize')).toEqual({
        allowed: false,
        denial: {
          coordinate: 'Person.shoeSize', sharingClass: 'CONDITIONAL', reason: 'UNCLASSIFIED', basis: null, provider: 'unknown', howToApply: null, unclassified: true,
          message: 'Person.shoeSize is not in policy version 7; it cannot be read until its provider\'s schema is published and classified',
        },
      });
    }
  });

  it('returns the row condition with an allowed decision, for the subgraph to apply per row', () => {
    expect(decide(who('tax'), 'Person.registeredName')).toEqual({ allowed: true, grantId: null, rowCondition: inJurisdiction });
    expect(decide(who('tax'), 'Person.name')).toEqual({ allowed: true, grantId: null, rowCondition: null });
    // The provider is not held to a row condition.
    expect(decide(who('psb'), 'Person.registeredName')).toEqual({ allowed: true, grantId: null, rowCondition: null });
  });

  it('places a division inside a jurisdiction by its code prefix (province, city, district)', () => {
    expect(withinJurisdiction('440000', '440106')).toBe(true);
    expect(withinJurisdiction('440000', '441900')).toBe(true);
    expect(withinJurisdiction('440000', '450100')).toBe(false);
    expect(withinJurisdiction('440100', '440106')).toBe(true);
    expect(withinJurisdiction('440100', '440300')).toBe(false);
    expect(withinJurisdiction('440106', '440106')).toBe(true);
    expect(withinJurisdiction('440106', '440106001')).toBe(true); // a township of the district
    expect(withinJurisdiction('440106', '440105')).toBe(false);
    expect(withinJurisdiction('441000', '441002')).toBe(true);
    expect(withinJurisdiction('441000', '440106')).toBe(false);
    // No jurisdiction: no limit; a row without a division: outside every limit (fail closed).
    expect(withinJurisdiction(null, '450100')).toBe(true);
    expect(withinJurisdiction('440000', null)).toBe(false);
    expect(withinJurisdiction('440000', '')).toBe(false);
  });

  it('words the out-of-jurisdiction denial with the consumer\'s jurisdiction', () => {
    expect(outOfJurisdiction(s, who('mca'), 'Person.householdAddress')).toMatchObject({
      coordinate: 'Person.householdAddress', reason: 'OUT_OF_JURISDICTION', sharingClass: 'CONDITIONAL', provider: 'psb',
      message: 'Person.householdAddress of this record is outside your department\'s jurisdiction (440106)',
    });
  });
});
