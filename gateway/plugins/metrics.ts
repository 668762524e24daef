/** Stage 12 of gateway/pipeline.ts. Counts every data operation, its outcome and its denied fields (R11 figures come from the audit trail; these are for operators). */
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../lib/errors.ts';
import type { GatewayMetrics } from '../gatewayMetrics.ts';
import type { GatewayContext } from '../requestContext.ts';

export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, response }) {
          // Data operations only: introspection never declares a caller.
          const { stage } = contextValue;
          if (stage.name === 'authenticated') return;
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          const errors = body?.errors ?? [];
          const denied = errors.filter((e) => e.extensions?.code === ErrorCode.FORBIDDEN);
          const outcome = (response.http.status ?? 200) >= 400 ? 'refused' : errors.length > denied.length ? 'error' : denied.length ? 'partial' : 'ok';
          metrics.operations.labels(stage.caller.department, outcome).inc();
          metrics.operationDuration.labels(outcome).observe((performance.now() - started) / 1000);
          for (const e of denied) metrics.denials.labels(String(e.extensions?.reason ?? 'UNKNOWN'), String(e.extensions?.coordinate ?? 'unknown')).inc();
        },
      };
    },
  };
}
