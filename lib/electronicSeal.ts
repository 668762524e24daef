/**
 * Electronic seals (电子印章, R12; 004 art. 22–23) in the shape of GB/T 38540-2020 "Information
 * security technology — Technical specification of electronic seal", as far as it applies
 * without a certificate chain, carried as JSON instead of ASN.1 DER.
 *
 * Glossary (GB/T 38540 names in brackets):
 * - seal (SES_Signature): what travels with a document: the signed part, the algorithm, the
 *   signature.
 * - signed part (TBS_Sign): version, seal information, signing time, the document's digest and
 *   its property information, and the signer key id; its canonical JSON bytes are what SM2
 *   signs (`signedData`), so none of them can be changed without breaking the signature.
 * - seal information (SESeal / SES_SealInfo): the seal's code (esID: the issuing authority's
 *   code) and name (the authority's name).
 * - signer key id: names the key in the issuer seal-key registry (control/seals) that signed;
 *   it stands where GB/T 38540 puts the signer's certificate.
 *
 * Kept from GB/T 38540: version 4, seal code and name, signing time (timeInfo), SM3 digest of
 * the document (dataHash), property information (propertyInfo), signature algorithm OID
 * 1.2.156.10197.1.501 (SM2 with SM3), an SM2 signature in DER. Left out: the seal maker's
 * signature over the seal (SESeal.signAlgID / signedValue) and the seal picture, the seal's
 * certificate list and the signer's certificate (no PKI here: the registry, looked up by
 * issuer and key id, replaces certificate-chain validation and CRLs), the optional
 * trusted timestamp (timeStamp; so the signing time is the signer's claim, see
 * control/seals/verifySealedDocument.ts) and extension data.
 */
import { canonicalJson } from './canonicalJson.ts';
import { SM2_WITH_SM3_OID, SM3_OID, sm2PublicKeyDer, sm2Sign, sm3, type Sm2KeyPair } from './sm2Signature.ts';

/** GB/T 38540-2020 is version 4 of the seal structures. */
export const SEAL_VERSION = 4;
/** What `ElectronicSeal.algorithm` says of an SM2 seal (OpenSSL's short name of the OID). */
export const SEAL_ALGORITHM = 'SM2-with-SM3';

/** The part of a seal its signature covers (TBS_Sign). */
export interface SignedSealPart {
  readonly version: number;
  /** SES_SealInfo: the seal's code (the issuing authority's code) and name. */
  readonly sealInfo: { readonly esId: string; readonly name: string };
  /** Signing time, ISO 8601 UTC (timeInfo). */
  readonly timeInfo: string;
  /** base64 SM3 of the document's bytes (dataHash). */
  readonly dataHash: string;
  readonly dataHashAlgorithm: string;
  /** What the document is (propertyInfo), e.g. `licence:GSA…;application/json`. */
  readonly propertyInfo: string;
  /** The registry's name of the key that signed (in place of the signer's certificate). */
  readonly signerKeyId: string;
  readonly signatureAlgorithm: string;
}

/** A seal as stored and sent (SES_Signature). */
export interface ElectronicSealRecord extends SignedSealPart {
  /** base64 DER SM2 signature over `signedData(seal)`. */
  readonly signature: string;
  /**
   * base64 DER SubjectPublicKeyInfo of the signing key, as the seal carries the signer's
   * certificate: informative only, never used to verify (a forger would put their own here).
   */
  readonly signerPublicKey: string;
}

export interface SealingKey extends Sm2KeyPair {
  readonly keyId: string;
}

/** The bytes the signature covers: canonical JSON of the signed part. */
export function signedData(part: SignedSealPart): Buffer {
  return Buffer.from(canonicalJson({
    version: part.version,
    sealInfo: { esId: part.sealInfo.esId, name: part.sealInfo.name },
    timeInfo: part.timeInfo,
    dataHash: part.dataHash,
    dataHashAlgorithm: part.dataHashAlgorithm,
    propertyInfo: part.propertyInfo,
    signerKeyId: part.signerKeyId,
    signatureAlgorithm: part.signatureAlgorithm,
  }), 'utf8');
}

export interface SealRequest {
  /** The document's exact bytes (a licence: its canonical JSON content, UTF-8). */
  readonly content: string;
  readonly propertyInfo: string;
  readonly issuer: { readonly code: string; readonly name: string };
  readonly signedAt: Date;
}

/** Seals a document with an issuer's key. */
export function sealDocument(request: SealRequest, key: SealingKey): ElectronicSealRecord {
  const part: SignedSealPart = {
    version: SEAL_VERSION,
    sealInfo: { esId: request.issuer.code, name: request.issuer.name },
    timeInfo: request.signedAt.toISOString(),
    dataHash: sm3(Buffer.from(request.content, 'utf8')).toString('base64'),
    dataHashAlgorithm: SM3_OID,
    propertyInfo: request.propertyInfo,
    signerKeyId: key.keyId,
    signatureAlgorithm: SM2_WITH_SM3_OID,
  };
  return {
    ...part,
    signature: sm2Sign(signedData(part), key).toString('base64'),
    signerPublicKey: sm2PublicKeyDer(key.publicKey).toString('base64'),
  };
}

/** Seals documents for issuers: the issuer seal-key registry does it with the issuer's current key. */
export interface DocumentSealer {
  seal(request: Omit<SealRequest, 'signedAt'>): Promise<ElectronicSealRecord>;
}

const STRING_FIELDS = ['timeInfo', 'dataHash', 'dataHashAlgorithm', 'propertyInfo', 'signerKeyId', 'signatureAlgorithm', 'signature', 'signerPublicKey'] as const;

/**
 * A seal read from untrusted JSON (a relying party's copy), or a message saying what is
 * wrong with it. Only the shape is checked here; whether it holds is the verifier's question.
 */
export function parseSealRecord(value: unknown): ElectronicSealRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the seal is not a JSON object';
  const seal = value as Record<string, unknown>;
  if (seal.version !== SEAL_VERSION) return `the seal's version is ${JSON.stringify(seal.version)}; GB/T 38540-2020 seals are version ${SEAL_VERSION}`;
  for (const field of STRING_FIELDS) {
    if (field === 'signerPublicKey' && seal[field] === undefined) continue;
    if (typeof seal[field] !== 'string' || (seal[field] as string).length > 4096) return `the seal's ${field} is missing or not a string of at most 4096 characters`;
  }
  const info = seal.sealInfo as Record<string, unknown> | null | undefined;
  if (typeof info !== 'object' || info === null || typeof info.esId !== 'string' || typeof info.name !== 'string') return 'the seal\'s sealInfo must be an object with esId and name strings';
  return {
    version: SEAL_VERSION,
    sealInfo: { esId: info.esId, name: info.name },
    timeInfo: seal.timeInfo as string,
    dataHash: seal.dataHash as string,
    dataHashAlgorithm: seal.dataHashAlgorithm as string,
    propertyInfo: seal.propertyInfo as string,
    signerKeyId: seal.signerKeyId as string,
    signatureAlgorithm: seal.signatureAlgorithm as string,
    signature: seal.signature as string,
    signerPublicKey: (seal.signerPublicKey as string | undefined) ?? '',
  };
}
