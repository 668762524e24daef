/**
 * The gateway: Apollo Server over @apollo/gateway, on plain node:http with the routes of the
 * request contract — `/graphql` (GraphQL over HTTP; a browser gets the bundled GraphiQL),
 * `/healthz`, `/readyz`, `/metrics`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createServerMetrics, type ServerMetrics } from '../lib/metrics.ts';
import { executeGraphQL, guarded, HttpError, parseJsonBody, readBody, sendJson, sendText } from '../lib/http.ts';
import { composeSupergraph, type SubgraphEndpoint } from './supergraph.ts';
import { timeoutFetcher } from './subgraphFetcher.ts';
import { createGraphiQLHandler, GRAPHIQL_CSP } from './graphiql/serve.ts';

export interface GatewayOptions {
  readonly subgraphs: readonly SubgraphEndpoint[];
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly subgraphTimeoutMs: number;
  /** Extra Apollo Server plugins (the plain bench gateway passes none). */
  readonly plugins?: readonly ApolloServerPlugin<BaseContext>[];
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
  const supergraphSdl = composeSupergraph(options.subgraphs);
  const fetcher = timeoutFetcher(options.subgraphTimeoutMs);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new RemoteGraphQLDataSource({ url, fetcher }),
  });
  const apollo = new ApolloServer<BaseContext>({
    gateway,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...(options.plugins ?? [])],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const graphiql = createGraphiQLHandler({
    endpoint: '/graphql',
    defaultHeaders: options.graphiqlHeaders ?? {},
    defaultQuery: SAMPLE_QUERY,
  });

  const subgraphHealth = async (): Promise<Record<string, string>> => {
    const results = await Promise.all(options.subgraphs.map(async (s) => {
      try {
        const res = await fetch(s.url.replace(/\/graphql$/, '/healthz'), { signal: AbortSignal.timeout(2000) });
        return [s.name, res.ok ? 'ok' : `HTTP ${res.status}`] as const;
      } catch (error) {
        return [s.name, (error as Error).message] as const;
      }
    }));
    return Object.fromEntries(results);
  };

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
        const body = req.method === 'POST' ? parseJsonBody(await readBody(req)) : undefined;
        await executeGraphQL(apollo, req, res, body, async () => ({}));
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
          res.writeHead(302, { location: '/graphql' });
          res.end();
          return;
        default:
          throw new HttpError(404, 'NOT_FOUND', `no route ${path}; the gateway serves /graphql, /healthz, /readyz and /metrics`);
      }
    } finally {
      metrics.httpRequests.labels(path, String(res.statusCode)).inc();
      metrics.httpDuration.labels(path).observe((performance.now() - started) / 1000);
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
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    metrics,
    supergraphSdl,
    async close() {
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}
