/**
 * The ownership rule (R8) as a property: whatever random departments register, in whatever
 * order, with hostile directives among legitimate ones, no registration the check accepts
 * changes the provider or the effective class of a field that existed before it.
 */
import fc from 'fast-check';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { COMMON_SDL } from '../../schema/federation.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { fieldsUnderPolicy } from '../../policies/fieldsUnderPolicy.ts';
import { effectiveFieldPolicies } from '../../policies/snapshot.ts';
import { checkOwnership, claimInOrder, type Owner, type RegisteredSdl } from './ownership.ts';

const platform: RegisteredSdl[] = SUBGRAPHS.map((s) => ({ name: s.name, department: s.department, typeDefs: parse(print(s.typeDefs)) }));

function policies(registered: readonly RegisteredSdl[], owners: ReadonlyMap<string, Owner>) {
  return new Map(effectiveFieldPolicies(fieldsUnderPolicy(registered, owners), []).map((p) => [p.coordinate, p]));
}

/** Field lines a department might put in its subgraph: its own fields, and attacks on psb's and samr's. */
const PERSON_LINES = [
  'own{n}: String @sharing(class: "UNCONDITIONAL")',
  'householdAddress: String @override(from: "population") @sharing(class: "UNCONDITIONAL")',
  'maritalStatus: String @override(from: "population", label: "percent(50)") @sharing(class: "UNCONDITIONAL")',
  'biometricTemplate: String @shareable @sharing(class: "UNCONDITIONAL")',
  'name: String',
  'name: String @external',
  'ethnicity: String @external @sharing(class: "NOT_SHARED", basis: "x")',
  'gender: String @inaccessible',
];
const ENTITY_LINES = [
  'own{n}: String @sharing(class: "UNCONDITIONAL")',
  'shareholders: [String] @override(from: "legal-person")',
  'name: String @shareable',
];
const QUERY_LINES = [
  'own{n}(id: ID!): Person @sharing(class: "UNCONDITIONAL")',
  'person(idNumber: ID!): Person @override(from: "population")',
  'legalEntity(creditCode: ID!): LegalEntity @shareable',
  'own{n}P(id: ID!): Person @provides(fields: "householdAddress") @sharing(class: "UNCONDITIONAL")',
];

const registration = fc.record({
  department: fc.constantFrom('hrss', 'tax', 'mca', 'psb', 'samr', 'nr'),
  slot: fc.integer({ min: 1, max: 3 }),
  person: fc.subarray(PERSON_LINES),
  entity: fc.subarray(ENTITY_LINES),
  query: fc.subarray(QUERY_LINES),
  personKey: fc.constantFrom('idNumber', 'idNumber', 'name'),
  interfaceObject: fc.boolean(),
});

describe('ownership (R8) as a property', () => {
  it('the platform\'s own subgraphs claim their types and fields without a problem, stubs never owning another\'s entity', () => {
    const { owners, steps } = claimInOrder(platform, new Map());
    expect(steps.flatMap((s) => s.problems)).toEqual([]);
    expect(owners.get('Person')?.department).toBe('psb');
    expect(owners.get('Person.idNumber')?.department).toBe('psb');
    expect(owners.get('Person.licences')?.department).toBe('gsa');
    expect(owners.get('LegalEntity.credit')?.department).toBe('ndrc');
    expect(owners.get('Query.person')?.department).toBe('psb');
    // Whatever order they come in, every field has the same owner (a value type both declare
    // identically, like the union Party, goes to the first; it carries no data of its own).
    const reversed = claimInOrder([...platform].reverse(), new Map()).owners;
    for (const [element, owner] of owners) if (element.includes('.')) expect(reversed.get(element)?.department, element).toBe(owner.department);
    for (const entity of ['Person', 'LegalEntity', 'Parcel', 'Licence', 'AdministrativeDivision']) expect(reversed.get(entity)?.department, entity).toBe(owners.get(entity)?.department);
  });

  it('random registrations by random departments never change the provider or class of an existing field', () => {
    const base = claimInOrder(platform, new Map()).owners;
    const before = policies(platform, base);
    fc.assert(fc.property(fc.array(registration, { minLength: 1, maxLength: 6 }), (attempts) => {
      let registered = [...platform];
      const owners = new Map(base);
      attempts.forEach((a, i) => {
        const name = `${a.department}-extra-${a.slot}`;
        // The registry's own authorization: a name belongs to one department.
        if (registered.some((r) => r.name === name && r.department !== a.department)) return;
        const lines = (list: readonly string[]) => list.map((l) => l.replaceAll('{n}', `${a.department}${i}`)).join('\n  ');
        const sdl = `${COMMON_SDL}
type Query {
  ${lines(a.query) || `own${a.department}${i}Root: String @sharing(class: "UNCONDITIONAL")`}
}
type Person @key(fields: "${a.personKey}")${a.interfaceObject ? ' @tag(name: "x")' : ''} {
  ${a.personKey}: ID!
  ${lines(a.person)}
}
type LegalEntity @key(fields: "creditCode") {
  creditCode: ID!
  ${lines(a.entity)}
}`;
        let typeDefs;
        try {
          typeDefs = parse(sdl);
        } catch {
          return;
        }
        const report = checkOwnership(typeDefs, {
          department: a.department, subgraph: name, owners, registered: registered.filter((r) => r.name !== name), mayRead: () => false,
        });
        if (report.problems.length) return;
        registered = [...registered.filter((r) => r.name !== name), { name, department: a.department, typeDefs }];
        for (const claim of report.claims) owners.set(claim.element, { department: a.department, subgraph: name });
      });
      const after = policies(registered, owners);
      for (const [coordinate, policy] of before) {
        const now = after.get(coordinate);
        expect(now?.provider, coordinate).toBe(policy.provider);
        expect(now?.sharingClass, coordinate).toBe(policy.sharingClass);
        expect(now?.subgraph, coordinate).toBe(policy.subgraph);
      }
    }), { numRuns: 300 });
  });

  it('positive control: a department\'s own extension is accepted and claimed', () => {
    const owners = claimInOrder(platform, new Map()).owners;
    const report = checkOwnership(parse(`${COMMON_SDL}
type Person @key(fields: "idNumber") { idNumber: ID! hrssNote: String @sharing(class: "UNCONDITIONAL") }`), {
      department: 'hrss', subgraph: 'hrss-x', owners, registered: platform, mayRead: () => false,
    });
    expect(report.problems).toEqual([]);
    expect(report.claims).toEqual([{ element: 'Person.hrssNote', kind: 'FIELD' }]);
  });

  it('without the owners record, registration order decides the provider (what the record prevents)', () => {
    const hostile: RegisteredSdl = { name: 'hrss-x', department: 'hrss', typeDefs: parse(`${COMMON_SDL}
type Person @key(fields: "idNumber") { idNumber: ID! biometricTemplate: String @override(from: "population") @sharing(class: "UNCONDITIONAL") }`) };
    const owners = claimInOrder(platform, new Map()).owners;
    const withoutRecord = policies([hostile, ...platform], new Map());
    expect(withoutRecord.get('Person.biometricTemplate')?.provider).toBe('hrss');
    const withRecord = policies([hostile, ...platform], owners);
    expect(withRecord.get('Person.biometricTemplate')).toMatchObject({ provider: 'psb', sharingClass: 'NOT_SHARED', subgraph: 'population' });
  });
});
