import { describe, expect, it } from 'vitest';
import { parseCoordinates, policyInput, validateApplication, validateObjection, validatePolicy, type ApplyForm, type PolicyForm } from './forms.ts';
import { addDays, chinaToday, formatTime } from './format.ts';

const PURPOSES = ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'];
const valid: ApplyForm = {
  coordinates: 'Person.deathDate', purpose: 'ADMINISTRATIVE_BASIS', justification: 'minimum living allowance review',
  legalBasis: '《社会救助暂行办法》第十一条', caseRef: '', requestedFrom: '', requestedUntil: '2027-06-30',
};

describe('console forms', () => {
  it('reads coordinates from lines and commas, once each', () => {
    expect(parseCoordinates(' Person.a,Person.b\nPerson.a；LegalEntity.c ')).toEqual(['Person.a', 'Person.b', 'LegalEntity.c']);
    expect(parseCoordinates('  ')).toEqual([]);
  });

  it('accepts a complete application and names every missing part of an incomplete one', () => {
    expect(validateApplication(valid, PURPOSES, '2026-11-22')).toEqual({});
    const problems = validateApplication({ ...valid, coordinates: 'householdAddress', purpose: '', justification: ' ', legalBasis: '' }, PURPOSES, '2026-11-22');
    expect(Object.keys(problems).sort()).toEqual(['coordinates', 'justification', 'legalBasis', 'purpose']);
    expect(problems.coordinates).toMatch(/householdAddress/);
    expect(validateApplication({ ...valid, purpose: 'MARKETING' }, PURPOSES, '2026-11-22').purpose).toMatch(/not a registered purpose/);
  });

  it('checks the period like the API does', () => {
    expect(validateApplication({ ...valid, requestedUntil: '2026-11-22' }, PURPOSES, '2026-11-22').requestedUntil).toMatch(/after 2026-11-22/);
    expect(validateApplication({ ...valid, requestedFrom: '2027-01-01', requestedUntil: '2026-12-31' }, PURPOSES, '2026-11-22').requestedUntil).toMatch(/after 2027-01-01/);
    expect(validateApplication({ ...valid, requestedUntil: '2030-01-01' }, PURPOSES, '2026-11-22').requestedUntil).toMatch(/three years/);
    expect(validateApplication({ ...valid, requestedUntil: '' }, PURPOSES, '2026-11-22').requestedUntil).toBeDefined();
  });

  it('asks a legal basis for restricted fields (R1) and a reason for every change', () => {
    const form: PolicyForm = { sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '', caseIdRequired: false, rowCondition: false, rowAttribute: '', reason: '' };
    expect(Object.keys(validatePolicy(form)).sort()).toEqual(['basis', 'reason']);
    expect(validatePolicy({ ...form, sharingClass: 'UNCONDITIONAL', reason: 'open data' })).toEqual({});
    expect(validatePolicy({ ...form, basis: '《个人信息保护法》第三十四条', reason: 'r', rowCondition: true, rowAttribute: 'division' }).rowAttribute).toBeDefined();
    expect(policyInput({ ...form, sharingClass: 'NOT_SHARED', basis: ' b ', rowCondition: true, rowAttribute: 'Person.householdDivision' })).toEqual({
      sharingClass: 'NOT_SHARED', purposes: [], basis: 'b', caseIdRequired: false, rowCondition: { kind: 'CONSUMER_JURISDICTION', attribute: 'Person.householdDivision' },
    });
  });

  it('requires the field, the record and a description of an objection', () => {
    expect(Object.keys(validateObjection({ coordinate: 'x', entityKey: '', observedValue: '', expectedValue: '', description: '' })).sort()).toEqual(['coordinate', 'description', 'entityKey']);
    expect(validateObjection({ coordinate: 'Person.name', entityKey: '440106198002130119', observedValue: '', expectedValue: '', description: 'typo' })).toEqual({});
  });

  it('shows times in China time', () => {
    expect(formatTime('2026-11-22T16:30:00.000Z')).toBe('2026-11-23 00:30');
    expect(formatTime('2026-11-22')).toBe('2026-11-22');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a date')).toBe('not a date');
    expect(chinaToday(Date.parse('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
