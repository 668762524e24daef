/**
 * The path of one data request (`/graphql`), top-down — the place to start reading the gateway.
 *
 * | # | stage                          | implemented in                                             | rule    |
 * |---|--------------------------------|------------------------------------------------------------|---------|
 * | 1 | authenticate (token → app)     | gateway/stages/authenticate.ts (control/directory/authenticator.ts) | R10 |
 * | 2 | operation limits (parse, validate) | lib/operationLimits/                                   | R10     |
 * | 3 | resolve the operation          | lib/operationResolutionPlugin.ts                           | —       |
 * | 4 | declare the purpose            | gateway/plugins/purpose.ts                                 | R6      |
 * | 5 | static policy check            | gateway/plugins/policyCheck.ts                             | R1, R5  |
 * | 6 | rate limits                    | gateway/plugins/rateLimit.ts                               | R10     |
 * | 7 | plan and execute               | @apollo/gateway (ApolloGateway, below)                     | —       |
 * | 8 | sign contexts (one per subgraph) | gateway/signedDataSource.ts, gateway/sharingContextTokens.ts | R8, R10 |
 * | 9 | fetch (MAC per fetch, timeout) | gateway/signedDataSource.ts, gateway/subgraphFetcher.ts    | R10     |
 * |10 | restore denials, withhold rows | gateway/plugins/policyCheck.ts (willSendResponse)          | R1      |
 * |11 | audit (answer waits for it)    | gateway/plugins/audit.ts                                   | R10     |
 * |12 | metrics                        | gateway/plugins/metrics.ts                                 | —       |
 * |13 | one log line per request       | gateway/plugins/requestLog.ts                              | —       |
 *
 * Stage 1 runs in the route (gateway/routes.ts), before Apollo: a refused token reads nothing.
 * Stage 2 is Apollo's parse and validation, configured here. Stages 3 to 6 are plugins whose
 * `didResolveOperation` hooks Apollo starts together, in plugin order; 10 to 12 are
 * `willSendResponse` hooks, also in plugin order. The request context moves through the
 * stages authenticated → purpose declared → checked (gateway/requestContext.ts).
 *
 * Why this plugin order:
 * - the operation is resolved before anything looks at it, so an operation that cannot run
 *   here is refused as such (not as a missing purpose);
 * - the purpose precedes the policy check, which decides for the declared caller;
 * - rate limits follow the policy check, so a refusal can mark every requested field denied
 *   for the audit record;
 * - denials are restored into the answer before the audit reads it, and the audit precedes
 *   the metrics (an answer withheld for want of its record is still counted as answered).
 */
