/**
 * Signing in with a local account (issue 14, R10), in steps a browser takes one after the other:
 *
 *   password  username + password  → a TOTP challenge (5 min)
 *   totp      challenge + 6 digits → a session, or (after a one-time password) a password-change challenge
 *   change    challenge + new password → a session
 *
 * Every failure counts toward the account's lockout and is audited; an unknown username is
 * refused exactly like a wrong password, after the same scrypt work (no account enumeration).
 */
import { ErrorCode } from '../../lib/errors.ts';
import { HttpError } from '../../lib/http.ts';
import type { AuditLog } from '../../audit/auditLog.ts';
import { COORDINATOR } from '../applications/applicationService.ts';
import { personById, type Person } from '../people/people.ts';
import type { PlatformStore } from '../store/platformStore.ts';
import type { SignInChallenges } from './challenges.ts';
import { normalUsername, type LocalAccount, type LocalAccounts } from './localAccounts.ts';
import { DUMMY_HASH, passwordProblem, verifyPassword } from './passwordHash.ts';
import { sessionCredentialId, type Sessions } from './sessions.ts';
import { recordSignInEvent, type SignInEvent } from './signInEvents.ts';
import { matchTotp } from './totp.ts';

export interface LocalSignInOptions {
  readonly store: PlatformStore;
  readonly accounts: LocalAccounts;
  readonly challenges: SignInChallenges;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly clock: () => Date;
}

/** What a step answers: the next step's challenge, or the session opened. */
export type SignInStep =
  | { readonly next: 'TOTP' | 'CHANGE_PASSWORD'; readonly challenge: string }
  | { readonly next: 'SIGNED_IN'; readonly sessionId: string; readonly expiresAt: string; readonly person: Person };

interface LocalChallenge { readonly username: string }

const WRONG_CREDENTIALS = 'the username or the password is wrong';

export class LocalSignIn {
  constructor(private readonly o: LocalSignInOptions) {}

  async password(usernameInput: unknown, password: unknown): Promise<SignInStep> {
    const now = this.o.clock();
    const username = normalUsername(usernameInput);
    if (!username || typeof password !== 'string' || password.length === 0 || password.length > 256) {
      throw new HttpError(400, ErrorCode.BAD_USER_INPUT, 'send {"username": "…", "password": "…"}');
    }
    const account = await this.o.accounts.byUsername(username);
    if (!account) {
      await verifyPassword(password, DUMMY_HASH);
      await this.event({ action: 'SIGN_IN_FAILED', department: COORDINATOR, actor: `sign-in:${username}`, target: username, reason: 'no such account', details: { step: 'PASSWORD' } });
      throw new HttpError(401, ErrorCode.UNAUTHENTICATED, WRONG_CREDENTIALS);
    }
    const person = await this.personOf(account);
    this.refuseLocked(account, now);
    if (!(await verifyPassword(password, account.passwordHash))) {
      await this.failed(account, person, 'PASSWORD', 'wrong password', now);
      throw new HttpError(401, ErrorCode.UNAUTHENTICATED, WRONG_CREDENTIALS);
    }
    await this.refuseDeactivated(account, person);
    return { next: 'TOTP', challenge: await this.o.challenges.issue('LOCAL_TOTP', { username } satisfies LocalChallenge, now) };
  }

