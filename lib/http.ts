/**
 * Plain node:http plumbing shared by the gateway and the subgraphs: a bounded body reader,
 * JSON replies, and the bridge from a node request to Apollo Server's
 * `executeHTTPGraphQLRequest`. Plain node:http instead of express keeps the hot path short
 * and gives one place to bound what a request may send.
 */
import { localeOf, localizeError, type Locale, type LocalizableMessage } from './messages.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextThunk } from '@apollo/server';
import { ErrorCode } from './errors.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './databaseFaults.ts';

/** Largest request body accepted by default, in bytes. @default 1 MiB */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** The message's key and parameters, to say it in the receiver's language (lib/messages.ts). */
    readonly i18n?: LocalizableMessage,
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new HttpError(413, ErrorCode.PAYLOAD_TOO_LARGE, `request body of ${declared} bytes exceeds the limit of ${limit} bytes; send a smaller one, or split the operation into several requests`, { connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new HttpError(413, ErrorCode.PAYLOAD_TOO_LARGE, `request body exceeds the limit of ${limit} bytes; send a smaller one, or split the operation into several requests`, { connection: 'close' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A GraphQL-shaped error body, so GraphQL clients show the message. */
export function sendError(res: ServerResponse, error: HttpError, locale: Locale = 'en'): void {
  const said = localizeError({ message: error.message, extensions: { code: error.code, ...(error.i18n ? { i18n: error.i18n } : {}) } }, locale);
  sendJson(res, error.status, { errors: [said] }, error.headers);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Parses a JSON request body; a malformed one is the caller's error, said plainly. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, ErrorCode.BAD_REQUEST, `the request body is not valid JSON (${(error as Error).message}); send a JSON object such as {"query": "{ __typename }", "variables": {}} with Content-Type: application/json`);
  }
}

export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Runs one GraphQL-over-HTTP request through Apollo Server and writes its answer. */
export async function executeGraphQL<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  context: ContextThunk<TContext>,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers: headerMapOf(req), search: q >= 0 ? url.slice(q) : '', body },
    context,
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** Wraps a request handler so that no error, thrown or rejected, takes the process down. */
export function guarded(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onUnexpected: (error: unknown) => void,
  /** Told of every request refused with an HttpError (a bad token, a body too large…), for the log. */
  onRefused?: (error: HttpError, req: IncomingMessage) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        onRefused?.(error, req);
        if (!res.headersSent) sendError(res, error, localeOf(req.headers['accept-language']));
        else res.end();
        return;
      }
      if (isDatabaseUnavailable(error)) {
        // A database blip: the client retries, the process stays up, the pool reconnects.
        onUnexpected(error);
        if (!res.headersSent) {
          sendError(res, new HttpError(503, ErrorCode.DATABASE_UNAVAILABLE, `the platform's database is unavailable for a moment; retry in ${DATABASE_RETRY_AFTER_SECONDS} s`, { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) }));
        } else res.end();
        return;
      }
      onUnexpected(error);
      if (!res.headersSent) sendError(res, new HttpError(500, ErrorCode.INTERNAL_SERVER_ERROR, 'internal error; the request id in the logs identifies it'));
      else res.end();
    });
  };
}
