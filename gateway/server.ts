/**
 * The gateway: Apollo Server over @apollo/gateway, on plain node:http with the routes of the
 * request contract — `/graphql` (GraphQL over HTTP; a browser gets the bundled GraphiQL),
 * `/console` (the web console), `/healthz`, `/readyz`, `/metrics`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timeOrderedUuid } from '../lib/requestId.ts';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import type { KeyObject } from 'node:crypto';
import { createServerMetrics, type ServerMetrics } from '../lib/metrics.ts';
import { executeGraphQL, guarded, HttpError, parseJsonBody, readBody, sendJson, sendText } from '../lib/http.ts';
import type { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import { timeoutFetcher } from './subgraphFetcher.ts';
import { createGraphiQLHandler, GRAPHIQL_CSP } from '../web/graphiql/serve.ts';
import { buildGraphiQL } from '../web/graphiql/build.ts';
import { createConsoleHandler, CONSOLE_CSP } from '../web/console/serve.ts';
import { buildConsole } from '../web/console/build.ts';
import { SignedDataSource } from './signedDataSource.ts';
import { SharingContextTokens } from './sharingContextTokens.ts';
import { DEFAULT_LIMITS, limitRules, type OperationLimits } from '../lib/operationLimits/operationLimits.ts';
import { createErrorFormatter } from '../lib/errorFormatter.ts';
import { operationResolutionPlugin } from '../lib/operationResolutionPlugin.ts';
import { keepApolloOffline, offlinePlugins } from '../lib/offline.ts';
import { createAdminServer } from '../control/admin/adminServer.ts';
import type { ApplicationService } from '../control/applications/applicationService.ts';
import type { ObjectionService } from '../control/objections/objectionService.ts';
import type { WorkingDayCalendar } from '../policies/workingDays.ts';
import { createAuthenticator, requireAppIdentity } from '../control/directory/authenticator.ts';
import { policyCheckPlugin } from './plugins/policyCheck.ts';
import { auditPlugin } from './plugins/audit.ts';
import { rateLimitPlugin } from './plugins/rateLimit.ts';
import type { AuditLog } from '../audit/auditLog.ts';
import { yearlyUsage } from '../audit/usage.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { createGatewayMetrics } from './gatewayMetrics.ts';
import type { GatewayContext } from './requestContext.ts';
import type { PolicyState } from '../control/policies/policyState.ts';
import type { CatalogueService } from '../control/catalogue/catalogueService.ts';
import type { PlatformStore } from '../control/store/platformStore.ts';
import { SharingContextError, signRegistryContext, verifySharingContext } from '../lib/sharingContext.ts';
import { PolicySnapshotSlices } from './policySnapshotSlice.ts';

export interface GatewayOptions {
  /** Where the supergraph comes from; every version it publishes is served without a restart. */
  readonly registry: SubgraphRegistry;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly subgraphTimeoutMs: number;
  readonly store: PlatformStore;
  readonly policy: PolicyState;
  /** The key the gateway signs sharing contexts with (its public half is the subgraphs'). */
  readonly signingKeys: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  /** The static policy check; switched off only by the defence-in-depth test. @default true */
  readonly staticPolicyCheck?: boolean;
  readonly plugins?: readonly ApolloServerPlugin<GatewayContext>[];
  /** @default DEFAULT_LIMITS */
  readonly limits?: OperationLimits;
  /** The access audit trail (R10): every /graphql answer waits for its record. */
  readonly audit: AuditLog;
  /** Row attributes the subgraphs expose (for validating row conditions in the admin API). */
  readonly rowAttributes?: readonly string[];
  readonly applications: ApplicationService;
  readonly objections: ObjectionService;
  readonly calendar: WorkingDayCalendar;
  /** The catalogue (R2, R3), served in the admin API. */
  readonly catalogue: CatalogueService;
  /** Headers GraphiQL pre-fills for a browser user. */
  readonly graphiqlHeaders?: Record<string, string>;
  readonly log?: (message: string) => void;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  readonly supergraphSdl: string;
  close(): Promise<void>;
}

/** Routes with their own metrics label; anything else is counted as `other`. */
const KNOWN_ROUTES = new Set(['/graphql', '/admin/graphql', '/healthz', '/readyz', '/metrics', '/internal/policy-snapshot', '/console', '/']);

