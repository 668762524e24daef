/** Per-request DataLoaders of the geography subgraph: N entities or N lists, one statement. */
import type { Kysely } from 'kysely';
import { groupLoader, recordLoader } from '../runtime/batch.ts';
import { GeographyStore, type GeographyDatabase } from './store.ts';

export type GeographyLoaders = ReturnType<typeof createGeographyLoaders>;

/** Call once per request (see SubgraphContext): a cache must never outlive its caller's grants. */
export function createGeographyLoaders(db: Kysely<GeographyDatabase>) {
  const store = new GeographyStore(db);
  return {
    divisionByCode: recordLoader((codes: readonly string[]) => store.divisionsByCodes(codes), (d) => d.code),
    childrenByParentCode: groupLoader((codes: readonly string[]) => store.childrenOfDivisions(codes), (d) => d.parentCode ?? ''),
    parcelByUnitNo: recordLoader((unitNos: readonly string[]) => store.parcelsByUnitNos(unitNos), (p) => p.unitNo),
    rightHoldingsByUnitNo: groupLoader((unitNos: readonly string[]) => store.rightHoldingsOfParcels(unitNos), (h) => h.unitNo),
    mortgagesByUnitNo: groupLoader((unitNos: readonly string[]) => store.mortgagesOfParcels(unitNos), (m) => m.unitNo),
    realEstateOfPerson: groupLoader((ids: readonly string[]) => store.parcelsHeldBy('PERSON', ids), (h) => h.holderKey),
    realEstateOfLegalEntity: groupLoader((codes: readonly string[]) => store.parcelsHeldBy('LEGAL_ENTITY', codes), (h) => h.holderKey),
  };
}
