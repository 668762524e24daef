/**
 * Signing in through the province's identity service (issue 14, R10): OpenID Connect
 * authorization code flow with PKCE (S256), for the console.
 *
 *   start     a state (the challenge id, also set in a short cookie that binds the round trip
 *             to this browser), a nonce and a PKCE verifier, kept server-side 5 min; the browser
 *             is sent to the provider's authorization endpoint
 *   finish    the callback's state matches the cookie and a live challenge; the code is
 *             exchanged at the token endpoint (client_secret_basic, the PKCE verifier); the ID
 *             token is verified with `jose` against the provider's JWKS — signature, issuer,
 *             audience (our client id), expiry, and our nonce; its claims are mapped
 *             (claimsMapping.ts) to a department and roles; the subject is linked to a person
 *             (created at the first sign-in when `newPeople` is `create`); a session is opened
 *
 * The provider's metadata is read once from `<issuer>/.well-known/openid-configuration`; the
 * JWKS is fetched and cached by jose (refetched when a token names an unknown key).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { AuditLog } from '../../audit/auditLog.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { HttpError } from '../../lib/http.ts';
import { COORDINATOR } from '../applications/applicationService.ts';
import { insertPerson, personById, type Person } from '../people/people.ts';
import type { PlatformDatabase, PlatformStore } from '../store/platformStore.ts';
import type { SignInChallenges } from './challenges.ts';
import { mapClaims, type MappedIdentity } from './claimsMapping.ts';
import { sessionCredentialId, type Sessions } from './sessions.ts';
import { recordSignInEvent } from './signInEvents.ts';
import type { OidcSettings } from './signInSettings.ts';

export interface OidcSignInOptions {
  readonly store: PlatformStore;
  readonly settings: OidcSettings;
  readonly challenges: SignInChallenges;
  readonly sessions: Sessions;
  readonly audit: AuditLog;
  readonly clock: () => Date;
}

interface ProviderMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

interface OidcChallenge { readonly nonce: string; readonly verifier: string; readonly redirectUrl: string }

/** How long the provider may take to answer one of our requests. */
const PROVIDER_TIMEOUT_MS = 10_000;

/** A sign-in the identity service or the mapping refused; the console shows `message` (Chinese) and `detail`. */
export class OidcRefusal extends HttpError {
  constructor(status: number, readonly title: string, detail: string) {
    super(status, status === 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, detail);
  }
}

export class OidcSignIn {
  private metadata: Promise<ProviderMetadata> | null = null;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(private readonly o: OidcSignInOptions) {}

  get label(): string {
    return this.o.settings.label;
  }

  redirectUrl(gatewayOrigin: string): string {
    return this.o.settings.redirectUrl ?? `${gatewayOrigin}/auth/oidc/callback`;
  }

