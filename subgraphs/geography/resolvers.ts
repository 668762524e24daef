/** Resolvers of the geography subgraph (natural resources: divisions and the real-estate register). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { divisionCodeProblem, realEstateUnitNoProblem } from '../../schema/identifiers.ts';
import { badUserInput } from '../../lib/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { GeographyLoaders } from './loaders.ts';
import { GeographyStore, type Division, type GeographyDatabase, type Parcel, type RightHolding } from './store.ts';

type Context = SubgraphContext<GeographyDatabase, GeographyLoaders>;

/** Largest list `parcels(unitNos:)` answers at once; bigger lists are batch downloads (R7). */
export const MAX_PARCELS_PER_QUERY = 100;

/** What a holder resolves to: an entity reference, typed by which key it carries. */
type PartyRef = { readonly idNumber: string } | { readonly creditCode: string };

export function checkedUnitNo(unitNo: string, argument = 'unitNo'): string {
  const problem = realEstateUnitNoProblem(unitNo);
  if (problem) throw badUserInput(`${argument} ${JSON.stringify(unitNo)} is not a real-estate unit number: ${problem}`, { argument });
  return unitNo;
}

export function checkedDivisionCode(code: string, argument = 'code'): string {
  const problem = divisionCodeProblem(code);
  if (problem) throw badUserInput(`${argument} ${JSON.stringify(code)} is not a division code: ${problem}`, { argument });
  return code;
}

function checkedCoordinate(value: number, argument: 'lng' | 'lat'): number {
  const limit = argument === 'lng' ? 180 : 90;
  if (!Number.isFinite(value) || value < -limit || value > limit) {
    throw badUserInput(
      `${argument} must be a WGS 84 ${argument === 'lng' ? 'longitude' : 'latitude'} between -${limit} and ${limit} degrees, received ${value}; ` +
        'pass longitude as lng and latitude as lat (e.g. lng: 113.33, lat: 23.13)',
      { argument },
    );
  }
  return value;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    division: (_: unknown, { code }: { code: string }, { loaders }: Context) => loaders.divisionByCode.load(checkedDivisionCode(code)),
    divisionsAt: async (_: unknown, { lng, lat }: { lng: number; lat: number }, { db, loaders }: Context) => {
      const divisions = await new GeographyStore(db).divisionsContaining(checkedCoordinate(lng, 'lng'), checkedCoordinate(lat, 'lat'));
      // Nested `parent` reads then come from this answer instead of another statement.
      for (const division of divisions) loaders.divisionByCode.prime(division.code, division);
      return divisions;
    },
    parcel: (_: unknown, { unitNo }: { unitNo: string }, { loaders }: Context) => loaders.parcelByUnitNo.load(checkedUnitNo(unitNo)),
    parcels: (_: unknown, { unitNos }: { unitNos: string[] }, { loaders }: Context) => {
      if (unitNos.length > MAX_PARCELS_PER_QUERY) {
        throw badUserInput(`parcels(unitNos:) takes at most ${MAX_PARCELS_PER_QUERY} numbers, received ${unitNos.length}; split the list or apply for batch download`, { argument: 'unitNos' });
      }
      unitNos.forEach((unitNo, i) => checkedUnitNo(unitNo, `unitNos[${i}]`));
      return loaders.parcelByUnitNo.loadMany(unitNos);
    },
  },
  AdministrativeDivision: {
    __resolveReference: (ref: { code: string }, { loaders }: Context) => loaders.divisionByCode.load(ref.code),
    parent: (division: Division, _: unknown, { loaders }: Context) => (division.parentCode ? loaders.divisionByCode.load(division.parentCode) : null),
    children: (division: Division, _: unknown, { loaders }: Context) => loaders.childrenByParentCode.load(division.code),
  },
  Parcel: {
    __resolveReference: (ref: { unitNo: string }, { loaders }: Context) => loaders.parcelByUnitNo.load(ref.unitNo),
    division: (parcel: Parcel, _: unknown, { loaders }: Context) => loaders.divisionByCode.load(parcel.divisionCode),
    rightHolders: (parcel: Parcel, _: unknown, { loaders }: Context) => loaders.rightHoldingsByUnitNo.load(parcel.unitNo),
    mortgages: (parcel: Parcel, _: unknown, { loaders }: Context) => loaders.mortgagesByUnitNo.load(parcel.unitNo),
  },
  RightHolding: {
    holder: (holding: RightHolding): PartyRef =>
      holding.holderKind === 'PERSON' ? { idNumber: holding.holderKey } : { creditCode: holding.holderKey },
  },
  Party: {
    __resolveType: (party: PartyRef) => ('idNumber' in party ? 'Person' : 'LegalEntity'),
  },
  // Persons and legal entities are other departments' records: this subgraph only adds
  // their real estate, so a reference resolves to its key without reading anything.
  Person: {
    __resolveReference: (ref: { idNumber: string }) => ({ idNumber: ref.idNumber }),
    realEstate: async (person: { idNumber: string }, _: unknown, { loaders }: Context) =>
      (await loaders.realEstateOfPerson.load(person.idNumber)).map((held) => held.parcel),
  },
  LegalEntity: {
    __resolveReference: (ref: { creditCode: string }) => ({ creditCode: ref.creditCode }),
    realEstate: async (entity: { creditCode: string }, _: unknown, { loaders }: Context) =>
      (await loaders.realEstateOfLegalEntity.load(entity.creditCode)).map((held) => held.parcel),
  },
};
