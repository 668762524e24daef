/**
 * The whole platform on one machine: every department subgraph (as its own process, or in
 * this process for tests), then the gateway composed over them, then
 * `<DATA_DIR>/demo/credentials.json` for clients and checks. One such instance per DATA_DIR
 * (platform/instanceLock.ts); its subgraph children are supervised (restarted with backoff).
 *
 * Also a gateway replica alone (`startGatewayReplica`, `govgraph gateway`, issue 15): the same
 * control plane over a shared store, with no subgraph children, no seeding and no
 * re-publishing; its keys come from the store, like every other replica's.
 */
import { defaultLogger, loggerOver, logLine, type Logger } from '../lib/logger.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PlatformConfig } from './config.ts';
import { startGateway, type RunningGateway } from '../gateway/server.ts';
import type { SubgraphEndpoint } from './credentials.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { startSubgraphServer, type RunningSubgraph } from '../subgraphs/runtime/server.ts';
import type { SubgraphDefinition } from '../subgraphs/runtime/definition.ts';
import { loadWorld, saveWorld } from '../demo/worldFile.ts';
import { writeCredentials, type Credentials } from './credentials.ts';
import { loadOrCreateSigningKeys } from '../lib/sharingContext.ts';
import { CONTEXT_JWKS_PATH, staticKeySet, toPublishedJwks } from '../lib/publishedKeySet.ts';
import { SigningKeyStore } from '../control/keys/signingKeyStore.ts';
import { GatewayKeys, provisionSigningKeys, type FileKeys } from '../control/keys/gatewayKeys.ts';
import { acquireInstanceLock, type InstanceLock } from './instanceLock.ts';
import { superviseChild } from './superviseChild.ts';
import { pendingMigrations } from '../storage/migrate.ts';
import { platformKeyEnvironment, platformSecretSealer } from '../lib/platformKeys.ts';
import { sealWebhookSecretsAtRest } from '../control/notifications/webhookSecrets.ts';
import { deriveSubgraphMacKey, SUBGRAPH_MAC_KEY_ENV } from '../lib/contextMac.ts';
import { CONTEXT_JWKS_ENV, JWKS_URL_ENV } from '../subgraphs/runtime/contextKeys.ts';
import { openDatabase, type OpenedDatabase } from '../storage/database.ts';
import { NO_CHANGE_FEED, openChangeFeed } from '../storage/changeFeed.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { platformMigrations } from '../control/store/migrations.ts';
import { PlatformStore, type PlatformDatabase } from '../control/store/platformStore.ts';
import { ensureDemoTokens, seedDemoDepartments, seedDemoPlatform } from './demoSeed.ts';
import { seedDemoPeople } from './demoPeople.ts';
import { seedSealedDocuments } from './sealedDocumentsSeed.ts';
import { SealKeyRegistry } from '../control/seals/sealKeyRegistry.ts';
import { SubgraphRegistry } from '../control/registry/subgraphRegistry.ts';
import type { Identity } from '../control/store/platformStore.ts';
import type { TokenSource } from './credentials.ts';
import { print } from 'graphql';
import { PolicyState } from '../control/policies/policyState.ts';
import { mayRequire } from '../policies/requiresInputs.ts';
import { ApplicationService } from '../control/applications/applicationService.ts';
import { WebhookDelivery } from '../control/notifications/webhookDelivery.ts';
import { ObjectionService } from '../control/objections/objectionService.ts';
import { AuditLog } from '../audit/auditLog.ts';
import { loadOrCreateAuditKeys } from '../audit/checkpoint.ts';
import { fieldUsage, readersOf } from '../audit/usage.ts';
import { WorkingDayCalendar, type CalendarOverrides } from '../policies/workingDays.ts';
import { readFileSync } from 'node:fs';
import { openCatalogueDatabase } from '../control/catalogue/catalogueDatabase.ts';
import { CatalogueService } from '../control/catalogue/catalogueService.ts';
import { httpFreshnessSource } from '../control/catalogue/freshnessSource.ts';
import { subgraphClientTlsMaterial, subgraphHttp } from '../lib/tlsLinks.ts';
import { PlatformSettings } from '../control/settings/platformSettings.ts';
import { GrantExpiryWarnings } from '../control/applications/grantExpiryWarnings.ts';
import { noticeOnce } from '../control/notifications/noticeOnce.ts';
import { COORDINATOR } from '../control/applications/applicationService.ts';
import { CalendarNotices } from '../control/calendar/calendarNotices.ts';
import { SignInService } from '../control/signIn/signInService.ts';
import { sweepGovernanceDeadlines } from '../control/governance/deadlineSweep.ts';
import { demoAccountsFile, ensureDemoAccounts, type DemoAccount } from './demoAccounts.ts';

