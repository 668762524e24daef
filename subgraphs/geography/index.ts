/** The geography subgraph: natural resources' (nr) administrative divisions and real-estate register. */
import { readFileSync } from 'node:fs';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import { latestChange, type SubgraphDefinition } from '../runtime/definition.ts';
import { createGeographyLoaders, type GeographyLoaders } from './loaders.ts';
import { migrations } from './migrations.ts';
import { resolvers } from './resolvers.ts';
import { isGeographySeeded, seedGeography } from './seed.ts';
import type { GeographyDatabase } from './store.ts';

export const geography: SubgraphDefinition<GeographyDatabase, GeographyLoaders> = {
  name: 'geography',
  department: 'nr',
  description: 'Natural resources and spatial geography base data (自然资源和空间地理基础信息库): administrative divisions and the real-estate register',
  typeDefs: subgraphTypeDefs(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations,
  createLoaders: createGeographyLoaders,
  isSeeded: isGeographySeeded,
  seed: seedGeography,
  freshness: async (db) => ({
    AdministrativeDivision: await latestChange(db, [['divisions', 'updated_at']]),
    Parcel: await latestChange(db, [['parcels', 'updated_at'], ['right_holdings', 'updated_at'], ['mortgages', 'updated_at']]),
  }),
};
