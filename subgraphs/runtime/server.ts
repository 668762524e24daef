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

/**
 * How the subgraph protects its data. `enforced`: only requests with a valid context signed
 * by the gateway for this subgraph, each data fetch MACed with this subgraph's key, and
 * graphql-shield compiled from the policy snapshot. The benchmark's plain-gateway baseline
 * alone runs `unprotected-baseline`: no configuration or environment variable reaches it.
 */
export type SubgraphSecurity =
  | {
    readonly mode: 'enforced';
    /** The gateway's context-signing public key. */
    readonly publicKey: KeyObject;
    /** K_s, this subgraph's context MAC key (lib/contextMac.ts), from the launcher. */
    readonly macKey: Buffer;
    /** The name contexts must be issued for: the registered name. @default definition.name */
    readonly audience?: string;
    readonly snapshots?: SnapshotSource;
  }
  | { readonly mode: 'unprotected-baseline' };

/** What a registry (`sdl`-scope) request is decided under: no field, no grant — the shield refuses all data. */
const NOTHING = new PolicySnapshot({ version: 0, fields: [], grants: [], departments: [], purposes: [] });

function headerValue(req: import('node:http').IncomingMessage, name: string): string | undefined {
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
  const verifyContext = async (req: import('node:http').IncomingMessage, route: string, scopes: readonly ContextScope[]): Promise<{ token: string; claims: VerifiedSharingContext }> => {
    if (security.mode !== 'enforced') throw new Error('verifyContext without enforced security');
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
  /**
   * `/graphql` under enforced security: the context, then (data scope) the MAC over the exact
   * body bytes read — R10, bound to this fetch — then the policy snapshot it names. A registry
   * (`sdl`) context needs no MAC (the SDL is not secret; an unregistered subgraph has no key
   * yet) and is decided under an empty snapshot: the shield lets it read `_service` only.
   */
  const authenticateGraphQL = async (req: import('node:http').IncomingMessage): Promise<{ body: string; sharing: SharingRequestContext['sharing'] }> => {
    if (security.mode !== 'enforced') throw new Error('authenticateGraphQL without enforced security');
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
      snapshot = await snapshots!(claims, token);
    } catch (error) {
      throw new HttpError(503, ErrorCode.POLICY_UNAVAILABLE, `policy version ${claims.policyVersion} could not be loaded: ${(error as Error).message}`);
    }
    return { body, sharing: { scope: 'data', caller, snapshot, decisions: new Map() } };
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
          const auth = security.mode === 'enforced' ? await authenticateGraphQL(req) : null;
          const raw = auth ? auth.body : req.method === 'POST' ? await readBody(req) : undefined;
          const body = raw === undefined ? undefined : parseJsonBody(raw);
          // Loaders are created per request: a cache must never be shared between callers
          // who hold different grants.
          await executeGraphQL(apollo, req, res, body, async () => ({
            db,
            loaders: definition.createLoaders(db),
            ...(auth ? { sharing: auth.sharing } : {}),
          }));
          return;
        }
        case '/freshness': {
          // R2: when each resource's data last changed, for the catalogue. Only for the
          // gateway (a freshness or data context for this subgraph); no policy snapshot is
          // needed, as no field is read — only maxima of timestamp columns — and no MAC, as
          // there is no body to bind.
          if (req.method !== 'GET') throw new HttpError(405, ErrorCode.METHOD_NOT_ALLOWED, 'GET /freshness');
          if (security.mode === 'enforced') contextChecks.labels((await verifyContext(req, '/freshness', ['freshness', 'data'])).claims.consumer, 'ok').inc();
          if (!definition.freshness) throw new HttpError(404, ErrorCode.NOT_FOUND, `subgraph ${definition.name} does not report freshness`);
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
          throw new HttpError(404, ErrorCode.NOT_FOUND, `no route ${path}; this subgraph serves /graphql, /freshness, /healthz, /readyz and /metrics`);
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

