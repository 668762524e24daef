/**
 * Runs one department subgraph, in four phases (one function each, below): its own database
 * (migrated, secrets sealed, seeded on first start); the federation subgraph schema with
 * graphql-shield over it; the verification of the gateway's signed contexts; and the HTTP
 * routes `/graphql`, `/freshness`, `/healthz`, `/readyz`, `/metrics` on the scaffold the
 * gateway runs on too (lib/httpServer.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { openDatabase, type OpenedDatabase, type StorageConfig } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { createServerMetrics, type ServerMetrics } from '../../lib/metrics.ts';
import { executeGraphQL, HttpError, parseJsonBody, readBody, sendJson, sendText } from '../../lib/http.ts';
import { listenHttp, type RouteTable } from '../../lib/httpServer.ts';
import { scalarResolvers } from '../../schema/scalars.ts';
import type { DemoWorld } from '../../demo/world.ts';
import type { KeyObject } from 'node:crypto';
import type { DocumentSealer } from '../../lib/electronicSeal.ts';
import type { SecretSealer } from '../../lib/secretSealer.ts';
import type { PublishedKeySet } from '../../lib/publishedKeySet.ts';
import { applyMiddleware } from 'graphql-middleware';
import { Counter } from 'prom-client';
import { SHARING_CONTEXT_HEADER, SharingContextError, verifySharingContext, type ContextScope, type VerifiedSharingContext } from '../../lib/sharingContext.ts';
import { SHARING_CONTEXT_MAC_HEADER, verifyContextMac } from '../../lib/contextMac.ts';
import { sharingShield, type SharingRequestContext } from '../../policies/shieldRules.ts';
import { PolicySnapshot } from '../../policies/snapshot.ts';
import type { SubgraphContext, SubgraphDefinition } from './definition.ts';
import { gatewaySnapshotSource, type SnapshotSource } from './policySource.ts';
import { offlinePlugins } from '../../lib/offline.ts';
import { ErrorCode, maskUnexpectedError } from '../../lib/errors.ts';
import { checkedRepresentations } from './representations.ts';
import { defaultLogger, logLine, type Logger } from '../../lib/logger.ts';
import { context as traceContext } from '@opentelemetry/api';
import { extractTraceContext, govgraphTracer, inSpan, recordFinishedSpan } from '../../lib/tracing.ts';
import { serverTlsOptions, type ServerTlsSettings } from '../../lib/tlsLinks.ts';

/**
 * How the subgraph protects its data. `enforced`: only requests with a valid context signed
 * by the gateway for this subgraph, each data fetch MACed with this subgraph's key, and
 * graphql-shield compiled from the policy snapshot. The benchmark's plain-gateway baseline
 * alone runs `unprotected-baseline`: no configuration or environment variable reaches it.
 */
export type SubgraphSecurity =
  | {
    readonly mode: 'enforced';
    /**
     * What contexts verify against: the platform's published key set (its JWKS, fetched and
     * cached; issue 15), or one key (tests, a subgraph given the key by hand).
     */
    readonly publicKey: KeyObject | PublishedKeySet;
    /** K_s, this subgraph's context MAC key (lib/contextMac.ts), from the launcher. */
    readonly macKey: Buffer;
    /** The name contexts must be issued for: the registered name. @default definition.name */
    readonly audience?: string;
    readonly snapshots?: SnapshotSource;
  }
  | { readonly mode: 'unprotected-baseline' };

/** What a registry (`sdl`-scope) request is decided under: no field, no grant — the shield refuses all data. */
const NOTHING = new PolicySnapshot({ version: 0, fields: [], grants: [], departments: [], purposes: [] });

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers[name];
  return Array.isArray(header) ? header[0] : header;
}

/** Verified contexts kept so that several fetches of one request verify once. */
const VERIFIED_CACHE_SIZE = 2048;

export interface SubgraphServerOptions {
  readonly storage: StorageConfig;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** The demo world to seed on first start; none: leave the database as it is. */
  readonly world?: DemoWorld;
  readonly security: SubgraphSecurity;
  /**
   * The platform's sealer for secrets at rest (R10): the seed encrypts with it, and secrets
   * still in plain text are encrypted at start. Absent: nothing is sealed (the benchmark's
   * baseline over already-sealed databases); a subgraph that stores secrets refuses to seed.
   */
  readonly secrets?: SecretSealer;
  /** Seals documents the seed writes (R12: licences); the platform seeds such subgraphs itself before starting them. */
  readonly seals?: DocumentSealer;
  readonly log?: (message: string) => void;
  /** The structured log (lib/logger.ts), when `log` is not given. @default this process's logger */
  readonly logger?: Logger;
  /** Serve https only (and with `clientCaFile`, only to clients with a certificate of that CA). @default plain http */
  readonly tls?: ServerTlsSettings | null;
}