export interface RunningPlatform {
  readonly gateway: RunningGateway;
  readonly store: PlatformStore;
  readonly policy: PolicyState;
  readonly applications: ApplicationService;
  readonly webhooks: WebhookDelivery;
  readonly registry: SubgraphRegistry;
  readonly catalogue: CatalogueService;
  readonly objections: ObjectionService;
  /** The deadlines and limits in force (issue 13). */
  readonly settings: PlatformSettings;
  readonly grantExpiryWarnings: GrantExpiryWarnings;
  readonly audit: AuditLog;
  /** The working-day calendar's year notices (re-read from the database every second). */
  readonly calendarNotices: CalendarNotices;
  /** The platform's signing keys, from the store (shared by every replica). */
  readonly signingKeys: GatewayKeys;
  /** The console's sign-in: local accounts, sessions, OpenID Connect (issue 14). */
  readonly signIn: SignInService;
  /** The demo's local accounts, one per role (also in `<DATA_DIR>/demo/accounts.json`). */
  readonly demoAccounts: readonly DemoAccount[];
  readonly demoAccountsFile: string;
  readonly subgraphs: readonly SubgraphEndpoint[];
  /** The supervised subgraph processes (process mode): pid now (null while restarting) and restarts so far. */
  subgraphProcesses(): Record<string, { readonly pid: number | null; readonly restarts: number }>;
  readonly credentials: Credentials;
  readonly credentialsFile: string;
  /** Graceful: the gateway stops accepting at once, requests in flight get `graceMs`, then the audit trail closes with a checkpoint. */
  close(graceMs?: number): Promise<void>;
}

interface StartedSubgraph {
  readonly endpoint: SubgraphEndpoint;
  /** Tells the subgraph where the gateway publishes its key set, once it listens. */
  gatewayListening(jwksUrl: string): void;
  /** A child process's pid and restarts; null in this process. */
  process(): { readonly pid: number | null; readonly restarts: number } | null;
  close(): Promise<void>;
}

const SUBGRAPH_MAIN = fileURLToPath(new URL('../subgraphs/runtime/main.ts', import.meta.url));
/** A subgraph that has not said it is listening by then is reported as failed. */
const SUBGRAPH_START_TIMEOUT_MS = 300_000;

function startInProcess(definition: SubgraphDefinition, config: PlatformConfig, port: number, keys: GatewayKeys): Promise<StartedSubgraph> {
  return startSubgraphServer(definition, {
    storage: config.storage, host: config.host, port, world: loadWorld(config.dataDir),
    // R10: only a subgraph that stores secrets (licences) gets the platform key.
    ...(definition.sealSecretsAtRest ? { secrets: platformSecretSealer(config.platformKey) } : {}),
    // In this process the published keys are read where the gateway reads them: the store.
    security: { mode: 'enforced', publicKey: keys.contextKeySet, macKey: deriveSubgraphMacKey(keys.macRoot, definition.name) }, log: () => {},
  })
    .then((running: RunningSubgraph) => ({
      endpoint: { name: definition.name, url: running.url, typeDefs: definition.typeDefs },
      gatewayListening: () => {},
      process: () => null,
      close: () => running.close(),
    }));
}

