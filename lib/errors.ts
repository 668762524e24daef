/**
 * Error codes are the public contract (`extensions.code` in GraphQL errors, `code` in HTTP
 * error bodies); messages say what was expected, what was received and what to do next.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { timeOrderedUuid } from './requestId.ts';

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
  /** The app made too many requests, or looked up too many distinct keys, in the last minute (HTTP 429, Retry-After). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The answer is withheld: its access could not be recorded in the audit trail (R10). */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  /** A department's subgraph did not answer in time or at all. */
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
  /** Something failed that the caller cannot fix; the message names an incident id for the operators. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/**
 * Hides what an unexpected failure says (a database's message names tables, files, sometimes
 * values) from the caller, who gets an incident id instead; the operators' log gets the whole
 * error under that id. Errors thrown on purpose — GraphQLErrors, which carry a code and a
 * message written for the caller — pass unchanged.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError, error: unknown, where: string, log: (message: string) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // GraphQLErrors were written for the caller; a downstream subgraph's error arrives as its
  // JSON (not an Error), already formatted — and masked — by that subgraph.
  if (original instanceof GraphQLError || !(original instanceof Error)) return formatted;
  const incident = timeOrderedUuid();
  log(`incident ${incident} (${formatted.path?.join('.') ?? 'no path'}): ${(original as Error)?.stack ?? String(original)}`);
  return {
    message: `internal error in ${where}; the operators can find it as incident ${incident}`,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, incident },
  };
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extensions } });
}
