/** Per-request DataLoaders of the credit subgraph: N subjects, one statement per table. */
import type { Kysely } from 'kysely';
import { groupLoader, recordLoader } from '../runtime/batch.ts';
import { CreditStore, type CreditDatabase } from './store.ts';

export type CreditLoaders = ReturnType<typeof createCreditLoaders>;

/**
 * Call once per request (see SubgraphContext): a cache must never outlive the caller's grants.
 * All loaders are keyed by subject id, so persons and legal entities asked in one request
 * share one batch.
 */
export function createCreditLoaders(db: Kysely<CreditDatabase>) {
  const store = new CreditStore(db);
  return {
    profileBySubject: recordLoader((ids: readonly string[]) => store.profilesOf(ids), (p) => p.subjectId),
    penaltiesBySubject: groupLoader((ids: readonly string[]) => store.penaltiesOf(ids), (p) => p.subjectId),
    commendationsBySubject: groupLoader((ids: readonly string[]) => store.commendationsOf(ids), (c) => c.subjectId),
  };
}
