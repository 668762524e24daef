/**
 * One log line per /graphql request (issue 16), after its audit record: the request id, the
 * trace id (when tracing), the consumer (department and app), the declared purpose, and the
 * outcome — answered, partly denied, refused, or failed — with the HTTP status, the number of
 * fields denied, the subgraphs fetched and the latency. Never a value, an argument or a token:
 * what was read is the audit trail's to keep (R10), not the log's.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '../../lib/logger.ts';
import { activeTraceId } from '../../lib/tracing.ts';
import { accessOf, callerOf, type GatewayContext } from '../requestContext.ts';

/** How a request ended, for operators' dashboards and alerts. */
export type RequestOutcome = 'answered' | 'partly_denied' | 'refused' | 'failed';

export function requestLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ response }) {
          const status = response.http.status ?? 200;
          const caller = callerOf(contextValue.stage);
          const denied = accessOf(contextValue.stage).denied.length;
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors?.length ?? 0 : 0;
          const outcome: RequestOutcome = status >= 500 ? 'failed' : status >= 400 ? 'refused' : denied > 0 ? 'partly_denied' : 'answered';
          const traceId = activeTraceId();
          logger[status >= 500 ? 'warn' : 'info']({
            requestId: contextValue.requestId,
            ...(traceId ? { traceId } : {}),
            consumer: { department: contextValue.identity.department, app: contextValue.identity.credentialId },
            purpose: caller?.purpose ?? null,
            outcome, status, denied, errors,
            subgraphs: [...contextValue.subgraphsCalled],
            latencyMs: Math.round((performance.now() - started) * 10) / 10,
          }, 'graphql request');
        },
      };
    },
  };
}