async function startChildProcess(definition: SubgraphDefinition, config: PlatformConfig, port: number, keys: GatewayKeys, log: (message: string) => void): Promise<StartedSubgraph> {
  // The child trusts the platform's published key set (the keys now in its environment, then
  // the gateway's /.well-known/jwks.json), as a department's subgraph would; its own context
  // MAC key (and only its own) comes in the environment, never in a file.
  let jwksUrl: string | null = null;
  const publishedNow = JSON.stringify(toPublishedJwks((await keys.publicKeys('context')).values()));
  const child = await superviseChild({
    name: `subgraph ${definition.name}`,
    port,
    log,
    startTimeoutMs: SUBGRAPH_START_TIMEOUT_MS,
    spawn: (listenOn) => fork(SUBGRAPH_MAIN, [definition.name], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env, PORT: String(listenOn), HOST: config.host, DATA_DIR: config.dataDir,
        // The same store as ours, whatever the environment says (a test on SQLite beside a DATABASE_URL).
        DATABASE_URL: config.storage.kind === 'postgres' ? config.storage.url : '',
        GOVGRAPH_SCHEMA_PREFIX: config.storage.kind === 'postgres' ? config.storage.schemaPrefix ?? '' : '',
        // The same platform key as ours (R10), however our configuration was given.
        ...platformKeyEnvironment(config.platformKey),
        [SUBGRAPH_MAC_KEY_ENV]: deriveSubgraphMacKey(keys.macRoot, definition.name).toString('base64'),
        [CONTEXT_JWKS_ENV]: publishedNow,
        [JWKS_URL_ENV]: jwksUrl ?? '',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  });
  return {
    endpoint: { name: definition.name, url: child.url, typeDefs: definition.typeDefs },
    gatewayListening(url) {
      jwksUrl = url;
      child.tell({ type: 'jwks-url', url });
    },
    process: () => ({ pid: child.pid, restarts: child.restarts }),
    close: () => child.close(),
  };
}

export interface PlatformOptions {
  /** Operational lines as text; given without `logger`, the structured lines go through it too (tests pass `() => {}`). */
  readonly log?: (message: string) => void;
  /** The structured log (lib/logger.ts). @default this process's logger (platform/main.ts sets it from LOG_LEVEL) */
  readonly logger?: Logger;
  /** The gateway's static check; off only in the defence-in-depth test. @default true */
  readonly staticPolicyCheck?: boolean;
  /** Injected in tests to walk application deadlines. */
  readonly clock?: () => Date;
}

/** Who registers the platform's own subgraphs at start. */
const PLATFORM_IDENTITY: Identity = { credentialId: 'system:startup', kind: 'PLATFORM_ADMIN', department: 'dgo', name: 'platform start' };

/** How often unanswered applications are checked against their due date. */
const ESCALATION_SWEEP_MS = 60_000;
/** How often grants about to expire and overdue catalogue updates are looked for (their notices are sent once). */
const NOTICE_SWEEP_MS = 60_000;
/** How often the catalogue looks for a policy version it has not compared its entries with (R3). */
const CATALOGUE_SWEEP_MS = 5_000;

/**
 * The phases: open the control plane (stores, audit trail, services), start the subgraphs,
 * register them and start the gateway, then the background work; a failure after the first
 * phase closes what was opened.
 */
export async function startPlatform(config: PlatformConfig, options: PlatformOptions = {}): Promise<RunningPlatform> {
  // One all-in-one instance per DATA_DIR: a second refuses, naming the first (issue 15).
  const lock = acquireInstanceLock(config.dataDir);
  try {
    return await startAllInOne(config, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startAllInOne(config: PlatformConfig, options: PlatformOptions, lock: InstanceLock): Promise<RunningPlatform> {
  const { staticPolicyCheck = true } = options;
  const { logger, log } = platformLogging(options);
  const world = loadWorld(config.dataDir);
  saveWorld(config.dataDir, world);
  // The key files a newcomer's platform has always had under DATA_DIR/keys are its first keys
  // in the store (what they signed keeps verifying); from then on the store's keys sign.
  const fileKeys: FileKeys = { context: loadOrCreateSigningKeys(config.dataDir).privateKey, auditCheckpoint: loadOrCreateAuditKeys(config.dataDir).privateKey };
  const control = await openControlPlane(config, log, options.clock, { migrate: true, fileKeys });
  const { store, policy, registry, applications, catalogue, keys } = control;
  // Departments and purposes exist before anything is registered under them.
  if (!(await store.hasDepartments())) await seedDemoDepartments(store);
  // R12: the demo's licences are sealed through the issuer seal-key registry before their subgraph starts.
  await seedSealedDocuments(config.storage, world, store, SUBGRAPHS);

  const settled = await Promise.allSettled(
    SUBGRAPHS.map((definition, i) => {
      const port = config.subgraphPortBase ? config.subgraphPortBase + i : 0;
      return config.subgraphMode === 'inprocess' ? startInProcess(definition, config, port, keys) : startChildProcess(definition, config, port, keys, log);
    }),
  );
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
  const abort = async (error: unknown): Promise<never> => {
    await Promise.all(started.map((s) => s.close()));
    await control.close();
    throw error;
  };
  if (failed.length > 0) await abort(new Error(`platform did not start:\n${failed.map((e) => `  - ${e.message}`).join('\n')}`));
  const subgraphs = started.map((s) => s.endpoint);
  let gateway: RunningGateway | undefined;
  let tokens: TokenSource | undefined;
  try {
    tokens = await registerAndSeed(control, subgraphs, config.dataDir);
    gateway = await startGateway({
      ...gatewayOptions(config, control, log, logger, staticPolicyCheck, options.clock),
      graphiqlHeaders: { Authorization: `Bearer ${tokens.apps('mca')[0]?.token ?? ''}`, 'X-Purpose': 'ADMINISTRATIVE_BASIS' },
      // The sample query's $creditCode, so GraphiQL's first run answers instead of a 400.
      ...(world.samples().legalEntities[0] ? { graphiqlVariables: { creditCode: world.samples().legalEntities[0] } } : {}),
    });
  } catch (error) {
    await abort(error);
  }
  const jwksUrl = new URL(CONTEXT_JWKS_PATH, gateway!.url).href;
  for (const s of started) s.gatewayListening(jwksUrl);
  const background = startBackgroundWork(control, log, config.pollMs, options.clock);
  const { credentials, file } = writeCredentials(config.dataDir, { gatewayUrl: gateway!.url, subgraphs, world, tokens: tokens! });
  lock.describe({ gateway: gateway!.url, subgraphs: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])) });
  const demoAccounts = await ensureDemoAccounts(control.store, control.signIn, config.dataDir, new URL(gateway!.url).origin);
  return {
    gateway: gateway!,
    store,
    policy,
    registry,
    catalogue,
    objections: control.objections,
    settings: control.settings,
    grantExpiryWarnings: control.grantExpiryWarnings,
    audit: control.audit,
    calendarNotices: control.calendarNotices,
    signingKeys: keys,
    subgraphProcesses: () => Object.fromEntries(started.flatMap((s) => {
      const info = s.process();
      return info ? [[s.endpoint.name, info]] : [];
    })),
    signIn: control.signIn,
    demoAccounts,
    demoAccountsFile: demoAccountsFile(config.dataDir),
    applications,
    webhooks: background.webhooks,
    subgraphs,
    credentials,
    credentialsFile: file,
    async close(graceMs?: number) {
      await gateway!.close(graceMs);
      await background.stop();
      await control.audit.close();
      await Promise.all(started.map((s) => s.close()));
      await control.closeDatabases();
      lock.release();
    },
  };
}

/** A gateway replica: the control plane's services over the shared store, without the launcher's extras. */
export interface RunningReplica extends Omit<RunningPlatform, 'subgraphs' | 'subgraphProcesses' | 'credentials' | 'credentialsFile' | 'demoAccounts' | 'demoAccountsFile'> {
  /** How long the start took, in ms (store opened, keys read, supergraph loaded, port listening). */
  readonly startMs: number;
}

/**
 * `govgraph gateway` (issue 15): a stateless replica over the platform store. It starts no
 * subgraph, seeds nothing, registers nothing — the subgraphs are registered once, at stable
 * addresses, and it serves the supergraph the store holds — and signs with the store's keys,
 * as every other replica does. It migrates nothing either: on a schema older than this
 * version it refuses, asking for `govgraph migrate`.
 */
export async function startGatewayReplica(config: PlatformConfig, options: PlatformOptions = {}): Promise<RunningReplica> {
  const began = performance.now();
  const { staticPolicyCheck = true } = options;
  const { logger, log } = platformLogging(options);
  const control = await openControlPlane(config, log, options.clock, { migrate: false });
  let gateway: RunningGateway;
  try {
    const version = await control.registry.sync();
    if (!version) throw new Error('the platform store has no registered subgraphs yet: register them once (`govgraph subgraph publish`, or one all-in-one start), then start replicas');
    await control.policy.refresh();
    gateway = await startGateway(gatewayOptions(config, control, log, logger, staticPolicyCheck, options.clock));
  } catch (error) {
    await control.close();
    throw error;
  }
  const background = startBackgroundWork(control, log, config.pollMs, options.clock);
  return {
    gateway,
    store: control.store,
    policy: control.policy,
    registry: control.registry,
    catalogue: control.catalogue,
    objections: control.objections,
    settings: control.settings,
    grantExpiryWarnings: control.grantExpiryWarnings,
    audit: control.audit,
    calendarNotices: control.calendarNotices,
    signingKeys: control.keys,
    signIn: control.signIn,
    applications: control.applications,
    webhooks: background.webhooks,
    startMs: Math.round(performance.now() - began),
    async close(graceMs?: number) {
      await gateway.close(graceMs);
      await background.stop();
      await control.audit.close();
      await control.closeDatabases();
    },
  };
}

/** Where the platform's lines go (lib/logger.ts): the logger given, or lines over `log`, or this process's logger. */
function platformLogging(options: PlatformOptions): { logger: Logger; log: (message: string) => void } {
  const logger = options.logger ?? (options.log ? loggerOver(options.log) : defaultLogger());
  return { logger, log: options.log ?? logLine(logger.child({ component: 'platform' })) };
}

/** What every gateway (all-in-one or replica) is started with. */
function gatewayOptions(config: PlatformConfig, control: ControlPlane, log: (message: string) => void, logger: Logger, staticPolicyCheck: boolean, clock: (() => Date) | undefined) {
  return {
    registry: control.registry, host: config.host, port: config.port, subgraphTimeoutMs: config.subgraphTimeoutMs, log, logger,
    subgraphTls: subgraphClientTlsMaterial(config.subgraphTls),
    store: control.store, policy: control.policy, signingKeys: control.keys, staticPolicyCheck,
    rowAttributes: SUBGRAPHS.flatMap((s) => Object.keys(s.rowAttributes ?? {})),
    applications: control.applications, objections: control.objections, calendar: control.calendar, calendarNotices: control.calendarNotices,
    audit: control.audit, catalogue: control.catalogue, settings: control.settings,
    signIn: control.signIn,
    ...(clock ? { clock } : {}),
  };
}

/** The control plane's stores and services, wired to each other; nothing listens yet. */
interface ControlPlane {
  readonly audit: AuditLog;
  readonly store: PlatformStore;
  readonly registry: SubgraphRegistry;
  readonly policy: PolicyState;
  readonly calendar: WorkingDayCalendar;
  readonly calendarNotices: CalendarNotices;
  readonly applications: ApplicationService;
  readonly objections: ObjectionService;
  readonly catalogue: CatalogueService;
  readonly settings: PlatformSettings;
  readonly grantExpiryWarnings: GrantExpiryWarnings;
  /** The platform's signing keys (control/keys/gatewayKeys.ts). */
  readonly keys: GatewayKeys;
  readonly signIn: SignInService;
  /** The platform's and the catalogue's databases (the audit trail closes on its own). */
  closeDatabases(): Promise<void>;
  close(): Promise<void>;
}

/** How a process opens the control plane: the all-in-one migrates and brings its key files in; a replica does neither. */
interface ControlPlaneRole {
  readonly migrate: boolean;
  readonly fileKeys?: FileKeys;
}

async function openControlPlane(config: PlatformConfig, log: (message: string) => void, clock: (() => Date) | undefined, role: ControlPlaneRole): Promise<ControlPlane> {
  // R10: the key stored secrets are encrypted under; created (default key file) before any subgraph starts.
  const secrets = platformSecretSealer(config.platformKey);
  const platformDb: OpenedDatabase<PlatformDatabase> = await openDatabase<PlatformDatabase>(config.storage, 'platform');
  let keys: GatewayKeys;
  try {
    if (role.migrate) await migrateToLatest(platformDb.db, platformMigrations, 'platform', platformDb.schema);
    else {
      const pending = await pendingMigrations(platformDb.db, platformMigrations, platformDb.schema);
      if (pending.length > 0) throw new Error(`the platform store's schema is older than this version (pending: ${pending.join(', ')}): run \`govgraph migrate\` once, then start the replicas`);
    }
    // Issue 15: the signing keys every replica shares, from the store (the first start writes them).
    const keyStore = new SigningKeyStore(platformDb.db, secrets);
    if (role.fileKeys) await provisionSigningKeys(keyStore, 'platform start', role.fileKeys);
    keys = await GatewayKeys.open(keyStore);
  } catch (error) {
    await platformDb.close();
    throw error;
  }
  // R10: the access audit trail, in its own database; its chain head signed with the platform's checkpoint key.
  const audit = await AuditLog.open(config.storage, {
    signingKey: keys.auditCheckpoint.privateKey,
    onCheckpoint: (c) => log(`audit checkpoint ${c.seq} ${c.hash} signed ${c.signedAt} key ${c.keyId}`),
  });
  // Changes pushed to every replica sharing the store (issue 15); polling stays as the fallback.
  const changes = config.changeFeed === false ? NO_CHANGE_FEED : await openChangeFeed(config.storage, platformDb, { log });
  const store = new PlatformStore(platformDb.db, secrets, changes);
  // R10: webhook secrets stored in plain text by an older version (or under a previous key) are encrypted now.
  await sealWebhookSecretsAtRest(store);
  // R10, R12: issuers' private seal keys made under a previous platform key, likewise.
  await new SealKeyRegistry(store.db, secrets).sealAtRest();
  // Breaking changes are reported with who used the fields lately, from the audit trail.
  // Issue 16: subgraphs called outside the data path (probes, schemas, freshness) over the gateway's TLS settings.
  const subgraphCalls = subgraphHttp(subgraphClientTlsMaterial(config.subgraphTls));
  const registry: SubgraphRegistry = new SubgraphRegistry(store, {
    log,
    http: subgraphCalls,
    usage: (coordinates, since) => fieldUsage(audit, coordinates, since),
    // R8: @requires ships a field's values to the requiring subgraph; its department must be able to read it.
    mayRead: (department, coordinate): boolean => mayRequire(policy.current, department, coordinate),
  });
  const policy: PolicyState = new PolicyState(store, () => registry.subgraphSdls(), () => registry.owners());
  const calendar = WorkingDayCalendar.official(JSON.parse(readFileSync(config.calendarOverridesFile, 'utf8')) as CalendarOverrides);
  const clocked = clock ? { clock } : {};
  // The deadlines and limits in force, read from the store on each use: a change applies on every replica at once.
  const settings = new PlatformSettings(store.db, { ...clocked, changes });
  const applications = new ApplicationService({ store, calendar, snapshot: () => policy.current, policyChanged: () => policy.refresh(), settings, ...clocked });
  const objections = new ObjectionService({
    store, calendar, snapshot: () => policy.current, readersOf: (coordinate, key) => readersOf(audit, coordinate, key), settings, ...clocked,
  });
  const grantExpiryWarnings = new GrantExpiryWarnings({ store, calendar, snapshot: () => policy.current, settings, ...clocked });
  // The catalogue's own database (R2, R3); its entries follow the registered subgraphs and the policy.
  const catalogueDb = await openCatalogueDatabase(config.storage);
  const catalogue = new CatalogueService({
    db: catalogueDb.db,
    subgraphs: () => registry.subgraphSdls(),
    snapshot: () => policy.current,
    providers: () => store.departments(),
    calendar,
    freshness: httpFreshnessSource(() => registry.current.subgraphs, () => keys.context(), undefined, subgraphCalls),
    updateWorkingDays: () => settings.value('CATALOGUE_UPDATE_WORKING_DAYS'),
    reviewWorkingDays: () => settings.value('CATALOGUE_REVIEW_WORKING_DAYS'),
    // The catalogue's notices go to the platform's notifications, once each.
    notify: ({ toCoordinatingOffice, departments, ...notice }) =>
      noticeOnce(store.db, { ...notice, departments: [...departments, ...(toCoordinatingOffice ? [COORDINATOR] : [])] }, (clock ?? (() => new Date()))()),
    ...clocked,
  });
  // The coordinating office's year notices, laid over the calendar before any deadline is counted.
  const calendarNotices = new CalendarNotices({ store, calendar, catalogueDb: catalogueDb.db, settings, ...clocked });
  await calendarNotices.refresh();
  // R10: people sign in to the console (issue 14); TOTP secrets sealed under the platform key.
  const signIn = new SignInService({ store, audit, secrets, settings: config.signIn, ...clocked });
  const closeDatabases = async () => {
    await changes.close();
    await catalogueDb.close();
    await platformDb.close();
  };
  return {
    audit, store, registry, policy, calendar, calendarNotices, applications, objections, catalogue, settings, grantExpiryWarnings, keys, signIn, closeDatabases,
    async close() {
      await audit.close();
      await closeDatabases();
    },
  };
}

/** Registers the built-in subgraphs, seeds the demo, and builds the first catalogue edition; returns the demo tokens. */
async function registerAndSeed(control: ControlPlane, subgraphs: readonly SubgraphEndpoint[], dataDir: string): Promise<TokenSource> {
  const { registry, policy, store, applications, catalogue } = control;
  // The platform's own subgraphs are registered through the same path as any department's.
  await registry.publishAll(PLATFORM_IDENTITY, subgraphs.map((s) => ({
    name: s.name, department: SUBGRAPHS.find((d) => d.name === s.name)!.department, url: s.url, sdl: print(s.typeDefs),
  })), 'platform start: registering the built-in subgraphs at their current addresses');
  await policy.refresh();
  if (!(await store.isSeeded())) await seedDemoPlatform(store, policy, applications);
  // Issue 14: one demo person per role in the departments that need them (names; sign-in adds credentials).
  await seedDemoPeople(store);
  await policy.refresh();
  const tokens = await ensureDemoTokens(store, dataDir);
  // The first edition on a new platform; fails the start, naming the field, if a registered
  // subgraph has a field the catalogue cannot place.
  await catalogue.reconcile();
  return tokens;
}

/** Polling, webhook delivery and the periodic sweeps, once the gateway answers. */
function startBackgroundWork(control: ControlPlane, log: (message: string) => void, pollMs?: number, clock?: () => Date): { webhooks: WebhookDelivery; stop(): Promise<void> } {
  const { registry, policy, store, applications, catalogue } = control;
  // Each hears the change feed, and polls every pollMs in case a notification was lost.
  registry.startPolling((error) => log(`registry refresh failed: ${(error as Error).message}`), pollMs);
  // A context key rotated on any replica (or by `govgraph keys rotate-signing`) signs here within seconds.
  control.keys.startPolling((error) => log(`signing key refresh failed: ${(error as Error).message}`));
  policy.startPolling((error) => log(`policy refresh failed: ${(error as Error).message}`), pollMs);
  control.calendarNotices.startPolling((error) => log(`calendar notices refresh failed: ${(error as Error).message}`), pollMs);
  const webhooks = new WebhookDelivery(store, { log });
  webhooks.start();
  // R5: what stays unanswered after its due date (the answer days in force when submitted) goes to the coordinating office.
  const sweep = setInterval(() => void applications.escalateOverdue().catch((e) => log(`escalation sweep failed: ${(e as Error).message}`)), ESCALATION_SWEEP_MS);
  sweep.unref();
  void applications.escalateOverdue().catch((e) => log(`escalation sweep failed: ${(e as Error).message}`));
  // R9, R11: objections still open after their due date go to the coordinating office (once each).
  const escalateObjections = () => void control.objections.escalateOverdue().catch((e) => log(`objection escalation sweep failed: ${(e as Error).message}`));
  const objectionSweep = setInterval(escalateObjections, ESCALATION_SWEEP_MS);
  objectionSweep.unref();
  escalateObjections();
  // Issue 21: needs' consultations, rectification notices and catalogue reviews past due escalate (once each).
  const escalateGovernance = () => void sweepGovernanceDeadlines({ db: store.db, calendar: control.calendar, settings: control.settings, ...(clock ? { clock } : {}) })
    .catch((e) => log(`governance deadline sweep failed: ${(e as Error).message}`));
  const governanceSweep = setInterval(escalateGovernance, ESCALATION_SWEEP_MS);
  governanceSweep.unref();
  escalateGovernance();
  // R3: a policy change opens its catalogue update within seconds, whether or not anyone reads the catalogue.
  const catalogueSweep = setInterval(() => void catalogue.sync().catch((e) => log(`catalogue reconcile failed: ${(e as Error).message}`)), CATALOGUE_SWEEP_MS);
  catalogueSweep.unref();
  // Grants about to expire; catalogue update tasks opened (a notice that failed) or overdue: each told once.
  const notices = () => void Promise.all([
    control.grantExpiryWarnings.sweep().catch((e) => log(`grant expiry sweep failed: ${(e as Error).message}`)),
    catalogue.noticeUpdates().catch((e) => log(`catalogue notice sweep failed: ${(e as Error).message}`)),
    // Issue 21: catalogue reviews pending past their due date: the coordinating office is told once.
    catalogue.reviews.noticeOverdue().catch((e) => log(`catalogue review sweep failed: ${(e as Error).message}`)),
  ]);
  const noticeSweep = setInterval(notices, NOTICE_SWEEP_MS);
  noticeSweep.unref();
  notices();
  return {
    webhooks,
    async stop() {
      control.keys.stop();
      policy.stop();
      registry.stop();
      control.calendarNotices.stop();
      clearInterval(sweep);
      clearInterval(catalogueSweep);
      clearInterval(objectionSweep);
      clearInterval(governanceSweep);
      clearInterval(noticeSweep);
      await webhooks.stop();
    },
  };
}
