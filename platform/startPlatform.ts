/**
 * The whole platform on one machine: every department subgraph (as its own process, or in
 * this process for tests), then the gateway composed over them, then
 * `<DATA_DIR>/demo/credentials.json` for clients and checks.
 */
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
import { loadOrCreateSigningKeys, type SigningKeys } from '../lib/sharingContext.ts';
import { platformKeyEnvironment, platformSecretSealer } from '../lib/platformKeys.ts';
import { sealWebhookSecretsAtRest } from '../control/notifications/webhookSecrets.ts';
import { deriveSubgraphMacKey, SUBGRAPH_MAC_KEY_ENV } from '../lib/contextMac.ts';
import { openDatabase, type OpenedDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import { platformMigrations } from '../control/store/migrations.ts';
import { PlatformStore, type PlatformDatabase } from '../control/store/platformStore.ts';
import { ensureDemoTokens, seedDemoDepartments, seedDemoPlatform } from './demoSeed.ts';
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
import { PlatformSettings } from '../control/settings/platformSettings.ts';
import { GrantExpiryWarnings } from '../control/applications/grantExpiryWarnings.ts';
import { noticeOnce } from '../control/notifications/noticeOnce.ts';
import { COORDINATOR } from '../control/applications/applicationService.ts';
import { CalendarNotices } from '../control/calendar/calendarNotices.ts';

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
  readonly subgraphs: readonly SubgraphEndpoint[];
  readonly credentials: Credentials;
  readonly credentialsFile: string;
  /** Graceful: the gateway stops accepting at once, requests in flight get `graceMs`, then the audit trail closes with a checkpoint. */
  close(graceMs?: number): Promise<void>;
}

interface StartedSubgraph {
  readonly endpoint: SubgraphEndpoint;
  close(): Promise<void>;
}

const SUBGRAPH_MAIN = fileURLToPath(new URL('../subgraphs/runtime/main.ts', import.meta.url));
/** A subgraph that has not said it is listening by then is reported as failed. */
const SUBGRAPH_START_TIMEOUT_MS = 120_000;

function startInProcess(definition: SubgraphDefinition, config: PlatformConfig, port: number, keys: SigningKeys): Promise<StartedSubgraph> {
  return startSubgraphServer(definition, {
    storage: config.storage, host: config.host, port, world: loadWorld(config.dataDir),
    // R10: only a subgraph that stores secrets (licences) gets the platform key.
    ...(definition.sealSecretsAtRest ? { secrets: platformSecretSealer(config.platformKey) } : {}),
    security: { mode: 'enforced', publicKey: keys.publicKey, macKey: deriveSubgraphMacKey(keys.privateKey, definition.name) }, log: () => {},
  })
    .then((running: RunningSubgraph) => ({
      endpoint: { name: definition.name, url: running.url, typeDefs: definition.typeDefs },
      close: () => running.close(),
    }));
}

