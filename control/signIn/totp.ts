/**
 * The second factor of local accounts: TOTP (RFC 6238; SHA-1, 6 digits, 30 s — what every
 * authenticator app reads from an otpauth:// URI) with otplib 13. A code is accepted one step
 * either side of now (clock drift), and never twice: the step it matched is kept and a later
 * sign-in must match a later step (replay of an observed code is refused).
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';

/** The issuer authenticator apps show beside the account. */
export const TOTP_ISSUER = 'govgraph';
/** Seconds either side of now a code is still accepted. */
export const TOTP_TOLERANCE_SECONDS = 30;

/** A new shared secret: 20 random bytes, base32 (otplib's default, RFC 4226's recommendation). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app enrols from (as a QR code or pasted). */
export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: username, secret });
}

/** The code for `at` (demo and tests). */
export function totpCode(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * The time step `code` matched, or null. `afterStep`: the step of the last accepted code, so
 * that no code is accepted twice.
 */
export async function matchTotp(secret: string, code: string, at: Date, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret, token: code, epoch: Math.floor(at.getTime() / 1000), epochTolerance: TOTP_TOLERANCE_SECONDS,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  // A TOTP verification's result carries the step it matched (HOTP's, which this never is, does not).
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
