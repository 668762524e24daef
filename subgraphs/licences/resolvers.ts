/** Resolvers of the licences subgraph (government services' electronic licence library). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { badUserInput } from '../../lib/errors.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { LicencesLoaders } from './loaders.ts';
import type { Licence, LicencesDatabase } from './store.ts';

type Context = SubgraphContext<LicencesDatabase, LicencesLoaders>;

/** Largest list `licences(licenceNos:)` answers at once; bigger lists are batch downloads (R7). */
export const MAX_LICENCES_PER_QUERY = 100;

/** Licence numbers differ by kind and issuer; all are capitals, digits and hyphens. */
const LICENCE_NO = /^[0-9A-Z][0-9A-Z-]{5,39}$/;

/** What a holder resolves to: an entity reference, typed by which key it carries. */
type PartyRef = { readonly idNumber: string } | { readonly creditCode: string };

export type LicenceStatus = 'VALID' | 'EXPIRED' | 'REVOKED';

export function checkedLicenceNo(licenceNo: string, argument = 'licenceNo'): string {
  if (!LICENCE_NO.test(licenceNo)) {
    throw badUserInput(
      `${argument} ${JSON.stringify(licenceNo)} is not a licence number: expected 6–40 characters of capital letters, digits and hyphens, as printed on the licence`,
      { argument },
    );
  }
  return licenceNo;
}

/** Today's date where the licences are issued: validity ends at midnight China Standard Time (UTC+8). */
export function todayInChina(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Revocation wins; otherwise a licence is valid through its validUntil day, and forever without one. */
export function licenceStatus(licence: Pick<Licence, 'revoked' | 'validUntil'>, today = todayInChina()): LicenceStatus {
  if (licence.revoked) return 'REVOKED';
  if (licence.validUntil !== null && licence.validUntil < today) return 'EXPIRED';
  return 'VALID';
}

export interface LicenceVerification {
  readonly exists: boolean;
  readonly holderMatches: boolean;
  readonly valid: boolean;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    licence: (_: unknown, { licenceNo }: { licenceNo: string }, { loaders }: Context) => loaders.licenceByNo.load(checkedLicenceNo(licenceNo)),
    licences: (_: unknown, { licenceNos }: { licenceNos: string[] }, { loaders }: Context) => {
      if (licenceNos.length > MAX_LICENCES_PER_QUERY) {
        throw badUserInput(`licences(licenceNos:) takes at most ${MAX_LICENCES_PER_QUERY} numbers, received ${licenceNos.length}; split the list or apply for batch download`, { argument: 'licenceNos' });
      }
      licenceNos.forEach((no, i) => checkedLicenceNo(no, `licenceNos[${i}]`));
      return loaders.licenceByNo.loadMany(licenceNos);
    },
    // R7: verification answers yes or no and discloses no licence data. A malformed number does
    // not exist rather than being an error; validity is said only for the holder it was issued to.
    verifyLicence: async (_: unknown, { licenceNo, holderKey }: { licenceNo: string; holderKey: string }, { loaders }: Context): Promise<LicenceVerification> => {
      const licence = LICENCE_NO.test(licenceNo) ? await loaders.licenceByNo.load(licenceNo) : null;
      // Citizen ID numbers may end in a lower-case x as typed; both key kinds are upper case.
      const holderMatches = licence !== null && licence.holderKey === holderKey.trim().toUpperCase();
      return { exists: licence !== null, holderMatches, valid: holderMatches && licenceStatus(licence!) === 'VALID' };
    },
  },
  Licence: {
    __resolveReference: (ref: { licenceNo: string }, { loaders }: Context) => loaders.licenceByNo.load(ref.licenceNo),
    holder: (licence: Licence): PartyRef =>
      licence.holderKind === 'PERSON' ? { idNumber: licence.holderKey } : { creditCode: licence.holderKey },
    status: (licence: Licence) => licenceStatus(licence),
    // R12: the content and its seal exactly as stored at issue; nothing here re-signs.
    document: (licence: Licence) => ({ format: 'application/json', content: licence.content, licence }),
  },
  LicenceDocument: {
    seal: ({ licence }: { licence: Licence }) => ({ keyId: licence.sealKeyId, signature: licence.signature }),
  },
  ElectronicSeal: {
    algorithm: async (seal: { keyId: string }, _: unknown, { loaders }: Context) => (await loaders.sealKeyById.load(seal.keyId))?.algorithm ?? null,
    publicKey: async (seal: { keyId: string }, _: unknown, { loaders }: Context) => (await loaders.sealKeyById.load(seal.keyId))?.publicKey ?? null,
  },
  Party: {
    __resolveType: (party: PartyRef) => ('idNumber' in party ? 'Person' : 'LegalEntity'),
  },
  // Persons and legal entities are other departments' records: this subgraph only adds
  // their licences, so a reference resolves to its key without reading anything.
  Person: {
    __resolveReference: (ref: { idNumber: string }) => ({ idNumber: ref.idNumber }),
    licences: (person: { idNumber: string }, _: unknown, { loaders }: Context) => loaders.licencesOfPerson.load(person.idNumber),
  },
  LegalEntity: {
    __resolveReference: (ref: { creditCode: string }) => ({ creditCode: ref.creditCode }),
    licences: (entity: { creditCode: string }, _: unknown, { loaders }: Context) => loaders.licencesOfLegalEntity.load(entity.creditCode),
  },
};
