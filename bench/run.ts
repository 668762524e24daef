/**
 * `npm run bench`: govgraph against a plain @apollo/gateway and against Hive Gateway with its
 * Rust query planner, in the same run, on the same subgraph code and the same database files
 * (Hive and the plain gateway over the very same unprotected subgraph processes).
 *
 *   npm run bench                     10 s per measurement, ABBA order (see below)
 *   npm run bench -- --quick          3 s per measurement, one AB pass: a smoke run
 *   npm run bench -- --duration 30 --connections 10,50,100 --scenario three-subgraph
 *   npm run bench -- --tracing        govgraph with tracing on (issue 16): every span sent by
 *                                     OTLP/HTTP to a receiver in this process, which counts them
 *
 * Order: within each (scenario, connections) cell the stacks run back to back, in the order
 * baseline, govgraph, hive, hive, govgraph, baseline (--rounds 2, the default; more rounds keep
 * alternating). Anything that drifts over the cell — other processes on the machine, SQLite
 * pages warming, JIT — falls on both stacks alike, and each stack's two runs show how far
 * one measurement can be trusted. Each run has its own warm-up, discarded.
 *
 * Output: a table on stdout, bench/results/latest.json and bench/results/<time>.json.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadWorld } from '../demo/worldFile.ts';
import type { DemoWorld } from '../demo/world.ts';
import { SCENARIOS, requestBodies, type Scenario } from './scenarios.ts';
import { BENCH_DEPARTMENT, BENCH_PURPOSE, killAllStacksNow, STACK_NAMES, startBaseline, startGovgraph, startHive, type RunningStack, type StackName } from './stacks.ts';
import { runLoad, sendOne, type LoadFigures } from './load.ts';
import { cpuBetween, cpuSnapshot, type CpuFigures, type CpuSnapshot } from './cpu.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
/** Runs of one stack in one cell whose req/s differ by more than this (relative to their mean) are flagged. */
const VARIANCE_FLAG = 0.15;
/** Runs during which processes outside the benchmark kept more than this many cores busy are flagged. */
const FOREIGN_CPU_FLAG = 0.25;

interface Settings {
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
  readonly connections: readonly number[];
  readonly scenarios: readonly string[];
  readonly dataDir: string;
  readonly quick: boolean;
  /** At most this many seconds before each run waiting for other processes to quiet down. */
  readonly quietWaitS: number;
  /** govgraph with tracing on, its spans sent to `spanSink` (issue 16). @default false */
  readonly tracing: boolean;
}

