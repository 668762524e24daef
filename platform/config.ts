/**
 * The one place that reads `process.env`: validates, applies defaults, and hands typed
 * configuration to everything else.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storageConfigFrom, type StorageConfig } from '../storage/database.ts';
import { platformKeySourceFrom, type PlatformKeySource } from '../lib/platformKeys.ts';
import {
  DEFAULT_CLAIMS_MAPPING, DEFAULT_LOCKOUT_SETTINGS, DEFAULT_OIDC_LABEL, DEFAULT_SESSION_SETTINGS, type OidcSettings, type SignInSettings,
} from '../control/signIn/signInSettings.ts';
import { PERSON_ROLES, type PersonRole } from '../control/people/people.ts';
import { levelFrom, type LogLevel } from '../lib/logger.ts';
import { tracingSettingsFrom, type TracingSettings } from '../lib/tracing.ts';
import { subgraphClientTlsFrom, type SubgraphClientTlsSettings } from '../lib/tlsLinks.ts';

export interface PlatformConfig {
  /** Gateway port. `PORT`. @default 4000 */
  readonly port: number;
  /** Interface all servers bind to. `HOST`. @default '127.0.0.1' */
  readonly host: string;
  /** Where SQLite files and data/demo/credentials.json live. `DATA_DIR`. @default './data' */
  readonly dataDir: string;
  readonly storage: StorageConfig;
  /** First port for subgraphs (then +1 each); 0 picks free ports. `SUBGRAPH_PORT_BASE`. @default 0 */
  readonly subgraphPortBase: number;
  /** How long the gateway waits for one subgraph fetch. `SUBGRAPH_TIMEOUT_MS`. @default 10000 */
  readonly subgraphTimeoutMs: number;
  /** Subgraphs as child processes (`process`, what a department would run) or in this process (`inprocess`, tests). `GOVGRAPH_SUBGRAPHS`. @default 'process' */
  readonly subgraphMode: 'process' | 'inprocess';
  /** The working-day calendar's override file (years the calendar package lacks). `CALENDAR_OVERRIDES`. */
  readonly calendarOverridesFile: string;
  /** How long requests in flight may take to finish after SIGTERM. `GOVGRAPH_SHUTDOWN_GRACE_MS`. @default 10000 */
  readonly shutdownGraceMs: number;
  /**
   * Whether changes are pushed between replicas (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite)
   * or found by polling only (`off`: e.g. behind a transaction-pooling proxy where LISTEN does not
   * work). `GOVGRAPH_CHANGE_FEED`. @default 'on'
   */
  readonly changeFeed: boolean;
  /**
   * How often a replica looks for changes made on another (policy version, supergraph, calendar
   * notices): the change feed's fallback, and the only way with `GOVGRAPH_CHANGE_FEED=off`.
   * `GOVGRAPH_POLL_MS`. @default 1000
   */
  readonly pollMs: number;
  /**
   * The key stored secrets (private seal keys, webhook secrets) are encrypted under (R10):
   * `GOVGRAPH_PLATFORM_KEY` (base64, 32 bytes) or `GOVGRAPH_PLATFORM_KEY_FILE`, previous keys
   * in `GOVGRAPH_PLATFORM_KEY_PREVIOUS`. @default `<dataDir>/keys/platform.key`, created once
   */
  readonly platformKey: PlatformKeySource;
  /**
   * What the gateway trusts and presents when it calls https subgraphs (mutual TLS):
   * `GOVGRAPH_SUBGRAPH_TLS_CA_FILE`, `GOVGRAPH_SUBGRAPH_TLS_CLIENT_CERT_FILE`,
   * `GOVGRAPH_SUBGRAPH_TLS_CLIENT_KEY_FILE` (lib/tlsLinks.ts). @default null: the system's CAs, no client certificate
   */
  readonly subgraphTls: SubgraphClientTlsSettings | null;
  /** Sessions, lockout and the identity service of the console's sign-in (issue 14; control/signIn/signInSettings.ts names each variable). */
  readonly signIn: SignInSettings;
  /** The least severe log lines written (JSON lines on stderr, lib/logger.ts). `LOG_LEVEL`. @default 'info' */
  readonly logLevel: LogLevel;
  /**
   * Where traces are sent (OTLP/HTTP, lib/tracing.ts): `GOVGRAPH_OTLP_ENDPOINT` or the standard
   * `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`. Subgraph processes
   * read the same variables. @default null — tracing off, nothing sent anywhere
   */
  readonly tracing: TracingSettings | null;
}