export interface RunningSubgraph {
  readonly definition: SubgraphDefinition;
  readonly url: string;
  readonly port: number;
  readonly metrics: ServerMetrics;
  readonly database: OpenedDatabase<any>;
  close(): Promise<void>;
}

export async function startSubgraphServer(definition: SubgraphDefinition, options: SubgraphServerOptions): Promise<RunningSubgraph> {
  const logger = (options.logger ?? defaultLogger()).child({ component: `subgraph-${definition.name}` });
  const log = options.log ?? logLine(logger);
  const metrics = createServerMetrics(`subgraph-${definition.name}`);
  const database = await openSubgraphDatabase(definition, options, metrics, log);
  const apollo = new ApolloServer<SubgraphContext<any, any>>({
    schema: protectedSchema(definition, options.security),
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...offlinePlugins<SubgraphContext<any, any>>()],
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (graceful shutdown: platform/main.ts); Apollo's own
    // handlers would stop this server under requests in flight and re-send the signal.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => maskUnexpectedError(formatted, error, `the ${definition.name} subgraph`, log),
  });
  await apollo.start();
  const verifier = options.security.mode === 'enforced' ? contextVerifier(definition, options.security, metrics) : null;
  const http = await listenHttp({ host: options.host, port: options.port ?? 0, metrics, log, ...(options.log ? {} : { logger }), ...(options.tls ? { tls: serverTlsOptions(options.tls) } : {}) });
  http.serve(subgraphRoutes(definition, database, apollo, verifier, metrics));
  return {
    definition,
    url: `${http.origin}/graphql`,
    port: http.port,
    metrics,
    database,
    async close() {
      await http.close();
      await apollo.stop();
      await database.close();
    },
  };
}

/** Phase 1: the department's own database, migrated; secrets still in plain text sealed; the demo world seeded on first start. */
async function openSubgraphDatabase(definition: SubgraphDefinition, options: SubgraphServerOptions, metrics: ServerMetrics, log: (message: string) => void): Promise<OpenedDatabase<any>> {
  const statements = metrics.dbStatements.labels(definition.name);
  const database = await openDatabase<any>(options.storage, definition.name, {
    onStatement: (event) => {
      statements.inc();
      // One span per statement, under the request's (lib/tracing.ts; nothing when not tracing):
      // the SQL text has placeholders, never the values bound to them.
      recordFinishedSpan('govgraph.sql', event.queryDurationMillis, { 'db.system.name': options.storage.kind === 'sqlite' ? 'sqlite' : 'postgresql', 'db.query.text': event.query.sql });
    },
  });
  const { db } = database;
  await migrateToLatest(db, definition.migrations, definition.name, database.schema);
  if (options.secrets && definition.sealSecretsAtRest) {
    const sealed = await definition.sealSecretsAtRest(db, options.secrets);
    if (sealed > 0) log(`encrypted ${sealed} stored secrets under platform key ${options.secrets.currentKeyId}`);
  }
  if (options.world && !(await definition.isSeeded(db))) {
    const started = performance.now();
    const report = await definition.seed(db, options.world, { ...(options.secrets ? { secrets: options.secrets } : {}), ...(options.seals ? { seals: options.seals } : {}) });
    log(`seeded ${Object.entries(report.rows).map(([t, n]) => `${n} ${t}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
  }
  return database;
}

/** Phase 2: the federation subgraph schema; under enforced security, graphql-shield compiled from the policy over it. */
function protectedSchema(definition: SubgraphDefinition, security: SubgraphSecurity): GraphQLSchema {
  const subgraphSchema = buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: { ...scalarResolvers, ...checkedRepresentations(definition.typeDefs, definition.resolvers) } as never });
  return security.mode === 'enforced'
    ? applyMiddleware(subgraphSchema, sharingShield(subgraphSchema, definition.rowAttributes ?? {}))
    : subgraphSchema;
}