function parseSettings(argv: string[]): Settings {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      'quiet-wait': { type: 'string' },
      tracing: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(`usage: npm run bench -- [--quick] [--duration S] [--warmup S] [--rounds N] [--connections 10,50] [--scenario NAME]… [--quiet-wait S] [--data-dir DIR] [--tracing]
scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);
    process.exit(0);
  }
  const positive = (name: string, raw: string | undefined, fallback: number, min = 1): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, received ${JSON.stringify(raw)}`);
    return n;
  };
  const quick = values.quick ?? false;
  const connections = (values.connections ?? '10,50').split(',').map((c) => positive('connections', c.trim(), 0));
  const scenarios = values.scenario ?? SCENARIOS.map((s) => s.name);
  for (const name of scenarios) {
    if (!SCENARIOS.some((s) => s.name === name)) throw new Error(`no scenario ${JSON.stringify(name)}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return {
    quick,
    durationS: positive('duration', values.duration, quick ? 3 : 10),
    warmupS: positive('warmup', values.warmup, 3, 0),
    rounds: Math.round(positive('rounds', values.rounds, quick ? 1 : 2)),
    connections,
    scenarios,
    quietWaitS: positive('quiet-wait', values['quiet-wait'], quick ? 0 : 10, 0),
    dataDir: resolve(values['data-dir'] ?? join(ROOT, 'data', 'bench')),
    tracing: values.tracing ?? false,
  };
}

// --- checks outside the timed loop ---------------------------------------------------------

interface SampleCheck {
  readonly scenario: string;
  readonly index: number;
  readonly variables: Record<string, unknown>;
  readonly problems: Partial<Record<StackName, string>>;
  /** Whether every stack answered with the same data. */
  readonly sameData: boolean;
}

async function sampleCheck(scenario: Scenario, world: DemoWorld, stacks: readonly RunningStack[]): Promise<SampleCheck[]> {
  const size = scenario.size(world);
  const indexes = [...new Set([0, 1, 2, Math.floor(size / 2), size - 1])];
  const checks: SampleCheck[] = [];
  for (const i of indexes) {
    const variables = scenario.variables(world, i);
    const body = JSON.stringify({ query: scenario.query, variables });
    const problems: Partial<Record<StackName, string>> = {};
    const data: Partial<Record<StackName, string>> = {};
    for (const stack of stacks) {
      try {
        const { status, json } = await sendOne(stack.url, stack.headers, body);
        data[stack.name] = JSON.stringify(json?.data);
        const problem = status !== 200
          ? `HTTP ${status}: ${JSON.stringify(json).slice(0, 300)}`
          : json?.errors
            ? `errors: ${JSON.stringify(json.errors).slice(0, 300)}`
            : scenario.check(json?.data, world, i);
        if (problem) problems[stack.name] = problem;
      } catch (error) {
        problems[stack.name] = (error as Error).message;
      }
    }
    checks.push({ scenario: scenario.name, index: i, variables, problems, sameData: new Set(Object.values(data)).size === 1 });
  }
  return checks;
}

// --- the measurements ----------------------------------------------------------------------

interface Run {
  readonly stack: StackName;
  readonly round: number;
  readonly figures: LoadFigures;
  /** Null where /proc is not available. */
  readonly cpu: CpuFigures | null;
  /** The stack's CPU time (gateway and subgraphs) per request answered. */
  readonly cpuMsPerRequest: number | null;
  /** Of which its gateway's, and its subgraphs'. */
  readonly gatewayCpuMsPerRequest: number | null;
  readonly subgraphsCpuMsPerRequest: number | null;
  /** Seconds spent before the run waiting for other processes to quiet down. */
  readonly quietWaitS: number;
}

interface StackSummary {
  readonly requestsPerSecond: number;
  readonly requestsPerSecondRuns: readonly number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: { readonly non2xx: number; readonly graphqlErrors: number; readonly socketErrors: number; readonly timeouts: number };
  /** (max − min) / mean of the runs' req/s. */
  readonly spread: number;
  /** Mean over the runs; null without /proc. */
  readonly cpuMsPerRequest: number | null;
  readonly gatewayCpuMsPerRequest: number | null;
  readonly subgraphsCpuMsPerRequest: number | null;
  /** The most cores processes outside the benchmark kept busy during one of the runs. */
  readonly foreignCoresMax: number | null;
}

interface Cell {
  readonly scenario: string;
  readonly connections: number;
  readonly runs: readonly Run[];
  readonly summary: Record<StackName, StackSummary>;
  /** govgraph req/s ÷ baseline (plain Apollo) req/s. */
  readonly ratio: number;
  /** govgraph req/s ÷ Hive Gateway req/s. */
  readonly ratioHive: number;
  readonly flags: readonly string[];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

function summarise(runs: readonly Run[], stack: StackName): StackSummary {
  const runsOf = runs.filter((r) => r.stack === stack);
  const mine = runsOf.map((r) => r.figures);
  const meanOf = (pick: (r: Run) => number | null) => {
    const xs = runsOf.flatMap((r) => { const x = pick(r); return x === null ? [] : [x]; });
    return xs.length > 0 ? mean(xs) : null;
  };
  const foreign = runsOf.flatMap((r) => (r.cpu ? [r.cpu.foreignCores] : []));
  const rps = mine.map((f) => f.requestsPerSecond);
  const average = mean(rps);
  return {
    requestsPerSecond: average,
    requestsPerSecondRuns: rps,
    p50Ms: mean(mine.map((f) => f.latencyMs.p50)),
    p99Ms: mean(mine.map((f) => f.latencyMs.p99)),
    errors: {
      non2xx: mine.reduce((n, f) => n + f.non2xx, 0),
      graphqlErrors: mine.reduce((n, f) => n + f.graphqlErrors, 0),
      socketErrors: mine.reduce((n, f) => n + f.socketErrors, 0),
      timeouts: mine.reduce((n, f) => n + f.timeouts, 0),
    },
    spread: average > 0 ? (Math.max(...rps) - Math.min(...rps)) / average : 0,
    cpuMsPerRequest: meanOf((r) => r.cpuMsPerRequest),
    gatewayCpuMsPerRequest: meanOf((r) => r.gatewayCpuMsPerRequest),
    subgraphsCpuMsPerRequest: meanOf((r) => r.subgraphsCpuMsPerRequest),
    foreignCoresMax: foreign.length > 0 ? Math.max(...foreign) : null,
  };
}

/** baseline, govgraph, hive, hive, govgraph, baseline, …: each round reverses the last. */
function orderOf(round: number): StackName[] {
  return round % 2 === 0 ? [...STACK_NAMES] : [...STACK_NAMES].reverse();
}

/**
 * Waits (at most maxS seconds, in 1 s windows) until processes outside the benchmark keep
 * fewer than FOREIGN_CPU_FLAG cores busy; returns the seconds waited.
 */
async function waitForQuiet(stacks: Stacks, maxS: number): Promise<number> {
  const began = performance.now();
  const groups = STACK_NAMES.map((n) => stacks[n].pid);
  while ((performance.now() - began) / 1000 < maxS) {
    const before = cpuSnapshot(groups);
    if (!before) return 0;
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = cpuBetween(before, cpuSnapshot(groups), stacks.govgraph.processes);
    if (!cpu || cpu.foreignCores <= FOREIGN_CPU_FLAG) break;
  }
  return (performance.now() - began) / 1000;
}

// --- output --------------------------------------------------------------------------------

/** Short names in the table and its flags. */
const LABEL: Record<StackName, string> = { baseline: 'apollo', govgraph: 'gov', hive: 'hive' };

function table(cells: readonly Cell[]): string {
  const header = [
    'scenario', 'conns',
    ...STACK_NAMES.map((n) => `req/s ${LABEL[n]}`), 'gov/apollo', 'gov/hive',
    ...STACK_NAMES.map((n) => `p99 ${LABEL[n]}`),
    ...STACK_NAMES.map((n) => `cpu/req ${LABEL[n]} (gw+sg)`),
    'other', 'flags',
  ];
  const fmt = (n: number | null, digits = 0) => (n !== null && Number.isFinite(n) ? n.toFixed(digits) : '—');
  const cpuOf = (s: StackSummary) => `${fmt(s.cpuMsPerRequest, 2)} (${fmt(s.gatewayCpuMsPerRequest, 2)}+${fmt(s.subgraphsCpuMsPerRequest, 2)})`;
  const rows = cells.map((c) => {
    const foreign = STACK_NAMES.flatMap((n) => (c.summary[n].foreignCoresMax === null ? [] : [c.summary[n].foreignCoresMax!]));
    return [
      c.scenario,
      String(c.connections),
      ...STACK_NAMES.map((n) => fmt(c.summary[n].requestsPerSecond)),
      fmt(c.ratio, 2),
      fmt(c.ratioHive, 2),
      ...STACK_NAMES.map((n) => fmt(c.summary[n].p99Ms, 1)),
      ...STACK_NAMES.map((n) => cpuOf(c.summary[n])),
      fmt(foreign.length > 0 ? Math.max(...foreign) : null, 2),
      c.flags.join(' ') || 'ok',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 || i === cols.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function writeResults(report: unknown, startedAt: Date): { latest: string; stamped: string } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const text = JSON.stringify(report, null, 2) + '\n';
  const stamp = startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const write = (file: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
    return file;
  };
  return { stamped: write(join(RESULTS_DIR, `${stamp}.json`)), latest: write(join(RESULTS_DIR, 'latest.json')) };
}

// --- orchestration -------------------------------------------------------------------------

const started: RunningStack[] = [];
let stopping: Promise<void> | null = null;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    // Last started first: Hive calls the baseline's subgraphs, which read the files govgraph seeded.
    for (const stack of [...started].reverse()) await stack.stop().catch((e) => console.error(`stopping ${stack.name}: ${(e as Error).message}`));
    started.length = 0;
  })();
  return stopping;
}

process.on('exit', killAllStacksNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the stacks…`);
    void stopAll().finally(() => process.exit(130));
  });
}

