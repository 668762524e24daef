/**
 * Verifying an electronic seal (R12; 004 art. 22–23: a sealed electronic licence counts as the
 * original, so a relying party must be able to tell a genuine one from a forgery).
 *
 * The key is looked up in the issuer seal-key registry by the seal's issuer (sealInfo.esId)
 * and key id (signerKeyId) together; the public key a document carries is never used. A forger
 * who re-signs altered content with their own key, and swaps their key into the document, names
 * a key id the registry does not hold for that issuer (refused), or names a registered one and
 * fails its signature check.
 *
 * Time (what we chose): the seal's signing time (timeInfo, inside the signature) must fall in
 * the key's validity [valid_from, valid_until) and before its revocation; so a rotated key's
 * seals keep verifying, and a revoked key's seals made before the revocation time still verify
 * while those from then on fail. GB/T 38540's trusted timestamp is left out, so the signing
 * time is the signer's claim: someone holding a stolen key could date a seal before the
 * revocation. Against that, a revocation can be dated back to when the compromise began (its
 * `from`), and a seal dated in the future (beyond CLOCK_SKEW_MS) fails.
 */
import { signedData, type ElectronicSealRecord } from '../../lib/electronicSeal.ts';
import { SM2_WITH_SM3_OID, SM3_OID, sm2Verify, sm3 } from '../../lib/sm2Signature.ts';
import { keyUsableAt, type SealKey, type SealKeyRegistry } from './sealKeyRegistry.ts';

/** How far a signing time may run ahead of the verifier's clock. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export type SealVerdict =
  | 'VALID'
  | 'CONTENT_ALTERED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'KEY_REVOKED'
  | 'OUTSIDE_KEY_VALIDITY'
  | 'UNSUPPORTED_ALGORITHM'
  | 'MALFORMED';

export interface SealVerification {
  readonly valid: boolean;
  readonly verdict: SealVerdict;
  /** Why, in words a relying party can act on. */
  readonly message: string;
  /** The registry's key the seal names, when it holds one (never the document's). */
  readonly key: SealKey | null;
  readonly signedAt: string | null;
}

function result(verdict: SealVerdict, message: string, key: SealKey | null, signedAt: string | null): SealVerification {
  return { valid: verdict === 'VALID', verdict, message, key, signedAt };
}

/** Whether `seal` is a genuine seal of its issuer over exactly `content`, judged against the registry. */
export async function verifySealedDocument(registry: Pick<SealKeyRegistry, 'key'>, content: string, seal: ElectronicSealRecord, now = new Date()): Promise<SealVerification> {
  const signedAtDate = new Date(seal.timeInfo);
  if (Number.isNaN(signedAtDate.getTime()) || signedAtDate.toISOString() !== seal.timeInfo) {
    return result('MALFORMED', `the seal's timeInfo ${JSON.stringify(seal.timeInfo)} is not an ISO 8601 UTC time as seals are written`, null, null);
  }
  const signedAt = seal.timeInfo;
  if (seal.signatureAlgorithm !== SM2_WITH_SM3_OID || seal.dataHashAlgorithm !== SM3_OID) {
    return result('UNSUPPORTED_ALGORITHM', `seals are SM2 with SM3 (${SM2_WITH_SM3_OID}) over an SM3 digest (${SM3_OID}); this one says ${seal.signatureAlgorithm} over ${seal.dataHashAlgorithm}`, null, signedAt);
  }
  // By issuer and key id together: the registry is the only source of the public key.
  const key = await registry.key(seal.sealInfo.esId, seal.signerKeyId);
  if (!key) {
    return result('UNKNOWN_KEY', `the registry holds no seal key ${JSON.stringify(seal.signerKeyId)} of issuer ${JSON.stringify(seal.sealInfo.esId)}: not a seal of that issuer`, null, signedAt);
  }
  const signature = Buffer.from(seal.signature, 'base64');
  if (!sm2Verify(signedData(seal), signature, key.publicKey)) {
    return result('BAD_SIGNATURE', `the signature does not verify under ${key.issuerName}'s registered key ${key.keyId}: the seal was altered or made with another key`, key, signedAt);
  }
  if (sm3(Buffer.from(content, 'utf8')).toString('base64') !== seal.dataHash) {
    return result('CONTENT_ALTERED', 'the content is not what was sealed: its SM3 digest differs from the seal\'s dataHash', key, signedAt);
  }
  if (signedAtDate.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    return result('OUTSIDE_KEY_VALIDITY', `the seal is dated ${signedAt}, in the future`, key, signedAt);
  }
  if (key.revokedAt !== null && signedAt >= key.revokedAt) {
    return result('KEY_REVOKED', `key ${key.keyId} was revoked from ${key.revokedAt} (${key.revocationReason ?? ''}); this seal is dated ${signedAt}, after that`, key, signedAt);
  }
  if (!keyUsableAt(key, signedAt)) {
    return result('OUTSIDE_KEY_VALIDITY', `the seal is dated ${signedAt}, outside key ${key.keyId}'s validity (${key.validFrom} – ${key.validUntil ?? 'open'})`, key, signedAt);
  }
  const note = key.revokedAt ? ` (the key was revoked from ${key.revokedAt}, after this seal was made)` : key.validUntil ? ` (the key has since been rotated; its seals remain valid)` : '';
  return result('VALID', `sealed by ${key.issuerName} (${key.issuerCode}) with registered key ${key.keyId} at ${signedAt}${note}`, key, signedAt);
}
