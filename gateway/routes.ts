/**
 * The gateway's HTTP routes, one line each: the data graph (`/graphql`, stage 1 of
 * gateway/pipeline.ts runs here), the management API (`/admin/graphql`), the policy snapshot
 * subgraphs read, the web console and GraphiQL, and the operators' `/healthz`, `/readyz`,
 * `/metrics`. A browser (Accept: text/html) asking GET for either GraphQL endpoint gets
 * GraphiQL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AUDIT_JWKS_PATH, CONTEXT_JWKS_PATH, type PublishedJwks, type PublishedKeySet } from '../lib/publishedKeySet.ts';
import type { ApolloServer } from '@apollo/server';
import { ErrorCode } from '../lib/errors.ts';
import { executeGraphQL, HttpError, parseJsonBody, readBody, sendJson, sendText } from '../lib/http.ts';
import type { RouteHandler, RouteTable } from '../lib/httpServer.ts';
import type { ServerMetrics } from '../lib/metrics.ts';
import { timeOrderedUuid } from '../lib/requestId.ts';
import { SharingContextError, verifySharingContext } from '../lib/sharingContext.ts';
import type { AdminContext } from '../control/admin/resolvers.ts';
import type { Authenticator } from '../control/directory/authenticator.ts';
import type { Identity } from '../control/store/platformStore.ts';
import type { PolicyState } from '../control/policies/policyState.ts';
import type { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import { GRAPHIQL_CSP, type GraphiQLHandler } from '../web/graphiql/serve.ts';
import { CONSOLE_CSP, type ConsoleHandler } from '../web/console/serve.ts';
import type { SignInService } from '../control/signIn/signInService.ts';
import type { PolicySnapshotSlices } from './policySnapshotSlice.ts';
import { sessionIdentity, signInRoutes } from './signInRoutes.ts';
import type { RequestPipeline } from './pipeline.ts';
import { authenticatedContext } from './requestContext.ts';
import { context as traceContext } from '@opentelemetry/api';
import { extractTraceContext, inSpan } from '../lib/tracing.ts';

export interface GatewayRoutesOptions {
  readonly pipeline: RequestPipeline;
  readonly admin: ApolloServer<AdminContext>;
  /** The management API's context for an authenticated caller (any kind of token). */
  readonly adminContext: (identity: Identity) => AdminContext;
  readonly authenticator: Authenticator;
  readonly policy: PolicyState;
  readonly registry: SubgraphRegistry;
  /** Next year's holiday notice is missing (from 1 October): a line in /readyz's body, readiness unchanged. */
  readonly calendarWarning?: () => { readonly message: string } | null;
  readonly snapshotSlices: PolicySnapshotSlices;
  /** The platform's published keys: the context keys verify who may read the policy snapshot; both sets are served to verifiers. */
  readonly signingKeys: { readonly contextKeySet: PublishedKeySet; jwks(purpose: 'context' | 'audit-checkpoint'): Promise<PublishedJwks> };
  readonly graphiql: GraphiQLHandler;
  readonly adminGraphiql: GraphiQLHandler;
  readonly consolePage: ConsoleHandler;
  readonly metrics: ServerMetrics;
  readonly bodyBytes: number;
  /** The console's sign-in (issue 14): local accounts, sessions, OpenID Connect. Absent: tokens only. */
  readonly signIn?: SignInService;
  /** The gateway's own origin (the default OpenID Connect redirect URL is under it). */
  readonly origin?: () => string;
  /** Why the gateway cannot serve now, besides its subgraphs' probes (audit trail, policy, subgraph authentication); empty when it can. */
  readonly readinessProblems?: () => readonly string[];
}

/** Paths with their own metrics label; anything else is counted as `other`. */
export const KNOWN_ROUTES = new Set(['/graphql', '/admin/graphql', '/healthz', '/readyz', '/metrics', '/internal/policy-snapshot', '/console', '/', CONTEXT_JWKS_PATH, AUDIT_JWKS_PATH,
  '/auth/methods', '/auth/local/password', '/auth/local/totp', '/auth/local/change-password', '/auth/session', '/auth/sign-out', '/auth/oidc/start', '/auth/oidc/callback']);