type Stacks = Record<StackName, RunningStack>;
const log = (m: string) => console.error(m);

/** govgraph first: on a fresh data directory it seeds the databases the baseline then reads; Hive last, over the baseline's subgraphs. */
async function startStacks(settings: Settings): Promise<Stacks> {
  const logDir = join(settings.dataDir, 'logs');
  log(`starting govgraph (platform/main.ts, subgraphs as processes${settings.tracing ? ", tracing on" : ""}) over ${settings.dataDir}…`);
  const govgraph = await startGovgraph(settings.dataDir, logDir, settings.tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: await spanSink() } : {});
  started.push(govgraph);
  log(`  ${govgraph.url}  (log ${govgraph.logFile})`);
  log('starting the baseline (plain @apollo/gateway over unprotected subgraphs)…');
  const baseline = await startBaseline(settings.dataDir, logDir);
  started.push(baseline);
  log(`  ${baseline.url}  (log ${baseline.logFile})`);
  log('starting Hive Gateway with its Rust planner over the baseline\'s subgraphs…');
  const hive = await startHive(settings.dataDir, logDir, baseline);
  started.push(hive);
  log(`  ${hive.url}  (log ${hive.logFile})`);
  return { baseline, govgraph, hive };
}

/** Sends a few requests of each scenario to every stack and compares their answers. */
async function runSampleChecks(scenarios: readonly Scenario[], world: DemoWorld, stacks: Stacks): Promise<SampleCheck[]> {
  const checks: SampleCheck[] = [];
  for (const scenario of scenarios) checks.push(...(await sampleCheck(scenario, world, STACK_NAMES.map((n) => stacks[n]))));
  for (const c of checks) {
    for (const [stack, problem] of Object.entries(c.problems)) log(`  sample check ${c.scenario} #${c.index} on ${stack}: ${problem}`);
    if (!c.sameData) log(`  sample check ${c.scenario} #${c.index}: the stacks answered with different data`);
  }
  log(`sample checks: ${checks.filter((c) => Object.keys(c.problems).length === 0 && c.sameData).length}/${checks.length} passed`);
  return checks;
}

