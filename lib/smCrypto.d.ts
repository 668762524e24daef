/**
 * The part of sm-crypto 0.5.8 (CommonJS, no bundled types; @types/sm-crypto is not installed)
 * that lib/sm2Signature.ts uses. Keys are hex: private 64 digits, public `04‖x‖y` (130).
 */
declare module 'sm-crypto' {
  /** A precomputed signing point: the nonce k and the x coordinate of k·G (jsbn BigIntegers). */
  export interface Sm2Point { readonly k: unknown; readonly x1: unknown }
  export interface Sm2SignOptions {
    readonly der?: boolean;
    /** true: the message is hashed as e = SM3(Z‖M); false: the message is e already. */
    readonly hash?: boolean;
    readonly publicKey?: string;
    readonly userId?: string;
    /** Nonce points, popped one per signature (used instead of the library's own RNG). */
    readonly pointPool?: Sm2Point[];
  }
  export interface Sm2 {
    doSignature(message: string | number[] | Uint8Array, privateKey: string, options?: Sm2SignOptions): string;
    doVerifySignature(message: string | number[] | Uint8Array, signature: string, publicKey: string, options?: Omit<Sm2SignOptions, 'pointPool' | 'publicKey'>): boolean;
    verifyPublicKey(publicKey: string): boolean;
    getPublicKeyFromPrivateKey(privateKey: string): string;
  }
  const smCrypto: { readonly sm2: Sm2 };
  export default smCrypto;
}