export function gatewayRoutes(options: GatewayRoutesOptions): RouteTable {
  const { metrics } = options;
  return {
    routes: [
      { path: '/graphql', handle: graphiqlForBrowsers(options.graphiql, dataGraph(options)) },
      { path: '/admin/graphql', handle: graphiqlForBrowsers(options.adminGraphiql, managementApi(options)) },
      { path: '/internal/policy-snapshot', method: 'GET', handle: policySnapshot(options) },
      // R10: the platform's public keys, for subgraphs (contexts) and auditors (checkpoints); no secret in them.
      { path: CONTEXT_JWKS_PATH, method: 'GET', handle: publishedKeys(options, 'context') },
      { path: AUDIT_JWKS_PATH, method: 'GET', handle: publishedKeys(options, 'audit-checkpoint') },
      { path: '/console', method: 'GET', handle: consolePage(options.consolePage) },
      { path: '/console/', method: 'GET', handle: consolePage(options.consolePage) },
      { prefix: '/console/assets/', method: 'GET', handle: consoleAsset(options.consolePage) },
      { prefix: '/graphiql/', method: 'GET', handle: graphiqlAsset(options.graphiql) },
      { path: '/healthz', handle: async (_req, res) => sendJson(res, 200, { status: 'ok' }) },
      { path: '/readyz', handle: readiness(options.registry, options.readinessProblems ?? (() => []), options.calendarWarning) },
      { path: '/metrics', handle: async (_req, res) => sendText(res, 200, metrics.registry.contentType, await metrics.registry.metrics()) },
      { path: '/', handle: async (_req, res) => { res.writeHead(302, { location: '/console' }); res.end(); } },
      ...(options.signIn ? signInRoutes(options.signIn, options.origin ?? (() => '')) : []),
    ],
    label: (path) => KNOWN_ROUTES.has(path) ? path : path.startsWith('/graphiql/') ? '/graphiql' : path.startsWith('/console/') ? '/console' : 'other',
    notFound: (path) => new HttpError(404, ErrorCode.NOT_FOUND, `no route ${path}; the gateway serves /graphql, /console, /healthz, /readyz and /metrics`),
  };
}

/**
 * `/graphql`: stage 1 (authenticate), the body, a request id, then stages 2–13 in Apollo; all
 * in one span (lib/tracing.ts: the no-op one unless tracing is configured), under the caller's
 * `traceparent` if it sent one.
 */
function dataGraph({ pipeline, policy, bodyBytes }: GatewayRoutesOptions): RouteHandler {
  return (req, res) => traceContext.with(extractTraceContext(req.headers), () => inSpan('govgraph.graphql', {}, async (span) => {
    const identity = await pipeline.authenticate(req);
    const body = req.method === 'POST' ? parseJsonBody(await readBody(req, bodyBytes)) : undefined;
    const requestId = timeOrderedUuid();
    res.setHeader('x-request-id', requestId);
    if (span.isRecording()) span.setAttributes({ 'govgraph.request_id': requestId, 'govgraph.consumer.department': identity.department, 'govgraph.consumer.app': identity.credentialId });
    const context = authenticatedContext({ requestId, identity, snapshot: policy.current, subgraphsCalled: new Set() });
    await executeGraphQL(pipeline.apollo, req, res, body, async () => context);
  }));
}

/**
 * `/admin/graphql`: any token (administrators and apps), or a signed-in person's session cookie
 * with its CSRF token (issue 14); the resolvers decide what each may do.
 */
function managementApi({ admin, adminContext, authenticator, bodyBytes, signIn }: GatewayRoutesOptions): RouteHandler {
  return async (req, res) => {
    const identity = (signIn ? await sessionIdentity(req, signIn) : null) ?? await authenticator.authenticate(req.headers.authorization);
    const body = req.method === 'POST' ? parseJsonBody(await readBody(req, bodyBytes)) : undefined;
    await executeGraphQL(admin, req, res, body, async () => adminContext(identity));
  };
}