/**
 * Once per stack and scenario before anything is measured: freshly started processes (JIT,
 * SQLite page cache, connection pools) would otherwise handicap whichever runs first.
 */
async function primeStacks(settings: Settings, scenarios: readonly Scenario[], allBodies: ReadonlyMap<string, readonly string[]>, stacks: Stacks): Promise<void> {
  log(`priming the stacks (${settings.warmupS} s per stack and scenario)…`);
  for (const scenario of scenarios) {
    for (const stack of STACK_NAMES.map((n) => stacks[n])) {
      await runLoad({ url: stack.url, headers: stack.headers, bodies: allBodies.get(scenario.name)!, connections: Math.max(...settings.connections), durationS: Math.max(1, settings.warmupS), warmupS: 0 });
    }
  }
}

/** One measured run of one stack: load, and the CPU every stack's process groups spent meanwhile. */
async function measureRun(settings: Settings, stacks: Stacks, name: StackName, round: number, bodies: readonly string[], connections: number, scenario: Scenario): Promise<Run> {
  const stack = stacks[name];
  const groups = STACK_NAMES.map((n) => stacks[n].pid);
  const waitedS = settings.quietWaitS > 0 ? await waitForQuiet(stacks, settings.quietWaitS) : 0;
  let before: CpuSnapshot | null = null;
  const figures = await runLoad({
    url: stack.url, headers: stack.headers, bodies, connections, durationS: settings.durationS, warmupS: settings.warmupS,
    onMeasureStart: () => {
      before = cpuSnapshot(groups);
    },
  });
  const cpu = cpuBetween(before, cpuSnapshot(groups), stack.processes);
  const perRequest = (seconds: number | undefined) => (seconds !== undefined && figures.totalRequests > 0 ? (seconds * 1000) / figures.totalRequests : null);
  const cpuMsPerRequest = perRequest(cpu?.stackCpuS);
  const gatewayCpuMsPerRequest = perRequest(cpu?.gatewayCpuS);
  const subgraphsCpuMsPerRequest = perRequest(cpu?.subgraphsCpuS);
  const errors = figures.non2xx + figures.graphqlErrors + figures.socketErrors;
  log(`  ${scenario.name} c=${connections} ${name.padEnd(8)} ${figures.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${figures.latencyMs.p50} ms  p99 ${figures.latencyMs.p99} ms${cpu ? `  cpu ${cpuMsPerRequest?.toFixed(2)} ms/req (gateway ${gatewayCpuMsPerRequest?.toFixed(2)} + subgraphs ${subgraphsCpuMsPerRequest?.toFixed(2)})  other ${cpu.foreignCores.toFixed(2)} cores` : ''}${errors ? `  ERRORS non2xx=${figures.non2xx} graphql=${figures.graphqlErrors} socket=${figures.socketErrors}` : ''}`);
  for (const sample of figures.errorSamples.slice(0, 2)) log(`      e.g. ${sample}`);
  return { stack: name, round, figures, cpu, cpuMsPerRequest, gatewayCpuMsPerRequest, subgraphsCpuMsPerRequest, quietWaitS: Math.round(waitedS * 10) / 10 };
}

