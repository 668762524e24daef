/**
 * The platform's operational log (issue 16): one JSON object per line (pino), with `time`,
 * `level`, `msg`, and where known the request id, trace id, consumer (department/app) and
 * outcome. Gateway, subgraphs and control plane write through it; the start-up banner of
 * `npm start` (URLs, demo tokens) does not — it is for the person at the terminal and goes to
 * stdout, while logs go to stderr (`npm start 2>>govgraph.log`).
 *
 * Never personal data, tokens or secrets (R10): known fields are censored by path
 * (authorization, cookies, tokens, passwords, TOTP secrets, id numbers), and every string that
 * reaches a line — the message, an error's message and stack — is masked for what looks like a
 * citizen id number (18 characters, GB 11643), a mobile number, a bearer token, a govgraph
 * token or a JWT. An unexpected error is logged as its class, message and stack, masked.
 *
 * Glossary:
 * - logger: a pino logger; `child({ component })` names the process part writing.
 * - LogLine: the `(message) => void` callback older modules take; `logLine(logger)` makes one.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Levels an operator can set (`LOG_LEVEL`). @default 'info' */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** What a field holding a secret or personal datum is replaced by. */
export const CENSORED = '[redacted]';

/** The callback older modules log through (`log?: (message) => void` options). */
export type LogLine = (message: string) => void;

/**
 * Field names never written, at the top level and one or two levels down (pino's redaction
 * works by path). Personal data: id numbers and phone numbers; secrets: tokens, passwords,
 * TOTP secrets, keys; credentials in headers.
 */
const SENSITIVE_FIELDS = [
  'authorization', 'cookie', 'set-cookie', 'x-sharing-context', 'x-sharing-context-mac',
  'token', 'accessToken', 'adminToken', 'appToken', 'password', 'newPassword', 'currentPassword',
  'totpSecret', 'secret', 'clientSecret', 'privateKey', 'macKey', 'idNumber', 'idNumbers', 'phone', 'mobile',
];
const REDACT_PATHS = [
  ...SENSITIVE_FIELDS.map((f) => `["${f}"]`),
  ...SENSITIVE_FIELDS.map((f) => `*["${f}"]`),
  ...SENSITIVE_FIELDS.map((f) => `*.*["${f}"]`),
];

/**
 * Citizen id numbers (GB 11643: 17 digits and a check character), mobile numbers, bearer
 * credentials, govgraph tokens (gga_/ggd_/ggp_) and JWTs (sharing contexts, OIDC tokens).
 * Bounded by non-alphanumerics, so a longer number (a hash, a timestamp in ms) is left alone.
 */
const MASKS: readonly (readonly [RegExp, string])[] = [
  [/\bBearer\s+[^\s"',;]+/gi, `Bearer ${CENSORED}`],
  [/\bgg[adp]_[A-Za-z0-9_-]{8,}/g, '[token]'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g, '[jwt]'],
  [/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, '[id-number]'],
  [/(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g, '[phone]'],
];

/** `text` with every id number, phone number and token in it masked. */
export function maskSensitiveText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out;
}

/** An error as a log field: its class, message and stack, masked; its cause likewise. */
export function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  // Already serialized (the log formatter masks fields before pino's serializers run).
  if (!(error instanceof Error) && typeof error === 'object' && error !== null && 'type' in error && 'message' in error) return error as Record<string, unknown>;
  if (!(error instanceof Error)) return { type: typeof error, message: maskSensitiveText(String(error)) };
  const out: Record<string, unknown> = {
    type: error.constructor?.name || error.name,
    message: maskSensitiveText(error.message),
    ...(error.stack ? { stack: maskSensitiveText(error.stack) } : {}),
  };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** Masks every string value of a log object (a field could carry a value from a request). */
function maskStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskSensitiveText(value);
  if (value instanceof Error) return serializeError(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskStrings(v, depth + 1);
  return out;
}

export interface LoggerSettings {
  /** @default DEFAULT_LOG_LEVEL */
  readonly level?: LogLevel;
  /** Where lines go. @default stderr (stdout is the banner's: lib/logger.ts header) */
  readonly destination?: DestinationStream;
  /** Fields on every line (e.g. `{ service: 'gateway' }`). */
  readonly base?: Record<string, unknown>;
}

/** The platform's logger: JSON lines, redacted, ISO times. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? DEFAULT_LOG_LEVEL,
    base: { pid: process.pid, ...settings.base },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    redact: { paths: REDACT_PATHS, censor: CENSORED },
    serializers: { err: serializeError, error: serializeError },
    formatters: {
      level: (label) => ({ level: label }),
      // Any string field could hold a value a caller sent: masked like the message.
      log: (object) => maskStrings(object, 0) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        // The message (first string argument, or the one after the fields) is masked.
        const masked = args.map((a) => typeof a === 'string' ? maskSensitiveText(a) : a) as typeof args;
        return method.apply(this, masked);
      },
    },
  };
  return pino(options, settings.destination ?? pino.destination({ fd: 2, sync: true }));
}

/**
 * The `(message) => void` older modules take, writing through `logger`. A message naming an
 * unexpected error (`incident …: <stack>`) stays one line: the stack is in the message, masked.
 */
export function logLine(logger: Logger, level: 'info' | 'warn' | 'error' = 'info'): LogLine {
  return (message) => logger[level](message);
}

/**
 * A logger whose JSON lines go to `log` (one call per line): for a caller that gave a `log`
 * callback and no logger (tests pass `() => {}` to keep quiet, or a collector to read lines).
 */
export function loggerOver(log: LogLine, level: LogLevel = DEFAULT_LOG_LEVEL): Logger {
  return createLogger({ level, destination: { write: (line: string) => log(line.trimEnd()) } });
}

let processLogger: Logger | null = null;

/**
 * This process's logger, made once on first use (a module given none logs through it); the
 * entry points set it from their configuration (`LOG_LEVEL`) with `setDefaultLogger`.
 */
export function defaultLogger(): Logger {
  processLogger ??= createLogger();
  return processLogger;
}

/** Sets this process's logger (platform/main.ts, subgraphs/runtime/main.ts, tests). */
export function setDefaultLogger(logger: Logger): void {
  processLogger = logger;
}

/** `LOG_LEVEL` validated; platform/config.ts and the subgraphs' config both read it through this. */
export function levelFrom(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return DEFAULT_LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, received ${JSON.stringify(raw)}`);
  return raw as LogLevel;
}
