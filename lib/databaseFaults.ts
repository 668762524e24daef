/**
 * Database faults a client should retry, told from bugs: the store went away for a moment
 * (PostgreSQL restarted, a backend terminated by an operator, a failover, too many
 * connections, a network cut) or SQLite's file cannot be written for now (locked, disk full,
 * an I/O error). Such a request is answered 503 with Retry-After (DATABASE_UNAVAILABLE), never
 * a 500, and the process keeps running: the pool reconnects on the next request.
 *
 * Told by the error's shape only (pg's SQLSTATE `code`, Node's socket `code`, better-sqlite3's
 * `SQLITE_*` code), so lib/ depends on no driver.
 */

/** Seconds a client is told to wait before retrying a request refused for a database fault. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * SQLSTATE classes and codes meaning "the server is not there now":
 * 08 connection exception, 57P01 admin_shutdown (pg_terminate_backend), 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up / shutting down), 53300 too_many_connections,
 * 40001/40P01 are not faults (serialization, deadlock) and stay with their callers.
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/;
/** pg's own messages for a connection that died under it (no code set). */
const PG_MESSAGES = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection terminated due to connection timeout|Client was closed and is not queryable)/;

/** Whether an error (or one of its causes) is a database fault worth a retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || SOCKET_CODES.has(code) || SQLITE_CODES.test(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
    // AggregateError (a connect to several addresses, all refused).
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}
