/**
 * The production processes, one job each (issue 15), beside `npm start` (everything on one
 * machine for a newcomer):
 *
 *   govgraph migrate            schema changes of every store, once, under a lock (PostgreSQL:
 *                               an advisory lock; SQLite: a lock file in DATA_DIR), and the
 *                               platform's first signing keys; a second run waits, then finds
 *                               nothing to do.
 *   govgraph gateway            a stateless gateway replica (startGatewayReplica): no subgraph,
 *                               no seeding, no registering; refuses an unmigrated store.
 *   govgraph subgraph <name>    one department's subgraph on its configured address (PORT),
 *                               trusting the platform's published keys (GOVGRAPH_JWKS_URL).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { PlatformConfig } from './config.ts';
import { startGatewayReplica, type RunningReplica } from './startPlatform.ts';
import { openDatabase, type StorageConfig } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { platformMigrations } from '../control/store/migrations.ts';
import { openCatalogueDatabase } from '../control/catalogue/catalogueDatabase.ts';
import { openAuditDatabase } from '../audit/auditDatabase.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { platformSecretSealer } from '../lib/platformKeys.ts';
import { SigningKeyStore, type SigningKeyInfo } from '../control/keys/signingKeyStore.ts';
import { provisionSigningKeys, type FileKeys } from '../control/keys/gatewayKeys.ts';
import { createPrivateKey } from 'node:crypto';
import { deriveSubgraphMacKey, SUBGRAPH_MAC_KEY_ENV } from '../lib/contextMac.ts';
import { acquireInstanceLock, DataDirInUseError } from './instanceLock.ts';
import { createLogger, setDefaultLogger, type Logger } from '../lib/logger.ts';
import { startTracing, type RunningTracing } from '../lib/tracing.ts';

export interface MigrateReport {
  /** Migrations applied by this run, per store (empty lists: already current). */
  readonly applied: Record<string, string[]>;
  readonly signingKeys: readonly SigningKeyInfo[];
  readonly seconds: number;
}

const MIGRATE_LOCK_FILE = 'govgraph-migrate.lock';
/** How long a second `govgraph migrate` waits for the first. @default 5 min */
const MIGRATE_WAIT_MS = 300_000;

