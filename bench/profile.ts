/**
 * `npm run bench:profile`: where govgraph's CPU goes under the bench's load. Starts govgraph
 * exactly as `npm run bench` does, every process (gateway and subgraphs) under V8's sampling
 * profiler (bench/cpuProfileHook.mjs, as `--cpu-prof` would),
 * primes it, loads it with one scenario for `--duration` seconds, counts each process's CPU
 * per request (/proc), stops it gracefully (the profiles are written on exit), and prints,
 * per process, the self time of the samples taken during the measured window only, by
 * package or source file and by function.
 *
 *   npm run bench:profile -- [--scenario three-subgraph] [--connections 10] [--duration 20] [--top 25]
 *
 * The .cpuprofile files stay in data/bench/profiles/<time>/ (open them in Chrome DevTools).
 * Profiling costs CPU itself: read the split, not the absolute figures; `npm run bench`
 * measures without the profiler.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadWorld } from '../demo/worldFile.ts';
import { SCENARIOS, requestBodies } from './scenarios.ts';
import { killAllStacksNow, startGovgraph } from './stacks.ts';
import { runLoad } from './load.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A node_modules package, a project file, or a V8 category such as (garbage collector). */
function placeOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return path;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

/** Self time (ms) by place and by function, of the samples taken in [fromUs, toUs] (CLOCK_MONOTONIC µs). */
function selfTimes(profile: CpuProfile, fromUs: number, toUs: number): { total: number; places: Map<string, number>; functions: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let t = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromUs || t > toUs) continue;
    const next = (profile.timeDeltas[i + 1] ?? delta) / 1000;
    const node = byId.get(profile.samples[i]!);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${place}:${node.callFrame.lineNumber + 1}`;
    places.set(place, (places.get(place) ?? 0) + next);
    functions.set(fn, (functions.get(fn) ?? 0) + next);
    total += next;
  }
  return { total, places, functions };
}

function top(map: Map<string, number>, n: number, perRequest: (ms: number) => number, total: number): string[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, ms]) => `    ${perRequest(ms).toFixed(3).padStart(7)} ms/req  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${k}`);
}

/** Process names by pid: the gateway (group leader) and each subgraph (its argv). */
function processNames(groupLeader: number): Map<number, string> {
  const names = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== groupLeader) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      names.set(Number(entry), Number(entry) === groupLeader ? 'gateway' : `subgraph ${argv[argv.length - 1]}`);
    } catch {
      // gone meanwhile
    }
  }
  return names;
}

function ticksOf(pids: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      out.set(pid, Number(f[11]) + Number(f[12]));
    } catch {
      out.set(pid, 0);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'three-subgraph' },
      connections: { type: 'string', default: '10' },
      duration: { type: 'string', default: '20' },
      top: { type: 'string', default: '25' },
      'data-dir': { type: 'string' },
    },
  });
  const scenario = SCENARIOS.find((s) => s.name === values.scenario);
  if (!scenario) throw new Error(`no scenario ${JSON.stringify(values.scenario)}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const dataDir = resolve(values['data-dir'] ?? join(ROOT, 'data', 'bench'));
  const profileDir = join(dataDir, 'profiles', new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-'));
  mkdirSync(profileDir, { recursive: true });
  const connections = Number(values.connections);
  const durationS = Number(values.duration);
  const topN = Number(values.top);

  console.error(`starting govgraph under --cpu-prof (profiles in ${profileDir})…`);
  // --cpu-prof is refused in NODE_OPTIONS: a preloaded hook runs V8's profiler instead, in every process.
  const hook = fileURLToPath(new URL('./cpuProfileHook.mjs', import.meta.url));
  const stack = await startGovgraph(dataDir, join(dataDir, 'logs'), { NODE_OPTIONS: `--import ${hook}`, GOVGRAPH_CPU_PROFILE_DIR: profileDir });
  const world = loadWorld(dataDir);
  const bodies = requestBodies(scenario, world);
  console.error('priming 5 s…');
  await runLoad({ url: stack.url, headers: stack.headers, bodies, connections, durationS: 5, warmupS: 0 });
  const names = processNames(stack.pid);
  let before = new Map<number, number>();
  let fromUs = 0;
  console.error(`measuring ${scenario.name} c=${connections} for ${durationS} s…`);
  const figures = await runLoad({
    url: stack.url, headers: stack.headers, bodies, connections, durationS, warmupS: 0,
    onMeasureStart: () => {
      before = ticksOf(names.keys());
      fromUs = Number(process.hrtime.bigint() / 1000n);
    },
  });
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const after = ticksOf(names.keys());
  await stack.stop();
  const requests = figures.totalRequests;
  const perRequest = (ms: number) => ms / requests;
  console.log(`\n${scenario.name} c=${connections}: ${requests} requests in ${durationS} s (${figures.requestsPerSecond.toFixed(0)} req/s under the profiler), errors ${figures.non2xx + figures.graphqlErrors}`);
  console.log('CPU per request by process (/proc, profiler on):');
  let sum = 0;
  for (const [pid, name] of names) {
    const ms = ((after.get(pid)! - before.get(pid)!) * 10) / requests;
    sum += ms;
    console.log(`  ${ms.toFixed(3).padStart(7)} ms/req  ${name} (pid ${pid})`);
  }
  console.log(`  ${sum.toFixed(3).padStart(7)} ms/req  all`);

  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const pid = Number(file.split('.')[1]);
    const name = names.get(pid) ?? `pid ${pid}`;
    const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
    const { total, places, functions } = selfTimes(profile, fromUs, toUs);
    if (total === 0) continue;
    console.log(`\n${name} (${file}): ${perRequest(total).toFixed(3)} ms/req of samples in the window, self time`);
    console.log('  by package or file:');
    console.log(top(places, topN, perRequest, total).join('\n'));
    console.log('  by function:');
    console.log(top(functions, topN, perRequest, total).join('\n'));
  }
}

process.on('exit', killAllStacksNow);
main().then(() => process.exit(0), (error: unknown) => {
  console.error(`profile failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