const SAMPLE_QUERY = `# govgraph: one GraphQL schema over the departments' shared data.
# Every request needs an app token and a declared purpose (see the headers tab).
query LegalEntityFile($creditCode: ID!) {
  legalEntity(creditCode: $creditCode) {
    name
    status
    legalRepresentative { name }
    credit { rating }
    licences { licenceNo name status }
  }
}
`;

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const log = options.log ?? ((message: string) => console.log(`[gateway] ${message}`));
  const metrics = createServerMetrics('gateway', { defaultMetrics: true });
  const gatewayMetrics = createGatewayMetrics(metrics.registry);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const fetcher = timeoutFetcher(options.subgraphTimeoutMs);
  const tokens = new SharingContextTokens(options.signingKeys.privateKey);
  const snapshotSlices = new PolicySnapshotSlices(() => options.registry.current);
  // Where subgraphs fetch the policy snapshot named in a signed context; filled in once listening.
  let snapshotUrl = '';
  const registry = options.registry;
  keepApolloOffline();
  const gateway = new ApolloGateway({
    supergraphSdl: registry.supergraphManager(),
    buildService: ({ name, url }) => new SignedDataSource(name, url!, fetcher, tokens, () => snapshotUrl, (n) => registry.healthOf(n),
      (n) => registry.current.subgraphs.find((s) => s.name === n)?.department),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...offlinePlugins<GatewayContext>(),
      // Before the policy check: an operation that cannot run here is refused as such.
      operationResolutionPlugin<GatewayContext>({ mutationHint: 'changes (policies, applications, apps) are made through the management API, /admin/graphql' }),
      policyCheckPlugin({ enabled: options.staticPolicyCheck ?? true }),
      // After the policy check, so a refusal can mark every requested field denied for the audit.
      rateLimitPlugin({ limitsOf: (app) => options.store.appRateLimit(app) }),
      auditPlugin(options.audit, {
        onError: (e, id) => log(`audit record of request ${id} not written: ${(e as Error).message}`),
        onCommitted: (seconds) => gatewayMetrics.auditLag.observe(seconds),
      }),
      metricsPlugin(gatewayMetrics),
      ...(options.plugins ?? []),
    ],
    includeStacktraceInErrorResponses: false,
    validationRules: [...limitRules(limits)],
    parseOptions: { maxTokens: limits.tokens },
    formatError: createErrorFormatter({ where: 'the gateway', maxTokens: limits.tokens, log }),
  });
  const authenticator = createAuthenticator(options.store);
  const admin = await createAdminServer({ limits, log });
  const adminGraphiql = createGraphiQLHandler({ endpoint: '/admin/graphql', defaultHeaders: { Authorization: 'Bearer <platform or department admin token>' }, defaultQuery: '{ me { department kind } policyVersion myAccess { coordinate status readableFor applicableFor } }\n' });
  await apollo.start();
  // The browser bundle is built from the installed packages (no CDN); skipped when up to date.
  await buildGraphiQL();
  await buildConsole();
  const consolePage = createConsoleHandler();
  const graphiql = createGraphiQLHandler({
    endpoint: '/graphql',
    defaultHeaders: options.graphiqlHeaders ?? {},
    defaultQuery: SAMPLE_QUERY,
  });

  const subgraphHealth = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await registry.probe()).map((h) => [h.name, h.healthy ? 'ok' : h.detail]));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const started = performance.now();
    try {
      if (path === '/graphql') {
        if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
          res.setHeader('content-security-policy', GRAPHIQL_CSP);
          sendText(res, 200, 'text/html; charset=utf-8', graphiql.html());
          return;
        }
        const identity = requireAppIdentity(await authenticator.authenticate(req.headers.authorization));
        const body = req.method === 'POST' ? parseJsonBody(await readBody(req, limits.bodyBytes)) : undefined;
        const requestId = timeOrderedUuid();
        res.setHeader('x-request-id', requestId);
        const context: GatewayContext = {
          requestId,
          identity,
          snapshot: options.policy.current,
          caller: null,
          signedContext: null,
          subgraphsCalled: new Set(),
          access: { requested: [], denied: [], grantsUsed: [] },
        };
        await executeGraphQL(apollo, req, res, body, async () => context);
        return;
      }
      if (path === '/admin/graphql') {
        if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
          res.setHeader('content-security-policy', GRAPHIQL_CSP);
          sendText(res, 200, 'text/html; charset=utf-8', adminGraphiql.html());
          return;
        }
        const identity = await authenticator.authenticate(req.headers.authorization);
        const body = req.method === 'POST' ? parseJsonBody(await readBody(req, limits.bodyBytes)) : undefined;
        await executeGraphQL(admin, req, res, body, async () => ({
          identity, store: options.store, policy: options.policy, authenticator, rowAttributes: options.rowAttributes ?? [],
          applications: options.applications, objections: options.objections, calendar: options.calendar, registry, audit: options.audit,
          usageForYear: (year: number) => yearlyUsage(options.audit, year, (s) => registry.current.subgraphs.find((x) => x.name === s)?.department), catalogue: options.catalogue,
          // R10: a registry context reads `_service { sdl }` of that one subgraph and nothing else.
          signContext: (_who, subgraph) => signRegistryContext(options.signingKeys.privateKey, subgraph),
        }));
        return;
      }
      if (path === '/internal/policy-snapshot' && req.method === 'GET') {
        // Subgraphs present the data context they received: only the gateway's own
        // recipients may read the policy, only the version a request was decided under, and
        // only the slice for the subgraph the context was issued to (R10, least privilege).
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        if (!token) throw new HttpError(401, 'UNAUTHENTICATED', 'present a sharing context signed by this gateway');
        let subgraph: string;
        try {
          const context = await verifySharingContext(options.signingKeys.publicKey, token, null);
          if (context.scope !== 'data') throw new SharingContextError(`a sharing context of scope "${context.scope}" does not read the policy; present a data context`, 'wrong_scope');
          subgraph = context.audience;
        } catch (error) {
          if (error instanceof SharingContextError) throw new HttpError(401, 'UNAUTHENTICATED', error.message);
          throw error;
        }
        const version = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('version'));
        const snapshot = options.policy.version(version) ?? (options.policy.current.version === version ? options.policy.current : undefined);
        if (!snapshot) throw new HttpError(404, 'NOT_FOUND', `policy version ${version} is not held by this gateway (current ${options.policy.current.version})`);
        const slice = snapshotSlices.sliceFor(snapshot, subgraph);
        if (!slice) throw new HttpError(403, 'FORBIDDEN', `subgraph ${subgraph} is not registered: it has no policy to read`);
        sendJson(res, 200, slice);
        return;
      }
      if ((path === '/console' || path === '/console/') && req.method === 'GET') {
        res.setHeader('content-security-policy', CONSOLE_CSP);
        res.setHeader('cache-control', 'no-store');
        res.setHeader('x-content-type-options', 'nosniff');
        sendText(res, 200, 'text/html; charset=utf-8', consolePage.html());
        return;
      }
      if (path.startsWith('/console/assets/') && req.method === 'GET') {
        const asset = consolePage.serveAsset(path);
        if (!asset) throw new HttpError(404, 'NOT_FOUND', `no console asset ${path}`);
        res.writeHead(asset.status, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
        res.end(asset.body);
        return;
      }
      if (path.startsWith('/graphiql/') && req.method === 'GET') {
        const asset = graphiql.serveAsset(path);
        if (!asset) throw new HttpError(404, 'NOT_FOUND', `no GraphiQL asset ${path}`);
        res.writeHead(asset.status, { 'content-type': asset.contentType, 'cache-control': 'public, max-age=3600' });
        res.end(asset.body);
        return;
      }
      switch (path) {
        case '/healthz':
          sendJson(res, 200, { status: 'ok' });
          return;
        case '/readyz': {
          const subgraphs = await subgraphHealth();
          const ready = Object.values(subgraphs).every((s) => s === 'ok');
          sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'degraded', subgraphs });
          return;
        }
        case '/metrics':
          sendText(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
          return;
        case '/':
          res.writeHead(302, { location: '/console' });
          res.end();
          return;
        default:
          throw new HttpError(404, 'NOT_FOUND', `no route ${path}; the gateway serves /graphql, /console, /healthz, /readyz and /metrics`);
      }
    } finally {
      const route = KNOWN_ROUTES.has(path) ? path : path.startsWith('/graphiql/') ? '/graphiql' : path.startsWith('/console/') ? '/console' : 'other';
      metrics.httpRequests.labels(route, String(res.statusCode)).inc();
      metrics.httpDuration.labels(route).observe((performance.now() - started) / 1000);
    }
  };
  const server = createServer(guarded(handle, (error) => log(`unexpected error: ${(error as Error).stack ?? String(error)}`)));
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  snapshotUrl = `http://${host}:${port}/internal/policy-snapshot`;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    metrics,
    get supergraphSdl() {
      return registry.current.supergraphSdl;
    },
    async close() {
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; connections still open after it are cut.
      const cut = setTimeout(() => server.closeAllConnections(), 2000);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cut);
      await apollo.stop();
      await admin.stop();
      fetcher.destroy();
    },
  };
}
