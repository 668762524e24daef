import { describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { graphql, isObjectType, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { SUBGRAPHS } from '../../subgraphs/index.ts';
import { CatalogueBuildError, chineseNameIn, humanize, isFederationInternal, placeCatalogue } from './placement.ts';
import { SOCIAL_ASSISTANCE, withExtraSdl } from './testing.ts';

const definition = placeCatalogue(SUBGRAPHS);
const entryOf = (coordinate: string) => definition.items.find((i) => i.coordinate === coordinate);

/** Every object-type field of the public (API) schema the gateway serves. */
function apiCoordinates(): { data: string[]; roots: string[] } {
  const result = composeServices(SUBGRAPHS.map((s) => ({ name: s.name, url: `http://127.0.0.1:1/${s.name}`, typeDefs: s.typeDefs })));
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  const api = result.schema.toAPISchema().toGraphQLJSSchema();
  const data: string[] = [];
  const roots: string[] = [];
  for (const type of Object.values(api.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) (type.name === 'Query' || type.name === 'Mutation' ? roots : data).push(`${type.name}.${field}`);
  }
  return { data, roots };
}

function buildError(run: () => unknown): CatalogueBuildError {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogueBuildError) return error;
    throw error;
  }
  throw new Error('expected a CatalogueBuildError');
}

