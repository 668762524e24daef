/**
 * The gateway's point alone, for row classes: the static check asks for each Licence's kind
 * under a private alias, and the restore step withholds what a misbehaving subgraph sent.
 */
import { describe, expect, it } from 'vitest';
import { buildSchema, parse, print } from 'graphql';
import { decideField } from './decide.ts';
import { denialError } from './denialError.ts';
import { fieldsUnderPolicy } from './fieldsUnderPolicy.ts';
import type { Caller, Grant, PolicyOverride } from './model.ts';
import { PolicySnapshot, effectiveFieldPolicies } from './snapshot.ts';
import { checkOperation, restoreDeniedFields } from './staticCheck.ts';

const MARRIAGE = 'Licence[kind=MARRIAGE_CERTIFICATE]';

const SDL = `
  type Query { person(idNumber: ID!): Person licence(licenceNo: ID!): Licence licences(licenceNos: [ID!]!): [Licence]! }
  type Person @key(fields: "idNumber") { idNumber: ID! name: String @sharing(class: "UNCONDITIONAL") licences: [Licence!] @sharing(class: "UNCONDITIONAL") }
  union Party = Person
  type Licence @key(fields: "licenceNo") {
    licenceNo: ID!
    kind: LicenceKind @sharing(class: "UNCONDITIONAL")
      @rowClass(value: "MARRIAGE_CERTIFICATE", class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "PIPL art. 28")
    name: String @sharing(class: "UNCONDITIONAL")
    holder: Party @sharing(class: "UNCONDITIONAL")
  }
  enum LicenceKind { MARRIAGE_CERTIFICATE DRIVING_LICENCE }
`;
const schema = buildSchema(SDL.replace(/@\w+\((?:[^()]|\([^()]*\))*\)/g, ''));
const fields = fieldsUnderPolicy([{ name: 'licences', department: 'gsa', typeDefs: parse(SDL) }]);

const grants: Grant[] = [{ id: 'g1', consumer: 'mca', coordinate: MARRIAGE, purpose: 'ADMINISTRATIVE_BASIS', validFrom: new Date(0).toISOString(), validUntil: null, revokedAt: null }];
const snapshotWith = (overrides: PolicyOverride[] = []) =>
  new PolicySnapshot({ version: 1, fields: effectiveFieldPolicies(fields, overrides), grants, departments: [], purposes: ['ADMINISTRATIVE_BASIS'] });
const caller = (department: string): Caller => ({ department, app: 'app', purpose: 'ADMINISTRATIVE_BASIS', caseId: null });

function check(source: string, department: string, snapshot = snapshotWith()) {
  const document = parse(source);
  const result = checkOperation(schema, document, (c) => decideField(snapshot, caller(department), c), (t) => snapshot.rowClassesOf(t));
  const restore = (data: Record<string, unknown>) =>
    restoreDeniedFields(schema, document, undefined, undefined, data, result.denied, (d, path, node) => denialError(d, path, node), result.rowGuards);
  return { document, result, restore };
}

const QUERY = `
  query {
    person(idNumber: "1") { name licences { ...L } }
    licence(licenceNo: "M1") { ... on Licence { name } }
    licences(licenceNos: ["M1", "D1"]) { licenceNo }
  }
  fragment L on Licence { licenceNo name }
`;

/** What a subgraph that ignored the row class would send for the rewritten operation. */
const leaky = {
  person: {
    name: '张三',
    licences: [
      { licenceNo: 'M1', name: '结婚证', __gg_row_kind: 'MARRIAGE_CERTIFICATE' },
      { licenceNo: 'D1', name: '机动车驾驶证', __gg_row_kind: 'DRIVING_LICENCE' },
    ],
  },
  licence: { name: '结婚证', __gg_row_kind: 'MARRIAGE_CERTIFICATE' },
  licences: [{ licenceNo: 'M1', __gg_row_kind: 'MARRIAGE_CERTIFICATE' }, { licenceNo: 'D1', __gg_row_kind: 'DRIVING_LICENCE' }],
};

