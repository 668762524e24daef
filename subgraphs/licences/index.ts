/** The licences subgraph: government services' (gsa) electronic licence library, each licence sealed by its issuer. */
import { readFileSync } from 'node:fs';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import { latestChange, type SubgraphDefinition } from '../runtime/definition.ts';
import { createLicencesLoaders, type LicencesLoaders } from './loaders.ts';
import { migrations } from './migrations.ts';
import { resolvers } from './resolvers.ts';
import { isLicencesSeeded, seedLicences } from './seed.ts';
import { LicencesStore, type LicencesDatabase } from './store.ts';

export const licences: SubgraphDefinition<LicencesDatabase, LicencesLoaders> = {
  name: 'licences',
  department: 'gsa',
  description: 'Electronic licence library (电子证照库), kept by government services; each licence carries its issuer\'s electronic seal',
  typeDefs: subgraphTypeDefs(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations,
  createLoaders: createLicencesLoaders,
  isSeeded: isLicencesSeeded,
  seed: seedLicences,
  // R12: its seed seals each licence through the platform's issuer seal-key registry.
  sealsDocuments: true,
  // R10: private seal keys a database still holds as PEM are encrypted at start.
  sealSecretsAtRest: (db, secrets) => new LicencesStore(db).sealPrivateKeysAtRest(secrets),
  // Re-sealing a licence moves its updated_at: it counts as a change of the resource.
  freshness: async (db) => ({ Licence: await latestChange(db, [['licences', 'updated_at']]) }),
};