function startChildProcess(definition: SubgraphDefinition, config: PlatformConfig, port: number, keys: SigningKeys): Promise<StartedSubgraph> {
  // The child reads the gateway's public key from DATA_DIR/keys, as a department would; its own
  // context MAC key (and only its own) comes in the environment, never in a file.
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(SUBGRAPH_MAIN, [definition.name], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env, PORT: String(port), HOST: config.host, DATA_DIR: config.dataDir,
        // The same store as ours, whatever the environment says (a test on SQLite beside a DATABASE_URL).
        DATABASE_URL: config.storage.kind === 'postgres' ? config.storage.url : '',
        // The same platform key as ours (R10), however our configuration was given.
        ...platformKeyEnvironment(config.platformKey),
        [SUBGRAPH_MAC_KEY_ENV]: deriveSubgraphMacKey(keys.privateKey, definition.name).toString('base64'),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`subgraph ${definition.name} did not start within ${SUBGRAPH_START_TIMEOUT_MS / 1000} s`));
    }, SUBGRAPH_START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`subgraph ${definition.name} exited with code ${code} before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        endpoint: { name: definition.name, url: message.url, typeDefs: definition.typeDefs },
        close: () => new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(kill);
            done();
          });
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

export interface PlatformOptions {
  readonly log?: (message: string) => void;
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
  const { log = (m: string) => console.log(m), staticPolicyCheck = true } = options;
  const world = loadWorld(config.dataDir);
  saveWorld(config.dataDir, world);
  const keys = loadOrCreateSigningKeys(config.dataDir);
  const control = await openControlPlane(config, keys, log, options.clock);
  const { store, policy, registry, applications, catalogue } = control;
  // Departments and purposes exist before anything is registered under them.
  if (!(await store.hasDepartments())) await seedDemoDepartments(store);

  const settled = await Promise.allSettled(
    SUBGRAPHS.map((definition, i) => {
      const port = config.subgraphPortBase ? config.subgraphPortBase + i : 0;
      return config.subgraphMode === 'inprocess' ? startInProcess(definition, config, port, keys) : startChildProcess(definition, config, port, keys);
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
      registry, host: config.host, port: config.port, subgraphTimeoutMs: config.subgraphTimeoutMs, log,
      store, policy, signingKeys: keys, staticPolicyCheck,
      rowAttributes: SUBGRAPHS.flatMap((s) => Object.keys(s.rowAttributes ?? {})),
      applications, objections: control.objections, calendar: control.calendar, calendarNotices: control.calendarNotices, audit: control.audit, catalogue, settings: control.settings,
      ...(options.clock ? { clock: options.clock } : {}),
      graphiqlHeaders: { Authorization: `Bearer ${tokens.apps('mca')[0]?.token ?? ''}`, 'X-Purpose': 'ADMINISTRATIVE_BASIS' },
      // The sample query's $creditCode, so GraphiQL's first run answers instead of a 400.
      ...(world.samples().legalEntities[0] ? { graphiqlVariables: { creditCode: world.samples().legalEntities[0] } } : {}),
    });
  } catch (error) {
    await abort(error);
  }
  const background = startBackgroundWork(control, log);
  const { credentials, file } = writeCredentials(config.dataDir, { gatewayUrl: gateway!.url, subgraphs, world, tokens: tokens! });
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
    },
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
  /** The platform's and the catalogue's databases (the audit trail closes on its own). */
  closeDatabases(): Promise<void>;
  close(): Promise<void>;
}

async function openControlPlane(config: PlatformConfig, keys: SigningKeys, log: (message: string) => void, clock: (() => Date) | undefined): Promise<ControlPlane> {
  // R10: the key stored secrets are encrypted under; created (default key file) before any subgraph starts.
  const secrets = platformSecretSealer(config.platformKey);
  // R10: the access audit trail, in its own database; its chain head signed with its own key.
  const audit = await AuditLog.open(config.storage, {
    signingKey: loadOrCreateAuditKeys(config.dataDir).privateKey,
    onCheckpoint: (c) => log(`audit checkpoint ${c.seq} ${c.hash} signed ${c.signedAt} key ${c.keyId}`),
  });
  const platformDb: OpenedDatabase<PlatformDatabase> = await openDatabase<PlatformDatabase>(config.storage, 'platform');
  await migrateToLatest(platformDb.db, platformMigrations, 'platform', platformDb.schema);
  const store = new PlatformStore(platformDb.db, secrets);
  // R10: webhook secrets stored in plain text by an older version (or under a previous key) are encrypted now.
  await sealWebhookSecretsAtRest(store);
  // Breaking changes are reported with who used the fields lately, from the audit trail.
  const registry: SubgraphRegistry = new SubgraphRegistry(store, {
    log,
    usage: (coordinates, since) => fieldUsage(audit, coordinates, since),
    // R8: @requires ships a field's values to the requiring subgraph; its department must be able to read it.
    mayRead: (department, coordinate): boolean => mayRequire(policy.current, department, coordinate),
  });
  const policy: PolicyState = new PolicyState(store, () => registry.subgraphSdls(), () => registry.owners());
  const calendar = WorkingDayCalendar.official(JSON.parse(readFileSync(config.calendarOverridesFile, 'utf8')) as CalendarOverrides);
  const clocked = clock ? { clock } : {};
  // The deadlines and limits in force, read from the store on each use: a change applies on every replica at once.
  const settings = new PlatformSettings(store.db, clocked);
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
    freshness: httpFreshnessSource(() => registry.current.subgraphs, keys.privateKey),
    updateWorkingDays: () => settings.value('CATALOGUE_UPDATE_WORKING_DAYS'),
    // The catalogue's notices go to the platform's notifications, once each.
    notify: ({ toCoordinatingOffice, departments, ...notice }) =>
      noticeOnce(store.db, { ...notice, departments: [...departments, ...(toCoordinatingOffice ? [COORDINATOR] : [])] }, (clock ?? (() => new Date()))()),
    ...clocked,
  });
  // The coordinating office's year notices, laid over the calendar before any deadline is counted.
  const calendarNotices = new CalendarNotices({ store, calendar, catalogueDb: catalogueDb.db, ...clocked });
  await calendarNotices.refresh();
  const closeDatabases = async () => {
    await catalogueDb.close();
    await platformDb.close();
  };
  return {
    audit, store, registry, policy, calendar, calendarNotices, applications, objections, catalogue, settings, grantExpiryWarnings, closeDatabases,
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
  await policy.refresh();
  const tokens = await ensureDemoTokens(store, dataDir);
  // The first edition on a new platform; fails the start, naming the field, if a registered
  // subgraph has a field the catalogue cannot place.
  await catalogue.reconcile();
  return tokens;
}

/** Polling, webhook delivery and the periodic sweeps, once the gateway answers. */
function startBackgroundWork(control: ControlPlane, log: (message: string) => void): { webhooks: WebhookDelivery; stop(): Promise<void> } {
  const { registry, policy, store, applications, catalogue } = control;
  registry.startPolling((error) => log(`registry refresh failed: ${(error as Error).message}`));
  policy.startPolling((error) => log(`policy refresh failed: ${(error as Error).message}`));
  control.calendarNotices.startPolling((error) => log(`calendar notices refresh failed: ${(error as Error).message}`));
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
  // R3: a policy change opens its catalogue update within seconds, whether or not anyone reads the catalogue.
  const catalogueSweep = setInterval(() => void catalogue.sync().catch((e) => log(`catalogue reconcile failed: ${(e as Error).message}`)), CATALOGUE_SWEEP_MS);
  catalogueSweep.unref();
  // Grants about to expire; catalogue update tasks opened (a notice that failed) or overdue: each told once.
  const notices = () => void Promise.all([
    control.grantExpiryWarnings.sweep().catch((e) => log(`grant expiry sweep failed: ${(e as Error).message}`)),
    catalogue.noticeUpdates().catch((e) => log(`catalogue notice sweep failed: ${(e as Error).message}`)),
  ]);
  const noticeSweep = setInterval(notices, NOTICE_SWEEP_MS);
  noticeSweep.unref();
  notices();
  return {
    webhooks,
    async stop() {
      policy.stop();
      registry.stop();
      control.calendarNotices.stop();
      clearInterval(sweep);
      clearInterval(catalogueSweep);
      clearInterval(objectionSweep);
      clearInterval(noticeSweep);
      await webhooks.stop();
    },
  };
}
