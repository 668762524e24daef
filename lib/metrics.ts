/**
 * Prometheus metrics. Each server (gateway, each subgraph) owns its own registry, so several
 * can run in one process (tests, `npm start`'s in-process mode) without their series mixing.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  readonly registry: Registry;
  /** SQL statements this server ran against its database. */
  readonly dbStatements: Counter<'subgraph'>;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
}

export function createServerMetrics(component: string, { defaultMetrics = false } = {}): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  if (defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    dbStatements: new Counter({
      name: 'govgraph_db_statements_total',
      help: 'SQL statements run against this component\'s database',
      labelNames: ['subgraph'],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'govgraph_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'govgraph_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
