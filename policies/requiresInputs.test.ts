import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { fieldsUnderPolicy } from './fieldsUnderPolicy.ts';
import type { Grant } from './model.ts';
import { decideRequiresInput, mayRequire } from './requiresInputs.ts';
import { PolicySnapshot, effectiveFieldPolicies } from './snapshot.ts';

const population = {
  name: 'population',
  department: 'psb',
  typeDefs: parse(`
    type Person @key(fields: "idNumber") @catalogue(code: "PSB-POP-001") {
      idNumber: ID!
      name: String @sharing(class: "UNCONDITIONAL")
      maritalStatus: String @sharing(class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "PIPL art. 28")
      religion: String @sharing(class: "NOT_SHARED", basis: "PIPL art. 28")
    }
  `),
};

function snapshot(grants: Grant[] = []): PolicySnapshot {
  return new PolicySnapshot({
    version: 1, fields: effectiveFieldPolicies(fieldsUnderPolicy([population]), []), grants, departments: [], purposes: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE'],
  });
}
const grant: Grant = { id: 'g1', consumer: 'mca', coordinate: 'Person.maritalStatus', purpose: 'ADMINISTRATIVE_BASIS', validFrom: '2000-01-01T00:00:00Z', validUntil: null, revokedAt: null };
const reader = { department: 'mca', app: 'subgraph:social-assistance', purpose: 'ADMINISTRATIVE_BASIS', caseId: null };

describe('@requires inputs: what may be shipped to a subgraph (R8, R10)', () => {
  it('ships keys and what the department may read; refuses the rest, saying why', () => {
    expect(decideRequiresInput(snapshot(), reader, 'Person.idNumber')).toEqual({ allowed: true });
    expect(decideRequiresInput(snapshot(), reader, 'Person.name')).toEqual({ allowed: true });
    const ungranted = decideRequiresInput(snapshot(), reader, 'Person.maritalStatus');
    expect(ungranted).toMatchObject({ allowed: false, extensions: { reason: 'NO_GRANT', sharingClass: 'CONDITIONAL', provider: 'psb' } });
    expect(decideRequiresInput(snapshot([grant]), reader, 'Person.maritalStatus')).toEqual({ allowed: true });
    expect(decideRequiresInput(snapshot([grant]), reader, 'Person.religion')).toMatchObject({ allowed: false, extensions: { reason: 'NOT_SHARED' } });
    expect(decideRequiresInput(snapshot(), reader, 'Person.unknown')).toMatchObject({ allowed: false, extensions: { reason: 'UNCLASSIFIED' } });
  });

  it('lets a department declare @requires of what it may read for some purpose, as the gateway will ship it', () => {
    expect(mayRequire(snapshot(), 'mca', 'Person.maritalStatus')).toBe(false);
    expect(mayRequire(snapshot([grant]), 'mca', 'Person.maritalStatus')).toBe(true);
    expect(mayRequire(snapshot([grant]), 'mca', 'Person.religion')).toBe(false);
    expect(mayRequire(snapshot(), 'psb', 'Person.religion')).toBe(true);
  });
});
