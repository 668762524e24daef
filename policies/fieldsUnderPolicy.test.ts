import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { fieldsUnderPolicy, SharingDirectiveError } from './fieldsUnderPolicy.ts';

const population = {
  name: 'population',
  department: 'psb',
  typeDefs: parse(`
    type Query { person(idNumber: ID!): Person }
    type Person @key(fields: "idNumber") @catalogue(code: "PSB-POP-001") {
      idNumber: ID!
      name: String @sharing(class: UNCONDITIONAL)
      householdAddress: String @sharing(class: CONDITIONAL, purposes: ["ADMINISTRATIVE_BASIS"], caseIdRequired: true)
    }
    # A subgraph that prints its whole schema also prints federation's own types.
    type _Service { sdl: String }
  `),
};
const licences = {
  name: 'licences',
  department: 'gsa',
  typeDefs: parse(`
    type Person @key(fields: "idNumber") {
      idNumber: ID!
      name: String @external
      licences: [String] @sharing(class: UNCONDITIONAL)
    }
  `),
};

describe('fieldsUnderPolicy: who provides which field', () => {
  it('names each field once, with its provider and @sharing default', () => {
    const fields = fieldsUnderPolicy([licences, population]);
    const byCoordinate = Object.fromEntries(fields.map((f) => [f.coordinate, f]));
    expect(Object.keys(byCoordinate).sort()).toEqual(['Person.householdAddress', 'Person.idNumber', 'Person.licences', 'Person.name']);
    // The key belongs to the subgraph that owns the type (its @catalogue entry), whatever the order.
    expect(byCoordinate['Person.idNumber']).toMatchObject({ department: 'psb', isKey: true });
    // An @external field is the owner's, not the extender's.
    expect(byCoordinate['Person.name']).toMatchObject({ department: 'psb', sharing: { sharingClass: 'UNCONDITIONAL' } });
    expect(byCoordinate['Person.licences']).toMatchObject({ department: 'gsa', subgraph: 'licences' });
    expect(byCoordinate['Person.householdAddress']!.sharing).toEqual({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: null, caseIdRequired: true });
  });

  it('reads @key as the registry\'s ownership check does: through the @link that renames it', () => {
    const renamed = { ...licences, typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [{ name: "@key", as: "@k" }, "@external"])
      type Person @k(fields: "idNumber") { idNumber: ID! licences: [String] @sharing(class: UNCONDITIONAL) }
    `) };
    const byCoordinate = Object.fromEntries(fieldsUnderPolicy([renamed]).map((f) => [f.coordinate, f]));
    expect(byCoordinate['Person.idNumber']).toMatchObject({ isKey: true });
    expect(byCoordinate['Person.licences']).toMatchObject({ isKey: false, department: 'gsa' });
  });

  it('leaves out root and federation types', () => {
    const coordinates = fieldsUnderPolicy([population]).map((f) => f.coordinate);
    expect(coordinates.some((c) => c.startsWith('Query.') || c.startsWith('_'))).toBe(false);
  });

  it('refuses a @sharing class that does not exist', () => {
    const bad = { ...population, typeDefs: parse('type Person { name: String @sharing(class: PUBLIC) }') };
    expect(() => fieldsUnderPolicy([bad])).toThrow(SharingDirectiveError);
    expect(() => fieldsUnderPolicy([bad])).toThrow(/Person\.name: class must be one of UNCONDITIONAL, CONDITIONAL, NOT_SHARED, received "PUBLIC"/);
  });
});
