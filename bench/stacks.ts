/**
 * Starting and stopping the three stacks the benchmark compares, each as its own process group
 * (so that stopping one stops every subgraph process it started, and nothing is left behind):
 *
 *  - `govgraph`: the real platform exactly as `npm start` runs it (platform/main.ts, subgraphs
 *    as child processes), on a free port, over the bench data directory;
 *  - `baseline`: bench/baselineStack.ts — the same subgraph code unprotected, behind a plain
 *    @apollo/gateway, over the same database files;
 *  - `hive`: Hive Gateway (`@graphql-hive/gateway`, dev dependency) with its Rust query planner
 *    (`--hive-router-runtime`, `@graphql-hive/router-runtime`), serving the baseline's
 *    supergraph over the baseline's own subgraph processes. Offline: the supergraph from a
 *    file, no usage reporting, tracing or CDN (no token or endpoint reaches it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Credentials } from '../platform/credentials.ts';
import type { StackProcesses } from './cpu.ts';

export type StackName = 'baseline' | 'govgraph' | 'hive';
/** In the order of the table's columns. */
export const STACK_NAMES: readonly StackName[] = ['baseline', 'govgraph', 'hive'];

export interface RunningStack {
  readonly name: StackName;
  /** Where GraphQL requests go (POST). */
  readonly url: string;
  /** Headers every request carries (content type, and for govgraph token and purpose). */
  readonly headers: Readonly<Record<string, string>>;
  readonly subgraphs: Readonly<Record<string, string>>;
  /** The process-group leader. */
  readonly pid: number;
  /** Which processes its CPU is counted over: its gateway, and the subgraphs that gateway calls. */
  readonly processes: StackProcesses;
  /** Where the stack's stdout and stderr go. */
  readonly logFile: string;
  stop(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GATEWAY_MAIN = join(ROOT, 'platform', 'main.ts');
const BASELINE_MAIN = fileURLToPath(new URL('./baselineStack.ts', import.meta.url));
/** Seeding the demo world on a first start takes a while on a slow machine. */
const START_TIMEOUT_MS = 240_000;
const STOP_GRACE_MS = 10_000;

/** The purpose govgraph's requests declare (a grant of the mca app covers it). */
export const BENCH_PURPOSE = 'ADMINISTRATIVE_BASIS';
/** The department whose first app token govgraph's requests carry. */
export const BENCH_DEPARTMENT = 'mca';

/** Every process group started and not yet stopped, for the last-resort kill on exit. */
const liveGroups = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Synchronous, for `process.on('exit')`: SIGKILL whatever is still running. */
export function killAllStacksNow(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid!;
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      // The leader waits for its subgraphs before exiting; anything left in the group is a straggler.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
      resolve();
    };
    const timer = setTimeout(finish, STOP_GRACE_MS);
    if (child.exitCode !== null || child.signalCode !== null) return finish();
    child.once('exit', finish);
    killGroup(pid, 'SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A child in its own process group, stdout and stderr to a log file; TypeScript (tsx) unless `plainNode`. */
function spawnGroup(args: string[], env: NodeJS.ProcessEnv, logFile: string, ipc: boolean, plainNode = false): ChildProcess {
  const fd = openSync(logFile, 'w');
  try {
    const child = spawn(process.execPath, [...(plainNode ? [] : ['--import', 'tsx']), ...args], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', fd, fd, ...(ipc ? ['ipc' as const] : [])],
    });
    if (child.pid === undefined) throw new Error(`could not start ${args.join(' ')}`);
    liveGroups.add(child.pid);
    return child;
  } finally {
    closeSync(fd);
  }
}

/** The environment both stacks start from: nothing that would point them elsewhere. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // Tracing too (issue 16): the benchmark runs with it off unless `--tracing` asks for it.
  for (const name of ['DATABASE_URL', 'SUBGRAPH_PORT_BASE', 'PORT', 'HOST', 'DATA_DIR', 'GOVGRAPH_SUBGRAPHS', 'GOVGRAPH_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) delete env[name];
  return env;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `extraEnv`: e.g. NODE_OPTIONS for a profile (bench/profile.ts); reaches the subgraph processes too. */
export async function startGovgraph(dataDir: string, logDir: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<RunningStack> {
  mkdirSync(logDir, { recursive: true });
  const credentialsFile = join(dataDir, 'demo', 'credentials.json');
  // Written by this start, not left over from the last one.
  rmSync(credentialsFile, { force: true });
  const port = await freePort();
  const logFile = join(logDir, 'govgraph.log');
  const child = spawnGroup(
    [GATEWAY_MAIN],
    { ...cleanEnv(), ...extraEnv, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, GOVGRAPH_SUBGRAPHS: 'process' },
    logFile,
    false,
  );
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? `code ${code}`})`;
  });
  const stop = () => stopGroup(child);
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const readyz = `http://127.0.0.1:${port}/readyz`;
    for (;;) {
      if (exited) throw new Error(`govgraph ${exited} before it was ready`);
      if (Date.now() > deadline) throw new Error(`govgraph was not ready within ${START_TIMEOUT_MS / 1000} s`);
      if (existsSync(credentialsFile)) {
        const ok = await fetch(readyz, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
        if (ok) break;
      }
      await sleep(250);
    }
    const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials;
    const benchApp = credentials.departments.find((d) => d.code === BENCH_DEPARTMENT)?.apps[0];
    const token = benchApp?.token;
    if (!token) throw new Error(`${credentialsFile} lists no app token for department ${BENCH_DEPARTMENT}`);
    // A load test is far beyond an app's default rate limits (600 requests, 3000 keys a minute):
    // raise the bench app's, as an operator would for a load-test app.
    const raised = await fetch(credentials.admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credentials.platformAdminToken}` },
      body: JSON.stringify({ query: 'mutation($a: ID!) { setAppRateLimit(appId: $a, requestsPerMinute: 10000000, keysPerMinute: 10000000, reason: "load test") { appId } }', variables: { a: benchApp.id } }),
    }).then((r) => r.json() as Promise<{ errors?: { message: string }[] }>);
    if (raised.errors) throw new Error(`cannot raise the bench app's rate limits: ${raised.errors[0]!.message}`);
    return {
      name: 'govgraph',
      url: credentials.gateway,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': BENCH_PURPOSE },
      subgraphs: credentials.subgraphs,
      pid: child.pid!,
      processes: { gatewayGroup: child.pid!, gateway: 'leader', subgraphGroup: child.pid! },
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${logFile} (last lines) ---\n${tail(logFile)}`);
  }
}

/** The baseline, and the supergraph it composed (Hive Gateway serves the same one). */
export interface RunningBaseline extends RunningStack {
  readonly supergraphSdl: string;
}

export async function startBaseline(dataDir: string, logDir: string): Promise<RunningBaseline> {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'baseline.log');
  const child = spawnGroup([BASELINE_MAIN, dataDir], cleanEnv(), logFile, true);
  const stop = () => stopGroup(child);
  try {
    const ready = await new Promise<{ url: string; subgraphs: Record<string, string>; supergraphSdl: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the baseline stack was not ready within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the baseline stack exited (${signal ?? `code ${code}`}) before it was ready`));
      });
      child.on('message', (message: { type?: string; url?: string; subgraphs?: Record<string, string>; supergraphSdl?: string }) => {
        if (message.type !== 'ready' || !message.url || !message.supergraphSdl) return;
        clearTimeout(timer);
        resolve({ url: message.url, subgraphs: message.subgraphs ?? {}, supergraphSdl: message.supergraphSdl });
      });
    });
    return {
      name: 'baseline',
      url: ready.url,
      headers: { 'content-type': 'application/json' },
      subgraphs: ready.subgraphs,
      supergraphSdl: ready.supergraphSdl,
      pid: child.pid!,
      processes: { gatewayGroup: child.pid!, gateway: 'leader', subgraphGroup: child.pid! },
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${logFile} (last lines) ---\n${tail(logFile)}`);
  }
}

/** Environment variables through which Hive Gateway would report, trace, or fetch elsewhere. */
const HIVE_ONLINE_VARIABLES = /^(HIVE_|APOLLO_|OTEL_|OPENTELEMETRY|GRAPHOS|CONFIG_PATH$|FORK$|POLLING$|JIT$)/;

/** The `hive-gateway` command's entry point, from the installed dev dependency. */
function hiveGatewayBin(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('@graphql-hive/gateway/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(packageJson), bin['hive-gateway']!);
}

/**
 * Hive Gateway with its Rust query planner, one process (`--fork 1`), over the baseline's
 * subgraph processes and its supergraph (written to the data directory). Answers at `/graphql`;
 * ready once `/readiness` says so.
 */
export async function startHive(dataDir: string, logDir: string, baseline: RunningBaseline): Promise<RunningStack> {
  mkdirSync(logDir, { recursive: true });
  const supergraphFile = join(dataDir, 'hive-supergraph.graphql');
  writeFileSync(supergraphFile, baseline.supergraphSdl);
  const port = await freePort();
  const logFile = join(logDir, 'hive.log');
  const env = cleanEnv();
  for (const name of Object.keys(env)) if (HIVE_ONLINE_VARIABLES.test(name)) delete env[name];
  const child = spawnGroup(
    [hiveGatewayBin(), 'supergraph', supergraphFile, '--hive-router-runtime', '--fork', '1', '--host', '127.0.0.1', '--port', String(port), '--polling', '1h'],
    { ...env, NODE_ENV: 'production' },
    logFile,
    false,
    true,
  );
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? `code ${code}`})`;
  });
  const stop = () => stopGroup(child);
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const origin = `http://127.0.0.1:${port}`;
    for (;;) {
      if (exited) throw new Error(`Hive Gateway ${exited} before it was ready`);
      if (Date.now() > deadline) throw new Error(`Hive Gateway was not ready within ${START_TIMEOUT_MS / 1000} s`);
      const ok = await fetch(`${origin}/readiness`, { signal: AbortSignal.timeout(3000) }).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(250);
    }
    const started = readFileSync(logFile, 'utf8');
    if (!started.includes('Using Hive Router Runtime') || started.includes('Could not load the @graphql-hive/router-runtime')) throw new Error('Hive Gateway started without its Rust planner (@graphql-hive/router-runtime)');
    return {
      name: 'hive',
      url: `${origin}/graphql`,
      headers: { 'content-type': 'application/json' },
      subgraphs: baseline.subgraphs,
      pid: child.pid!,
      // Its own process group is the gateway; its subgraphs are the baseline's processes.
      processes: { gatewayGroup: child.pid!, gateway: 'group', subgraphGroup: baseline.pid },
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${logFile} (last lines) ---\n${tail(logFile)}`);
  }
}
