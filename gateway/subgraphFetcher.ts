/**
 * The fetcher the gateway uses to call subgraphs. Plain @apollo/gateway's default fetcher
 * has no timeout, so one slow department would hold every request that touches it: here each
 * subgraph fetch (the answer's body included) is given up after `timeoutMs` and fails with a
 * clear message naming it.
 *
 * Plain `http.request` over a keep-alive agent, one timer per fetch, the whole answer read
 * before it is handed to @apollo/gateway (subgraph fetches are the gateway's hottest path:
 * issue 18). It replaced node-fetch, which cost more than the rest of a fetch's client side
 * together (WHATWG Headers and Body objects, an AbortSignal and its listeners per call):
 * `npm run bench:fetcher` measures both. Redirects are not followed: a subgraph's 3xx is an
 * HTTP error like any other, and the signed context goes nowhere but the registered address.
 */
import http, { Agent, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https, { Agent as HttpsAgent } from 'node:https';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import type { TlsMaterial } from '../lib/tlsLinks.ts';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions, type CircuitState } from '../lib/circuitBreaker.ts';

/**
 * A subgraph fetch that got no answer: it timed out, the subgraph could not be reached, or it
 * was not tried because the subgraph's circuit is open (it failed too often lately).
 */
export class SubgraphFetchError extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'circuit_open',
    readonly url: string,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(kind === 'timeout'
      ? `subgraph at ${url} did not answer within ${timeoutMs} ms`
      : kind === 'circuit_open'
        ? `subgraph at ${url} is failing fast: ${(cause as Error | undefined)?.message ?? String(cause)}`
        : `subgraph at ${url} could not be reached: ${(cause as Error | undefined)?.message ?? String(cause)}`, { cause });
    this.name = 'SubgraphFetchError';
  }

  /** For a circuit_open error: milliseconds until the subgraph is tried again. */
  get retryInMs(): number | undefined {
    return this.cause instanceof CircuitOpenError ? this.cause.retryInMs : undefined;
  }
}

/**
 * Per subgraph address (issue 15): after this many fetches in a row time out or find nobody,
 * the next ones fail at once, and one probe goes through every `openMs` until it is answered.
 * A hung subgraph then costs one timeout per `openMs`, not one per request.
 */
export const SUBGRAPH_BREAKER: Required<Pick<CircuitBreakerOptions, 'failureThreshold' | 'openMs'>> = { failureThreshold: 5, openMs: 5_000 };

/** Sockets kept open per subgraph. @default 256 */
export const MAX_SOCKETS_PER_SUBGRAPH = 256;

export interface SubgraphFetcher extends Fetcher {
  /** The circuit of each subgraph address fetched so far. */
  circuits(): ReadonlyMap<string, CircuitState>;
  destroy(): void;
}

