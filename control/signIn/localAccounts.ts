/**
 * Local accounts (issue 14, R10): a username, a scrypt password hash and a TOTP secret for a
 * person, where the province has no identity service (and for `npm start`). The TOTP secret is
 * sealed under the platform key, bound to the username; failed sign-ins are counted toward a
 * lockout across every replica (they are rows, not memory).
 *
 * Glossary
 * - one-time password: what the department administrator hands over when setting up or
 *   resetting an account; it must be changed at the first sign-in (`must_change_password`).
 * - lockout: `failures` wrong passwords or codes within `windowMs` lock the account for `lockMs`.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SecretSealer } from '../../lib/secretSealer.ts';
import type { PlatformDatabase } from '../store/platformStore.ts';
import { hashPassword, oneTimePassword } from './passwordHash.ts';
import { newTotpSecret } from './totp.ts';
import type { LockoutSettings } from './signInSettings.ts';

export interface LocalAccount {
  readonly username: string;
  readonly personId: string;
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
  readonly lastTotpStep: number | null;
  readonly lockedUntil: string | null;
}

/** A username: 3–64 of lower-case letters, digits, `.`, `_`, `-`. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export function normalUsername(username: unknown): string {
  return typeof username === 'string' ? username.trim().toLowerCase() : '';
}

function toAccount(row: PlatformDatabase['local_accounts']): LocalAccount {
  return {
    username: row.username, personId: row.person_id, passwordHash: row.password_hash, mustChangePassword: Number(row.must_change_password) === 1,
    lastTotpStep: row.last_totp_step === null ? null : Number(row.last_totp_step), lockedUntil: row.locked_until,
  };
}

const binding = (username: string) => `local_accounts.totp_secret:${username}`;

export class LocalAccounts {
  constructor(private readonly db: Kysely<PlatformDatabase>, private readonly secrets: SecretSealer, private readonly lockout: LockoutSettings) {}

  async byUsername(username: string): Promise<LocalAccount | null> {
    const row = await this.db.selectFrom('local_accounts').selectAll().where('username', '=', normalUsername(username)).executeTakeFirst();
    return row ? toAccount(row) : null;
  }

  async ofPerson(personId: string): Promise<LocalAccount | null> {
    const row = await this.db.selectFrom('local_accounts').selectAll().where('person_id', '=', personId).executeTakeFirst();
    return row ? toAccount(row) : null;
  }

  async totpSecret(username: string): Promise<string> {
    const row = await this.db.selectFrom('local_accounts').select('totp_secret').where('username', '=', username).executeTakeFirstOrThrow();
    return (await this.secrets.decrypt(row.totp_secret, binding(username))).toString('utf8');
  }

  /**
   * A new account for a person. `password` and `totpSecret` given (the demo seed): the account is
   * ready; otherwise a one-time password is made, to be changed at the first sign-in.
   */
  async create(input: { personId: string; username: string; password?: string; totpSecret?: string }, actor: string, now: Date): Promise<{ username: string; password: string; totpSecret: string; mustChangePassword: boolean }> {
    const username = normalUsername(input.username);
    const password = input.password ?? oneTimePassword();
    const totpSecret = input.totpSecret ?? newTotpSecret();
    const mustChangePassword = input.password === undefined;
    await this.db.insertInto('local_accounts').values({
      username, person_id: input.personId, password_hash: await hashPassword(password), must_change_password: mustChangePassword ? 1 : 0,
      totp_secret: await this.secrets.encrypt(totpSecret, binding(username)), last_totp_step: null, locked_until: null,
      created_at: now.toISOString(), created_by: actor, password_changed_at: now.toISOString(),
    }).execute();
    return { username, password, totpSecret, mustChangePassword };
  }

  /** The administrator's reset: a one-time password, the lockout lifted. */
  async resetPassword(username: string, now: Date): Promise<string> {
    const password = oneTimePassword();
    await this.db.updateTable('local_accounts')
      .set({ password_hash: await hashPassword(password), must_change_password: 1, locked_until: null, password_changed_at: now.toISOString() })
      .where('username', '=', username).execute();
    await this.clearFailures(username);
    return password;
  }

  async setPassword(username: string, password: string, now: Date): Promise<void> {
    await this.db.updateTable('local_accounts')
      .set({ password_hash: await hashPassword(password), must_change_password: 0, password_changed_at: now.toISOString() })
      .where('username', '=', username).execute();
  }

  /**
   * Records that `step` was used; false when it (or a later one) already was — the same code
   * presented twice, even on two replicas at once, signs in once.
   */
  async useTotpStep(username: string, step: number): Promise<boolean> {
    const result = await this.db.updateTable('local_accounts').set({ last_totp_step: step })
      .where('username', '=', username)
      .where((eb) => eb.or([eb('last_totp_step', 'is', null), eb('last_totp_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Whether the account is locked at `now`. */
  isLocked(account: LocalAccount, now: Date): boolean {
    return account.lockedUntil !== null && Date.parse(account.lockedUntil) > now.getTime();
  }

  /**
   * Counts a failure; locks the account when it is the `failures`-th within the window (then
   * the count starts again). Returns the time the lock ends when this failure locked it.
   */
  async recordFailure(username: string, now: Date): Promise<string | null> {
    await this.db.insertInto('sign_in_failures').values({ id: randomUUID(), username, at: now.toISOString() }).execute();
    const since = new Date(now.getTime() - this.lockout.windowMs).toISOString();
    const row = await this.db.selectFrom('sign_in_failures').select((eb) => eb.fn.countAll().as('n'))
      .where('username', '=', username).where('at', '>', since).executeTakeFirst();
    if (Number(row?.n ?? 0) < this.lockout.failures) return null;
    const until = new Date(now.getTime() + this.lockout.lockMs).toISOString();
    await this.db.updateTable('local_accounts').set({ locked_until: until }).where('username', '=', username).execute();
    await this.clearFailures(username);
    return until;
  }

  async clearFailures(username: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('username', '=', username).execute();
  }
}
