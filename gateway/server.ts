/**
 * The gateway: Apollo Server over @apollo/gateway, on the shared HTTP scaffold
 * (lib/httpServer.ts). What a data request goes through is gateway/pipeline.ts; the routes
 * are gateway/routes.ts. Here the pieces are built and wired, in the order they depend on
 * each other: the port (its address goes into every signed context), the pipeline, the
 * management API and web pages, then the routes.
 */
import type { TlsMaterial } from '../lib/tlsLinks.ts';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ContextSigner } from '../lib/sharingContext.ts';
import type { PublishedJwks, PublishedKeySet } from '../lib/publishedKeySet.ts';
import { createServerMetrics, type ServerMetrics } from '../lib/metrics.ts';
import { listenHttp, type HttpServer } from '../lib/httpServer.ts';
import type { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import { createGraphiQLHandler } from '../web/graphiql/serve.ts';
import { buildGraphiQL } from '../web/graphiql/build.ts';
import { createConsoleHandler } from '../web/console/serve.ts';
import { buildConsole } from '../web/console/build.ts';
import { DEFAULT_LIMITS, type OperationLimits } from '../lib/operationLimits/operationLimits.ts';
import { createAdminServer } from '../control/admin/adminServer.ts';
import type { AdminContext } from '../control/admin/resolvers.ts';
import type { ApplicationService } from '../control/applications/applicationService.ts';
import type { ObjectionService } from '../control/objections/objectionService.ts';
import type { WorkingDayCalendar } from '../policies/workingDays.ts';
import type { CalendarNotices } from '../control/calendar/calendarNotices.ts';
import { registerCalendarGauge } from '../control/calendar/calendarMetrics.ts';
import { createAuthenticator, type Authenticator } from '../control/directory/authenticator.ts';
import type { AuditLog } from '../audit/auditLog.ts';
import { yearlyUsage } from '../audit/usage.ts';
import { createGatewayMetrics } from './gatewayMetrics.ts';
import type { GatewayContext } from './requestContext.ts';
import type { PolicyState } from '../control/policies/policyState.ts';
import type { CatalogueService } from '../control/catalogue/catalogueService.ts';
import type { PlatformSettings } from '../control/settings/platformSettings.ts';
import type { PlatformStore, Identity } from '../control/store/platformStore.ts';
import { signRegistryContext } from '../lib/sharingContext.ts';
import { PolicySnapshotSlices } from './policySnapshotSlice.ts';
import { createRequestPipeline, type RequestPipeline } from './pipeline.ts';
import { gatewayRoutes } from './routes.ts';
import { defaultLogger, loggerOver, logLine, type Logger } from '../lib/logger.ts';
import type { SignInService } from '../control/signIn/signInService.ts';

export interface GatewayOptions {
  /** Where the supergraph comes from; every version it publishes is served without a restart. */
  readonly registry: SubgraphRegistry;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly subgraphTimeoutMs: number;
  /** What the gateway trusts and presents when it calls https subgraphs (lib/tlsLinks.ts). @default the system's CAs, no client certificate */
  readonly subgraphTls?: TlsMaterial;
  readonly store: PlatformStore;
  readonly policy: PolicyState;
  /** The platform's signing keys (control/keys/gatewayKeys.ts): shared by every replica, published at /.well-known/jwks.json. */
  readonly signingKeys: GatewaySigningKeys;
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
  /** The year notices laid over the calendar; warns when next year's is missing. */
  readonly calendarNotices: CalendarNotices;
  /** The catalogue (R2, R3), served in the admin API. */
  readonly catalogue: CatalogueService;
  /** The injected clock (tests walk deadlines with it). @default the system clock */
  readonly clock?: () => Date;
  /** The deadlines and limits in force, served in the admin API. */
  readonly settings: PlatformSettings;
  /** The console's sign-in (issue 14): local accounts, sessions, OpenID Connect. Absent: tokens only. */
  readonly signIn?: SignInService;
  /** Headers GraphiQL pre-fills for a browser user. */
  readonly graphiqlHeaders?: Record<string, string>;
  /** Variables GraphiQL pre-fills for its sample query (a demo credit code), so the first run works. */
  readonly graphiqlVariables?: Record<string, unknown>;
  readonly log?: (message: string) => void;
  /** The structured log (lib/logger.ts): one line per request, and `log`'s lines when `log` is not given. @default this process's logger */
  readonly logger?: Logger;
}

/** What the gateway signs and verifies with (issue 15): the same on every replica, from the platform store. */
export interface GatewaySigningKeys {
  /** The context key in force now (a rotation made anywhere reaches it within seconds). */
  context(): ContextSigner;
  /** The root of each subgraph's context MAC key (lib/contextMac.ts). */
  readonly macRoot: Buffer;
  /** Every context key the platform published: what the policy snapshot route verifies against. */
  readonly contextKeySet: PublishedKeySet;
  /** The published key sets (context keys for subgraphs, checkpoint keys for auditors). */
  jwks(purpose: 'context' | 'audit-checkpoint'): Promise<PublishedJwks>;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  readonly supergraphSdl: string;
  /** Stops accepting at once; requests in flight get `graceMs` (lib/httpServer.ts). */
  close(graceMs?: number): Promise<void>;
  /**
   * Runs a management operation as `identity`, as /admin/graphql does once it has authenticated
   * the caller: the same schema, plugins (audit, person standing) and context. For a person's
   * identity (issue 14) before sign-in gives them a session, and for tests.
   */
  executeAdmin(identity: Identity, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: { data?: Record<string, unknown> | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] } }>;
}

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
  const logger = (options.logger ?? (options.log ? loggerOver(options.log) : defaultLogger())).child({ component: 'gateway' });
  const log = options.log ?? logLine(logger);
  const metrics = createServerMetrics('gateway', { defaultMetrics: true });
  registerCalendarGauge(metrics.registry, options.calendarNotices);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const authenticator = createAuthenticator(options.store, options.clock);
  // The port first: subgraphs read the policy snapshot a signed context names at this address.
  const http = await listenHttp({ host: options.host, port: options.port, metrics, log, logger });
  let pipeline: RequestPipeline | null = null;
  try {
    pipeline = await createRequestPipeline({
      authenticator, limits, log, logger,
      registry: options.registry,
      store: options.store,
      audit: options.audit,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      ...(options.subgraphTls ? { subgraphTls: options.subgraphTls } : {}),
      signingKeys: options.signingKeys,
      snapshotUrl: `${http.origin}/internal/policy-snapshot`,
      staticPolicyCheck: options.staticPolicyCheck ?? true,
      metrics: createGatewayMetrics(metrics.registry),
      plugins: options.plugins ?? [],
      clock: options.clock ?? (() => new Date()),
    });
    const admin = await createAdminServer({ limits, log });
    const pages = await webPages(options.graphiqlHeaders ?? {}, options.graphiqlVariables);
    http.serve(gatewayRoutes({
      ...pages, pipeline, admin, authenticator, metrics,
      adminContext: adminContextFor(options, authenticator),
      policy: options.policy,
      registry: options.registry,
      calendarWarning: () => options.calendarNotices.warning(),
      snapshotSlices: new PolicySnapshotSlices(() => options.registry.current),
      signingKeys: options.signingKeys,
      bodyBytes: limits.bodyBytes,
      readinessProblems: readinessProblems(options, pipeline),
      ...(options.signIn ? { signIn: options.signIn, origin: () => http.origin } : {}),
    }));
    const running = pipeline;
    const contextFor = adminContextFor(options, authenticator);
    return {
      async executeAdmin(identity, query, variables = {}) {
        const response = await admin.executeOperation({ query, variables }, { contextValue: contextFor(identity) });
        const body = response.body.kind === 'single' ? response.body.singleResult : { errors: [{ message: 'incremental delivery is not used by the management API' }] };
        return { status: response.http.status ?? 200, body: body as never };
      },
      url: `${http.origin}/graphql`,
      port: http.port,
      metrics,
      get supergraphSdl() {
        return options.registry.current.supergraphSdl;
      },
      async close(graceMs?: number) {
        await http.close(graceMs);
        await running.stop();
        await admin.stop();
      },
    };
  } catch (error) {
    // A gateway that cannot start gives its port back.
    await http.close(0);
    await pipeline?.stop();
    throw error;
  }
}

