/**
 * Electronic seals on licence documents (R12): the seal format and SM2 signing are in
 * lib/electronicSeal.ts and lib/sm2Signature.ts (GB/T 38540 shape, SM2 with SM3); issuers' keys
 * are in the platform's issuer seal-key registry (control/seals), which seals the demo's
 * licences and verifies seals. Kept here: the canonical JSON every licence's content is.
 */
export { canonicalJson, type JsonValue } from '../../lib/canonicalJson.ts';
