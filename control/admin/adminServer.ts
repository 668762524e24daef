/** The management API's Apollo Server (`/admin/graphql`), a separate schema from the data graph. */
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { adminResolvers, type AdminContext } from './resolvers.ts';
import { catalogueResolvers, catalogueTypeDefs } from '../catalogue/admin.ts';
import { objectionResolvers, objectionTypeDefs } from '../objections/admin.ts';
import { reportResolvers, reportTypeDefs } from '../reports/admin.ts';
import { offlinePlugins } from '../../lib/offline.ts';
import { createErrorFormatter } from '../../lib/errorFormatter.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { DEFAULT_LIMITS, limitRules, type OperationLimits } from '../../lib/operationLimits/operationLimits.ts';
import { operationResolutionPlugin } from '../../lib/operationResolutionPlugin.ts';

export interface AdminServerOptions {
  /**
   * The same operation limits as the data graph: any token reaches this API, and without them
   * 2,000 aliases of one list field made one request a 19 MB answer. @default DEFAULT_LIMITS
   */
  readonly limits?: OperationLimits;
  /** Where masked failures are logged whole, under their incident id. */
  readonly log?: (message: string) => void;
}

export async function createAdminServer(options: AdminServerOptions = {}): Promise<ApolloServer<AdminContext>> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const log = options.log ?? ((message: string) => console.log(`[admin] ${message}`));
  const schema = makeExecutableSchema<AdminContext>({
    typeDefs: [readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'), catalogueTypeDefs, objectionTypeDefs, reportTypeDefs],
    resolvers: [adminResolvers, catalogueResolvers, objectionResolvers, reportResolvers] as never,
  });
  const server = new ApolloServer<AdminContext>({
    schema,
    plugins: [ApolloServerPluginLandingPageDisabled(), ...offlinePlugins<AdminContext>(), operationResolutionPlugin<AdminContext>(), adminAuditPlugin()],
    includeStacktraceInErrorResponses: false,
    // Signals are handled once, by the process (graceful shutdown: platform/main.ts); Apollo's own
    // handlers would stop this server under requests in flight and re-send the signal.
    stopOnTerminationSignals: false,
    validationRules: [...limitRules(limits)],
    parseOptions: { maxTokens: limits.tokens },
    // Errors are masked as on the data graph: a failing store or service must not tell an
    // app token's holder what the database said.
    formatError: createErrorFormatter({ where: 'the management API', maxTokens: limits.tokens, log }),
  });
  await server.start();
  return server;
}

/**
 * Every administrative action that succeeded is recorded in the audit trail (R10): who, which
 * mutation, on what, why. A change whose record cannot be written is still reported as done
 * (it is committed) — with an error saying the record is missing, so an operator notices.
 */
function adminAuditPlugin(): import('@apollo/server').ApolloServerPlugin<AdminContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, contextValue, request, response }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const vars = request.variables ?? {};
          for (const selection of operation.selectionSet.selections) {
            if (selection.kind !== 'Field') continue;
            const key = selection.alias?.value ?? selection.name.value;
            if (!result.data || result.data[key] === null || result.data[key] === undefined) continue;
            const args: Record<string, unknown> = {};
            for (const a of selection.arguments ?? []) args[a.name.value] = a.value.kind === 'Variable' ? vars[a.value.name.value] : (a.value as { value?: unknown }).value ?? null;
            const target = String(args.coordinate ?? args.id ?? (args.input as { name?: string } | undefined)?.name ?? args.toVersion ?? args.department ?? '');
            try {
              await contextValue.audit.append({
                kind: 'ADMIN', department: contextValue.identity.department, actor: contextValue.identity.credentialId, action: selection.name.value, target,
                reason: typeof args.reason === 'string' ? args.reason : null,
                details: JSON.parse(JSON.stringify({ ...args, sdl: undefined, secret: undefined, token: undefined })),
              });
            } catch (error) {
              result.errors = [...(result.errors ?? []), { message: `${selection.name.value} was done, but its audit record was not written: ${(error as Error).message}`, extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } }];
            }
          }
        },
      };
    },
  };
}
