/** Per-request DataLoaders of the legal-person subgraph: N entities, one statement. */
import type { Kysely } from 'kysely';
import { groupLoader, recordLoader } from '../runtime/batch.ts';
import { LegalPersonStore, type LegalPersonDatabase } from './store.ts';

export type LegalPersonLoaders = ReturnType<typeof createLegalPersonLoaders>;

/** Call once per request (see SubgraphContext): a cache must never outlive the caller's grants. */
export function createLegalPersonLoaders(db: Kysely<LegalPersonDatabase>) {
  const store = new LegalPersonStore(db);
  return {
    entityByCreditCode: recordLoader((codes: readonly string[]) => store.entitiesByCreditCodes(codes), (e) => e.creditCode),
    entitiesByRepresentative: groupLoader((ids: readonly string[]) => store.entitiesRepresentedBy(ids), (e) => e.legalRepresentativeIdNumber),
    shareholdersByCreditCode: groupLoader((codes: readonly string[]) => store.shareholdersOf(codes), (s) => s.creditCode),
    annualReportsByCreditCode: groupLoader((codes: readonly string[]) => store.annualReportsOf(codes), (a) => a.creditCode),
  };
}
