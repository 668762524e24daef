/** Per-request DataLoaders of the licences subgraph: N entities or N lists, one statement. */
import type { Kysely } from 'kysely';
import { groupLoader, recordLoader } from '../runtime/batch.ts';
import { LicencesStore, type LicencesDatabase } from './store.ts';

export type LicencesLoaders = ReturnType<typeof createLicencesLoaders>;

/** Call once per request (see SubgraphContext): a cache must never outlive its caller's grants. */
export function createLicencesLoaders(db: Kysely<LicencesDatabase>) {
  const store = new LicencesStore(db);
  return {
    licenceByNo: recordLoader((nos: readonly string[]) => store.licencesByNumbers(nos), (l) => l.licenceNo),
    licencesOfPerson: groupLoader((ids: readonly string[]) => store.licencesHeldBy('PERSON', ids), (l) => l.holderKey),
    licencesOfLegalEntity: groupLoader((codes: readonly string[]) => store.licencesHeldBy('LEGAL_ENTITY', codes), (l) => l.holderKey),
    sealKeyById: recordLoader((keyIds: readonly string[]) => store.sealKeysByIds(keyIds), (k) => k.keyId),
  };
}
