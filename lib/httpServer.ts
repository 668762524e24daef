/**
 * The HTTP scaffold the gateway and every subgraph run on: a table of routes, one metrics
 * label per request, errors turned into answers (lib/http.ts `guarded`), and a close that
 * lets requests in flight finish. Plain node:http, as the rest of lib/http.ts.
 *
 * Glossary:
 * - route: a path (exact) or a path prefix, optionally one method, and its handler. The first
 *   route that matches answers; a path that matches none is `notFound`.
 * - label: the `route` label of govgraph_http_requests_total and its duration histogram. It is
 *   the server's own function of the path alone (not of the matched route), so a 404 under a
 *   known path is counted under that path, as dashboards expect.
 *
 * Listening and serving are two steps: a server binds its port first (so its own address is
 * known while it is built — the gateway names it in every signed context) and is handed its
 * routes once everything behind them is ready. A request arriving in between waits for them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { guarded, HttpError, sendJson } from './http.ts';
import type { ServerMetrics } from './metrics.ts';
import type { Logger } from './logger.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

export type Route =
  | { readonly path: string; readonly method?: string; readonly handle: RouteHandler }
  | { readonly prefix: string; readonly method?: string; readonly handle: RouteHandler };

export interface RouteTable {
  /** Tried in order; `method` absent: any method (the handler answers 405 itself if it must). */
  readonly routes: readonly Route[];
  /** The metrics label of a request path (see the glossary). */
  readonly label: (path: string) => string;
  /** The error for a path no route serves (a 404 naming the routes there are). */
  readonly notFound: (path: string) => HttpError;
}

export interface HttpServerOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly metrics: ServerMetrics;
  readonly log: (message: string) => void;
  /**
   * Where refused requests (an HttpError: a bad token, a body too large, no such route) get a
   * line — status, code, route label; never the message, which may quote what was sent. @default none
   */
  readonly logger?: Logger;
  /** Serve https only, with these options (lib/tlsLinks.ts serverTlsOptions); absent: plain http. */
  readonly tls?: HttpsServerOptions;
}

export interface HttpServer {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` (`https://` with TLS), no trailing slash. */
  readonly origin: string;
  /** Starts answering with these routes (once; requests that arrived before wait for it). */
  serve(table: RouteTable): void;
  /**
   * Stops accepting (new connections are refused at once); `/readyz` answers 503 from now on,
   * every answer closes its connection, and requests in flight get `graceMs` to finish before
   * their connections are cut.
   */
  close(graceMs?: number): Promise<void>;
  /** True once close() has been called. */
  readonly draining: boolean;
}

/** How long a closing server waits for requests in flight. @default 2000 ms */
export const CLOSE_GRACE_MS = 2000;

/** Longer than the usual load balancer's idle timeout (60 s), so the balancer closes first. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Binds the port and returns; nothing is answered until `serve`. */
export async function listenHttp(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const { metrics } = options;
  let dispatch: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null = null;
  let draining = false;
  let installed!: () => void;
  const ready = new Promise<void>((resolve) => { installed = resolve; });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (draining) {
      // A client on a kept-alive connection learns to go elsewhere: this one closes after the answer.
      res.setHeader('connection', 'close');
      if ((req.url ?? '/').split('?')[0] === '/readyz') {
        sendJson(res, 503, { status: 'stopping', reasons: ['shutting down (SIGTERM): requests in flight are finishing; send new requests to another replica'] }, { 'retry-after': '1' });
        return;
      }
    }
    if (!dispatch) await ready;
    return dispatch!(req, res);
  };
  let label: (path: string) => string = () => 'other';
  const refused = options.logger
    ? (error: HttpError, req: IncomingMessage) => options.logger!.info({ outcome: 'refused', status: error.status, code: error.code, route: label((req.url ?? '/').split('?')[0]!) }, 'request refused')
    : undefined;
  const listener = guarded(handle, (error) => options.log(`unexpected error: ${(error as Error).stack ?? String(error)}`), refused);
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    origin: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    serve(table) {
      if (dispatch) throw new Error('serve() called twice: a server has one route table');
      label = table.label;
      dispatch = routeDispatcher(table, metrics);
      installed();
    },
    get draining() {
      return draining;
    },
    async close(graceMs = CLOSE_GRACE_MS) {
      draining = true;
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cut);
    },
  };
}

function routeDispatcher(table: RouteTable, metrics: ServerMetrics): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  // Exact paths by map (the hot path, /graphql, is one lookup); prefixes in table order.
  const exact = new Map<string, Route[]>();
  const prefixes: Extract<Route, { prefix: string }>[] = [];
  for (const route of table.routes) {
    if ('path' in route) exact.set(route.path, [...(exact.get(route.path) ?? []), route]);
    else prefixes.push(route);
  }
  const find = (path: string, method: string | undefined): Route | undefined => {
    const candidates = exact.get(path);
    if (candidates) for (const route of candidates) if (!route.method || route.method === method) return route;
    for (const route of prefixes) if (path.startsWith(route.prefix) && (!route.method || route.method === method)) return route;
    return undefined;
  };
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const started = performance.now();
    try {
      const route = find(path, req.method);
      if (!route) throw table.notFound(path);
      await route.handle(req, res, path);
    } finally {
      const label = table.label(path);
      metrics.httpRequests.labels(label, String(res.statusCode)).inc();
      metrics.httpDuration.labels(label).observe((performance.now() - started) / 1000);
    }
  };
}