/** Phase 3's product: what a route asks of the gateway's signed context. */
interface ContextVerifier {
  /** `/graphql`: the request body (read here, as the MAC covers it) and the sharing decided for it. */
  graphql(req: IncomingMessage): Promise<{ body: string; sharing: SharingRequestContext['sharing'] }>;
  /** `/freshness`: a freshness or data context for this subgraph. */
  freshness(req: IncomingMessage): Promise<void>;
}

type EnforcedSecurity = Extract<SubgraphSecurity, { mode: 'enforced' }>;

/** Phase 3: verifying the gateway's signed contexts, counted by consumer and outcome. */
function contextVerifier(definition: SubgraphDefinition, security: EnforcedSecurity, metrics: ServerMetrics): ContextVerifier {
  const snapshots = security.snapshots ?? gatewaySnapshotSource();
  const verified = new Map<string, VerifiedSharingContext>();
  // Every verification and refusal, by the consumer the gateway signed ('unknown' when the
  // signature did not hold): a context replayed at the wrong subgraph shows as wrong_audience.
  const contextChecks = new Counter({
    name: 'govgraph_context_verifications_total',
    help: 'Sharing contexts checked by this subgraph, by consumer and outcome (ok, missing, invalid, bad_signature, expired, wrong_audience, wrong_scope, bad_mac)',
    labelNames: ['consumer', 'outcome'],
    registers: [metrics.registry],
  });
  const refuse = (error: SharingContextError): never => {
    contextChecks.labels(error.consumer ?? 'unknown', error.reason).inc();
    throw new HttpError(401, ErrorCode.UNAUTHENTICATED, error.message);
  };
  /**
   * The gateway's signed context on this request, verified (signature, issuer, expiry, audience
   * = this subgraph) and of a scope `route` accepts. Not counted as ok yet: the caller may
   * still check the MAC.
   */
  const verifyContext = async (req: IncomingMessage, route: string, scopes: readonly ContextScope[]): Promise<{ token: string; claims: VerifiedSharingContext }> => {
    const token = headerValue(req, SHARING_CONTEXT_HEADER);
    if (!token) return refuse(new SharingContextError(`this subgraph answers only requests from the govgraph gateway: the ${SHARING_CONTEXT_HEADER} header is missing`, 'missing'));
    let claims = verified.get(token);
    if (!claims || claims.exp * 1000 <= Date.now()) {
      try {
        claims = await verifySharingContext(security.publicKey, token, security.audience ?? definition.name);
      } catch (error) {
        if (error instanceof SharingContextError) return refuse(error);
        throw error;
      }
      verified.set(token, claims);
      if (verified.size > VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    }
    if (!scopes.includes(claims.scope)) {
      return refuse(new SharingContextError(`a sharing context of scope "${claims.scope}" is not accepted at ${route} (accepted: ${scopes.join(', ')})`, 'wrong_scope', claims.consumer));
    }
    return { token, claims };
  };
  return {
    /**
     * The context, then (data scope) the MAC over the exact body bytes read — R10, bound to
     * this fetch — then the policy snapshot it names. A registry (`sdl`) context needs no MAC
     * (the SDL is not secret; an unregistered subgraph has no key yet) and is decided under an
     * empty snapshot: the shield lets it read `_service` only.
     */
    async graphql(req) {
      const { token, claims } = await verifyContext(req, '/graphql', ['data', 'sdl']);
      if (req.method !== 'POST') throw new HttpError(405, ErrorCode.METHOD_NOT_ALLOWED, 'POST /graphql: the sharing context is bound to the request body');
      const body = await readBody(req);
      const caller = { department: claims.consumer, app: claims.app, purpose: claims.purpose, caseId: claims.caseId };
      if (claims.scope === 'sdl') {
        contextChecks.labels(claims.consumer, 'ok').inc();
        return { body, sharing: { scope: 'sdl', caller, snapshot: NOTHING, decisions: new Map() } };
      }
      const mac = headerValue(req, SHARING_CONTEXT_MAC_HEADER);
      if (!mac) return refuse(new SharingContextError(`the ${SHARING_CONTEXT_MAC_HEADER} header is missing: a data context is accepted only with the gateway's MAC of this request`, 'bad_mac', claims.consumer));
      if (!verifyContextMac(security.macKey, token, body, mac)) {
        return refuse(new SharingContextError(`the ${SHARING_CONTEXT_MAC_HEADER} does not match this request: the sharing context was issued for another document or other variables`, 'bad_mac', claims.consumer));
      }
      contextChecks.labels(claims.consumer, 'ok').inc();
      let snapshot: PolicySnapshot;
      try {
        snapshot = await snapshots(claims, token);
      } catch (error) {
        throw new HttpError(503, ErrorCode.POLICY_UNAVAILABLE, `policy version ${claims.policyVersion} could not be loaded: ${(error as Error).message}`);
      }
      return { body, sharing: { scope: 'data', caller, snapshot, decisions: new Map() } };
    },
    async freshness(req) {
      contextChecks.labels((await verifyContext(req, '/freshness', ['freshness', 'data'])).claims.consumer, 'ok').inc();
    },
  };
}

/**
 * The shield's work on one request as one span (not one per field: a list of a thousand rows
 * would otherwise make a thousand): the execution it guarded, the consumer, and how many field
 * coordinates it decided and denied.
 */
function shieldSpan(sharing: SharingRequestContext['sharing'], from: number): void {
  let denied = 0;
  for (const decision of sharing.decisions.values()) if (!decision.allowed) denied++;
  govgraphTracer().startSpan('govgraph.shield', {
    startTime: from,
    attributes: { 'govgraph.consumer.department': sharing.caller.department, 'govgraph.policy.version': sharing.snapshot.version, 'govgraph.shield.decided': sharing.decisions.size, 'govgraph.shield.denied': denied },
  }).end();
}

/** Paths with their own metrics label; anything else is counted as `other`. */
const SUBGRAPH_ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/freshness']);

/** Phase 4: the routes. `verifier` null: the benchmark's unprotected baseline, which checks no context. */
function subgraphRoutes(definition: SubgraphDefinition, database: OpenedDatabase<any>, apollo: ApolloServer<SubgraphContext<any, any>>, verifier: ContextVerifier | null, metrics: ServerMetrics): RouteTable {
  const { db } = database;
  return {
    routes: [
      {
        path: '/graphql',
        // Traced (lib/tracing.ts) under the gateway's fetch span when its traceparent came along:
        // that header only places the spans; the signed context alone decides (R10).
        handle: (req, res) => traceContext.with(extractTraceContext(req.headers), () => inSpan('govgraph.subgraph.graphql', { 'govgraph.subgraph': definition.name }, async (span) => {
          const auth = verifier ? await verifier.graphql(req) : null;
          const raw = auth ? auth.body : req.method === 'POST' ? await readBody(req) : undefined;
          const body = raw === undefined ? undefined : parseJsonBody(raw);
          const executing = Date.now();
          // Loaders are created per request: a cache must never be shared between callers
          // who hold different grants.
          await executeGraphQL(apollo, req, res, body, async () => ({
            db,
            loaders: definition.createLoaders(db),
            ...(auth ? { sharing: auth.sharing } : {}),
          }));
          if (auth && span.isRecording()) shieldSpan(auth.sharing, executing);
        })),
      },
      {
        path: '/freshness',
        // R2: when each resource's data last changed, for the catalogue. Only for the gateway
        // (a freshness or data context for this subgraph); no policy snapshot is needed, as
        // no field is read — only maxima of timestamp columns — and no MAC, as there is no
        // body to bind.
        async handle(req, res) {
          if (req.method !== 'GET') throw new HttpError(405, ErrorCode.METHOD_NOT_ALLOWED, 'GET /freshness');
          await verifier?.freshness(req);
          if (!definition.freshness) throw new HttpError(404, ErrorCode.NOT_FOUND, `subgraph ${definition.name} does not report freshness`);
          sendJson(res, 200, { subgraph: definition.name, department: definition.department, resources: await definition.freshness(db), at: new Date().toISOString() });
        },
      },
      { path: '/healthz', handle: async (_req, res) => sendJson(res, 200, { status: 'ok', subgraph: definition.name }) },
      {
        path: '/readyz',
        async handle(_req, res) {
          await db.selectFrom('kysely_migration').select('name').limit(1).execute();
          sendJson(res, 200, { status: 'ready', subgraph: definition.name });
        },
      },
      { path: '/metrics', handle: async (_req, res) => sendText(res, 200, metrics.registry.contentType, await metrics.registry.metrics()) },
    ],
    label: (path) => SUBGRAPH_ROUTES.has(path) ? path : 'other',
    notFound: (path) => new HttpError(404, ErrorCode.NOT_FOUND, `no route ${path}; this subgraph serves /graphql, /freshness, /healthz, /readyz and /metrics`),
  };
}
