/** The legal-person subgraph: market supervision's (samr) entity register as `LegalEntity`. */
import { readFileSync } from 'node:fs';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import { latestChange, type SubgraphDefinition } from '../runtime/definition.ts';
import { createLegalPersonLoaders, type LegalPersonLoaders } from './loaders.ts';
import { migrations } from './migrations.ts';
import { resolvers } from './resolvers.ts';
import { isLegalPersonSeeded, seedLegalPerson } from './seed.ts';
import type { LegalPersonDatabase } from './store.ts';

export const legalPerson: SubgraphDefinition<LegalPersonDatabase, LegalPersonLoaders> = {
  name: 'legal-person',
  department: 'samr',
  description: 'Legal person base data (法人基础信息库), kept by market supervision',
  typeDefs: subgraphTypeDefs(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations,
  createLoaders: createLegalPersonLoaders,
  isSeeded: isLegalPersonSeeded,
  seed: seedLegalPerson,
  freshness: async (db) => ({
    LegalEntity: await latestChange(db, [['legal_entities', 'updated_at'], ['shareholders', 'updated_at'], ['annual_reports', 'updated_at']]),
  }),
};
