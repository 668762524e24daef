/**
 * Refuses, with a 400 and a specific code, a request whose operation cannot be run here:
 * `operationName` naming no operation (OPERATION_NOT_FOUND), several operations and no
 * `operationName` (OPERATION_NAME_REQUIRED), a subscription, or a mutation where the schema
 * has none (OPERATION_NOT_SUPPORTED).
 *
 * Why a plugin: graphql-js 16 validation accepts all of these, and what happens next is a
 * 500 — @apollo/gateway's executor throws INVALID_GRAPHQL for each, and graphql-js's execute
 * answers a subscription with an uncoded error. `didResolveOperation` is the first hook
 * where a thrown GraphQLError becomes a clean response with the status it carries; it comes
 * after validation, so the operation is known to fit the schema. List this plugin before the
 * others that look at the operation (the policy check), so theirs is not the error reported.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { clientError, ErrorCode } from './errors.ts';

export interface OperationResolutionOptions {
  /** Said after "mutations are not served here" (e.g. where changes are made instead). */
  readonly mutationHint?: string;
}

export function operationResolutionPlugin<TContext extends BaseContext>(options: OperationResolutionOptions = {}): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) {
            const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
            const names = operations.map((o) => (o.name ? JSON.stringify(o.name.value) : 'an anonymous one')).join(', ');
            if (request.operationName) {
              throw clientError(ErrorCode.OPERATION_NOT_FOUND, `operationName ${JSON.stringify(request.operationName)} names no operation in the document, which has ${names}; send the name of the operation to run, or leave operationName out when there is only one`);
            }
            throw clientError(ErrorCode.OPERATION_NAME_REQUIRED, `the document has ${operations.length} operations (${names}) and no operationName; send operationName with the one to run`);
          }
          if (operation.operation === 'subscription') {
            throw clientError(ErrorCode.OPERATION_NOT_SUPPORTED, `subscriptions are not served here (there is no streaming transport); received a subscription operation — send a query${schema.getMutationType() ? ' or a mutation' : ''}, and poll for changes`);
          }
          if (operation.operation === 'mutation' && !schema.getMutationType()) {
            throw clientError(ErrorCode.OPERATION_NOT_SUPPORTED, `this schema has no mutations, it serves queries only; received a mutation operation${options.mutationHint ? ` — ${options.mutationHint}` : ''}`);
          }
        },
      };
    },
  };
}
