/**
 * SM2 digital signatures with SM3 (GB/T 32918.2; GB/T 35276 for the encodings): what electronic
 * seals (GB/T 38540) sign with. Verified by `openssl pkeyutl -verify -rawin -digest sm3
 * -pkeyopt distid:1234567812345678` (the test oracle, subgraphs/licences and control/seals).
 *
 * Glossary:
 * - user id (ID_A): the signer's distinguishing identifier; GB/T 35276 fixes the default
 *   1234567812345678 when none is agreed, and every seal here uses it.
 * - Z: SM3(ENTL‖ID‖a‖b‖x_G‖y_G‖x_A‖y_A), binding the signature to the curve and the signer's
 *   public key; the signed digest is e = SM3(Z‖M).
 * - keys: private key hex (64 digits); public key hex `04‖x‖y` (uncompressed, 130 digits).
 *
 * Why not node:crypto alone: `crypto.sign('sm3', …)` with an SM2-curve key is ECDSA over SM3,
 * not SM2 (no Z, different equations), and openssl's SM2 verification refuses it. The
 * signature equations are sm-crypto's (kept, MIT); its own random numbers come from an RC4
 * stream seeded once, so key pairs and nonces are drawn here from OpenSSL's generator
 * (an SM2 ECDH key pair is a random k with k·G, which is also the expensive half of a
 * signature), and Z and e are computed with node's native SM3.
 */
import { createECDH, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import smCrypto from 'sm-crypto';

/** GB/T 35276 default signer id. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';
/** SM2 signature with SM3 (SM3WithSM2, GM/T 0006). */
export const SM2_WITH_SM3_OID = '1.2.156.10197.1.501';
/** SM3 hash (GM/T 0006). */
export const SM3_OID = '1.2.156.10197.1.401';

// Curve parameters of GB/T 32918.5 (the recommended 256-bit curve), as they enter Z.
const CURVE_A_B_G = Buffer.from(
  'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC'
  + '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93'
  + '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7'
  + 'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0',
  'hex',
);
/** DER prefix of an SM2 SubjectPublicKeyInfo: id-ecPublicKey, curve sm2 (1.2.156.10197.1.301), then the point. */
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
const PUBLIC_KEY_HEX = /^04[0-9a-f]{128}$/;
const PRIVATE_KEY_HEX = /^[0-9a-f]{64}$/;
/** A DER SM2 signature is a SEQUENCE of two INTEGERs of at most 33 bytes: never more than 72 bytes. */
const MAX_SIGNATURE_BYTES = 72;

// The BigInteger class sm-crypto computes with (its own dependency), for the nonce points.
type BigIntegerClass = new (value: string, radix: number) => unknown;
const { BigInteger } = createRequire(createRequire(import.meta.url).resolve('sm-crypto'))('jsbn') as { BigInteger: BigIntegerClass };

export interface Sm2KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** A new key pair from OpenSSL's random generator. */
export function generateSm2KeyPair(): Sm2KeyPair {
  const ecdh = createECDH('SM2');
  ecdh.generateKeys();
  return { privateKey: ecdh.getPrivateKey('hex').padStart(64, '0'), publicKey: ecdh.getPublicKey('hex', 'uncompressed') };
}

export function isSm2PublicKey(publicKey: string): boolean {
  return PUBLIC_KEY_HEX.test(publicKey) && smCrypto.sm2.verifyPublicKey(publicKey);
}

/** e = SM3(Z‖M) for the signer's public key and user id: the digest SM2 signs. */
export function sm2SignedDigest(message: Uint8Array, publicKey: string, userId = SM2_DEFAULT_USER_ID): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(id.length * 8);
  const z = createHash('sm3').update(entl).update(id).update(CURVE_A_B_G).update(Buffer.from(publicKey.slice(2), 'hex')).digest();
  return createHash('sm3').update(z).update(message).digest();
}

/** SM3 of the bytes: what a seal records as the signed document's digest. */
export function sm3(bytes: Uint8Array): Buffer {
  return createHash('sm3').update(bytes).digest();
}

/** A nonce point (k, x of k·G) with k from OpenSSL's generator. */
function noncePoint() {
  const ecdh = createECDH('SM2');
  ecdh.generateKeys();
  return { k: new BigInteger(ecdh.getPrivateKey('hex'), 16), x1: new BigInteger(ecdh.getPublicKey('hex', 'uncompressed').slice(2, 66), 16) };
}

/** The SM2 signature (DER SEQUENCE { r, s }, GB/T 35276) of the message's bytes, user id 1234567812345678. */
export function sm2Sign(message: Uint8Array, keyPair: Sm2KeyPair): Buffer {
  if (!PRIVATE_KEY_HEX.test(keyPair.privateKey) || !PUBLIC_KEY_HEX.test(keyPair.publicKey)) {
    throw new TypeError('sm2Sign expects a private key of 64 lower-case hex digits and a public key 04‖x‖y of 130');
  }
  const e = sm2SignedDigest(message, keyPair.publicKey);
  // hash: false: the digest is e already; the nonce point is ours, not the library's RC4 stream's.
  const der = smCrypto.sm2.doSignature([...e], keyPair.privateKey, { hash: false, der: true, pointPool: [noncePoint()] });
  return Buffer.from(der, 'hex');
}

/**
 * Whether `signature` (DER) is the SM2 signature of the message under the public key, user id
 * 1234567812345678. Anything malformed is false, never an exception. The digest here is the
 * library's own (it computes Z itself), so signing and verifying do not share that code.
 */
export function sm2Verify(message: Uint8Array, signature: Uint8Array, publicKey: string): boolean {
  if (!isSm2PublicKey(publicKey) || signature.length === 0 || signature.length > MAX_SIGNATURE_BYTES) return false;
  try {
    return smCrypto.sm2.doVerifySignature([...message], Buffer.from(signature).toString('hex'), publicKey, { hash: true, der: true, userId: SM2_DEFAULT_USER_ID });
  } catch {
    return false;
  }
}

/** The public key as DER SubjectPublicKeyInfo (what `openssl pkey -pubin` reads, base64 in PEM). */
export function sm2PublicKeyDer(publicKey: string): Buffer {
  if (!PUBLIC_KEY_HEX.test(publicKey)) throw new TypeError(`not an uncompressed SM2 public key (04‖x‖y, 130 hex digits): ${publicKey.slice(0, 16)}…`);
  return Buffer.concat([SPKI_PREFIX, Buffer.from(publicKey, 'hex')]);
}

export function sm2PublicKeyPem(publicKey: string): string {
  const base64 = sm2PublicKeyDer(publicKey).toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
}
