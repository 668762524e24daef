/**
 * Runs one department subgraph: its own database (migrated, seeded on first start), a
 * federation subgraph schema, and HTTP routes `/graphql`, `/freshness`, `/healthz`, `/readyz`,
 * `/metrics`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { openDatabase, type OpenedDatabase, type StorageConfig } from '../../storage/database.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { createServerMetrics, type ServerMetrics } from '../../lib/metrics.ts';
import { executeGraphQL, guarded, HttpError, parseJsonBody, readBody, sendJson, sendText } from '../../lib/http.ts';
import { scalarResolvers } from '../../schema/scalars.ts';
import type { DemoWorld } from '../../demo/world.ts';
import type { KeyObject } from 'node:crypto';
import type { SecretSealer } from '../../lib/secretSealer.ts';
import { applyMiddleware } from 'graphql-middleware';
import { SHARING_CONTEXT_HEADER, SharingContextError, verifySharingContext, type SharingContextClaims } from '../../lib/sharingContext.ts';
import { sharingShield } from '../../policies/shieldRules.ts';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import type { SubgraphContext, SubgraphDefinition } from './definition.ts';
import { gatewaySnapshotSource, type SnapshotSource } from './policySource.ts';
import { offlinePlugins } from '../../lib/offline.ts';
import { maskUnexpectedError } from '../../lib/errors.ts';
import { checkedRepresentations } from './representations.ts';

/**
 * How the subgraph protects its data. `enforced`: only requests with a valid context signed
 * by the gateway, and graphql-shield compiled from the policy snapshot. The benchmark's
 * plain-gateway baseline alone runs `unprotected-baseline`: no configuration or environment
 * variable reaches it.
 */
