import { GraphQLError, type ASTNode } from 'graphql';

/** A limit violation: Apollo reports it as a validation failure; `formatError` turns `limit` into code LIMIT_EXCEEDED. */
export function limitError(limit: string, message: string, nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return new GraphQLError(message, { ...(nodes ? { nodes } : {}), extensions: { limit } });
}