/** The flags of a row of the table (see the legend printed under it). */
function flagsOf(summary: Cell['summary'], runs: readonly Run[], failedChecks: readonly SampleCheck[]): string[] {
  const flags: string[] = [];
  for (const name of STACK_NAMES) {
    const e = summary[name].errors;
    if (e.non2xx + e.graphqlErrors + e.socketErrors > 0) flags.push(`ERR(${LABEL[name]})`);
    if (failedChecks.some((c) => c.problems[name])) flags.push(`CHECK(${LABEL[name]})`);
    if (summary[name].spread > VARIANCE_FLAG) flags.push(`VAR(${LABEL[name]})`);
  }
  if (runs.some((r) => (r.cpu?.foreignCores ?? 0) > FOREIGN_CPU_FLAG)) flags.push('NOISY');
  if (failedChecks.some((c) => !c.sameData)) flags.push('DIFF');
  return flags;
}

/** Every scenario × connection count, each stack measured settings.rounds times in ABBA order. */
async function measureCells(settings: Settings, scenarios: readonly Scenario[], allBodies: ReadonlyMap<string, readonly string[]>, stacks: Stacks, checks: readonly SampleCheck[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  const perRun = settings.warmupS + settings.durationS;
  const total = scenarios.length * settings.connections.length * settings.rounds * STACK_NAMES.length * perRun;
  log(`measuring: ${scenarios.length} scenarios × ${settings.connections.length} connection counts × ${settings.rounds * STACK_NAMES.length} runs × (${settings.warmupS} s warm-up + ${settings.durationS} s) ≈ ${Math.ceil(total / 60)} min${settings.quietWaitS > 0 ? `, plus up to ${settings.quietWaitS} s per run waiting for other processes to quiet down` : ''}`);
  for (const scenario of scenarios) {
    const bodies = allBodies.get(scenario.name)!;
    for (const connections of settings.connections) {
      const runs: Run[] = [];
      for (let round = 0; round < settings.rounds; round++) {
        for (const name of orderOf(round)) runs.push(await measureRun(settings, stacks, name, round, bodies, connections, scenario));
      }
      const summary = { baseline: summarise(runs, 'baseline'), govgraph: summarise(runs, 'govgraph'), hive: summarise(runs, 'hive') };
      const flags = flagsOf(summary, runs, checks.filter((c) => c.scenario === scenario.name));
      cells.push({
        scenario: scenario.name,
        connections,
        runs,
        summary,
        ratio: summary.govgraph.requestsPerSecond / summary.baseline.requestsPerSecond,
        ratioHive: summary.govgraph.requestsPerSecond / summary.hive.requestsPerSecond,
        flags,
      });
    }
  }
  return cells;
}

interface Measured {
  readonly settings: Settings;
  readonly startedAt: Date;
  readonly loadStart: number[];
  readonly world: DemoWorld;
  readonly scenarios: readonly Scenario[];
  readonly stacks: Stacks;
  readonly checks: readonly SampleCheck[];
  readonly cells: readonly Cell[];
}

/** The results file: the machine, the settings, the stacks, the scenarios and every run. */
function reportOf({ settings, startedAt, loadStart, world, scenarios, stacks, checks, cells }: Measured) {
  const cpuList = cpus();
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: {
      cpuModel: cpuList[0]?.model ?? 'unknown',
      cpuCount: cpuList.length,
      node: process.version,
      os: `${platform()} ${release()}`,
      totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
      loadAverageAtStart: loadStart,
      loadAverageAtEnd: loadavg(),
    },
    settings: {
      durationS: settings.durationS,
      warmupS: settings.warmupS,
      rounds: settings.rounds,
      connections: settings.connections,
      quick: settings.quick,
      order: 'per cell: baseline, govgraph, hive, then hive, govgraph, baseline, alternating further with more rounds; every run has its own discarded warm-up',
      primeS: Math.max(1, settings.warmupS),
      quietWaitS: settings.quietWaitS,
      loadGenerator: 'autocannon (in the harness process, one thread), request bodies round-robin over the demo world ids, shared across connections',
      dataDir: settings.dataDir,
      worldSize: world.size,
      govgraph: { department: BENCH_DEPARTMENT, app: 'apps[0]', purpose: BENCH_PURPOSE, subgraphMode: 'process', tracing: settings.tracing ? { on: true, exporter: 'OTLP/HTTP JSON to a receiver in the harness process', spanBatchesReceived: sink.batches, spanBytesReceived: sink.bytes } : { on: false } },
      baseline: 'plain @apollo/gateway (RemoteGraphQLDataSource) + ApolloServer + startStandaloneServer, no plugins; subgraphs security unprotected-baseline, one process each',
      hive: 'Hive Gateway (@graphql-hive/gateway) with --hive-router-runtime (Rust query planner), --fork 1, supergraph from a file, no usage reporting or tracing; over the baseline\'s subgraph processes',
      cpu: 'gateway = the gateway process (govgraph: with its audit writer thread; hive: its whole process group); subgraphs = the subgraph processes it calls',
    },
    stacks: Object.fromEntries(STACK_NAMES.map((n) => [n, { url: stacks[n].url, subgraphs: stacks[n].subgraphs }])),
    scenarios: scenarios.map((s) => ({ name: s.name, description: s.description, query: s.query, distinctRequests: s.size(world) })),
    sampleChecks: checks,
    cells,
  };
}

