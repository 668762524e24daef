import { GraphQLError, Kind, type ASTNode, type DocumentNode } from 'graphql';

/** A limit violation: Apollo reports it as a validation failure; `formatError` turns `limit` into code LIMIT_EXCEEDED. */
export function limitError(limit: string, message: string, nodes?: ASTNode | readonly ASTNode[]): GraphQLError {
  return new GraphQLError(message, { ...(nodes ? { nodes } : {}), extensions: { limit } });
}

/**
 * What the rest of validation sees once a first-visit rule refuses a document: nothing to walk.
 * A rule's `Document` visitor returns it in place of the document (graphql-js `visit` walks a
 * node returned from `enter` instead of the original, and `visitInParallel` stops calling the
 * other rules' `Document` visitors there), so no other rule walks the selections.
 */
export const NOTHING: DocumentNode = Object.freeze({ kind: Kind.DOCUMENT, definitions: Object.freeze([]) });
