/** The credit subgraph: development and reform's (ndrc) public credit records on `LegalEntity` and `Person`. */
import { readFileSync } from 'node:fs';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import { latestChange, type SubgraphDefinition } from '../runtime/definition.ts';
import { createCreditLoaders, type CreditLoaders } from './loaders.ts';
import { migrations } from './migrations.ts';
import { resolvers } from './resolvers.ts';
import { isCreditSeeded, seedCredit } from './seed.ts';
import type { CreditDatabase } from './store.ts';

export const credit: SubgraphDefinition<CreditDatabase, CreditLoaders> = {
  name: 'credit',
  department: 'ndrc',
  description: 'Social credit base data (社会信用信息库), kept by development and reform',
  typeDefs: subgraphTypeDefs(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations,
  createLoaders: createCreditLoaders,
  isSeeded: isCreditSeeded,
  seed: seedCredit,
  freshness: async (db) => ({
    CreditProfile: await latestChange(db, [['credit_profiles', 'updated_at'], ['penalties', 'updated_at'], ['commendations', 'updated_at']]),
  }),
};