function graphiqlForBrowsers(page: GraphiQLHandler, api: RouteHandler): RouteHandler {
  return async (req, res, path) => {
    if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      res.setHeader('content-security-policy', GRAPHIQL_CSP);
      sendText(res, 200, 'text/html; charset=utf-8', page.html());
      return;
    }
    await api(req, res, path);
  };
}

/**
 * Subgraphs present the data context they received: only the gateway's own recipients may
 * read the policy, only the version a request was decided under, and only the slice for the
 * subgraph the context was issued to (R10, least privilege).
 */
function policySnapshot({ policy, snapshotSlices, signingKeys }: GatewayRoutesOptions): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, 'present a sharing context signed by this gateway');
    let subgraph: string;
    try {
      const context = await verifySharingContext(signingKeys.contextKeySet, token, null);
      if (context.scope !== 'data') throw new SharingContextError(`a sharing context of scope "${context.scope}" does not read the policy; present a data context`, 'wrong_scope');
      subgraph = context.audience;
    } catch (error) {
      if (error instanceof SharingContextError) throw new HttpError(401, ErrorCode.UNAUTHENTICATED, error.message);
      throw error;
    }
    const version = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('version'));
    const snapshot = policy.version(version) ?? (policy.current.version === version ? policy.current : undefined);
    if (!snapshot) throw new HttpError(404, ErrorCode.NOT_FOUND, `policy version ${version} is not held by this gateway (current ${policy.current.version})`);
    const slice = snapshotSlices.sliceFor(snapshot, subgraph);
    if (!slice) throw new HttpError(403, ErrorCode.FORBIDDEN, `subgraph ${subgraph} is not registered: it has no policy to read`);
    sendJson(res, 200, slice);
  };
}

/** A published key set (RFC 7517 JWKS), read from the platform store: any replica serves every replica's keys. */
function publishedKeys({ signingKeys }: GatewayRoutesOptions, purpose: 'context' | 'audit-checkpoint'): RouteHandler {
  return async (_req, res) => {
    res.setHeader('cache-control', 'max-age=1');
    sendJson(res, 200, await signingKeys.jwks(purpose));
  };
}

function consolePage(page: ConsoleHandler): RouteHandler {
  return async (req, res) => {
    res.setHeader('content-security-policy', CONSOLE_CSP);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('vary', 'accept-language');
    sendText(res, 200, 'text/html; charset=utf-8', page.html(req.headers['accept-language']));
  };
}

function consoleAsset(page: ConsoleHandler): RouteHandler {
  return async (_req, res, path) => {
    const asset = page.serveAsset(path);
    if (!asset) throw new HttpError(404, ErrorCode.NOT_FOUND, `no console asset ${path}`);
    res.writeHead(asset.status, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
    res.end(asset.body);
  };
}

function graphiqlAsset(page: GraphiQLHandler): RouteHandler {
  return async (_req, res, path) => {
    const asset = page.serveAsset(path);
    if (!asset) throw new HttpError(404, ErrorCode.NOT_FOUND, `no GraphiQL asset ${path}`);
    res.writeHead(asset.status, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600' });
    res.end(asset.body);
  };
}

/**
 * Ready when every registered subgraph answers its probe and nothing else stops requests from
 * being answered (issue 15: the audit trail commits, a policy snapshot is held, the subgraphs
 * accept the gateway's contexts); 503 otherwise, `reasons` saying why. `/healthz` is liveness only.
 * A missing holiday notice for next year is a line for the operators (`calendar`), not a reason.
 */
function readiness(registry: SubgraphRegistry, problems: () => readonly string[], calendarWarning?: () => { readonly message: string } | null): RouteHandler {
  return async (_req, res) => {
    const subgraphs: Record<string, string> = Object.fromEntries((await registry.probe()).map((h) => [h.name, h.healthy ? 'ok' : h.detail]));
    const reasons = problems();
    const ready = Object.values(subgraphs).every((s) => s === 'ok') && reasons.length === 0;
    const calendar = calendarWarning?.()?.message;
    sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'degraded', subgraphs, ...(reasons.length > 0 ? { reasons } : {}), ...(calendar ? { calendar } : {}) });
  };
}