  private provider(): Promise<ProviderMetadata> {
    this.metadata ??= (async () => {
      const url = `${this.o.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(url, { signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
      if (!response.ok) throw new Error(`the identity service's metadata ${url} answered HTTP ${response.status}`);
      const metadata = (await response.json()) as ProviderMetadata;
      // OpenID Connect Discovery §4.3: the metadata must name the issuer it was read from.
      if (metadata.issuer !== this.o.settings.issuer) throw new Error(`the identity service's metadata names issuer ${metadata.issuer}, not the configured ${this.o.settings.issuer}`);
      this.jwks = createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: PROVIDER_TIMEOUT_MS });
      return metadata;
    })();
    // A failed read is tried again at the next sign-in.
    this.metadata.catch(() => { this.metadata = null; });
    return this.metadata;
  }

  /** Where to send the browser, and the state to bind to it (a cookie). */
  async start(redirectUrl: string): Promise<{ location: string; state: string }> {
    const provider = await this.provider().catch((error: Error) => {
      throw new OidcRefusal(503, '统一身份认证服务暂时无法访问', error.message);
    });
    const nonce = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    const state = await this.o.challenges.issue('OIDC', { nonce, verifier, redirectUrl } satisfies OidcChallenge, this.o.clock());
    const url = new URL(provider.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: this.o.settings.clientId, redirect_uri: redirectUrl, scope: this.o.settings.scopes,
      state, nonce, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    }).toString();
    return { location: url.toString(), state };
  }

  /** The callback: a session for the person the identity service vouched for, or a refusal saying why. */
  async finish(params: URLSearchParams, stateCookie: string | undefined): Promise<{ sessionId: string; expiresAt: string; person: Person }> {
    const now = this.o.clock();
    const state = params.get('state') ?? '';
    if (params.get('error')) {
      throw new OidcRefusal(401, '统一身份认证未完成', `the identity service answered ${params.get('error')}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}`);
    }
    // The round trip must be the one this browser started (no sign-in forced on someone by a link).
    if (!state || state !== stateCookie) throw new OidcRefusal(401, '登录请求已失效', 'the sign-in was not started in this browser, or has expired; start again');
    const pending = await this.o.challenges.peek<OidcChallenge>('OIDC', state, now);
    if (!pending || !(await this.o.challenges.consume('OIDC', state))) throw new OidcRefusal(401, '登录请求已失效', 'the sign-in has expired (5 minutes) or was already completed; start again');
    const code = params.get('code');
    if (!code) throw new OidcRefusal(401, '统一身份认证未完成', 'the identity service sent no authorization code');
    const claims = await this.exchange(code, pending);
    const known = await this.activeDepartments();
    const mapped = mapClaims(claims, this.o.settings.claims, known);
    if (!mapped.ok) {
      await this.refused(claims, mapped.reason);
      throw new OidcRefusal(403, '无法登录：账号未获授权', mapped.reason);
    }
    const person = await this.personFor(mapped.identity, now);
    const session = await this.o.sessions.open(person.id, 'OIDC', now);
    await recordSignInEvent(this.o.audit, {
      action: 'SIGN_IN', department: person.department, actor: sessionCredentialId(person.id), target: mapped.identity.subject, reason: null,
      details: { method: 'OIDC', issuer: this.o.settings.issuer, roles: [...mapped.identity.roles], expiresAt: session.expiresAt },
    });
    return { sessionId: session.id, expiresAt: session.expiresAt, person };
  }

  private async exchange(code: string, pending: OidcChallenge): Promise<JWTPayload> {
    const provider = await this.provider();
    // RFC 6749 §2.3.1: client id and secret form-urlencoded, then Basic.
    const basic = Buffer.from(`${encodeURIComponent(this.o.settings.clientId)}:${encodeURIComponent(this.o.settings.clientSecret)}`).toString('base64');
    const response = await fetch(provider.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: pending.redirectUrl, code_verifier: pending.verifier }).toString(),
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
    if (!response.ok || !body.id_token) {
      throw new OidcRefusal(401, '统一身份认证未完成', `the identity service refused the code: ${body.error ?? `HTTP ${response.status}`}${body.error_description ? ` (${body.error_description})` : ''}`);
    }
    try {
      const { payload } = await jwtVerify(body.id_token, this.jwks!, {
        issuer: this.o.settings.issuer, audience: this.o.settings.clientId, currentDate: this.o.clock(), requiredClaims: ['exp', 'iat', 'sub'],
      });
      if (payload.nonce !== pending.nonce) throw new Error('the ID token\'s nonce is not the one this sign-in sent');
      return payload;
    } catch (error) {
      throw new OidcRefusal(401, '身份令牌无效', `the identity service's ID token was not accepted: ${(error as Error).message}`);
    }
  }

  private async activeDepartments(): Promise<Set<string>> {
    const rows = await this.o.store.db.selectFrom('departments').selectAll().execute() as (PlatformDatabase['departments'] & { deactivated_at?: string | null })[];
    return new Set(rows.filter((d) => !d.deactivated_at).map((d) => d.code));
  }

  /**
   * The linked person (their roles brought in line with the identity service's, which is
   * authoritative), or a new person linked to the subject (`newPeople: 'create'`).
   */
  private async personFor(identity: MappedIdentity, now: Date): Promise<Person> {
    const { db } = this.o.store;
    const issuer = this.o.settings.issuer;
    const link = await db.selectFrom('oidc_links').select('person_id').where('issuer', '=', issuer).where('subject', '=', identity.subject).executeTakeFirst();
    if (link) {
      const person = await personById(db, link.person_id);
      if (!person) throw new Error(`oidc link ${issuer} ${identity.subject} names person ${link.person_id}, who does not exist`);
      if (person.deactivatedAt) {
        await this.refused({ sub: identity.subject }, 'the person is deactivated', person);
        throw new OidcRefusal(403, '无法登录：人员已停用', 'the person this identity is linked to was deactivated; ask your department administrator');
      }
      if (person.department !== identity.department) {
        const reason = `the identity service places this person in ${identity.department}, but on this platform they belong to ${person.department}; a department administrator must move them`;
        await this.refused({ sub: identity.subject }, reason, person);
        throw new OidcRefusal(403, '无法登录：所属部门不一致', reason);
      }
      const roles = [...identity.roles].sort();
      if (JSON.stringify([...person.roles].sort()) !== JSON.stringify(roles)) {
        await db.updateTable('people').set({ roles_json: JSON.stringify(roles) }).where('id', '=', person.id).execute();
        return { ...person, roles };
      }
      return person;
    }
    if (this.o.settings.newPeople !== 'create') {
      const reason = `no person on this platform is linked to identity ${identity.subject}; a department administrator must add them first`;
      await this.refused({ sub: identity.subject }, reason);
      throw new OidcRefusal(403, '无法登录：账号未开通', reason);
    }
    const person = await insertPerson(db, { department: identity.department, name: identity.name, roles: identity.roles }, `oidc:${issuer}`, now);
    await db.insertInto('oidc_links').values({ issuer, subject: identity.subject, person_id: person.id, linked_at: now.toISOString() }).execute();
    return person;
  }

  private async refused(claims: JWTPayload | Record<string, unknown>, reason: string, person?: Person): Promise<void> {
    const subject = String(claims[this.o.settings.claims.subject] ?? claims.sub ?? '?');
    await recordSignInEvent(this.o.audit, {
      action: 'SIGN_IN_FAILED', department: person?.department ?? COORDINATOR, actor: person ? sessionCredentialId(person.id) : `oidc:${subject}`,
      target: subject, reason, details: { method: 'OIDC', issuer: this.o.settings.issuer },
    });
  }
}