/** What keeps the gateway from answering, for /readyz (issue 15). */
function readinessProblems(options: GatewayOptions, pipeline: RequestPipeline): () => string[] {
  return () => [options.audit.health(), options.policy.readiness(), ...pipeline.subgraphAuth.problems()].filter((p): p is string => p !== null);
}

/** GraphiQL for both endpoints and the web console; bundles are built from the installed packages (no CDN), skipped when up to date. */
async function webPages(graphiqlHeaders: Record<string, string>, graphiqlVariables?: Record<string, unknown>) {
  await buildGraphiQL();
  await buildConsole();
  return {
    graphiql: createGraphiQLHandler({ endpoint: '/graphql', defaultHeaders: graphiqlHeaders, defaultQuery: SAMPLE_QUERY, ...(graphiqlVariables ? { defaultVariables: graphiqlVariables } : {}) }),
    adminGraphiql: createGraphiQLHandler({ endpoint: '/admin/graphql', defaultHeaders: { Authorization: 'Bearer <platform or department admin token>' }, defaultQuery: '{ me { department kind } policyVersion myAccess { coordinate status readableFor applicableFor } }\n' }),
    consolePage: createConsoleHandler(),
  };
}

/** What the management API's resolvers work with, for one authenticated caller. */
function adminContextFor(options: GatewayOptions, authenticator: Authenticator): (identity: Identity) => AdminContext {
  const { registry, audit } = options;
  const departmentOf = (subgraph: string) => registry.current.subgraphs.find((x) => x.name === subgraph)?.department;
  return (identity) => ({
    identity, store: options.store, policy: options.policy, authenticator, rowAttributes: options.rowAttributes ?? [],
    applications: options.applications, objections: options.objections, calendar: options.calendar, registry, audit,
    usageForYear: (year: number) => yearlyUsage(audit, year, departmentOf), catalogue: options.catalogue, settings: options.settings,
    calendarNotices: options.calendarNotices, clock: options.clock ?? (() => new Date()),
    ...(options.signIn ? { signIn: options.signIn } : {}),
    // R10: a registry context reads `_service { sdl }` of that one subgraph and nothing else.
    signContext: (_who, subgraph) => signRegistryContext(options.signingKeys.context(), subgraph),
  });
}