export type SubgraphSecurity =
  | { readonly mode: 'enforced'; readonly publicKey: KeyObject; readonly snapshots?: SnapshotSource }
  | { readonly mode: 'unprotected-baseline' };

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
  readonly log?: (message: string) => void;
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
  const log = options.log ?? ((message: string) => console.log(`[${definition.name}] ${message}`));
  const metrics = createServerMetrics(`subgraph-${definition.name}`);
  const statements = metrics.dbStatements.labels(definition.name);
  const database = await openDatabase<any>(options.storage, definition.name, { onStatement: () => statements.inc() });
  const { db } = database;
  await migrateToLatest(db, definition.migrations, definition.name, database.schema);
  if (options.secrets && definition.sealSecretsAtRest) {
    const sealed = await definition.sealSecretsAtRest(db, options.secrets);
    if (sealed > 0) log(`encrypted ${sealed} stored secrets under platform key ${options.secrets.currentKeyId}`);
  }
  if (options.world && !(await definition.isSeeded(db))) {
    const started = performance.now();
    const report = await definition.seed(db, options.world, options.secrets ? { secrets: options.secrets } : {});
    log(`seeded ${Object.entries(report.rows).map(([t, n]) => `${n} ${t}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
  }

  const subgraphSchema = buildSubgraphSchema({ typeDefs: definition.typeDefs, resolvers: { ...scalarResolvers, ...checkedRepresentations(definition.typeDefs, definition.resolvers) } as never });
  const security = options.security;
  const schema = security.mode === 'enforced'
    ? applyMiddleware(subgraphSchema, sharingShield(subgraphSchema, definition.rowAttributes ?? {}))
    : subgraphSchema;
  const snapshots = security.mode === 'enforced' ? (security.snapshots ?? gatewaySnapshotSource()) : null;
  const verified = new Map<string, SharingContextClaims & { exp: number }>();
  /** The gateway's signed context on this request, verified (signature, audience, expiry). */
  const verifyContext = async (req: import('node:http').IncomingMessage): Promise<SharingContextClaims | null> => {
    if (security.mode !== 'enforced') return null;
    const header = req.headers[SHARING_CONTEXT_HEADER];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw new HttpError(401, 'UNAUTHENTICATED', `this subgraph answers only requests from the govgraph gateway: the ${SHARING_CONTEXT_HEADER} header is missing`);
    let claims = verified.get(token);
    if (!claims || claims.exp * 1000 <= Date.now()) {
      try {
        claims = await verifySharingContext(security.publicKey, token);
      } catch (error) {
        if (error instanceof SharingContextError) throw new HttpError(401, 'UNAUTHENTICATED', error.message);
        throw error;
      }
      verified.set(token, claims);
      if (verified.size > VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    }
    return claims;
  };
  const authenticate = async (req: import('node:http').IncomingMessage): Promise<{ claims: SharingContextClaims; snapshot: PolicySnapshot } | null> => {
    const claims = await verifyContext(req);
    if (!claims) return null;
    const header = req.headers[SHARING_CONTEXT_HEADER];
    const token = (Array.isArray(header) ? header[0] : header)!;
    try {
      return { claims, snapshot: await snapshots!(claims, token) };
    } catch (error) {
      throw new HttpError(503, 'POLICY_UNAVAILABLE', `policy version ${claims.policyVersion} could not be loaded: ${(error as Error).message}`);
    }
  };
  const apollo = new ApolloServer<SubgraphContext<any, any>>({
    schema,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...offlinePlugins<SubgraphContext<any, any>>()],
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskUnexpectedError(formatted, error, `the ${definition.name} subgraph`, log),
  });
  await apollo.start();

  const handle = async (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const started = performance.now();
    try {
      switch (path) {
        case '/graphql': {
          const auth = await authenticate(req);
          const body = req.method === 'POST' ? parseJsonBody(await readBody(req)) : undefined;
          // Loaders are created per request: a cache must never be shared between callers
          // who hold different grants.
          await executeGraphQL(apollo, req, res, body, async () => ({
            db,
            loaders: definition.createLoaders(db),
            ...(auth ? {
              sharing: {
                caller: { department: auth.claims.consumer, app: auth.claims.app, purpose: auth.claims.purpose, caseId: auth.claims.caseId },
                snapshot: auth.snapshot,
                decisions: new Map(),
              },
            } : {}),
          }));
          return;
        }
        case '/freshness': {
          // R2: when each resource's data last changed, for the catalogue. Only for the
          // gateway (the same signed context as /graphql); no policy snapshot is needed, as
          // no field is read — only maxima of timestamp columns.
          if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'GET /freshness');
          await verifyContext(req);
          if (!definition.freshness) throw new HttpError(404, 'NOT_FOUND', `subgraph ${definition.name} does not report freshness`);
          sendJson(res, 200, { subgraph: definition.name, department: definition.department, resources: await definition.freshness(db), at: new Date().toISOString() });
          return;
        }
        case '/healthz':
          sendJson(res, 200, { status: 'ok', subgraph: definition.name });
          return;
        case '/readyz':
          await db.selectFrom('kysely_migration').select('name').limit(1).execute();
          sendJson(res, 200, { status: 'ready', subgraph: definition.name });
          return;
        case '/metrics':
          sendText(res, 200, metrics.registry.contentType, await metrics.registry.metrics());
          return;
        default:
          throw new HttpError(404, 'NOT_FOUND', `no route ${path}; this subgraph serves /graphql, /freshness, /healthz, /readyz and /metrics`);
      }
    } finally {
      const route = path === '/graphql' || path === '/healthz' || path === '/readyz' || path === '/metrics' || path === '/freshness' ? path : 'other';
      metrics.httpRequests.labels(route, String(res.statusCode)).inc();
      metrics.httpDuration.labels(route).observe((performance.now() - started) / 1000);
    }
  };
  const server: Server = createServer(guarded(handle, (error) => log(`unexpected error: ${(error as Error).stack ?? String(error)}`)));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}/graphql`;
  return {
    definition,
    url,
    port,
    metrics,
    database,
    async close() {
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; connections still open after it are cut.
      const cut = setTimeout(() => server.closeAllConnections(), 2000);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cut);
      await apollo.stop();
      await database.close();
    },
  };
}