describe('static check: row classes at the gateway', () => {
  it('asks for the kind of every Licence selection under a private alias, fragments included, without expanding them', () => {
    const { document, result } = check(QUERY, 'tax');
    const printed = print(result.document);
    // Every selection set on Licence: person.licences, fragment L, licence and its inline fragment, licences.
    expect(printed.match(/__gg_row_kind: kind/g)).toHaveLength(5);
    expect(print(document)).not.toContain('__gg_row_kind');
    expect(result.denied.size).toBe(0);
    expect([...result.rowGuards.keys()]).toEqual(['Licence']);
  });

  it('leaves the operation alone for a caller entitled to every row class, and for one that selects no Licence', () => {
    const mca = check(QUERY, 'mca');
    expect(mca.result.document).toBe(mca.document);
    expect(mca.result.rowGuards.size).toBe(0);
    const noLicence = check('{ person(idNumber: "1") { name } }', 'tax');
    expect(noLicence.result.document).toBe(noLicence.document);
  });

  it('withholds rows a misbehaving subgraph sent: left out of a link\'s list, null with one error where asked by number', () => {
    const { data, errors, deniedCoordinates } = check(QUERY, 'tax').restore(structuredClone(leaky));
    expect(data).toEqual({
      person: { name: '张三', licences: [{ licenceNo: 'D1', name: '机动车驾驶证' }] },
      licence: null,
      licences: [null, { licenceNo: 'D1' }],
    });
    expect(JSON.stringify(data)).not.toContain('__gg_row_');
    expect(errors.map((e) => ({ path: e.path, ...e.extensions }))).toEqual([
      expect.objectContaining({ path: ['licence'], code: 'FORBIDDEN', coordinate: MARRIAGE, reason: 'NO_GRANT' }),
      expect.objectContaining({ path: ['licences', 0], code: 'FORBIDDEN', coordinate: MARRIAGE }),
    ]);
    expect(deniedCoordinates).toEqual([MARRIAGE]);
  });

  it('checks rows behind a union too, and leaves no private alias in the answer', () => {
    const { result, restore } = check('{ licence(licenceNo: "D1") { holder { ... on Person { licences { licenceNo } } } } }', 'tax');
    expect(print(result.document)).toContain('__gg_t: __typename');
    const { data } = restore({
      licence: {
        __gg_row_kind: 'DRIVING_LICENCE',
        holder: { __gg_t: 'Person', licences: [{ licenceNo: 'M1', __gg_row_kind: 'MARRIAGE_CERTIFICATE' }, { licenceNo: 'D1', __gg_row_kind: 'DRIVING_LICENCE' }] },
      },
    });
    expect(data).toEqual({ licence: { holder: { licences: [{ licenceNo: 'D1' }] } } });
  });

  it('withholds a row whose kind did not come back (fail closed)', () => {
    const { restore } = check('{ licences(licenceNos: ["X"]) { licenceNo } }', 'tax');
    expect(restore({ licences: [{ licenceNo: 'X' }] }).data).toEqual({ licences: [null] });
  });

  it('withholds every Licence when the caller may not read the kind itself: rows cannot be told apart', () => {
    const hidden = snapshotWith([{ coordinate: 'Licence.kind', sharingClass: 'NOT_SHARED', purposes: [], basis: 'b', caseIdRequired: false, condition: null }]);
    const { result, restore } = check('{ person(idNumber: "1") { licences { licenceNo } } licence(licenceNo: "D1") { name } }', 'tax', hidden);
    expect(print(result.document)).not.toContain('__gg_row_kind');
    const { data, errors } = restore({ person: { licences: [{ licenceNo: 'D1' }] }, licence: { name: '机动车驾驶证' } });
    expect(data).toEqual({ person: { licences: [] }, licence: null });
    expect(errors.map((e) => e.extensions.coordinate)).toEqual(['Licence.kind']);
  });
});