import type { TlsMaterial } from '../lib/tlsLinks.ts';
import type { ContextSigner } from '../lib/sharingContext.ts';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import type { Authenticator } from '../control/directory/authenticator.ts';
import type { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import type { PlatformStore } from '../control/store/platformStore.ts';
import type { AuditLog } from '../audit/auditLog.ts';
import { limitRules, type OperationLimits } from '../lib/operationLimits/operationLimits.ts';
import { operationResolutionPlugin } from '../lib/operationResolutionPlugin.ts';
import { createErrorFormatter } from '../lib/errorFormatter.ts';
import { localizedErrorsPlugin } from '../lib/localizedErrorsPlugin.ts';
import { keepApolloOffline, offlinePlugins } from '../lib/offline.ts';
import { authenticateApp, type AppAuthentication } from './stages/authenticate.ts';
import { purposePlugin } from './plugins/purpose.ts';
import { policyCheckPlugin } from './plugins/policyCheck.ts';
import { rateLimitPlugin } from './plugins/rateLimit.ts';
import { auditPlugin } from './plugins/audit.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { requestLogPlugin } from './plugins/requestLog.ts';
import type { Logger } from '../lib/logger.ts';
import { SignedDataSource } from './signedDataSource.ts';
import { SharingContextTokens } from './sharingContextTokens.ts';
import { SUBGRAPH_BREAKER, timeoutFetcher } from './subgraphFetcher.ts';
import { SubgraphAuthHealth } from './subgraphAuthHealth.ts';
import type { GatewayMetrics } from './gatewayMetrics.ts';
import type { GatewayContext } from './requestContext.ts';

export interface PipelineOptions {
  readonly authenticator: Authenticator;
  readonly registry: SubgraphRegistry;
  readonly store: PlatformStore;
  readonly audit: AuditLog;
  readonly limits: OperationLimits;
  readonly subgraphTimeoutMs: number;
  /** CA and client certificate for https subgraphs (mutual TLS, issue 16). */
  readonly subgraphTls?: TlsMaterial;
  /** The platform's context-signing key in force, and the root of the subgraphs' MAC keys. */
  readonly signingKeys: { context(): ContextSigner; readonly macRoot: Buffer };
  /** Where subgraphs read the policy snapshot a signed context names (this gateway's own route). */
  readonly snapshotUrl: string;
  /** Off only in the defence-in-depth test. @default true */
  readonly staticPolicyCheck: boolean;
  readonly metrics: GatewayMetrics;
  /** Added after the pipeline's own (tests). */
  readonly plugins: readonly ApolloServerPlugin<GatewayContext>[];
  readonly log: (message: string) => void;
  /** Where the one line per request goes (gateway/plugins/requestLog.ts). */
  readonly logger: Logger;
  /** The injected clock (times readiness reports). */
  readonly clock: () => Date;
}

export interface RequestPipeline {
  /** Stage 1, called by the `/graphql` route. */
  readonly authenticate: AppAuthentication;
  /** Stages 2 to 12. Started by `createRequestPipeline`. */
  readonly apollo: ApolloServer<GatewayContext>;
  /** Which subgraphs refuse the gateway's sharing contexts (readiness). */
  readonly subgraphAuth: SubgraphAuthHealth;
  stop(): Promise<void>;
}

export async function createRequestPipeline(options: PipelineOptions): Promise<RequestPipeline> {
  const { registry, limits, log } = options;
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    // Apollo's own extras off: no landing page (GraphiQL is ours), no traces, no reporting.
    ApolloServerPluginLandingPageDisabled(),
    ApolloServerPluginInlineTraceDisabled(),
    ...offlinePlugins<GatewayContext>(),
    // 3
    operationResolutionPlugin<GatewayContext>({ mutationHint: 'changes (policies, applications, apps) are made through the management API, /admin/graphql' }),
    // 4
    purposePlugin(),
    // 5 and 10
    policyCheckPlugin({ enabled: options.staticPolicyCheck }),
    // Errors in the language asked for (Accept-Language), after the denials are restored (10).
    localizedErrorsPlugin<GatewayContext>(),
    // 6
    rateLimitPlugin({ limitsOf: (app) => options.store.appRateLimit(app) }),
    // 11
    auditPlugin(options.audit, {
      onError: (e, id) => log(`audit record of request ${id} not written: ${(e as Error).message}`),
      onCommitted: (seconds) => options.metrics.auditLag.observe(seconds),
    }),
    // 12
    metricsPlugin(options.metrics),
    // 13
    requestLogPlugin(options.logger),
    ...options.plugins,
  ];
  // 7, 8, 9
  const fetcher = timeoutFetcher(options.subgraphTimeoutMs, { ...SUBGRAPH_BREAKER, log }, options.subgraphTls);
  const tokens = new SharingContextTokens(() => options.signingKeys.context(), options.signingKeys.macRoot);
  const subgraphAuth = new SubgraphAuthHealth(options.clock);
  keepApolloOffline();
  const gateway = new ApolloGateway({
    supergraphSdl: registry.supergraphManager(),
    buildService: ({ name, url }) => new SignedDataSource(name, url!, fetcher, tokens, options.snapshotUrl, (n) => registry.healthOf(n),
      (n) => registry.current.subgraphs.find((s) => s.name === n)?.department, subgraphAuth),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins,
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (graceful shutdown: platform/main.ts); Apollo's own
    // handlers would stop this server under requests in flight and re-send the signal.
    stopOnTerminationSignals: false,
    // 2
    validationRules: [...limitRules(limits)],
    parseOptions: { maxTokens: limits.tokens },
    formatError: createErrorFormatter({ where: 'the gateway', maxTokens: limits.tokens, log }),
  });
  await apollo.start();
  return {
    authenticate: authenticateApp(options.authenticator),
    apollo,
    subgraphAuth,
    async stop() {
      await apollo.stop();
      fetcher.destroy();
    },
  };
}
