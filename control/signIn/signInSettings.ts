/**
 * How people sign in to the console (issue 14, R10): session lifetimes, the lockout of local
 * accounts, and the province's identity service (OpenID Connect) when there is one. Read from
 * the environment once, in platform/config.ts; everything else receives these typed settings.
 */
import type { PersonRole } from '../people/people.ts';

export interface SessionSettings {
  /** A session unused this long is over. `GOVGRAPH_SESSION_IDLE_MINUTES`. @default 30 min */
  readonly idleMs: number;
  /** A session is over this long after sign-in, however busy. `GOVGRAPH_SESSION_ABSOLUTE_HOURS`. @default 12 h */
  readonly absoluteMs: number;
}

export interface LockoutSettings {
  /** Failed sign-ins (wrong password or code) that lock an account… `GOVGRAPH_LOCKOUT_FAILURES`. @default 5 */
  readonly failures: number;
  /** …within this window. `GOVGRAPH_LOCKOUT_WINDOW_MINUTES`. @default 15 min */
  readonly windowMs: number;
  /** How long the account stays locked (the administrator's password reset unlocks it at once). `GOVGRAPH_LOCKOUT_MINUTES`. @default 15 min */
  readonly lockMs: number;
}

/**
 * Which claims of the identity service's ID token say who signed in. Department: the claim's
 * value is a department code, or is translated by `departmentMap` (the identity service's
 * organisation code → department code). Roles: the claim is a list (or a space- or
 * comma-separated string) of role names; `roleMap` translates the identity service's names
 * (e.g. 经办人) to DRAFTER, APPROVER, ADMINISTRATOR — names already equal to those are kept.
 */
export interface ClaimsMapping {
  /** `GOVGRAPH_OIDC_DEPARTMENT_CLAIM`. @default 'department' */
  readonly department: string;
  /** `GOVGRAPH_OIDC_ROLES_CLAIM`. @default 'roles' */
  readonly roles: string;
  /** The stable identifier of the person at the identity service. `GOVGRAPH_OIDC_SUBJECT_CLAIM`. @default 'sub' */
  readonly subject: string;
  /** `GOVGRAPH_OIDC_NAME_CLAIM`. @default 'name' */
  readonly name: string;
  /** `GOVGRAPH_OIDC_DEPARTMENT_MAP`, e.g. `11440000MB2C12345X=psb,…`. @default none (the claim is the code) */
  readonly departmentMap: Readonly<Record<string, string>>;
  /** `GOVGRAPH_OIDC_ROLE_MAP`, e.g. `经办人=DRAFTER,审批人=APPROVER,管理员=ADMINISTRATOR`. @default none */
  readonly roleMap: Readonly<Record<string, PersonRole>>;
}

export interface OidcSettings {
  /** `GOVGRAPH_OIDC_ISSUER`: the issuer URL; its `/.well-known/openid-configuration` is read at the first sign-in. */
  readonly issuer: string;
  /** `GOVGRAPH_OIDC_CLIENT_ID`. */
  readonly clientId: string;
  /** `GOVGRAPH_OIDC_CLIENT_SECRET` (client_secret_basic at the token endpoint). */
  readonly clientSecret: string;
  /** `GOVGRAPH_OIDC_REDIRECT_URL`. @default `<gateway origin>/auth/oidc/callback` */
  readonly redirectUrl?: string;
  /** `GOVGRAPH_OIDC_SCOPES`. @default 'openid profile' */
  readonly scopes: string;
  /** What the console's button says. `GOVGRAPH_OIDC_LABEL`. @default '统一身份认证登录' */
  readonly label: string;
  readonly claims: ClaimsMapping;
  /**
   * A subject signing in for the first time: `create` makes a person of the mapped department
   * (with the mapped roles) and links the subject to it; `existing` refuses a subject no
   * administrator has linked. `GOVGRAPH_OIDC_NEW_PEOPLE`. @default 'create'
   */
  readonly newPeople: 'create' | 'existing';
}

export interface SignInSettings {
  readonly sessions: SessionSettings;
  readonly lockout: LockoutSettings;
  /** Absent: the console offers local accounts only. */
  readonly oidc: OidcSettings | null;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
export const DEFAULT_LOCKOUT_SETTINGS: LockoutSettings = { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
export const DEFAULT_CLAIMS_MAPPING: ClaimsMapping = { department: 'department', roles: 'roles', subject: 'sub', name: 'name', departmentMap: {}, roleMap: {} };
export const DEFAULT_OIDC_LABEL = '统一身份认证登录';
export const DEFAULT_SIGN_IN_SETTINGS: SignInSettings = { sessions: DEFAULT_SESSION_SETTINGS, lockout: DEFAULT_LOCKOUT_SETTINGS, oidc: null };
