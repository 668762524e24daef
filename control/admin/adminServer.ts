/** The management API's Apollo Server (`/admin/graphql`), a separate schema from the data graph. */
import { defaultLogger, logLine } from '../../lib/logger.ts';
import { localizedErrorsPlugin } from '../../lib/localizedErrorsPlugin.ts';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { adminResolvers, type AdminContext } from './resolvers.ts';
import { adminAuditPlugin } from './adminAudit.ts';
import { catalogueResolvers, catalogueTypeDefs } from '../catalogue/admin.ts';
import { objectionResolvers, objectionTypeDefs } from '../objections/admin.ts';
import { reportResolvers, reportTypeDefs } from '../reports/admin.ts';
import { settingsResolvers, settingsTypeDefs } from '../settings/admin.ts';
import { calendarResolvers, calendarTypeDefs } from '../calendar/admin.ts';
import { policyWorkflowResolvers, policyWorkflowTypeDefs } from '../policies/admin.ts';
import { sealKeysResolvers, sealKeysTypeDefs } from '../seals/admin.ts';
import { classificationGuardsResolvers, classificationGuardsTypeDefs } from '../classification/admin.ts';
import { undertakingsResolvers, undertakingsTypeDefs } from '../applications/undertakings.ts';
import { fieldDecisionResolvers } from '../applications/fieldDecisionResolvers.ts';
import { membersResolvers, membersTypeDefs } from '../members/admin.ts';
import { withPersonRoles } from '../members/personRoles.ts';
import { personStandingPlugin } from '../members/personStandingPlugin.ts';
import { signInResolvers, signInTypeDefs } from '../signIn/admin.ts';
import { needsResolvers, needsTypeDefs } from '../needs/admin.ts';
import { rectificationResolvers, rectificationTypeDefs } from '../rectification/admin.ts';
import { offlinePlugins } from '../../lib/offline.ts';
import { createErrorFormatter } from '../../lib/errorFormatter.ts';
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

/**
 * The management API's SDL: the core schema and each slice's extension, in one list (the server
 * is made from it, and the console's queries are validated against it).
 */
export function adminTypeDefs(): string[] {
  return [readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'), catalogueTypeDefs, objectionTypeDefs, reportTypeDefs, settingsTypeDefs, calendarTypeDefs, policyWorkflowTypeDefs, membersTypeDefs, signInTypeDefs, sealKeysTypeDefs, classificationGuardsTypeDefs, undertakingsTypeDefs, needsTypeDefs, rectificationTypeDefs];
}

export async function createAdminServer(options: AdminServerOptions = {}): Promise<ApolloServer<AdminContext>> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const log = options.log ?? logLine(defaultLogger().child({ component: 'admin' }));
  const schema = makeExecutableSchema<AdminContext>({
    typeDefs: adminTypeDefs(),
    // Issue 14: a person's mutations need their role, and run as them (control/members/personRoles.ts).
    resolvers: withPersonRoles([adminResolvers, catalogueResolvers, objectionResolvers, reportResolvers, settingsResolvers, calendarResolvers, policyWorkflowResolvers, fieldDecisionResolvers, membersResolvers, signInResolvers, sealKeysResolvers, classificationGuardsResolvers, undertakingsResolvers, needsResolvers, rectificationResolvers] as Record<string, unknown>[]) as never,
  });
  const server = new ApolloServer<AdminContext>({
    schema,
    plugins: [ApolloServerPluginLandingPageDisabled(), ...offlinePlugins<AdminContext>(), operationResolutionPlugin<AdminContext>(), personStandingPlugin<AdminContext>(), localizedErrorsPlugin<AdminContext>(), adminAuditPlugin<AdminContext>()],
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