  async totp(challenge: unknown, code: unknown): Promise<SignInStep> {
    const now = this.o.clock();
    const pending = await this.o.challenges.peek<LocalChallenge>('LOCAL_TOTP', challenge, now);
    if (!pending) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the sign-in has expired (5 minutes) or is unknown; start again with your username and password');
    const account = await this.o.accounts.byUsername(pending.username);
    if (!account) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the account no longer exists');
    const person = await this.personOf(account);
    this.refuseLocked(account, now);
    await this.refuseDeactivated(account, person);
    const step = typeof code === 'string' ? await matchTotp(await this.o.accounts.totpSecret(account.username), code.trim(), now, account.lastTotpStep) : null;
    if (step === null || !(await this.o.accounts.useTotpStep(account.username, step))) {
      await this.failed(account, person, 'TOTP', 'wrong or reused code', now);
      throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the code is wrong, expired or already used; enter the current 6-digit code of your authenticator app');
    }
    if (!(await this.o.challenges.consume('LOCAL_TOTP', challenge as string))) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'this sign-in was already completed; start again');
    await this.o.accounts.clearFailures(account.username);
    if (account.mustChangePassword) {
      return { next: 'CHANGE_PASSWORD', challenge: await this.o.challenges.issue('LOCAL_PASSWORD_CHANGE', { username: account.username } satisfies LocalChallenge, now) };
    }
    return this.openSession(account, person, now);
  }

  /** The first sign-in after a one-time password: a password of the person's own, then the session. */
  async changePassword(challenge: unknown, newPassword: unknown): Promise<SignInStep> {
    const now = this.o.clock();
    const pending = await this.o.challenges.peek<LocalChallenge>('LOCAL_PASSWORD_CHANGE', challenge, now);
    if (!pending) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the sign-in has expired (5 minutes) or is unknown; start again with your username and one-time password');
    const account = await this.o.accounts.byUsername(pending.username);
    if (!account) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'the account no longer exists');
    const person = await this.personOf(account);
    await this.refuseDeactivated(account, person);
    const problem = typeof newPassword === 'string' ? passwordProblem(newPassword, account.username) : 'send {"challenge": "…", "newPassword": "…"}';
    if (problem) throw new HttpError(400, ErrorCode.BAD_USER_INPUT, `the new password is not accepted: ${problem}`);
    if (await verifyPassword(newPassword as string, account.passwordHash)) throw new HttpError(400, ErrorCode.BAD_USER_INPUT, 'the new password is not accepted: choose one other than the one-time password');
    if (!(await this.o.challenges.consume('LOCAL_PASSWORD_CHANGE', challenge as string))) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'this sign-in was already completed; start again');
    await this.o.accounts.setPassword(account.username, newPassword as string, now);
    await this.event({ action: 'PASSWORD_CHANGED', department: person.department, actor: sessionCredentialId(person.id), target: account.username, reason: 'first sign-in after a one-time password', details: {} });
    return this.openSession(account, person, now);
  }

  private async openSession(account: LocalAccount, person: Person, now: Date): Promise<SignInStep> {
    const session = await this.o.sessions.open(person.id, 'LOCAL', now);
    await this.event({ action: 'SIGN_IN', department: person.department, actor: sessionCredentialId(person.id), target: account.username, reason: null, details: { method: 'LOCAL', expiresAt: session.expiresAt } });
    return { next: 'SIGNED_IN', sessionId: session.id, expiresAt: session.expiresAt, person };
  }

  private async personOf(account: LocalAccount): Promise<Person> {
    const person = await personById(this.o.store.db, account.personId);
    if (!person) throw new Error(`local account ${account.username} names person ${account.personId}, who does not exist`);
    return person;
  }

  private refuseLocked(account: LocalAccount, now: Date): void {
    if (this.o.accounts.isLocked(account, now)) {
      throw new HttpError(403, ErrorCode.ACCOUNT_LOCKED, `the account is locked after repeated failed sign-ins until ${account.lockedUntil}; wait, or ask your department administrator to reset your password`);
    }
  }

  /** Told only to whom knows the password: a deactivated person's account signs in no more. */
  private async refuseDeactivated(account: LocalAccount, person: Person): Promise<void> {
    if (!person.deactivatedAt) return;
    await this.event({ action: 'SIGN_IN_FAILED', department: person.department, actor: sessionCredentialId(person.id), target: account.username, reason: 'the person is deactivated', details: {} });
    throw new HttpError(403, ErrorCode.FORBIDDEN, 'this account belongs to a person who was deactivated; ask your department administrator');
  }

  private async failed(account: LocalAccount, person: Person, step: 'PASSWORD' | 'TOTP', reason: string, now: Date): Promise<void> {
    const lockedUntil = await this.o.accounts.recordFailure(account.username, now);
    await this.event({ action: 'SIGN_IN_FAILED', department: person.department, actor: sessionCredentialId(person.id), target: account.username, reason, details: { step } });
    if (lockedUntil) {
      await this.event({ action: 'ACCOUNT_LOCKOUT', department: person.department, actor: sessionCredentialId(person.id), target: account.username, reason: 'repeated failed sign-ins', details: { lockedUntil } });
      throw new HttpError(403, ErrorCode.ACCOUNT_LOCKED, `too many failed sign-ins: the account is locked until ${lockedUntil}; wait, or ask your department administrator to reset your password`);
    }
  }

  private event(event: SignInEvent): Promise<void> {
    return recordSignInEvent(this.o.audit, event);
  }
}
