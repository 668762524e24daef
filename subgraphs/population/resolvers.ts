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

/**
 * Whether a name given for verification is the registered one: compared after Unicode NFKC
 * (full-width letters, compatibility forms), without spaces, with the middle dots of
 * transliterated names (·・•‧) taken as one.
 */
export function sameName(registered: string, given: string): boolean {
  const normal = (name: string) => name.normalize('NFKC').replace(/\s+/g, '').replace(/[\u00b7\u30fb\u2022\u2027\uff65\u2219]/g, '·');
  return normal(registered) === normal(given) && normal(given) !== '';
}

export interface PersonVerification {
  readonly idNumberValid: boolean;
  readonly nameMatches: boolean;
  readonly alive: boolean | null;
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
    // R7: verification answers yes or no and discloses nothing registered. A malformed number
    // is "not valid" rather than an error, and whether the person is alive is said only to a
    // caller who already holds both the number and the registered name.
    verifyPerson: async (_: unknown, { idNumber, name }: { idNumber: string; name: string }, { loaders }: Context): Promise<PersonVerification> => {
      const person = citizenIdProblem(idNumber) ? null : await loaders.personByIdNumber.load(idNumber);
      const nameMatches = person !== null && sameName(person.name, name);
      return { idNumberValid: person !== null, nameMatches, alive: person !== null && nameMatches ? !person.deceased : null };
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
