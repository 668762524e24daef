/**
 * Error codes are the public contract (`extensions.code` in GraphQL errors, `code` in HTTP
 * error bodies); messages say what was expected, what was received and what to do next.
 */
import { GraphQLError } from 'graphql';

export enum ErrorCode {
  /** The caller may not read this field (sharing class, purpose or grant). */
  FORBIDDEN = 'FORBIDDEN',
  /** No or an unknown app token. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** A data query without a declared purpose of use (R6). */
  PURPOSE_REQUIRED = 'PURPOSE_REQUIRED',
  /** An argument the caller gave is malformed (e.g. a citizen ID with a wrong check digit). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The operation exceeds a limit (depth, aliases, root fields, size). */
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** The answer is withheld: its access could not be recorded in the audit trail (R10). */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  /** A department's subgraph did not answer in time or at all. */
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } });
}
