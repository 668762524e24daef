/**
 * The console's sign-in over HTTP (issue 14, R10), and how the management API knows a signed-in
 * person: an opaque session id in the cookie `govgraph_session` (HttpOnly, SameSite=Strict,
 * Path=/, Secure when served over https), resolved on every request (control/signIn/sessions.ts).
 *
 *   GET  /auth/methods                 which sign-in methods this platform offers
 *   POST /auth/local/password          {username, password}        → {next: "TOTP", challenge}
 *   POST /auth/local/totp              {challenge, code}           → {next: "SIGNED_IN", csrfToken, me} + cookie, or {next: "CHANGE_PASSWORD", challenge}
 *   POST /auth/local/change-password   {challenge, newPassword}    → {next: "SIGNED_IN", csrfToken, me} + cookie
 *   GET  /auth/session                 the session of the cookie   → {signedIn: true, csrfToken, me, expiresAt} or {signedIn: false, reason}
 *   POST /auth/sign-out                ends the session, clears the cookie
 *   GET  /auth/oidc/start              → 302 to the identity service
 *   GET  /auth/oidc/callback           → 302 to /console with a session, or a page saying why not
 *
 * CSRF: a cookie-authenticated request to /admin/graphql (any method) and POST /auth/sign-out
 * must carry `X-CSRF-Token` — the HMAC of the session id (the page learns it from the sign-in
 * answer or GET /auth/session; another site can make the browser send the cookie but cannot
 * read the token). POSTs to /auth/* must be `application/json`, which a cross-site form cannot send.
 * A request with `Authorization: Bearer` is a token's, exactly as before: the cookie is ignored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../lib/errors.ts';
import { HttpError, parseJsonBody, readBody, sendJson, sendText } from '../lib/http.ts';
import type { RouteHandler } from '../lib/httpServer.ts';
import type { Identity } from '../control/store/platformStore.ts';
import { OidcRefusal } from '../control/signIn/oidcSignIn.ts';
import { csrfTokenMatches, csrfTokenOf, type SessionEnd } from '../control/signIn/sessions.ts';
import type { SignInService } from '../control/signIn/signInService.ts';
import type { SignInStep } from '../control/signIn/localSignIn.ts';

export const SESSION_COOKIE = 'govgraph_session';
/** Binds an OpenID Connect round trip to the browser that started it (SameSite=Lax: the provider's redirect back is a cross-site navigation). */
export const OIDC_STATE_COOKIE = 'govgraph_oidc_state';
export const CSRF_HEADER = 'x-csrf-token';

const AUTH_BODY_BYTES = 16 * 1024;

export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Served over https (directly, or behind a proxy that says so): the cookie is Secure. */
function secure(req: IncomingMessage): boolean {
  return Boolean((req.socket as { encrypted?: boolean }).encrypted) || req.headers['x-forwarded-proto'] === 'https';
}

function cookie(req: IncomingMessage, name: string, value: string, attributes: { maxAgeSeconds: number; sameSite: 'Strict' | 'Lax'; path: string }): string {
  return `${name}=${encodeURIComponent(value)}; Path=${attributes.path}; HttpOnly; SameSite=${attributes.sameSite}; Max-Age=${attributes.maxAgeSeconds}${secure(req) ? '; Secure' : ''}`;
}

const END_MESSAGES: Readonly<Record<SessionEnd, string>> = {
  SIGNED_OUT: 'you signed out; sign in again',
  IDLE_TIMEOUT: 'your session ended after a period without use; sign in again',
  ABSOLUTE_TIMEOUT: 'your session reached its longest duration; sign in again',
  PERSON_DEACTIVATED: 'your account was deactivated; ask your department administrator',
  DEPARTMENT_DEACTIVATED: 'your department was deactivated on this platform',
  PASSWORD_RESET: 'your password was reset by an administrator; sign in with the one-time password',
  UNKNOWN: 'the session is unknown; sign in again',
};

/**
 * The identity of a management API request: the bearer token's (as always), else the session
 * cookie's (with its CSRF token), else the token authenticator's 401.
 */
export async function sessionIdentity(req: IncomingMessage, signIn: SignInService): Promise<Identity | null> {
  if (req.headers.authorization !== undefined) return null;
  const id = cookieOf(req, SESSION_COOKIE);
  if (!id) return null;
  const session = await signIn.resolve(id);
  if (!session.live) {
    throw new HttpError(401, ErrorCode.UNAUTHENTICATED, END_MESSAGES[session.end], { 'set-cookie': cookie(req, SESSION_COOKIE, '', { maxAgeSeconds: 0, sameSite: 'Strict', path: '/' }) });
  }
  const presented = req.headers[CSRF_HEADER];
  if (!csrfTokenMatches(id, typeof presented === 'string' ? presented : undefined)) {
    throw new HttpError(403, ErrorCode.CSRF_TOKEN_REQUIRED, `a request signed in by session cookie must carry the session's ${CSRF_HEADER} header (from the sign-in answer or GET /auth/session)`);
  }
  return session.identity;
}

function me(identity: Pick<Identity, 'kind' | 'department' | 'name' | 'person' | 'credentialId'>) {
  return { kind: identity.kind, department: identity.department, name: identity.name, credentialId: identity.credentialId, person: identity.person ?? null };
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new HttpError(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'send the sign-in as JSON with Content-Type: application/json');
  }
  const body = parseJsonBody(await readBody(req, AUTH_BODY_BYTES));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, ErrorCode.BAD_REQUEST, 'send a JSON object');
  return body as Record<string, unknown>;
}

