/**
 * The one place that reads `process.env`: validates, applies defaults, and hands typed
 * configuration to everything else.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storageConfigFrom, type StorageConfig } from '../storage/database.ts';
import { platformKeySourceFrom, type PlatformKeySource } from '../lib/platformKeys.ts';

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
    calendarOverridesFile: resolve(env.CALENDAR_OVERRIDES || fileURLToPath(new URL('../policies/calendarOverrides.json', import.meta.url))),
  };
}
