import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { decideField, rowDenial } from './decide.ts';
import { catalogueFields, SharingDirectiveError } from './fieldCatalog.ts';
import { parseRowCoordinate, type Caller, type Grant, type PolicyOverride } from './model.ts';
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
    fields: effectiveFieldPolicies(catalogueFields([population, licences]), overrides),
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
    const kind = catalogueFields([licences]).find((f) => f.coordinate === 'Licence.kind')!;
    expect(kind.sharing?.sharingClass).toBe('UNCONDITIONAL');
    expect(kind.rowClasses).toEqual([{
      coordinate: MARRIAGE, value: 'MARRIAGE_CERTIFICATE', reveals: 'Person.maritalStatus',
      sharing: { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE'], basis: 'PIPL art. 28', caseIdRequired: false },
    }]);
    // The list of fields stays a list of fields: the catalogue places each.
    expect(catalogueFields([licences]).map((f) => f.coordinate)).not.toContain(MARRIAGE);
  });

  it('refuses a value the field cannot have, and a restricted class without a legal basis (R1)', () => {
    const bad = (directive: string) => ({ ...licences, typeDefs: parse(`type Licence { kind: LicenceKind ${directive} } enum LicenceKind { MARRIAGE_CERTIFICATE }`) });
    expect(() => catalogueFields([bad('@rowClass(value: "DIVORCE", class: "CONDITIONAL", basis: "x")')])).toThrow(/value must be one of MARRIAGE_CERTIFICATE, received "DIVORCE"/);
    expect(() => catalogueFields([bad('@rowClass(value: "MARRIAGE_CERTIFICATE", class: "CONDITIONAL")')])).toThrow(SharingDirectiveError);
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
    const context = { fields: catalogueFields([population, licences]), purposes: PURPOSES, rowAttributes: ['Person.householdDivision'] };
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
