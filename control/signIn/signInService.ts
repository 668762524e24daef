/**
 * Signing in to the console (issue 14, R10), put together: local accounts, sessions, the
 * OpenID Connect sign-in when the province has an identity service, and what the management
 * API's administrators do to accounts (set one up, reset a password).
 */
import type { AuditLog } from '../../audit/auditLog.ts';
import type { SecretSealer } from '../../lib/secretSealer.ts';
import type { PlatformStore } from '../store/platformStore.ts';
import { SignInChallenges } from './challenges.ts';
import { LocalAccounts } from './localAccounts.ts';
import { LocalSignIn } from './localSignIn.ts';
import { OidcSignIn } from './oidcSignIn.ts';
import { sessionCredentialId, Sessions, type SessionResolution } from './sessions.ts';
import { recordSignInEvent } from './signInEvents.ts';
import type { SignInSettings } from './signInSettings.ts';

export interface SignInServiceOptions {
  readonly store: PlatformStore;
  readonly audit: AuditLog;
  /** Seals TOTP secrets at rest (the platform key). */
  readonly secrets: SecretSealer;
  readonly settings: SignInSettings;
  /** @default the system clock */
  readonly clock?: () => Date;
}

export class SignInService {
  readonly accounts: LocalAccounts;
  readonly sessions: Sessions;
  readonly challenges: SignInChallenges;
  readonly local: LocalSignIn;
  /** Null when no identity service is configured. */
  readonly oidc: OidcSignIn | null;
  readonly clock: () => Date;

  constructor(private readonly o: SignInServiceOptions) {
    this.clock = o.clock ?? (() => new Date());
    this.accounts = new LocalAccounts(o.store.db, o.secrets, o.settings.lockout);
    this.sessions = new Sessions(o.store.db, o.settings.sessions);
    this.challenges = new SignInChallenges(o.store.db);
    this.local = new LocalSignIn({ store: o.store, accounts: this.accounts, challenges: this.challenges, sessions: this.sessions, audit: o.audit, clock: this.clock });
    this.oidc = o.settings.oidc
      ? new OidcSignIn({ store: o.store, settings: o.settings.oidc, challenges: this.challenges, sessions: this.sessions, audit: o.audit, clock: this.clock })
      : null;
  }

  get settings(): SignInSettings {
    return this.o.settings;
  }

  resolve(sessionId: string): Promise<SessionResolution> {
    return this.sessions.resolve(sessionId, this.clock());
  }

  /** Ends the session (and records it); nothing happens for a session already over. */
  async signOut(sessionId: string): Promise<void> {
    const now = this.clock();
    const session = await this.sessions.resolve(sessionId, now);
    if (!session.live || !(await this.sessions.end(sessionId, 'SIGNED_OUT', now))) return;
    const { identity } = session;
    await recordSignInEvent(this.o.audit, { action: 'SIGN_OUT', department: identity.department, actor: identity.credentialId, target: identity.person!.id, reason: null, details: {} });
  }

  /** The administrator's reset: a one-time password, the lockout lifted, the person's sessions ended. */
  async resetPassword(personId: string): Promise<{ username: string; oneTimePassword: string } | null> {
    const account = await this.accounts.ofPerson(personId);
    if (!account) return null;
    const now = this.clock();
    const oneTimePassword = await this.accounts.resetPassword(account.username, now);
    await this.sessions.endAllOf(personId, 'PASSWORD_RESET', now);
    return { username: account.username, oneTimePassword };
  }
}

export { sessionCredentialId };
