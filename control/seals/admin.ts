/**
 * The issuer seal-key registry in the management API (`/admin/graphql`): `sealKeysTypeDefs`,
 * merged with `control/admin/schema.graphql`, and `sealKeysResolvers`, over the admin context's
 * platform store (its database and secret sealer) and clock.
 *
 * Who may do what (R12; 004 art. 22–23): every credential reads the registered keys' public
 * halves and verifies seals (a relying party is any department holding a licence); a
 * department administrator makes and rotates its issuers' keys and revokes them, with a
 * reason; the platform administrator may revoke any key (incident response, R10). Every
 * change is recorded in the audit trail by the admin audit plugin, with its reason.
 */
import { GraphQLError } from 'graphql';
import { parseSealRecord } from '../../lib/electronicSeal.ts';
import { ErrorCode } from '../../lib/errors.ts';
import type { Identity, PlatformStore } from '../store/platformStore.ts';
import { SealKeyRegistry, type SealKey } from './sealKeyRegistry.ts';
import { verifySealedDocument } from './verifySealedDocument.ts';

/** The part of the admin context the registry's resolvers use. */
export interface SealKeysAdminContext {
  readonly identity: Identity;
  readonly store: PlatformStore;
  readonly clock: () => Date;
}

/** Largest content a verification accepts: licence documents are a few kilobytes. */
const MAX_CONTENT_CHARS = 1_000_000;

export const sealKeysTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The issuer seal-key registry (印章密钥登记, R12): issuing authorities' SM2 seal keys — public
  halves only — with their validity and revocation. Filter by issuer code or keeping department.
  Every credential may read it: relying parties verify seals against it.
  """
  sealKeys(issuerCode: String, department: String): [SealKey!]!
  """
  Verifies an electronic seal (验章) against the registry: content is the sealed document's exact
  text (a licence document's content); seal is the seal as JSON (ElectronicSeal.record). The key
  is looked up by the seal's issuer and key id; a key the document carries is never used.
  """
  verifyElectronicSeal(content: String!, seal: String!): SealVerification!
}

extend type Mutation {
  """
  Department administrator: a new current seal key for an issuing authority its department
  keeps (its first, or a rotation). The previous key stops sealing now; its seals keep
  verifying. An issuer's first key: by the department whose code begins the issuer's
  (SAMR440305: samr), with issuerName. Audited with the reason.
  """
  rotateSealKey(issuerCode: String!, issuerName: String, reason: String!): SealKey!
  """
  Department administrator of the keeping department, or the platform administrator: revokes a
  seal key from a time (default now; may be dated back to when a compromise began). Seals made
  from then on fail verification; earlier ones still verify. Audited with the reason.
  """
  revokeSealKey(id: ID!, reason: String!, from: String): SealKey!
}

"An issuing authority's seal key (印章密钥) in the registry."
type SealKey {
  "Key id: the issuer's code and a fingerprint of the public key; seals name it (signerKeyId)."
  keyId: ID!
  "The platform department that keeps the issuer (e.g. samr)."
  department: String!
  "The issuing authority's code (印章编码 esID, e.g. SAMR440305)."
  issuerCode: String!
  "The issuing authority's name, as on its seal."
  issuerName: String!
  "SM2-with-SM3 (OID 1.2.156.10197.1.501)."
  algorithm: String!
  "Public key: uncompressed SM2 point, hex 04‖x‖y."
  publicKey: String!
  "Public key as base64 DER SubjectPublicKeyInfo (openssl pkey -pubin reads it as PEM)."
  publicKeySpki: String!
  validFrom: String!
  "When it stopped sealing (rotated); null: current."
  validUntil: String
  "Revoked from this time on; null: not revoked."
  revokedAt: String
  revocationReason: String
  revokedBy: String
  createdAt: String!
  createdBy: String!
  creationReason: String!
}

enum SealVerdict {
  VALID
  "The content's SM3 digest is not the one sealed."
  CONTENT_ALTERED
  "The registry holds no such key for the seal's issuer: not that issuer's seal."
  UNKNOWN_KEY
  "The signature does not verify under the registered key."
  BAD_SIGNATURE
  "Made after its key's revocation time."
  KEY_REVOKED
  "Dated outside its key's validity, or in the future."
  OUTSIDE_KEY_VALIDITY
  UNSUPPORTED_ALGORITHM
  MALFORMED
}

"The answer to a seal verification (验章结果)."
type SealVerification {
  valid: Boolean!
  verdict: SealVerdict!
  message: String!
  "The signing time the seal states."
  signedAt: String
  "The registry's key the seal names, when it holds one."
  key: SealKey
}
`;

export function sealKeyRegistryOf(ctx: SealKeysAdminContext): SealKeyRegistry {
  if (!ctx.store.secrets) throw new Error('the platform store was opened without the platform key: seal keys cannot be made');
  return new SealKeyRegistry(ctx.store.db, ctx.store.secrets, ctx.clock);
}

/** Reads need no secrets: a registry whose sealer refuses, should anything try to seal. */
function readingRegistry(ctx: SealKeysAdminContext): SealKeyRegistry {
  return ctx.store.secrets ? sealKeyRegistryOf(ctx) : new SealKeyRegistry(ctx.store.db, {
    currentKeyId: 'none',
    encrypt: () => Promise.reject(new Error('no platform key')),
    decrypt: () => Promise.reject(new Error('no platform key')),
  }, ctx.clock);
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

export const sealKeysResolvers = {
  Query: {
    sealKeys: (_: unknown, args: { issuerCode?: string | null; department?: string | null }, ctx: SealKeysAdminContext): Promise<SealKey[]> =>
      readingRegistry(ctx).keys(args),
    verifyElectronicSeal: async (_: unknown, args: { content: string; seal: string }, ctx: SealKeysAdminContext) => {
      if (args.content.length > MAX_CONTENT_CHARS) throw badInput(`content is ${args.content.length} characters; at most ${MAX_CONTENT_CHARS} are verified here`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(args.seal);
      } catch {
        throw badInput('seal is not JSON: pass the seal as its JSON text (ElectronicSeal.record)');
      }
      const seal = parseSealRecord(parsed);
      if (typeof seal === 'string') throw badInput(seal);
      return verifySealedDocument(readingRegistry(ctx), args.content, seal, ctx.clock());
    },
  },
  Mutation: {
    rotateSealKey: (_: unknown, args: { issuerCode: string; issuerName?: string | null; reason: string }, ctx: SealKeysAdminContext) =>
      sealKeyRegistryOf(ctx).rotate(ctx.identity, args),
    revokeSealKey: (_: unknown, args: { id: string; reason: string; from?: string | null }, ctx: SealKeysAdminContext) =>
      sealKeyRegistryOf(ctx).revoke(ctx.identity, { keyId: args.id, reason: args.reason, from: args.from ?? null }),
  },
};