/** Runs `work` holding the platform's migration lock; a second holder waits. */
async function withMigrationLock<T>(config: PlatformConfig, work: () => Promise<T>): Promise<T> {
  if (config.storage.kind === 'postgres') {
    const client = new pg.Client({ connectionString: config.storage.url, application_name: 'govgraph migrate' });
    client.on('error', () => {});
    await client.connect();
    // One lock per platform on the server (the schema prefix names the platform); released with the session.
    const key = `govgraph migrate ${config.storage.schemaPrefix ?? ''}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      return await work();
    } finally {
      await client.end();
    }
  }
  // SQLite: a lock file (a killed run's stale file does not block: its pid is gone).
  const started = Date.now();
  for (;;) {
    let lock;
    try {
      lock = acquireInstanceLock(config.dataDir, MIGRATE_LOCK_FILE);
    } catch (error) {
      if (!(error instanceof DataDirInUseError) || Date.now() - started > MIGRATE_WAIT_MS) throw error;
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      return await work();
    } finally {
      lock.release();
    }
  }
}

/** Key files an all-in-one platform kept under DATA_DIR/keys, read (never created): they become the store's first keys. */
function existingFileKeys(dataDir: string): FileKeys {
  const read = (file: string) => {
    const path = join(dataDir, 'keys', file);
    return existsSync(path) ? createPrivateKey(readFileSync(path)) : undefined;
  };
  const context = read('gateway-context.key.pem');
  const auditCheckpoint = read('audit-checkpoint.key.pem');
  return { ...(context ? { context } : {}), ...(auditCheckpoint ? { auditCheckpoint } : {}) };
}

export async function runMigrate(config: PlatformConfig): Promise<MigrateReport> {
  const began = performance.now();
  return withMigrationLock(config, async () => {
    const applied: Record<string, string[]> = {};
    const platformDb = await openDatabase<any>(config.storage, 'platform');
    let signingKeys: SigningKeyInfo[];
    try {
      applied.platform = await migrateToLatest(platformDb.db, platformMigrations, 'platform', platformDb.schema);
      const keys = new SigningKeyStore(platformDb.db, platformSecretSealer(config.platformKey));
      await provisionSigningKeys(keys, 'govgraph migrate', existingFileKeys(config.dataDir));
      signingKeys = await keys.list();
    } finally {
      await platformDb.close();
    }
    // The catalogue's and the audit trail's stores migrate as they open.
    await (await openCatalogueDatabase(config.storage)).close();
    await (await openAuditDatabase(config.storage)).close();
    applied.catalogue = [];
    applied.audit = [];
    for (const definition of SUBGRAPHS) {
      const db = await openDatabase<any>(config.storage, definition.name);
      try {
        applied[definition.name] = await migrateToLatest(db.db, definition.migrations, definition.name, db.schema);
      } finally {
        await db.close();
      }
    }
    return { applied, signingKeys, seconds: Math.round(performance.now() - began) / 1000 };
  });
}

/** Stops a long-running command once, gracefully, on SIGTERM or Ctrl-C (as `npm start` does). */
function stopOnSignals(what: string, close: (graceMs: number) => Promise<void>, graceMs: number, logger: Logger, tracing: RunningTracing): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      if (signal === 'SIGINT') process.exit(130);
      return;
    }
    stopping = true;
    logger.info({ signal, graceMs }, `stopping ${what}: requests in flight are finishing`);
    setTimeout(() => process.exit(1), graceMs + 10_000).unref();
    try {
      await close(graceMs);
    } catch (error) {
      logger.error({ err: error }, 'stopping failed');
      process.exit(1);
    }
    await tracing.shutdown().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export async function runGatewayReplica(config: PlatformConfig): Promise<RunningReplica> {
  // JSON lines on stderr (lib/logger.ts); traces only when configured (lib/tracing.ts).
  const logger = createLogger({ level: config.logLevel, base: { service: 'gateway' } });
  setDefaultLogger(logger);
  const tracing = startTracing(config.tracing, 'govgraph-gateway');
  const replica = await startGatewayReplica(config, { logger });
  logger.info({ url: replica.gateway.url, startMs: replica.startMs, contextKey: replica.signingKeys.context().kid, checkpointKey: replica.signingKeys.auditCheckpoint.kid }, 'govgraph gateway replica listening');
  stopOnSignals('the gateway replica', (grace) => replica.close(grace), config.shutdownGraceMs, logger, tracing);
  return replica;
}

/**
 * `govgraph subgraph <name>`: the subgraph's own entry (subgraphs/runtime/main.ts), in this
 * process. On a host that can read the platform store with the platform key (the platform's
 * own machine), its MAC key is derived from the store when GOVGRAPH_SUBGRAPH_MAC_KEY is not set;
 * a department's host is given it (`govgraph keys subgraph-mac <name>`).
 */
export async function runSubgraphProcess(name: string, config: PlatformConfig): Promise<void> {
  if (!SUBGRAPHS.some((s) => s.name === name)) throw new Error(`no subgraph ${JSON.stringify(name)}; the platform's are ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  if (!process.env[SUBGRAPH_MAC_KEY_ENV]) {
    const root = await macRootFromStore(config.storage, config);
    if (root) process.env[SUBGRAPH_MAC_KEY_ENV] = deriveSubgraphMacKey(root, name).toString('base64');
  }
  process.argv = [process.argv[0]!, 'subgraphs/runtime/main.ts', name];
  await import('../subgraphs/runtime/main.ts');
}

async function macRootFromStore(storage: StorageConfig, config: PlatformConfig): Promise<Buffer | null> {
  if (storage.kind === 'sqlite' && !existsSync(join(storage.dataDir, 'platform.sqlite'))) return null;
  const db = await openDatabase<any>(storage, 'platform');
  try {
    return await new SigningKeyStore(db.db, platformSecretSealer(config.platformKey)).macRoot();
  } catch {
    return null;
  } finally {
    await db.close();
  }
}