/** The sign-in routes; `origin` is the gateway's own (the default OpenID Connect redirect URL is under it). */
export function signInRoutes(signIn: SignInService, origin: () => string): { path: string; method: string; handle: RouteHandler }[] {
  const signedIn = async (req: IncomingMessage, res: ServerResponse, step: SignInStep) => {
    if (step.next !== 'SIGNED_IN') return sendJson(res, 200, step, { 'cache-control': 'no-store' });
    const session = await signIn.resolve(step.sessionId);
    if (!session.live) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, END_MESSAGES[session.end]);
    sendJson(res, 200, { next: 'SIGNED_IN', csrfToken: csrfTokenOf(step.sessionId), expiresAt: step.expiresAt, me: me(session.identity) }, {
      'cache-control': 'no-store',
      'set-cookie': cookie(req, SESSION_COOKIE, step.sessionId, { maxAgeSeconds: Math.ceil(signIn.settings.sessions.absoluteMs / 1000), sameSite: 'Strict', path: '/' }),
    });
  };
  return [
    {
      path: '/auth/methods', method: 'GET',
      handle: async (_req, res) => sendJson(res, 200, { local: true, oidc: signIn.oidc ? { label: signIn.oidc.label, start: '/auth/oidc/start' } : null }),
    },
    {
      path: '/auth/local/password', method: 'POST',
      handle: async (req, res) => {
        const body = await jsonBody(req);
        await signedIn(req, res, await signIn.local.password(body.username, body.password));
      },
    },
    {
      path: '/auth/local/totp', method: 'POST',
      handle: async (req, res) => {
        const body = await jsonBody(req);
        await signedIn(req, res, await signIn.local.totp(body.challenge, body.code));
      },
    },
    {
      path: '/auth/local/change-password', method: 'POST',
      handle: async (req, res) => {
        const body = await jsonBody(req);
        await signedIn(req, res, await signIn.local.changePassword(body.challenge, body.newPassword));
      },
    },
    {
      path: '/auth/session', method: 'GET',
      handle: async (req, res) => {
        // Always 200: the console asks on every load, and a page that is not signed in is no error.
        const id = cookieOf(req, SESSION_COOKIE);
        if (!id) return sendJson(res, 200, { signedIn: false, reason: null }, { 'cache-control': 'no-store' });
        const session = await signIn.resolve(id);
        if (!session.live) return sendJson(res, 200, { signedIn: false, reason: END_MESSAGES[session.end] }, { 'cache-control': 'no-store' });
        sendJson(res, 200, { signedIn: true, csrfToken: csrfTokenOf(id), expiresAt: session.expiresAt, method: session.method, me: me(session.identity) }, { 'cache-control': 'no-store' });
      },
    },
    {
      path: '/auth/sign-out', method: 'POST',
      handle: async (req, res) => {
        const id = cookieOf(req, SESSION_COOKIE);
        const presented = req.headers[CSRF_HEADER];
        if (id) {
          if (!csrfTokenMatches(id, typeof presented === 'string' ? presented : undefined)) {
            throw new HttpError(403, ErrorCode.CSRF_TOKEN_REQUIRED, `signing out needs the session's ${CSRF_HEADER} header`);
          }
          await signIn.signOut(id);
        }
        sendJson(res, 200, { signedOut: true }, { 'set-cookie': cookie(req, SESSION_COOKIE, '', { maxAgeSeconds: 0, sameSite: 'Strict', path: '/' }) });
      },
    },
    {
      path: '/auth/oidc/start', method: 'GET',
      handle: async (req, res) => {
        if (!signIn.oidc) throw new HttpError(404, ErrorCode.NOT_FOUND, 'this platform has no identity service configured; sign in with a local account');
        try {
          const { location, state } = await signIn.oidc.start(signIn.oidc.redirectUrl(origin()));
          res.writeHead(302, { location, 'cache-control': 'no-store', 'set-cookie': cookie(req, OIDC_STATE_COOKIE, state, { maxAgeSeconds: 300, sameSite: 'Lax', path: '/auth/oidc' }) });
          res.end();
        } catch (error) {
          if (error instanceof OidcRefusal) return refusalPage(res, error);
          throw error;
        }
      },
    },
    {
      path: '/auth/oidc/callback', method: 'GET',
      handle: async (req, res) => {
        if (!signIn.oidc) throw new HttpError(404, ErrorCode.NOT_FOUND, 'this platform has no identity service configured');
        const clearState = cookie(req, OIDC_STATE_COOKIE, '', { maxAgeSeconds: 0, sameSite: 'Lax', path: '/auth/oidc' });
        try {
          const params = new URL(req.url ?? '/', 'http://x').searchParams;
          const done = await signIn.oidc.finish(params, cookieOf(req, OIDC_STATE_COOKIE));
          res.writeHead(302, {
            location: '/console', 'cache-control': 'no-store',
            'set-cookie': [clearState, cookie(req, SESSION_COOKIE, done.sessionId, { maxAgeSeconds: Math.ceil(signIn.settings.sessions.absoluteMs / 1000), sameSite: 'Strict', path: '/' })],
          });
          res.end();
        } catch (error) {
          if (error instanceof OidcRefusal) {
            res.setHeader('set-cookie', clearState);
            return refusalPage(res, error);
          }
          throw error;
        }
      },
    },
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A refused sign-in, as a page the person can read (Chinese first), with a way back. */
function refusalPage(res: ServerResponse, refusal: OidcRefusal): void {
  res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  res.setHeader('cache-control', 'no-store');
  sendText(res, refusal.status, 'text/html; charset=utf-8', `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(refusal.title)}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1 data-testid="refusal-title">${escapeHtml(refusal.title)}</h1>
<p data-testid="refusal-detail">${escapeHtml(refusal.message)}</p>
<p><a href="/console">返回登录页</a></p>
</body></html>`);
}
