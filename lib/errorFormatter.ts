/**
 * The `formatError` of the gateway's and the management API's Apollo Servers: one wording
 * and one set of codes (lib/errors.ts's ErrorCode) for every refusal, whichever server
 * answers.
 *
 * - limit violations (gateway/limits) become LIMIT_EXCEEDED, `extensions.limit` naming which;
 * - Apollo Server's own refusals of a request — coded BAD_REQUEST for half a dozen different
 *   mistakes, or left without a code (INTERNAL_SERVER_ERROR) for a persisted-query hash that
 *   does not match — get a specific code and a message saying what to send instead;
 * - anything unexpected is masked behind an incident id (maskUnexpectedError).
 *
 * A formatter cannot change the HTTP status (Apollo Server takes it from the error's
 * `extensions.http` before formatting), so this only re-codes errors already answered with a
 * 4xx; refusals Apollo would answer with a 500 are made earlier, in
 * lib/operationResolutionPlugin.ts. Apollo's messages are matched as Apollo Server 5
 * words them; test/clientErrors.test.ts pins each case, so a rewording shows there.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, maskUnexpectedError } from './errors.ts';

export interface ErrorFormatterOptions {
  /** Names the server in masked messages, e.g. 'the gateway'. */
  readonly where: string;
  /** The parser's token limit (graphql-js's message about it is reworded with it). */
  readonly maxTokens: number;
  readonly log: (message: string) => void;
}

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

const APQ_HINT = 'send the query text without the persistedQuery extension, or with `sha256Hash` set to the lowercase hex SHA-256 of exactly that text and `version: 1`';

export function createErrorFormatter(options: ErrorFormatterOptions): Formatter {
  const recode = (formatted: GraphQLFormattedError, code: ErrorCode, message = formatted.message, extra: Record<string, unknown> = {}): GraphQLFormattedError =>
    ({ ...formatted, message, extensions: { ...formatted.extensions, ...extra, code } });

  return (formatted, error) => {
    const original = (error as { originalError?: { extensions?: Record<string, unknown> } }).originalError;
    if (original?.extensions?.limit) return recode(formatted, ErrorCode.LIMIT_EXCEEDED);
    // graphql-js words it "more that N tokens"; say it plainly, with the limit.
    if (/Document contains more th(?:an|at) \d+ tokens/.test(formatted.message)) {
      return recode(formatted, ErrorCode.LIMIT_EXCEEDED, `the operation has more than ${options.maxTokens} tokens; at most ${options.maxTokens} are allowed — split it into several operations`, { limit: 'tokens' });
    }
    const status = error instanceof GraphQLError ? (error.extensions.http as { status?: number } | undefined)?.status : undefined;
    const code = formatted.extensions?.code;
    const message = formatted.message;
    // Apollo Server's BadRequestError (its class name is set on `name`), not a BAD_REQUEST of
    // ours: Apollo's code has the same value as ErrorCode.BAD_REQUEST, so the name tells them apart.
    if (code === ErrorCode.BAD_REQUEST && (error as Error).name === 'BadRequestError') {
      const get = /^GET requests only support query operations, not (\w+) operations/.exec(message);
      if (get) return recode(formatted, ErrorCode.METHOD_NOT_ALLOWED, `a ${get[1]} operation arrived by GET, which runs queries only; send it by POST with Content-Type: application/json`);
      if (status === 405) return recode(formatted, ErrorCode.METHOD_NOT_ALLOWED, 'GraphQL requests are taken by POST (queries also by GET); send the operation by POST with Content-Type: application/json');
      if (status === 415) return recode(formatted, ErrorCode.UNSUPPORTED_MEDIA_TYPE, `${message} Leave Content-Type out of a GET request, or set it to application/json.`);
      if (status === 406) return recode(formatted, ErrorCode.NOT_ACCEPTABLE, `${message}; accept application/json or application/graphql-response+json`);
      if (message.startsWith('This operation has been blocked as a potential Cross-Site Request Forgery')) {
        return recode(formatted, ErrorCode.CSRF_PREFLIGHT_REQUIRED, 'the request could have been sent by another web site (no JSON content type, no preflight header), so it is refused as a possible CSRF; send Content-Type: application/json, or the header Apollo-Require-Preflight: true');
      }
      return recode(formatted, ErrorCode.BAD_REQUEST, `${message} A GraphQL request is a JSON object {"query": "<document>", "variables": {…}, "operationName": "…"} sent by POST with Content-Type: application/json.`);
    }
    if (message === 'provided sha does not match query') {
      return recode(formatted, ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, `extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it; ${APQ_HINT}`);
    }
    if (message === 'Unsupported persisted query version') {
      return recode(formatted, ErrorCode.PERSISTED_QUERY_VERSION_UNSUPPORTED, `extensions.persistedQuery.version must be 1; ${APQ_HINT}`);
    }
    // Whatever else Apollo refused with a 4xx but did not code: still the caller's to fix.
    if (status !== undefined && status >= 400 && status < 500 && (code === undefined || code === ErrorCode.INTERNAL_SERVER_ERROR)) {
      return recode(formatted, ErrorCode.BAD_REQUEST);
    }
    return maskUnexpectedError(formatted, error, options.where, options.log);
  };
}
