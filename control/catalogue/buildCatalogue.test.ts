import { describe, expect, it } from 'vitest';
import { creditCodeProblem } from '../../schema/identifiers.ts';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { buildCatalogue, type BuildInput } from './buildCatalogue.ts';
import { CATALOGUE_CATEGORIES, OPEN_TYPES, UPDATE_CYCLES, type CatalogueEntry } from './model.ts';
import { CatalogueBuildError, placeCatalogue } from './placement.ts';
import { DEMO_PROVIDER_NAMES, SOCIAL_ASSISTANCE, demoSnapshot, withExtraSdl } from './testing.ts';

const NOW = new Date('2026-11-20T02:00:00Z');
const CJK = /[\u3400-\u9fff]/;

function build(input: Partial<BuildInput> = {}, strict = true): CatalogueEntry[] {
  const subgraphs = SUBGRAPHS;
  return buildCatalogue({ definition: placeCatalogue(subgraphs), snapshot: demoSnapshot(), providers: DEMO_PROVIDER_NAMES, now: NOW, ...input }, { strict });
}

const catalogue = build();
const entry = (code: string) => catalogue.find((e) => e.code === code)!;
const item = (code: string, coordinate: string) => entry(code).items.find((i) => i.coordinate === coordinate)!;

describe('catalogue entries (R2, GB/T 21063 elements)', () => {
  it('gives every entry the elements of the national guidelines, in Chinese and English', () => {
    expect(catalogue.map((e) => e.code)).toEqual(['PSB-POP-001', 'SAMR-LE-001', 'NR-DIV-001', 'NR-RE-001', 'NDRC-CR-001', 'GSA-LIC-001', 'SAMR-TH-001']);
    const resourceCodes = new Set<string>();
    for (const e of catalogue) {
      expect(e.problems).toEqual([]);
      expect(e.name).toMatch(CJK);
      expect(e.nameEn).toMatch(/^[\x20-\x7e]+$/);
      expect(e.abstract).toMatch(CJK);
      expect(e.abstractEn.length).toBeGreaterThan(10);
      expect(CATALOGUE_CATEGORIES).toContain(e.classification.category);
      expect(e.classification.code).toMatch(/^[12]\d{5}$/);
      expect(e.classification.code).toBe(`${e.classification.categoryCode}${e.classification.itemCode}${e.classification.subjectCode}`);
      expect(e.classification.categoryName).toMatch(/^(基础|主题)信息资源$/);
      expect(e.departmentalClassification).toMatchObject({ category: 'DEPARTMENTAL', categoryCode: '3', itemName: e.provider.name });
      expect(e.resourceCode).toMatch(/^\d{6}\/\d{6}$/);
      expect(resourceCodes.has(e.resourceCode)).toBe(false);
      resourceCodes.add(e.resourceCode);
      expect(e.provider.name).toMatch(CJK);
      expect(creditCodeProblem(e.provider.providerCode)).toBeNull();
      expect(e.format.name).toMatch(CJK);
      expect(e.items.length).toBeGreaterThan(2);
      expect(e.sharing.methods.map((m) => m.method)).toEqual(['ONLINE_QUERY', 'VERIFICATION', 'BATCH_DOWNLOAD']);
      expect(e.sharing.methods.find((m) => m.method === 'ONLINE_QUERY')!.available).toBe(true);
      expect(e.sharing.methods.find((m) => m.method === 'BATCH_DOWNLOAD')!.available).toBe(false);
      expect(OPEN_TYPES).toContain(e.open.type);
      expect(UPDATE_CYCLES).toContain(e.updateCycle);
      expect(e.updateCycleName).toMatch(CJK);
      for (const related of e.relatedResources) expect(catalogue.some((other) => other.code === related)).toBe(true);
      // Nothing published yet: no release date, an update is pending.
      expect(e).toMatchObject({ releaseDate: null, lastUpdated: null, updatePending: true, openUpdate: null });
      for (const i of e.items) {
        expect(i.name).toMatch(CJK);
        expect(i.dataType.code).toMatch(/^[CIFLDGR]$/);
        expect(i.condition).toMatch(CJK);
        expect(i.unclassified).toBe(false);
        if (i.sharingClass !== 'UNCONDITIONAL') expect(i.basis).toMatch(CJK);
      }
    }
    const providerCodes = new Map(catalogue.map((e) => [e.provider.code, e.provider.providerCode]));
    expect(new Set(providerCodes.values()).size).toBe(providerCodes.size);
  });

  it('classifies the base registers as basic and the enterprise profile as thematic', () => {
    expect(entry('PSB-POP-001')).toMatchObject({ resourceCode: '101001/000001', classification: { category: 'BASIC', itemName: '人口基础信息' }, updateCycle: 'REAL_TIME', provider: { code: 'psb', name: '省公安厅' } });
    expect(entry('NR-DIV-001')).toMatchObject({ classification: { code: '103001' }, updateCycle: 'YEARLY', open: { type: 'UNCONDITIONAL_OPEN' } });
    expect(entry('SAMR-TH-001')).toMatchObject({ resourceCode: '201001/000001', classification: { category: 'THEMATIC', categoryName: '主题信息资源' } });
    expect(entry('SAMR-TH-001').relatedResources).toEqual(['GSA-LIC-001', 'NDRC-CR-001', 'NR-RE-001', 'SAMR-LE-001']);
    expect(entry('SAMR-TH-001').departmentalClassification.code).toBe(entry('SAMR-LE-001').departmentalClassification.code.slice(0, 3) + '002');
  });

  it('states every item\'s sharing class, purposes, condition and legal basis from the policy', () => {
    expect(item('PSB-POP-001', 'Person.householdAddress')).toMatchObject({
      name: '户籍地址', sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS', 'DATA_VERIFICATION'], basis: expect.stringMatching(/个人信息保护法/),
      dataType: { code: 'C', graphqlType: 'String' }, origin: 'SDL',
    });
    expect(item('PSB-POP-001', 'Person.householdAddress').condition).toMatch(/^有条件共享：经共享平台申请（applyForAccess）.*用途限于 ADMINISTRATIVE_BASIS、DATA_VERIFICATION/);
    expect(item('PSB-POP-001', 'Person.biometricTemplate')).toMatchObject({ sharingClass: 'NOT_SHARED', condition: expect.stringMatching(/^不予共享；依据：《个人信息保护法》第二十八条/) });
    expect(item('PSB-POP-001', 'Person.name')).toMatchObject({ sharingClass: 'UNCONDITIONAL', purposes: [], condition: '无条件共享；用途不限（须声明用途）' });
    expect(item('PSB-POP-001', 'Person.idNumber')).toMatchObject({ isKey: true, origin: 'KEY', sharingClass: 'UNCONDITIONAL' });
    expect(item('PSB-POP-001', 'Person.householdDivision')).toMatchObject({ dataType: { code: 'R' }, references: 'NR-DIV-001' });
    expect(item('PSB-POP-001', 'PersonVerification.alive')).toMatchObject({ sharingClass: 'UNCONDITIONAL', purposes: ['DATA_VERIFICATION'], dataType: { code: 'L' } });
    expect(item('NR-RE-001', 'Person.realEstate')).toMatchObject({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], provider: 'nr', placement: 'LINK' });
    expect(item('SAMR-LE-001', 'LegalEntity.shareholders')).toMatchObject({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS', 'BUSINESS_COLLABORATION'] });
    expect(item('GSA-LIC-001', 'Licence.document')).toMatchObject({ sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'] });
    expect(item('NR-DIV-001', 'AdministrativeDivision.boundary').dataType.code).toBe('G');
  });

  it('derives the resource\'s sharing type and methods from its items and access points', () => {
    expect(entry('PSB-POP-001').sharing).toMatchObject({ type: 'CONDITIONAL', name: '有条件共享' });
    expect(entry('NR-DIV-001').sharing).toMatchObject({ type: 'UNCONDITIONAL', name: '无条件共享' });
    const methods = (code: string) => Object.fromEntries(entry(code).sharing.methods.map((m) => [m.method, m.available]));
    expect(methods('PSB-POP-001')).toEqual({ ONLINE_QUERY: true, VERIFICATION: true, BATCH_DOWNLOAD: false });
    expect(methods('SAMR-LE-001')).toEqual({ ONLINE_QUERY: true, VERIFICATION: true, BATCH_DOWNLOAD: false });
    expect(methods('GSA-LIC-001')).toEqual({ ONLINE_QUERY: true, VERIFICATION: true, BATCH_DOWNLOAD: false });
    expect(methods('NR-RE-001')).toEqual({ ONLINE_QUERY: true, VERIFICATION: false, BATCH_DOWNLOAD: false });
    expect(entry('PSB-POP-001').sharing.methods[1]!.via).toEqual(['Query.verifyPerson']);
    // Credit profiles have no root field: they are read through the entities they belong to.
    expect(entry('NDRC-CR-001').sharing.methods[0]).toMatchObject({ available: true, via: ['LegalEntity.credit', 'Person.credit'] });
  });

  it('follows the administrators\' overrides, and reads last update and freshness from what it is given', () => {
    const overridden = build({
      snapshot: demoSnapshot({ overrides: [{ coordinate: 'Person.ethnicity', sharingClass: 'CONDITIONAL', purposes: ['ADMINISTRATIVE_BASIS'], basis: '《个人信息保护法》第二十八条', caseIdRequired: true, condition: null }] }),
      records: new Map([['PSB-POP-001', { releaseDate: '2026-01-05', lastUpdated: '2026-03-01T00:00:00.000Z', cataloguedFingerprint: 'x', openUpdate: null }]]),
      freshness: new Map([['Person', { lastChanged: '2026-11-18T00:00:00.000Z', checkedAt: NOW.toISOString(), error: null }]]),
    });
    const person = overridden.find((e) => e.code === 'PSB-POP-001')!;
    expect(person.items.find((i) => i.coordinate === 'Person.ethnicity')).toMatchObject({ sharingClass: 'CONDITIONAL', origin: 'OVERRIDE', caseIdRequired: true, condition: expect.stringMatching(/须提供事项编号/) });
    expect(person).toMatchObject({ releaseDate: '2026-01-05', lastUpdated: '2026-03-01T00:00:00.000Z', updatePending: true });
    expect(person.freshness).toMatchObject({ dataLastChanged: '2026-11-18T00:00:00.000Z', maxAgeHours: 24, stale: true });
    expect(person.fingerprint).not.toBe(entry('PSB-POP-001').fingerprint);
  });

  it('flags an unclassified field, and a strict build (this test suite\'s) fails on it', () => {
    const subgraphs = withExtraSdl('population', 'extend type Person @key(fields: "idNumber") { "Shoe size (鞋码)." shoeSize: Int }');
    const input = { definition: placeCatalogue(subgraphs), snapshot: demoSnapshot({ subgraphs }), providers: DEMO_PROVIDER_NAMES, now: NOW };
    expect(() => buildCatalogue(input, { strict: true })).toThrow(CatalogueBuildError);
    expect(() => buildCatalogue(input, { strict: true })).toThrow(/Person\.shoeSize is unclassified: psb has not given it a sharing class \(@sharing\)/);
    const lenient = buildCatalogue(input).find((e) => e.code === 'PSB-POP-001')!;
    expect(lenient.items.find((i) => i.coordinate === 'Person.shoeSize')).toMatchObject({ unclassified: true, sharingClass: 'CONDITIONAL', origin: 'UNCLASSIFIED' });
    expect(lenient.problems).toEqual([expect.stringMatching(/Person\.shoeSize is unclassified/)]);
  });

  it('lists a resource the coordinating office has not classified yet in its provider\'s departmental catalogue only', () => {
    const subgraphs = [...SUBGRAPHS, SOCIAL_ASSISTANCE];
    const input = { definition: placeCatalogue(subgraphs), snapshot: demoSnapshot({ subgraphs }), providers: DEMO_PROVIDER_NAMES, now: NOW };
    const entries = buildCatalogue(input);
    expect(entries.find((e) => e.code === 'MCA-SA-001')).toMatchObject({
      classification: { category: 'DEPARTMENTAL', code: '399000', itemName: '省民政厅' }, resourceCode: '399000/000000', open: { type: 'NOT_OPEN' },
      provider: { code: 'mca', providerCode: '' }, problems: [expect.stringMatching(/no provider code/), expect.stringMatching(/not classified in the catalogue register/)],
    });
    expect(() => buildCatalogue(input, { strict: true })).toThrow(/MCA-SA-001 is not classified in the catalogue register/);
  });

  it('shows an item the policy does not know yet (a subgraph published a moment ago) as denied', () => {
    const subgraphs = [...SUBGRAPHS, SOCIAL_ASSISTANCE];
    const entries = buildCatalogue({ definition: placeCatalogue(subgraphs), snapshot: demoSnapshot(), providers: DEMO_PROVIDER_NAMES, now: NOW });
    expect(entries.find((e) => e.code === 'MCA-SA-001')!.items.find((i) => i.coordinate === 'Person.socialAssistance')).toMatchObject({ sharingClass: 'CONDITIONAL', unclassified: true });
  });
});
