/**
 * The gateway's own Prometheus series, beside the HTTP ones every server has: GraphQL
 * operations by outcome and consumer, denied fields by reason, and the latency of operations.
 * Label values are bounded: departments and field coordinates come from the registry, not
 * from callers.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface GatewayMetrics {
  readonly operations: Counter<'consumer' | 'outcome'>;
  readonly denials: Counter<'reason' | 'coordinate'>;
  readonly operationDuration: Histogram<'outcome'>;
  /** Time an answer waits for its audit record to commit. */
  readonly auditLag: Histogram<string>;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  return {
    operations: new Counter({ name: 'govgraph_operations_total', help: 'GraphQL data operations by consumer department and outcome', labelNames: ['consumer', 'outcome'], registers: [registry] }),
    denials: new Counter({ name: 'govgraph_denied_fields_total', help: 'Fields withheld by the sharing policy, by reason and field coordinate', labelNames: ['reason', 'coordinate'], registers: [registry] }),
    operationDuration: new Histogram({
      name: 'govgraph_operation_duration_seconds',
      help: 'Time from the start of a GraphQL operation to its response',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    auditLag: new Histogram({
      name: 'govgraph_audit_commit_seconds',
      help: 'Time an answer waited for its audit record to be committed (group commit)',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
