/**
 * One load run: autocannon against one stack, POSTing the given bodies in turn (each request
 * the next body, shared across connections), after a warm-up whose figures are discarded.
 * Every response is checked cheaply in the loop: a non-2xx status is counted by autocannon,
 * a 2xx body with GraphQL `errors` is counted as a mismatch.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Request bodies, used round-robin from `offset`. */
  readonly bodies: readonly string[];
  readonly connections: number;
  /** Seconds measured. */
  readonly durationS: number;
  /** Seconds of load before the measurement, discarded. */
  readonly warmupS: number;
  /** Seconds before a request counts as timed out. @default 10 */
  readonly timeoutS?: number;
  /** Called between the warm-up and the measurement (e.g. to snapshot CPU counters). */
  readonly onMeasureStart?: () => void;
}

export interface LoadFigures {
  readonly requestsPerSecond: number;
  /** Mean and spread of the per-second request counts. */
  readonly requestsPerSecondStddev: number;
  readonly totalRequests: number;
  readonly durationS: number;
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number };
  readonly non2xx: number;
  /** Responses whose body carries GraphQL `errors`. */
  readonly graphqlErrors: number;
  /** Connection errors, timeouts included. */
  readonly socketErrors: number;
  readonly timeouts: number;
  /** The first few bodies counted as errors, for the report. */
  readonly errorSamples: readonly string[];
}

/** Cheap enough to run on every response: these scenarios' data never contains the key. */
function hasGraphQLErrors(body: string): boolean {
  return body.includes('"errors"');
}

async function once(options: LoadOptions, durationS: number, errorSamples: string[]): Promise<autocannon.Result> {
  const { bodies } = options;
  let next = 0;
  return autocannon({
    url: options.url,
    method: 'POST',
    headers: { ...options.headers },
    connections: options.connections,
    duration: durationS,
    timeout: options.timeoutS ?? 10,
    body: bodies[0],
    requests: [{
      setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      onResponse: (status, body) => {
        if ((status < 200 || status > 299 || hasGraphQLErrors(body)) && errorSamples.length < 5) errorSamples.push(`${status} ${body.slice(0, 300)}`);
      },
    }],
    verifyBody: (body) => !hasGraphQLErrors(String(body ?? '')),
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  if (options.warmupS > 0) await once(options, options.warmupS, []);
  const errorSamples: string[] = [];
  options.onMeasureStart?.();
  const result = await once(options, options.durationS, errorSamples);
  return {
    requestsPerSecond: result.requests.average,
    requestsPerSecondStddev: result.requests.stddev,
    totalRequests: result.requests.total,
    durationS: result.duration,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.average },
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    errorSamples,
  };
}

/** Outside the timed loop: send one body and return the parsed answer. */
export async function sendOne(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { ...headers }, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { unparsable: text.slice(0, 300) };
  }
  return { status: res.status, json };
}
