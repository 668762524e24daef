/**
 * The enterprise profile subgraph (企业综合档案, one enterprise, one file): a thematic resource
 * market supervision (samr) builds over the base entities (R4). It keeps only its own data —
 * risk rules and supervision focus records — and computes each profile from the other
 * departments' fields, which the gateway fetches for it through @requires.
 */
import { readFileSync } from 'node:fs';
import { subgraphTypeDefs } from '../../schema/federation.ts';
import { latestChange, type SubgraphDefinition } from '../runtime/definition.ts';
import { createEnterpriseProfileLoaders, type EnterpriseProfileLoaders } from './loaders.ts';
import { migrations } from './migrations.ts';
import { resolvers } from './resolvers.ts';
import { isEnterpriseProfileSeeded, seedEnterpriseProfile } from './seed.ts';
import type { EnterpriseProfileDatabase } from './store.ts';

export const enterpriseProfile: SubgraphDefinition<EnterpriseProfileDatabase, EnterpriseProfileLoaders> = {
  name: 'enterprise-profile',
  department: 'samr',
  description: 'Enterprise profile thematic resource (企业综合档案，一企一档), built by market supervision',
  typeDefs: subgraphTypeDefs(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  migrations,
  createLoaders: createEnterpriseProfileLoaders,
  isSeeded: isEnterpriseProfileSeeded,
  seed: seedEnterpriseProfile,
  // The profile itself is computed on every read from the sources (whose own freshness the
  // catalogue shows on their entries); what changes here is the profile's own data.
  freshness: async (db) => ({ EnterpriseProfile: await latestChange(db, [['risk_rules', 'updated_at'], ['supervision_focus', 'updated_at']]) }),
};
