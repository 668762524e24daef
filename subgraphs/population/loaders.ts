/** Per-request DataLoaders of the population subgraph: N entities, one statement. */
import type { Kysely } from 'kysely';
import { groupLoader, recordLoader } from '../runtime/batch.ts';
import { PopulationStore, type PopulationDatabase } from './store.ts';

export type PopulationLoaders = ReturnType<typeof createPopulationLoaders>;

/** Call once per request (see SubgraphContext). */
export function createPopulationLoaders(db: Kysely<PopulationDatabase>) {
  const store = new PopulationStore(db);
  return {
    personByIdNumber: recordLoader((ids: readonly string[]) => store.personsByIdNumbers(ids), (p) => p.idNumber),
    householdByNo: recordLoader((nos: readonly string[]) => store.householdsByNumbers(nos), (h) => h.householdNo),
    membersByHouseholdNo: groupLoader((nos: readonly string[]) => store.membersOfHouseholds(nos), (p) => p.householdNo),
  };
}
