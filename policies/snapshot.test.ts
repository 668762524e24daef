/**
 * The policy snapshot on its own: grants in force, departments' jurisdictions, and the
 * effective policy of each field (override, then SDL default, then key, then unclassified;
 * with an ownership record, the owner is the provider).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { fieldsUnderPolicy } from './fieldsUnderPolicy.ts';
import type { Grant, PolicyOverride } from './model.ts';
import { PolicySnapshot, effectiveFieldPolicies } from './snapshot.ts';

const T = (iso: string) => Date.parse(iso);
const grant = (id: string, extra: Partial<Grant> = {}): Grant => ({
  id, consumer: 'mca', coordinate: 'Person.householdAddress', purpose: 'ADMINISTRATIVE_BASIS',
  validFrom: '2026-01-01T00:00:00Z', validUntil: '2026-07-01T00:00:00Z', revokedAt: null, ...extra,
});

describe('snapshot: grants', () => {
  const s = new PolicySnapshot({
    version: 1,
    fields: [],
    grants: [
      grant('old', { validFrom: '2025-01-01T00:00:00Z', validUntil: '2026-01-01T00:00:00Z' }),
      grant('current'),
      grant('revoked', { validUntil: null, revokedAt: '2026-02-01T00:00:00Z' }),
      grant('work', { purpose: 'WORK_REFERENCE', validUntil: null }),
      grant('later', { validFrom: '2026-09-01T00:00:00Z', validUntil: null }),
      grant('tax', { consumer: 'tax', validUntil: null }),
      grant('other-field', { coordinate: 'Person.maritalStatus' }),
    ],
    departments: [{ code: 'mca', jurisdiction: '440106' }, { code: 'dgo', jurisdiction: null }],
    purposes: ['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE'],
  });
  const idOf = (consumer: string, purpose: string, now: string, coordinate = 'Person.householdAddress') => s.grantFor(consumer, coordinate, purpose, T(now))?.id ?? null;

  it('grantFor: the grant in force for that consumer, field and purpose, inside its window', () => {
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2025-06-01T00:00:00Z')).toBe('old');
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2026-01-01T00:00:00Z')).toBe('current'); // `old` ends where `current` begins
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2026-06-30T23:59:59Z')).toBe('current');
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2026-07-01T00:00:00Z')).toBeNull(); // validUntil is exclusive; `revoked` stays revoked
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2026-09-01T00:00:00Z')).toBe('later');
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2024-12-31T00:00:00Z')).toBeNull();
    // Keyed by purpose, consumer and field.
    expect(idOf('mca', 'WORK_REFERENCE', '2030-01-01T00:00:00Z')).toBe('work');
    expect(idOf('tax', 'ADMINISTRATIVE_BASIS', '2026-03-01T00:00:00Z')).toBe('tax');
    expect(idOf('tax', 'WORK_REFERENCE', '2026-03-01T00:00:00Z')).toBeNull();
    expect(idOf('hrss', 'ADMINISTRATIVE_BASIS', '2026-03-01T00:00:00Z')).toBeNull();
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2026-03-01T00:00:00Z', 'Person.maritalStatus')).toBe('other-field');
    expect(idOf('mca', 'ADMINISTRATIVE_BASIS', '2026-03-01T00:00:00Z', 'Person.name')).toBeNull();
  });

  it('grantsOf: a consumer\'s grants in force now, whatever the field or purpose', () => {
    const ids = (consumer: string, now: string) => s.grantsOf(consumer, T(now)).map((g) => g.id).sort();
    expect(ids('mca', '2026-03-01T00:00:00Z')).toEqual(['current', 'other-field', 'work']);
    expect(ids('mca', '2026-10-01T00:00:00Z')).toEqual(['later', 'work']);
    expect(ids('tax', '2026-03-01T00:00:00Z')).toEqual(['tax']);
    expect(ids('hrss', '2026-03-01T00:00:00Z')).toEqual([]);
  });

  it('department: its jurisdiction, none for the coordinating office, undefined for a stranger', () => {
    expect(s.department('mca')).toEqual({ code: 'mca', jurisdiction: '440106' });
    expect(s.department('dgo')?.jurisdiction).toBeNull();
    expect(s.department('nobody')).toBeUndefined();
    expect([...s.purposes]).toEqual(['ADMINISTRATIVE_BASIS', 'WORK_REFERENCE']);
  });
});

const POPULATION = {
  name: 'population',
  department: 'psb',
  typeDefs: parse(`
    type Query { person(idNumber: ID!): Person }
    type Person @key(fields: "idNumber") @catalogue(code: "PSB-POP-001") {
      idNumber: ID!
      name: String @sharing(class: "UNCONDITIONAL")
      householdAddress: String @sharing(class: "CONDITIONAL", purposes: ["ADMINISTRATIVE_BASIS"], basis: "PIPL art. 28", caseIdRequired: true)
      ethnicity: String
      passportNo: String @sharing(class: "NOT_SHARED", basis: "Passport Law art. 9")
    }
    type _Service { sdl: String }
  `),
};
/** Another department's subgraph, registered first, extending Person and redefining one of psb's fields. */
const SOCIAL = {
  name: 'social',
  department: 'hrss',
  typeDefs: parse(`
    type Person @key(fields: "idNumber") {
      idNumber: ID! @sharing(class: "NOT_SHARED", basis: "mine")
      name: String @sharing(class: "NOT_SHARED", basis: "mine")
      pension: String @sharing(class: "CONDITIONAL", basis: "Social Insurance Law art. 10")
      insuredSince: String @external
    }
  `),
};

