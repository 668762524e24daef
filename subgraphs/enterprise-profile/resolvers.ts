/** Resolvers of the enterprise profile subgraph (market supervision's thematic resource). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { creditCodeProblem } from '../../schema/identifiers.ts';
import { badUserInput } from '../../lib/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import { computeEnterpriseProfile, type ProfileInputs } from './enterpriseProfile.ts';
import type { EnterpriseProfileLoaders } from './loaders.ts';
import type { EnterpriseProfileDatabase } from './store.ts';

type Context = SubgraphContext<EnterpriseProfileDatabase, EnterpriseProfileLoaders>;

export const resolvers: GraphQLResolverMap<Context> = {
  LegalEntity: {
    // The representation carries the @requires fields the gateway fetched from the owning
    // departments: keep them all, they are the profile's inputs. Asynchronous, so that one
    // malformed key nulls its own entry, not the whole batch.
    __resolveReference: async (ref: ProfileInputs) => {
      const problem = creditCodeProblem(ref.creditCode);
      if (problem) {
        throw badUserInput(`representations.creditCode ${JSON.stringify(ref.creditCode)} is not a unified social credit code: ${problem}`, { argument: 'representations.creditCode' });
      }
      return ref;
    },
    profile: async (entity: ProfileInputs, _: unknown, { loaders }: Context) => {
      if (entity.status == null) return null;
      const [rules, focus] = await Promise.all([loaders.riskRules(), loaders.focusByCreditCode.load(entity.creditCode)]);
      return computeEnterpriseProfile(entity, rules, focus, new Date());
    },
  },
};
