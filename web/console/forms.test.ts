import { describe, expect, it } from 'vitest';
import {
  isHttpUrl, parseCoordinates, policyInput, subgraphInput, validateApplication, validateObjection, validatePolicy, validatePublish, validateSubgraph, validateWebhook,
  type ApplyForm, type PolicyForm,
} from './forms.ts';
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

  it('checks a subgraph registration like the registry does, and sends an empty SDL as null', () => {
    const form = { name: 'social-assistance', url: 'http://10.1.2.3:4010/graphql', sdl: '', department: '' };
    expect(validateSubgraph(form)).toEqual({});
    expect(Object.keys(validateSubgraph({ ...form, name: '', url: '' })).sort()).toEqual(['name', 'url']);
    expect(validateSubgraph({ ...form, name: 'Social_Assistance' }).name).toMatch(/lower-case/);
    expect(validateSubgraph({ ...form, url: 'ftp://10.1.2.3/graphql' }).url).toMatch(/http\(s\)/);
    expect(subgraphInput({ ...form, name: ' social-assistance ', sdl: '  ' })).toEqual({ name: 'social-assistance', url: form.url, sdl: null, department: null });
    expect(subgraphInput({ ...form, sdl: 'type Query { a: Int }', department: 'mca' })).toMatchObject({ sdl: 'type Query { a: Int }', department: 'mca' });
  });

  it('publishes with a reason, and breaking changes only when accepted', () => {
    expect(validatePublish({ reason: 'join', acceptBreaking: false }, 0)).toEqual({});
    expect(Object.keys(validatePublish({ reason: ' ', acceptBreaking: false }, 2)).sort()).toEqual(['acceptBreaking', 'reason']);
    expect(validatePublish({ reason: 'drop since', acceptBreaking: false }, 2).acceptBreaking).toMatch(/2 breaking change/);
    expect(validatePublish({ reason: 'drop since', acceptBreaking: true }, 2)).toEqual({});
  });

  it('accepts an http(s) webhook URL only', () => {
    expect(isHttpUrl('https://oa.mca.example.gov.cn/hook')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:9/hook')).toBe(true);
    for (const bad of ['', 'oa.mca.example', 'ftp://x/y', 'http://', 'http://exa mple/']) expect(isHttpUrl(bad), bad).toBe(false);
    expect(validateWebhook({ url: 'https://oa.mca.example.gov.cn/hook', secret: '' })).toEqual({});
    expect(validateWebhook({ url: '', secret: '' }).url).toMatch(/remove the webhook/);
    expect(validateWebhook({ url: 'https://oa.mca.example.gov.cn/hook', secret: 'two words' }).secret).toBeDefined();
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
