/** Resolvers of the legal-person subgraph (market supervision's entity register). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { citizenIdProblem, creditCodeProblem } from '../../schema/identifiers.ts';
import { badUserInput } from '../../lib/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { LegalPersonLoaders } from './loaders.ts';
import type { LegalPersonDatabase, LegalEntity, Shareholder } from './store.ts';

type Context = SubgraphContext<LegalPersonDatabase, LegalPersonLoaders>;

/** Largest list `legalEntities(creditCodes:)` answers at once; bigger lists are batch downloads (R7). */
export const MAX_LEGAL_ENTITIES_PER_QUERY = 100;

export function checkedCreditCode(creditCode: string, argument = 'creditCode'): string {
  const problem = creditCodeProblem(creditCode);
  if (problem) throw badUserInput(`${argument} ${JSON.stringify(creditCode)} is not a unified social credit code: ${problem}`, { argument });
  return creditCode;
}

export function checkedIdNumber(idNumber: string, argument = 'idNumber'): string {
  const problem = citizenIdProblem(idNumber);
  if (problem) throw badUserInput(`${argument} ${JSON.stringify(idNumber)} is not a citizen ID number: ${problem}`, { argument });
  return idNumber;
}

/** Whether a name given for verification is the registered one: NFKC (full-width brackets and letters), without spaces. */
export function sameEntityName(registered: string, given: string): boolean {
  const normal = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');
  return normal(given) !== '' && normal(registered) === normal(given);
}

export interface LegalEntityVerification {
  readonly creditCodeValid: boolean;
  readonly nameMatches: boolean;
  readonly active: boolean | null;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    legalEntity: (_: unknown, { creditCode }: { creditCode: string }, { loaders }: Context) =>
      loaders.entityByCreditCode.load(checkedCreditCode(creditCode)),
    legalEntities: async (_: unknown, { creditCodes }: { creditCodes: string[] }, { loaders }: Context) => {
      if (creditCodes.length > MAX_LEGAL_ENTITIES_PER_QUERY) {
        throw badUserInput(
          `legalEntities(creditCodes:) takes at most ${MAX_LEGAL_ENTITIES_PER_QUERY} codes, received ${creditCodes.length}; split the list or apply for batch download`,
          { argument: 'creditCodes' },
        );
      }
      creditCodes.forEach((code, i) => checkedCreditCode(code, `creditCodes[${i}]`));
      return loaders.entityByCreditCode.loadMany(creditCodes);
    },
    // R7: verification answers yes or no and discloses nothing registered; whether the entity
    // is active is said only to a caller who holds both the code and the registered name.
    verifyLegalEntity: async (_: unknown, { creditCode, name }: { creditCode: string; name: string }, { loaders }: Context): Promise<LegalEntityVerification> => {
      const entity = creditCodeProblem(creditCode) ? null : await loaders.entityByCreditCode.load(creditCode);
      const nameMatches = entity !== null && sameEntityName(entity.name, name);
      return { creditCodeValid: entity !== null, nameMatches, active: entity !== null && nameMatches ? entity.status === 'ACTIVE' : null };
    },
  },
  LegalEntity: {
    // Async, so that one malformed key nulls its own entry rather than the whole `_entities`.
    __resolveReference: async (ref: { creditCode: string }, { loaders }: Context) =>
      loaders.entityByCreditCode.load(checkedCreditCode(ref.creditCode, 'representations.creditCode')),
    registeredDivision: (entity: LegalEntity) => ({ code: entity.registeredDivisionCode }),
    // Population resolves the person; this subgraph only knows the number.
    legalRepresentative: (entity: LegalEntity) => ({ idNumber: entity.legalRepresentativeIdNumber }),
    shareholders: (entity: LegalEntity, _: unknown, { loaders }: Context) => loaders.shareholdersByCreditCode.load(entity.creditCode),
    annualReports: (entity: LegalEntity, _: unknown, { loaders }: Context) => loaders.annualReportsByCreditCode.load(entity.creditCode),
  },
  Shareholder: {
    person: (holder: Shareholder) => (holder.kind === 'PERSON' ? { idNumber: holder.holderKey } : null),
    legalEntity: (holder: Shareholder, _: unknown, { loaders }: Context) =>
      holder.kind === 'LEGAL_ENTITY' ? loaders.entityByCreditCode.load(holder.holderKey) : null,
  },
  Person: {
    // Whether the person exists is population's to say; here a person is only a key.
    __resolveReference: async (ref: { idNumber: string }) => ({ idNumber: checkedIdNumber(ref.idNumber, 'representations.idNumber') }),
    legalRepresentativeOf: (person: { idNumber: string }, _: unknown, { loaders }: Context) =>
      loaders.entitiesByRepresentative.load(person.idNumber),
  },
};