/** The answer's headers, read-only (an answer is never changed on its way to @apollo/gateway). */
class AnswerHeaders implements FetcherHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  append(): void {
    throw new TypeError('a subgraph answer\'s headers are read-only');
  }
  delete(): void {
    throw new TypeError('a subgraph answer\'s headers are read-only');
  }
  set(): void {
    throw new TypeError('a subgraph answer\'s headers are read-only');
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
  keys(): IterableIterator<string> {
    return Object.keys(this.raw)[Symbol.iterator]();
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A subgraph's whole answer, already read. */
class SubgraphAnswer implements FetcherResponse {
  bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  readonly headers: AnswerHeaders;
  constructor(readonly url: string, readonly status: number, readonly statusText: string, private readonly rawHeaders: IncomingHttpHeaders, private readonly body: Buffer) {
    this.ok = status >= 200 && status < 300;
    this.headers = new AnswerHeaders(rawHeaders);
  }
  private consume(): Buffer {
    if (this.bodyUsed) throw new TypeError(`the body of the answer from ${this.url} was already read`);
    this.bodyUsed = true;
    return this.body;
  }
  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }
  async json(): Promise<any> {
    return JSON.parse(this.consume().toString('utf8'));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.consume();
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }
  clone(): FetcherResponse {
    if (this.bodyUsed) throw new TypeError(`the body of the answer from ${this.url} was already read`);
    return new SubgraphAnswer(this.url, this.status, this.statusText, this.rawHeaders, this.body);
  }
}

/** Where a subgraph URL points, parsed once per address. */
interface Target {
  readonly https: boolean;
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

function targetOf(url: string): Target {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`a subgraph address must be http: or https:, not ${parsed.protocol}`);
  const https = parsed.protocol === 'https:';
  return {
    https,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : https ? 443 : 80,
    path: `${parsed.pathname}${parsed.search}`,
  };
}

/** Thrown inside a fetch when its timer fires (the request is destroyed with it). */
class FetchTimeout extends Error {}

/** One POST (or any method) and its whole answer, given up after timeoutMs. */
function fetchAnswer(url: string, target: Target, init: FetcherRequestInit | undefined, agents: { http: Agent; https: HttpsAgent }, timeoutMs: number): Promise<SubgraphAnswer> {
  return new Promise((resolve, reject) => {
    const body = init?.body;
    // Header names in lower case, so that no header is sent twice under two spellings.
    const headers: Record<string, string | number> = { accept: 'application/json' };
    for (const name in init?.headers) headers[name.toLowerCase()] = init.headers[name]!;
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    // Looked up at each call (as node-fetch did), so that instrumentation of node:http sees it.
    const req = (target.https ? https.request : http.request)({
      host: target.host,
      port: target.port,
      path: target.path,
      method: init?.method ?? 'GET',
      headers,
      agent: target.https ? agents.https : agents.http,
    });
    const timer = setTimeout(() => req.destroy(new FetchTimeout()), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.once('error', fail);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', fail);
      res.once('aborted', () => fail(new Error('the subgraph closed the connection before its answer was complete')));
      res.once('end', () => {
        clearTimeout(timer);
        resolve(new SubgraphAnswer(url, res.statusCode ?? 0, res.statusMessage ?? '', res.headers, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      });
    });
    req.end(body);
  });
}

export function timeoutFetcher(
  timeoutMs: number,
  breaker: Omit<CircuitBreakerOptions, 'onStateChange'> & { readonly log?: (message: string) => void } = SUBGRAPH_BREAKER,
  /** https subgraphs: the CA they are trusted under and the client certificate presented (mutual TLS, issue 16). */
  tls: TlsMaterial = {},
): SubgraphFetcher {
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_SUBGRAPH, keepAliveMsecs: 10_000 };
  const agents = { http: new Agent(agentOptions), https: new HttpsAgent({ ...agentOptions, ...tls }) };
  const targets = new Map<string, Target>();
  const breakers = new Map<string, CircuitBreaker>();
  const breakerOf = (url: string): CircuitBreaker => {
    let b = breakers.get(url);
    if (!b) {
      b = new CircuitBreaker({ ...breaker, onStateChange: (state) => breaker.log?.(`subgraph at ${url}: circuit ${state}`) });
      breakers.set(url, b);
    }
    return b;
  };
  const fetchOnce = async (url: string, init?: FetcherRequestInit) => {
    let target = targets.get(url);
    if (!target) {
      target = targetOf(url);
      targets.set(url, target);
    }
    try {
      return await fetchAnswer(url, target, init, agents, timeoutMs);
    } catch (error) {
      throw new SubgraphFetchError(error instanceof FetchTimeout ? 'timeout' : 'unreachable', url, timeoutMs, error);
    }
  };
  // Any HTTP answer closes the circuit (the subgraph is there); only no answer counts.
  const fetcher = async (url: string, init?: FetcherRequestInit) => {
    try {
      return await breakerOf(url).run(() => fetchOnce(url, init), (e) => e instanceof SubgraphFetchError);
    } catch (error) {
      if (error instanceof CircuitOpenError) throw new SubgraphFetchError('circuit_open', url, timeoutMs, error);
      throw error;
    }
  };
  return Object.assign(fetcher as unknown as Fetcher, {
    circuits: () => new Map([...breakers].map(([url, b]) => [url, b.state])),
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
