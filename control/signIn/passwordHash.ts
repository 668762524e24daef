/**
 * Password hashes of local accounts (R10, identity authentication): scrypt (RFC 7914) from
 * node:crypto, a random 16-byte salt per hash, compared in constant time.
 *
 * Parameters: N = 2^15, r = 8, p = 1, 32-byte key — about 32 MiB and ~50–100 ms per hash on
 * one core, OWASP's recommended scrypt minimum (N=2^17 costs 128 MiB per sign-in, too much for a
 * gateway replica under a burst of sign-ins). They are stored with each hash
 * (`scrypt$N$r$p$salt$key`, base64url), so raising them later keeps old hashes verifiable.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const SCRYPT_PARAMETERS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;

/** The shortest password a person may choose. */
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltBytes } = SCRYPT_PARAMETERS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, keyLength, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` is the one `stored` was made from; a malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length < 16) return false;
  const key = await derive(password, salt, expected.length, { N, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * A hash no password matches, verified against when the username is unknown, so that an
 * unknown name takes as long to refuse as a wrong password (no account enumeration by timing).
 */
export const DUMMY_HASH = `scrypt$${SCRYPT_PARAMETERS.N}$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32, 1).toString('base64url')}`;

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH) return `a password has at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'a password has at most 256 characters';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'a password does not contain the username';
  return null;
}

/** A one-time password an administrator hands over (a reset): 20 characters of base64url, ~120 bits. */
export function oneTimePassword(): string {
  return randomBytes(15).toString('base64url');
}
