/**
 * Issue 16, traces: one /graphql request of the whole platform (subgraphs as child processes)
 * makes one trace — the gateway's request, its static policy check, planning, every subgraph
 * fetch, and the audit commit (collected here with an in-memory exporter), and under each fetch
 * the subgraph's request with its shield and SQL spans (sent by the subgraph processes with the
 * real OTLP/HTTP exporter to a receiver this test runs: that also proves the exporter works).
 * Control: with no tracer provider nothing is propagated — the no-op tracer writes no header.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { injectTraceContext, startTracing, type RunningTracing } from '../lib/tracing.ts';
import { startTestPlatform, type TestPlatform } from './harness.ts';

interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly attributes: Record<string, unknown>;
}

/** An OTLP/HTTP (JSON) traces receiver: what an operator's collector would be. */
function otlpReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const rs of body.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name,
              attributes: Object.fromEntries((s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]])),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans })));
}

describe('traces across the gateway and the subgraph processes (issue 16)', () => {
  const gatewaySpans = new InMemorySpanExporter();
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let tracing: RunningTracing;
  let platform: TestPlatform;
  const saved = { ...process.env };

  beforeAll(async () => {
    receiver = await otlpReceiver();
    // The subgraph processes inherit this environment: the standard variable, and a short batch delay.
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    tracing = startTracing(null, 'govgraph-gateway', [new SimpleSpanProcessor(gatewaySpans)]);
    platform = await startTestPlatform('sqlite', { mode: 'process' });
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await tracing?.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
    process.env = saved;
    receiver?.server.close();
  });

  it('one request: gateway, policy check, planning, every fetch, each subgraph (shield, SQL) and the audit commit in one trace', async () => {
    const creditCode = platform.credentials.samples.legalEntities[0];
    const { status, body } = await platform.query(`query File($creditCode: ID!) {
      legalEntity(creditCode: $creditCode) { name status legalRepresentative { name } credit { rating } licences { licenceNo status } }
    }`, { variables: { creditCode } });
    expect(status).toBe(200);
    expect(body.data.legalEntity.name).toBeTruthy();

    const root = gatewaySpans.getFinishedSpans().find((s) => s.name === 'govgraph.graphql')!;
    expect(root).toBeDefined();
    const traceId = root.spanContext().traceId;
    const inTrace = gatewaySpans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const names = inTrace.map((s) => s.name);
    for (const name of ['govgraph.policy_check', 'gateway.plan', 'gateway.fetch', 'govgraph.audit_commit']) expect(names).toContain(name);
    const fetches = inTrace.filter((s) => s.name === 'gateway.fetch');
    const fetchedSubgraphs = new Set(fetches.map((s) => String(s.attributes.service)));
    expect(fetchedSubgraphs.size).toBeGreaterThanOrEqual(3);

    // Each subgraph process's spans arrive over OTLP/HTTP, under the gateway's fetch span.
    const fetchSpanIds = new Set(fetches.map((s) => s.spanContext().spanId));
    const deadline = Date.now() + 20_000;
    const subgraphRequests = () => receiver.spans.filter((s) => s.traceId === traceId && s.name === 'govgraph.subgraph.graphql');
    while (subgraphRequests().length < fetches.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const requests = subgraphRequests();
    expect(requests).toHaveLength(fetches.length);
    for (const request of requests) expect(fetchSpanIds.has(request.parentSpanId)).toBe(true);
    expect(new Set(requests.map((r) => r.service))).toEqual(new Set([...fetchedSubgraphs].map((n) => `govgraph-subgraph-${n}`)));
    const requestIds = new Set(requests.map((r) => r.spanId));
    const under = receiver.spans.filter((s) => requestIds.has(s.parentSpanId));
    // The shield: one span per subgraph request, not one per field.
    expect(under.filter((s) => s.name === 'govgraph.shield')).toHaveLength(requests.length);
    expect(under.filter((s) => s.name === 'govgraph.shield').every((s) => Number(s.attributes['govgraph.shield.decided']) > 0)).toBe(true);
    const sql = under.filter((s) => s.name === 'govgraph.sql');
    expect(sql.length).toBeGreaterThanOrEqual(requests.length);
    // Statements with placeholders: the credit code asked for is in no span.
    expect(JSON.stringify(receiver.spans)).not.toContain(creditCode);
    expect(JSON.stringify(inTrace.map((s) => s.attributes))).not.toContain(creditCode);
  }, 60_000);

  it('with no tracer provider, nothing is propagated (the no-op tracer writes no traceparent)', () => {
    const withProvider: Record<string, string> = {};
    trace.getTracer('t').startActiveSpan('s', (span) => {
      injectTraceContext((k, v) => { withProvider[k] = v; });
      span.end();
    });
    expect(withProvider.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    trace.disable();
    context.disable();
    propagation.disable();
    const without: Record<string, string> = {};
    trace.getTracer('t').startActiveSpan('s', (span) => {
      injectTraceContext((k, v) => { without[k] = v; });
      expect(span.isRecording()).toBe(false);
      span.end();
    });
    expect(without).toEqual({});
  });
});