function printSummary(report: ReturnType<typeof reportOf>, measured: Measured, files: { latest: string; stamped: string }): void {
  const { settings, loadStart, scenarios, cells } = measured;
  console.log(`\ngovgraph (gov) vs plain @apollo/gateway (apollo) vs Hive Gateway + Rust planner (hive): ${settings.durationS} s per run, ${settings.rounds} run(s) per stack per row (mean shown), ${settings.warmupS} s warm-up each`);
  console.log(`${report.machine.cpuCount} × ${report.machine.cpuModel}, node ${process.version}, load average at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log(table(cells));
  console.log(`\nlatencies in ms; gov/apollo, gov/hive = req/s ratios. cpu/req = CPU ms per request over all the stack's processes, (gateway + subgraphs);
apollo and hive call the same unprotected subgraph processes. other = most cores busy with processes outside the benchmark during a run of the row.
flags: ERR non-2xx/GraphQL/socket errors during load, NOISY other > ${FOREIGN_CPU_FLAG} cores, CHECK a sample check failed, DIFF the stacks answered differently, VAR runs of one stack differ by > ${VARIANCE_FLAG * 100}%`);
  for (const s of scenarios) console.log(`  ${s.name}: ${s.description}`);
  console.log(`\nresults: ${files.latest}\n         ${files.stamped}`);
}

/** What `--tracing` sends its spans to: an OTLP/HTTP receiver that counts and discards them. */
const sink = { batches: 0, bytes: 0 };
function spanSink(): Promise<string> {
  const server = createServer((req, res) => {
    sink.batches++;
    req.on('data', (c: Buffer) => { sink.bytes += c.length; });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.unref();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Start both stacks, check they answer alike, prime them, measure every cell, write and print the results. */
async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const startedAt = new Date();
  const scenarios = SCENARIOS.filter((s) => settings.scenarios.includes(s.name));
  const loadStart = loadavg();

  const stacks = await startStacks(settings);
  const world = loadWorld(settings.dataDir);
  const checks = await runSampleChecks(scenarios, world, stacks);
  const allBodies = new Map(scenarios.map((s) => [s.name, requestBodies(s, world)]));
  await primeStacks(settings, scenarios, allBodies, stacks);
  const cells = await measureCells(settings, scenarios, allBodies, stacks, checks);
  await stopAll();

  const measured: Measured = { settings, startedAt, loadStart, world, scenarios, stacks, checks, cells };
  const report = reportOf(measured);
  const files = writeResults(report, startedAt);
  printSummary(report, measured, files);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