describe('snapshot: effective field policies', () => {
  const by = (policies: ReturnType<typeof effectiveFieldPolicies>) => new Map(policies.map((p) => [p.coordinate, p]));

  it('takes the override over the SDL default, the SDL default over a key, a key as UNCONDITIONAL, the rest UNCLASSIFIED (conditional)', () => {
    const override: PolicyOverride = { coordinate: 'Person.householdAddress', sharingClass: 'NOT_SHARED', purposes: [], basis: 'decision 2026-3', caseIdRequired: false, condition: null };
    const p = by(effectiveFieldPolicies(fieldsUnderPolicy([POPULATION]), [override]));
    expect([...p.keys()].sort()).toEqual(['Person.ethnicity', 'Person.householdAddress', 'Person.idNumber', 'Person.name', 'Person.passportNo']);
    expect(p.get('Person.householdAddress')).toEqual({
      coordinate: 'Person.householdAddress', provider: 'psb', subgraph: 'population', origin: 'OVERRIDE',
      sharingClass: 'NOT_SHARED', purposes: [], basis: 'decision 2026-3', caseIdRequired: false, condition: null,
    });
    expect(p.get('Person.name')).toMatchObject({ origin: 'SDL', sharingClass: 'UNCONDITIONAL', basis: null, provider: 'psb' });
    expect(p.get('Person.passportNo')).toMatchObject({ origin: 'SDL', sharingClass: 'NOT_SHARED', basis: 'Passport Law art. 9' });
    expect(p.get('Person.idNumber')).toMatchObject({ origin: 'KEY', sharingClass: 'UNCONDITIONAL', purposes: [], caseIdRequired: false });
    expect(p.get('Person.ethnicity')).toMatchObject({ origin: 'UNCLASSIFIED', sharingClass: 'CONDITIONAL', purposes: [], basis: null });
    // Without the override, the SDL default with its purposes and case number.
    expect(by(effectiveFieldPolicies(fieldsUnderPolicy([POPULATION]), [])).get('Person.householdAddress')).toMatchObject({
      origin: 'SDL', sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: 'PIPL art. 28', caseIdRequired: true,
    });
    // An override of a key field wins too (validate refuses to set one; the snapshot does not second-guess).
    const keyOverride: PolicyOverride = { ...override, coordinate: 'Person.idNumber' };
    expect(by(effectiveFieldPolicies(fieldsUnderPolicy([POPULATION]), [keyOverride])).get('Person.idNumber')).toMatchObject({ origin: 'OVERRIDE', sharingClass: 'NOT_SHARED' });
  });

  it('with an ownership record, the owner is the provider and only its definition classifies the field, whatever the order of registration', () => {
    const owners = new Map([
      ['Person.idNumber', { department: 'psb' }],
      ['Person.name', { department: 'psb' }],
      // Ownership moved to psb (transferOwnership): hrss's definition no longer classifies it.
      ['Person.pension', { department: 'psb' }],
    ]);
    const p = by(effectiveFieldPolicies(fieldsUnderPolicy([SOCIAL, POPULATION], owners), []));
    expect(p.get('Person.name')).toMatchObject({ provider: 'psb', subgraph: 'population', origin: 'SDL', sharingClass: 'UNCONDITIONAL' });
    expect(p.get('Person.idNumber')).toMatchObject({ provider: 'psb', subgraph: 'population', origin: 'KEY', sharingClass: 'UNCONDITIONAL' });
    expect(p.get('Person.pension')).toMatchObject({ provider: 'psb', subgraph: 'social', origin: 'UNCLASSIFIED', sharingClass: 'CONDITIONAL' });
    expect(p.has('Person.insuredSince')).toBe(false); // @external: not hrss's field
    // Without the record the first provider wins a plain field; the type's owner (@catalogue) its keys.
    const first = by(effectiveFieldPolicies(fieldsUnderPolicy([SOCIAL, POPULATION]), []));
    expect(first.get('Person.name')).toMatchObject({ provider: 'hrss', sharingClass: 'NOT_SHARED' });
    expect(first.get('Person.idNumber')).toMatchObject({ provider: 'psb', subgraph: 'population' });
    expect(first.get('Person.pension')).toMatchObject({ provider: 'hrss', origin: 'SDL', sharingClass: 'CONDITIONAL' });
  });

  it('leaves out root and federation types: they carry no department\'s data', () => {
    const coordinates = fieldsUnderPolicy([POPULATION]).map((f) => f.coordinate);
    expect(coordinates.filter((c) => c.startsWith('Query.') || c.startsWith('_'))).toEqual([]);
  });
});
