/** Resolvers of the credit subgraph (development and reform's public credit records). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { citizenIdProblem, creditCodeProblem } from '../../schema/identifiers.ts';
import { badUserInput } from '../../lib/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { CreditLoaders } from './loaders.ts';
import { subjectId, type CreditDatabase, type CreditProfile } from './store.ts';

type Context = SubgraphContext<CreditDatabase, CreditLoaders>;

/** A malformed key is a caller's error, not a subject without a record: say so instead of answering null. */
function checkedKey(value: string, problemOf: (value: string) => string | null, argument: string, what: string): string {
  const problem = problemOf(value);
  if (problem) throw badUserInput(`${argument} ${JSON.stringify(value)} is not ${what}: ${problem}`, { argument });
  return value;
}

export const resolvers: GraphQLResolverMap<Context> = {
  // Whether a subject exists is population's or market supervision's to say; here a subject
  // is only a key, and `credit` is null when no record is kept for it. References resolve
  // asynchronously so that one malformed key nulls its own entry, not the whole batch.
  LegalEntity: {
    __resolveReference: async (ref: { creditCode: string }) => ({
      creditCode: checkedKey(ref.creditCode, creditCodeProblem, 'representations.creditCode', 'a unified social credit code'),
    }),
    credit: (entity: { creditCode: string }, _: unknown, { loaders }: Context) =>
      loaders.profileBySubject.load(subjectId('LEGAL_ENTITY', entity.creditCode)),
  },
  Person: {
    __resolveReference: async (ref: { idNumber: string }) => ({
      idNumber: checkedKey(ref.idNumber, citizenIdProblem, 'representations.idNumber', 'a citizen ID number'),
    }),
    credit: (person: { idNumber: string }, _: unknown, { loaders }: Context) =>
      loaders.profileBySubject.load(subjectId('PERSON', person.idNumber)),
  },
  CreditProfile: {
    penalties: (profile: CreditProfile, _: unknown, { loaders }: Context) => loaders.penaltiesBySubject.load(profile.subjectId),
    commendations: (profile: CreditProfile, _: unknown, { loaders }: Context) => loaders.commendationsBySubject.load(profile.subjectId),
  },
};
