/**
 * A department's subgraph reads its own configuration: it runs with no platform code (a
 * department may run it on its own host). `PORT` (default: a free port), `HOST`, `DATA_DIR`,
 * `DATABASE_URL`, `LOG_LEVEL`, the OTLP endpoint (lib/tracing.ts), the TLS files (`GOVGRAPH_TLS_*`), and — for a subgraph that stores secrets — the platform key variables.
 */
import { resolve } from 'node:path';
import { storageConfigFrom, type StorageConfig } from '../../storage/database.ts';
import { platformKeySourceFrom, type PlatformKeySource } from '../../lib/platformKeys.ts';
import { levelFrom, type LogLevel } from '../../lib/logger.ts';
import { tracingSettingsFrom, type TracingSettings } from '../../lib/tracing.ts';
import { serverTlsFrom, type ServerTlsSettings } from '../../lib/tlsLinks.ts';

export interface SubgraphConfig {
  /** 0 picks a free port. `PORT`. @default 0 */
  readonly port: number;
  /** `HOST`. @default '127.0.0.1' */
  readonly host: string;
  /** Its SQLite files, the demo world and the gateway's public key (`keys/`). `DATA_DIR`. @default './data' */
  readonly dataDir: string;
  readonly storage: StorageConfig;
  readonly platformKey: PlatformKeySource;
  /** `LOG_LEVEL` (lib/logger.ts). @default 'info' */
  readonly logLevel: LogLevel;
  /** Where traces go (lib/tracing.ts: `GOVGRAPH_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`). @default null — off */
  readonly tracing: TracingSettings | null;
  /** Serve https (and require client certificates): `GOVGRAPH_TLS_CERT_FILE`, `GOVGRAPH_TLS_KEY_FILE`, `GOVGRAPH_TLS_CLIENT_CA_FILE` (lib/tlsLinks.ts). @default null, plain http */
  readonly tls: ServerTlsSettings | null;
}

export function loadSubgraphConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const dataDir = resolve(env.DATA_DIR || './data');
  const rawPort = env.PORT ?? '0';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, received ${JSON.stringify(rawPort)}`);
  return {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir,
    storage: storageConfigFrom(env.DATABASE_URL || undefined, dataDir, env.GOVGRAPH_SCHEMA_PREFIX || undefined),
    platformKey: platformKeySourceFrom(env, dataDir),
    logLevel: levelFrom(env.LOG_LEVEL),
    tracing: tracingSettingsFrom(env),
    tls: serverTlsFrom(env),
  };
}
