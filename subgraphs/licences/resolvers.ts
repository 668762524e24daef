/** Resolvers of the licences subgraph (government services' electronic licence library). */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { badUserInput } from '../../lib/errors.ts';
import type { GraphQLResolveInfo } from 'graphql';
import { rowDenial } from '../../policies/decide.ts';
import { denialError } from '../../policies/denialError.ts';
import { schemaRowClasses } from '../../policies/fieldsUnderPolicy.ts';
import type { Denial } from '../../policies/model.ts';
import type { SubgraphContext } from '../runtime/definition.ts';
import type { LicencesLoaders } from './loaders.ts';
import type { Licence, LicencesDatabase } from './store.ts';
import { canonicalJson, type JsonValue } from '../../lib/canonicalJson.ts';
import { SEAL_ALGORITHM, type ElectronicSealRecord } from '../../lib/electronicSeal.ts';

/** A licence's seal as its resolvers see it. */
interface SealView {
  readonly keyId: string;
  readonly signature: string;
  readonly record: ElectronicSealRecord | null;
}

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

/**
 * The row class that withholds this licence from the caller, if any (R1 at row level: a
 * marriage certificate reveals marital status). The classes are those this schema declares
 * (`@rowClass` on Licence.kind), decided under the request's pinned snapshot with its decision
 * memo; no sharing context (the benchmark baseline): nothing.
 */
function withheld(licence: Licence, ctx: Context, info: GraphQLResolveInfo): Denial | null {
  const sharing = ctx.sharing;
  const rowClasses = schemaRowClasses(info.schema).get('Licence') ?? [];
  return sharing && rowClasses.length ? rowDenial(sharing.snapshot, sharing.caller, rowClasses, licence, sharing.decisions) : null;
}

/** A holder's licences the caller may see: the others are left out, not nulled — their existence is what leaks. */
function visibleOnly(licences: readonly Licence[], ctx: Context, info: GraphQLResolveInfo): Licence[] {
  return licences.filter((l) => !withheld(l, ctx, info));
}

/** A licence asked for by number: itself, null when unknown, or a FORBIDDEN error (null in the answer) when withheld. */
function askedFor(licence: Licence | null | Error, ctx: Context, info: GraphQLResolveInfo): Licence | null | Error {
  if (!licence || licence instanceof Error) return licence;
  const denial = withheld(licence, ctx, info);
  return denial ? denialError(denial) : licence;
}

export interface LicenceVerification {
  readonly exists: boolean;
  readonly holderMatches: boolean;
  readonly valid: boolean;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    licence: async (_: unknown, { licenceNo }: { licenceNo: string }, ctx: Context, info: GraphQLResolveInfo) => {
      const found = askedFor(await ctx.loaders.licenceByNo.load(checkedLicenceNo(licenceNo)), ctx, info);
      if (found instanceof Error) throw found;
      return found;
    },
    licences: async (_: unknown, { licenceNos }: { licenceNos: string[] }, ctx: Context, info: GraphQLResolveInfo) => {
      if (licenceNos.length > MAX_LICENCES_PER_QUERY) {
        throw badUserInput(`licences(licenceNos:) takes at most ${MAX_LICENCES_PER_QUERY} numbers, received ${licenceNos.length}; split the list or apply for batch download`, { argument: 'licenceNos' });
      }
      licenceNos.forEach((no, i) => checkedLicenceNo(no, `licenceNos[${i}]`));
      // The caller named each number: a withheld one is null in its place with its error (an
      // Error item), as licence(licenceNo:) answers it; dropping it would shift the others.
      return (await ctx.loaders.licenceByNo.loadMany(licenceNos)).map((l) => askedFor(l, ctx, info));
    },
    // R7: verification answers yes or no and discloses no licence data. A malformed number does
    // not exist rather than being an error; validity is said only for the holder it was issued to.
    verifyLicence: async (_: unknown, { licenceNo, holderKey }: { licenceNo: string; holderKey: string }, ctx: Context, info: GraphQLResolveInfo): Promise<LicenceVerification> => {
      const licence = LICENCE_NO.test(licenceNo) ? await ctx.loaders.licenceByNo.load(licenceNo) : null;
      // Even yes or no about a withheld kind says who is married: no answer at all.
      const denial = licence ? withheld(licence, ctx, info) : null;
      if (denial) throw denialError(denial);
      // Citizen ID numbers may end in a lower-case x as typed; both key kinds are upper case.
      const holderMatches = licence !== null && licence.holderKey === holderKey.trim().toUpperCase();
      return { exists: licence !== null, holderMatches, valid: holderMatches && licenceStatus(licence!) === 'VALID' };
    },
  },
  Licence: {
    // An `_entities` fetch of a withheld licence: null with its error (the shield's field rules
    // would refuse each field of it too).
    // (@apollo/subgraph calls it as (reference, context, info); the resolver map's type says otherwise.)
    __resolveReference: (async (ref: { licenceNo: string }, ctx: Context, info: GraphQLResolveInfo) =>
      askedFor(await ctx.loaders.licenceByNo.load(ref.licenceNo), ctx, info)) as never,
    holder: (licence: Licence): PartyRef =>
      licence.holderKind === 'PERSON' ? { idNumber: licence.holderKey } : { creditCode: licence.holderKey },
    status: (licence: Licence) => licenceStatus(licence),
    // R12: the content and its seal exactly as stored at issue; nothing here re-signs.
    document: (licence: Licence) => ({ format: 'application/json', content: licence.content, licence }),
  },
  LicenceDocument: {
    seal: ({ licence }: { licence: Licence }): SealView => ({ keyId: licence.sealKeyId, signature: licence.signature, record: licence.seal }),
  },
  // R12: everything from the seal as issued; a row not yet re-sealed answers from its old key's row.
  ElectronicSeal: {
    algorithm: async (seal: SealView, _: unknown, { loaders }: Context) => (seal.record ? SEAL_ALGORITHM : (await loaders.sealKeyById.load(seal.keyId))?.algorithm ?? null),
    publicKey: async (seal: SealView, _: unknown, { loaders }: Context) => seal.record?.signerPublicKey ?? (await loaders.sealKeyById.load(seal.keyId))?.publicKey ?? null,
    record: (seal: SealView) => (seal.record ? canonicalJson(seal.record as unknown as JsonValue) : null),
    signedAt: (seal: SealView) => seal.record?.timeInfo ?? null,
    issuerCode: (seal: SealView) => seal.record?.sealInfo.esId ?? null,
    algorithmOid: (seal: SealView) => seal.record?.signatureAlgorithm ?? null,
    contentDigest: (seal: SealView) => seal.record?.dataHash ?? null,
  },
  Party: {
    __resolveType: (party: PartyRef) => ('idNumber' in party ? 'Person' : 'LegalEntity'),
  },
  // Persons and legal entities are other departments' records: this subgraph only adds
  // their licences, so a reference resolves to its key without reading anything.
  Person: {
    __resolveReference: (ref: { idNumber: string }) => ({ idNumber: ref.idNumber }),
    licences: async (person: { idNumber: string }, _: unknown, ctx: Context, info: GraphQLResolveInfo) => visibleOnly(await ctx.loaders.licencesOfPerson.load(person.idNumber), ctx, info),
  },
  LegalEntity: {
    __resolveReference: (ref: { creditCode: string }) => ({ creditCode: ref.creditCode }),
    licences: async (entity: { creditCode: string }, _: unknown, ctx: Context, info: GraphQLResolveInfo) => visibleOnly(await ctx.loaders.licencesOfLegalEntity.load(entity.creditCode), ctx, info),
  },
};
