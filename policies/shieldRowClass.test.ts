/**
 * The shield's net under a subgraph's resolvers: a row of a class the caller may not see
 * gives away no field, even when a resolver (here, a careless one) returns it.
 */
import { describe, expect, it } from 'vitest';
import { graphql, parse } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import { fieldsUnderPolicy } from './fieldsUnderPolicy.ts';
import type { Caller, Decision } from './model.ts';
import { sharingShield, type SharingRequestContext } from './shieldRules.ts';
import { PolicySnapshot, effectiveFieldPolicies } from './snapshot.ts';

const SDL = `
  directive @sharing(class: String!, purposes: [String!], basis: String, caseIdRequired: Boolean) on FIELD_DEFINITION
  directive @rowClass(value: String!, class: String!, purposes: [String!], basis: String, caseIdRequired: Boolean, reveals: String) repeatable on FIELD_DEFINITION
  type Query { carelessLicences: [Licence] }
  type Licence {
    licenceNo: ID @sharing(class: "UNCONDITIONAL")
    kind: LicenceKind @sharing(class: "UNCONDITIONAL")
      @rowClass(value: "MARRIAGE_CERTIFICATE", class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "PIPL art. 28")
  }
  enum LicenceKind { MARRIAGE_CERTIFICATE DRIVING_LICENCE }
`;

const base = makeExecutableSchema({
  typeDefs: SDL,
  // Ignores the row class: the shield must not.
  resolvers: { Query: { carelessLicences: () => [{ licenceNo: 'M1', kind: 'MARRIAGE_CERTIFICATE' }, { licenceNo: 'D1', kind: 'DRIVING_LICENCE' }] } },
});
const schema = applyMiddleware(base, sharingShield(base));
const snapshot = new PolicySnapshot({
  version: 1,
  fields: effectiveFieldPolicies(fieldsUnderPolicy([{ name: 'licences', department: 'gsa', typeDefs: parse(SDL) }]), []),
  grants: [],
  departments: [],
  purposes: ['ADMINISTRATIVE_BASIS'],
});

async function run(department: string) {
  const caller: Caller = { department, app: 'app', purpose: 'ADMINISTRATIVE_BASIS', caseId: null };
  const contextValue: SharingRequestContext = { sharing: { scope: 'data', caller, snapshot, decisions: new Map<string, Decision>() } };
  return graphql({ schema, source: '{ carelessLicences { licenceNo kind } }', contextValue });
}

describe('shield: row classes', () => {
  it('refuses every field of a withheld row, and none of the others', async () => {
    const { data, errors } = await run('tax');
    expect(data).toEqual({ carelessLicences: [{ licenceNo: null, kind: null }, { licenceNo: 'D1', kind: 'DRIVING_LICENCE' }] });
    expect(errors?.map((e) => [e.path, e.extensions.coordinate])).toEqual([
      [['carelessLicences', 0, 'licenceNo'], 'Licence[kind=MARRIAGE_CERTIFICATE]'],
      [['carelessLicences', 0, 'kind'], 'Licence[kind=MARRIAGE_CERTIFICATE]'],
    ]);
  });

  it('lets the provider read its own rows (positive control)', async () => {
    const { data, errors } = await run('gsa');
    expect(errors).toBeUndefined();
    expect(data?.carelessLicences).toHaveLength(2);
  });
});
