/** The population subgraph: public security's (psb) household register as `Person`. */
import { readFileSync } from 'node:fs';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import { latestChange, type SubgraphDefinition } from '../runtime/definition.ts';
import { createPopulationLoaders, type PopulationLoaders } from './loaders.ts';
import { migrations } from './migrations.ts';
import { resolvers } from './resolvers.ts';
import { isPopulationSeeded, seedPopulation } from './seed.ts';
import type { Person, PopulationDatabase } from './store.ts';

export const population: SubgraphDefinition<PopulationDatabase, PopulationLoaders> = {
  name: 'population',
  department: 'psb',
  description: 'Population base data (人口基础信息库), kept by public security',
  typeDefs: subgraphTypeDefs(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations,
  createLoaders: createPopulationLoaders,
  rowAttributes: {
    'Person.householdDivision': (person: Person) => person.householdDivisionCode,
  },
  isSeeded: isPopulationSeeded,
  seed: seedPopulation,
  freshness: async (db) => ({ Person: await latestChange(db, [['persons', 'updated_at'], ['households', 'updated_at']]) }),
};
