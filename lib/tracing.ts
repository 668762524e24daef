/**
 * Traces (issue 16): OpenTelemetry across the gateway and the subgraphs, off unless configured.
 *
 * Off (the default): no tracer provider is registered, so every `tracer` below is the API's
 * no-op one — a span is a shared non-recording object, nothing is buffered, nothing is sent
 * anywhere, and `propagation.inject` writes no header. On: spans are batched and sent by
 * OTLP/HTTP (JSON) to the configured endpoint.
 *
 * What is traced, one trace per /graphql request: the gateway's request, the static policy
 * check, query planning and each subgraph fetch (@apollo/gateway's own spans), the audit
 * commit; in each subgraph its request, the shield (one aggregate span per request, not one
 * per field) and each SQL statement. W3C `traceparent` goes to the subgraphs beside the signed
 * sharing context; a subgraph only hangs its spans under it and never decides anything on it
 * (it is not signed).
 *
 * Span attributes name departments, apps, subgraphs, counts and SQL text with placeholders:
 * never a value read, an argument, a token or a personal datum.
 */
import { context, propagation, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { NodeTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Where spans go when tracing is on. */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  readonly tracesUrl: string;
}

/**
 * Tracing from the environment: `GOVGRAPH_OTLP_ENDPOINT`, else the standard
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the traces URL itself) or `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (a base URL, `/v1/traces` appended); `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`
 * switch it off. None set: null, tracing off. platform/config.ts and the subgraphs' own
 * configuration call this with the environment they read.
 */
export function tracingSettingsFrom(env: NodeJS.ProcessEnv): TracingSettings | null {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
  const base = env.GOVGRAPH_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : '');
  if (!tracesUrl) return null;
  let parsed: URL;
  try {
    parsed = new URL(tracesUrl);
  } catch {
    throw new Error(`the OTLP traces endpoint must be an http(s) URL, received ${JSON.stringify(tracesUrl)} (GOVGRAPH_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`the OTLP traces endpoint must be http: or https:, received ${parsed.protocol}`);
  return { tracesUrl };
}

export interface RunningTracing {
  /** Sends what is buffered and stops (called as the process stops). */
  shutdown(): Promise<void>;
}

const NOT_TRACING: RunningTracing = { shutdown: async () => {} };

/**
 * Registers this process's tracer provider (AsyncLocalStorage context, W3C propagation) when
 * `settings` say so; null: nothing is registered and the no-op tracer stays.
 */
export function startTracing(settings: TracingSettings | null, serviceName: string, processors: readonly SpanProcessor[] = []): RunningTracing {
  if (!settings && processors.length === 0) return NOT_TRACING;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [...(settings ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }))] : []), ...processors],
  });
  provider.register();
  return { shutdown: () => provider.shutdown() };
}

/** govgraph's own spans; the no-op tracer until a provider is registered. */
export function govgraphTracer(): Tracer {
  return trace.getTracer('govgraph');
}

/**
 * `fn` inside a span named `name`, ended when it settles (an error recorded, its class only:
 * an error's message may carry a value).
 */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return govgraphTracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: 2, message: (error as Error)?.constructor?.name ?? 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace id of the active span, for log lines; undefined when not tracing. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return undefined;
  return span.spanContext().traceId;
}

/** Writes `traceparent` (when tracing) into a header setter. */
export function injectTraceContext(set: (name: string, value: string) => void): void {
  propagation.inject(context.active(), null, { set: (_carrier, key, value) => set(key, value) });
}

/**
 * The trace context a caller sent (`traceparent`), to hang this request's spans under. Only
 * that: nothing is decided on it.
 */
export function extractTraceContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, {
    get: (carrier, key) => carrier[key],
    keys: (carrier) => Object.keys(carrier),
  });
}

/**
 * A span for work already done (an SQL statement, from Kysely's log event after it ran), under
 * the active span; nothing when the active span does not record (tracing off: one lookup).
 */
export function recordFinishedSpan(name: string, durationMs: number, attributes: Attributes): void {
  const parent = trace.getActiveSpan();
  if (!parent || !parent.isRecording()) return;
  const end = Date.now();
  govgraphTracer().startSpan(name, { attributes, startTime: end - durationMs }, context.active()).end(end);
}
