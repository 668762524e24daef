/** Resolvers of the population subgraph (public security's household register). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { citizenIdProblem } from '../../schema/identifiers.ts';
import { badUserInput } from '../../lib/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { PopulationLoaders } from './loaders.ts';
import type { PopulationDatabase, Person, Household } from './store.ts';

type Context = SubgraphContext<PopulationDatabase, PopulationLoaders>;

/** Largest list `persons(idNumbers:)` answers at once; bigger lists are batch downloads (R7). */
export const MAX_PERSONS_PER_QUERY = 100;

export function checkedIdNumber(idNumber: string, argument = 'idNumber'): string {
  const problem = citizenIdProblem(idNumber);
  if (problem) throw badUserInput(`${argument} ${JSON.stringify(idNumber)} is not a citizen ID number: ${problem}`, { argument });
  return idNumber;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    person: (_: unknown, { idNumber }: { idNumber: string }, { loaders }: Context) =>
      loaders.personByIdNumber.load(checkedIdNumber(idNumber)),
    persons: async (_: unknown, { idNumbers }: { idNumbers: string[] }, { loaders }: Context) => {
      if (idNumbers.length > MAX_PERSONS_PER_QUERY) {
        throw badUserInput(`persons(idNumbers:) takes at most ${MAX_PERSONS_PER_QUERY} numbers, received ${idNumbers.length}; split the list or apply for batch download`, { argument: 'idNumbers' });
      }
      idNumbers.forEach((id, i) => checkedIdNumber(id, `idNumbers[${i}]`));
      return loaders.personByIdNumber.loadMany(idNumbers);
    },
  },
  Person: {
    __resolveReference: (ref: { idNumber: string }, { loaders }: Context) => loaders.personByIdNumber.load(ref.idNumber),
    householdDivision: (person: Person) => ({ code: person.householdDivisionCode }),
    household: (person: Person, _: unknown, { loaders }: Context) => loaders.householdByNo.load(person.householdNo),
  },
  Household: {
    division: (household: Household) => ({ code: household.divisionCode }),
    members: async (household: Household, _: unknown, { loaders }: Context) => {
      const members = await loaders.membersByHouseholdNo.load(household.householdNo);
      return members.map((person) => ({ relation: person.householdRelation, person }));
    },
  },
};
