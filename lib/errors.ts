/**
 * Error codes are the public contract (`extensions.code` in GraphQL errors, `code` in HTTP
 * error bodies); messages say what was expected, what was received and what to do next.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { timeOrderedUuid } from './requestId.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './databaseFaults.ts';

export enum ErrorCode {
  /** The caller may not read this field (sharing class, purpose or grant). */
  FORBIDDEN = 'FORBIDDEN',
  /** No or an unknown app token. */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** A data query without a declared purpose of use (R6). */
  PURPOSE_REQUIRED = 'PURPOSE_REQUIRED',
  /** An argument the caller gave is malformed (e.g. a citizen ID with a wrong check digit). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The operation exceeds a limit (expanded size, depth, aliases, root fields, directives, tokens); `extensions.limit` names which. */
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** The app made too many requests, or looked up too many distinct keys, in the last minute (HTTP 429, Retry-After). */
  RATE_LIMITED = 'RATE_LIMITED',
  /** The answer is withheld: its access could not be recorded in the audit trail (R10). */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  /** A department's subgraph did not answer in time or at all. */
  SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE',
  /** The platform's database could not be reached for a moment (a restart, a failover, a terminated connection): retry after Retry-After. HTTP 503. */
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** Something failed that the caller cannot fix; the message names an incident id for the operators. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',

  // The request itself (HTTP 4xx): what was sent cannot be run as it is.
  /** The body or parameters are not a GraphQL request: malformed JSON, no `query`, a query that is not a string, variables that are not an object, a batch. */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The document is not GraphQL (syntax error). Apollo Server's code, kept. */
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  /** The document does not fit the schema (unknown field, wrong argument, …). Apollo Server's code, kept. */
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** `operationName` names no operation in the document. */
  OPERATION_NOT_FOUND = 'OPERATION_NOT_FOUND',
  /** The document holds several operations and `operationName` does not say which to run. */
  OPERATION_NAME_REQUIRED = 'OPERATION_NAME_REQUIRED',
  /** An operation type this endpoint does not serve: subscriptions anywhere, mutations on the data graph. */
  OPERATION_NOT_SUPPORTED = 'OPERATION_NOT_SUPPORTED',
  /** An HTTP method the endpoint does not take for this request (PUT; GET with a mutation). HTTP 405. */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  /** A GET request with a content type other than JSON. HTTP 415. */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** The Accept header admits no media type the endpoint answers in. HTTP 406. */
  NOT_ACCEPTABLE = 'NOT_ACCEPTABLE',
  /** A request a browser could send cross-site without a preflight (CSRF protection): needs a JSON content type or a preflight header. */
  CSRF_PREFLIGHT_REQUIRED = 'CSRF_PREFLIGHT_REQUIRED',
  /** Automatic persisted queries: the hash is not known yet — send the query with it. HTTP 200 by Apollo's APQ protocol, which clients follow by retrying. */
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries: `sha256Hash` is not the SHA-256 of the query sent with it. */
  PERSISTED_QUERY_HASH_MISMATCH = 'PERSISTED_QUERY_HASH_MISMATCH',
  /** Automatic persisted queries: a protocol version other than 1. */
  PERSISTED_QUERY_VERSION_UNSUPPORTED = 'PERSISTED_QUERY_VERSION_UNSUPPORTED',
  /** The request body is larger than the endpoint accepts. HTTP 413. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** No such route, asset or version, or no such record (a department, a schema element) in the management API. HTTP 404 over HTTP. */
  NOT_FOUND = 'NOT_FOUND',

  // The management API and the subgraphs.
  /** The record changed state meanwhile (an application or objection already answered): read it again and decide anew. */
  CONFLICT = 'CONFLICT',
  /** A subgraph (or the platform's set of subgraphs) does not pass the registry's checks; `extensions.check` holds the report when there is one. */
  CHECK_FAILED = 'CHECK_FAILED',
  /** A subgraph could not load the policy version the gateway's sharing context names; retry shortly. HTTP 503. */
  POLICY_UNAVAILABLE = 'POLICY_UNAVAILABLE',
  /**
   * A classification guard of the measures refused the change (issue 21): a basic item or an
   * item tied to licensing or parallel approval made conditional or not shared without the
   * coordinating office's override (003 Guangdong art. 4). `extensions.coordinate` names it.
   */
  CLASSIFICATION_GUARD = 'CLASSIFICATION_GUARD',

  // Signing in (issue 14).
  /** A local account locked after repeated failed sign-ins (wrong password or code); wait, or ask the department administrator to reset the password. HTTP 403. */
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  /** A cookie-authenticated request to the management API without the session's `X-CSRF-Token`. HTTP 403. */
  CSRF_TOKEN_REQUIRED = 'CSRF_TOKEN_REQUIRED',
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
  if (isDatabaseUnavailable(original)) {
    // A database blip (issue 15): nothing for the caller to fix but to retry; still no detail shown.
    return {
      message: `the database of ${where} is unavailable for a moment; retry in ${DATABASE_RETRY_AFTER_SECONDS} s (incident ${incident})`,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, incident, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    };
  }
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

/** A refusal of the request as sent, with its HTTP status (Apollo Server reads `extensions.http`). */
export function clientError(code: ErrorCode, message: string, status = 400): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}