describe('catalogue placement', () => {
  it('puts every field coordinate of the supergraph in exactly one entry, and every root field in one as an access point', () => {
    const { data, roots } = apiCoordinates();
    expect(data.length).toBeGreaterThan(100);
    const placed = definition.items.map((i) => i.coordinate);
    expect(new Set(placed).size).toBe(placed.length);
    expect([...placed].sort()).toEqual([...data].sort());
    const points = definition.accessPoints.map((a) => a.coordinate);
    expect(new Set(points).size).toBe(points.length);
    expect([...points].sort()).toEqual([...roots].sort());
    const codes = new Set(definition.resources.map((r) => r.code));
    expect(codes).toEqual(new Set(['PSB-POP-001', 'SAMR-LE-001', 'NR-DIV-001', 'NR-RE-001', 'NDRC-CR-001', 'GSA-LIC-001', 'SAMR-TH-001']));
    for (const item of definition.items) expect(codes.has(item.entryCode)).toBe(true);
  });

  it('lists a field one department adds to another\'s entity with the providing department, by the resource it returns', () => {
    expect(entryOf('Person.realEstate')).toMatchObject({ entryCode: 'NR-RE-001', placement: 'LINK', department: 'nr' });
    expect(entryOf('LegalEntity.realEstate')).toMatchObject({ entryCode: 'NR-RE-001', placement: 'LINK' });
    expect(entryOf('Person.legalRepresentativeOf')).toMatchObject({ entryCode: 'SAMR-LE-001', placement: 'LINK', department: 'samr' });
    expect(entryOf('Person.credit')).toMatchObject({ entryCode: 'NDRC-CR-001', placement: 'LINK' });
    expect(entryOf('LegalEntity.credit')).toMatchObject({ entryCode: 'NDRC-CR-001', placement: 'LINK' });
    expect(entryOf('Person.licences')).toMatchObject({ entryCode: 'GSA-LIC-001', placement: 'LINK' });
    expect(entryOf('LegalEntity.profile')).toMatchObject({ entryCode: 'SAMR-TH-001', placement: 'LINK' });
    // Key fields belong to the owner, whoever else declares them.
    expect(entryOf('Person.idNumber')).toMatchObject({ entryCode: 'PSB-POP-001', placement: 'OWN', isKey: true });
    expect(entryOf('AdministrativeDivision.code')).toMatchObject({ entryCode: 'NR-DIV-001', subgraph: 'geography' });
  });

  it('lists a value type with the entry of the field that carries it', () => {
    for (const c of ['Household.address', 'Household.members', 'HouseholdMember.relation', 'HouseholdMember.person']) expect(entryOf(c)?.entryCode).toBe('PSB-POP-001');
    expect(entryOf('HouseholdMember.person')).toMatchObject({ placement: 'CARRIED', carriedBy: 'Household.members' });
    for (const c of ['Shareholder.name', 'Shareholder.sharePercent', 'AnnualReport.totalTax']) expect(entryOf(c)?.entryCode).toBe('SAMR-LE-001');
    for (const c of ['RightHolding.holder', 'RightHolding.certificateNo', 'Mortgage.amount']) expect(entryOf(c)?.entryCode).toBe('NR-RE-001');
    for (const c of ['LicenceDocument.content', 'ElectronicSeal.signature']) expect(entryOf(c)?.entryCode).toBe('GSA-LIC-001');
    expect(entryOf('AdministrativePenalty.amount')?.entryCode).toBe('NDRC-CR-001');
    expect(entryOf('RiskFlag.level')?.entryCode).toBe('SAMR-TH-001');
    expect(entryOf('PersonVerification.nameMatches')).toMatchObject({ entryCode: 'PSB-POP-001', placement: 'CARRIED', carriedBy: 'Query.verifyPerson' });
  });

  it('tells verification (yes/no answers) from online query among the access points (R7)', () => {
    const method = (c: string) => definition.accessPoints.find((a) => a.coordinate === c);
    expect(method('Query.verifyPerson')).toMatchObject({ entryCode: 'PSB-POP-001', method: 'VERIFICATION', arguments: ['idNumber: ID!', 'name: String!'] });
    expect(method('Query.verifyLegalEntity')).toMatchObject({ entryCode: 'SAMR-LE-001', method: 'VERIFICATION' });
    expect(method('Query.verifyLicence')).toMatchObject({ entryCode: 'GSA-LIC-001', method: 'VERIFICATION' });
    expect(method('Query.person')).toMatchObject({ entryCode: 'PSB-POP-001', method: 'ONLINE_QUERY' });
    expect(method('Query.divisionsAt')).toMatchObject({ entryCode: 'NR-DIV-001', method: 'ONLINE_QUERY' });
  });

  it('relates entries: what an entry returns, what a link extends, what a thematic resource is built from', () => {
    expect(definition.related.get('SAMR-TH-001')).toEqual(new Set(['SAMR-LE-001', 'NDRC-CR-001', 'GSA-LIC-001', 'NR-RE-001']));
    expect(definition.related.get('NR-RE-001')).toEqual(new Set(['NR-DIV-001', 'PSB-POP-001', 'SAMR-LE-001']));
    expect(definition.related.get('PSB-POP-001')?.has('NR-DIV-001')).toBe(true);
  });

  it('fails loudly on a field added to another department\'s entity that returns none of its own resources', () => {
    const error = buildError(() => placeCatalogue(withExtraSdl('licences', 'extend type Person @key(fields: "idNumber") { drivingPoints: Int @sharing(class: "UNCONDITIONAL") }')));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/Person\.drivingPoints \(added by licences to psb's Person\) cannot be placed: it returns Int, which is not a resource of gsa; mark the field @catalogue\(code: "…"\)/);
  });

  it('places such a field where its department says, and only in one of that department\'s entries', () => {
    const placed = placeCatalogue(withExtraSdl('licences', 'extend type Person @key(fields: "idNumber") { drivingPoints: Int @sharing(class: "UNCONDITIONAL") @catalogue(code: "GSA-LIC-001") }'));
    expect(placed.items.find((i) => i.coordinate === 'Person.drivingPoints')).toMatchObject({ entryCode: 'GSA-LIC-001', placement: 'EXPLICIT' });
    const error = buildError(() => placeCatalogue(withExtraSdl('licences', 'extend type Person @key(fields: "idNumber") { drivingPoints: Int @sharing(class: "UNCONDITIONAL") @catalogue(code: "PSB-POP-001") }')));
    expect(error.message).toMatch(/Person\.drivingPoints in licences: @catalogue\(code: "PSB-POP-001"\) is psb's entry, but gsa provides the field/);
  });

  it('fails loudly on a value type no catalogued field carries, and on one carried into two entries', () => {
    const orphan = buildError(() => placeCatalogue(withExtraSdl('geography', 'type SurveyNote { text: String @sharing(class: "UNCONDITIONAL") }')));
    expect(orphan.message).toMatch(/SurveyNote\.text in geography cannot be placed: SurveyNote has no @catalogue and no field of a catalogued resource carries it/);
    const twice = buildError(() => placeCatalogue(withExtraSdl('geography', `
      type SurveyNote { text: String @sharing(class: "UNCONDITIONAL") }
      extend type Parcel @key(fields: "unitNo") { note: SurveyNote @sharing(class: "UNCONDITIONAL") }
      extend type AdministrativeDivision @key(fields: "code") { note: SurveyNote @sharing(class: "UNCONDITIONAL") }`)));
    expect(twice.message).toMatch(/SurveyNote\.text in geography cannot be placed: .*carried into several entries \(AdministrativeDivision\.note → NR-DIV-001, Parcel\.note → NR-RE-001\)/);
  });

  it('refuses an incomplete or duplicate resource declaration', () => {
    expect(buildError(() => placeCatalogue(withExtraSdl('credit', 'type Rebate @catalogue(name: "返还", nameEn: "Rebates", code: "NDRC-RB-001", updateCycle: "HOURLY") { x: Int @sharing(class: "UNCONDITIONAL") }'))).message)
      .toMatch(/updateCycle must be one of REAL_TIME, DAILY, WEEKLY, MONTHLY, QUARTERLY, YEARLY, received "HOURLY"/);
    expect(buildError(() => placeCatalogue(withExtraSdl('credit', 'type Rebate @catalogue(name: "返还", nameEn: "Rebates", code: "NDRC-CR-001", updateCycle: "DAILY") { x: Int @sharing(class: "UNCONDITIONAL") }'))).message)
      .toMatch(/resource code NDRC-CR-001 is already used by CreditProfile/);
  });

  it('places a department\'s subgraph registered at run time', () => {
    const placed = placeCatalogue([...SUBGRAPHS, SOCIAL_ASSISTANCE]);
    expect(placed.items.find((i) => i.coordinate === 'Person.socialAssistance')).toMatchObject({ entryCode: 'MCA-SA-001', placement: 'LINK', department: 'mca' });
    expect(placed.related.get('MCA-SA-001')).toEqual(new Set(['PSB-POP-001']));
  });

  it('reads an SDL as a running subgraph reports it in _service, leaving federation\'s own types out', async () => {
    const fromService = await Promise.all(SUBGRAPHS.map(async (s) => {
      const result = await graphql({ schema: buildSubgraphSchema({ typeDefs: s.typeDefs }), source: '{ _service { sdl } }' });
      return { name: s.name, department: s.department, typeDefs: parse((result.data as any)._service.sdl as string) };
    }));
    const placed = placeCatalogue(fromService);
    expect(placed.items.map((i) => i.coordinate).sort()).toEqual(definition.items.map((i) => i.coordinate).sort());
    expect(placed.accessPoints.map((a) => a.coordinate).sort()).toEqual(definition.accessPoints.map((a) => a.coordinate).sort());
    expect(['_Service.sdl', 'Query._entities', 'Query._service', '_Any'].every(isFederationInternal)).toBe(true);
    expect(['Person.idNumber', 'Query.person'].some(isFederationInternal)).toBe(false);
  });

  it('reads item names from the SDL', () => {
    expect(chineseNameIn('Valid until (有效期至): the last day of validity; null: valid long-term (长期).')).toBe('有效期至');
    expect(chineseNameIn('Division code (GB/T 2260).')).toBeNull();
    expect(humanize('penaltyCountLast3Years')).toBe('penalty count last3 years');
    expect(entryOf('Person.householdAddress')).toMatchObject({ name: '户籍地址', nameEn: 'household address', graphqlType: 'String' });
  });
});