export const DEFAULT_PORT = 4000;
export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const DEFAULT_POLL_MS = 1000;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, received ${JSON.stringify(raw)}`);
  }
  return value;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new Error(`${name} must be "on" or "off", received ${JSON.stringify(raw)}`);
}

/** `a=b,c=d` → { a: 'b', c: 'd' }. */
function pairs(env: NodeJS.ProcessEnv, name: string): Record<string, string> {
  const raw = env[name];
  if (!raw) return {};
  const out: Record<string, string> = {};
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new Error(`${name} must be a list of name=value pairs separated by commas, received ${JSON.stringify(raw)}`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function oidcFrom(env: NodeJS.ProcessEnv): OidcSettings | null {
  const issuer = env.GOVGRAPH_OIDC_ISSUER;
  if (!issuer) return null;
  const clientId = env.GOVGRAPH_OIDC_CLIENT_ID;
  const clientSecret = env.GOVGRAPH_OIDC_CLIENT_SECRET;
  if (!clientId || !clientSecret) throw new Error('GOVGRAPH_OIDC_ISSUER is set: set GOVGRAPH_OIDC_CLIENT_ID and GOVGRAPH_OIDC_CLIENT_SECRET too (the client registered at the identity service)');
  const roleMap = pairs(env, 'GOVGRAPH_OIDC_ROLE_MAP');
  for (const [from, to] of Object.entries(roleMap)) {
    if (!(PERSON_ROLES as readonly string[]).includes(to)) throw new Error(`GOVGRAPH_OIDC_ROLE_MAP maps ${from} to ${to}; roles are ${PERSON_ROLES.join(', ')}`);
  }
  const newPeople = env.GOVGRAPH_OIDC_NEW_PEOPLE || 'create';
  if (newPeople !== 'create' && newPeople !== 'existing') throw new Error(`GOVGRAPH_OIDC_NEW_PEOPLE must be "create" or "existing", received ${JSON.stringify(newPeople)}`);
  return {
    issuer, clientId, clientSecret,
    ...(env.GOVGRAPH_OIDC_REDIRECT_URL ? { redirectUrl: env.GOVGRAPH_OIDC_REDIRECT_URL } : {}),
    scopes: env.GOVGRAPH_OIDC_SCOPES || 'openid profile',
    label: env.GOVGRAPH_OIDC_LABEL || DEFAULT_OIDC_LABEL,
    newPeople,
    claims: {
      department: env.GOVGRAPH_OIDC_DEPARTMENT_CLAIM || DEFAULT_CLAIMS_MAPPING.department,
      roles: env.GOVGRAPH_OIDC_ROLES_CLAIM || DEFAULT_CLAIMS_MAPPING.roles,
      subject: env.GOVGRAPH_OIDC_SUBJECT_CLAIM || DEFAULT_CLAIMS_MAPPING.subject,
      name: env.GOVGRAPH_OIDC_NAME_CLAIM || DEFAULT_CLAIMS_MAPPING.name,
      departmentMap: pairs(env, 'GOVGRAPH_OIDC_DEPARTMENT_MAP'),
      roleMap: roleMap as Record<string, PersonRole>,
    },
  };
}

export function signInSettingsFrom(env: NodeJS.ProcessEnv): SignInSettings {
  const minutes = 60_000;
  return {
    sessions: {
      idleMs: integer(env, 'GOVGRAPH_SESSION_IDLE_MINUTES', DEFAULT_SESSION_SETTINGS.idleMs / minutes, 1, 24 * 60) * minutes,
      absoluteMs: integer(env, 'GOVGRAPH_SESSION_ABSOLUTE_HOURS', DEFAULT_SESSION_SETTINGS.absoluteMs / (60 * minutes), 1, 7 * 24) * 60 * minutes,
    },
    lockout: {
      failures: integer(env, 'GOVGRAPH_LOCKOUT_FAILURES', DEFAULT_LOCKOUT_SETTINGS.failures, 1, 100),
      windowMs: integer(env, 'GOVGRAPH_LOCKOUT_WINDOW_MINUTES', DEFAULT_LOCKOUT_SETTINGS.windowMs / minutes, 1, 24 * 60) * minutes,
      lockMs: integer(env, 'GOVGRAPH_LOCKOUT_MINUTES', DEFAULT_LOCKOUT_SETTINGS.lockMs / minutes, 1, 24 * 60) * minutes,
    },
    oidc: oidcFrom(env),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  const mode = env.GOVGRAPH_SUBGRAPHS || 'process';
  if (mode !== 'process' && mode !== 'inprocess') {
    throw new Error(`GOVGRAPH_SUBGRAPHS must be "process" or "inprocess", received ${JSON.stringify(mode)}`);
  }
  return {
    port: integer(env, 'PORT', DEFAULT_PORT, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir,
    storage: storageConfigFrom(env.DATABASE_URL || undefined, dataDir, env.GOVGRAPH_SCHEMA_PREFIX || undefined),
    subgraphPortBase: integer(env, 'SUBGRAPH_PORT_BASE', 0, 0, 65535),
    subgraphTimeoutMs: integer(env, 'SUBGRAPH_TIMEOUT_MS', DEFAULT_SUBGRAPH_TIMEOUT_MS, 100, 600_000),
    subgraphMode: mode,
    shutdownGraceMs: integer(env, 'GOVGRAPH_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 600_000),
    changeFeed: onOff(env, 'GOVGRAPH_CHANGE_FEED', true),
    pollMs: integer(env, 'GOVGRAPH_POLL_MS', DEFAULT_POLL_MS, 100, 3_600_000),
    platformKey: platformKeySourceFrom(env, dataDir),
    signIn: signInSettingsFrom(env),
    logLevel: levelFrom(env.LOG_LEVEL),
    tracing: tracingSettingsFrom(env),
    subgraphTls: subgraphClientTlsFrom(env),
    calendarOverridesFile: resolve(env.CALENDAR_OVERRIDES || fileURLToPath(new URL('../policies/calendarOverrides.json', import.meta.url))),
  };
}
